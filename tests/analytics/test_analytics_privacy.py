"""No library or CLI output publishes a cohort under the privacy threshold (crafted store)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from payatlas.analytics import (
    BY_FIELDS,
    Slice,
    benchmark,
    compare_indicators,
    premiums,
    team_cost,
    trend,
)
from payatlas.cli import app
from payatlas.settings import Settings
from payatlas.store import Store

# the crafted store's small cohort (see conftest.py)
SMALL_PAYS = (411_111, 422_222, 433_333, 444_444)


def test_small_cohort_is_the_crafted_one(small_pays: tuple[int, ...]) -> None:
    assert small_pays == SMALL_PAYS


PAY_KEYS = ("p10", "p25", "p50", "p75", "p90", "mean")


def _forbidden() -> set[str]:
    """Every way a figure of the small cohort could be printed."""
    values = np.asarray(SMALL_PAYS, dtype=float)
    figures = [*values, *np.percentile(values, [10, 25, 50, 75, 90]), values.mean()]
    out: set[str] = set()
    for x in figures:
        out |= {f"{x:.2f}", f"{x:,.0f}", f"{x:.0f}", f"{x / 1000:,.1f}k", repr(round(x, 2))}
    return out


def _leaks(text: str) -> list[str]:
    return [s for s in _forbidden() if s in text]


def _walk(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)


def _check_structure(obj: Any, threshold: int) -> None:
    """Suppressed rows carry no figure and no count; published counts are >= threshold."""
    for d in _walk(obj):
        if d.get("suppressed") is True:
            assert not any(k in d for k in (*PAY_KEYS, "n")), d
        if isinstance(d.get("n"), int) and "suppressed" in d:
            assert d["n"] >= threshold, d


@pytest.mark.parametrize("outliers", [True, False])
@pytest.mark.parametrize("field", sorted(BY_FIELDS))
def test_benchmark_groups_never_publish_small_cohort(
    small_store: Store, small_env: Settings, field: str, outliers: bool
) -> None:
    result = benchmark(
        small_store, slice=Slice(exclude_outliers=outliers), by=[field], settings=small_env
    )
    data = result.as_dict()
    _check_structure(data, small_env.privacy_threshold)
    if field != "employment_type":  # every crafted row is FT
        assert result.suppressed_groups >= 1  # the small cohort is there, as a suppressed row
    text = json.dumps(data) + result.to_frame().to_csv()
    assert _leaks(text) == []


def test_two_field_groups_and_small_slice(small_store: Store, small_env: Settings) -> None:
    result = benchmark(
        small_store,
        slice=Slice(exclude_outliers=False),
        by=["country", "level"],
        settings=small_env,
    )
    nz = [g for g in result.groups if g.keys["country"] == "NZ"]
    assert len(nz) == 1 and nz[0].stats.suppressed and nz[0].stats.n is None
    alone = benchmark(
        small_store, slice=Slice(country="NZ", exclude_outliers=False), settings=small_env
    )
    assert alone.overall.suppressed
    assert alone.basis.records is None
    assert _leaks(json.dumps(alone.as_dict())) == []


def test_trend_premiums_team_and_comparisons_do_not_leak(
    small_store: Store, small_env: Settings
) -> None:
    outputs: list[Any] = []
    for s in (Slice(exclude_outliers=False), Slice(role="prompt engineer", exclude_outliers=False)):
        tr = trend(small_store, slice=s, settings=small_env)
        assert any(y.suppressed for y in tr.years)  # pay year 2021 holds only the 4 rows
        outputs += [tr.as_dict(), tr.to_frame().to_csv(), tr.submissions_frame().to_csv()]
        pr = premiums(small_store, slice=s, settings=small_env)
        outputs += [pr.as_dict(), pr.to_frame().to_csv()]
    team = team_cost(
        small_store,
        team=[{"role": "Prompt Engineer", "level": "executive", "headcount": 1}],
        countries=["NZ"],
        settings=small_env,
    )
    outputs += [team.as_dict(), team.to_frame().to_csv(), team.lines_frame().to_csv()]
    comp = compare_indicators(small_store, settings=small_env)
    outputs += [comp.as_dict(), comp.to_frame().to_csv()]
    for out in outputs:
        text = out if isinstance(out, str) else json.dumps(out)
        assert _leaks(text) == []
        if not isinstance(out, str):
            _check_structure(out, small_env.privacy_threshold)


CLI_CALLS = [
    ["benchmark", "--by", "country", "--by", "level", "--include-outliers"],
    ["benchmark", "--country", "NZ", "--include-outliers"],
    ["benchmark", "--by", "role_family", "--by", "year", "--include-outliers"],
    ["benchmark", "--by", "remote", "--by", "company_size"],
    ["trend", "--include-outliers"],
    ["trend", "--role", "Prompt Engineer", "--include-outliers"],
    ["premium", "--include-outliers"],
    ["indicators", "--compare"],
]


@pytest.mark.parametrize("fmt", [[], ["--json"], ["--csv"]], ids=["table", "json", "csv"])
@pytest.mark.parametrize("args", CLI_CALLS, ids=lambda a: "-".join(a[:3]))
def test_cli_outputs_do_not_leak(small_env: Settings, args: list[str], fmt: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, *fmt])
    assert result.exit_code == 0, result.output
    assert _leaks(result.output) == []
    if fmt == ["--json"]:
        _check_structure(json.loads(result.output), small_env.privacy_threshold)
    if fmt == [] and args[0] == "benchmark":
        assert "suppressed (n < 5)" in result.output.replace("\n", " ").replace("  ", " ")
