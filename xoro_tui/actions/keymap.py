"""The rules for giving an action other keys: which keys exist, which are reserved, and
that one key does one thing in one place.

A *place* is what is active at once: a screen with its bases, the widgets in it that take
keys and the app's own keys; or a menu with its entries. A key may be bound once per
place, so moving an action onto a key another action holds there is refused, naming it."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from textual.keys import Keys, _character_to_key

from xoro_tui.actions.action import RESERVED_KEYS, Action, split_keys
from xoro_tui.actions.registry import action, actions_of, key_names, keys_now

_APP = ("XoroApp",)
_LIST = (*_APP, "ListScreen", "VirtualTable", "SearchInput")
_FORM = (*_APP, "InlineConfirm")

#: place name -> the scopes active there
PLACES: dict[str, tuple[str, ...]] = {
    "Customer Centre": (*_LIST, "CustomerCentre"),
    "Customer Refund Centre": (*_LIST, "RefundCentre"),
    "Deleted customers": (*_LIST, "DeletedCustomers"),
    "Credit Card Report": (*_LIST, "CardReport"),
    "Saved card report": (*_APP, "SavedCardReport", "VirtualTable"),
    "Customer Info": (*_APP, "CustomerInfo"),
    "Refund receipt": (*_APP, "RefundReceipt"),
    "Customer form": (*_FORM, "CustomerForm", "FieldScroll"),
    "New customer": (*_FORM, "QuickAdd"),
    "Document form": (*_FORM, "DocumentFormBase", "DocumentForm"),
    "Batch Update": (*_FORM, "BatchUpdateDialog"),
    "Merge": (*_APP, "MergeDialog", "MergeFieldPicker"),
    "Save report": (*_FORM, "SaveReportDialog"),
    "Saved reports": (*_APP, "ChooseReport"),
    "Refund form": (*_FORM, "RefundForm"),
    "New Refund": (*_FORM, "NewRefund"),
    "Question": (*_FORM, "AskText"),
    "Refund filters": (*_FORM, "RefundFilterDialog"),
    "Cheque batch": (*_APP, "ChequeBatchDialog"),
    "Confirm cheques": (*_APP, "ConfirmChequesDialog"),
    "Cheque register": (*_APP, "ChequeRegisterScreen"),
    "Cheque layout": (*_APP, "ChequeLayoutDialog"),
    "Advanced Search": (*_APP, "AdvancedSearch"),
    "Download": (*_APP, "DownloadDialog", "PathInput"),
    "Save view": (*_APP, "SaveViewDialog"),
    "Views": (*_APP, "ChooseView"),
    "Results": (*_APP, "ResultsScreen"),
    "Help": (*_APP, "HelpScreen"),
    "Settings": (*_FORM, "SettingsScreen"),
    "Keys": (*_APP, "KeysDialog"),
    "Import": (*_APP, "ImportScreen", "PathInput"),
    "Import field": (*_APP, "ImportFieldPicker"),
    "Mapping name": (*_APP, "NameDialog"),
    "Print": (*_APP, "PrintDialog"),
    "Customer row menu": ("CustomerCentre.row_menu",),
    "Customer actions menu": ("CustomerCentre.actions_menu",),
    "Refund row menu": ("RefundCentre.row_menu",),
    "Refund actions menu": ("RefundCentre.actions_menu",),
}
#: keys an open menu keeps for itself (moving, choosing, closing)
MENU_KEYS = frozenset({"escape", "ctrl+g", "q", "enter", "up", "down", "home", "end"})
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
#: Textual's key names: its special keys and the names of the printable ASCII characters
_KEY_VALUES = frozenset(
    {k.value for k in Keys} | {_character_to_key(chr(c)) for c in range(32, 127)}
)


class KeyRefused(ValueError):
    """The keys asked for cannot be given to the action; the message says why, in a line."""


def normalise(text: str) -> str:
    """What the user typed (``"ctrl+k"``, ``"?"``, ``"G, f5"``) as Textual key names
    (``"ctrl+k"``, ``"question_mark"``, ``"G,f5"``); refused if a part names no key."""
    keys = [_one_key(part) for part in split_keys(text)]
    if not keys:
        raise KeyRefused("No key given")
    return ",".join(dict.fromkeys(keys))


def _one_key(part: str) -> str:
    if len(part) == 1:
        return _character_to_key(part)
    *mods, base = part.split("+")
    mods = [m.lower() for m in mods]
    if len(base) > 1:
        base = base.lower()
    elif base:  # with a modifier a letter is its lower case: ctrl+G is ctrl+g
        base = _character_to_key(base.lower() if mods else base)
    if not base or any(m not in _MODIFIERS for m in mods) or not _is_key_name(base):
        raise KeyRefused(f"{part!r} is not a key name (for example: g, G, ctrl+k, f5)")
    return "+".join([*mods, base])


def _is_key_name(name: str) -> bool:
    if len(name) == 1 or name in _KEY_VALUES:
        return True
    try:
        unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        return False
    return True


def places_of(scope: str) -> list[str]:
    return [name for name, scopes in PLACES.items() if scope in scopes]


def check(action_id: str, keys: str, keymap: Mapping[str, str]) -> None:
    """Refuse (:class:`KeyRefused`) giving ``keys`` (normalised) to the action, with the
    user's current ``keymap``: a reserved key, a fixed action, or a key another action
    holds in one of the action's places."""
    entry = action(action_id)
    if entry is None:
        raise KeyRefused(f"No action {action_id!r}")
    if not entry.remappable:
        raise KeyRefused(f"{entry.label or entry.id} keeps its keys")
    if entry.menu and len(split_keys(keys)) != 1:
        raise KeyRefused("A menu entry takes one key")
    for key in split_keys(keys):
        if entry.menu and key in MENU_KEYS:
            raise KeyRefused(f"{key_names(key)} is kept by the menu (escape, ctrl+g, q, enter, "
                             "up, down, home, end); choose another key")  # fmt: skip
        if not entry.menu and key in RESERVED_KEYS:
            raise KeyRefused(f"{key_names(key)} is reserved (escape, ctrl+g, ctrl+q, enter, "
                             "tab, F1, arrows…); choose another key")  # fmt: skip
    for place in places_of(entry.scope):
        for scope in PLACES[place]:
            for other in actions_of(scope):
                if other.id == entry.id or other.menu != entry.menu:
                    continue
                taken = set(split_keys(keys_now(other, keymap))) & set(split_keys(keys))
                if taken:
                    raise KeyRefused(
                        f"{key_names(sorted(taken)[0])} is already {_name(other)} in {place}; "
                        "choose another key"
                    )


