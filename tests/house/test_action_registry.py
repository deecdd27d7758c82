"""The action registry is the one place keys are declared: every class's BINDINGS comes
from it, each action's handler exists, every scope belongs to a place, and no sequence
of accepted remaps leaves one key doing two things in one place."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.actions import parse
from textual.dom import DOMNode

import xoro_tui
from xoro_tui.actions.action import split_keys
from xoro_tui.actions.catalogue.customers import CARD_STATUSES
from xoro_tui.actions.catalogue.refunds import REFUND_STATUSES
from xoro_tui.actions.keymap import (
    PLACES,
    KeyRefused,
    check,
    normalise,
    remappable,
    valid_keymap,
)
from xoro_tui.actions.registry import ActionBindings, actions_of, every_action, keys_now


def _classes_with_bindings() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(xoro_tui.__path__, "xoro_tui."):
        if info.name.endswith("__main__") or info.name.startswith("xoro_tui.cli"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, DOMNode)
                and cls.__module__ == module.__name__
                and "BINDINGS" in cls.__dict__
            ):
                found.append(cls)
    return found


CLASSES = _classes_with_bindings()


def test_every_bindings_list_is_generated_from_the_registry() -> None:
    assert len(CLASSES) > 40
    handwritten = [c.__qualname__ for c in CLASSES if not isinstance(c.BINDINGS, ActionBindings)]
    assert handwritten == []
    scopes = [c.__dict__["BINDINGS"].scope for c in CLASSES]
    assert len(scopes) == len(set(scopes)), "two classes share one scope"


def test_every_action_has_a_unique_id_a_place_and_a_handler() -> None:
    ids = [a.id for a in every_action()]
    assert len(ids) == len(set(ids))
    in_places = {scope for scopes in PLACES.values() for scope in scopes}
    by_scope = {c.__dict__["BINDINGS"].scope: c for c in CLASSES}
    for entry in every_action():
        assert entry.scope in in_places or entry.scope in {"SearchInput"}, entry.id
        assert entry.label or not entry.show, entry.id
        assert normalise(entry.key) == entry.key, entry.id  # written as Textual names
        if entry.menu:
            continue
        cls = by_scope[entry.scope]
        namespace, name, _ = parse(entry.handler)
        if namespace == "app" or name in {"nothing", "quit", "dismiss", "focus_previous"}:
            continue
        assert hasattr(cls, f"action_{name}") or hasattr(cls, f"_action_{name}"), entry.id


def test_the_status_keys_name_the_statuses_the_lists_filter_on() -> None:
    from xoro_tui.data.refunds.refund_list import STATUSES as REFUNDS
    from xoro_tui.screens.customers.card_report import STATUSES as CARDS

    assert REFUND_STATUSES == REFUNDS
    assert CARD_STATUSES == CARDS
    assert [a.label for a in actions_of("RefundCentre") if a.id.startswith("refunds.status")] \
        == list(REFUNDS)  # fmt: skip


def test_a_menu_entry_takes_one_key_and_leaves_the_menu_its_own() -> None:
    check("customers.menu.merge", "w", {})
    for keys, said in (
        ("w,y", "A menu entry takes one key"),
        (
            "q",
            "q is kept by the menu (escape, ctrl+g, q, enter, up, down, home, end); "
            "choose another key",
        ),
        ("u", "u is already 'Batch Update' in Customer actions menu; choose another key"),
    ):
        try:
            check("customers.menu.merge", keys, {})
        except KeyRefused as exc:
            assert str(exc) == said
        else:
            raise AssertionError(f"{keys} accepted")
    # the row menu is another place: its keys do not clash with the actions menu's
    check("customers.row.open", "m", {})


def test_a_stored_key_map_keeps_only_what_still_holds() -> None:
    stored = {
        "customers.new": "g",
        "customers.actions": "g",  # the same key in the same place: one keeps it
        "list.refresh": "f6",
        "gone.action": "z",  # an action this version no longer has
        "table.choose": "o",  # Enter keeps its key
        "list.clear_filter": "no such key",
        "customers.menu.merge": "w",
    }
    kept = valid_keymap(stored)
    assert kept == {"customers.actions": "g", "list.refresh": "f6", "customers.menu.merge": "w"}
    # a swap made one step at a time is kept whole
    swapped = {"customers.new": "a", "customers.actions": "n"}
    assert valid_keymap(swapped) == swapped


KEYS = st.sampled_from(["a", "b", "g", "n", "s", "x", "C", "f6", "ctrl+k", "plus", "o"])
ACTIONS = st.sampled_from([a.id for a in remappable()])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(ACTIONS, KEYS), max_size=25))
def test_accepted_remaps_never_give_one_key_two_actions_in_a_place(
    asks: list[tuple[str, str]],
) -> None:
    keymap: dict[str, str] = {}
    for action_id, key in asks:
        try:
            check(action_id, key, keymap)
        except KeyRefused:
            continue
        keymap[action_id] = key
    for place, scopes in PLACES.items():
        held: dict[tuple[bool, str], str] = {}
        for scope in scopes:
            for entry in actions_of(scope):
                for key in split_keys(keys_now(entry, keymap)):
                    other = held.setdefault((entry.menu, key), entry.id)
                    if other != entry.id and entry.id in keymap:
                        raise AssertionError(f"{key} is {other} and {entry.id} in {place}")
    assert valid_keymap(keymap) == keymap
