"""The app's stylesheets (``.tcss``): colours and layout live here, not in Python strings."""

from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).parent


def stylesheet(name: str) -> str:
    """The text of ``styles/<name>``, for a class's ``DEFAULT_CSS``."""
    return (STYLES / name).read_text(encoding="utf-8")
