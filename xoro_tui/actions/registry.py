"""Look-ups over every declared action: a class's ``BINDINGS``, a menu's entries, the
palette's commands, help's lines, each with the keys the user has now.

A screen declares ``BINDINGS = bindings("CustomerCentre")``; the list it gets remembers
its scope, so help finds a class's actions by walking the class's MRO."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.actions import parse
from textual.binding import Binding, BindingType

from xoro_tui.actions.action import Action, split_keys
from xoro_tui.actions.catalogue import ALL

_BY_ID: dict[str, Action] = {a.id: a for a in ALL}
_BY_SCOPE: dict[str, tuple[Action, ...]] = {}
for _a in ALL:
    _BY_SCOPE[_a.scope] = (*_BY_SCOPE.get(_a.scope, ()), _a)

#: how help and the Keys list write key names Textual spells out
_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "plus": "+",
    "minus": "-",
    "asterisk": "*",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "colon": ":",
    "apostrophe": "'",
}


class ActionBindings(list[BindingType]):
    """A class's ``BINDINGS``, generated from the registry; ``scope`` names where from."""

    def __init__(self, scope: str, items: Iterable[Binding]) -> None:
        super().__init__(items)
        self.scope = scope


def every_action() -> tuple[Action, ...]:
    return ALL


def action(action_id: str) -> Action | None:
    return _BY_ID.get(action_id)


def actions_of(scope: str) -> tuple[Action, ...]:
    return _BY_SCOPE.get(scope, ())


def scopes() -> tuple[str, ...]:
    return tuple(_BY_SCOPE)


def bindings(scope: str) -> ActionBindings:
    """The key bindings of ``scope``, for its class's ``BINDINGS``."""
    found = [a.binding() for a in actions_of(scope) if not a.menu]
    if not found:
        raise KeyError(f"no actions declared for {scope!r}")
    return ActionBindings(scope, found)


def scopes_of(cls: type) -> list[str]:
    """The scopes of ``cls`` and its bases that declare bindings, bases first."""
    found = []
    for klass in reversed(cls.__mro__):
        declared = klass.__dict__.get("BINDINGS")
        if isinstance(declared, ActionBindings):
            found.append(declared.scope)
    return found


def keymap_of(app: Any) -> Mapping[str, str]:
    """The keys the user has moved (binding id -> keys), as the app applies them.

    Textual keeps the key map it applies in ``App._keymap`` (set by ``App.set_keymap``)
    and offers no getter; reading it keeps one copy of the truth."""
    return getattr(app, "_keymap", None) or {}


def keys_now(entry: Action, keymap: Mapping[str, str]) -> str:
    """The action's keys with the user's key map applied."""
    return keymap.get(entry.id) or entry.key


def key_names(keys: str) -> str:
    """``"question_mark,f1"`` -> ``"?, f1"``."""
    return ", ".join(_KEY_NAMES.get(k, k) for k in split_keys(keys))


def menu_entries(scope: str, keymap: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
    """A menu's ``(entry id, label, key)`` in order, for ``RowMenu.open``."""
    return tuple(
        (a.handler, a.label, key_names(keys_now(a, keymap))) for a in actions_of(scope) if a.menu
    )


def commands(scope: str) -> tuple[Action, ...]:
    """The actions of ``scope`` offered in the command palette."""
    return tuple(a for a in actions_of(scope) if a.command)


def enabled(owner: object, entry: Action) -> bool:
    """Whether ``owner`` (a screen, widget or the app) lets the action run now: its
    ``check_action`` may turn it off (a Centre that reuses a key for something else)."""
    check = getattr(owner, "check_action", None)
    if not callable(check):
        return True
    try:
        _, name, parameters = parse(entry.handler)
        return check(name, parameters) is not False
    except Exception:  # noqa: BLE001 - a screen half set up, an odd action string: list it
        return True
