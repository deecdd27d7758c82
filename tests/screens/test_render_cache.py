"""A closed form's widgets and what they drew are freed (Textualize/textual#6665 worked
around in xoro_tui/terminal/render_cache.py): the heap does not grow with every form opened,
and a full garbage collection does not walk what closed screens left behind."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from textual._styles_cache import StylesCache

from tests.conftest import settle
from xoro_tui.app import XoroApp
from xoro_tui.screens.customers.customer_form import CustomerForm
from xoro_tui.terminal.render_cache import free_closed_widgets_render_caches


async def test_a_closed_forms_render_caches_are_freed(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        drawn: list[weakref.ref[StylesCache]] = []
        for _ in range(3):
            form = CustomerForm()
            app.push_screen(form)
            await settle(app, pilot)
            drawn += [weakref.ref(w._styles_cache) for w in form.walk_children(with_self=True)]
            app.pop_screen()
            await settle(app, pilot)
            del form
        gc.collect()
        alive = [ref for ref in drawn if ref() is not None]
        assert len(drawn) > 600
        assert alive == []


def test_the_backgrounds_are_those_textual_computes() -> None:
    """The colours alone decide the inner and outer backgrounds, as in Textual's method."""
    from textual.color import Color

    free_closed_widgets_render_caches()
    base, over = Color(18, 18, 18), Color(36, 47, 56, 0.5)
    inner, outer = StylesCache().get_inner_outer(base, over)
    assert inner.background == base + over
    assert outer.background == base
