"""The SQLite SQL the repositories write, as PostgreSQL reads it: the whole translation table.

Repositories are written once, in SQLite's dialect. What PostgreSQL lacks is either given to
it as a function of the same name and meaning (``pg_compat.sql``: ``xoro_fold``,
``group_concat``, ``instr``, ``iif``, ``json_extract``, two-argument ``max``/``min``,
``printf`` for ``%d``/``%s`` with widths, ``date`` with modifiers, ``json_array``,
``json_object``, ``json_group_array`` writing SQLite's compact JSON text, and comparisons
between ``text`` and ``citext`` made case aside: tests/pg/test_compat_functions.py), or
rewritten here, one statement at a time (cached), by this table:

=============================  ===========================================================
SQLite                         PostgreSQL
=============================  ===========================================================
``?`` and ``:name``            ``%s`` and ``%(name)s`` (psycopg's); every ``%`` is ``%%``
                               (a statement run without parameters gets them back single,
                               pg_connection.py: psycopg then reads no placeholders)
``x GLOB p``                   ``xoro_glob(x, p)`` (pg_compat.sql: the glob as a regex)
``BEGIN IMMEDIATE``            ``BEGIN`` and a transaction advisory lock (pg_connection.py):
                               one writer at a time across servers, as SQLite's, so a
                               version read and checked stays true until the commit
``INSERT OR IGNORE INTO …``    ``INSERT INTO … ON CONFLICT DO NOTHING``
``INSERT OR REPLACE INTO t …``  an upsert on t's primary key (in pg_connection.py: it
                               needs the catalogue)
``user`` (a column name)       ``"user"`` (a reserved word in PostgreSQL)
``LIKE``                       ``ILIKE`` (SQLite's LIKE ignores ASCII case)
``CROSS JOIN … ON``            ``JOIN … ON`` (SQLite's hint fixing the join order)
``WHERE 1``, ``AND 0`` …       ``WHERE true``, ``AND false`` (a condition must be boolean)
``ORDER BY +c.x``, ``+(…)``     ``ORDER BY c.x``, ``(…)`` (SQLite's "no index for this" hint)
``x IS ?``, ``x IS NOT f(…)``  ``x IS NOT DISTINCT FROM %s``, ``x IS DISTINCT FROM f(…)``
                               (SQLite's IS compares any two values; PostgreSQL's only
                               takes NULL, TRUE, FALSE after it)
``FROM (SELECT …)``            ``FROM (SELECT …) AS xoro_subN`` (PostgreSQL 15 wants a name)
``x COLLATE NOCASE``           ``x::citext``: compared and sorted case aside (a no-op on the
                               columns declared NOCASE, which are ``citext`` there)
``PRAGMA data_version``        the newest transaction id in the snapshot (moves with commits)
``PRAGMA user_version``        the newest version in ``schema_migrations``
``PRAGMA database_list``       the current database's name
``PRAGMA table_info(t)``       the table's columns from information_schema (sqlite-utils)
``PRAGMA foreign_key_list(t)`` t's foreign keys from pg_constraint, in SQLite's columns
                               (sqlite-utils: the lookups a value is used by, redact's
                               parents-first order)
``PRAGMA integrity_check``     ``ok`` (PostgreSQL checks its pages itself)
other ``PRAGMA``               setting one: nothing; reading one: 0 (SQLite's knobs)
=============================  ===========================================================

String literals and quoted identifiers are never rewritten.
"""

from __future__ import annotations

import functools
import re

