"""The declarations, one module per room; :data:`ALL` is every one of them."""

from __future__ import annotations

from xoro_tui.actions.catalogue import app_keys, customers, dialogs, lists, refunds

ALL = (
    *app_keys.ACTIONS,
    *lists.ACTIONS,
    *customers.ACTIONS,
    *refunds.ACTIONS,
    *dialogs.ACTIONS,
)
