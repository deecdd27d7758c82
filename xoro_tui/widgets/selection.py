"""Which rows are checked, without ever materialising a million keys.

A :class:`Selection` is in one of two modes:

* explicit: ``explicit_keys`` holds exactly the checked keys (the usual case);
* all: every row of the current filter is checked except ``all_except``.

Filter changes: "all" means "all rows of *the filter that was current when the user
pressed check-all*". A list screen turns them into explicit keys (:meth:`replace`, the
keys read in SQL) before it changes the filter, so they stay checked and counted as
rows checked one by one do, even those the new filter hides. Where nothing does, the
table calls :meth:`filter_changed`, which drops the "all" mode (the selection becomes
empty) but keeps explicit keys, and posts ``ChecksChanged`` so the screen can tell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from xoro_tui.widgets.table_source import RowKey


class Selection:
    """Checked rows: an explicit set, or "everything in the filter except these"."""

    __slots__ = ("_all", "_keys", "on_change")

    def __init__(
        self, keys: Iterable[RowKey] = (), on_change: Callable[[], None] | None = None
    ) -> None:
        self._all = False
        # Explicit mode: the checked keys. All mode: the unchecked keys.
        self._keys: set[RowKey] = set(keys)
        #: called after every change, whoever makes it (the table offers "Uncheck all"
        #: only while something is checked)
        self.on_change = on_change

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    @property
    def is_all(self) -> bool:
        """True in "every row of the current filter except ``all_except``" mode."""
        return self._all

    @property
    def explicit_keys(self) -> frozenset[RowKey]:
        """The checked keys in explicit mode; empty in all mode."""
        return frozenset() if self._all else frozenset(self._keys)

    @property
    def all_except(self) -> frozenset[RowKey] | None:
        """In all mode the keys left unchecked, otherwise None."""
        return frozenset(self._keys) if self._all else None

    def count(self, total: int) -> int:
        """How many rows are checked, given ``total`` rows in the current filter."""
        if self._all:
            return max(0, total - len(self._keys))
        return len(self._keys)

    def is_checked(self, key: RowKey) -> bool:
        return (key not in self._keys) if self._all else (key in self._keys)

    def toggle(self, key: RowKey) -> bool:
        """Flip one row; return whether it is now checked."""
        if key in self._keys:
            self._keys.discard(key)
        else:
            self._keys.add(key)
        self._changed()
        return self.is_checked(key)

    def set_checked(self, key: RowKey, checked: bool) -> None:
        if self.is_checked(key) != checked:
            self.toggle(key)

    def check_all(self) -> None:
        """Check every row of the current filter."""
        self._all = True
        self._keys.clear()
        self._changed()

    def replace(self, keys: Iterable[RowKey]) -> None:
        """Check exactly these rows (explicit mode): "every row of the filter" made
        concrete before the filter changes, so those checks last as space's do."""
        self._all = False
        self._keys = set(keys)
        self._changed()

    def clear(self) -> None:
        """Uncheck everything."""
        self._all = False
        self._keys.clear()
        self._changed()

    def filter_changed(self) -> bool:
        """Drop all mode (explicit keys stay); return True when something changed."""
        if not self._all:
            return False
        self.clear()
        return True

    def __repr__(self) -> str:
        mode = "all_except" if self._all else "explicit"
        return f"Selection({mode}={sorted(self._keys)[:5]}{'...' if len(self._keys) > 5 else ''})"
