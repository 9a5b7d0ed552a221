"""Thin cells borrow structure: a thin family x level x country cell's ratio to the US lies in
its country's all-roles ratio interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from payatlas.model.data import load_frame
from payatlas.model.ladder import LEVELS
from payatlas.model.registry import champion
from payatlas.settings import Settings
from payatlas.store import Store

THIN = 5  # a cell with fewer records than this is thin (under the privacy threshold)
MIN_COUNTRY = 30  # the country's all-roles ratio needs this many records
BOOT = 400


def _as_us(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(country="US", region="north_america", residence="US", abroad=False)


def country_ratios(model: object, frame: pd.DataFrame) -> pd.DataFrame:
    """Per country: the median of (record's pay / the model's US P50 for the same profile), a
    mix-adjusted all-roles ratio, and its 95% bootstrap interval (records resampled)."""
    us_p50 = model.log_quantiles(_as_us(frame))[:, 2]  # type: ignore[attr-defined]
    gap = frame["y"].to_numpy() - us_p50
    rng = np.random.default_rng(11)
    out = []
    for country, idx in frame.groupby("country").indices.items():
        if country == "US" or len(idx) < MIN_COUNTRY:
            continue
        g = gap[idx]
        boot = np.median(rng.choice(g, size=(BOOT, len(g))), axis=1)
        lo, hi = np.quantile(boot, [0.025, 0.975])
        out.append((country, len(idx), np.exp(np.median(g)), np.exp(lo), np.exp(hi)))
    return pd.DataFrame(out, columns=["country", "n", "ratio", "lo", "hi"]).set_index("country")


def test_thin_cells_follow_their_country_ratio(
    model_settings: Settings, bundled_store: Store
) -> None:
    model = champion(model_settings)
    frame = load_frame(bundled_store)
    ratios = country_ratios(model, frame)
    cells = frame.groupby(["role_family", "level", "country"]).size()
    us = cells.xs("US", level="country")
    thin = [
        (f, lvl, c, n)
        for (f, lvl, c), n in cells.items()
        if n < THIN and c in ratios.index and us.get((f, lvl), 0) >= MIN_COUNTRY
    ]
    assert len(thin) >= 20
    rows = []
    for f, lvl, c, _ in thin:
        region = frame.loc[frame["country"] == c, "region"].iloc[0]
        rows.append(
            dict(role_family=f, tkey=f.replace("_", " "), level=lvl, country=c, region=region,
                 residence=c, abroad=False, remote=0.0, company_size="M",
                 employment_type="FT", year=int(frame["year"].max()))
        )  # fmt: skip
    profiles = pd.DataFrame(rows)
    cell_p50 = model.log_quantiles(profiles)[:, 2]
    us_p50 = model.log_quantiles(_as_us(profiles))[:, 2]
    table = pd.DataFrame(thin, columns=["family", "level", "country", "n"])
    table["cell_ratio"] = np.exp(cell_p50 - us_p50)
    table = table.join(ratios[["ratio", "lo", "hi"]], on="country")
    table["inside"] = (table["cell_ratio"] >= table["lo"]) & (table["cell_ratio"] <= table["hi"])
    # a thin cell the level order pins to a neighbouring level (pooled: same P50) is held by
    # that level's evidence, not by its own few records: reported, and checked to be pooled
    pooled = np.zeros(len(profiles), dtype=bool)
    index = profiles["level"].map(LEVELS.index).to_numpy()
    for step in (-1, 1):
        other = np.clip(index + step, 0, len(LEVELS) - 1)
        near = model.log_quantiles(profiles.assign(level=[LEVELS[i] for i in other]))[:, 2]
        pooled |= (other != index) & np.isclose(cell_p50, near, rtol=0, atol=1e-9)
    table["ladder"] = pooled
    pinned_outside = table["ladder"] & ~table["inside"]
    table["inside"] |= table["ladder"]
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        print(f"\n{len(table)} thin cells (< {THIN} records) vs their country's all-roles ratio")
        print(table.round(3).to_string(index=False))
    outside = table.loc[~table["inside"]]
    bound = table.loc[table["ladder"]]
    print(f"pinned by the level order to a neighbouring level: {len(bound)} of {len(table)}")
    print(f"outside the interval (not pinned): {len(outside)} of {len(table)}")
    print(f"outside the interval, pinned by the level order: {int(pinned_outside.sum())}")
    # the level order holds a share of the thin cells at a neighbour's figure (58 of 234 on the
    # bundled data with the centred grids and the title scope); few of those may leave their
    # own interval
    assert len(bound) <= len(table) // 3
    assert pinned_outside.sum() <= len(table) // 20
    assert outside.empty, outside.round(3).to_string(index=False)


def test_the_issue_examples_borrow_structure(
    model_settings: Settings, bundled_store: Store
) -> None:
    from payatlas.model import estimate

    model = champion(model_settings)
    ratios = country_ratios(model, load_frame(bundled_store))

    def p50(role: str, country: str, level: str) -> float:
        est = estimate({"role": role, "country": country, "level": level}, settings=model_settings)
        return est.p50

    austria = [p50("AI Engineer", "AT", lvl) for lvl in LEVELS]
    print("\nAI Engineer, Austria:", ", ".join(f"{v:,.0f}" for v in austria))
    assert austria == sorted(austria)
    india = estimate(
        {"role": "Research Scientist", "country": "IN", "level": "senior"}, settings=model_settings
    )
    ratio = india.p50 / p50("Research Scientist", "US", "senior")
    lo, hi = ratios.loc["IN", ["lo", "hi"]]
    print(f"senior Research Scientist, India: {india.formatted['local_p50']} ({ratio:.3f} of US;")
    print(f"  India all roles {ratios.loc['IN', 'ratio']:.3f}, interval {lo:.3f}-{hi:.3f})")
    assert lo <= ratio <= hi
    nl, de = p50("MLOps Engineer", "NL", "senior"), p50("MLOps Engineer", "DE", "senior")
    expect = ratios.loc["NL", "ratio"] / ratios.loc["DE", "ratio"]
    print(f"senior MLOps Engineer NL / DE: {nl / de:.3f} (all roles: {expect:.3f})")
    assert abs(np.log(nl / de) - np.log(expect)) < 0.1


def test_an_offer_at_the_estimates_quantiles_is_at_those_percentiles(
    model_settings: Settings,
) -> None:
    """The structure step, the level ladder and year widening move the range; the offer's one
    percentile follows the range the estimate shows."""
    from payatlas.model import estimate, offer_check

    last = int(champion(model_settings).meta["years"][1])
    for profile in (
        {"role": "Research Scientist", "country": "IN", "level": "senior"},
        {"role": "AI Engineer", "country": "AT", "level": "senior"},
        {"role": "ML Engineer", "country": "DE", "level": "mid", "year": last + 1},
    ):
        est = estimate(profile, settings=model_settings, reasons=False)
        got = []
        for field, want in (("p10", 10), ("p50", 50), ("p90", 90)):
            amount = getattr(est, field)
            check = offer_check(profile, amount=amount, settings=model_settings)
            got.append(check.percentile)
            assert abs(check.percentile - want) <= 1.5, (profile, field, check.percentile)
        print(profile, "P10/P50/P90 offers at percentiles", got)
