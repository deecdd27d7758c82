"""The SQLite SQL the repositories write, as PostgreSQL reads it: the whole translation table.

Repositories are written once, in SQLite's dialect. What PostgreSQL lacks is either given to
it as a function of the same name and meaning (``pg_compat.sql``: ``xoro_fold``,
``group_concat``, ``instr``, ``iif``, ``json_extract``, two-argument ``max``/``min``,
``printf`` for ``%0Nd``), or rewritten here, one statement at a time (cached), by this table:

=============================  ===========================================================
SQLite                         PostgreSQL
=============================  ===========================================================
``?``                          ``%s`` (psycopg's placeholder); a literal ``%`` is ``%%``
``BEGIN IMMEDIATE``            ``BEGIN`` (writers then lock the rows they change; the few
                               read-then-write counters lock theirs with a no-op UPDATE)
``INSERT OR IGNORE INTO …``    ``INSERT INTO … ON CONFLICT DO NOTHING``
``user`` (a column name)       ``"user"`` (a reserved word in PostgreSQL)
``LIKE``                       ``ILIKE`` (SQLite's LIKE ignores ASCII case)
``COLLATE NOCASE``             dropped: those columns are ``citext`` on PostgreSQL
``PRAGMA data_version``        the newest transaction id in the snapshot (moves with commits)
``PRAGMA user_version``        the newest version in ``schema_migrations``
``PRAGMA database_list``       the current database's name
other ``PRAGMA``               nothing (a no-op query): settings SQLite needs, PG does not
=============================  ===========================================================

String literals and quoted identifiers are never rewritten.
"""

from __future__ import annotations

import functools
import re

_LITERALS = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(?P<name>\w+)\s*(?:=\s*(?P<value>.+?))?\s*;?\s*$", re.I | re.S)
_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_BEGIN_IMMEDIATE = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\s*;?\s*$", re.I)
_USER = re.compile(r"(?<![\w.\"])user\b(?!\s*\()")
_NOCASE = re.compile(r"\s+COLLATE\s+NOCASE\b", re.I)
_LIKE = re.compile(r"\bLIKE\b", re.I)

PRAGMAS = {
    "data_version": "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint",
    "user_version": "SELECT coalesce(max(version), 0) FROM schema_migrations",
    "database_list": "SELECT 0, 'main', current_database()",
    "schema_version": "SELECT 0",
}


def _code(part: str) -> str:
    """Rewrite a stretch of SQL with no literal in it."""
    part = part.replace("%", "%%").replace("?", "%s")
    part = _USER.sub('"user"', part)
    part = _NOCASE.sub("", part)
    return _LIKE.sub("ILIKE", part)


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """``sql`` (SQLite's dialect, ``?`` placeholders) as PostgreSQL and psycopg read it."""
    pragma = _PRAGMA.match(sql)
    if pragma:
        return PRAGMAS.get(pragma["name"].lower(), "SELECT NULL WHERE false")
    if _BEGIN_IMMEDIATE.match(sql):
        return "BEGIN"
    ignore = bool(_OR_IGNORE.search(sql))
    if ignore:
        sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1)
    parts = _LITERALS.split(sql)
    out = "".join(p if i % 2 else _code(p) for i, p in enumerate(parts))
    if ignore:
        out = out.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return out
