"""The monitor command: the champion on new survey versions, drift and alerts (#14)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from payatlas.cli.common import console, err_console, get_settings, print_json, read_store

if TYPE_CHECKING:
    from payatlas.model.monitor import GroupScore, MonitorReport, VersionMonitor

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]


def register(app: typer.Typer) -> None:
    """Attach the monitor command to the main app."""
    app.command("monitor", epilog="Example: payatlas monitor --json")(monitor_cmd)


def monitor_cmd(as_json: JsonOpt = False) -> None:
    """How the champion does on survey versions it was not trained on (MAE, bias, 80% coverage
    and width per level, region, company size), their drift, and the alerts. Exit code 3 when
    an alert is raised."""
    from payatlas.model.monitor import monitor_report

    settings = get_settings()
    with read_store() as store:
        report = monitor_report(store, settings)
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        print_report(report)
    if report.alerts:
        sys.exit(3)  # for scripts and schedulers: an alert is raised


def _groups_table(title: str, groups: list[GroupScore]) -> None:
    from rich.table import Table

    table = Table("group", "records", "MAE log", "bias", "cov 80%", "P90/P10", title=title)
    for g in groups:
        name = "all" if g.dimension == "overall" else f"{g.dimension} {g.group}"
        table.add_row(
            name,
            f"{g.records:,}",
            f"{g.mae_log:.4f}",
            f"{g.bias:+.4f}",
            f"{g.coverage:.3f}",
            f"{g.p90_p10:.2f}",
        )
    console.print(table)


def print_version(view: VersionMonitor) -> None:
    """One version's scoring: its overall line, drift summary and alerts."""
    overall = next((g for g in view.groups if g.dimension == "overall"), None)
    line = (
        f"dataset v{view.dataset_version}: {view.records:,} survey submissions scored by "
        f"{view.model_id} (trained on v{view.model_data_version})"
    )
    if overall is not None:
        line += f": 80% coverage {overall.coverage:.3f}, bias {overall.bias:+.4f}"
    console.print(line + ("" if view.stored else " (not stored)"), highlight=False)
    d = view.drift
    shifted = [f"{p.feature} {p.psi:.2f}" for p in d.psi if p.shift != "stable"]
    console.print(
        f"  drift: unseen titles {d.unseen_title_share:.1%}; PSI shifts: "
        + (", ".join(shifted) or "none"),
        highlight=False,
    )
    if view.fairness is not None:
        worst = [
            f"{g.dimension} {g.group} {g.coverage.value:.3f} "
            f"[{g.coverage.low:.3f}, {g.coverage.high:.3f}]"
            for g in view.fairness.groups
            if g.gated
        ][:3]
        console.print(
            "  fairness: furthest 80% coverage from 0.80 (groups of >= 300): "
            + ("; ".join(worst) or "no group that large"),
            highlight=False,
        )
    for alert in view.alerts:
        err_console.print(f"  ALERT v{view.dataset_version}: {alert.message}", highlight=False)


def print_report(report: MonitorReport) -> None:
    """The report as tables."""
    if report.champion is None:
        console.print("No champion model yet: nothing to monitor.")
        return
    console.print(
        f"Champion [bold]{report.champion}[/bold], trained on dataset "
        f"v{report.champion_data_version}; new survey versions: "
        + (", ".join(f"v{v}" for v in report.new_versions) or "none")
        + f" ({report.new_records:,} survey submissions)"
    )
    for view in report.versions:
        print_version(view)
    if report.since_champion:
        _groups_table("The champion on every new record", report.since_champion)
    for alert in report.alerts:
        err_console.print(f"ALERT: {alert.message}", style="red", highlight=False)
    if not report.alerts:
        lo, hi = report.coverage_band
        console.print(
            f"no alerts (groups of >= {report.alert_min_records} new records: coverage within "
            f"{lo:.2f}-{hi:.2f}, |bias| <= {report.max_abs_bias})"
        )
