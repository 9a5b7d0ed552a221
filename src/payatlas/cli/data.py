"""Data commands: init, ingest, data versions, data show, data drop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from payatlas.cli.common import (
    console,
    get_settings,
    note,
    print_json,
    progress_steps,
    read_store,
    write_store,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from payatlas.ingest import IngestReport
    from payatlas.model.monitor import VersionMonitor
    from payatlas.store import Store

data_app = typer.Typer(
    help="Inspect the dataset versions and contents of the store.",
    epilog="Example: payatlas data show --json",
    no_args_is_help=True,
)

mapping_app = typer.Typer(
    help="Column mappings: suggest one for a file (docs/mapping.md).",
    epilog="Example: payatlas mapping suggest postings.csv > postings.toml",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]


def register(app: typer.Typer) -> None:
    """Attach the data commands to the main app."""
    app.command("init", epilog="Example: payatlas init --json")(init_cmd)
    app.command(
        "ingest",
        epilog="Example: payatlas ingest docs/examples/acme_survey.csv "
        "--mapping docs/examples/acme_mapping.toml",
    )(ingest_cmd)
    app.add_typer(data_app, name="data")
    app.add_typer(mapping_app, name="mapping")


def init_cmd(as_json: JsonOpt = False) -> None:
    """Set up PAYATLAS_HOME: load the bundled aijobs.net survey and data_jobs postings, train the
    first model."""
    from payatlas.home import init_home

    with progress_steps(not as_json) as step:
        result = init_home(get_settings(), progress=step)
    if as_json:
        print_json(result.as_dict())
        return
    if result.ingest:
        _print_report(result.ingest)
    else:
        console.print(f"Store already initialised (dataset version {result.dataset_version}).")
    if result.official:
        console.print(f"Official statistics loaded: {sum(result.official.values()):,} rows")
    if result.postings:
        p = result.postings
        console.print(
            f"[bold]Dataset version {p.dataset_version}[/bold]: job postings from {p.file}: "
            f"read {p.rows_read:,} = accepted {p.accepted:,} (flagged {p.flagged:,}) + "
            f"rejected {p.rejected:,}"
        )
    console.print(f"Champion model: {result.champion or 'none'}")
    console.print(f"Home: {result.home}")


def ingest_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, JSON, JSON lines or Parquet file.")],
    mapping: Annotated[Path | None, typer.Option(help="Column-mapping TOML file.")] = None,
    source: Annotated[str | None, typer.Option(help="Source name stored with the rows.")] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Ingest even if this content was ingested with this mapping before."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a file as a new dataset version; every row is accepted, flagged or rejected."""
    from payatlas.ingest import ingest

    with write_store(f"ingest {file.name}") as store, progress_steps(not as_json) as step:
        report = ingest(
            file,
            store=store,
            mapping=mapping,
            source=source,
            progress=step,
            allow_same_file=force,
        )
        view = _monitor(store, report.dataset_version, step)
        _after_ingest(store, report.dataset_version, step)
    if as_json:
        print_json(report.as_dict())
    else:
        _print_report(report)
        if view is not None:
            from payatlas.cli.monitor import print_version

            print_version(view)


def _monitor(store: Store, version: int, step: Callable[[str], None]) -> VersionMonitor | None:
    """The champion scored on the new survey version before it trains on it (#14)."""
    from payatlas.errors import PayAtlasError
    from payatlas.model.monitor import monitor_ingest

    step(f"monitor: the champion on dataset version {version}")
    try:
        return monitor_ingest(store, get_settings(), version=version)
    except PayAtlasError as exc:  # the ingest stands; `payatlas monitor` scores it later
        note(f"monitor: dataset version {version} not scored on ingest: {exc}")
        return None


def _after_ingest(store: Store, version: int, step: Callable[[str], None]) -> None:
    """Ranges adapted to the new survey submissions, and a retrain when the settings ask (#14)."""
    from payatlas.errors import PayAtlasError
    from payatlas.model.retrain import after_survey_ingest

    try:
        after_survey_ingest(store, get_settings(), version=version, progress=step)
    except PayAtlasError as exc:  # the ingest stands
        note(f"after ingest: dataset version {version}: {exc}")


def _print_report(report: IngestReport) -> None:
    from rich.table import Table

    console.print(
        f"[bold]Dataset version {report.dataset_version}[/bold] from {report.file} "
        f"({report.format}, adapter {report.adapter}) in {report.seconds:.2f}s"
    )
    console.print(
        f"rows read {report.rows_read:,} = accepted {report.accepted:,} "
        f"(of which flagged {report.flagged:,}) + rejected {report.rejected:,}"
    )
    table = Table("role family", "records", "share", title="Accepted survey records by role family")
    for family, n in report.by_role_family.items():
        table.add_row(family, f"{n:,}", f"{n / max(report.accepted, 1):.1%}")
    console.print(table)
    if report.flags:
        console.print("flags: " + ", ".join(f"{k} {v:,}" for k, v in report.flags.items()))
    moved = report.flags.get("country_from_location", 0)
    if moved:
        console.print(
            f"{moved:,} rows: the country column contradicts the location; the location's "
            "country is stored (flagged country_from_location)"
        )
    no_fx = report.flags.get("no_fx", 0)
    if no_fx:
        console.print(
            f"{no_fx:,} rows: no exchange rate for their currency; kept without a USD amount "
            "(flagged no_fx) and left out of every analysis"
        )
    if report.rejected_by_reason:
        console.print(
            "rejected: "
            + "; ".join(f"{k} ({v:,})" for k, v in list(report.rejected_by_reason.items())[:10])
        )
    if report.rejects_file:
        console.print(f"rejects file: {report.rejects_file}")


