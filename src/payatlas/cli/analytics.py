"""Analytics commands: benchmark, trend, premium, team-cost, indicators.

Each parses its options, calls one library function and renders the result as a Rich table,
``--json`` (the result's ``as_dict()``) or ``--csv`` (its ``to_frame()``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from payatlas.analytics import (
    Slice,
    benchmark,
    compare_indicators,
    indicators,
    load_on_costs,
    load_team,
    premiums,
    team_cost,
    trend,
)
from payatlas.analytics.privacy import Basis, suppressed_note
from payatlas.cli.common import console, open_store, print_json
from payatlas.errors import InvalidInput
from payatlas.settings import get_settings

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV rows instead of tables.")]
RoleOpt = Annotated[str | None, typer.Option(help="Job title or role family.")]
LevelOpt = Annotated[str | None, typer.Option(help="entry, mid, senior or executive.")]
CountryOpt = Annotated[str | None, typer.Option(help="Country of work (name or ISO code).")]
RegionOpt = Annotated[str | None, typer.Option(help="Region, e.g. western_europe.")]
SizeOpt = Annotated[str | None, typer.Option("--company-size", help="S, M or L.")]
RemoteOpt = Annotated[str | None, typer.Option(help="on-site, hybrid, remote or 0-100.")]
EmpOpt = Annotated[str | None, typer.Option("--employment-type", help="FT, PT, CT or FL.")]
YearOpt = Annotated[str | None, typer.Option(help="Pay year or range, e.g. 2023-2024.")]
VersionOpt = Annotated[int | None, typer.Option(help="Dataset version (default: latest).")]
DistinctOpt = Annotated[
    bool, typer.Option("--distinct", help="Distinct rows only (drop exact duplicates).")
]
OutlierOpt = Annotated[
    bool, typer.Option("--include-outliers", help="Keep rows flagged as outliers.")
]


def register(app: typer.Typer) -> None:
    """Attach the analytics commands to the main app."""
    app.command("benchmark")(benchmark_cmd)
    app.command("trend")(trend_cmd)
    app.command("premium")(premium_cmd)
    app.command("team-cost")(team_cost_cmd)
    app.command("indicators")(indicators_cmd)


def _slice(**kw: Any) -> Slice:
    outliers = kw.pop("include_outliers")
    return Slice(exclude_outliers=not outliers, **kw)


def _emit(result: Any, as_json: bool, as_csv: bool, frame: pd.DataFrame | None = None) -> bool:
    """JSON or CSV output; False when the caller should print tables."""
    if as_json and as_csv:
        raise InvalidInput("choose one of --json and --csv", field="output")
    if as_json:
        print_json(result.as_dict())
        return True
    if as_csv:
        (frame if frame is not None else result.to_frame()).to_csv(sys.stdout, index=False)
        return True
    return False


def _money(v: Any) -> str:
    return "" if v is None or pd.isna(v) else f"${v:,.0f}"


def _short(v: float) -> str:
    """1,234,567 -> '1.23M', 515,524 -> '515.5k' (tables only)."""
    return f"{v / 1e6:,.2f}M" if abs(v) >= 1e6 else f"{v / 1e3:,.1f}k"


def _k(v: Any) -> str:
    """Compact USD for wide tables (exact figures are in --json / --csv)."""
    return "" if v is None or pd.isna(v) else f"{v / 1000:,.1f}k"


def _pct(v: Any) -> str:
    return "" if v is None or pd.isna(v) else f"{v:+.1f}%"


def _caption(basis: Basis) -> str:
    return f"From {basis.describe()}; pay is {basis.pay}."


def benchmark_cmd(
    role: RoleOpt = None,
    level: LevelOpt = None,
    country: CountryOpt = None,
    region: RegionOpt = None,
    company_size: SizeOpt = None,
    remote: RemoteOpt = None,
    employment_type: EmpOpt = None,
    year: YearOpt = None,
    version: VersionOpt = None,
    distinct: DistinctOpt = False,
    include_outliers: OutlierOpt = False,
    by: Annotated[list[str] | None, typer.Option(help="Group by a field (up to twice).")] = None,
    limit: Annotated[int | None, typer.Option(help="Keep the largest N groups.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Pay percentiles (P10-P90), mean and count for a slice, optionally grouped."""
    s = _slice(
        role=role,
        level=level,
        country=country,
        region=region,
        company_size=company_size,
        remote=remote,
        employment_type=employment_type,
        year=year,
        version=version,
        distinct=distinct,
        include_outliers=include_outliers,
    )
    with open_store(read_only=True) as store:
        result = benchmark(store, slice=s, by=by or (), settings=get_settings(), limit=limit)
    if _emit(result, as_json, as_csv):
        return
    table = Table(
        *result.by,
        "n",
        "P10",
        "P25",
        "P50",
        "P75",
        "P90",
        "mean",
        title="Annual pay (thousand USD) of survey records",
        caption=_caption(result.basis),
    )
    rows = result.rows() if result.by else [result.overall.as_dict()]
    threshold = result.basis.privacy_threshold
    if any(r.get("suppressed") for r in rows):
        table.caption = (table.caption or "") + (
            f" <{threshold} / suppr.: {suppressed_note(threshold)}, no figures published."
        )
    for row in rows:
        keys = [str(row.get(f)) for f in result.by]
        if row.get("suppressed"):
            table.add_row(*keys, f"<{threshold}", "", "", "suppr.", "", "", "")
        else:
            table.add_row(
                *keys,
                f"{row['n']:,}",
                *(_k(row[k]) for k in ("p10", "p25", "p50", "p75", "p90", "mean")),
            )
    console.print(table)


