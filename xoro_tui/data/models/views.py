"""A saved view (columns, sort, search and filter) as a Pydantic model.

Kept apart from the settings store so that opening a Centre with no saved view does not
load Pydantic."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from pydantic import BaseModel, Field

from xoro_tui.data.search.list_query import Condition, Filter


class ConditionModel(BaseModel):
    field: str
    op: str
    value: Any = None
    value2: Any = None


class View(BaseModel):
    """A saved layout: visible columns and their order, key columns, widths, sort (and
    "then by"), search field and filter."""

    columns: list[str]
    sort: tuple[str, bool] | None = None
    then_by: tuple[str, bool] | None = None
    #: key columns kept in place when scrolling right; None: the Centre's own
    frozen: list[str] | None = None
    #: column widths the user set, by field key
    widths: dict[str, int] = Field(default_factory=dict)
    search_field: str = "any"
    search: str = ""
    conditions: list[ConditionModel] = Field(default_factory=list)
    combine: str = "and"
    extras: dict[str, Any] = Field(default_factory=dict)

    def to_filter(self, fields: Container[str]) -> Filter:
        """The view's filter over a list with these fields (conditions on fields the list
        no longer has are dropped; list values become tuples, as filters hold them)."""
        conditions = tuple(
            Condition(c.field, c.op, _frozen(c.value), _frozen(c.value2))
            for c in self.conditions
            if c.field in fields
        )
        return Filter(
            search=self.search or "",
            search_field=self.search_field or "any",
            conditions=conditions,
            combine="or" if self.combine == "or" else "and",
            extras=tuple(
                (k, _frozen(v)) for k, v in self.extras.items() if v not in (None, "", [], ())
            ),
        )


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
