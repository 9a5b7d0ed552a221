"""Job-posting commands (#12): demand and skills. Each parses its options, calls one library
function (heavy imports inside the command) and renders a table, ``--json`` or ``--csv``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from payatlas.cli.common import console, open_store
from payatlas.cli.render import CsvOpt, JsonOpt, emit

FamilyOpt = Annotated[str | None, typer.Option(help="Role family (slug, label or job title).")]
SeniorityOpt = Annotated[
    str | None, typer.Option(help="Seniority word: junior, senior, lead, ... or unstated.")
]
CountryOpt = Annotated[str | None, typer.Option(help="Country (name or ISO code).")]
StateOpt = Annotated[str | None, typer.Option(help="State or province code, e.g. TX.")]
RemoteOpt = Annotated[
    bool | None, typer.Option("--remote/--not-remote", help="Remote postings only, or none.")
]
TopOpt = Annotated[int | None, typer.Option(help="Keep the first N rows.")]


def register(app: typer.Typer) -> None:
    """Attach the postings commands to the main app."""
    app.command(
        "demand", epilog="Example: payatlas demand --family data_engineer --by month --json"
    )(demand_cmd)
    app.command(
        "skills", epilog="Example: payatlas skills --family data_scientist --country US --json"
    )(skills_cmd)


def _slice(options: dict[str, Any]) -> Any:
    from payatlas.analytics.posting_slice import PostingSlice

    names = ("family", "seniority", "country", "state", "remote")
    return PostingSlice.parse(**{k: options[k] for k in names})


def _sources(result: Any) -> str:
    return "; ".join(f"{s.source} ({s.credit or 'no credit'})" for s in result.sources)


def demand_cmd(
    family: FamilyOpt = None,
    seniority: SeniorityOpt = None,
    country: CountryOpt = None,
    state: StateOpt = None,
    remote: RemoteOpt = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            help="month, family, seniority, country, state, city, remote, employer or "
            "board (up to twice; default month)."
        ),
    ] = None,
    top: TopOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Job postings counted by month, family, place, employer ...: demand, with growth."""
    from payatlas.analytics.demand import demand
    from payatlas.settings import get_settings

    s = _slice(locals())
    with open_store(read_only=True) as store:
        result = demand(store, slice=s, by=by or ["month"], top=top, settings=get_settings())
    if emit(result, as_json, as_csv):
        return
    from rich.table import Table

    table = Table(*result.by, "postings", "share", "remote", "median advertised pay", "growth",
                  title=f"Job postings by {' and '.join(result.by)}")  # fmt: skip
    for r in result.rows:
        g = r.growth
        table.add_row(
            *r.key.values(),
            "withheld" if r.postings is None else f"{r.postings:,}",
            "" if r.share is None else f"{r.share:.1%}",
            "" if r.remote_share is None else f"{r.remote_share:.0%}",
            "" if r.median_annual_usd is None else f"${r.median_annual_usd:,.0f}",
            "" if g is None else f"{g.change:+.0%} ({g.low:+.0%} to {g.high:+.0%})",
        )
    console.print(table)
    if result.growth:
        g = result.growth
        console.print(f"Growth, {g.measure}: {g.change:+.1%} (95% interval {g.low:+.1%} to "
                      f"{g.high:+.1%})")  # fmt: skip
    if result.left_out_groups:
        console.print(f"{result.left_out_groups:,} groups under the privacy threshold left out.")
    console.print(f"From {result.postings:,} job postings: {_sources(result)}.")


def skills_cmd(
    family: FamilyOpt = None,
    seniority: SeniorityOpt = None,
    country: CountryOpt = None,
    state: StateOpt = None,
    remote: RemoteOpt = None,
    with_skill: Annotated[
        str | None, typer.Option("--with", help="Skills asked for together with this one.")
    ] = None,
    top: TopOpt = 40,
    min_support: Annotated[
        int, typer.Option(help="Fewest postings with and without a skill for a premium.")
    ] = 30,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Skills in job postings: share, trend and premium on advertised pay (adjusted)."""
    from payatlas.analytics.skills import skills
    from payatlas.settings import get_settings

    s = _slice(locals())
    with open_store(read_only=True) as store:
        result = skills(store, slice=s, with_skill=with_skill, top=top,
                        min_support=min_support, settings=get_settings())  # fmt: skip
    if emit(result, as_json, as_csv):
        return
    from rich.table import Table

    extra = "lift" if result.with_skill else "premium (95% interval)"
    table = Table("skill", "category", "postings", "share", "change (pp)", extra, "adj. p",
                  title="Skills in job postings" + (f" with {result.with_skill}"
                                                    if result.with_skill else ""))  # fmt: skip
    for r in result.rows:
        p = r.premium
        last = (f"{r.lift:.1f}x" if r.lift else "") if result.with_skill else (
            f"{p.premium:+.1%} ({p.low:+.1%} to {p.high:+.1%})" if p else "")  # fmt: skip
        table.add_row(r.label, r.category, f"{r.postings:,}", f"{r.share:.1%}",
                      "" if r.change_pp is None else f"{r.change_pp:+.1f}", last,
                      f"{p.p_adjusted:.3g}" if p else "")  # fmt: skip
    console.print(table)
    console.print(
        f"{result.postings_with_skills:,} of {result.postings:,} job postings list skills; "
        f"premiums are {result.pay_label}. Sources: {_sources(result)}."
    )
