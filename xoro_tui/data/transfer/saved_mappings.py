"""Import mappings saved under a name: a preset and ``--map`` text, for the Import screen
and ``xoro-tui import … --mapping NAME``.

Saving needs the role the import itself needs (see
:mod:`xoro_tui.data.store.permissions`); saving a name again replaces it, unless the
caller's ``version`` is stale (someone else saved it meanwhile). Each save is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import now_iso, os_user
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.permissions import require
from xoro_tui.data.transfer import mapping

KINDS = ("customers", "refunds")
NAME_LIMIT = 60


@dataclass(frozen=True)
class SavedMapping:
    name: str
    kind: str
    preset: str | None
    column_map: str
    version: int = 1


def names(db: sqlite_utils.Database, kind: str) -> list[str]:
    rows = db.conn.execute(
        "SELECT name FROM import_mappings WHERE kind = ? ORDER BY name COLLATE NOCASE", (kind,)
    ).fetchall()
    return [r[0] for r in rows]


def load(db: sqlite_utils.Database, name: str, kind: str | None = None) -> SavedMapping:
    """The mapping saved as ``name`` (case-blind); a one-line Refused when there is none."""
    row = db.conn.execute(
        "SELECT name, kind, preset, column_map, version FROM import_mappings WHERE name = ?",
        (name.strip(),),
    ).fetchone()
    if row is None:
        known = names(db, kind) if kind else []
        hint = f"; saved {kind} mappings: {', '.join(known)}" if known else ""
        raise Refused(f"no import mapping named {name!r}{hint}")
    found = SavedMapping(*row)
    if kind is not None and found.kind != kind:
        raise Refused(f"the mapping {found.name!r} is for {found.kind}, not {kind}")
    return found


def save(
    db: sqlite_utils.Database,
    wanted: SavedMapping,
    *,
    user: str | None = None,
    expected_version: int | None = None,
) -> SavedMapping:
    """Insert or replace the mapping ``wanted.name``; refuse a stale ``expected_version``."""
    name = " ".join(wanted.name.split())
    if not name:
        raise Refused("give the mapping a name")
    if len(name) > NAME_LIMIT:
        raise Refused(f"a mapping name has at most {NAME_LIMIT} characters")
    if wanted.kind not in KINDS:
        raise Refused(f"a mapping is for one of: {', '.join(KINDS)}")
    if wanted.preset is not None and wanted.preset not in mapping.PRESETS:
        raise Refused(f"unknown preset {wanted.preset!r}")
    mapping.parse_map(wanted.column_map)  # refuses text --map would refuse
    user = user or os_user()
    require(db, f"import {wanted.kind}", user)
    with write_tx(db) as conn:
        row = conn.execute(
            "SELECT name, kind, preset, column_map, version FROM import_mappings WHERE name = ?",
            (name,),
        ).fetchone()
        if row is not None and expected_version is not None and row[4] != expected_version:
            raise Refused(f"{row[0]!r} was saved by someone else meanwhile; load it again")
        if row is not None and row[1] != wanted.kind:
            raise Refused(f"{row[0]!r} is already a {row[1]} mapping; choose another name")
        before = {"preset": row[2], "column_map": row[3]} if row else {}
        after = {"preset": wanted.preset, "column_map": wanted.column_map}
        version = (row[4] + 1) if row else 1
        conn.execute(
            "INSERT INTO import_mappings(name, kind, preset, column_map, version, updated_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
            " preset = excluded.preset, column_map = excluded.column_map,"
            " version = excluded.version, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            (name, wanted.kind, wanted.preset, wanted.column_map, version, user, now_iso()),
        )
        stored = row[0] if row else name
        audit.record(
            conn, "import_mappings", stored, "update" if row else "insert",
            audit.diff(before, after), user=user,
        )  # fmt: skip
    return SavedMapping(stored, wanted.kind, wanted.preset, wanted.column_map, version)
