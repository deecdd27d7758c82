"""Which column of an import file is which of our fields, and the values reshaped to fit.

A header matches a field when the two are equal once case, spaces and punctuation are
ignored (``#`` reads as "number"): ``Account Number``, ``account_number`` and
``ACCOUNT-NUMBER`` are one. The labels the app shows (``Account #``, ``Customer Name``)
match too. ``--map "Their Header=field,…"`` maps any header (``=ignore`` drops one);
``--preset quickbooks|odoo|erpnext`` applies the column names of those systems' customer
files (see /work/shared/import-presets.md), with their reshaping: QuickBooks' address
blocks ("Bill to 1" … "Bill to 5", the last line "City, ST ZIP") are split into lines,
city, state, postal code and country; Odoo's delivery-address rows become the ship-to
address of their company; a value holding several emails keeps the first. Columns that
match nothing are listed in one warning and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from xoro_tui.data.store.errors import Refused

PRESETS = ("quickbooks", "odoo", "erpnext")
IGNORE = "ignore"


def norm(header: str) -> str:
    """``Account #`` → ``accountnumber``: case, spaces and punctuation do not count."""
    return re.sub(r"[^0-9a-z]", "", header.casefold().replace("#", "number"))


# --- what each preset's headers are -----------------------------------------------------
# Targets: a field name, or a role (starting with ":") that the row reshaping reads.

_QUICKBOOKS: dict[str, str] = {
    "Active Status": "is_active",
    "Customer": ":customer",
    "Company": ":company",
    "Mr./Ms./...": ":salutation",
    "First Name": ":first",
    "M.I.": ":middle",
    "Last Name": ":last",
    "Main Phone": "phone",
    "Main Email": ":emails",
    "Customer Type": "type_name",
    "Terms": "payment_terms",
    "Rep": "sales_rep",
    "Account No.": "account_number",
    "Bill to": ":bill_block",
    "Ship to": ":ship_block",
    # IIF (Lists > Export to IIF): the !CUST header
    "NAME": ":customer",
    "PHONE1": "phone",
    "EMAIL": ":emails",
    "CTYPE": "type_name",
    "TERMS": "payment_terms",
    "REP": "sales_rep",
    "COMPANYNAME": ":company",
    "SALUTATION": ":salutation",
    "FIRSTNAME": ":first",
    "MIDINIT": ":middle",
    "LASTNAME": ":last",
    "HIDDEN": ":hidden",
    "NOTEPAD": ":reference",
    "NOTE": ":reference",
    "PREFERREDPAYMENT": "default_payment_method",
}
for _n in range(1, 6):
    _QUICKBOOKS[f"Bill to {_n}"] = f":bill_{_n}"
    _QUICKBOOKS[f"Ship to {_n}"] = f":ship_{_n}"
    _QUICKBOOKS[f"BADDR{_n}"] = f":bill_{_n}"
    _QUICKBOOKS[f"SADDR{_n}"] = f":ship_{_n}"

_ODOO: dict[str, str] = {
    # import-compatible export: technical names; plain export: English labels
    "id": ":reference",
    "External ID": ":reference",
    "name": "name",
    "Name": "name",
    "ref": "account_number",
    "Reference": "account_number",
    "parent_id": ":parent",
    "Related Company": ":parent",
    "type": ":address_type",
    "Address Type": ":address_type",
    "street": "bill_to_line1",
    "Street": "bill_to_line1",
    "street2": "bill_to_line2",
    "Street2": "bill_to_line2",
    "city": "bill_to_city",
    "City": "bill_to_city",
    "state_id": ":state",
    "State": ":state",
    "zip": "bill_to_postal_code",
    "Zip": "bill_to_postal_code",
    "country_id": "bill_to_country",
    "Country": "bill_to_country",
    "email": ":emails",
    "Email": ":emails",
    "phone": "phone",
    "Phone": "phone",
    "mobile": ":mobile",
    "Mobile": ":mobile",
    "category_id": ":tags",
    "Tags": ":tags",
    "user_id": "sales_rep",
    "Salesperson": "sales_rep",
    "property_payment_term_id": "payment_terms",
    "Customer Payment Terms": "payment_terms",
    "property_product_pricelist": "customer_group",
    "Pricelist": "customer_group",
    "active": ":odoo_active",
    "Active": ":odoo_active",
}

