"""A closed screen's widgets are freed with their rendered lines.

Textual caches ``StylesCache.get_inner_outer`` with ``functools.lru_cache`` on the method,
so the cache's keys hold the ``StylesCache`` itself: the render caches (every line each
widget drew) of the last 1,024 widgets ever drawn stay alive after their screens close
(Textualize/textual#6665, open). Each customer form opened and closed left about 2,500
objects behind; over a session they fill the heap, and every full garbage collection
walks them: a pause of a third of a second at 350,000 objects, taken on whatever key the
user pressed when it fell.

The two colours alone decide the answer, so they alone are the cache's key here.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return (Style(background=base_background + background), Style(background=base_background))


def _get_inner_outer(
    _cache: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    """What Textual's method returns, without keeping ``_cache`` alive."""
    return _inner_outer(base_background, background)


def free_closed_widgets_render_caches() -> None:
    """Key Textual's inner/outer background cache by colour only (idempotent)."""
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