@mapping_app.command(
    "suggest", epilog="Example: payatlas mapping suggest glassdoor.csv > glassdoor.toml"
)
def suggest_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, JSON, JSON lines or Parquet file.")],
    name: Annotated[str | None, typer.Option(help="Source name for [source] name.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a mapping inferred from the file's headers and values, with a comment on every
    guess; review it, then `payatlas ingest FILE --mapping it.toml`."""
    from payatlas.ingest.suggest import suggest_mapping

    found = suggest_mapping(file, name=name)
    if as_json:
        print_json(found.as_dict())
        return
    typer.echo(found.text, nl=False)
    for line in found.notes:
        typer.echo(f"# note: {line}")


@data_app.command("load-official", epilog="Example: payatlas data load-official --json")
def load_official_cmd(as_json: JsonOpt = False) -> None:
    """(Re)load the bundled official statistics (BLS OEWS, BEA RPP, World Bank PPP, H-1B LCA)."""
    from payatlas.official.load import load_official

    with write_store("load official statistics") as store:
        result = load_official(store)
    if as_json:
        print_json(result.as_dict())
        return
    for table, n in result.rows.items():
        console.print(f"{table}: {n:,} rows")


@data_app.command("versions", epilog="Example: payatlas data versions --json")
def versions_cmd(as_json: JsonOpt = False) -> None:
    """List dataset versions (one per ingest)."""
    from rich.table import Table

    with read_store() as store:
        versions = store.versions()
    if as_json:
        print_json([v.as_dict() for v in versions])
        return
    table = Table(
        "version",
        "created (UTC)",
        "source",
        "file",
        "format",
        "read",
        "accepted",
        "flagged",
        "rejected",
        "kind",
        "credit",
        title="Dataset versions",
    )
    for v in versions:
        table.add_row(
            str(v.version),
            v.created_at.isoformat(timespec="seconds"),
            v.source,
            v.source_file,
            v.file_format,
            f"{v.rows_read:,}",
            f"{v.accepted:,}",
            f"{v.flagged:,}",
            f"{v.rejected:,}",
            v.kind,
            v.credit or "",
        )
    console.print(table)


@data_app.command("drop", epilog="Example: payatlas data drop 3 --json")
def drop_cmd(
    version: Annotated[int, typer.Argument(help="The dataset version to remove.")],
    as_json: JsonOpt = False,
) -> None:
    """Remove one ingest (its records, rejects, postings and skill rows) atomically; models
    trained on it are named as stale."""
    from payatlas.model.stale import drop_dataset_version

    with write_store(f"drop dataset version {version}") as store:
        report = drop_dataset_version(store, version, settings=get_settings())
    if as_json:
        print_json(report.as_dict())
        return
    d = report
    what = (
        f"{d.postings:,} job postings ({d.posting_skills:,} skill rows)"
        if d.kind == "job_posting"
        else f"{d.records:,} survey records"
    )
    console.print(
        f"Dropped dataset version {d.version} ({d.source}, {d.source_file}): {what} and "
        f"{d.rejects:,} rejects removed",
        highlight=False,
    )
    stale = ", ".join(report.stale_models) or "none"
    console.print(f"Models now stale (trained on the dropped rows): {stale}", highlight=False)
    if report.advice:
        console.print(report.advice, highlight=False)


@data_app.command("show", epilog="Example: payatlas data show --version 1")
def show_cmd(
    version: Annotated[int | None, typer.Option(help="Dataset version (default: latest).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Counts of survey records by role family, country and pay year."""
    from rich.table import Table

    from payatlas.store.summary import data_summary

    with read_store() as store:
        summary = data_summary(store, version=version)
    if as_json:
        print_json(summary.as_dict())
        return
    console.print(
        f"[bold]Dataset version {summary.dataset_version}[/bold]: {summary.records:,} survey "
        f"records ({summary.distinct_records:,} distinct, {summary.flagged:,} flagged)"
    )
    for title, counts in (
        ("role family", summary.by_role_family),
        ("country (top 15)", summary.by_country),
        ("pay year", summary.by_year),
    ):
        table = Table(title, "records", title=f"Survey records by {title}")
        for key, n in counts.items():
            table.add_row(str(key), f"{n:,}")
        console.print(table)
