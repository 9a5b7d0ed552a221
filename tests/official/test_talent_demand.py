"""Talent demand: postings per 1,000 employed in the matched OEWS occupation, per metro."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payatlas.official.demand import talent_demand
from payatlas.settings import Settings
from payatlas.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "postings_location_title_counts.csv"


def _rows() -> list[tuple[str, str, int]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return [(r["job_location"], r["job_title_short"], int(r["postings"]))
                for r in csv.DictReader(fh)]  # fmt: skip


def test_demand_ranks_metros_and_accounts_for_every_posting(official_env: Settings) -> None:
    rows = _rows()
    with Store(official_env.store_path, read_only=True) as store:
        result = talent_demand(store, postings=rows, top=5)
        sql = "SELECT cbsa || '|' || soc, tot_emp FROM oews_metro WHERE year = 2025"
        emp = dict(store.execute(sql).fetchall())
    ranked = sum(c.postings for c in result.cells)
    assert ranked + sum(result.left_out.values()) == sum(n for _, _, n in rows)
    assert len(result.top) == 5 and result.top[0].per_1000 >= result.top[-1].per_1000
    assert result.bottom[0].per_1000 <= result.bottom[-1].per_1000
    for c in result.cells:
        assert c.postings >= 20
        assert c.employed == emp[f"{c.cbsa}|{c.soc}"]
        assert c.per_1000 == pytest.approx(c.postings * 1000 / c.employed)
    assert any("shortage" in line for line in result.as_dict()["caveats"])


def test_demand_for_one_role_and_the_command(official_env: Settings, tmp_path: Path) -> None:
    with Store(official_env.store_path, read_only=True) as store:
        ds = talent_demand(store, postings=_rows(), role="Data Scientist", min_postings=10)
    assert {c.role_family for c in ds.cells} == {"data_scientist"}
    # the command reads raw postings (one row each)
    path = tmp_path / "postings.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["job_location", "job_title_short"])
        for loc, title, n in _rows()[:400]:
            w.writerows([(loc, title)] * n)
    from payatlas.cli import app

    out = CliRunner().invoke(app, ["talent", "--postings", str(path), "--min-postings", "5",
                                   "--json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["kind"] == "talent_demand" and data["top"]
    bad = CliRunner().invoke(app, ["talent", "--postings", str(path), "--title-column", "nope"])
    assert bad.exit_code != 0
