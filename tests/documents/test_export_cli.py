"""``xoro-tui export``: the import's columns without a view, a saved view's with one."""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import customer
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CUSTOMER_FIELDS, CardIn
from xoro_tui.data.models.views import View
from xoro_tui.data.store.ui_settings import SettingsRepository
from xoro_tui.documents import exports
from xoro_tui.documents.export_sources import CARD_FIELDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xoro_tui", "export", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def read(path: Path, delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.fixture
def people(db, db_path: Path) -> Path:
    customer(db, account_number="A-1", name="Smith & Sons", email="ann@smith.example")
    customer(db, account_number="A-2", name="=1+1", phone="+44 20 5555 0106")
    customer(db, account_number="A-3", name="Zoë Smithers", email="zoe@example.com")
    customer(db, account_number="A-4", name="Jones Ltd")
    return db_path


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_export_customers_csv_with_the_import_columns(people: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = run("customers", "--format", "csv", "--out", str(out), "--db", str(people))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"{out}: 4 customers in ")
    header, *rows = read(out)
    assert header == list(CUSTOMER_FIELDS)
    assert [r[:2] for r in rows] == [["A-1", "Smith & Sons"], ["A-2", "'=1+1"],
                                     ["A-3", "Zoë Smithers"], ["A-4", "Jones Ltd"]]  # fmt: skip
    assert rows[1][4] == "+44 20 5555 0106"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_search_and_semicolons(people: Path, tmp_path: Path) -> None:
    out = tmp_path / "smith.csv"
    result = run("customers", "--format", "csv", "--out", str(out), "--db", str(people),
                 "--search", "smith", "--delimiter", ";")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 customers" in result.stdout
    header, *rows = read(out, ";")
    assert header[:2] == ["account_number", "name"]
    assert [r[0] for r in rows] == ["A-1", "A-3"]


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_export_with_a_saved_view(db, people: Path, tmp_path: Path) -> None:
    view = View(columns=["email", "name"], sort=("name", True), search="smith")
    SettingsRepository(db).save_view("customers", "Smiths", view)
    SettingsRepository(db, user="alice").save_view(
        "customers", "Jones", View(columns=["name"], search="jones")
    )
    out = tmp_path / "view.xlsx"
    result = run("customers", "--format", "xlsx", "--out", str(out), "--db", str(people),
                 "--view", "Smiths")  # fmt: skip
    assert result.returncode == 0, result.stderr
    import openpyxl

    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows == [("Email", "Customer Name"), ("zoe@example.com", "Zoë Smithers"),
                    ("ann@smith.example", "Smith & Sons")]  # fmt: skip
    theirs = tmp_path / "theirs.csv"
    result = run("customers", "--format", "csv", "--out", str(theirs), "--db", str(people),
                 "--view", "alice/Jones")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert read(theirs) == [["Customer Name"], ["Jones Ltd"]]


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_a_saved_views_then_by_orders_the_export(db, db_path: Path, tmp_path: Path) -> None:
    for number, name, city in [("C-1", "Zeta", "Oslo"), ("C-2", "Alpha", "Bergen"),
                               ("C-3", "Mira", "Oslo"), ("C-4", "Beta", "Oslo"),
                               ("C-5", "Kappa", None), ("C-6", "Gamma", "Bergen")]:  # fmt: skip
        customer(db, account_number=number, name=name, bill_to_city=city)
    view = View(columns=["bill_to_city", "name"], sort=("bill_to_city", False),
                then_by=("name", False))  # fmt: skip
    SettingsRepository(db).save_view("customers", "By city", view)
    out = tmp_path / "by-city.csv"
    result = run("customers", "--format", "csv", "--out", str(out), "--db", str(db_path),
                 "--view", "By city")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert read(out) == [["Bill To City", "Customer Name"], ["Bergen", "Alpha"],
                         ["Bergen", "Gamma"], ["Oslo", "Beta"], ["Oslo", "Mira"],
                         ["Oslo", "Zeta"], ["", "Kappa"]]  # fmt: skip
    SettingsRepository(db).save_view("customers", "By city", view.model_copy(
        update={"then_by": ("name", True)}))  # fmt: skip
    result = run("customers", "--format", "csv", "--out", str(out), "--db", str(db_path),
                 "--view", "By city")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [r[1] for r in read(out)[1:]] == ["Gamma", "Alpha", "Zeta", "Mira", "Beta", "Kappa"]


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_unknown_view_is_one_clear_line(people: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = run("customers", "--format", "csv", "--out", str(out), "--db", str(people),
                 "--view", "Nope")  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip().count("\n") == 0 and "no saved customers view named" in result.stderr
    )
    assert not out.exists()


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_missing_folder_is_refused(people: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "x.csv"
    result = run("customers", "--format", "csv", "--out", str(out), "--db", str(people))
    assert result.returncode == 1 and "no folder" in result.stderr
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_out_folder_gets_a_default_name(people: Path, tmp_path: Path) -> None:
    result = run("customers", "--format", "txt", "--out", str(tmp_path), "--db", str(people),
                 "--search", "Smith")  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = [p.name for p in tmp_path.glob("customers-smith-*.txt")]
    assert len(written) == 1 and written[0] in result.stdout


@pytest.mark.slow  # starts the command line in a process: left out by `make test-quick`
def test_export_cards_has_last4_only(db, people: Path, tmp_path: Path) -> None:
    smith = db.conn.execute("SELECT id FROM customers WHERE account_number = 'A-1'").fetchone()[0]
    CustomerRepository(db).add_card(
        smith, CardIn(brand="Visa", last4="4242", exp_month=1, exp_year=2020, cardholder="Ann")
    )
    out = tmp_path / "cards.csv"
    result = run("cards", "--format", "csv", "--out", str(out), "--db", str(people))
    assert result.returncode == 0, result.stderr
    assert read(out) == [list(CARD_FIELDS),
                         ["A-1", "Smith & Sons", "Visa", "4242", "1", "2020", "Expired"]]  # fmt: skip


def test_refuses_in_memory_formats_past_the_limit(
    people: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from xoro_tui.cli import main

    monkeypatch.setitem(exports.MEMORY_LIMITS, "pdf", len(CUSTOMER_FIELDS) * 3)
    out = tmp_path / "big.pdf"
    code = main(["export", "customers", "--format", "pdf", "--out", str(out), "--db", str(people)])
    assert code == 1
    err = capsys.readouterr().err
    assert "at most 3 rows" in err and "CSV" in err and "xlsx" in err
    assert list(tmp_path.glob("*big*")) == []
    code = main(["export", "customers", "--format", "pdf", "--out", str(out), "--db", str(people),
                 "--search", "smith"])  # fmt: skip
    assert code == 0 and out.exists()
