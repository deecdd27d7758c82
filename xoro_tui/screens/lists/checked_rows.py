"""The checked rows of a list: counted, and read as ids; the rows checked one by one as
they are, and "every row of the filter" (``*``) in SQL, on a reader connection of its own."""

from __future__ import annotations

from textual import on

from xoro_tui.data.search.list_query import WindowQuery
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.lists.list_parts import ListParts
from xoro_tui.widgets.virtual_table import VirtualTable


class CheckedRows(ListParts):
    """Reading the checked rows of a list screen."""

    def checked_count(self) -> int:
        assert self.source is not None
        return self.table.selection.count(self.source.count())

    def checked_id_batches(self):  # noqa: ANN201 - Iterator[list[int]]
        """The checked rows as batches of keys; "all of the filter" is resolved in SQL."""
        assert self.source is not None
        selection = self.table.selection
        if not selection.is_all:
            keys = sorted(selection.explicit_keys)
            for start in range(0, len(keys), 10_000):
                yield keys[start : start + 10_000]
            return
        skip = selection.all_except or frozenset()
        flt, spec = self.source.filter, self.source.query.spec
        reader = xoro_app(self).open_reader()
        try:
            for batch in WindowQuery(reader.conn, spec).keys(flt):
                kept = [k for k in batch if k not in skip]
                if kept:
                    yield kept
        finally:
            reader.conn.close()

    def checked_ids(self, limit: int | None = None) -> list[int]:
        out: list[int] = []
        for batch in self.checked_id_batches():
            out.extend(batch)
            if limit is not None and len(out) > limit:
                break
        return out

    @on(VirtualTable.ChecksChanged)
    def _checks(self) -> None:
        self.update_status()

    def keep_checks(self) -> None:
        """Before the filter changes: rows checked with ``*`` (every row of the filter) are
        read in SQL and become checked rows like those checked with space, so they stay
        checked and counted through the new filter as those do."""
        selection = self.table.selection
        if not selection.is_all:
            return
        keys = self.checked_ids()
        selection.replace(keys)
