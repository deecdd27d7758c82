"""The Import screen's data side: the preview is the import's own reading, matching and
checking, with nothing written; a saved mapping's text maps back to the same fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xoro_tui.data.store.errors import Refused
from xoro_tui.data.transfer import mapping, saved_mappings
from xoro_tui.data.transfer.import_preview import preview
from xoro_tui.data.transfer.importer import ImportOptions, Watch, import_customers


@given(st.dictionaries(st.text(min_size=1, max_size=30), st.sampled_from(["email", "ignore"])))
def test_map_text_gives_back_each_headers_field(choices: dict[str, str]) -> None:
    parsed = (
        mapping.parse_map(mapping.map_text(choices))
        if all(mapping.norm(h) and h.replace(",", " ").replace("=", " ").strip() for h in choices)
        else None
    )
    if parsed is None:
        return
    expected: dict[str, str] = {}
    for header, target in choices.items():
        expected[mapping.norm(header)] = target  # a later header of the same name wins
    assert parsed == expected


def test_preview_writes_nothing_and_words_errors_as_the_import(db, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Account #,Customer Name,Email\nA-1,Alpha,a@example.com\nA-2,,b@example.com\n"
                    "A-3,Gamma,not-an-email\n", encoding="utf-8")  # fmt: skip
    shown = preview(path, "customers")
    assert shown.targets == ["account_number", "name", "email"]
    assert shown.checked == 3 and shown.refusal is None
    assert shown.rows[0] == ["A-1", "Alpha", "a@example.com"]
    assert shown.row_errors == {
        1: "row 2, column Customer Name (name): missing",
        2: "row 3, column Email: An email address must have an @-sign.",
    }
    report = import_customers(db, path)
    assert [f"row {n}, column {c}: {r}" for n, c, r in report.errors] == shown.problem_lines
    assert db.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


def test_preview_of_a_header_that_cannot_import_still_shows_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Code,Customer Name\nA-1,Alpha\n", encoding="utf-8")
    shown = preview(path, "customers")
    assert "no account_number column" in (shown.refusal or "")
    assert shown.fields == ["name"] and shown.rows == [["Alpha"]]
    fixed = preview(path, "customers", ImportOptions(column_map="Code=account_number"))
    assert fixed.refusal is None and fixed.rows == [["A-1", "Alpha"]]


def test_a_cancelled_import_keeps_nothing(db, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("account_number,name\n" + "".join(f"M-{i},N {i}\n" for i in range(800)),
                    encoding="utf-8")  # fmt: skip
    seen: list[tuple[str, int]] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        seen.append((stage, done))

    report = import_customers(db, path, watch=Watch(progress, lambda: len(seen) > 5))
    assert report.cancelled and not report.errors
    assert ("writing", 0) in seen  # it was writing when cancelled
    assert db.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    assert import_customers(db, path).inserted == 800


def test_saved_mappings_by_name(db) -> None:
    saved = saved_mappings.save(
        db, saved_mappings.SavedMapping("QB list", "customers", "quickbooks", "Cust=account_number")
    )
    assert saved.version == 1
    again = saved_mappings.save(
        db, saved_mappings.SavedMapping("qb LIST", "customers", None, "Cust=ignore"),
        expected_version=1,
    )  # fmt: skip
    assert (again.name, again.version, again.preset) == ("QB list", 2, None)
    with pytest.raises(Refused, match="saved by someone else"):
        saved_mappings.save(db, saved_mappings.SavedMapping("QB list", "customers", None, ""),
                            expected_version=1)  # fmt: skip
    with pytest.raises(Refused, match="is for customers, not refunds"):
        saved_mappings.load(db, "qb list", "refunds")
    with pytest.raises(Refused, match="no import mapping named 'nope'; saved customers"):
        saved_mappings.load(db, "nope", "customers")
    with pytest.raises(Refused, match="Their Header=field"):
        saved_mappings.save(db, saved_mappings.SavedMapping("x", "customers", None, "oops"))
    assert saved_mappings.names(db, "customers") == ["QB list"]
