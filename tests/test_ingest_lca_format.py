"""The H-1B LCA disclosure layout's quirks (#10): ';' files with commas in cells, open wage
ranges ("20000 -") and the "Bi-Weekly" wage unit (26 pay periods a year)."""

from __future__ import annotations

from pathlib import Path

from payatlas.ingest import ingest
from payatlas.ingest.sniff import sniff_format
from payatlas.ingest.suggest import suggest_mapping
from payatlas.store import Store

EXTRACT = Path(__file__).resolve().parent / "fixtures" / "styles" / "h1b_lca_fy2015.csv"


def _rows(n: int) -> list[str]:
    return EXTRACT.read_text(encoding="utf-8").splitlines()[: n + 1]


def test_a_semicolon_file_with_commas_in_cells_is_read_as_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "lca.csv"
    path.write_text("\n".join(_rows(12)) + "\n", encoding="utf-8")
    assert sniff_format(path) == ("csv", ";")
    plain = tmp_path / "plain.csv"  # a comma file with a ';' in one cell stays a comma file
    plain.write_text('title,pay\n"a; b",100\nc,200\n', encoding="utf-8")
    assert sniff_format(plain) == ("csv", ",")


def test_open_ranges_and_bi_weekly_wages_annualise(tmp_path: Path, store: Store) -> None:
    header, *rows = _rows(5)
    wage = header.split(";").index("WAGE_RATE_OF_PAY")
    # the extract's row 5, "97000 - 143300" a year, refiled as an open bi-weekly range
    cells = rows[4].split(";")
    assert cells[wage : wage + 2] == ["97000 - 143300", "Year"]
    cells[wage : wage + 2] = ["3000 -", "Bi-Weekly"]
    path = tmp_path / "lca.csv"
    path.write_text("\n".join([header, *rows[:4], ";".join(cells)]) + "\n", encoding="utf-8")
    text = suggest_mapping(path).text
    assert "extract =" in text and "the low end is the pay" in text
    mapping = tmp_path / "lca.toml"
    mapping.write_text(text)
    report = ingest(path, store=store, mapping=mapping)
    assert (report.rows_read, report.accepted) == (5, 5)
    got = {
        r[0]: r[1:]
        for r in store.execute(
            "SELECT source_row, pay_low, pay_high, pay_period, annual_local FROM record_rows"
        ).fetchall()
    }
    assert got[1] == (20000.0, 20000.0, "year", 20000.0)  # "20000 -"
    assert got[2] == (85000.0, 85000.0, "year", 85000.0)  # "85000.00 -"
    assert got[4] == (66000.0, 70000.0, "year", 68000.0)  # "66000 - 70000"
    assert got[5] == (3000.0, 3000.0, "biweek", 78000.0)  # "3000 -" Bi-Weekly: 26 a year
