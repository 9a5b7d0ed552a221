"""Analytics commands: benchmark, trend, premium, team-cost, indicators.

Each parses its options, calls one library function and renders the result as a Rich table,
``--json`` (the result's ``as_dict()``) or ``--csv`` (its ``to_frame()``). The commands that
filter records (benchmark, trend, premium; survey submissions by default, job postings with
``--kind posting``) live here; team-cost and indicators in
:mod:`payatlas.cli.team` and :mod:`payatlas.cli.indicators`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from payatlas.cli.common import console, get_settings, pick, read_store
from payatlas.cli.indicators import indicators_cmd
from payatlas.cli.render import CsvOpt, JsonOpt, caption, emit, money, pct, thousands
from payatlas.cli.team import team_cost_cmd

if TYPE_CHECKING:
    from payatlas.analytics import Slice

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
SourceOpt = Annotated[
    str | None, typer.Option(help="Only this source (as `payatlas data versions` names it).")
]
KindOpt = Annotated[
    str | None,
    typer.Option(help="survey (survey submissions, the default) or posting (job postings)."),
]
#: the filter options every slice command takes (besides --include-outliers)
SLICE_OPTIONS = ("role", "level", "country", "region", "company_size", "remote",
                 "employment_type", "year", "version", "source", "kind",
                 "distinct")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Attach the analytics commands to the main app."""
    app.command(
        "benchmark", epilog="Example: payatlas benchmark --role 'ML Engineer' --by country"
    )(benchmark_cmd)
    app.command("trend", epilog="Example: payatlas trend --country US --distinct")(trend_cmd)
    app.command("premium", epilog="Example: payatlas premium --which ai_ml --which remote")(
        premium_cmd
    )
    app.command(
        "team-cost", epilog="Example: payatlas team-cost team.toml --country PL,PT --baseline US"
    )(team_cost_cmd)
    app.command("indicators", epilog="Example: payatlas indicators --compare")(indicators_cmd)


def _slice(options: Mapping[str, Any]) -> Slice:
    """The slice a command's filter options (its ``locals()``) select."""
    from payatlas.analytics import Slice

    return Slice(exclude_outliers=not options["include_outliers"], **pick(options, SLICE_OPTIONS))


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
    source: SourceOpt = None,
    kind: KindOpt = None,
    distinct: DistinctOpt = False,
    include_outliers: OutlierOpt = False,
    by: Annotated[list[str] | None, typer.Option(help="Group by a field (up to twice).")] = None,
    limit: Annotated[int | None, typer.Option(help="Keep the largest N groups.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Pay percentiles (P10-P90), mean and count for a slice, optionally grouped."""
    from rich.table import Table

    from payatlas.analytics import benchmark
    from payatlas.analytics.privacy import suppressed_note

    s = _slice(locals())
    with read_store() as store:
        result = benchmark(store, slice=s, by=by or (), settings=get_settings(), limit=limit)
    if emit(result, as_json, as_csv):
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
        title=f"Annual pay (thousand USD) of {result.basis.unit}",
        caption=caption(result.basis),
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
                *(thousands(row[k]) for k in ("p10", "p25", "p50", "p75", "p90", "mean")),
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
    source: SourceOpt = None,
    kind: KindOpt = None,
    distinct: DistinctOpt = False,
    include_outliers: OutlierOpt = False,
    months: Annotated[int, typer.Option(help="Arrival months shown in the table.")] = 12,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Median pay per year (90% interval, year-over-year) and survey submissions per month."""
    from rich.table import Table

    from payatlas.analytics import trend

    s = _slice(locals())
    with read_store() as store:
        result = trend(store, slice=s, settings=get_settings())
    if emit(result, as_json, as_csv):
        return
    table = Table(
        "pay year",
        "n",
        "median",
        "90% interval",
        "YoY",
        "YoY 90% interval",
        title="Median annual pay (USD) per pay year",
        caption=caption(result.basis),
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
                else (pct(y["yoy_pct"]), f"{pct(y['yoy_low'])} to {pct(y['yoy_high'])}")
            )
            table.add_row(
                str(y["year"]),
                f"{y['n']:,}",
                money(y["p50"]),
                f"{money(y['p50_low'])} - {money(y['p50_high'])}",
                *yoy,
            )
    console.print(table)
    subs = [x.as_dict() for x in result.submissions]
    recent = sorted({x["month"] for x in subs})[-months:]
    survey = result.basis.unit == "survey records"
    sub_table = Table(
        "arrival month" if survey else "posting month",
        "role family",
        "survey submissions" if survey else "job postings",
        title=f"Survey submissions per arrival month (last {len(recent)} months; not job postings)"
        if survey
        else f"Job postings per posting month (last {len(recent)} months; not survey submissions)",
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
    source: SourceOpt = None,
    kind: KindOpt = None,
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
    from rich.table import Table

    from payatlas.analytics import premiums

    s = _slice(locals())
    with read_store() as store:
        result = premiums(store, slice=s, which=which, settings=get_settings(), model=model)
    if emit(result, as_json, as_csv):
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
                cells.append((pct(v.value), f"{pct(v.low)} to {pct(v.high)}", n))
        c, m = cells
        table.add_row(p.label, c[0], c[1], c[2], m[0], m[1])
    console.print(table)
    for note in sorted(notes):
        console.print(f"* {note}")
    console.print(caption(result.basis))
