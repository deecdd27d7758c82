"""Columns with a handful of values (a currency, a status, a payment method) reached by the
quick search without a text index.

The typed text is matched here against the few values the column can hold, and the list is
filtered on the values it matches with ``IN``, through the column's own index. Putting such
a column in the trigram index instead would add a row of index to every save and make every
search read it, for a column a filter on its values answers exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from xoro_tui.data.search.folding import fold


def values_named(term: str, values: Iterable[str]) -> list[str]:
    """The ``values`` the folded ``term`` names: the whole value or one of its words, in
    any case (``"eur"`` → ``["EUR"]``, ``"pending"`` → ``["Pending Approval"]``). A part
    of a word names nothing, so the letters typed on the way to another word (``"cas"``
    for ``"casey"``) do not bring in every refund paid in cash."""
    folded = " ".join(fold(term).split())
    if not folded:
        return []
    return [v for v, whole, words in _folded(tuple(values)) if folded == whole or folded in words]


@lru_cache(maxsize=64)
def _folded(values: tuple[str, ...]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Each value with its folded form and words, folded once: a search reads the same few
    lists (300 currencies) on every key typed."""
    return tuple((v, fold(v), tuple(fold(v).split())) for v in values)


def in_sql(expr: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """``expr IN (?, …)`` with the values bound; ``0`` (nothing) for no values."""
    if not values:
        return ("0", [])
    return (f"{expr} IN ({', '.join('?' * len(values))})", list(values))