def _name(other: Action) -> str:
    return f"'{other.label}'" if other.label else f"'{other.about}'"


def valid_keymap(stored: Mapping[str, object]) -> dict[str, str]:
    """The stored key map without what no longer holds (an action gone, a key name
    unknown, a key another action holds): each entry checked against all the others,
    until none is dropped."""
    kept: dict[str, str] = {}
    for action_id, keys in stored.items():
        try:
            kept[action_id] = normalise(keys) if isinstance(keys, str) else ""
        except KeyRefused:
            continue
    dropped = True
    while dropped:
        dropped = False
        for action_id, keys in list(kept.items()):
            try:
                check(action_id, keys, kept)
            except KeyRefused:
                del kept[action_id]
                dropped = True
    return kept


def remappable() -> list[Action]:
    """Every action a user may give other keys, in declaration order."""
    from xoro_tui.actions.registry import every_action

    return [a for a in every_action() if a.remappable]


#: what the Keys list calls a scope that is part of many places
_SCOPE_TITLES = {
    "XoroApp": "Everywhere",
    "ListScreen": "Every list",
    "VirtualTable": "Every table",
    "InlineConfirm": "Unsaved changes",
}


def scope_title(scope: str) -> str:
    """Where an action applies, as the Keys list says it."""
    if scope in _SCOPE_TITLES:
        return _SCOPE_TITLES[scope]
    places = places_of(scope)
    return places[0] if places else scope
