"""SQLite's triggers, as PostgreSQL trigger functions: the same statements, translated.

The triggers that keep each customer's money (``customer_money.triggers()``) are written
once, in SQLite's words. PostgreSQL has no trigger body of its own: each trigger becomes a
PL/pgSQL function holding the same statements (through the one translation table,
pg_translate.py) and a row trigger on the same event calling it. ``NEW`` and ``OLD`` mean
the same in both.
"""

from __future__ import annotations

import re

from xoro_tui.data.postgres.pg_translate import split_statements, translate_unbound

_TRIGGER = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>\w+)\s+"
    r"(?P<when>BEFORE|AFTER)\s+(?P<event>INSERT|DELETE|UPDATE(?:\s+OF\s+[\w\s,]+?)?)\s+"
    r"ON\s+(?P<table>\w+)\s+(?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+(?P<condition>.+?)\s+)?"
    r"BEGIN\b(?P<body>.*)\bEND\s*;?\s*$",
    re.I | re.S,
)


def _statement(sql: str) -> str:
    """One statement of a trigger body (no parameters there)."""
    if "?" in sql:
        raise ValueError(f"a trigger statement cannot take parameters: {sql[:60]!r}")
    return translate_unbound(sql)


def plpgsql_trigger(sqlite_sql: str) -> list[str]:
    """The function and the trigger PostgreSQL needs for one SQLite ``CREATE TRIGGER``."""
    found = _TRIGGER.match(sqlite_sql)
    if found is None:
        raise ValueError(f"not a trigger PostgreSQL can be given: {sqlite_sql[:80]!r}")
    name, table = found["name"], found["table"]
    body = ";\n  ".join(_statement(s) for s in split_statements(found["body"]))
    condition = f"WHEN ({_statement(found['condition'])}) " if found["condition"] else ""
    event = " ".join(found["event"].split())
    return [
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n  {body};\n  RETURN NULL;\nEND $$",
        f"CREATE TRIGGER {name} {found['when']} {event} ON {table} FOR EACH ROW "
        f"{condition}EXECUTE FUNCTION {name}_fn()",
    ]
