"""``payatlas indicators``: published market indicators with citations, and reports vs data."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from payatlas.cli.common import console, get_settings, read_store
from payatlas.cli.render import CsvOpt, JsonOpt, emit


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
    from rich.table import Table

    from payatlas.analytics import compare_indicators, indicators

    with read_store() as store:
        result: Any = (
            compare_indicators(store, settings=get_settings())
            if compare
            else indicators(store, indicator=indicator, region=region, search=search)
        )
    if emit(result, as_json, as_csv):
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
