"""Customer Merge: secondaries fold into a primary in one transaction, and a merge can be undone.

The merge journal makes undo exact: ``merge_moves`` names every row (documents, refunds,
communications, sites) that moved and where from; ``merge_secondaries`` holds each
secondary's snapshot; ``merges.primary_before`` holds the primary's snapshot plus, under
``_merge``, the fields the merge set (filled or picked, see
:mod:`~xoro_tui.data.customers.merge_fields`), the moved sites it renamed, and the tags,
brands and references it added (those tables have no row ids, so they are journalled by
value).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from xoro_tui.data.customers.customer_writes import set_multi, snapshot
from xoro_tui.data.customers.merge_fields import (
    MERGE_FIELDS,
    FieldChoice,
    field_choices,
    is_empty,
    resolve,
    site_renames,
)
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import NotFound, Refused
from xoro_tui.data.store.rows import inserted_id

#: tables whose rows move to the primary, journalled row by row in merge_moves
MOVED_TABLES: tuple[str, ...] = ("documents", "refunds", "communications", "sites")
#: bump the version of moved rows (an open form on one of them then reloads)
_VERSIONED = {"documents", "refunds", "sites"}
#: how an undo report names a moved row that is gone
_LABEL = {
    "documents": "replace(doc_type, '_', ' ') || ' ' || number",
    "refunds": "'refund ' || refund_number",
    "sites": "'site ' || coalesce(name, line1, city, CAST(id AS TEXT))",
    "communications": "kind || ' of ' || substr(created_at, 1, 10)",
}
MULTI_FIELDS: tuple[str, ...] = ("tags", "brands", "references")
_MULTI_TABLE = {
    "tags": ("customer_tags", "tag"),
    "brands": ("customer_brands", "brand"),
    "references": ("customer_references", "reference"),
}


@dataclass
class MergePreview:
    primary: tuple[int, str, str]  # id, account number, name
    secondaries: list[tuple[int, str, str]]
    documents: dict[str, int]  # by doc_type; customer deposits are documents too
    refunds: int
    deposits: int
    communications: int
    sites: int
    references: list[str]  # the union the primary will hold
    tags: list[str]
    brands: list[str]
    #: field → (value, account number it comes from), for every field that has a value,
    #: as the merge takes them without picks (see :func:`merged_fields` for picks)
    fields: dict[str, tuple[Any, str]]
    #: the secondaries' saved cards that will be removed: (account number, "Visa …1234")
    cards_removed: list[tuple[str, str]]
    cards_kept: int
    #: the fields the customers disagree on, with the values to pick from
    choices: list[FieldChoice] = field(default_factory=list)
    #: moved sites renamed because the primary has one of that name: (account, old, new)
    site_renames: list[tuple[str, str, str]] = field(default_factory=list)
    #: the snapshots the preview was made from (for :func:`merged_fields`)
    records: tuple[dict[str, Any], list[dict[str, Any]]] = field(
        default_factory=lambda: ({}, []), repr=False
    )

    def merged_fields(self, picks: dict[str, int] | None = None) -> dict[str, tuple[Any, str]]:
        """What the merged record holds with these picks: field → (value, account)."""
        prim, secs = self.records
        taken = resolve(prim, secs, picks)
        out = {f: (prim.get(f), prim["account_number"]) for f in MERGE_FIELDS}
        out.update(taken)
        return {f: v for f, v in out.items() if not is_empty(v[0])}


@dataclass
class MergeResult:
    merge_id: int
    primary_id: int
    secondary_ids: list[int]
    moved: dict[str, int]
    filled: dict[str, tuple[Any, str]]
    cards_removed: list[tuple[str, str]]


@dataclass
class UndoReport:
    merge_id: int
    moved_back: dict[str, int] = field(default_factory=dict)
    #: moved rows deleted since the merge ("invoice INV-000017 (deleted since the merge)")
    missing: list[str] = field(default_factory=list)
    #: moved rows that belong to another customer now (left where they are)
    elsewhere: list[str] = field(default_factory=list)
    restored_fields: list[str] = field(default_factory=list)
    kept_fields: list[str] = field(default_factory=list)  # edited since the merge: kept
    secondaries: list[str] = field(default_factory=list)
    cards_not_restored: int = 0

    def lines(self) -> list[str]:
        """What a user reads after an undo."""
        out = [f"Restored {', '.join(self.secondaries)}."]
        out += [f"Moved back {n} {table}." for table, n in self.moved_back.items() if n]
        out += [f"Not moved back: {m}." for m in [*self.missing, *self.elsewhere]]
        if self.kept_fields:
            out.append(f"Kept edits made since the merge: {', '.join(self.kept_fields)}.")
        if self.cards_not_restored:
            out.append(
                f"{self.cards_not_restored} saved card(s) removed by the merge do not come back; "
                "add them again from the customer's Cards."
            )
        return out


@dataclass
class MergeSummary:
    merge_id: int
    at: str
    user: str
    secondaries: list[str]  # account numbers
    undone_at: str | None


def _check(conn: sqlite3.Connection, primary_id: int, secondary_ids: list[int]) -> list[int]:
    ordered = list(dict.fromkeys(int(i) for i in secondary_ids))
    if primary_id in ordered:
        raise Refused("the primary customer cannot also be a secondary")
    if not ordered:
        raise Refused("choose at least two customers to merge")
    for cid in (primary_id, *ordered):
        row = conn.execute(
            "SELECT account_number, state FROM customers WHERE id = ?", (cid,)
        ).fetchone()
        if row is None:
            raise NotFound(f"customer {cid} does not exist")
        if row[1] != "active":
            raise Refused(f"{row[0]} is {row[1]}, not in the Customer Centre; it cannot be merged")
    return ordered


def _in(ids: list[int]) -> tuple[str, str]:
    return "IN (SELECT value FROM json_each(?))", json.dumps(ids)


def _cards(conn: sqlite3.Connection, ids: list[int]) -> list[tuple[str, str]]:
    where, arg = _in(ids)
    return [
        (acct, f"{brand} …{last4}")
        for acct, brand, last4 in conn.execute(
            "SELECT c.account_number, k.brand, k.last4 FROM saved_cards k "
            f"JOIN customers c ON c.id = k.customer_id WHERE k.customer_id {where} ORDER BY k.id",
            (arg,),
        )
    ]


def merge_preview(
    db: sqlite_utils.Database, primary_id: int, secondary_ids: list[int]
) -> MergePreview:
    conn = db.conn
    ordered = _check(conn, primary_id, secondary_ids)
    prim = snapshot(conn, primary_id)
    secs = [snapshot(conn, s) for s in ordered]
    where, arg = _in(ordered)
    docs = dict(conn.execute(
        f"SELECT doc_type, count(*) FROM documents WHERE customer_id {where} GROUP BY doc_type",
        (arg,),
    ).fetchall())  # fmt: skip

    def count(table: str) -> int:
        return int(
            conn.execute(
                f"SELECT count(*) FROM {table} WHERE customer_id {where}", (arg,)
            ).fetchone()[0]
        )

    filled = resolve(prim, secs, None)
    fields = {
        f: (prim[f], prim["account_number"]) for f in MERGE_FIELDS if not is_empty(prim.get(f))
    }
    fields.update({f: v for f, v in filled.items() if not is_empty(v[0])})
    renames = site_renames(conn, primary_id, where, arg)
    accounts = dict(conn.execute(
        f"SELECT s.id, c.account_number FROM sites s JOIN customers c ON c.id = s.customer_id "
        f"WHERE s.customer_id {where}", (arg,)).fetchall())  # fmt: skip
    united = {m: _union(prim[m], *(s[m] for s in secs)) for m in MULTI_FIELDS}
    return MergePreview(
        primary=(primary_id, prim["account_number"], prim["name"]),
        secondaries=[(s["id"], s["account_number"], s["name"]) for s in secs],
        documents=docs,
        refunds=count("refunds"),
        deposits=docs.get("customer_deposit", 0),
        communications=count("communications"),
        sites=count("sites"),
        references=united["references"],
        tags=united["tags"],
        brands=united["brands"],
        fields=fields,
        cards_removed=_cards(conn, ordered),
        cards_kept=int(conn.execute(
            "SELECT count(*) FROM saved_cards WHERE customer_id = ?", (primary_id,)
        ).fetchone()[0]),
        choices=field_choices(prim, secs),
        site_renames=[(accounts[i], old, new) for i, (old, new) in renames.items()],
        records=(prim, secs),
    )  # fmt: skip


def _union(*lists: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for values in lists:
        for v in values:
            seen.setdefault(v.casefold(), v)
    return sorted(seen.values(), key=str.casefold)


def merge(
    db: sqlite_utils.Database,
    primary_id: int,
    secondary_ids: list[int],
    picks: dict[str, int] | None = None,
) -> MergeResult:
    """Fold the secondaries into the primary (see the module docstring); one transaction.

    ``picks`` maps a field group's key (``"email"``, ``"bill_to"``, …, see
    :mod:`~xoro_tui.data.customers.merge_fields`) to the customer whose value the merged
    record keeps; without one the primary's value stays (an empty one is filled from the
    first secondary that has it)."""
    with write_tx(db) as conn:
        ordered = _check(conn, primary_id, secondary_ids)
        before = snapshot(conn, primary_id)
        secs = [snapshot(conn, s) for s in ordered]
        filled = resolve(before, secs, picks)
        added = {m: [v for v in _union(*(s[m] for s in secs)) if v.casefold() not in
                     {p.casefold() for p in before[m]}] for m in MULTI_FIELDS}  # fmt: skip
        where, arg = _in(ordered)
        cards = _cards(conn, ordered)
        labels = {t: {str(i): label for i, label in conn.execute(
            f"SELECT id, {_LABEL[t]} FROM {t} WHERE customer_id {where}", (arg,))}
            for t in MOVED_TABLES}  # fmt: skip
        renames = site_renames(conn, primary_id, where, arg)
        journal = {**before, "_merge": {"filled": {f: v for f, (v, _) in filled.items()},
                                        "added": added, "cards_removed": cards,
                                        "labels": labels,
                                        "renamed_sites": {str(i): names for i, names
                                                          in renames.items()}}}  # fmt: skip
        stamp, user = now_iso(), os_user()
        merge_id = inserted_id(conn.execute(
            "INSERT INTO merges(primary_id, at, user, primary_before) VALUES (?, ?, ?, ?)",
            (primary_id, stamp, user, json.dumps(journal, ensure_ascii=False)),
        ))  # fmt: skip
        for sec in secs:
            default = conn.execute(
                "SELECT id FROM sites WHERE customer_id = ? AND is_default = 1", (sec["id"],)
            ).fetchone()
            sec["_default_site_id"] = default[0] if default else None
            conn.execute(
                "INSERT INTO merge_secondaries(merge_id, customer_id, before) VALUES (?, ?, ?)",
                (merge_id, sec["id"], json.dumps(sec, ensure_ascii=False)),
            )
        moved: dict[str, int] = {}
        for table in MOVED_TABLES:
            moved[table] = conn.execute(
                "INSERT INTO merge_moves(merge_id, table_name, row_id, from_customer_id) "
                f"SELECT ?, ?, id, customer_id FROM {table} WHERE customer_id {where}",
                (merge_id, table, arg),
            ).rowcount
            extra = ", version = version + 1" if table in _VERSIONED else ""
            extra += ", is_default = 0" if table == "sites" else ""
            extra += ", updated_at = ?" if table == "refunds" else ""
            args = (primary_id, stamp, arg) if table == "refunds" else (primary_id, arg)
            conn.execute(
                f"UPDATE {table} SET customer_id = ?{extra} WHERE customer_id {where}", args
            )
        conn.executemany(
            "UPDATE sites SET name = ? WHERE id = ?",
            [(new, site_id) for site_id, (_, new) in renames.items()],
        )
        for m in MULTI_FIELDS:
            table, column = _MULTI_TABLE[m]
            conn.execute(f"DELETE FROM {table} WHERE customer_id {where}", (arg,))
            set_multi(conn, primary_id, m, [*before[m], *added[m]])
        conn.execute(f"DELETE FROM saved_cards WHERE customer_id {where}", (arg,))
        if filled:
            sets = ", ".join(f"{f} = ?" for f in filled)
            conn.execute(
                f"UPDATE customers SET {sets}, updated_at = ?, version = version + 1 WHERE id = ?",
                (*(v for v, _ in filled.values()), stamp, primary_id),
            )
        else:
            conn.execute(
                "UPDATE customers SET updated_at = ?, version = version + 1 WHERE id = ?",
                (stamp, primary_id),
            )
        conn.execute(
            "UPDATE customers SET state = 'merged', merged_into = ?, updated_at = ?,"
            f" version = version + 1 WHERE id {where}",
            (primary_id, stamp, arg),
        )
        after = snapshot(conn, primary_id)
        changes = audit.diff(before, after)
        changes["merged"] = (None, [s["account_number"] for s in secs])
        changes["moved"] = (None, [f"{n} {t}" for t, n in moved.items() if n])
        if renames:
            changes["sites_renamed"] = (None, [f"{old} → {new}" for old, new in renames.values()])
        audit.record(conn, "customers", before["account_number"], "merge", changes, user=user)
        for sec in secs:
            gone = [c for acct, c in cards if acct == sec["account_number"]]
            sec_changes: dict[str, tuple[Any, Any]] = {
                "state": ("active", "merged"),
                "merged_into": (None, before["account_number"]),
            }
            if gone:
                sec_changes["saved_cards_removed"] = (gone, None)
            audit.record(conn, "customers", sec["account_number"], "merge", sec_changes, user=user)
    return MergeResult(merge_id, primary_id, ordered, moved, filled, cards)


def undo_merge(db: sqlite_utils.Database, merge_id: int) -> UndoReport:
    """Put a merge back (see the module docstring); edits and rows made since are kept."""
    with write_tx(db) as conn:
        row = conn.execute(
            "SELECT primary_id, primary_before, undone_at FROM merges WHERE id = ?", (merge_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"merge {merge_id} does not exist")
        if row[2] is not None:
            raise Refused(f"this merge was already undone on {row[2][:10]}")
        primary_id, journal = row[0], json.loads(row[1])
        state = conn.execute("SELECT state FROM customers WHERE id = ?", (primary_id,)).fetchone()
        if state is None or state[0] != "active":
            raise Refused(
                "the primary customer is no longer in the Customer Centre "
                f"({state[0] if state else 'purged'}); restore it (or undo its later merge) first"
            )
        report = UndoReport(merge_id)
        _move_back(conn, merge_id, primary_id, journal["_merge"].get("labels", {}), report)
        _rename_back(conn, merge_id, journal["_merge"].get("renamed_sites", {}))
        stamp, user = now_iso(), os_user()
        secs = [json.loads(b) for (b,) in conn.execute(
            "SELECT before FROM merge_secondaries WHERE merge_id = ? ORDER BY customer_id", (merge_id,)
        )]  # fmt: skip
        for sec in secs:
            _restore_secondary(conn, sec, stamp)
            report.secondaries.append(sec["account_number"])
            audit.record(conn, "customers", sec["account_number"], "undo_merge",
                         {"state": ("merged", "active")}, user=user)  # fmt: skip
        before_primary = snapshot(conn, primary_id)
        _restore_primary(conn, primary_id, journal, report, stamp)
        after_primary = snapshot(conn, primary_id)
        changes = audit.diff(before_primary, after_primary)
        changes["unmerged"] = (report.secondaries, None)
        audit.record(conn, "customers", journal["account_number"], "undo_merge", changes, user=user)
        report.cards_not_restored = len(journal["_merge"].get("cards_removed", []))
        conn.execute(
            "UPDATE merges SET undone_at = ?, undone_by = ? WHERE id = ?", (stamp, user, merge_id)
        )
    return report


def _move_back(
    conn: sqlite3.Connection, merge_id: int, primary_id: int, labels: dict, report: UndoReport
) -> None:
    for table in MOVED_TABLES:
        rows = conn.execute(
            f"SELECT m.row_id, m.from_customer_id, t.customer_id FROM merge_moves m "
            f"LEFT JOIN {table} t ON t.id = m.row_id "
            "WHERE m.merge_id = ? AND m.table_name = ? ORDER BY m.row_id",
            (merge_id, table),
        ).fetchall()
        back = [(src, rid) for rid, src, now in rows if now == primary_id]
        named = labels.get(table, {})
        report.missing += [
            f"{named.get(str(rid), f'{table} row {rid}')} (deleted since the merge)"
            for rid, _, now in rows if now is None
        ]  # fmt: skip
        report.elsewhere += [
            f"{named.get(str(rid), f'{table} row {rid}')} (moved to another customer since)"
            for rid, _, now in rows if now is not None and now != primary_id
        ]  # fmt: skip
        extra = ", version = version + 1" if table in _VERSIONED else ""
        conn.executemany(f"UPDATE {table} SET customer_id = ?{extra} WHERE id = ?", back)
        report.moved_back[table] = len(back)


def _rename_back(conn: sqlite3.Connection, merge_id: int, renamed: dict[str, list[str]]) -> None:
    """Sites moved back take their old name, unless renamed again since the merge."""
    conn.executemany(
        "UPDATE sites SET name = ? WHERE id = ? AND name IS ? AND customer_id = (SELECT "
        "from_customer_id FROM merge_moves WHERE merge_id = ? AND table_name = 'sites' "
        "AND row_id = sites.id)",
        [(old, int(site_id), new, merge_id) for site_id, (old, new) in renamed.items()],
    )


def _restore_secondary(conn: sqlite3.Connection, sec: dict[str, Any], stamp: str) -> None:
    sets = ", ".join(f"{f} = ?" for f in MERGE_FIELDS)
    conn.execute(
        f"UPDATE customers SET {sets}, state = 'active', merged_into = NULL, updated_at = ?,"
        " version = version + 1 WHERE id = ?",
        (*(sec.get(f) for f in MERGE_FIELDS), stamp, sec["id"]),
    )
    site = sec.get("_default_site_id")
    if site is not None:
        conn.execute(
            "UPDATE sites SET is_default = 1 WHERE id = ? AND customer_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM sites WHERE customer_id = ? AND is_default = 1)",
            (site, sec["id"], sec["id"]),
        )
    for m in MULTI_FIELDS:
        set_multi(conn, sec["id"], m, sec[m])


def _restore_primary(
    conn: sqlite3.Connection, primary_id: int, journal: dict, report: UndoReport, stamp: str
) -> None:
    current = snapshot(conn, primary_id)
    restore: dict[str, Any] = {}
    for f, merged_value in journal["_merge"]["filled"].items():
        if current.get(f) == merged_value:
            restore[f] = journal.get(f)
            report.restored_fields.append(f)
        else:
            report.kept_fields.append(f)
    # The primary's version always moves: its tags, rows and totals change even when no
    # field is restored, so a form opened before the undo must be refused as stale.
    sets = "".join(f"{f} = ?, " for f in restore)
    conn.execute(
        f"UPDATE customers SET {sets}updated_at = ?, version = version + 1 WHERE id = ?",
        (*restore.values(), stamp, primary_id),
    )
    for m, values in journal["_merge"]["added"].items():
        table, column = _MULTI_TABLE[m]
        conn.executemany(
            f"DELETE FROM {table} WHERE customer_id = ? AND {column} = ?",
            [(primary_id, v) for v in values],
        )


def merges_for(db: sqlite_utils.Database, customer_id: int) -> list[MergeSummary]:
    """Merges where the customer is the primary, newest first (Customer Info's Undo)."""
    rows = db.conn.execute(
        "SELECT m.id, m.at, m.user, m.undone_at, (SELECT json_group_array(c.account_number) "
        "FROM merge_secondaries s JOIN customers c ON c.id = s.customer_id "
        "WHERE s.merge_id = m.id) FROM merges m WHERE m.primary_id = ? ORDER BY m.id DESC",
        (customer_id,),
    ).fetchall()
    return [
        MergeSummary(mid, at, user, json.loads(secs), undone)
        for mid, at, user, undone, secs in rows
    ]
