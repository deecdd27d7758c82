"""Which value the merged customer keeps, field by field (as Odoo's merge wizard does).

Fields are handled in groups so that an address, a mandate or a portal email never mixes
two sources. For every group where the customers hold different values, the merge preview
offers those values (:class:`FieldChoice`); the user's picks name the customer whose value
the merged record keeps. Without a pick the primary's value stays, and a group the primary
leaves empty takes the first secondary's value (in the order given).

Moved sites whose name the primary already uses get the source's account number added
("Default (ACC-123)"), so the primary never ends with two sites of one name.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from xoro_tui.data.store.errors import Refused


@dataclass(frozen=True)
class FieldGroup:
    key: str  # how picks name the group (its first field)
    decide: tuple[str, ...]  # the fields that decide whether the group is empty
    fields: tuple[str, ...]  # the fields taken together


_BILL_TO = tuple(
    f"bill_to_{p}" for p in ("line1", "line2", "city", "state", "postal_code", "country")
)
_MANDATE = ("mandate_status", "mandate_reference", "mandate_date")
_PORTAL_EMAIL = (
    "portal_email",
    "portal_email_status",
    "portal_email_reason",
    "portal_email_checked_at",
)
_SINGLE = (
    "name",
    "type_name",
    "email",
    "phone",
    "sales_rep",
    "payment_terms",
    "customer_group",
    "order_type",
    "default_shipping_terms",
    "default_payment_method",
    "portal_status",
    "is_active",
    "is_restricted",
    "show_invoice_credit_deposit_on_portal",
)
FIELD_GROUPS: tuple[FieldGroup, ...] = (
    *(FieldGroup(f, (f,), (f,)) for f in _SINGLE),
    FieldGroup("bill_to", _BILL_TO, _BILL_TO),
    FieldGroup("mandate", _MANDATE, _MANDATE),
    FieldGroup("portal_email", ("portal_email",), _PORTAL_EMAIL),
)
GROUPS_BY_KEY: dict[str, FieldGroup] = {g.key: g for g in FIELD_GROUPS}
#: every customers-table field a merge may change on the primary (and undo restores)
MERGE_FIELDS: tuple[str, ...] = tuple(f for g in FIELD_GROUPS for f in g.fields)
#: fields shown as Yes/No
FLAG_FIELDS: frozenset[str] = frozenset(
    {"is_active", "is_restricted", "show_invoice_credit_deposit_on_portal"}
)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _group_empty(group: FieldGroup, record: dict[str, Any]) -> bool:
    return all(is_empty(record.get(f)) for f in group.decide)


def _values(group: FieldGroup, record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(f) for f in group.fields)


@dataclass(frozen=True)
class FieldOption:
    customer_id: int
    account_number: str
    values: dict[str, Any]  # the group's fields as this customer holds them


@dataclass(frozen=True)
class FieldChoice:
    """A group the customers disagree on: its distinct values, the default first-listed
    customer's (the primary's when it has one)."""

    key: str
    fields: tuple[str, ...]
    options: list[FieldOption]
    default: int  # index into options


def _default_source(
    group: FieldGroup, primary: dict[str, Any], secondaries: list[dict[str, Any]]
) -> dict[str, Any]:
    for record in (primary, *secondaries):
        if not _group_empty(group, record):
            return record
    return primary


def field_choices(primary: dict[str, Any], secondaries: list[dict[str, Any]]) -> list[FieldChoice]:
    """The groups with two or more different values among the customers, each value once
    (the first customer that holds it names it)."""
    out: list[FieldChoice] = []
    for group in FIELD_GROUPS:
        seen: dict[tuple[Any, ...], FieldOption] = {}
        for record in (primary, *secondaries):
            if _group_empty(group, record):
                continue
            values = _values(group, record)
            if values not in seen:
                seen[values] = FieldOption(
                    int(record["id"]),
                    str(record["account_number"]),
                    dict(zip(group.fields, values, strict=True)),
                )
        if len(seen) < 2:
            continue
        options = list(seen.values())
        default_values = _values(group, _default_source(group, primary, secondaries))
        default = next(
            i for i, o in enumerate(options) if tuple(o.values.values()) == default_values
        )
        out.append(FieldChoice(group.key, group.fields, options, default))
    return out


def check_picks(
    picks: dict[str, int] | None, primary: dict[str, Any], secondaries: list[dict[str, Any]]
) -> dict[str, int]:
    """The picks as group key → customer id, refused when they name an unknown group, a
    customer outside the merge, or a customer that holds no value there."""
    records = {int(r["id"]): r for r in (primary, *secondaries)}
    out: dict[str, int] = {}
    for key, customer_id in (picks or {}).items():
        group = GROUPS_BY_KEY.get(key)
        if group is None:
            raise Refused(f"{key!r} is not a field the merge can choose")
        record = records.get(int(customer_id))
        if record is None:
            raise Refused(f"customer {customer_id} is not one of the customers being merged")
        if _group_empty(group, record):
            raise Refused(f"{record['account_number']} has no {key.replace('_', ' ')} to keep")
        out[key] = int(customer_id)
    return out


def resolve(
    primary: dict[str, Any], secondaries: list[dict[str, Any]], picks: dict[str, int] | None
) -> dict[str, tuple[Any, str]]:
    """The fields the primary takes from another customer: field → (value, account number).

    A picked group takes the picked customer's values; an unpicked one keeps the primary's,
    or when the primary's is empty takes the first secondary that has it."""
    chosen = check_picks(picks, primary, secondaries)
    records = {int(r["id"]): r for r in (primary, *secondaries)}
    taken: dict[str, tuple[Any, str]] = {}
    for group in FIELD_GROUPS:
        if group.key in chosen:
            source = records[chosen[group.key]]
        else:
            source = _default_source(group, primary, secondaries)
        if source is primary or _values(group, source) == _values(group, primary):
            continue
        taken.update({f: (source.get(f), source["account_number"]) for f in group.fields})
    return taken


def site_renames(
    conn: sqlite3.Connection, primary_id: int, where: str, arg: str
) -> dict[int, tuple[str, str]]:
    """Moved sites whose name the primary (or an earlier moved site) already uses:
    site id → (old name, new name). The new name adds the source's account number, and a
    number after it if even that is taken ("Default (ACC-2)", "Default (ACC-2) 2")."""
    taken = {
        (name or "").strip().casefold()
        for (name,) in conn.execute("SELECT name FROM sites WHERE customer_id = ?", (primary_id,))
    }
    renames: dict[int, tuple[str, str]] = {}
    rows = conn.execute(
        "SELECT s.id, s.name, c.account_number FROM sites s JOIN customers c "
        f"ON c.id = s.customer_id WHERE s.customer_id {where} ORDER BY s.is_default DESC, s.id",
        (arg,),
    ).fetchall()
    for site_id, name, account in rows:
        if is_empty(name):
            continue
        folded = name.strip().casefold()
        if folded in taken:
            base, n = f"{name.strip()} ({account})", 1
            new = base
            while new.casefold() in taken:
                n += 1
                new = f"{base} {n}"
            renames[int(site_id)] = (name, new)
            folded = new.casefold()
        taken.add(folded)
    return renames
