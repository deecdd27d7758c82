"""Case- and accent-folding for search: the same function folds the index and the query."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(value: object) -> str:
    """Lower-case, accent-free text: ``"Zoë Ångström"`` becomes ``"zoe angstrom"``."""
    if value is None:
        return ""
    return _fold(str(value))


@lru_cache(maxsize=4096)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return " ".join(_fold_word(w) for w in text.split(" "))