_ERPNEXT: dict[str, str] = {
    "ID": "account_number",
    "Customer Name": "name",
    "Customer Group": "customer_group",
    "Email Id": ":emails",
    "Mobile No": "phone",
    "Default Payment Terms Template": "payment_terms",
    "Sales Person (Sales Team)": "sales_rep",
    "Account Manager": ":rep_fallback",
    "Is Frozen": "is_restricted",
    "Disabled": ":hidden",
    "Customer Details": ":reference",
    "Primary Address": ":bill_block",
}

_PRESET_HEADERS: dict[str, dict[str, str]] = {
    "quickbooks": _QUICKBOOKS,
    "odoo": _ODOO,
    "erpnext": _ERPNEXT,
}


@dataclass
class Mapped:
    """The file's rows as our fields; ``columns`` names each field's column in the file."""

    fields: list[str]
    rows: Iterator[list[str]]
    columns: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    #: rows left out on purpose (QuickBooks jobs, Odoo contact persons), counted
    skipped: int = 0

    def column(self, name: str) -> str:
        """How an error names a field's column: the file's header (``name`` when ours)."""
        shown = self.columns.get(name, name)
        return shown if norm(shown) == norm(name) else f"{shown} ({name})"


def parse_map(text: str | None) -> dict[str, str]:
    """``"Their Header=field, Other=ignore"`` as {normalised header: field}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        header, sep, target = part.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise Refused(f"--map takes Their Header=field pairs separated by commas; got {part!r}")
        out[norm(header)] = target.strip()
    return out


def guess_targets(
    headers: Sequence[str],
    *,
    allowed: Sequence[str],
    labels: dict[str, str],
    preset: str | None = None,
    user_map: str | None = None,
) -> list[str | None]:
    """What each header gives: a field, a preset's role (``:bill_block``) or None (ignored).

    The one matching rule: the import and the Import screen's guess both come from here."""
    if preset is not None and preset not in PRESETS:
        raise Refused(f"unknown preset {preset!r}; use one of: {', '.join(PRESETS)}")
    by_norm: dict[str, str] = {norm(f): f for f in allowed}
    for key, label in labels.items():
        if key in allowed:
            by_norm.setdefault(norm(label), key)
    preset_map = {norm(h): t for h, t in _PRESET_HEADERS.get(preset or "", {}).items()}
    mine = parse_map(user_map)
    for named in mine.values():
        if named != IGNORE and named not in allowed:
            raise Refused(
                f"--map names {named!r}, which is not a field; use one of: "
                f"{', '.join(allowed)} (or {IGNORE})"
            )
    targets: list[str | None] = []
    for header in headers:
        key = norm(header)
        target = mine.get(key) or preset_map.get(key) or by_norm.get(key)
        if target is None and preset == "quickbooks":
            target = preset_map.get(re.sub(r"\d+$", "", key))  # Bill to 6, BADDR6 …
        if target == IGNORE or not key:
            target = None
        targets.append(target)
    return targets


def role_fields(target: str) -> tuple[str, ...]:
    """The fields a target writes: itself, or the fields a preset's role fills."""
    name = _ROLE_FIELDS.get(target, target)
    return (name,) if isinstance(name, str) else tuple(name)


def map_text(choices: dict[str, str]) -> str:
    """{their header: field or ``ignore``} as ``--map`` text (commas and ``=`` in a header
    become spaces: headers match case-, space- and punctuation-blind anyway)."""
    return ",".join(
        f"{re.sub(r'[,=]', ' ', header).strip()}={target}" for header, target in choices.items()
    )


