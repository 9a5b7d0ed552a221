"""Place and official-statistics commands: sources side by side, metros, purchasing power."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from payatlas.cli.common import console, open_store, print_json
from payatlas.cli.render import CsvOpt, JsonOpt, emit, money
from payatlas.settings import get_settings

RoleOpt = Annotated[str, typer.Option("--role", help="Job title or role family.")]
MetroOpt = Annotated[str, typer.Option("--metro", help="US metro: 'City, ST', title or CBSA.")]


def register(app: typer.Typer) -> None:
    """Attach the commands to the main app."""
    app.command("sources")(sources_cmd)
    app.command("metro")(metro_cmd)
    app.command("ppp")(ppp_cmd)
    app.command("talent")(talent_cmd)


def sources_cmd(
    role: RoleOpt, metro: MetroOpt, as_json: JsonOpt = False, as_csv: CsvOpt = False
) -> None:
    """Survey, postings, OEWS and H-1B P10/P50/P90 for a role in a US metro, side by side."""
    from payatlas.analytics.sources import sources

    with open_store(read_only=True) as store:
        result = sources(store, role=role, metro=metro, settings=get_settings())
    if emit(result, as_json, as_csv):
        return
    console.print(
        f"[bold]{result.role_label}[/bold] in {result.metro.metro.title} "
        f"(CBSA {result.metro.cbsa})" + (f"; OEWS: {result.soc['label']}" if result.soc else "")
    )
    table = Table("kind", "source", "area", "year", "n", "P10", "P50", "P90", title="Sources")
    for r in result.rows:
        n = "" if r.count is None else f"{r.count:,} {r.count_unit}"
        table.add_row(r.kind, r.source, r.area, r.year, n, money(r.p10), money(r.p50),
                      money(r.p90))  # fmt: skip
    console.print(table)
    for r in result.rows:
        console.print(f"- {r.population}" + (f" ({r.note})" if r.note else ""), highlight=False)
    console.print("[bold]Why they differ[/bold]")
    for line in result.differences:
        console.print(f"- {line}", highlight=False)


def metro_cmd(
    text: Annotated[str, typer.Argument(help="A CBSA code, metro title, nickname or 'City, ST'.")],
    as_json: JsonOpt = False,
) -> None:
    """Which US metro (CBSA) a place names, and how it was matched."""
    from payatlas.normalize.metros import resolve_metro

    match = resolve_metro(text)
    if as_json:
        print_json(match.as_dict())
        return
    console.print(
        f"{match.metro.title} (CBSA {match.cbsa}, {match.metro.kind}; matched by "
        f"{match.matched_by})" + (f"; {match.note}" if match.note else ""),
        highlight=False,
    )


def ppp_cmd(
    amount: Annotated[float, typer.Option("--amount", help="Annual pay amount.")],
    place: Annotated[
        str,
        typer.Option("--place", help="Where it is earned: country, 'City, ST', 'City, Country'."),
    ],
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 currency.")] = "USD",
    to: Annotated[
        str | None, typer.Option("--to", help="Another place: the pay of equal purchasing power.")
    ] = None,
    year: Annotated[int, typer.Option("--year", help="Year of the rates and factors.")] = 2024,
    as_json: JsonOpt = False,
) -> None:
    """A pay figure at market FX, in PPP international dollars and (US metros) RPP-adjusted."""
    from payatlas.official.ppp import equivalent_pay, purchasing_power

    with open_store(read_only=True) as store:
        if to:
            result = equivalent_pay(store, amount=amount, currency=currency, origin=place,
                                    target=to, year=year)  # fmt: skip
        else:
            value = purchasing_power(store, amount=amount, currency=currency, place=place,
                                     year=year)  # fmt: skip
    if as_json:
        print_json(result.as_dict() if to else value.as_dict())
        return
    values = [result.origin, result.target] if to else [value]
    table = Table("place", "amount", "USD (market FX)", "PPP intl $", "RPP-adjusted USD",
                  title=f"Purchasing power, {year}")  # fmt: skip
    for v in values:
        table.add_row(v.where, f"{v.currency} {v.amount:,.0f}", money(v.usd_market),
                      money(v.ppp_international_dollars), money(v.rpp_adjusted_usd))  # fmt: skip
    console.print(table)
    if to:
        console.print(result.sentence, highlight=False)
    for v in values:
        for note in v.notes:
            console.print(f"- {note}", highlight=False)
    console.print("Credits: ECB (FX), World Bank ICP (PPP), U.S. BEA (RPP).", highlight=False)


def talent_cmd(
    postings: Annotated[str, typer.Option("--postings", help="Postings CSV (gzip is fine).")],
    location_column: Annotated[
        str, typer.Option("--location-column", help="Column holding 'City, ST'.")
    ] = "job_location",
    title_column: Annotated[
        str, typer.Option("--title-column", help="Column holding the job title.")
    ] = "job_title_short",
    role: Annotated[str | None, typer.Option("--role", help="One role family only.")] = None,
    min_postings: Annotated[
        int, typer.Option("--min-postings", help="Smallest metro x family cell ranked.")
    ] = 20,
    top: Annotated[int, typer.Option("--top", help="Metros at each end.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Talent demand by metro: postings per 1,000 people employed in the matched OEWS occupation."""
    from payatlas.official.demand import family_label, read_postings, talent_demand

    rows = read_postings(postings, location=location_column, title=title_column)
    with open_store(read_only=True) as store:
        result = talent_demand(store, postings=rows, role=role, min_postings=min_postings,
                               top=top)  # fmt: skip
    if as_json:
        print_json(result.as_dict())
        return
    for name, cells in (("Highest", result.top), ("Lowest", result.bottom)):
        table = Table("metro", "role family", "postings", "employed (OEWS)", "per 1,000",
                      title=f"{name} postings per 1,000 employed")  # fmt: skip
        for c in cells:
            table.add_row(c.metro, family_label(c.role_family), f"{c.postings:,}",
                          f"{c.employed:,} (SOC {c.soc})", f"{c.per_1000:,.1f}")  # fmt: skip
        console.print(table)
    console.print("left out: " + "; ".join(f"{k} {v:,}" for k, v in result.left_out.items()))
    for line in result.caveats:
        console.print(f"- {line}", highlight=False)
