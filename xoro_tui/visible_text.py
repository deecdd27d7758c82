"""Stored text made visible as text: control characters become placeholders.

Pure Python with no dependency, so the command line (even a child that has dropped its
rights and cannot import more) prints stored data the way the screens show it. The
widgets' :func:`xoro_tui.widgets.safe_text.safe_text` builds on :func:`plain`; the
placeholders are listed there.
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"
"""Placeholder for characters with no dedicated control picture."""


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    bad = [
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
        0x2028,
        0x2029,
        *range(0xD800, 0xE000),
    ]
    table.update(dict.fromkeys(bad, REPLACEMENT))
    return table


_TABLE = _build_table()


def plain(value: object) -> str:
    """Return ``value`` as a one-line string with control characters made visible.

    ``None`` becomes the empty string; bytes are decoded as UTF-8 with replacement.
    """
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", errors="replace")
    elif hasattr(value, "plain") and isinstance(value.plain, str):  # a rich Text
        text = value.plain
    else:
        text = value if isinstance(value, str) else str(value)
    return text.translate(_TABLE)
