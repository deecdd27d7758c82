"""The user's own keys, applied through Textual's key map (``App.set_keymap``): read from
the database at start-up, and changed (checked, saved, applied at once) from Settings.

The footer, help and the menus read the keys from the app's key map, so they show a
remapped key as soon as it is set."""

from __future__ import annotations

import sqlite3
from typing import Any

from xoro_tui.actions.action import Action, split_keys
from xoro_tui.actions.keymap import KeyRefused, check, normalise, valid_keymap
from xoro_tui.actions.registry import action, key_names, keymap_of
from xoro_tui.data.store.errors import DataError
from xoro_tui.data.store.saved_keymaps import load_keymap, save_keymap
from xoro_tui.screens.app_access import xoro_app


def use_user_keys(app: Any) -> None:
    """At start-up: the login's keys, those that still hold (an unreadable setting leaves
    every key at its default rather than stopping the app)."""
    try:
        stored = load_keymap(xoro_app(app).db)
    except (DataError, sqlite3.Error):
        return
    if stored:
        app.set_keymap(valid_keymap(stored))


def remap(app: Any, action_id: str, typed: str) -> Action:
    """Give the action the keys typed or pressed; refused (:class:`KeyRefused`, nothing
    saved) for an unknown key name, a reserved key or one another action holds in the same
    place. Saved for this login, then applied."""
    entry = action(action_id)
    if entry is None:
        raise KeyRefused(f"No action {action_id!r}")
    keys = normalise(typed)
    current = dict(keymap_of(app))
    check(action_id, keys, current)
    if split_keys(keys) == entry.keys:
        current.pop(action_id, None)
    else:
        current[action_id] = keys
    _save(app, current)
    return entry


def reset_key(app: Any, action_id: str) -> None:
    """The action's default keys again (refused if another action took one of them)."""
    entry = action(action_id)
    if entry is None or action_id not in keymap_of(app):
        return
    current = {k: v for k, v in keymap_of(app).items() if k != action_id}
    check(action_id, normalise(entry.key), current)
    _save(app, current)


def reset_all(app: Any) -> None:
    """Every key at its default again."""
    _save(app, {})


def _save(app: Any, keymap: dict[str, str]) -> None:
    try:
        save_keymap(xoro_app(app).db, keymap)
    except (DataError, sqlite3.Error) as exc:
        raise KeyRefused(f"Not saved: {exc}") from exc
    app.set_keymap(keymap)


def shown_keys(app: Any, entry: Action) -> str:
    """The action's keys now, as help writes them."""
    return key_names(keymap_of(app).get(entry.id) or entry.key)
