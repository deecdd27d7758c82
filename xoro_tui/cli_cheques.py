"""``xoro-tui cheques``: print a refund account's cheque register, or (admin) start a new book,
set the account's cheque layout (stock, paper, field offsets in mm), or write an alignment
test page to print on blank paper.

Self-contained: :func:`add_parser` adds the subcommand and :func:`run` carries it out, so
``cli.py`` registers it in two lines.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from xoro_tui.cli_types import database_file, existing_db

#: the widest a payee or reason cell gets in the printout
WIDE = 28


def add_parser(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    cheques = sub.add_parser(
        "cheques",
        help="a refund account's cheque register; --start N (admin) starts a new book",
        description="Print a refund account's cheque register (number, refund, payee, amount, "
        "status, date, who), or, as an admin, start a new book at N, above every number used "
        "so far (the numbers it skips are recorded as skipped).",
    )
    cheques.add_argument("--account", required=True, help="the refund account's name")
    cheques.add_argument("--start", type=_number, help="start a new book at this number (admin)")
    cheques.add_argument("--reason", help="why the new book starts (recorded with it)")
    cheques.add_argument("--layout", choices=["top", "middle", "bottom", "wallet"],
                         help="the cheque stock: voucher cheque on top, middle or bottom of the "
                         "page, or wallet cheques (admin)")  # fmt: skip
    cheques.add_argument("--page-size", choices=["Letter", "A4", "as-printed"],
                         help="the stock's paper (admin; as-printed: the settings' page size)")  # fmt: skip
    cheques.add_argument("--offset", action="append", metavar="FIELD=RIGHT,DOWN",
                         help="move a field by so many mm (negative: left or up); FIELD is one "
                         "of number, date, payee, amount, words, address, memo, signature; "
                         "=0,0 puts it back (admin)")  # fmt: skip
    cheques.add_argument("--alignment", action="store_true",
                         help="write an alignment test page with sample values, to print on "
                         "blank paper and hold over the stock")  # fmt: skip
    cheques.add_argument("--out", type=Path, help="where --alignment writes its PDF")
    cheques.add_argument("--db", type=database_file, dest="cmd_db")


def _number(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("a cheque number is 1 or more")
    return value


def _cell(text: str, width: int) -> str:
    from xoro_tui.widgets.safe_text import plain

    shown = plain(text)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def format_register(rows: list[tuple[str, ...]]) -> list[str]:
    """The register as aligned text columns (user text made safe for a terminal)."""
    from xoro_tui.data.refunds.cheque_register import COLUMNS

    cells = [list(COLUMNS)] + [
        [_cell(value, WIDE if i in (2, 7) else 40) for i, value in enumerate(row)] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    right = {0, 3}
    return [
        "  ".join(
            (c.rjust(w) if i in right else c.ljust(w))
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in cells
    ]


def run(args: argparse.Namespace) -> int:
    from xoro_tui.data.refunds import cheque_register
    from xoro_tui.data.refunds.cheque_desk import ChequeDesk

    db = existing_db(args)
    desk = ChequeDesk(db)
    account = cheque_register.account_name(db.conn, args.account)
    if args.layout or args.page_size or args.offset:
        return _set_layout(db, account, args)
    if args.alignment:
        return _alignment(db, account, args)
    if args.start is not None:
        book = desk.start_book(account, args.start, args.reason)
        skipped = ""
        if book.skipped_from is not None:
            skipped = f"; {book.skipped_from}-{book.start - 1} recorded as skipped"
        print(f"{account}: new cheque book from {book.start}{skipped}")
        return 0
    print(f"Cheque register of {_cell(account, 255)}")
    for line in cheque_register.summary(db.conn, account):
        print(_cell(line, 400))
    rows = cheque_register.display_rows(db.conn, account)
    if not rows:
        print("No cheques yet.")
    else:
        print()
        for line in format_register(rows):
            print(line)
    return 0


def _set_layout(db, account: str, args: argparse.Namespace) -> int:  # noqa: ANN001
    from dataclasses import replace

    from xoro_tui.data.refunds import cheque_layouts

    layout = cheque_layouts.get(db.conn, account)
    offsets = dict(layout.offsets)
    for text in args.offset or []:
        name, moved = cheque_layouts.parse_offset(text)
        offsets[name] = moved
    page = layout.page_size
    if args.page_size:
        page = None if args.page_size == "as-printed" else args.page_size
    wanted = replace(layout, stock=args.layout or layout.stock, page_size=page, offsets=offsets)
    saved = cheque_layouts.save(db, wanted)
    print(f"{_cell(account, 255)}: {_cell(cheque_layouts.describe(saved), 400)}")
    return 0


def _alignment(db, account: str, args: argparse.Namespace) -> int:  # noqa: ANN001
    import datetime as dt

    from xoro_tui.data.refunds import cheque_layouts
    from xoro_tui.documents.cheque import write_alignment
    from xoro_tui.documents.print_data import default_path

    layout = cheque_layouts.get(db.conn, account)
    out = args.out or default_path("cheque-alignment", f"{account}-{dt.date.today().isoformat()}")
    path = write_alignment([layout], out, layout.page_size or "Letter")
    print(path)
    return 0
