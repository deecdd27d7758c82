"""Importing customers and refunds from CSV: validate every row, then upsert in one transaction.

Every row is checked by the model the forms use before the write lock is taken. The
writing (lookup creation, the insert-or-update decision, the checks that need the
database, the audit rows) happens in one ``BEGIN IMMEDIATE`` transaction with a
savepoint per row, so two imports of the same new records simply run one after the
other. Any error means nothing is imported, unless ``skip_invalid``: then the good
rows are imported and the bad ones are listed with their reasons.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils
from pydantic import BaseModel, ValidationError

from xoro_tui.data.customers import lookups
from xoro_tui.data.customers.customer_repo import reserved_reason
from xoro_tui.data.customers.customer_writes import (
    COLUMN_FIELDS,
    set_default_site,
    set_multi,
    snapshot,
)
from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import (
    CUSTOMER_FIELDS,
    CUSTOMER_LOOKUP_FIELDS,
    CUSTOMER_MULTI_FIELDS,
    REFUND_REQUIRED_HEADERS,
    SHIP_TO_FIELDS,
    CustomerIn,
    RefundIn,
    errors_by_field,
)
from xoro_tui.data.models.validators import CARD_EXEMPT_FIELDS, mask_card_numbers
from xoro_tui.data.refunds import policy, refund_writes
from xoro_tui.data.search import index_upkeep, search_sync
from xoro_tui.data.store import audit, clock, sequences
from xoro_tui.data.store.clock import now_iso
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import DatabaseOpenError, Invalid, Refused, StorageError
from xoro_tui.data.store.rows import inserted_id
from xoro_tui.data.store.users import UserRepository
from xoro_tui.data.transfer import csv_format, mapping, sheets

#: (row number counted from 1 over the data rows, column header, reason)
Problem = tuple[int, str, str]
REFUND_OPTIONAL_HEADERS = (
    "void_reason",
    "created_by",
    "approved_by",
    "source_document",
    "reference",
)
_COUNTERS = {"insert": "inserted", "update": "updated", "unchanged": "unchanged"}
#: columns a card number is never masked in: keys, numbers, dates, fixed lists, and the
#: free text whose own format allows long digit runs (see CARD_EXEMPT_FIELDS)
_NOT_MASKED = CARD_EXEMPT_FIELDS | {
    "account_number", "refund_number", "customer_account_number", "amount", "currency",
    "cheque_number", "refund_date", "mandate_date", "status", "payment_method",
}  # fmt: skip


#: a row without a number gets the next free one when written (``--number-new``, refunds)
NEW_NUMBER = "(new)"
#: the same error on more rows than this is summarised in one line
SUMMARY_FROM = 5


@dataclass(frozen=True)
class ImportOptions:
    """How to read the file (see :mod:`xoro_tui.data.transfer.mapping`)."""

    sheet: str | None = None
    preset: str | None = None
    column_map: str | None = None
    #: customers without an account number get the next free ones
    number_new: bool = False
    #: refunds whose source document is not in the database are imported without it
    without_sources: bool = False


def format_problem(problem: Problem) -> str:
    row, column, reason = problem
    return f"row {row}, column {column}: {reason}" if column else f"row {row}: {reason}"


@dataclass
class ImportReport:
    """What an import did. A non-empty ``errors`` means nothing was imported."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    #: things the user should know that did not stop the import: ignored columns, card
    #: numbers masked (``row N, column C: …``)
    warnings: list[str] = field(default_factory=list)
    #: refunds imported without their source document (``without_sources``)
    without_source: int = 0
    #: what a row's error was about (``RF-000001 → DEP-000001``), for the summary line
    details: dict[int, str] = field(default_factory=dict)
    #: the user cancelled: nothing was imported
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def format_errors(self) -> list[str]:
        """``row N, column C: reason`` for each error; the same error on many rows once."""
        return summarise(self.errors, self.details)

    def format_skipped(self) -> list[str]:
        return summarise(self.skipped, self.details)

    def format_warnings(self) -> list[str]:
        return list(self.warnings)


