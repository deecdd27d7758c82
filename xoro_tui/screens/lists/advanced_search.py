"""Advanced Search: conditions of Column, Operator and Value, combined with AND or OR.

The value input follows the column's type: text, a number, an ISO date, Yes/No, or a list
of the lookup's values; "between" takes two values and "is one of" several (``|``-separated
or picked from the list)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select
from textual.widgets._select import SelectCurrent
from textual.widgets.select import InvalidSelectValueError

from xoro_tui.actions.registry import bindings
from xoro_tui.data.search.list_query import Condition, FieldDef
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.toggles import Radio

LookupValues = Callable[[FieldDef], list[str]]
#: an empty value for a text condition is refused with this (it matched everything or nothing)
EMPTY_VALUE = 'a value is needed (or choose "is empty")'


@dataclass(frozen=True)
class SearchResult:
    conditions: tuple[Condition, ...]
    combine: str


class ConditionRow(Horizontal):
    """One condition: column, operator, value (and a second value for "between")."""

    DEFAULT_CSS = """
    ConditionRow { height: 3; }
    ConditionRow Select.column { width: 28; }
    ConditionRow Select.operator { width: 22; }
    ConditionRow .value { width: 1fr; }
    """

    def __init__(
        self,
        fields: Sequence[FieldDef],
        values: LookupValues,
        index: int,
        initial: Condition | None = None,
    ) -> None:
        super().__init__(id=f"cond-{index}")
        self.fields = {f.key: f for f in fields}
        self.lookup_values = values
        self.index = index
        self.initial = initial if initial and initial.field in self.fields else None
        #: the column the operator list was made for, and the (column, operator) the value
        #: inputs were made for: a Select.Changed that changes neither rebuilds nothing
        self._operators_for: str | None = None
        self._built: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        first = (
            self.fields[self.initial.field] if self.initial else next(iter(self.fields.values()))
        )
        op = self.initial.op if self.initial and self.initial.op in first.operators else None
        self._operators_for = first.key
        yield Select(
            [(f.title, f.key) for f in self.fields.values()],
            value=first.key,
            allow_blank=False,
            classes="column",
            id=f"column-{self.index}",
        )
        yield Select(
            self._operators(first),
            value=op or first.operators[0],
            allow_blank=False,
            classes="operator",
            id=f"operator-{self.index}",
        )
        yield Horizontal(classes="value", id=f"value-box-{self.index}")

    async def on_mount(self) -> None:
        await self._rebuild_value()
        if self.initial is not None:
            self._fill(1, self.initial.value)
            self._fill(2, self.initial.value2)

    def _fill(self, which: int, value: object) -> None:
        found = self.query(f"#value{which}-{self.index}")
        if not found or value is None:
            return
        text = " | ".join(map(str, value)) if isinstance(value, tuple | list) else str(value)
        widget = found.first()
        if isinstance(widget, Input):
            widget.value = text
        elif isinstance(widget, Select):
            with contextlib.suppress(InvalidSelectValueError):  # a value no longer offered
                widget.value = text

    def _operators(self, fdef: FieldDef) -> list[tuple[str, str]]:
        return [(fdef.operator_label(op), op) for op in fdef.operators]

    @property
    def field(self) -> FieldDef:
        value = self.query_one(f"#column-{self.index}", Select).value
        return self.fields[str(value)]

    @property
    def operator(self) -> str:
        return str(self.query_one(f"#operator-{self.index}", Select).value)

    @on(Select.Changed, ".column")
    async def _column_changed(self, event: Select.Changed) -> None:
        event.stop()
        fdef = self.field
        if fdef.key != self._operators_for:  # not the Changed a Select posts on mount
            self._operators_for = fdef.key
            operator = self.query_one(f"#operator-{self.index}", Select)
            operator.set_options(self._operators(fdef))
            # the same operator kept ("equals" to "="): Select shows its old name otherwise
            operator.query_one(SelectCurrent).update(fdef.operator_label(str(operator.value)))
        await self._rebuild_value()

    @on(Select.Changed, ".operator")
    async def _operator_changed(self, event: Select.Changed) -> None:
        event.stop()
        await self._rebuild_value()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    async def _rebuild_value(self) -> None:
        """New value inputs for the column and operator; the old ones (with the same ids)
        are removed before the new ones are mounted."""
        fdef, op = self.field, self.operator
        if self._built == (fdef.key, op):
            return
        self._built = (fdef.key, op)
        box = self.query_one(f"#value-box-{self.index}", Horizontal)
        await box.remove_children()
        if op in ("empty", "not_empty"):
            return
        widgets = [self._value_widget(fdef, op, 1)]
        if op == "between":
            widgets.append(self._value_widget(fdef, op, 2))
        await box.mount_all(widgets)
        for widget in widgets:
            if isinstance(widget, Input):
                widget.cursor_blink = False

    def _value_widget(self, fdef: FieldDef, op: str, which: int) -> Input | Select:
        wid = f"value{which}-{self.index}"
        if fdef.kind == "bool":
            return Select([("Yes", "1"), ("No", "0")], value="1", allow_blank=False, id=wid)
        choices = self.lookup_values(fdef) if fdef.kind == "lookup" else []
        if choices and op in ("eq", "ne"):
            return Select([(c, c) for c in choices], allow_blank=False, id=wid)
        placeholder = {
            "date": "YYYY-MM-DD",
            "number": "a number",
            "money": "an amount, e.g. 100.00",
        }.get(fdef.kind, "text")
        if op == "one_of":
            shown = " | ".join(choices[:6])
            placeholder = f"values separated by |  {shown}" if shown else "values separated by |"
        return Input(placeholder=placeholder, id=wid)

    def _raw(self, which: int) -> str:
        found = self.query(f"#value{which}-{self.index}")
        if not found:
            return ""
        widget = found.first()
        if isinstance(widget, Select):
            return "" if widget.value is Select.BLANK else str(widget.value)
        return widget.value if isinstance(widget, Input) else ""

    def point_at_value(self) -> None:
        """Mark the value box a condition was refused for, and put the cursor there."""
        boxes = [w for n in (1, 2) for w in self.query(f"#value{n}-{self.index}")]
        if boxes:
            box = next((w for n, w in enumerate(boxes, 1) if not self._raw(n).strip()), boxes[0])
            box.add_class("-invalid")
            box.focus()

    def condition(self) -> Condition:
        """The condition this row describes; ValueError names what is wrong."""
        fdef, op = self.field, self.operator
        if op in ("empty", "not_empty"):
            return Condition(fdef.key, op)
        first = _parse(fdef, self._raw(1), op)
        second = _parse(fdef, self._raw(2), op) if op == "between" else None
        return Condition(fdef.key, op, first, second)


def _parse(fdef: FieldDef, raw: str, op: str) -> object:
    text = raw.strip()
    if op == "one_of":
        values = tuple(v.strip() for v in text.split("|") if v.strip())
        if not values:
            raise ValueError("give one or more values separated by |")
        return tuple(_parse(fdef, v, "eq") for v in values)
    if not text:
        raise ValueError(EMPTY_VALUE if fdef.kind in ("text", "lookup") else "a value is needed")
    if fdef.kind in ("number", "money"):
        try:
            return float(Decimal(text)) if fdef.kind == "money" else int(Decimal(text))
        except (InvalidOperation, ValueError):
            raise ValueError(f"{text!r} is not a number") from None
    if fdef.kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{text!r} is not a date: write a date like 2026-11-23") from None
    if fdef.kind == "bool":
        return int(text == "1")
    return text


class AdvancedSearch(Dialog[SearchResult | None]):
    """Build a filter; Enter on "Search" (or ctrl+s) applies, Escape / ctrl+g cancel."""

    DEFAULT_CSS = """
    AdvancedSearch > Vertical { width: 96%; max-width: 110; max-height: 90%; }
    AdvancedSearch #conditions { height: auto; max-height: 15; }
    AdvancedSearch #error { color: $error; height: auto; }
    AdvancedSearch RadioSet { layout: horizontal; height: 3; }
    """
    BINDINGS = bindings("AdvancedSearch")

    def __init__(
        self,
        fields: Sequence[FieldDef],
        lookup_values: LookupValues,
        current: Sequence[Condition] = (),
        combine: str = "and",
    ) -> None:
        super().__init__()
        self.fields = [f for f in fields]
        self.lookup_values = lookup_values
        self.current = list(current)
        self.combine = combine
        self._rows = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Advanced Search", classes="title")
            with RadioSet(id="combine"):
                yield Radio("All conditions (AND)", value=self.combine != "or", id="and")
                yield Radio("Any condition (OR)", value=self.combine == "or", id="or")
            yield VerticalScroll(id="conditions", can_focus=False)  # Tab: boxes only
            yield Label("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Search", variant="primary", id="apply")
                yield Button("Add condition", id="add")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    async def on_mount(self) -> None:
        conditions: list[Condition | None] = [*self.current] or [None]
        for cond in conditions:
            await self._add_row(cond)

    async def _add_row(self, cond: Condition | None = None) -> None:
        row = ConditionRow(self.fields, self.lookup_values, self._rows, cond)
        self._rows += 1
        await self.query_one("#conditions", VerticalScroll).mount(row)
        row.query_one(Select).focus()
        self.refresh_bindings()  # Remove last comes with a second condition

    def rows(self) -> list[ConditionRow]:
        return list(self.query(ConditionRow))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Remove last is offered while there is more than one condition (the last one
        stays: it is what Search reads)."""
        if action == "remove":
            return True if len(self.rows()) > 1 else None
        return True

    async def action_add(self) -> None:
        await self._add_row()

    async def action_remove(self) -> None:
        rows = self.rows()
        if len(rows) > 1:
            await rows[-1].remove()
            self.refresh_bindings()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_apply(self) -> None:
        conditions: list[Condition] = []
        for number, row in enumerate(self.rows(), start=1):
            try:
                conditions.append(row.condition())
            except ValueError as exc:
                self.query_one("#error", Label).update(f"Condition {number}: {exc}")
                row.point_at_value()
                return
        combine = "or" if self.query_one("#or", RadioButton).value else "and"
        self.dismiss(SearchResult(tuple(conditions), combine))

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "add":
            await self.action_add()
        else:
            self.action_cancel()
