"""Closing a form never loses input unasked.

:class:`UnsavedGuard` is mixed into a modal form (before ``ModalScreen``). The form calls
:meth:`~UnsavedGuard.mark_unchanged` once its fields are filled and
:meth:`~UnsavedGuard.ask_before_closing` from its Escape / ctrl+g action:

- nothing changed: the form closes at once;
- something changed: its :class:`InlineConfirm` asks Save (s) / Discard (d) / Keep editing
  (k, Escape). Save runs the form's own save (which keeps the form open, errors shown,
  when the input is not valid); Discard closes the form and drops any draft of it.

A draft is kept only when the form closes without a choice: the app calls
:meth:`~UnsavedGuard.keep_draft` of every open form when the terminal goes (see
``XoroApp.hang_up``). A form with a ``draft_form`` name offers it back the next time it
opens (:meth:`~UnsavedGuard.restore_draft`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, cast

from textual.screen import Screen
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, TextArea

from xoro_tui.data.store.drafts import DraftRepository
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm


def widget_values(screen: Screen) -> dict[str, object]:
    """Every editable widget's value by its id (a blank Select is None)."""
    out: dict[str, object] = {}
    for widget in screen.query("Input, Select, Checkbox, RadioSet, TextArea"):
        if not widget.id:
            continue
        if isinstance(widget, Input):
            out[widget.id] = widget.value
        elif isinstance(widget, Select):
            out[widget.id] = None if widget.is_blank() else widget.value
        elif isinstance(widget, Checkbox):
            out[widget.id] = widget.value
        elif isinstance(widget, RadioSet):
            out[widget.id] = widget.pressed_index
        elif isinstance(widget, TextArea):
            out[widget.id] = widget.text
    return out


def fill_widgets(screen: Screen, values: Mapping[str, Any]) -> None:
    """Put values read by :func:`widget_values` back (ids the form no longer has are skipped)."""
    for key, value in values.items():
        found = screen.query(f"#{key}") if key.replace("-", "_").isidentifier() else None
        if not found:
            continue
        widget = found.first()
        if isinstance(widget, Input) and isinstance(value, str):
            widget.value = value
        elif isinstance(widget, Select):
            options = {v for _, v in widget._options}  # noqa: SLF001 - no public list of values
            if value is None:
                widget.clear()
            elif value in options:
                widget.value = value
        elif isinstance(widget, Checkbox) and isinstance(value, bool):
            widget.value = value
        elif isinstance(widget, RadioSet) and isinstance(value, int):
            buttons = list(widget.query(RadioButton))
            if 0 <= value < len(buttons):
                buttons[value].value = True
        elif isinstance(widget, TextArea) and isinstance(value, str):
            widget.text = value


class UnsavedGuard:
    """Ask before throwing a form's changes away; keep a draft only on a hang-up."""

    #: the form's name in the drafts table; None: it keeps no draft
    draft_form: ClassVar[str | None] = None
    _unchanged: dict[str, object] | None = None

    # -- what a form may override
    def form_values(self) -> dict[str, object]:
        """The input as it is now (JSON-able: it is what a draft keeps)."""
        return widget_values(self)  # type: ignore[arg-type]

    def apply_draft(self, values: Mapping[str, Any]) -> None:
        fill_widgets(self, values)  # type: ignore[arg-type]

    def draft_key(self) -> str:
        """Which record the form is about (a new one: ``new``)."""
        return "new"

    def save_from_prompt(self) -> None:
        """The prompt's Save: the form's own save."""
        getattr(self, "action_save")()  # noqa: B009 - every form has one; a mixin cannot say so

    def close_discarded(self) -> None:
        """Close without saving (the prompt's Discard, or Escape on an unchanged form)."""
        cast("Screen[Any]", self).dismiss(None)

    # -- state
    def mark_unchanged(self) -> None:
        """The input now is what "no changes" means (call once the fields are filled)."""
        self._unchanged = self.form_values()

    @property
    def has_unsaved_changes(self) -> bool:
        return self._unchanged is not None and self.form_values() != self._unchanged

    @property
    def unsaved_prompt(self) -> InlineConfirm:
        return cast("Screen[Any]", self).query_one(InlineConfirm)

    # -- closing
    def ask_before_closing(
        self,
        go: Callable[[], object] | None = None,
        on_save: Callable[[], object] | None = None,
    ) -> None:
        """Escape / ctrl+g: close at once when nothing changed, else ask Save / Discard /
        Keep editing. ``go`` is what Discard does (default: close); ``on_save`` what Save
        does (default: the form's save). Asked again while the prompt is open, it means
        keep editing."""
        prompt = self.unsaved_prompt
        if prompt.is_open:
            prompt.action_answer(False)
            return
        leave = go or self.close_discarded
        if not self.has_unsaved_changes:
            leave()
            return

        def discard() -> None:
            self.discard_draft()
            leave()

        prompt.ask_unsaved(on_save or self.save_from_prompt, discard)

    # -- drafts
    def _drafts(self) -> DraftRepository:
        return DraftRepository(xoro_app(cast("Screen[Any]", self)).db)

    def keep_draft(self) -> None:
        """Called when the terminal goes (no choice was made): keep what was typed."""
        if self.draft_form and self.has_unsaved_changes:
            self._drafts().save(self.draft_form, self.draft_key(), self.form_values())

    def restore_draft(self) -> str | None:
        """Put a kept draft back into the fields (it is taken out of the drafts table: a
        next hang-up keeps a new one); the time it was kept, or None."""
        if not self.draft_form:
            return None
        drafts = self._drafts()
        found = drafts.get(self.draft_form, self.draft_key())
        if not found:
            return None
        values, when = found
        self.apply_draft(values)
        drafts.discard(self.draft_form, self.draft_key())
        return when

    def discard_draft(self) -> None:
        if self.draft_form:
            self._drafts().discard(self.draft_form, self.draft_key())


def restored_message(when: str) -> str:
    """What a form says after putting a draft back."""
    return (
        f"Restored the input you had on {when[:16].replace('T', ' ')} when the link dropped; "
        "it is not saved yet"
    )
