"""Checkboxes and radio buttons whose state shows in the glyph, not only in its colour.

Textual draws ``▐X▌`` and ``▐●▌`` for on and off alike and tells them apart by colour,
which a monochrome terminal, ``TERM=linux`` with few colours or the low-bandwidth theme
may not show. Here on and off are different characters: ``[x]``/``[ ]`` and ``(•)``/``( )``.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


def _glyph(widget: Checkbox | RadioButton, on: str, off: str, left: str, right: str) -> Content:
    style = widget.get_visual_style("toggle--button")
    return Content.assemble(left, (on if widget.value else off, style), right)


class Check(Checkbox):
    """``[x] label`` when on, ``[ ] label`` when off."""

    @property
    def _button(self) -> Content:
        return _glyph(self, "x", " ", "[", "]")


class Radio(RadioButton):
    """``(•) label`` when chosen, ``( ) label`` when not."""

    @property
    def _button(self) -> Content:
        return _glyph(self, "•", " ", "(", ")")
