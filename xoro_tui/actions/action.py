"""One action: what the user sees of it (label, key, description) and what it runs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding

#: keys no action can be moved to, and whose actions keep them: leaving a dialog (escape,
#: ctrl+g), quitting (ctrl+q, ctrl+c), help from anywhere (f1, ctrl+o), the command palette
#: (ctrl+p), choosing and moving (enter, tab, shift+tab, the arrows, page keys, home, end)
#: and editing text (backspace)
RESERVED_KEYS = frozenset(
    {
        "escape", "ctrl+g", "ctrl+q", "ctrl+c", "f1", "ctrl+o", "ctrl+p", "enter", "tab",
        "shift+tab", "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
        "backspace",
    }
)  # fmt: skip


def split_keys(keys: str) -> list[str]:
    """``"r,f5"`` -> ``["r", "f5"]``."""
    return [k.strip() for k in keys.split(",") if k.strip()]


@dataclass(frozen=True)
class Action:
    """``id`` is the binding id (``scope-ish.name``); ``handler`` is the Textual action the
    key runs on the scope's class (``"create('invoice')"``), or for a menu entry the id
    the menu hands back. ``scope`` names where it applies: a screen or widget class
    (``"CustomerCentre"``) or one of its menus (``"CustomerCentre.actions_menu"``)."""

    id: str
    key: str
    handler: str
    label: str = ""
    description: str = ""
    scope: str = ""
    show: bool = True
    priority: bool = False
    #: its title in the command palette ("" : not offered there)
    command: str = ""
    #: an entry of a menu (its key picks it while the menu is open), not a key binding
    menu: bool = False
    #: keeps its key whatever the user asks (set for keys that only shadow others)
    fixed: bool = False

    @property
    def keys(self) -> list[str]:
        return split_keys(self.key)

    @property
    def remappable(self) -> bool:
        """A user may give it other keys: it has a name, and no key of it is reserved."""
        return bool(self.label) and not self.fixed and not RESERVED_KEYS & set(self.keys)

    @property
    def about(self) -> str:
        """One line on what it does: the description, else the label."""
        return self.description or self.label or self.handler

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.handler,
            self.label,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


def in_scope(scope: str, *actions: Action) -> tuple[Action, ...]:
    """The actions, each placed in ``scope``."""
    return tuple(replace(a, scope=scope) for a in actions)


def menu_entry(id: str, key: str, label: str, description: str = "") -> Action:  # noqa: A002
    """An entry of a menu: ``id`` is the registry's (``"customers.menu.merge"``), its last
    part is what the menu hands back."""
    return Action(
        id, key, id.rsplit(".", 1)[-1], label, description=description, menu=True, show=False
    )