def summarise(problems: Sequence[Problem], details: dict[int, str] | None = None) -> list[str]:
    """One line per problem, except that a column's same reason on more than
    ``SUMMARY_FROM`` rows becomes ``17,911 rows: source_document not found (first: …)``."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        reason = problem[2]
        head = reason.split(" (", 1)[0] if reason.endswith(")") else reason
        groups.setdefault((problem[1], head), []).append(problem)
    out: list[str] = []
    done: set[tuple[str, str]] = set()
    for problem in problems:
        reason = problem[2]
        key = (problem[1], reason.split(" (", 1)[0] if reason.endswith(")") else reason)
        group = groups[key]
        if len(group) <= SUMMARY_FROM:
            out.append(format_problem(problem))
        elif key not in done:
            done.add(key)
            first = group[0]
            detail = (details or {}).get(first[0]) or first[2][len(key[1]) :].strip(" ()")
            where = detail or f"row {first[0]}"
            column = f"{key[0]} " if key[0] else ""
            hint = ""
            if "source_document" in key[0] and key[1] == "not found":
                hint = "; import them without their source with --without-sources"
            out.append(f"{len(group):,} rows: {column}{key[1]} (first: {where}){hint}")
    return out


class _Writer(Protocol):
    def write(self, conn: sqlite3.Connection, model: Any) -> str:
        """Write one validated row; ``insert``, ``update`` or ``unchanged``."""

    def forget_row(self) -> None:
        """The row's savepoint was rolled back: drop anything cached while writing it."""

    def finish(self, conn: sqlite3.Connection) -> None:
        """After the last row, still inside the transaction."""


@dataclass(frozen=True)
class _Spec:
    kind: str
    model: type[BaseModel]
    required: tuple[str, ...]
    allowed: tuple[str, ...]


#: only the columns a record cannot exist without: a customer's name and account number
#: (or ``number_new``); a refund's customer, date, amount, currency and payment method
CUSTOMERS = _Spec("customers", CustomerIn, ("account_number", "name"), CUSTOMER_FIELDS)
REFUNDS = _Spec(
    "refunds",
    RefundIn,
    ("customer_account_number", "refund_date", "amount", "currency", "payment_method"),
    REFUND_REQUIRED_HEADERS + REFUND_OPTIONAL_HEADERS,
)
#: what a new record gets for a column the file does not have (an update keeps its own)
_DEFAULTS = {"refunds": {"status": "Draft", "refund_number": NEW_NUMBER}, "customers": {}}


class _Abort(Exception):
    """Raised inside the transaction to roll everything back after row errors."""


def import_customers(
    db: sqlite_utils.Database,
    path: Path | str,
    *,
    skip_invalid: bool = False,
    options: ImportOptions | None = None,
    watch: Watch | None = None,
) -> ImportReport:
    """Upsert customers by account number from a CSV, .xlsx or .xls file (see the module
    docstring and :class:`ImportOptions`).

    On an update, a field the file has no column for keeps its stored value.
    """
    return _import(db, path, CUSTOMERS, _CustomerWriter, skip_invalid, options, watch)


def import_refunds(
    db: sqlite_utils.Database,
    path: Path | str,
    *,
    skip_invalid: bool = False,
    historical: bool = False,
    user: str | None = None,
    options: ImportOptions | None = None,
    watch: Watch | None = None,
) -> ImportReport:
    """Upsert refunds by refund number from a CSV, .xlsx or .xls file (see the module
    docstring). A row without a refund number is a new refund with the next number.

    On an update, an optional field the file has no column for keeps its stored value.
    Each row goes through the refund policy (:func:`policy.check_import`) as ``user``
    (the OS login by default): with roles, rows past Pending Approval need an admin and
    ``historical``. A blank ``created_by`` is the importing login.
    """
    user = user or clock.os_user()
    policy.check_import_run(user, UserRepository(db), historical=historical)

    def writer(conn: sqlite3.Connection, absent: frozenset[str]) -> _RefundWriter:
        return _RefundWriter(conn, absent, user=user, db=db, historical=historical)

    return _import(db, path, REFUNDS, writer, skip_invalid, options, watch)


