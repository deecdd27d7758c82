"""The lines under and over the table: the status line (``N of M customers``, checks,
changes by others), the filter line, and lines of parts packed to the screen's width
(status counts, totals), packed again when the width changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import Static

from xoro_tui.data.search.list_query import Condition, describe_condition
from xoro_tui.screens.lists.list_parts import ListParts
from xoro_tui.widgets.safe_text import safe_text


def pack_lines(parts: Sequence[str], width: int, gap: str = "  ") -> str:
    """``parts`` joined by ``gap``, broken into lines no wider than ``width`` between parts
    (a part wider than the line has a line of its own)."""
    lines: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{gap}{part}" if current else part
        if current and len(candidate) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    lines.append(current)
    return "\n".join(lines)


class StatusLines(ListParts):
    """The status line, the filter line and the packed lines of a list screen."""

    def __init__(self) -> None:
        super().__init__()
        self._total: int | None = None
        #: another session changed the data since it was last read (said on the status line)
        self.changed_elsewhere = False
        #: what each packed line (see show_packed) shows, packed again at a new width
        self._packed: dict[str, list[str]] = {}
        self._gaps: dict[str, str] = {}

    def total(self) -> int:
        """Every row of the list, unfiltered: the "M" of "N of M"."""
        if self._total is None:
            assert self.source is not None
            base = self.base_filter()
            # at start-up the table has just counted exactly this; a million-row count
            # costs a tenth of a second, so it is not done twice before the first paint
            same = self.source.filter == base
            self._total = self.source.count() if same else self.source.query.count(base)
        return self._total

    def status_text(self) -> str:
        assert self.source is not None
        shown = self.source.count()
        text = f"{shown:,} of {self.total():,} {self.NOUN}"
        if self.source.counting:
            text = f"at least {text} (counting)"
        checked = self.table.selection.count(shown)
        if checked:
            text += f" · {checked:,} checked"
        if self.changed_elsewhere:
            text += " · changed by another user: r refreshes"
        return text

    def update_status(self) -> None:
        parts = self.status_text().split(" · ")
        if self._packed.get("#status") != parts:
            self.show_packed("#status", parts, gap=" · ")

    def describe_filter(self) -> str:
        assert self.source is not None
        flt = self.source.filter
        parts: list[str] = []
        if flt.search.strip():
            field = self.SEARCH_FIELDS.get(flt.search_field, "Any Field")
            parts.append(f'{field} contains "{flt.search.strip()}"')
        if flt.conditions:
            joiner = " or " if flt.combine == "or" else " and "
            words = joiner.join(self.describe_condition(c) for c in flt.conditions)
            parts.append(f"({words})" if len(flt.conditions) > 1 and parts else words)
        return " and ".join(parts)

    def describe_condition(self, cond: Condition) -> str:
        assert self.source is not None
        return describe_condition(self.source.fields, cond)

    def update_filter_line(self) -> None:
        words = self.describe_filter()
        line = self.query_one("#filter-line", Static)
        if line.display != bool(words):
            line.display = bool(words)  # the table grows or shrinks: a layout follows
            self.refresh_bindings()  # and Clear filter comes or goes (check_action)
        line.update(safe_text(f"Filter: {words}  (x clears)" if words else ""), layout=False)

    def show_status_counts(
        self, statuses: Sequence[str], current: str | None, counts: Mapping[str, int]
    ) -> None:
        """The status keys and their counts (``0 All 457  1 Draft 13 …``), the chosen one
        marked ``▸``, on the line ``#status-counts``."""
        parts = [f"{'▸' if not current else ''}0 All {sum(counts.values()):,}"]
        for i, status in enumerate(statuses, start=1):
            mark = "▸" if status == current else ""
            parts.append(f"{mark}{i} {status} {counts.get(status, 0):,}")
        self.show_packed("#status-counts", parts)

    def show_packed(self, selector: str, parts: Sequence[str], gap: str = "  ") -> None:
        """Parts side by side, on as many lines as they need: none is cut at the edge, and
        none is split across lines. The line is laid out again only when it grows or
        shrinks by a line."""
        self._packed[selector] = list(parts)
        self._gaps[selector] = gap
        line = self.query_one(selector, Static)
        width = line.size.width or self.app.size.width
        text = pack_lines(parts, width, gap)
        before = str(line.render()).count("\n")
        line.update(Text(text), layout=text.count("\n") != before)

    def on_resize(self) -> None:
        for selector, parts in list(self._packed.items()):
            self.show_packed(selector, parts, self._gaps.get(selector, "  "))
