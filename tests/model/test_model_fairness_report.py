"""The fairness report (#14) on the fast champion's ranges over real survey records: groups,
ranking, bootstrap intervals, the gate on the fairness groups, the model card's section."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from payatlas.model.backtest import BacktestReport
from payatlas.model.card import model_card
from payatlas.model.data import load_frame
from payatlas.model.fairness import (
    DIMENSIONS,
    FairnessReport,
    card_section,
    fairness_refusal,
    fairness_report,
    worst_gap,
)
from payatlas.model.metrics import range_metrics
from payatlas.model.registry import champion
from payatlas.settings import Settings
from payatlas.store import Store


@pytest.fixture(scope="module")
def scored(model_home: Any) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
    settings = Settings(home=model_home)
    with Store(settings.store_path, read_only=True) as store:
        frame = load_frame(store)
    test = frame.iloc[::10].reset_index(drop=True)  # a fixed slice: every 10th record
    train_titles = frame.iloc[1::10]["tkey"].value_counts()
    return test, champion(settings).log_quantiles(test), train_titles


def _report(scored: tuple[pd.DataFrame, np.ndarray, pd.Series], q: Any = None) -> FairnessReport:
    test, found, titles = scored
    return fairness_report(test, found if q is None else q, train_titles=titles, basis="test")


def test_every_dimension_ranked_with_intervals(scored: Any) -> None:
    test, q, _ = scored
    report = _report(scored)
    assert {g.dimension for g in report.groups} == set(DIMENSIONS)
    assert [g.rank for g in report.groups] == list(range(1, len(report.groups) + 1))
    gaps = [g.coverage_gap for g in report.groups]
    assert gaps == sorted(gaps, reverse=True)
    y = test["y"].to_numpy()
    inside = (y >= q[:, 0]) & (y <= q[:, 4])
    us = _find(report, "country_group", "US")
    assert us.coverage.value == pytest.approx(inside[(test["country"] == "US").to_numpy()].mean())
    assert us.records == int((test["country"] == "US").sum())
    for g in report.groups:
        for iv in (g.coverage, g.bias_pct, g.p90_p10):
            assert iv.low <= iv.value + 1e-9 and iv.value <= iv.high + 1e-9
        assert g.records >= 5
    wide = [g for g in report.groups if g.records < 100]
    narrow = [g for g in report.groups if g.records > 2000]
    if wide and narrow:  # fewer records, wider intervals
        spread = [g.coverage.high - g.coverage.low for g in (wide[0], narrow[0])]
        assert spread[0] > spread[1]
    assert {g.group for g in report.groups if g.dimension == "title"} <= {
        "unseen", "thin (< 20)", "common"
    }  # fmt: skip
    assert _report(scored) == report  # a fixed seed: the same data, the same report


def _find(report: FairnessReport, dim: str, group: str) -> Any:
    return next(g for g in report.groups if g.dimension == dim and g.group == group)


def test_the_gate_reads_the_fairness_groups(scored: Any) -> None:
    test, q, _ = scored
    y = test["y"].to_numpy()
    narrower = q.copy()
    remote = (test["remote"] >= 100).to_numpy()  # squeeze only the fully remote's ranges
    mid = q[:, [2]]
    narrower[remote] = mid[remote] + (q[remote] - mid[remote]) * 0.5

    def metrics(quantiles: np.ndarray) -> dict[str, Any]:
        out = range_metrics(y, quantiles[:, 2], quantiles[:, 0], quantiles[:, 4], test)
        out["fairness"] = _report(scored, quantiles).model_dump(mode="json")
        return out

    good, worse = metrics(q), metrics(narrower)
    remote_gap = _find(FairnessReport(**worse["fairness"]), "remote", "remote").coverage_gap
    assert worst_gap(worse) == pytest.approx(max(remote_gap, worst_gap(good) or 0))
    assert (worst_gap(worse) or 0) > (worst_gap(good) or 0) + 0.03
    assert fairness_refusal(worse, good) is not None
    assert fairness_refusal(good, worse) is None
    assert fairness_refusal(good, good) is None


def test_the_card_has_a_fairness_section(scored: Any) -> None:
    report = _report(scored)
    results = {"PayAtlas": {"fairness": report.model_dump(mode="json")}}
    section = card_section(results["PayAtlas"]["fairness"])
    assert section.startswith("\n## Fairness\n")
    worst = report.groups[0]
    assert f"| 1 | {worst.dimension} {worst.group} | {worst.records:,} |" in section
    assert card_section(None) == ""
    metrics = range_metrics(
        np.zeros(3), np.zeros(3), np.zeros(3) - 1, np.zeros(3) + 1,
        pd.DataFrame({"country": ["US"] * 3, "level": ["mid"] * 3}),
    )  # fmt: skip
    bt = BacktestReport(
        cutoff="2024-07-01",
        data_version=1,
        train_rows=3,
        test_rows=3,
        seed=1,
        results={"PayAtlas": {**metrics, **results["PayAtlas"]}},
    )
    card = model_card(bt)
    assert "## Fairness" in card and card.index("## Fairness") < card.index("## Known limits")
    bt.results["PayAtlas"].pop("fairness")
    assert "## Fairness" not in model_card(bt)