def check_headers(
    headers: Sequence[str], spec: _Spec, optional: Sequence[str] = (), named: Any = None
) -> None:
    """Refuse unknown, repeated or missing columns with one sentence naming them.

    ``optional`` are required columns the caller fills itself (``--number-new``);
    ``named(field)`` gives a field's label for the message."""
    unknown = [h for h in headers if h not in spec.allowed]
    if unknown:
        raise Refused(
            f"unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(h) for h in unknown)} in the {spec.kind} file; "
            f"the known columns are: {', '.join(spec.allowed)}"
        )
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise Refused(f"column {', '.join(repeated)} appears more than once in the header")
    missing = [h for h in spec.required if h not in headers and h not in optional]
    if missing:
        hint = ""
        if "account_number" in missing and spec.kind == "customers":
            hint = "; or give new customers the next free numbers with --number-new"
        raise Refused(
            f"the {spec.kind} file has no {', '.join(missing)} column"
            f"{'s' if len(missing) > 1 else ''}; the required columns are: "
            f'{", ".join(spec.required)} (map yours with --map "Their Header=field")' + hint
        )


def mask_cells(number: int, cells: dict[str, str], warnings: list[Problem]) -> dict[str, str]:
    """Mask card numbers in a row's free-text cells (``••••1111``), a warning for each."""
    for column, value in cells.items():
        if column in _NOT_MASKED:
            continue
        masked, count = mask_card_numbers(value)
        if count:
            cells[column] = masked
            warnings.append(
                (number, column, "held a card number; imported with only its last 4 digits")
            )
    return cells


def validate_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    model: type[BaseModel],
    defaults: dict[str, str] | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[list[tuple[int, Any]], list[Problem]]:
    """Every data row through the model: the valid ones and the problems of the others.

    ``defaults`` fill a blank or absent cell (the values a new record takes). Card numbers
    in free-text cells are masked first, with a warning per cell in ``warnings``: a row is
    not refused for one."""
    defaults = defaults or {}
    warnings = [] if warnings is None else warnings
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    width = len(headers)
    valid: list[tuple[int, Any]] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=1):
        expected = row.expected if isinstance(row, mapping.BadRow) else width
        if (
            isinstance(row, mapping.BadRow)
            or len(row) < width
            or any(c.strip() for c in row[width:])
        ):
            problems.append((number, "", f"has {len(row)} cells; the header has {expected}"))
            continue
        # A blank cell is left out, so the model's default applies (None, [], a flag's default).
        cells = {
            h: csv_format.unneutralise(c) for h, c in zip(headers, row, strict=False) if c.strip()
        }
        mask_cells(number, cells, warnings)
        for name, value in defaults.items():
            cells.setdefault(name, value)
        try:
            valid.append((number, model.model_validate(cells)))
        except ValidationError as exc:
            seen: set[tuple[str, str]] = set()
            for column, reason in errors_by_field(exc):
                if column in required and column not in cells:
                    reason = "missing"
                if (column, reason) not in seen:
                    seen.add((column, reason))
                    problems.append((number, column, reason))
    return valid, problems


#: rows between two progress reports (and two looks at the cancel flag)
PROGRESS_EVERY = 250


class ImportCancelled(Exception):
    """The user cancelled: raised inside the transaction, so nothing is kept."""


@dataclass
class Watch:
    """What a caller hears while an import runs: ``progress(stage, done, total)`` with
    stage ``"checking"`` (total None: the file is still being read) or ``"writing"``;
    ``cancelled()`` is asked as often, and a True rolls everything back."""

    progress: Callable[[str, int, int | None], None] | None = None
    cancelled: Callable[[], bool] | None = None

    def tick(self, stage: str, done: int, total: int | None) -> None:
        if done % PROGRESS_EVERY:
            return
        self.check()
        if self.progress is not None:
            self.progress(stage, done, total)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled

    def counted(self, rows: Iterable[Any]) -> Iterator[Any]:
        for done, row in enumerate(rows, start=1):
            self.tick("checking", done, None)
            yield row


