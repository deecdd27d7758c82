"""``xoro-tui export customers|refunds|cards``: a table or a saved view to a file.

Without ``--view`` every field is written under the import's header names (a CSV export
imports again unchanged); with ``--view NAME`` (or ``OWNER/NAME``) the view's visible
columns, titles, filter, sort and "then by". ``--search`` applies the quick search (Any
Field).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from xoro_tui.data.search.list_query import Filter, ListSpec
from xoro_tui.data.store.clock import today
from xoro_tui.data.store.connection import database_file
from xoro_tui.data.store.errors import NotFound, Refused
from xoro_tui.documents import export_sources as sources
from xoro_tui.documents.exports import check_size, default_file_name, export_rows

TITLES = {"customers": "Customers", "refunds": "Customer refunds", "cards": "Saved cards"}
#: exports at least this long show a progress bar on stderr
PROGRESS_FROM_ROWS = 50_000


def _search_fields(what: str) -> dict[str, str]:
    from xoro_tui.data.customers import card_list as card_report
    from xoro_tui.data.customers import customer_list
    from xoro_tui.data.refunds import refund_list

    if what == "cards":
        return card_report.SEARCH_FIELDS
    return refund_list.SEARCH_FIELDS if what == "refunds" else customer_list.SEARCH_FIELDS


def _view_spec(db: Any, what: str, name: str) -> tuple[ListSpec, Filter, Any, Any, list[str]]:
    """The list of ``what`` as the saved view ``name`` (or ``owner/name``) shows it: its
    spec, filter, sort, "then by" and columns."""
    from xoro_tui.data.customers.customer_list import customer_spec
    from xoro_tui.data.refunds.refund_list import refund_spec
    from xoro_tui.data.store.ui_settings import SettingsRepository

    if what not in ("customers", "refunds"):
        raise Refused("--view applies to customers and refunds; cards have no saved views")
    repo = SettingsRepository(db)
    try:
        view = repo.load_view(what, name)
    except NotFound:
        owner, _, own_name = name.partition("/")
        if not (owner and own_name):
            raise NotFound(f"no saved {what} view named {name!r} for {repo.user}") from None
        try:
            view = repo.load_view(what, own_name, owner)
        except NotFound:
            raise NotFound(f"no saved {what} view named {own_name!r} for {owner}") from None
    spec = customer_spec("active") if what == "customers" else refund_spec()
    flt, sort, then_by, columns = sources.view_parts(spec, view)
    if not columns:
        raise Refused(f"the view {name!r} shows none of the {what} columns")
    return spec, flt, sort, then_by, columns


def _target(out: Path, what: str, filter_text: str, fmt: str) -> Path:
    out = out.expanduser()
    if out.is_dir():
        return out / default_file_name(what, filter_text, fmt, today())
    if not out.parent.is_dir():
        raise Refused(f"no folder {out.parent} to write {out.name} into (check the path)")
    return out


def run_export(db: Any, args: argparse.Namespace) -> int:
    """Write the export, print ``PATH: N rows`` on stdout; errors raise a DataError (one line)."""
    what, fmt = args.what, args.format
    search = (args.search or "").strip()
    then_by = None
    if args.view:
        spec, flt, sort, then_by, columns = _view_spec(db, what, args.view)
        titles = True
        if search:
            flt = dataclasses.replace(flt, search=search, search_field="any")
        title = f'{TITLES[what]}, view "{args.view}"'
    else:
        spec, sort, columns = sources.import_spec(what)
        flt = Filter(search=search)
        titles = False
        title = TITLES[what]
    filter_text = sources.describe_filter(spec, flt, _search_fields(what))
    total = sources.export_count(db, spec, flt)
    check_size(fmt, total, len(columns))
    target = _target(Path(args.out), what, search or (args.view or ""), fmt)
    header, rows, kinds = sources.list_export(
        db, spec, flt, sort, columns, titles=titles, csv_cells=fmt == "csv", then_by=then_by
    )
    bar = None
    if total >= PROGRESS_FROM_ROWS:
        from xoro_tui.progress import StderrProgress

        bar = StderrProgress()
    try:
        result = export_rows(
            header,
            rows,
            kinds,
            target,
            fmt,
            title=title,
            filter_text=filter_text,
            delimiter=args.delimiter,
            total=total,
            progress=(lambda done, of: bar("exporting", done, of)) if bar else None,
            like=database_file(db),
        )
    finally:
        if bar is not None:
            bar.done()
    noun = what if result.rows != 1 else what.rstrip("s")
    print(f"{result.path}: {result.rows:,} {noun} in {result.seconds:.1f} s")
    for warning in result.warnings:
        print(f"xoro-tui: warning: {warning}", file=sys.stderr)
    sys.stdout.flush()
    return 0