def map_columns(
    headers: Sequence[str],
    rows: Iterable[list[str]],
    *,
    allowed: Sequence[str],
    labels: dict[str, str],
    preset: str | None = None,
    user_map: str | None = None,
) -> Mapped:
    """Match ``headers`` to the ``allowed`` fields (see the module docstring)."""
    targets = guess_targets(
        headers, allowed=allowed, labels=labels, preset=preset, user_map=user_map
    )
    mine = parse_map(user_map)
    unmapped = [
        h for h, t in zip(headers, targets, strict=True)
        if t is None and norm(h) and mine.get(norm(h)) != IGNORE
    ]  # fmt: skip
    _check_repeats(headers, targets)
    warnings: list[str] = []
    if unmapped:
        warnings.append(
            f"{len(unmapped)} column{'s' if len(unmapped) != 1 else ''} matched no field "
            f"and {'were' if len(unmapped) != 1 else 'was'} ignored: "
            + ", ".join(repr(h) for h in unmapped)
            + ' (map one with --map "Header=field")'
        )
    fields: list[str] = []
    columns: dict[str, str] = {}
    for header, target in zip(headers, targets, strict=True):
        if target is None:
            continue
        name = _ROLE_FIELDS.get(target, target)
        for f in (name,) if isinstance(name, str) else name:
            if f not in fields:
                fields.append(f)
                columns.setdefault(f, header)
    roles = any(t is not None and t.startswith(":") for t in targets)
    if roles:
        for extra in ("name", "account_number"):  # fallbacks a role may fill
            if extra in allowed and extra not in fields and _fills(targets, extra):
                fields.append(extra)
    if preset == "odoo" and "bill_to_line1" in fields:  # delivery rows, or a copy of bill-to
        fields.extend(f"ship_to_{p}" for p in _ADDRESS_PARTS if f"ship_to_{p}" not in fields)
    fields = [f for f in fields if f in allowed]
    mapped = Mapped(fields, iter(()), columns, warnings)
    mapped.rows = (
        _reshape(rows, targets, fields, mapped) if roles else _plain(rows, targets, fields)
    )
    return mapped


def _check_repeats(headers: Sequence[str], targets: Sequence[str | None]) -> None:
    seen: dict[str, str] = {}
    for header, target in zip(headers, targets, strict=True):
        if target is None or target.startswith(":"):
            continue
        if target in seen:
            raise Refused(
                f"columns {seen[target]!r} and {header!r} both give {target}; "
                f'ignore one with --map "{header}={IGNORE}"'
            )
        seen[target] = header


_ADDRESS_PARTS = ("line1", "line2", "city", "state", "postal_code", "country")
#: the fields a role writes (for the header check and the fields kept on update)
_ROLE_FIELDS: dict[str, str | tuple[str, ...]] = {
    ":customer": ("account_number", "name"),
    ":company": "name",
    ":salutation": "name",
    ":first": "name",
    ":middle": "name",
    ":last": "name",
    ":emails": ("email", "references"),
    ":hidden": "is_active",
    ":odoo_active": "is_active",
    ":reference": "references",
    ":tags": "tags",
    ":mobile": "phone",
    ":rep_fallback": "sales_rep",
    ":state": "bill_to_state",
    ":parent": (),
    ":address_type": (),
    **{
        f":{side}_{n}": tuple(f"{prefix}_{p}" for p in _ADDRESS_PARTS)
        for side, prefix in (("bill", "bill_to"), ("ship", "ship_to"))
        for n in range(1, 6)
    },
    ":bill_block": tuple(
        f"bill_to_{p}" for p in ("line1", "line2", "city", "state", "postal_code", "country")
    ),
    ":ship_block": tuple(
        f"ship_to_{p}" for p in ("line1", "line2", "city", "state", "postal_code", "country")
    ),
}


def _fills(targets: Sequence[str | None], name: str) -> bool:
    for target in targets:
        got = _ROLE_FIELDS.get(target or "", ())
        if name in ((got,) if isinstance(got, str) else got):
            return True
    return False