@dataclass
class Prepared:
    """A file read, mapped and checked by the model, nothing written yet."""

    mapped: mapping.Mapped
    headers: list[str]
    valid: list[tuple[int, Any]]
    problems: list[Problem]
    masked: list[Problem]
    number_new: bool


def prepare(
    headers_in: Sequence[str],
    rows: Iterable[list[str]],
    spec: _Spec,
    options: ImportOptions,
    watch: Watch | None = None,
) -> Prepared:
    """Map the file's columns, refuse a header that will not do, check every row.

    The problems name the file's columns (``Main Email (email)``)."""
    watch = watch or Watch()
    masked: list[Problem] = []
    mapped = mapping.map_columns(
        headers_in,
        rows,
        allowed=spec.allowed,
        labels=_labels(spec.kind),
        preset=options.preset,
        user_map=options.column_map,
    )
    headers = mapped.fields
    number_new = options.number_new and spec.kind == "customers"
    check_headers(headers, spec, optional=("account_number",) if number_new else ())
    defaults = dict(_DEFAULTS[spec.kind])
    if number_new:
        defaults["account_number"] = NEW_NUMBER
    valid, problems = validate_rows(
        headers, watch.counted(mapped.rows), spec.model, defaults, masked
    )
    problems = [(n, mapped.column(c) if c else c, r) for n, c, r in problems]
    return Prepared(mapped, headers, valid, problems, masked, number_new)


def _import(
    db: sqlite_utils.Database,
    path: Path | str,
    spec: _Spec,
    make_writer: Callable[[sqlite3.Connection, frozenset[str]], _Writer],
    skip_invalid: bool,
    options: ImportOptions | None = None,
    watch: Watch | None = None,
) -> ImportReport:
    options = options or ImportOptions()
    watch = watch or Watch()
    table = sheets.read_table(path, options.sheet)
    try:
        try:
            ready = prepare(table.headers, table.rows, spec, options, watch)
        except ImportCancelled:
            return ImportReport(cancelled=True, warnings=list(table.warnings))
    finally:
        table.rows.close()
    mapped, headers, valid, problems = ready.mapped, ready.headers, ready.valid, ready.problems
    report = ImportReport(
        warnings=[*table.warnings, *mapped.warnings, *(format_problem(w) for w in ready.masked)]
    )
    if problems and not skip_invalid:
        report.errors = problems
        return report
    report.skipped = problems
    if ready.number_new:
        valid, duplicates = _likely_duplicates(db.conn, valid)
        report.skipped = sorted(report.skipped + duplicates)
    if not valid:
        return report
    absent = frozenset(spec.allowed) - set(headers)
    failed: list[Problem] = []
    try:
        with _large_cache(db.conn), write_tx(db) as conn:
            writer = make_writer(conn, absent)
            if isinstance(writer, _RefundWriter):
                writer.without_sources = options.without_sources
            failed = _write_rows(conn, valid, writer, report, watch)
            failed = [(n, mapped.column(c) if c else c, r) for n, c, r in failed]
            if failed and not skip_invalid:
                raise _Abort
            watch.check()  # the last moment a cancel still leaves the database as it was
            report.without_source = getattr(writer, "unsourced", 0)
    except _Abort:
        return ImportReport(errors=failed, warnings=report.warnings, details=report.details)
    except ImportCancelled:
        return ImportReport(warnings=report.warnings, cancelled=True)
    report.skipped = sorted(report.skipped + failed)
    _lift_search_segments(db)
    return report


def _lift_search_segments(db: sqlite_utils.Database) -> None:
    """A large import's search segments out of the way of later saves (see
    :func:`index_upkeep.raise_large_segments`), and its pages copied from the log into
    the file here rather than in the commit of someone's next save (a checkpoint another
    app's reader held back); the import stands if either cannot be done."""
    with suppress(sqlite3.Error, StorageError, DatabaseOpenError):
        index_upkeep.lift_after_import(db)
    with suppress(sqlite3.Error):
        index_upkeep.checkpoint_all(db)


