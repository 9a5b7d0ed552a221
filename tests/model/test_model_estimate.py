"""Single estimates: ranges, evidence, flags, typed errors and reasons that add up."""

from __future__ import annotations

import json
import math

import pytest

from payatlas.errors import UnknownCountry, UnknownRole
from payatlas.model import estimate, offer_check
from payatlas.schema import Profile
from payatlas.settings import Settings

PROFILES = [
    {"role": "ML Engineer", "level": "senior", "country": "DE"},
    {"role": "Data Scientist", "level": "mid", "country": "US"},
    {"role": "Senior NLP Engineer", "country": "GB", "remote": 100, "company_size": "L"},
    {"role": "data_engineer", "years": 1, "country": "IN", "residence": "US", "year": 2022},
    {"role": "Head of Data", "level": "executive", "country": "CA", "employment_type": "CT"},
]


@pytest.mark.parametrize("fields", PROFILES)
def test_reasons_add_up_to_the_estimate(
    fields: dict[str, object], model_settings: Settings
) -> None:
    est = estimate(Profile(**fields), settings=model_settings)
    ref = est.reference["p50"]
    rebuilt = ref * math.prod(1 + r.premium_pct / 100 for r in est.reasons)
    assert rebuilt == pytest.approx(est.p50, rel=2e-5, abs=2.0)
    log_sum = sum(math.log1p(r.premium_pct / 100) for r in est.reasons)
    assert log_sum == pytest.approx(math.log(est.p50 / ref), abs=1e-4)
    assert len({r.field for r in est.reasons}) == len(est.reasons)


def test_estimate_shape_and_local_currency(model_settings: Settings) -> None:
    est = estimate(
        Profile(role="ML Engineer", level="senior", country="Germany"), settings=model_settings
    )
    assert est.country == "DE" and est.residence == "DE" and est.role_family == "ml_engineer"
    assert est.p10 < est.p25 < est.p50 < est.p75 < est.p90
    assert est.currency == "EUR" and est.local.currency == "EUR"
    assert est.local.p50 == pytest.approx(est.p50 / est.local.usd_per_unit, abs=1)
    assert est.formatted["local_p50"].startswith("€")
    assert est.n_comparable > 0 and est.cohort.n >= est.n_comparable
    assert est.confidence in ("high", "medium", "low")
    assert est.model_version and est.data_version == 1
    labels = {r.field: r.label for r in est.reasons}
    assert labels["level"] == "senior vs mid"
    json.dumps(est.as_dict())


def test_unseen_title_is_flagged_not_guessed(model_settings: Settings) -> None:
    est = estimate(
        Profile(role="Quantum Origami ML Engineer", level="mid", country="US"),
        settings=model_settings,
    )
    assert est.role_family == "ml_engineer"
    assert "unseen_title" in est.flags
    seen = estimate(
        Profile(role="Machine Learning Engineer", level="mid", country="US"),
        settings=model_settings,
    )
    assert "unseen_title" not in seen.flags
    assert seen.confidence == "high"


def test_country_outside_the_data_is_flagged(model_settings: Settings) -> None:
    est = estimate(
        Profile(role="Data Scientist", level="mid", country="Iceland"), settings=model_settings
    )
    assert "country_not_in_data" in est.flags
    assert est.n_comparable == 0 and est.confidence == "low"
    thin = estimate(
        Profile(role="Data Scientist", level="mid", country="JP"), settings=model_settings
    )
    assert "few_country_records" in thin.flags


def test_unknown_country_and_role_raise(model_settings: Settings) -> None:
    with pytest.raises(UnknownCountry):
        estimate(Profile(role="Data Scientist", country="Narnia"), settings=model_settings)
    with pytest.raises(UnknownRole):
        estimate(Profile(role="Zzzqx blorp", country="US"), settings=model_settings)


