"""SQLite's functions as pg_compat.sql gives them to PostgreSQL: the same statement, written
once in SQLite's dialect, answers the same on both engines."""

from __future__ import annotations

import sqlite3

import pytest

SAME_ANSWER = [
    "SELECT printf('%04d-%02d-01', 2026, 3), printf('%02d/%04d', 3, 2026)",
    "SELECT printf('%05d', -3), printf('%019d', 7), printf('%d%%', 5)",
    "SELECT date('2021-01-31', '+1 month'), date('2024-02-01', '+1 month', '-1 day')",
    "SELECT date('2024-02-29', '+1 year'), date('2024-03-15', 'start of month', '-1 day')",
    "SELECT date('2024-03-15', '+30 days'), date('not a date', '+1 day'), date('2024-03-15', 'x')",
    "SELECT json_object('k', json_array(x, y)) FROM (SELECT 'a' AS x, NULL AS y)",
    "SELECT json_array(n, n + 1) FROM (SELECT 1 AS n)",
    "SELECT json_object('k', json('[1,2]'))",
    "SELECT json_group_array(n) FROM (SELECT 'b' AS n UNION ALL SELECT 'a\"')",
    "SELECT json_group_array(n) FROM (SELECT 'b' AS n) WHERE 0",
    "SELECT CASE WHEN x = 'CM-1' COLLATE NOCASE THEN 1 ELSE 0 END FROM (SELECT 'cm-1' AS x)",
    "SELECT CASE WHEN x IS ? THEN 1 ELSE 0 END, CASE WHEN x IS NOT ? THEN 1 ELSE 0 END "
    "FROM (SELECT 'a' AS x)",
]


@pytest.mark.parametrize("sql", SAME_ANSWER)
def test_the_same_answer_on_both_engines(pg_db, sql: str) -> None:
    params = ("a", None) if "?" in sql else ()
    expected = sqlite3.connect(":memory:").execute(sql, params).fetchall()
    assert pg_db.conn.execute(sql, params).fetchall() == expected


def test_today_plus_days_is_the_same_date(pg_db) -> None:
    sql = "SELECT date('now', '+30 days'), date('now', 'start of month', '+1 month', '-1 day')"
    assert pg_db.conn.execute(sql).fetchall() == sqlite3.connect(":memory:").execute(sql).fetchall()
