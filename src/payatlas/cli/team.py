"""``payatlas team-cost``: a team's annual cost across countries, with evidence per line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from payatlas.cli.common import console, get_settings, read_store
from payatlas.cli.render import CsvOpt, JsonOpt, emit, pct, short
from payatlas.errors import InvalidInput


def team_cost_cmd(
    team_file: Annotated[Path, typer.Argument(help="Team TOML or CSV (role, level, headcount).")],
    country: Annotated[
        list[str],
        typer.Option(
            help="Candidate country or US metro ('Austin, TX', CBSA code, metro title); "
            "repeatable or a comma list."
        ),
    ],
    baseline: Annotated[str, typer.Option(help="Baseline country or US metro.")] = "US",
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
    from rich.table import Table

    from payatlas.analytics import load_on_costs, load_team, team_cost

    team = load_team(team_file)
    costs = load_on_costs(on_costs) if on_costs else None
    if mode not in ("employee", "contract"):
        raise InvalidInput(f"unknown mode {mode!r}; use employee or contract", field="mode")
    with read_store() as store:
        result = team_cost(
            store,
            team=team,
            countries=country,
            baseline=baseline,
            settings=get_settings(),
            on_costs=costs,
            mode="contract" if mode == "contract" else "employee",
        )
    if emit(result, as_json, as_csv, result.lines_frame()):
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
    power = Table(
        "place",
        "P50 USD",
        "P50 PPP intl$",
        "RPP",
        "P50 RPP-adj. USD",
        title="In purchasing power",
        caption="PPP: World Bank international dollars (PA.NUS.PPP); RPP: BEA regional price "
        "parities 2024 (US = 100), US places only.",
    )
    for c in result.countries:
        t, loc, s, pv = c.total_usd, c.total_local, c.savings_pct, c.ppp
        intl = pv.international_dollars if pv else None
        rpp_usd = pv.rpp_adjusted_usd if pv else None
        power.add_row(
            c.place if c.metro else c.country,
            short(t.p50) if t else "",
            short(intl.p50) if intl else "",
            f"{pv.rpp:.1f}" if pv and pv.rpp is not None else "",
            short(rpp_usd.p50) if rpp_usd else "",
        )
        table.add_row(
            (c.place if c.metro else c.country)
            + (f" +{c.on_cost.rate:.0%} on-costs" if c.on_cost else ""),
            *(short(getattr(t, k)) if t else "" for k in ("p10", "p50", "p90")),
            f"{short(loc.p50)} {c.currency}" if loc else (c.note or ""),
            "baseline" if c.place == result.baseline else (pct(s.value) if s else ""),
            f"{pct(s.low)} to {pct(s.high)}" if s else "",
        )
    console.print(table)
    console.print(power)
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
                c.place if c.metro else c.country,
                ln.line.label,
                short(pp.p50) if pp else ln.note or "",
                f"{short(pp.p10)}-{short(pp.p90)}" if pp else "",
                n,
                ln.confidence,
                ln.basis,
            )
    console.print(lines)
