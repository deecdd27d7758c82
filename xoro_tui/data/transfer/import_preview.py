"""What an import would do, before anything is written: the Import screen's preview.

It reads the file with the import's own readers, maps its columns with the import's own
matching (presets and ``--map`` text included) and checks every row with the import's
own validation (:func:`xoro_tui.data.transfer.importer.prepare`): the preview and the
import cannot disagree about a header or a row. Checks that need the database (a
customer that does not exist, a source document not found) are the import's, when it
runs; an import with errors writes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xoro_tui.data.models import money
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.transfer import importer, mapping, sheets
from xoro_tui.data.transfer.importer import ImportOptions, Problem, Watch

#: rows of the file shown as they would be imported
SAMPLE_ROWS = 8


@dataclass
class Preview:
    kind: str
    file_kind: str
    headers: list[str]
    #: per header: a field, a preset's role (``:bill_block``) or None (ignored)
    targets: list[str | None]
    #: the fields the import writes, in order, and the first rows as those fields
    fields: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: the file's first data rows as read (for the mapping's "first value")
    samples: list[list[str]] = field(default_factory=list)
    #: every row's problems, as the import words them
    problems: list[Problem] = field(default_factory=list)
    #: why the import would be refused as a whole (a missing required column, a column
    #: given twice); None when it can run
    refusal: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: data rows checked (the whole file)
    checked: int = 0
    #: index in ``rows`` → that row's first error (the row is not imported)
    row_errors: dict[int, str] = field(default_factory=dict)

    @property
    def problem_lines(self) -> list[str]:
        return [importer.format_problem(p) for p in self.problems]


def spec_of(kind: str) -> Any:
    if kind not in ("customers", "refunds"):
        raise Refused(f"import customers or refunds, not {kind!r}")
    return importer.CUSTOMERS if kind == "customers" else importer.REFUNDS


def fields_of(kind: str) -> tuple[str, ...]:
    """The fields a column of a ``kind`` file may give."""
    return tuple(spec_of(kind).allowed)


def required_of(kind: str) -> tuple[str, ...]:
    return tuple(spec_of(kind).required)


def labels_of(kind: str) -> dict[str, str]:
    return importer._labels(kind)  # noqa: SLF001 - the import's own labels, shared


def preview(
    path: Path | str,
    kind: str,
    options: ImportOptions | None = None,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Preview:
    """The guessed (or given) mapping of ``path``, its first rows as they would be imported
    and every row's problems. Raises Refused when the file cannot be read at all, and
    :class:`importer.ImportCancelled` when ``cancelled()`` turns true."""
    options = options or ImportOptions()
    spec = spec_of(kind)
    table = sheets.read_table(path, options.sheet)
    try:
        samples = list(itertools.islice(table.rows, SAMPLE_ROWS))
        targets = mapping.guess_targets(
            table.headers,
            allowed=spec.allowed,
            labels=labels_of(kind),
            preset=options.preset,
            user_map=options.column_map,
        )
        out = Preview(kind, table.kind, table.headers, targets, samples=samples)
        counted = _Counter(itertools.chain(samples, table.rows))
        try:
            ready = importer.prepare(
                table.headers, counted, spec, options, Watch(cancelled=cancelled)
            )
        except Refused as exc:
            out.refusal = str(exc)
            _show_unchecked(out, table.headers, samples, spec, options)
            out.warnings[:0] = table.warnings
            return out
        out.checked = counted.count
        out.fields = ready.headers
        out.problems = ready.problems
        out.warnings = [
            *table.warnings,
            *ready.mapped.warnings,
            *(importer.format_problem(w) for w in ready.masked),
        ]
        _rows_with_errors(out, ready)
        return out
    finally:
        table.rows.close()


class _Counter:
    """Counts the rows an iterator hands out (the rows checked)."""

    def __init__(self, rows: Any) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> list[str]:
        row = next(self.rows)
        self.count += 1
        return row


def _show_unchecked(
    out: Preview, headers: list[str], samples: list[list[str]], spec: Any, options: ImportOptions
) -> None:
    """The first rows as mapped, when the header refuses the import (nothing to check)."""
    try:
        mapped = mapping.map_columns(
            headers, iter(samples), allowed=spec.allowed, labels=labels_of(spec.kind),
            preset=options.preset, user_map=options.column_map,
        )  # fmt: skip
    except Refused:
        return
    out.fields = mapped.fields
    out.warnings = mapped.warnings
    out.rows = [list(r) for r in mapped.rows][:SAMPLE_ROWS]


def _rows_with_errors(out: Preview, ready: importer.Prepared) -> None:
    """The first rows in file order; a row with errors shows its first error instead."""
    first_error: dict[int, str] = {}
    for problem in ready.problems:
        first_error.setdefault(problem[0], importer.format_problem(problem))
    good = {n: _as_cells(m, ready.headers) for n, m in ready.valid if n <= SAMPLE_ROWS}
    out.row_errors = {}
    rows: list[list[str]] = []
    for number in range(1, min(SAMPLE_ROWS, out.checked) + 1):
        if number in good:
            rows.append(good[number])
        elif number in first_error:
            out.row_errors[len(rows)] = first_error[number]
            rows.append([""] * len(ready.headers))
    out.rows = rows


def _as_cells(model: Any, fields: list[str]) -> list[str]:
    """A validated row as text, field by field (what will be stored)."""
    cells: list[str] = []
    for name in fields:
        value = getattr(model, name, None)
        if name == "amount" and isinstance(value, int):
            cells.append(money.plain(value, getattr(model, "currency", "USD")))
        elif value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("yes" if value else "no")
        elif isinstance(value, list | tuple):
            cells.append(" | ".join(str(v) for v in value))
        elif hasattr(value, "value"):
            cells.append(str(value.value))
        elif hasattr(value, "isoformat"):
            cells.append(value.isoformat())
        else:
            cells.append(str(value))
    return cells