def _labels(kind: str) -> dict[str, str]:
    """The column titles the app shows, by field: they match as headers too."""
    if kind == "customers":
        from xoro_tui.data.customers import customer_list

        fields = customer_list.FIELDS
    else:
        from xoro_tui.data.refunds import refund_list

        fields = refund_list.FIELDS
    return {key: f.title for key, f in fields.items()}


def _likely_duplicates(
    conn: sqlite3.Connection, valid: list[tuple[int, Any]]
) -> tuple[list[tuple[int, Any]], list[Problem]]:
    """New customers (no account number) whose name and email an existing one has."""
    keep: list[tuple[int, Any]] = []
    skipped: list[Problem] = []
    for number, data in valid:
        if data.account_number != NEW_NUMBER:
            keep.append((number, data))
            continue
        found = conn.execute(
            "SELECT account_number FROM customers WHERE state = 'active'"
            " AND name = ? COLLATE NOCASE AND coalesce(email, '') = ? COLLATE NOCASE LIMIT 1",
            (data.name, data.email or ""),
        ).fetchone()
        if found is None:
            keep.append((number, data))
        else:
            skipped.append(
                (number, "", f"likely a duplicate of {found[0]} (same name and email); skipped")
            )
    return keep, skipped


@contextmanager
def _large_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A 64 MiB page cache while importing (the default 2 MiB thrashes on the indexes)."""
    old = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {old}")


def _write_rows(
    conn: sqlite3.Connection,
    valid: list[tuple[int, Any]],
    writer: _Writer,
    report: ImportReport,
    watch: Watch,
) -> list[Problem]:
    """Write each row in its own savepoint; a refused row is rolled back and listed."""
    problems: list[Problem] = []
    total = len(valid)
    for done, (number, data) in enumerate(valid):
        watch.tick("writing", done, total)
        conn.execute("SAVEPOINT import_row")
        try:
            action = writer.write(conn, data)
        except (Invalid, Refused, sqlite3.IntegrityError) as exc:
            conn.execute("ROLLBACK TO import_row")
            conn.execute("RELEASE import_row")
            writer.forget_row()
            if isinstance(exc, Invalid):
                problems.append((number, exc.field, exc.reason))
                if detail := getattr(exc, "detail", None):
                    report.details[number] = detail
            elif isinstance(exc, Refused):
                problems.append((number, "", str(exc)))
            else:
                problems.append((number, "", f"refused by the database ({exc})"))
            continue
        conn.execute("RELEASE import_row")
        counter = _COUNTERS[action]
        setattr(report, counter, getattr(report, counter) + 1)
    writer.finish(conn)
    return problems


@dataclass(frozen=True)
class _Stored:
    """What the policy needs of a stored refund."""

    refund_number: str
    status: RefundStatus
    payment_method: PaymentMethod
    created_by: str | None


class _RefundWriter:
    """Upserts refunds by number, each row through the refund policy as the importing login."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        absent: frozenset[str],
        *,
        user: str,
        db: sqlite_utils.Database,
        historical: bool,
    ) -> None:
        self.keep = absent
        self.user = user
        self.users = UserRepository(db)
        self.historical = historical
        self.without_sources = False
        self.unsourced = 0

    def stored(self, conn: sqlite3.Connection, number: str) -> _Stored | None:
        found = conn.execute(
            "SELECT refund_number, status, payment_method, created_by FROM refunds"
            " WHERE refund_number = ?",
            (number,),
        ).fetchone()
        if found is None:
            return None
        return _Stored(
            found[0], RefundStatus.parse(found[1]), PaymentMethod.parse(found[2]), found[3]
        )

    def write(self, conn: sqlite3.Connection, data: RefundIn) -> str:
        if data.refund_number == NEW_NUMBER:
            number = f"RF-{sequences.take(conn, refund_writes.REFUND_SEQUENCE):06d}"
            data = data.model_copy(update={"refund_number": number})
        stored = self.stored(conn, data.refund_number)
        later = policy.check_import(
            data.refund_number, data.status, stored, self.user, self.users,
            historical=self.historical,
        )  # fmt: skip
        if not later:
            self.check_open_row(data, stored)
        try:
            outcome = refund_writes.upsert_refund(
                conn, data, keep=self.keep, user=self.user, historical=later
            )
        except Invalid as exc:
            if exc.field != "source_document":
                raise
            if not self.without_sources:
                exc.detail = f"{data.refund_number} → {data.source_document}"
                raise
            data = data.model_copy(update={"source_document": None})
            outcome = refund_writes.upsert_refund(
                conn, data, keep=self.keep, user=self.user, historical=later
            )
            self.unsourced += 1
        refund_writes.record(conn, outcome, self.user)
        return {"import": "insert", "import update": "update"}.get(outcome.action, outcome.action)

    def check_open_row(self, data: RefundIn, stored: _Stored | None) -> None:
        """A Draft or Pending Approval row: no cheque number (printing gives it), no
        approver, and with roles no creator but the importing login (or the stored one)."""
        if data.cheque_number is not None:
            raise Invalid(
                "cheque_number",
                f"a {data.status.value} refund has no cheque number yet: printing takes it "
                "from the account's cheques",
            )
        if data.approved_by is not None and "approved_by" not in self.keep:
            raise Invalid("approved_by", f"a {data.status.value} refund has no approver yet")
        if self.users.single_user_mode() or data.created_by is None:
            return
        creator = stored.created_by if stored is not None else self.user
        if data.created_by != creator:
            raise Invalid(
                "created_by",
                f"must be {creator or 'empty'}: only an admin's {policy.HISTORICAL_FLAG} "
                "import names another creator",
            )

    def forget_row(self) -> None:
        pass

    def finish(self, conn: sqlite3.Connection) -> None:
        pass


