"""The shortest SGR sequence that turns one style into another.

Textual writes every run of text as a reset and its whole style (``ESC[0m ESC[1;38;5;214;
48;5;17m``); between two runs that share a background that is two dozen bytes where a
dozen say the same (``ESC[22;38;5;253m``). A key bar of a dozen keys sends two runs a key.
"""

from __future__ import annotations

from functools import lru_cache

#: what turns an attribute off, by the attribute's slot
_OFF = {
    "weight": "22",
    "italic": "23",
    "underline": "24",
    "blink": "25",
    "reverse": "27",
    "conceal": "28",
    "strike": "29",
    "fg": "39",
    "bg": "49",
    "overline": "55",
}
_SLOTS = {
    "1": "weight", "2": "weight", "3": "italic", "4": "underline", "5": "blink",
    "6": "blink", "7": "reverse", "8": "conceal", "9": "strike", "53": "overline",
}  # fmt: skip
_COLOUR = {"38": "fg", "48": "bg"}


class _Unknown(ValueError):
    pass


def attributes(style: str) -> dict[str, str]:
    """The attribute slots (``fg``, ``bg``, ``weight``, ``reverse`` …) ``style`` sets, each
    with its parameters; ValueError for a style this module does not follow."""
    return _attributes(style)


def _attributes(style: str) -> dict[str, str]:
    """The slots a style sets, each with the parameters that set it."""
    slots: dict[str, str] = {}
    for sequence in style.split("\x1b[")[1:]:
        if not sequence.endswith("m") or ":" in sequence:
            raise _Unknown
        params = sequence[:-1].split(";") if sequence[:-1] else ["0"]
        index = 0
        while index < len(params):
            code = params[index] or "0"
            if code == "0":
                slots.clear()
            elif code in _SLOTS:
                slot = _SLOTS[code]
                if slot == "weight" and slots.get(slot) not in (None, code):
                    raise _Unknown  # bold and faint at once: kept as written
                slots[slot] = code
            elif code in _COLOUR:
                kind = params[index + 1] if index + 1 < len(params) else ""
                width = {"5": 2, "2": 4}.get(kind)
                if width is None or index + width >= len(params):
                    raise _Unknown
                slots[_COLOUR[code]] = ";".join(params[index : index + width + 1])
                index += width
            elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
                slots["fg"] = code
            elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
                slots["bg"] = code
            elif code in ("39", "49"):
                slots.pop("fg" if code == "39" else "bg", None)
            else:
                raise _Unknown
            index += 1
    return slots


@lru_cache(maxsize=4096)
def change(before: str, after: str) -> str:
    """SGR that shows ``after`` where ``before`` is set (both as written since a reset;
    "" is the default style)."""
    if not before:
        return after
    if not after:
        return "\x1b[0m"
    try:
        old, new = _attributes(before), _attributes(after)
    except _Unknown:
        return "\x1b[0m" + after
    codes = [_OFF[slot] for slot in old if slot not in new]
    codes += [value for slot, value in new.items() if old.get(slot) != value]
    if not codes:
        return ""
    shorter = "\x1b[" + ";".join(codes) + "m"
    whole = "\x1b[0m" + after
    return shorter if len(shorter) < len(whole) else whole
