"""Model lifecycle commands: evaluate (backtest), train, models, promote, retrain, shadow.

The estimate and offer commands are in :mod:`payatlas.cli.model`, which registers these too
(in the order ``--help`` lists them).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from payatlas.cli.common import (
    console,
    get_settings,
    print_json,
    progress_steps,
    read_store,
    serialised,
)
from payatlas.defaults import DEFAULT_CUTOFF
from payatlas.errors import InvalidInput

if TYPE_CHECKING:
    from payatlas.model import BacktestReport

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]
CARD = Path("docs") / "model-card.md"


def evaluate_cmd(
    cutoff: Annotated[str, typer.Option(help="Arrival date splitting train/test.")] = (
        DEFAULT_CUTOFF
    ),
    write_card: Annotated[
        bool, typer.Option("--write-card", help=f"Also write {CARD} from this backtest.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Backtest PayAtlas and three baselines (time-ordered by arrival); write JSON + Markdown."""
    from payatlas.model.artifact import dump_json
    from payatlas.model.backtest import evaluate
    from payatlas.model.card import model_card
    from payatlas.model.registry import champion_id, get_record

    settings = get_settings()
    with read_store() as store, progress_steps(not as_json) as step:
        step("backtest: PayAtlas and baselines")
        report = evaluate(store, settings, cutoff=cutoff)
    folder = settings.model_dir / "backtests"
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"backtest-v{report.data_version}-{report.cutoff}"
    dump_json(report.as_dict(), stem.with_suffix(".json"))
    stem.with_suffix(".md").write_text(report.to_markdown())
    if write_card:
        found = champion_id(settings)
        meta = get_record(found, settings).as_dict() if found else None
        CARD.parent.mkdir(parents=True, exist_ok=True)
        CARD.write_text(model_card(report, model=meta))
    if as_json:
        print_json(report.as_dict())
        return
    _print_report(report)
    console.print(f"written: {stem}.json, {stem}.md" + (f", {CARD}" if write_card else ""))


def _print_report(report: BacktestReport) -> None:
    header, rows = report.table()
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    console.print(
        f"[bold]Backtest[/bold]: train before {report.cutoff} ({report.train_rows:,} records), "
        f"test on or after it ({report.test_rows:,}); coverage of the 80% range"
    )
    for row in [header, *rows]:
        line = "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    for name, ok in report.targets.items():
        console.print(f"{'[green]met[/green]' if ok else '[red]NOT met[/red]'}  {name}")