_ACCOUNT_NUMBER = re.compile(r"C-(\d{1,12})", re.IGNORECASE)
_ACCOUNT_START = 100_000  # where sequences.next_account_number starts counting
_UPSERT_CUSTOMER = (
    f"INSERT INTO customers({', '.join(COLUMN_FIELDS)}, created_at, updated_at) "
    f"VALUES ({', '.join('?' * (len(COLUMN_FIELDS) + 2))}) "
    "ON CONFLICT(account_number) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMN_FIELDS if c != "account_number")
    # qualified: PostgreSQL reads a bare name in DO UPDATE as ambiguous (row or excluded)
    + ", updated_at = excluded.updated_at, version = customers.version + 1"
    " WHERE customers.state = 'active'"
)
_CHILD_TABLES = {
    "tags": ("customer_tags", "tag"),
    "brands": ("customer_brands", "brand"),
    "references": ("customer_references", "reference"),
}


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(values, key=lambda v: (v.casefold(), v))


class _CustomerWriter:
    """Upserts customers by account number, resolving lookups through a case-folded cache.

    The cache starts with every stored lookup name; names a row adds are forgotten
    again when that row's savepoint is rolled back. The search triggers are suspended
    for the import and the touched customers reindexed together at the end: row by row,
    each trigram reindex flushes FTS5's pending data and costs ten times as much.
    """

    def __init__(self, conn: sqlite3.Connection, keep: frozenset[str]) -> None:
        self.conn = conn
        self.keep = keep
        self.touched: list[int] = []
        self.highest_account = 0
        self.user = clock.os_user()
        self.stamp = now_iso()
        self.triggers = search_sync.suspend_customer_search(conn)
        self.names: dict[str, dict[str, str]] = {}
        for table in lookups.LOOKUP_TABLES:
            known: dict[str, str] = {}
            for name in lookups.names(conn, table):
                known.setdefault(name.casefold(), name)
            self.names[table] = known
        self.added: list[tuple[str, str]] = []

    def lookup(self, table: str, value: str | None) -> str | None:
        if value is None:
            return None
        key = value.casefold()
        stored = self.names[table].get(key)
        if stored is None:
            stored = lookups.ensure(self.conn, table, value) or value
            self.names[table][key] = stored
            self.added.append((table, key))
        return stored

    def forget_row(self) -> None:
        for table, key in self.added:
            self.names[table].pop(key, None)
        self.added = []

    def columns(self, data: CustomerIn) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in COLUMN_FIELDS:
            value = getattr(data, name)
            if name in CUSTOMER_LOOKUP_FIELDS:
                value = self.lookup(CUSTOMER_LOOKUP_FIELDS[name], value)
            elif isinstance(value, bool):
                value = int(value)
            elif isinstance(value, Enum):
                value = value.value
            elif isinstance(value, dt.date):
                value = value.isoformat()
            values[name] = value
        return values

    def children(self, data: CustomerIn) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(data, name) for name in SHIP_TO_FIELDS}
        for name, table in CUSTOMER_MULTI_FIELDS.items():
            out[name] = _sorted(self.lookup(table, v) or v for v in getattr(data, name))
        out["references"] = _sorted(data.references)
        return out

    def write(self, conn: sqlite3.Connection, data: CustomerIn) -> str:
        self.added = []
        if data.account_number == NEW_NUMBER:
            number = sequences.next_account_number(conn)
            data = data.model_copy(update={"account_number": number})
        row = conn.execute(
            "SELECT id, state FROM customers WHERE account_number = ?", (data.account_number,)
        ).fetchone()
        if row is not None and row[1] != "active":
            reason = reserved_reason(conn, data.account_number) or f"customer is {row[1]}"
            raise Invalid("account_number", reason)
        before = snapshot(conn, row[0]) if row else {}
        if before:
            update = {name: before[name] for name in self.keep}
            data = data.model_copy(update={**update, "account_number": before["account_number"]})
            for name in _CHILD_TABLES:
                before[name] = _sorted(before[name])
        values = self.columns(data)
        after = {**values, **self.children(data)}
        changes = audit.diff(before, after)
        if before and not changes:
            return "unchanged"
        cursor = conn.execute(_UPSERT_CUSTOMER, (*values.values(), self.stamp, self.stamp))
        customer_id = int(before["id"]) if before else inserted_id(cursor)
        if before:
            set_default_site(conn, customer_id, data)
            for name in _CHILD_TABLES:
                set_multi(conn, customer_id, name, after[name])
        else:
            self.insert_children(conn, customer_id, after, self.stamp)
            match = _ACCOUNT_NUMBER.fullmatch(data.account_number)
            if match:
                self.highest_account = max(self.highest_account, int(match.group(1)))
        self.touched.append(customer_id)
        action = "update" if before else "insert"
        audit.record(conn, "customers", data.account_number, action, changes, user=self.user)
        return action

    @staticmethod
    def insert_children(
        conn: sqlite3.Connection, customer_id: int, after: dict[str, Any], stamp: str
    ) -> None:
        """A new customer's default site, tags, brands and references, written directly."""
        address = [after[name] for name in SHIP_TO_FIELDS]
        if any(value is not None for value in address):
            conn.execute(
                "INSERT INTO sites(customer_id, name, line1, line2, city, state, postal_code,"
                " country, is_default, created_at) VALUES (?, 'Default', ?, ?, ?, ?, ?, ?, 1, ?)",
                (customer_id, *address, stamp),
            )
        for name, (table, column) in _CHILD_TABLES.items():
            if after[name]:
                conn.executemany(
                    f"INSERT INTO {table}(customer_id, {column}) VALUES (?, ?)",
                    [(customer_id, value) for value in after[name]],
                )

    def finish(self, conn: sqlite3.Connection) -> None:
        if self.highest_account:
            used = max(self.highest_account, _ACCOUNT_START - 1)
            sequences.move_past(conn, "account_number", used)
        search_sync.resume_customer_search(conn, self.triggers, self.touched)
