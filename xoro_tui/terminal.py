"""Settle the terminal mode before anything imports Textual."""

from __future__ import annotations

import os
import sys


def settle_terminal_mode(*, low_bandwidth: bool) -> None:
    """Textual reads ``ESCDELAY`` once at import: raise it on slow links so a split escape
    sequence is not read as a lone Escape."""
    if "textual" in sys.modules:
        return
    if low_bandwidth:
        os.environ.setdefault("ESCDELAY", "400")
        os.environ["XORO_TUI_LOW_BANDWIDTH"] = "1"
