"""Every command works on a mixed store (#10): random mixes of sources -- survey files with
empty optional fields (level, company size, remote), titles of other professions and generic
titles, and the job postings -- are ingested, then evaluate, train, promote, estimate,
benchmark, trend, premium and team cost run. Each may refuse with a typed PayAtlas error (too
few records, say), never crash (the issue: ``TypeError: '<' not supported between 'float' and
'str'`` in model/baselines.py after an ingest with empty level and company size)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from payatlas_live import start
from payatlas_pages import dashboard_pages
from payatlas_postings import load_slice

from payatlas.analytics import Slice, benchmark, premiums, team_cost, trend
from payatlas.errors import PayAtlasError
from payatlas.ingest import ingest
from payatlas.model import estimate, promote, train_candidate
from payatlas.model.backtest import evaluate
from payatlas.schema import Profile
from payatlas.settings import Settings
from payatlas.store import Store

FAST: dict[str, Any] = {"objectives": ["regression"], "num_boost_round": 10}
TITLES = ("Data Scientist", "ML Engineer", "Data Analyst", "Engineer", "Social Worker",
          "Senior Data Engineer", "Architect", "Mechanical Engineer")  # fmt: skip
MAPPING = """
[source]
name = "{name}"
[columns]
title = "title"
pay = "pay"
country = "country"
date = "date"
level = "level"
company_size = "size"
remote = "remote"
[defaults]
currency = "USD"
period = "year"
"""
ROW = st.fixed_dictionaries(
    {
        "title": st.sampled_from(TITLES),
        "pay": st.integers(30_000, 400_000),
        "country": st.sampled_from(("US", "DE", "India", "GB")),
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)).map(str),
        "level": st.sampled_from(("", "", "senior", "EN", "mid")),
        "size": st.sampled_from(("", "", "S", "L")),
        "remote": st.sampled_from(("", "0", "100")),
    }
)
FILE = st.lists(ROW, min_size=8, max_size=40)


def _bulk(seed: int, n: int = 110) -> list[dict[str, Any]]:
    """``n`` rows drawn like ROW from a seeded generator: enough for the model to train."""
    r = random.Random(seed)
    start = dt.date(2023, 1, 1)
    return [
        {"title": r.choice(TITLES), "pay": r.randint(30_000, 400_000),
         "country": r.choice(("US", "DE", "India", "GB")),
         "date": str(start + dt.timedelta(days=r.randint(0, 729))),
         "level": r.choice(("", "", "senior", "EN", "mid")), "size": r.choice(("", "", "S", "L")),
         "remote": r.choice(("", "0", "100"))}
        for _ in range(n)
    ]  # fmt: skip


def _write(folder: Path, i: int, rows: list[dict[str, Any]]) -> tuple[Path, Path]:
    data, mapping = folder / f"f{i}.csv", folder / f"f{i}.toml"
    with open(data, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ROW_FIELDS))
        w.writeheader()
        w.writerows(rows)
    mapping.write_text(MAPPING.format(name=f"source-{i}"), encoding="utf-8")
    return data, mapping


ROW_FIELDS = ("title", "pay", "country", "date", "level", "size", "remote")


def _typed(name: str, fn: Callable[[], Any], done: list[str]) -> Any:
    """Run one command: a typed PayAtlas refusal is fine, anything else fails the test."""
    try:
        out = fn()
    except PayAtlasError:
        return None
    done.append(name)
    return out


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: each example trains
)
@given(
    seed=st.integers(0, 2**31),
    files=st.lists(FILE, min_size=0, max_size=2),
    with_postings=st.booleans(),
)
def test_every_command_runs_on_a_mixed_store(
    seed: int, files: list[list[dict[str, Any]]], with_postings: bool
) -> None:
    home = Path(tempfile.mkdtemp(prefix="payatlas-mixed-"))
    try:
        conf = Settings(home=home)
        store_path = home / "payatlas.duckdb"
        with Store(store_path) as store:
            for i, rows in enumerate([_bulk(seed), *files]):
                data, mapping = _write(home, i, rows)
                report = ingest(data, store=store, mapping=mapping)
                assert report.accepted + report.rejected == report.rows_read
        if with_postings:
            load_slice(store_path)
        done: list[str] = []
        with Store(store_path) as store:
            _typed("evaluate", lambda: evaluate(store, conf, params=FAST), done)
            record = _typed("train", lambda: train_candidate(store, conf, params=FAST), done)
            if record is not None:
                _typed("promote", lambda: promote(record.model_id, conf, force=True), done)
            profile = Profile(role="Data Scientist", country="US")
            _typed("estimate", lambda: estimate(profile, store=store, settings=conf), done)
            team = [{"role": "Data Scientist", "level": "senior", "headcount": 1}]
            for kind in (None, "posting"):
                cut = Slice(kind=kind)
                for by in ("level", "company_size", "remote"):
                    run = partial(benchmark, store, slice=cut, by=[by], settings=conf)
                    _typed("benchmark", run, done)
                _typed("trend", partial(trend, store, slice=cut, settings=conf), done)
                _typed("premium", partial(premiums, store, slice=cut, settings=conf), done)
                cost = partial(team_cost, store, team=team, countries="DE,IN", kind=kind)
                _typed("team cost", partial(cost, settings=conf), done)
        print(sorted(set(done)))
        assert {"evaluate", "train", "promote", "estimate"} <= set(done)
        assert "benchmark" in done and "trend" in done  # survey analytics always answer
        _every_page_answers(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _every_page_answers(home: Path) -> None:
    """Every dashboard page, on a real server over the mixed store, answers a page (a 4xx for a
    refusal), never a 500 or a traceback; the Explore page for job postings too."""
    import httpx

    server = start(home)
    try:
        for path in [*dashboard_pages(), "/explore?kind=posting"]:
            got = httpx.get(server.url + path, timeout=120)
            assert got.status_code < 500, (path, got.status_code, got.text[-500:])
            assert "Traceback" not in got.text, path
    finally:
        server.stop()