_LITERALS = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(?P<name>\w+)\s*(?:=\s*(?P<value>.+?))?\s*;?\s*$", re.I | re.S)
_PRAGMA_OF = re.compile(
    r"^\s*PRAGMA\s+(?P<name>\w+)\s*\(\s*[\"\[`']?(?P<table>\w+)[\"\]`']?\s*\)\s*;?\s*$", re.I
)
_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_BEGIN_IMMEDIATE = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\s*;?\s*$", re.I)
_USER = re.compile(r"(?<![\w.\"])user\b(?!\s*\()")
_NOCASE = re.compile(r"\s+COLLATE\s+NOCASE\b", re.I)
_LIKE = re.compile(r"\bLIKE\b", re.I)
_CROSS_JOIN = re.compile(r"\bCROSS\s+JOIN\b(?=[^;]*?\bON\b)", re.I)
#: a bare 1 or 0 standing as a condition (``WHERE 1``, ``AND 0``): PostgreSQL wants a boolean
_BARE_TRUTH = re.compile(r"\b(WHERE|AND|OR|ON|WHEN|HAVING)\s+([01])\b(?!\s*[-+*/%=<>!.|])", re.I)
#: SQLite's unary ``+`` before a column (``ORDER BY +r.refund_number``: "do not use an index
#: for this"), which PostgreSQL has no operator for on text
_UNARY_PLUS = re.compile(r"(^|[\s(,])\+(?=[A-Za-z_])")
#: the same hint before a parenthesis (``ORDER BY +(c.email IS NULL …)``), only where no
#: operand can stand before it (after BY, a comma or an opening parenthesis): never an addition
_UNARY_PLUS_PAREN = re.compile(r"(\bBY\s+|,\s*|\(\s*)\+\s*(?=\()", re.I)
#: SQLite's ``IS`` / ``IS NOT`` before anything but NULL, TRUE, FALSE (a placeholder, a
#: column, a function's value): PostgreSQL's ``IS [NOT] DISTINCT FROM``
_IS_VALUE = re.compile(
    r"\bIS\s+(NOT\s+)?(?!(?:NULL|NOT|TRUE|FALSE|UNKNOWN|DISTINCT|OF|DOCUMENT|NORMALIZED|JSON)\b)",
    re.I,
)
_FROM_SUBQUERY = re.compile(r"\bFROM\s*\(\s*(?=SELECT\b|WITH\b|VALUES\b)", re.I)
_AFTER_SUBQUERY = re.compile(
    r"\s*(?:$|\)|;|,|WHERE\b|GROUP\b|ORDER\b|LIMIT\b|UNION\b|EXCEPT\b|INTERSECT\b|"
    r"HAVING\b|JOIN\b|LEFT\b|CROSS\b|INNER\b|ON\b|WINDOW\b|OFFSET\b)",
    re.I,
)
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_GLOB = re.compile(r"([\w.\"]+)\s+GLOB\s+(:\w+|\?|'(?:[^']|'')*')", re.I)

PRAGMAS = {
    "data_version": "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint",
    "user_version": "SELECT coalesce(max(version), 0) FROM schema_migrations",
    "database_list": "SELECT 0, 'main', current_database()",
    "schema_version": "SELECT 0",
    "integrity_check": "SELECT 'ok'",
    "quick_check": "SELECT 'ok'",
    "foreign_key_check": "SELECT NULL, NULL, NULL, NULL WHERE false",
}

#: ``PRAGMA table_info(t)`` (what sqlite-utils' introspection asks): a table's columns as
#: SQLite names them (cid, name, type, notnull, default, position in the primary key),
#: without generated columns, as SQLite's table_info leaves them out
TABLE_INFO = """SELECT (row_number() OVER (ORDER BY c.ordinal_position)) - 1, c.column_name::text,
  CASE WHEN c.data_type IN ('bigint', 'integer', 'smallint') THEN 'INTEGER'
       WHEN c.data_type = 'double precision' THEN 'REAL' WHEN c.data_type = 'bytea' THEN 'BLOB'
       ELSE 'TEXT' END,
  (c.is_nullable = 'NO')::int, c.column_default,
  coalesce((SELECT array_position(x.indkey::int2[], a.attnum) - array_lower(x.indkey::int2[], 1) + 1
              FROM pg_index x WHERE x.indrelid = a.attrelid AND x.indisprimary), 0)
  FROM information_schema.columns c
  JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_name))::regclass
   AND a.attname = c.column_name
 WHERE c.table_schema = current_schema() AND c.table_name = '{table}' AND c.is_generated = 'NEVER'
 ORDER BY c.ordinal_position"""

#: ``PRAGMA foreign_key_list(t)``: t's foreign keys as SQLite lists them (id, seq, parent
#: table, column, parent column, on update, on delete, match)
_ACTIONS = "'c', 'CASCADE', 'n', 'SET NULL', 'd', 'SET DEFAULT', 'r', 'RESTRICT'"
FOREIGN_KEY_LIST = f"""SELECT (dense_rank() OVER (ORDER BY c.conname)) - 1, (u.seq - 1)::int,
  p.relname::text, a.attname::text, pa.attname::text,
  coalesce((json_build_object({_ACTIONS}) ->> c.confupdtype::text), 'NO ACTION'),
  coalesce((json_build_object({_ACTIONS}) ->> c.confdeltype::text), 'NO ACTION'), 'NONE'
  FROM pg_constraint c
  CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS u(col, parent_col, seq)
  JOIN pg_class p ON p.oid = c.confrelid
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.col
  JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = u.parent_col
 WHERE c.contype = 'f' AND c.conrelid = to_regclass(quote_ident('{{table}}'))
 ORDER BY 1, 2"""


