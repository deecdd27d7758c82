"""The shared dialogs' keys: help, settings and keys, import, printing, the unsaved-changes prompt."""

from __future__ import annotations

from xoro_tui.actions.action import Action as A
from xoro_tui.actions.action import in_scope

ACTIONS = (
    *in_scope(
        "HelpScreen",
        A("help.close", "escape,ctrl+g,q,question_mark", "dismiss", "Close"),
    ),
    *in_scope(
        "SettingsScreen",
        A("settings.save", "ctrl+s", "save", "Save"),
        A("settings.cancel", "escape,ctrl+g", "cancel", "Cancel"),
        A("settings.keys", "ctrl+k", "keys", "Keys", "Your own keys for every action"),
    ),
    *in_scope(
        "KeysDialog",
        A("keys.change", "enter", "change", "Change key", "Press the new key, or type its "
          "name", priority=True),
        A("keys.default", "ctrl+d", "default", "Default", "This action's default key again"),
        A("keys.reset", "ctrl+r", "reset_all", "Reset all", "Every key at its default again"),
        A("keys.close", "escape,ctrl+g", "close", "Close"),
    ),
    *in_scope(
        "ImportScreen",
        A("import.run", "ctrl+r", "run", "Import"),
        A("import.save", "ctrl+s", "save_mapping", "Save mapping"),
        A("import.reload", "ctrl+l", "reload", "Check again", show=False),
        A("import.cancel", "escape,ctrl+g", "cancel", "Cancel/Close"),
    ),
    *in_scope(
        "ImportFieldPicker",
        A("field_picker.close", "escape,ctrl+g", "close", "Cancel"),
    ),
    *in_scope(
        "NameDialog",
        A("name_dialog.close", "escape,ctrl+g", "close", "Cancel"),
    ),
    *in_scope(
        "PrintDialog",
        A("print.close", "escape,ctrl+g", "close", "Close"),
        # not ctrl+p: the app's command palette takes that key first (a priority binding)
        A("print.print", "ctrl+s", "print", "Print"),
    ),
    *in_scope(
        "InlineConfirm",
        A("confirm.back", "escape,ctrl+g", "answer(False)", show=False),
        A("confirm.save", "s", "choose('save')", "Save"),
        A("confirm.discard", "d", "choose('discard')", "Discard"),
        A("confirm.keep", "k", "choose('keep')", "Keep editing"),
        A("confirm.previous", "left", "other(-1)", show=False),
        A("confirm.next", "right", "other(1)", show=False),
    ),
)  # fmt: skip
