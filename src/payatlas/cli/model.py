"""Model commands: estimate and offer here; evaluate, train, models, promote, retrain and shadow
in :mod:`payatlas.cli.lifecycle` (registered from here, in the order ``--help`` lists them)."""

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
    read_store,
)
from payatlas.cli.lifecycle import (
    evaluate_cmd,
    models_cmd,
    promote_cmd,
    retrain_cmd,
    shadow_cmd,
    train_cmd,
)
from payatlas.errors import InvalidInput

if TYPE_CHECKING:
    from payatlas.model import Estimate
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