def train_cmd(
    seed: Annotated[int | None, typer.Option(help="Random seed (default: settings).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train a candidate on the current dataset version and record it in the registry."""
    from payatlas.model.candidate import train_candidate
    from payatlas.model.listing import public

    settings = get_settings()
    with serialised("train") as store, progress_steps(not as_json) as step:
        record = train_candidate(store, settings, seed=seed, progress=step)
    if as_json:
        print_json(public(record).as_dict())  # as the API answers it
        return
    m = record.metrics
    console.print(
        f"candidate [bold]{record.model_id}[/bold] (data v{record.data_version}, "
        f"{record.rows:,} records): backtest MAE(log) {m['mae_log']:.4f}, "
        f"80% coverage {m['coverage']['overall']:.3f}, gap {m['coverage_gap']:.3f}"
    )
    console.print(f"promote with: payatlas promote {record.model_id}")


def models_cmd(as_json: JsonOpt = False) -> None:
    """List trained models and the backtest split their metrics come from; the champion is
    marked."""
    from rich.table import Table

    from payatlas.model.registry import list_models, shadow_id
    from payatlas.model.retrain import retrain_log
    from payatlas.model.shadow import shadow_stats
    from payatlas.model.stale import is_stale

    settings = get_settings()
    records = list_models(settings)
    shadow = shadow_id(settings)
    stats = shadow_stats(settings, shadow) if shadow else None
    stale: set[str] = set()
    if records:
        with read_store() as store:
            stale = {r.model_id for r in records if is_stale(r, store)}
    if as_json:  # the models as GET /v1/models lists them (payatlas.model.listing.ModelView)
        from payatlas.model.listing import public

        listed = [
            public(r, stale=r.model_id in stale, shadow=r.model_id == shadow,
                   stats=stats if r.model_id == shadow else None).as_dict()
            for r in records
        ]  # fmt: skip
        print_json(listed)
        return
    from payatlas.model.metrics import bias_text

    table = Table(
        "", "data", "backtest", "created (UTC)", "records", "MAE log", "bias", "cov 80%", "gap"
    )
    table.add_column("model", no_wrap=True, min_width=13)
    for r in records:
        bias = r.metrics.get("bias_log")
        table.add_row(
            "*" if r.champion else ("s" if r.model_id == shadow else ""),
            f"v{r.data_version}" + (" (stale)" if r.model_id in stale else ""),
            r.backtest_label,
            r.created_at[:16].replace("T", " "),
            f"{r.rows:,}",
            f"{r.metrics['mae_log']:.4f}",
            "-" if bias is None else f"{bias:+.4f}",
            f"{r.metrics['coverage']['overall']:.3f}",
            f"{r.metrics['coverage_gap']:.3f}",
            r.model_id,
        )
    console.print(table)
    console.print(
        "* champion, s shadow (MLflow aliases); backtest: dataset version@cutoff (trained "
        "before it, tested on the arrivals on or after it); bias: mean log error of the P50 "
        "(P50 minus actual; +0.030 = about 3% high)"
    )
    if stats is not None:
        console.print(_shadow_line(stats), highlight=False, soft_wrap=True)
    log = retrain_log(settings)
    if log:
        last = log[-1]
        console.print(
            f"last retrain {last['at']}: {last['model_id']} {last['verdict']}: {last['reason']}",
            highlight=False,
            soft_wrap=True,
        )
    for r in records:
        console.print(f"{r.model_id} bias: {bias_text(r.metrics)}", highlight=False)
        for key, again in r.rescored.items():
            m = again["metrics"]
            b = m.get("bias_log")
            console.print(
                f"{r.model_id} re-scored on {key}: MAE(log) {m['mae_log']:.4f}, "
                f"bias {'-' if b is None else format(b, '+.4f')}, "
                f"cov 80% {m['coverage']['overall']:.3f}, gap {m['coverage_gap']:.3f}",
                highlight=False,
            )


def promote_cmd(
    model_id: Annotated[str, typer.Argument(help="Model id (see `payatlas models`).")],
    force: Annotated[
        bool, typer.Option("--force", help="Promote even if worse (recorded).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make a model the champion if it is no worse than the current one on the candidate's
    backtest split (both trained independently, scored on the same newest arrivals).

    The plain LightGBM challenger is promoted instead when it beats the candidate beyond noise."""
    from payatlas.model.listing import public
    from payatlas.model.promotion import promote

    with serialised(f"promote {model_id}") as store, progress_steps(not as_json) as step:
        record = promote(model_id, get_settings(), force=force, store=store, progress=step)
    if as_json:
        print_json(public(record).as_dict())  # as the API answers it
        return
    console.print(f"champion: {record.model_id}" + (" (forced)" if force else ""))
    if record.promotion is None:
        console.print("(it already was)")
    else:
        console.print(record.promotion["reason"], highlight=False, soft_wrap=True)


def _shadow_line(stats: Any) -> str:
    if not stats.requests:
        return f"shadow {stats.model_id}: no live estimate requests scored yet"
    return (
        f"shadow {stats.model_id} on {stats.requests:,} live POST /v1/estimate requests "
        f"({stats.first} .. {stats.last}): P50 vs champion median |log diff| "
        f"{stats.median_abs_p50_log_diff:.4f}, mean {stats.mean_p50_log_diff:+.4f}; shadow P50 "
        f"inside the champion's P10-P90 {stats.share_inside_champion_range:.1%}; width ratio "
        f"{stats.width_ratio:.3f}"
    )


def retrain_cmd(
    shadow: Annotated[
        bool, typer.Option("--shadow", help="Serve a refused challenger in shadow.")
    ] = False,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: settings).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train a challenger on the latest data, gate it against the champion on the newest
    arrivals and promote it only on a win; the verdict and why go to the registry."""
    from payatlas.model.retrain import retrain

    with serialised("retrain") as store, progress_steps(not as_json) as step:
        result = retrain(store, get_settings(), seed=seed, shadow=shadow, progress=step)
    if as_json:
        print_json(result.as_dict())
        return
    console.print(
        f"challenger [bold]{result.challenger}[/bold] (data v{result.data_version}): "
        f"{result.verdict}; champion {result.champion_after}"
        + (" (challenger now in shadow)" if result.shadow else "")
    )
    console.print(result.reason, highlight=False, soft_wrap=True)


def shadow_cmd(
    model_id: Annotated[
        str | None, typer.Argument(help="Model id to serve in shadow (see `payatlas models`).")
    ] = None,
    off: Annotated[bool, typer.Option("--off", help="Stop serving a model in shadow.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Serve a model in shadow: scored beside the champion on API estimate requests and
    logged, never returned; without arguments, show the shadow model's figures."""
    from payatlas.model.registry import shadow_id
    from payatlas.model.shadow import set_shadow, shadow_stats

    settings = get_settings()
    if off or model_id:
        if off and model_id:
            raise InvalidInput("give a model id or --off, not both")
        set_shadow(settings, None if off else model_id)
    current = shadow_id(settings)
    stats = shadow_stats(settings, current) if current else None
    if as_json:
        print_json({"shadow": current, "stats": stats.as_dict() if stats else None})
        return
    if stats is None:
        console.print("no model in shadow")
        return
    console.print(_shadow_line(stats), highlight=False, soft_wrap=True)
