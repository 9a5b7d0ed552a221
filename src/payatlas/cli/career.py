"""``payatlas career``: pay by career rung for a family in a country, and common moves."""

from __future__ import annotations

from typing import Annotated

import typer

from payatlas.cli.common import console, get_settings, read_store
from payatlas.cli.render import CsvOpt, JsonOpt, caption, emit, pct, thousands


def register(app: typer.Typer) -> None:
    """Attach the career command to the main app."""
    app.command("career", epilog="Example: payatlas career --family ml_engineer --country US")(
        career_cmd
    )


def career_cmd(
    family: Annotated[str, typer.Option(help="Role family (slug, label or a job title).")],
    country: Annotated[str, typer.Option(help="Country of work (name or ISO code).")],
    version: Annotated[int | None, typer.Option(help="Dataset version (default: latest).")] = None,
    moves: Annotated[bool, typer.Option(help="Also the common moves between families.")] = True,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Pay by career rung (junior to director/head) with ranges and evidence, and the pay
    difference of common moves into and out of the family."""
    from rich.table import Table

    from payatlas.analytics.career import career_view

    with read_store() as store:
        result = career_view(
            store,
            family=family,
            country=country,
            settings=get_settings(),
            version=version,
            moves=moves,
        )
    if emit(result, as_json, as_csv):
        return
    view = result.as_dict()
    table = Table(
        "rung",
        "level",
        "records",
        "P10",
        "P50",
        "P90",
        "how",
        "coverage",
        title=f"Annual pay (thousand USD) by career rung: {view['family_label']}, "
        f"{result.country} (survey records)",
        caption=caption(result.basis),
    )
    notes: list[str] = []
    for r in view["rungs"]:
        records = (
            "<" + str(result.basis.privacy_threshold)
            if r["records"] is None
            else (f"{r['records']:,}")
        )
        how = r["method"] + (" *" if r["note"] else "")
        if r["note"]:
            notes.append(f"{r['label']}: {r['note']}")
        cov = "" if r["coverage"] is None else f"{r['coverage']:.0%}"
        table.add_row(
            r["label"], r["level"], records, *(thousands(r[k]) for k in ("p10", "p50", "p90")),
            how, cov,
        )  # fmt: skip
    console.print(table)
    for note in notes:
        console.print(f"* {note}")
    console.print(
        f"Measured: >= {view['min_records']} records of the rung; coverage is the held-out share "
        "inside P10-P90 (nominal 80%)."
    )
    if not view["moves"]:
        return
    moves_table = Table(
        "move",
        "pay difference",
        "90% interval",
        "n (from / to)",
        "matched",
        title="Common moves: pay of the new family over the old (matched-cohort medians)",
    )
    for m in view["moves"]:
        label = f"{m['from_label']} -> {m['to_label']}"
        if m["difference_pct"] is None:
            moves_table.add_row(label, m["note"] or "", "", "", m["scope"])
            continue
        moves_table.add_row(
            label,
            pct(m["difference_pct"]),
            f"{pct(m['low_pct'])} to {pct(m['high_pct'])}",
            f"{m['n_from']:,} / {m['n_to']:,}",
            f"level, year, {m['scope']}"
            if m["scope"] != "all countries"
            else "level, year, country (all)",
        )
    console.print(moves_table)