def _plain(
    rows: Iterable[list[str]], targets: Sequence[str | None], fields: list[str]
) -> Iterator[list[str]]:
    at = {t: i for i, t in enumerate(targets) if t is not None}
    order = [at[f] for f in fields]
    width = len(targets)
    for row in rows:
        if len(row) < width or (len(row) > width and any(c.strip() for c in row[width:])):
            yield BadRow(row, width)  # the importer reports the cell count
            continue
        yield [row[i] for i in order]


class BadRow(list[str]):
    """A row whose cell count differs from the header's (``expected``)."""

    def __init__(self, cells: Sequence[str], expected: int) -> None:
        super().__init__(cells)
        self.expected = expected


# --- reshaping the preset's rows ----------------------------------------------------------

_CITY_LINE = re.compile(r"^(.*?)[ ,]+([A-Za-z]{2})[ ,]+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)$")
_COUNTRIES = {
    "usa", "us", "u.s.a.", "united states", "united states of america", "canada", "mexico",
    "puerto rico", "uk", "united kingdom",
}  # fmt: skip
_NOT_ADDRESS = re.compile(r"[\d\s().+/\-.,;:]+")
_PARTS = _ADDRESS_PARTS


def split_address(
    lines: Sequence[str], names: Iterable[str] = ()
) -> tuple[dict[str, str], list[str]]:
    """A block of up to five address lines as parts (see import-presets.md), and the lines
    that are not address (phone numbers) for the references."""
    skip = {n.casefold() for n in names if n}
    kept = [line.strip() for line in lines if line and line.strip()]
    if kept and kept[0].casefold() in skip:
        kept = kept[1:]
    extra = [line for line in kept if _NOT_ADDRESS.fullmatch(line)]
    kept = [line for line in kept if not _NOT_ADDRESS.fullmatch(line)]
    parts: dict[str, str] = {}
    if kept and kept[-1].casefold().strip(".") in _COUNTRIES | {"u.s.a"}:
        parts["country"] = kept.pop()
    if kept:
        match = _CITY_LINE.match(kept[-1])
        if match:
            kept.pop()
            parts["city"] = match.group(1).strip(" ,")
            parts["state"] = match.group(2).upper()
            parts["postal_code"] = match.group(3)
    if kept:
        parts["line1"] = kept[0]
    if len(kept) > 1:
        parts["line2"] = ", ".join(kept[1:])
    return parts, extra


def _reshape(
    rows: Iterable[list[str]], targets: Sequence[str | None], fields: list[str], mapped: Mapped
) -> Iterator[list[str]]:
    """Rows of a preset file: roles combined into fields, child rows into their parent."""
    records: list[dict[str, str]] = []
    parents: dict[str, dict[str, str]] = {}
    children: list[dict[str, str]] = []
    for row in rows:
        record = _one(row, targets)
        if record is None:
            mapped.skipped += 1
            continue
        parent = record.pop(":parent", "")
        kind = record.pop(":address_type", "").casefold()
        if parent:
            record[":parent"] = parent
            record[":kind"] = kind
            children.append(record)
            continue
        records.append(record)
        if record.get("name"):
            parents.setdefault(record["name"].casefold(), record)
    for child in children:
        owner = parents.get(child[":parent"].casefold())
        if owner is None:
            mapped.skipped += 1
            continue
        side = {"delivery": "ship_to", "invoice": "bill_to"}.get(child[":kind"])
        if side is None:  # a contact person, not a customer
            if not owner.get("email") and child.get("email"):
                owner["email"] = child["email"]
            mapped.skipped += 1
            continue
        for part in _PARTS:
            value = child.get(f"bill_to_{part}", "")
            if value:
                owner[f"{side}_{part}"] = value
        owner[f":{side}_child"] = "1"
        mapped.skipped += 1
    if mapped.skipped:
        mapped.warnings.append(
            f"{mapped.skipped} row{'s' if mapped.skipped != 1 else ''} folded into their "
            "customer or left out (QuickBooks jobs, Odoo addresses and contact persons)"
        )
    for record in records:
        if not record.get("name") and not record.get("account_number"):
            continue  # a continuation line (an ERPNext child-table row)
        if not any(record.get(f"ship_to_{p}") for p in _PARTS) and ":odoo" in record:
            for part in _PARTS:  # Odoo: a company with no delivery address ships to itself
                if record.get(f"bill_to_{part}"):
                    record[f"ship_to_{part}"] = record[f"bill_to_{part}"]
        yield [record.get(f, "") for f in fields]


