"""Settle the terminal mode before anything imports Textual."""

from __future__ import annotations

import os
import sys

from xoro_tui import settings_env

#: frames a second at most: Textual paints what changed at its next frame, so at its own
#: 60 an answer that came 2 ms after the echo of a key waited up to 17 ms more to be seen.
#: Nothing here animates, so a higher cap paints no more frames, only sooner.
FRAMES_PER_SECOND = "120"


def settle_terminal_mode(*, low_bandwidth: bool) -> None:
    """Textual reads ``ESCDELAY`` and ``TEXTUAL_FPS`` once at import: raise the first on
    slow links so a split escape sequence is not read as a lone Escape, and the second
    so an answer is painted as soon as it is there."""
    if "textual" in sys.modules:
        return
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    if low_bandwidth:
        os.environ.setdefault("ESCDELAY", "400")
        settings_env.put("LOW_BANDWIDTH", "1")