def test_level_defaults_are_flagged(model_settings: Settings) -> None:
    est = estimate(Profile(role="Data Scientist", country="US"), settings=model_settings)
    assert est.level == "mid" and "level_assumed" in est.flags
    titled = estimate(Profile(role="Senior Data Scientist", country="US"), settings=model_settings)
    assert titled.level == "senior" and "level_assumed" not in titled.flags
    assert (
        estimate(
            Profile(role="Data Scientist", years=8, country="US"), settings=model_settings
        ).level
        == "senior"
    )


def test_offer_percentiles(model_settings: Settings) -> None:
    profile = Profile(role="Data Scientist", level="senior", country="US")
    est = estimate(profile, settings=model_settings)
    mid = offer_check(profile, amount=est.p50, currency="USD", settings=model_settings)
    assert mid.percentile == pytest.approx(50, abs=1.5)
    high = offer_check(profile, amount=est.p90 * 1.01, currency="USD", settings=model_settings)
    assert high.percentile > 90
    eur = offer_check(profile, amount=100_000, currency="eur", settings=model_settings)
    assert eur.currency == "EUR" and eur.amount_usd > 100_000


def test_small_cells_are_withheld_and_large_ones_shown(model_settings: Settings) -> None:
    """Real cells of the bundled data: 1-4 records -> None with a note; >= 5 -> the count."""
    from payatlas.model.registry import champion

    cells = champion(model_settings).evidence.counts["role_family x level x country"]
    small = sorted(k for k, n in cells.items() if 1 <= n < model_settings.privacy_threshold)
    big = sorted(k for k, n in cells.items() if n >= model_settings.privacy_threshold)
    assert len(small) >= 5 and len(big) >= 3  # both branches below run
    for key in [*small[:5], *big[:3]]:
        role, level, country = key.split("|")
        est = estimate(Profile(role=role, level=level, country=country), settings=model_settings)
        if cells[key] < model_settings.privacy_threshold:
            assert est.n_comparable is None and est.confidence == "low"
            assert (
                est.n_comparable_note == "fewer than 5 (under the privacy threshold, not published)"
            )
            assert "few_comparable_records" in est.flags
            assert est.as_dict()["n_comparable"] is None
        else:  # rounded to a multiple of the threshold, never more than threshold - 1 away
            assert est.n_comparable is not None and est.n_comparable % 5 == 0
            assert abs(est.n_comparable - cells[key]) < 5 and est.n_comparable_note is None
            assert "few_comparable_records" not in est.flags


def test_wider_cohort_counts_cannot_be_subtracted_down_to_a_withheld_cell(
    model_settings: Settings,
) -> None:
    """On the bundled model: every published count is a multiple of the threshold, so a wider
    cohort's count minus the published narrow cells inside it is a multiple of the threshold
    too -- never a withheld cell's 1..threshold-1 records."""
    from payatlas.model.evidence import BORROW_MIN, COHORTS
    from payatlas.model.registry import champion
    from payatlas.normalize.countries import region_of

    ev = champion(model_settings).evidence
    rule = model_settings.disclosure
    t = rule.threshold
    cells = ev.counts[COHORTS[0][0]]
    region_name = COHORTS[1][0]
    leaks_before = checked = 0
    for key, true_n in ev.counts[region_name].items():
        family, level, region = key.split("|")
        inside = [
            c
            for c in cells
            if c.startswith(f"{family}|{level}|") and region_of(c.split("|")[2]) == region
        ]
        withheld = [cells[c] for c in inside if 0 < cells[c] < t]
        shown = ev.published_count(region_name, key, rule=rule)
        published = [ev.published_count(COHORTS[0][0], c, rule=rule) for c in inside]
        assert shown is None or (shown % t == 0 and abs(shown - true_n) < t)
        if shown is not None:
            rest = shown - sum(n for n in published if n is not None)
            assert rest % t == 0  # never 1..t-1
            checked += bool(withheld)
        leaks_before += len(withheld) == 1 and true_n >= BORROW_MIN
    assert leaks_before > 0 and checked > 0  # exact counts would have revealed withheld cells