def trend_cmd(
    role: RoleOpt = None,
    level: LevelOpt = None,
    country: CountryOpt = None,
    region: RegionOpt = None,
    company_size: SizeOpt = None,
    remote: RemoteOpt = None,
    employment_type: EmpOpt = None,
    year: YearOpt = None,
    version: VersionOpt = None,
    distinct: DistinctOpt = False,
    include_outliers: OutlierOpt = False,
    months: Annotated[int, typer.Option(help="Arrival months shown in the table.")] = 12,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Median pay per year (90% interval, year-over-year) and survey submissions per month."""
    s = _slice(
        role=role,
        level=level,
        country=country,
        region=region,
        company_size=company_size,
        remote=remote,
        employment_type=employment_type,
        year=year,
        version=version,
        distinct=distinct,
        include_outliers=include_outliers,
    )
    with open_store(read_only=True) as store:
        result = trend(store, slice=s, settings=get_settings())
    if _emit(result, as_json, as_csv):
        return
    table = Table(
        "pay year",
        "n",
        "median",
        "90% interval",
        "YoY",
        "YoY 90% interval",
        title="Median annual pay (USD) per pay year",
        caption=_caption(result.basis),
    )
    for y in result.rows():
        if y.get("suppressed"):
            table.add_row(str(y["year"]), y["note"], "", "", "", "")
        elif "p50" not in y:
            table.add_row(str(y["year"]), f"{y['n']:,}", y["note"], "", "", "")
        else:
            yoy = (
                ("", "")
                if "yoy_pct" not in y
                else (_pct(y["yoy_pct"]), f"{_pct(y['yoy_low'])} to {_pct(y['yoy_high'])}")
            )
            table.add_row(
                str(y["year"]),
                f"{y['n']:,}",
                _money(y["p50"]),
                f"{_money(y['p50_low'])} - {_money(y['p50_high'])}",
                *yoy,
            )
    console.print(table)
    subs = [x.as_dict() for x in result.submissions]
    recent = sorted({x["month"] for x in subs})[-months:]
    sub_table = Table(
        "arrival month",
        "role family",
        "survey submissions",
        title=f"Survey submissions per arrival month (last {len(recent)} months; not job postings)",
    )
    for x in subs:
        if x["month"] in recent:
            sub_table.add_row(
                x["month"], x["role_family"], x["note"] if x["suppressed"] else f"{x['n']:,}"
            )
    console.print(sub_table)


def premium_cmd(
    role: RoleOpt = None,
    level: LevelOpt = None,
    country: CountryOpt = None,
    region: RegionOpt = None,
    company_size: SizeOpt = None,
    remote: RemoteOpt = None,
    employment_type: EmpOpt = None,
    year: YearOpt = None,
    version: VersionOpt = None,
    distinct: DistinctOpt = False,
    include_outliers: OutlierOpt = False,
    which: Annotated[
        list[str] | None, typer.Option("--which", help="Premium key (repeatable).")
    ] = None,
    model: Annotated[bool, typer.Option(help="Add the model-adjusted view.")] = True,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Pay premiums with 90% intervals: matched-cohort medians beside the model's view."""
    s = _slice(
        role=role,
        level=level,
        country=country,
        region=region,
        company_size=company_size,
        remote=remote,
        employment_type=employment_type,
        year=year,
        version=version,
        distinct=distinct,
        include_outliers=include_outliers,
    )
    with open_store(read_only=True) as store:
        result = premiums(store, slice=s, which=which, settings=get_settings(), model=model)
    if _emit(result, as_json, as_csv):
        return
    table = Table(
        "premium",
        "matched cohorts",
        "90% interval",
        "n (A / B)",
        "model-adjusted",
        "90% interval",
        title="Pay premiums (90% intervals)",
    )
    notes: set[str] = set()
    for p in result.premiums:
        cells = []
        for view in (p.cohort, p.model):
            v = view.premium
            if v.value is None:
                note = v.note or ""
                short = note if len(note) <= 16 else "n/a *"
                if short != note:
                    notes.add(note)
                cells.append((short, "", ""))
            else:
                n = f"{view.n_a:,} / {view.n_b:,}" if view.n_a is not None else ""
                cells.append((_pct(v.value), f"{_pct(v.low)} to {_pct(v.high)}", n))
        c, m = cells
        table.add_row(p.label, c[0], c[1], c[2], m[0], m[1])
    console.print(table)
    for note in sorted(notes):
        console.print(f"* {note}")
    console.print(_caption(result.basis))


def team_cost_cmd(
    team_file: Annotated[Path, typer.Argument(help="Team TOML or CSV (role, level, headcount).")],
    country: Annotated[
        list[str], typer.Option(help="Candidate country (repeatable or comma list).")
    ],
    baseline: Annotated[str, typer.Option(help="Baseline country.")] = "US",
    on_costs: Annotated[
        Path | None, typer.Option(help="TOML of employer on-cost rates per country.")
    ] = None,
    mode: Annotated[
        str, typer.Option(help="employee (pay) or contract (published rates).")
    ] = "employee",
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Annual cost of a team in each country, savings vs the baseline, evidence per line."""
    team = load_team(team_file)
    costs = load_on_costs(on_costs) if on_costs else None
    if mode not in ("employee", "contract"):
        raise InvalidInput(f"unknown mode {mode!r}; use employee or contract", field="mode")
    with open_store(read_only=True) as store:
        result = team_cost(
            store,
            team=team,
            countries=country,
            baseline=baseline,
            settings=get_settings(),
            on_costs=costs,
            mode="contract" if mode == "contract" else "employee",
        )
    if _emit(result, as_json, as_csv, result.lines_frame()):
        return
    table = Table(
        "country",
        "P10 USD",
        "P50 USD",
        "P90 USD",
        "P50 local",
        f"savings vs {result.baseline}",
        "range",
        title="Annual team cost",
        caption=f"{result.method}; FX: ECB mean {result.fx_year}; range = sum of per-line P10/P90.",
    )
    for c in result.countries:
        t, loc, s = c.total_usd, c.total_local, c.savings_pct
        table.add_row(
            c.country + (f" +{c.on_cost.rate:.0%} on-costs" if c.on_cost else ""),
            *(_short(getattr(t, k)) if t else "" for k in ("p10", "p50", "p90")),
            f"{_short(loc.p50)} {c.currency}" if loc else (c.note or ""),
            "baseline" if c.country == result.baseline else (_pct(s.value) if s else ""),
            f"{_pct(s.low)} to {_pct(s.high)}" if s else "",
        )
    console.print(table)
    lines = Table(
        "country",
        "line",
        "P50 USD/person",
        "P10-P90",
        "comparable",
        "confidence",
        "evidence",
        title="Evidence per line",
    )
    for c in result.countries:
        for ln in c.lines:
            pp = ln.per_person
            n = (
                f"{ln.n_comparable:,}"
                if ln.n_comparable is not None
                else (f"<{get_settings().privacy_threshold}" if result.mode == "employee" else "")
            )
            lines.add_row(
                c.country,
                ln.line.label,
                _short(pp.p50) if pp else ln.note or "",
                f"{_short(pp.p10)}-{_short(pp.p90)}" if pp else "",
                n,
                ln.confidence,
                ln.basis,
            )
    console.print(lines)


def indicators_cmd(
    indicator: Annotated[str | None, typer.Option(help="Indicator name (substring).")] = None,
    region: Annotated[str | None, typer.Option(help="Region (substring).")] = None,
    search: Annotated[str | None, typer.Option(help="Free text over all fields.")] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Reports vs PayAtlas data, side by side.")
    ] = False,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Published market indicators with citations; --compare sets them beside PayAtlas data."""
    with open_store() as store:
        result: Any = (
            compare_indicators(store, settings=get_settings())
            if compare
            else indicators(store, indicator=indicator, region=region, search=search)
        )
    if _emit(result, as_json, as_csv):
        return
    if compare:
        table = Table(
            "published (with citation)",
            "PayAtlas data (90% interval)",
            "measured",
            title=f"Reports vs data (dataset v{result.dataset_version}, survey records)",
        )
        for c in result.comparisons:
            r = c.reported
            head = f"{r.indicator}: {r.value_text} ({r.region}, {r.period})\n{r.citation}"
            table.add_row(head, c.text.split(" -- PayAtlas data: ")[1], c.what)
        console.print(table)
        return
    table = Table(
        "indicator",
        "segment",
        "region",
        "period",
        "value",
        "citation",
        title="Published indicators (third-party figures)",
    )
    for i in result.indicators:
        table.add_row(i.indicator, i.segment, i.region, i.period, i.value_text, i.citation)
    console.print(table)
