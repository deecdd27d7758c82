"""``xoro-tui export customers`` and ``refunds`` on PostgreSQL write the bytes they write
on SQLite for the same data, with and without a quick search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import customer
from tests.pg.conftest import xoro


def _seed(db: Any) -> None:
    for n, (name, phone, active) in enumerate(
        [("Alpha Ltd", "+44 20 7946 0011", True), ("Zoë Ångström", None, False),
         ("Beta GmbH", "555 0199", True)],
        start=1,
    ):  # fmt: skip
        customer(db, account_number=f"E-{n:03d}", name=name, phone=phone, is_active=active)


@pytest.mark.parametrize("search", [None, "alpha", "zoe"])
def test_export_customers_csv_is_the_same_on_both_engines(
    db, db_path: Path, pg_db, pg_db_url, tmp_path: Path, search: str | None
) -> None:
    _seed(db)
    _seed(pg_db)
    pg_db.conn.commit()
    files = []
    for where, name in ((str(db_path), "sqlite.csv"), (pg_db_url.conninfo, "pg.csv")):
        out = tmp_path / name
        extra = ["--search", search] if search else []
        done = xoro("export", "customers", "--format", "csv", "--out", str(out), "--db", where,
                    *extra)  # fmt: skip
        assert done.returncode == 0, done.stderr
        files.append(out.read_bytes())
    assert files[0] == files[1]
    lines = files[1].decode("utf-8-sig").splitlines()
    assert len(lines) == {None: 4, "alpha": 2, "zoe": 2}[search]
    if search == "zoe":
        assert "Zoë Ångström" in lines[1]


@pytest.mark.parametrize("fmt", ["txt", "xlsx", "pdf"])
def test_export_customers_and_refunds_in_other_formats_on_postgresql(
    pg_db, pg_db_url, tmp_path: Path, fmt: str
) -> None:
    from xoro_tui.data.refunds.refund_repo import RefundRepository

    _seed(pg_db)
    made = customer(pg_db, account_number="E-900", name="Refunded Co")
    RefundRepository(pg_db, user="me").create(
        made.id, amount=1250, currency="USD", refund_date="2026-01-02", payment_method="ACH",
        memo="Returned goods",
    )  # fmt: skip
    pg_db.conn.commit()
    for what in ("customers", "refunds"):
        out = tmp_path / f"{what}.{fmt}"
        done = xoro("export", what, "--format", fmt, "--out", str(out), "--db",
                    pg_db_url.conninfo, "--search", "re")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 0
        if fmt == "txt":  # "re" finds the refund by its memo, its customer by name
            shown = "Refunded Co" if what == "customers" else "E-900"
            assert shown in out.read_text(encoding="utf-8-sig")