def closing_paren(sql: str, start: int) -> int:
    """The index of the parenthesis closing the one opened just before ``start``, skipping
    string literals and quoted names; -1 if none."""
    depth, i, quote = 1, start, ""
    while i < len(sql):
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def translate_unbound(sql: str) -> str:
    """``sql`` translated for a run without parameters: psycopg then reads no placeholders,
    so the doubled ``%`` is single again."""
    return translate(sql).replace("%%", "%")


def split_statements(script: str) -> list[str]:
    """The statements of ``script`` (a trigger's body), split on ``;`` outside literals."""
    statements, current = [], ""
    for i, part in enumerate(_LITERALS.split(script)):
        if i % 2:
            current += part
            continue
        *done, current_tail = (current + part).split(";")
        statements += done
        current = current_tail
    statements.append(current)
    return [s.strip() for s in statements if s.strip()]


def name_subqueries(sql: str) -> str:
    """``FROM (SELECT …)`` with no name gets one: PostgreSQL 15 requires it, SQLite not."""
    out, at, n = [], 0, 0
    for found in _FROM_SUBQUERY.finditer(sql):
        if found.start() < at:
            continue  # inside a subquery named above (named with it)
        end = closing_paren(sql, found.end())
        if end < 0:
            return sql
        if _AFTER_SUBQUERY.match(sql, end + 1):
            n += 1
            inner = name_subqueries(sql[found.end() : end])
            out.append(f"{sql[at : found.end()]}{inner}) AS xoro_sub{n}")
            at = end + 1
    out.append(sql[at:])
    return "".join(out)


def _code(part: str) -> str:
    """Rewrite a stretch of SQL with no literal in it."""
    part = part.replace("%", "%%").replace("?", "%s")
    part = _NAMED.sub(r"%(\1)s", part)
    part = _USER.sub('"user"', part)
    part = _NOCASE.sub("::citext", part)
    part = _CROSS_JOIN.sub("JOIN", part)
    part = _UNARY_PLUS.sub(r"\1", part)
    part = _UNARY_PLUS_PAREN.sub(r"\1", part)
    part = _IS_VALUE.sub(lambda m: "IS DISTINCT FROM " if m[1] else "IS NOT DISTINCT FROM ", part)
    part = _BARE_TRUTH.sub(lambda m: f"{m[1]} {'true' if m[2] == '1' else 'false'}", part)
    return _LIKE.sub("ILIKE", part)


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """``sql`` (SQLite's dialect, ``?`` placeholders) as PostgreSQL and psycopg read it."""
    pragma = _PRAGMA.match(sql)
    if pragma:
        if pragma["name"].lower() in PRAGMAS:
            return PRAGMAS[pragma["name"].lower()]
        # a setting SQLite needs and PostgreSQL does not: set, nothing; read, a 0
        return "SELECT NULL WHERE false" if pragma["value"] else "SELECT 0"
    pragma_of = _PRAGMA_OF.match(sql)
    if pragma_of:
        if pragma_of["name"].lower() == "table_info":
            return TABLE_INFO.format(table=pragma_of["table"])
        if pragma_of["name"].lower() == "foreign_key_list":
            return FOREIGN_KEY_LIST.format(table=pragma_of["table"])
        return "SELECT NULL WHERE false"
    if _BEGIN_IMMEDIATE.match(sql):
        return "BEGIN"
    sql = _GLOB.sub(r"xoro_glob(\1, \2)", sql)
    sql = name_subqueries(sql)
    ignore = bool(_OR_IGNORE.search(sql))
    if ignore:
        sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1)
    parts = _LITERALS.split(sql)
    # a literal's ``%`` is doubled as the code's: psycopg reads both for placeholders
    out = "".join(p.replace("%", "%%") if i % 2 else _code(p) for i, p in enumerate(parts))
    if ignore:
        out = out.rstrip().rstrip(";")
        body, returning, tail = out.rpartition(" RETURNING ")
        out = (
            f"{body} ON CONFLICT DO NOTHING RETURNING {tail}"
            if returning
            else f"{out} ON CONFLICT DO NOTHING"
        )
    return out
