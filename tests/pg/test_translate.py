"""The translation table at the seam (pg_translate.py), rule by rule; no server needed."""

from __future__ import annotations

import pytest

from xoro_tui.data.postgres.pg_translate import FOREIGN_KEY_LIST, translate


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT a FROM t WHERE b = ? AND c = :name", "SELECT a FROM t WHERE b = %s AND c = %(name)s"),
        ("SELECT '?', 'a%' FROM t WHERE x % 2 = ?", "SELECT '?', 'a%%' FROM t WHERE x %% 2 = %s"),
        ("BEGIN IMMEDIATE", "BEGIN"),
        ("INSERT OR IGNORE INTO t(a) VALUES (?)", "INSERT INTO t(a) VALUES (%s) ON CONFLICT DO NOTHING"),
        ("SELECT user, a.user, current_user FROM t", 'SELECT "user", a.user, current_user FROM t'),
        ("SELECT a FROM t WHERE n LIKE ? ESCAPE '\\'", "SELECT a FROM t WHERE n ILIKE %s ESCAPE '\\'"),
        ("SELECT a FROM t ORDER BY name COLLATE NOCASE", "SELECT a FROM t ORDER BY name::citext"),
        ("SELECT a FROM t WHERE NULLIF(e, '') COLLATE NOCASE = ?",
         "SELECT a FROM t WHERE NULLIF(e, '')::citext = %s"),
        ("SELECT 1 FROM a CROSS JOIN b ON b.x = a.x", "SELECT 1 FROM a JOIN b ON b.x = a.x"),
        ("SELECT 1 FROM t WHERE 1 AND 0 OR 1 = 1", "SELECT 1 FROM t WHERE true AND false OR 1 = 1"),
        ("SELECT a FROM t ORDER BY +t.a, b + 1", "SELECT a FROM t ORDER BY t.a, b + 1"),
        ("SELECT a FROM t ORDER BY +(a IS NULL OR a = ''), x +(y), +NULLIF(a, '')",
         "SELECT a FROM t ORDER BY (a IS NULL OR a = ''), x +(y), NULLIF(a, '')"),
        ("UPDATE t SET a = ? WHERE b IS ? AND c IS NOT ? AND d IS NOT NULL AND e IS NULL",
         "UPDATE t SET a = %s WHERE b IS NOT DISTINCT FROM %s AND c IS DISTINCT FROM %s "
         "AND d IS NOT NULL AND e IS NULL"),
        ("SELECT 1 FROM t WHERE a IS json_extract(j, '$[1]') AND b IS 'x'",
         "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM json_extract(j, '$[1]') "
         "AND b IS NOT DISTINCT FROM 'x'"),
        ("SELECT count(*) FROM (SELECT a FROM t)", "SELECT count(*) FROM (SELECT a FROM t) AS xoro_sub1"),
        ("SELECT a FROM t WHERE a GLOB :g", "SELECT a FROM t WHERE xoro_glob(a, %(g)s)"),
        ("PRAGMA user_version", "SELECT coalesce(max(version), 0) FROM schema_migrations"),
        ("PRAGMA journal_mode = WAL", "SELECT NULL WHERE false"),
        ("PRAGMA cache_size", "SELECT 0"),
        ("PRAGMA integrity_check", "SELECT 'ok'"),
        ("PRAGMA foreign_key_list([tags])", FOREIGN_KEY_LIST.format(table="tags")),
    ],
)  # fmt: skip
def test_each_rule(sqlite: str, postgres: str) -> None:
    assert translate(sqlite) == postgres


def test_string_literals_are_never_rewritten() -> None:
    sql = "SELECT 'user LIKE ? WHERE 1 CROSS JOIN x ON', \"user\" FROM t"
    assert translate(sql) == sql