def _one(row: list[str], targets: Sequence[str | None]) -> dict[str, str] | None:
    """One file row as {field or role: text}; None for a row to leave out."""
    values: dict[str, str] = {}
    blocks: dict[str, dict[int, str]] = {"bill": {}, "ship": {}}
    names: dict[str, str] = {}
    refs: list[str] = []
    for target, cell in zip(targets, row, strict=False):
        text = cell.strip()
        if target is None or not text:
            continue
        if not target.startswith(":"):
            values.setdefault(target, _flag(text) if target in _FLAGS else text)
            continue
        role = target[1:]
        if role in ("customer", "company", "salutation", "first", "middle", "last"):
            names[role] = text
        elif role.startswith(("bill_", "ship_")) and role[5:].isdigit():
            blocks[role[:4]][int(role[5:])] = text
        elif role in ("bill_block", "ship_block"):
            lines = re.split(r"\s*(?:<br\s*/?>|\r?\n)\s*", text)
            blocks[role[:4]].update(enumerate(lines, start=1))
        elif role == "emails":
            found = [e for e in re.split(r"[;,\s]+", text) if e]
            values.setdefault("email", found[0])
            refs.extend(found[1:])
        elif role == "hidden":
            values["is_active"] = "false" if _flag(text) == "true" else "true"
        elif role == "odoo_active":
            values["is_active"] = _flag(text)
            values[":odoo"] = "1"
        elif role == "reference":
            refs.append(" ".join(text.split()))
        elif role == "tags":
            values["tags"] = "|".join(t.strip() for t in text.split(",") if t.strip())
        elif role == "mobile":
            values.setdefault(":mobile", text)
        elif role == "rep_fallback":
            values.setdefault(":rep", text)
        elif role == "state":
            values["bill_to_state"] = re.sub(r"\s*\([A-Z]{2}\)$", "", text)
        elif role in ("parent", "address_type"):
            values[target] = text
            values[":odoo"] = "1"
    customer = names.get("customer", "")
    if ":" in customer:  # QuickBooks "Parent:Job": a job, not a customer
        return None
    if "name" not in values:
        person = " ".join(
            names[p] + ("." if p == "middle" and len(names[p]) == 1 else "")
            for p in ("first", "middle", "last")
            if p in names
        )
        name = names.get("company") or person or customer
        if name:
            values["name"] = name
    if "account_number" not in values and customer:
        values["account_number"] = customer
    if "phone" not in values and ":mobile" in values:
        values["phone"] = values[":mobile"]
    if "sales_rep" not in values and ":rep" in values:
        values["sales_rep"] = values[":rep"]
    own = [names.get("company", ""), customer, values.get("name", "")]
    for side, prefix in (("bill", "bill_to"), ("ship", "ship_to")):
        if blocks[side]:
            lines = [blocks[side][k] for k in sorted(blocks[side])]
            parts, extra = split_address(lines, own)
            for part, value in parts.items():
                values[f"{prefix}_{part}"] = value
            refs.extend(extra)
    if refs:
        values["references"] = "|".join(r.replace("|", "/") for r in refs)
    return values


_FLAGS = {"is_active", "is_restricted"}
_TRUE = {"1", "true", "yes", "y", "t", "active", "on", "x"}


def _flag(text: str) -> str:
    """``Active``/``Inactive``, ``True``/empty, ``Y``/``N``, ``1``/``0`` as true/false."""
    return "true" if text.strip().casefold() in _TRUE else "false"
