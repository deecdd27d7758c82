"""The command line on PostgreSQL: the commands a clerk's and an admin's scripts run, with
``--db`` a PostgreSQL URL, answer as they do on a SQLite file (their SQLite twins are in
tests/cli and tests/data)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.pg.conftest import xoro


def test_users_import_export_audit_check_and_purge_on_postgresql(
    pg_cluster, pg_url, tmp_path: Path
) -> None:
    url = pg_cluster.tcp_url(pg_url.dbname)  # as the app's role, password from the URL
    added = xoro("users", "add", "clerk1", "--role", "clerk", "--db", url)
    assert added.returncode == 0, added.stderr
    listed = xoro("users", "list", "--db", url)
    assert listed.returncode == 0, listed.stderr
    assert "clerk1" in listed.stdout and "clerk" in listed.stdout

    source = tmp_path / "in.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Account #", "Customer Name", "Email", "Sales Rep"])
        writer.writerow(["PG-1", "Kittiwake Ltd", "k@example.com", "Ann Ek"])
        writer.writerow(["PG-2", "Øresund AB", "o@example.se", "=1+1"])
    imported = xoro("import", "customers", str(source), "--db", url)
    assert imported.returncode == 0, imported.stderr

    exported = tmp_path / "out.csv"
    result = xoro("export", "customers", "--format", "csv", "--out", str(exported), "--db", url)
    assert result.returncode == 0, result.stderr
    text = exported.read_text(encoding="utf-8-sig")
    assert "Kittiwake Ltd" in text and "Øresund AB" in text
    assert "'=1+1" in text  # a formula is neutralised on this engine too

    audit = xoro("audit", "--db", url, "--table", "customers", "--limit", "5")
    assert audit.returncode == 0, audit.stderr
    assert "PG-1" in audit.stdout and "PG-2" in audit.stdout

    checked = xoro("check", "--db", url)
    assert checked.returncode == 0, checked.stderr
    retention = xoro("settings", "retention-days", "30", "--db", url)
    assert retention.returncode == 0, retention.stderr
    purged = xoro("purge", "--db", url)
    assert purged.returncode == 0, purged.stderr
    # the password never reaches the screen
    for shown in (added, listed, imported, result, audit, checked, retention, purged):
        assert "s3cret" not in shown.stdout + shown.stderr


def test_a_bad_row_is_refused_in_one_line_and_changes_nothing_on_postgresql(
    pg_cluster, pg_url, tmp_path: Path
) -> None:
    url = pg_cluster.tcp_url(pg_url.dbname)
    source = tmp_path / "bad.csv"
    source.write_text("Account #,Customer Name\nPG-9,Good\n,\n", encoding="utf-8")
    refused = xoro("import", "customers", str(source), "--db", url)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "row 2, column Account #: missing" in refused.stderr
    assert "nothing imported" in refused.stderr
    exported = tmp_path / "out.csv"
    xoro("export", "customers", "--format", "csv", "--out", str(exported), "--db", url)
    assert "PG-9" not in exported.read_text(encoding="utf-8-sig")  # one transaction
