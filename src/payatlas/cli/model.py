"""Model commands: estimate, offer, evaluate, train, models, promote, retrain, shadow."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from payatlas.cli.common import (
    console,
    err_console,
    get_settings,
    print_json,
    progress_steps,
    read_store,
    serialised,
)
from payatlas.defaults import DEFAULT_CUTOFF
from payatlas.errors import InvalidInput

if TYPE_CHECKING:
    from payatlas.model import BacktestReport, Estimate
    from payatlas.schema import Profile

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]
RoleOpt = Annotated[str | None, typer.Option("--role", help="Job title or role family.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="Country of work.")]
LevelOpt = Annotated[str | None, typer.Option("--level", help="entry, mid, senior, executive.")]
YearsOpt = Annotated[float | None, typer.Option("--years", help="Years of experience.")]
ResidenceOpt = Annotated[str | None, typer.Option("--residence", help="Employee residence.")]
RemoteOpt = Annotated[int, typer.Option("--remote", help="Remote share, 0-100.")]
SizeOpt = Annotated[str | None, typer.Option("--company-size", help="S, M or L.")]
EmploymentOpt = Annotated[str, typer.Option("--employment-type", help="FT, PT, CT or FL.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Pay year (default: latest).")]
MetroOpt = Annotated[
    str | None, typer.Option("--metro", help="US metro: 'City, ST', metro title or CBSA code.")
]
CARD = Path("docs") / "model-card.md"
#: the options that make up a profile (the fields of :class:`payatlas.schema.Profile`)
PROFILE_OPTIONS = ("role", "country", "level", "years", "residence", "remote", "company_size",
                   "employment_type", "year", "metro")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Attach the model commands to the main app."""
    app.command(
        "estimate",
        epilog="Example: payatlas estimate --role 'ML Engineer' --country DE --level senior",
    )(estimate_cmd)
    app.command(
        "offer",
        epilog="Example: payatlas offer --amount 95000 --currency EUR --role 'Data Scientist' "
        "--country DE",
    )(offer_cmd)
    app.command("evaluate", epilog="Example: payatlas evaluate --cutoff 2024-07-01")(evaluate_cmd)
    app.command("train", epilog="Example: payatlas train --seed 7")(train_cmd)
    app.command("models", epilog="Example: payatlas models --json")(models_cmd)
    app.command("promote", epilog="Example: payatlas promote v2-3f9c0a1b2c")(promote_cmd)
    app.command("retrain", epilog="Example: payatlas retrain --shadow")(retrain_cmd)
    app.command("shadow", epilog="Example: payatlas shadow v2-3f9c0a1b2c (or --off)")(shadow_cmd)


def _profile(options: Mapping[str, Any]) -> Profile:
    """The profile a command's options (its ``locals()``) describe."""
    from payatlas.schema import Profile

    fields = {name: options.get(name) for name in PROFILE_OPTIONS}
    if not fields.get("role") or not fields.get("country"):
        raise InvalidInput("--role and --country are required (or --input FILE)")
    from pydantic import ValidationError

    try:
        return Profile.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:  # one line naming the option, not pydantic's help link
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err.get("loc") else ""
        option = "--" + name.replace("_", "-") if name else "input"
        raise InvalidInput(f"{option} {err.get('input')!s}: {err['msg']}") from None


@contextmanager
def _options_named(profile: Profile) -> Iterator[None]:
    """A content error about a profile field is re-raised naming its option (``--year 2016:
    ...``), as a parse error is."""
    try:
        yield
    except InvalidInput as exc:
        if exc.field not in PROFILE_OPTIONS or exc.row is not None or exc.file:
            raise
        option = "--" + exc.field.replace("_", "-")
        raise type(exc)(f"{option} {getattr(profile, exc.field)}: {exc.reason}") from None


def estimate_cmd(
    role: RoleOpt = None,
    country: CountryOpt = None,
    level: LevelOpt = None,
    years: YearsOpt = None,
    residence: ResidenceOpt = None,
    remote: RemoteOpt = 0,
    company_size: SizeOpt = None,
    employment_type: EmploymentOpt = "FT",
    year: YearOpt = None,
    metro: MetroOpt = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="Batch: a file in any layout ingest reads.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Batch: CSV to write.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Batch: column-mapping TOML.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Estimate annual pay (P10-P90) for a profile, or for every row of --input FILE."""
    from payatlas.model.estimate import estimate

    if input_file is not None:
        _batch(input_file, output, mapping, as_json)
        return
    profile = _profile(locals())
    settings = get_settings()
    with _options_named(profile):
        if profile.metro or settings.store_path.is_file():  # the store: metro step, postings
            with read_store() as store:
                est = estimate(profile, settings=settings, store=store)
        else:
            est = estimate(profile, settings=settings)
    if as_json:
        print_json(est.as_dict())
    else:
        _print_estimate(est)


def _batch(path: Path, output: Path | None, mapping: Path | None, as_json: bool) -> None:
    from payatlas.model.batchfile import estimate_file

    if output is None:
        raise InvalidInput("--input needs --output OUT.csv")
    result = estimate_file(path, mapping=mapping, settings=get_settings())
    result.write_csv(output)
    summary = {**result.summary(), "output": str(output)}
    if as_json:
        print_json(summary)
        return
    console.print(
        f"{result.rows:,} rows ({result.format}, {result.adapter}) -> {output}; "
        f"unresolved {len(result.unresolved):,}"
    )
    for row, reason in list(result.unresolved.items())[:5]:
        err_console.print(f"row {row + 1}: {reason.split(';')[0]}", highlight=False)


def _print_estimate(est: Estimate) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.print(
        f"[bold]{est.role_label}[/bold], {est.level}, {est.country} ({est.year}); "
        f"model {est.model_version}, data v{est.data_version}"
    )
    table = Table("", "P10", "P25", "P50", "P75", "P90", title="Annual pay")
    table.add_row("USD", *(est.formatted[p] for p in ("p10", "p25", "p50", "p75", "p90")))
    if est.local.currency != "USD":
        table.add_row(
            est.local.currency,
            *(est.formatted[f"local_{p}"] for p in ("p10", "p25", "p50", "p75", "p90")),
        )
    console.print(table)
    console.print(
        "comparable records (role family x level x country): "
        f"{_count(est.n_comparable, est.n_comparable_note)}; "
        f"cohort {est.cohort.name} {escape('[' + est.cohort.key + ']')}: "
        f"{_count(est.cohort.n, est.cohort.note)}; "
        f"confidence [bold]{est.confidence}[/bold]",
        highlight=False,
    )
    console.print(f"confidence {escape(est.confidence_basis)}", highlight=False)
    if est.extrapolated_from is not None:
        console.print(
            f"extrapolated from {est.extrapolated_from}: the {est.year} estimate is the "
            f"{est.extrapolated_from} one with a wider range",
            highlight=False,
        )
    if est.flags:
        console.print("flags: " + ", ".join(est.flags))
    if est.metro:
        d = est.metro["differential"]
        console.print(
            f"metro: {est.metro['metro']} (CBSA {est.metro['cbsa']}): x{d['ratio']:.3f} "
            f"({d['label']}, log sd {d['log_sd']:.3f}); {d['source']}",
            highlight=False,
        )
    if est.postings:
        console.print(_postings_line(est.postings.as_dict()), highlight=False)
    if est.reasons:
        why = Table("field", "vs reference", "premium", title="Why (vs " + _ref(est) + ")")
        for r in est.reasons:
            why.add_row(r.field, r.label, f"{r.premium_pct:+.1f}%")
        console.print(why)


def _postings_line(p: dict[str, Any]) -> str:
    """The job postings beside the survey range, in one line."""
    where = f"{p['area_name']} ({p['scope']})"
    if p["p50"] is None:
        shown = _count(p["n"], p["n_note"]) if p["n"] is not None or p["n_note"] else "0"
        figures = f"{shown} matching postings"
    else:
        figures = (
            f"P10 ${p['p10']:,.0f} - P50 ${p['p50']:,.0f} - P90 ${p['p90']:,.0f} from "
            f"{p['n']:,} postings ({p['posted_from']} to {p['posted_to']})"
        )
    note = f"; {p['note']}" if p.get("note") else ""
    return f"{p['label']}, {where}, {p['seniority']}: {figures}{note}; not in the model"


def _count(n: int | None, note: str | None) -> str:
    """A published count (with its note, if any), or the note that stands for a withheld one
    ("fewer than 5 ...")."""
    if n is None:
        return str(note)
    return f"{n:,}" + (f" ({note})" if note else "")


def _ref(est: Estimate) -> str:
    p50 = est.reference.get("p50")
    money = f", P50 ${p50:,.0f}" if p50 else ""
    return f"{est.reference['profile']}{money}"


def offer_cmd(
    amount: Annotated[
        str,
        typer.Option(
            "--amount",
            help="Annual offer amount, as typed in the currency's convention "
            "(95000, 95k, 95.000 in EUR, 1.234.567,89).",
        ),
    ],
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 currency.")] = "USD",
    role: RoleOpt = None,
    country: CountryOpt = None,
    level: LevelOpt = None,
    years: YearsOpt = None,
    residence: ResidenceOpt = None,
    remote: RemoteOpt = 0,
    company_size: SizeOpt = None,
    employment_type: EmploymentOpt = "FT",
    year: YearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Where an offer falls: percentile in the model's range and among comparable records."""
    from payatlas.errors import InvalidSalary
    from payatlas.model.evidence import withheld_note
    from payatlas.model.offer import offer_check, parse_amount

    try:  # read before any model work, so a typo is named as the option it came from
        parse_amount(amount, currency)
    except InvalidSalary as exc:
        raise typer.BadParameter(str(exc), param_hint="'--amount'") from None
    profile = _profile(locals())
    with _options_named(profile):
        check = offer_check(profile, amount=amount, currency=currency, settings=get_settings())
    if as_json:
        print_json(check.as_dict())
        return
    est = check.estimate
    console.print(
        f"Offer {check.amount:,.0f} {check.currency} = USD {check.amount_usd:,.0f} "
        f"(rate {check.usd_per_unit:.4f} USD per {check.currency}, {check.rate_date})"
    )
    console.print(
        f"[bold]{check.percentile_label}[/bold] of the model's range for {est.role_label}, "
        f"{est.level}, {est.country} ({est.formatted['p10']} - {est.formatted['p90']}): "
        f"{check.verdict}"
    )
    n = check.comparable_n
    console.print(
        f"comparable survey submissions from the same {check.comparable_scope}: "
        f"{_count(n, withheld_note(get_settings().privacy_threshold))} "
        f"({check.comparable_cohort})",
        highlight=False,
    )


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

    settings = get_settings()
    with serialised("train") as store, progress_steps(not as_json) as step:
        record = train_candidate(store, settings, seed=seed, progress=step)
    if as_json:
        print_json(record.as_dict())
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
    if as_json:
        out = []
        for r in records:
            row = r.as_dict()
            row["stale"] = r.model_id in stale
            row["shadow"] = r.model_id == shadow
            if stats is not None and r.model_id == shadow:
                row["shadow_stats"] = stats.as_dict()
            out.append(row)
        print_json(out)
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
    from payatlas.model.promotion import promote

    with serialised(f"promote {model_id}") as store, progress_steps(not as_json) as step:
        record = promote(model_id, get_settings(), force=force, store=store, progress=step)
    if as_json:
        print_json(record.as_dict())
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
