"""The champion model, seen from analytics: batch estimates and model-adjusted premiums.

The model lives in :mod:`payatlas.model`; this module only calls its batch estimator
(``estimate_batch``) and turns "no champion yet" into a note instead of an error, so
benchmarks and premiums still work on a store without a trained model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payatlas.analytics.filters import Slice, where_sql
from payatlas.analytics.premium_specs import (
    AI_ML_FAMILIES,
    MIN_MATCHED,
    SOFTWARE_ANALYST_FAMILIES,
    PremiumSpec,
    PremiumView,
)
from payatlas.analytics.premiums_cache import MODEL_CACHE, data_key, spec_key
from payatlas.analytics.privacy import TOO_FEW, Interval
from payatlas.analytics.stats import interval, rng_for
from payatlas.errors import ModelError
from payatlas.settings import Settings
from payatlas.store import Store

MODEL_METHOD = "model-adjusted (champion P50, other factors held fixed)"
NO_INTERVAL = "no interval: too few records on a side to resample"
NO_MODEL = "no champion model: run `payatlas train` and `payatlas promote`"
MAX_PROFILES = 300
PROFILE_COLUMNS = ("role", "level", "country", "remote", "company_size", "employment_type", "year")


@dataclass(frozen=True, slots=True)
class ModelEstimates:
    """Per-profile model estimates (USD) and the model that made them."""

    frame: pd.DataFrame  # p10_usd .. p90_usd, n_comparable, confidence
    model_version: str | None


def estimate_profiles(
    profiles: pd.DataFrame, *, store: Store, settings: Settings
) -> ModelEstimates | str:
    """Champion estimates for a frame of profiles, or a note saying why there are none."""
    import payatlas.model as model_api  # looked up per call: tests may swap the estimator

    try:
        out = model_api.estimate_batch(profiles, store=store, settings=settings)
    except ModelError as exc:
        return f"{NO_MODEL} ({exc})"
    version = str(out["model_version"].iloc[0]) if len(out) else None
    return ModelEstimates(out.reset_index(drop=True), version)


def slice_profiles(
    store: Store, slice_: Slice, version: int, *, skip: str, with_role: bool = True
) -> pd.DataFrame:
    """The slice's most common profiles (as model input) with their record counts ``w``."""
    where, params = where_sql(slice_, version, skip=[skip])
    role = "role_family AS role, " if with_role else ""
    order = "role, " if with_role else ""
    return store.execute(
        f"SELECT {role}coalesce(level, 'mid') AS level, country, "
        "coalesce(remote_ratio, 0)::INTEGER AS remote, coalesce(company_size, 'M') AS "
        "company_size, employment_type, pay_year::INTEGER AS year, count(*) AS w "
        f"FROM records WHERE {where} GROUP BY ALL "
        # a total order (role too): ties would otherwise come back in any order, changing
        # which profiles make the cut and the bootstrap's draws from run to run
        f"ORDER BY w DESC, {order}level, country, remote, company_size, employment_type, year "
        f"LIMIT {MAX_PROFILES}",
        params,
    ).df()


def _family_mix(store: Store, slice_: Slice, version: int, families: tuple[str, ...]) -> pd.Series:
    where, params = where_sql(slice_, version, skip=["role"])
    marks = ", ".join("?" for _ in families)
    df = store.execute(
        f"SELECT role_family, count(*) AS n FROM records WHERE {where} "
        f"AND role_family IN ({marks}) GROUP BY 1",
        [*params, *families],
    ).df()
    return pd.Series(df["n"].to_numpy(dtype=float), index=df["role_family"])


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One premium's model input: the base profile mix and the A and B frames."""

    key: str
    base: pd.DataFrame
    frames: tuple[pd.DataFrame, pd.DataFrame]


def model_premiums(
    store: Store, specs: Sequence[PremiumSpec], slice_: Slice, version: int, settings: Settings
) -> dict[str, Any]:
    """The champion's premium of side A over side B for each spec, over the slice's own
    profile mix, with one batch call to the model for all of them.

    Returns key -> :class:`~payatlas.analytics.premium_specs.PremiumView`; each interval is a
    bootstrap over the profile mix (the model itself is one fixed champion).

    Cached in process (bounded, see :mod:`payatlas.analytics.premiums_cache`) under the data
    version, the champion (model folder and id, and the batch estimator), the premiums asked
    for (in order), the slice, the seed and the privacy threshold. A view is kept only when the
    model that computed it is the champion of its key (a promotion during the call is not
    cached under the old champion).
    """
    model = _model_identity(settings)
    if model is None:  # the registry cannot say who the champion is: compute, keep nothing
        return _model_premiums(store, specs, slice_, version, settings)[0]
    key = (
        data_key(store, version),
        model,
        tuple(spec_key(s) for s in specs),
        slice_,
        settings.seed,
        settings.privacy_threshold,
    )
    views, _ = MODEL_CACHE.get_or_compute(
        key,
        lambda: _model_premiums(store, specs, slice_, version, settings),
        keep=lambda got: got[1] == model[-1],
    )
    return dict(views)


def _model_identity(settings: Settings) -> tuple[Any, str, str | None] | None:
    """(batch estimator, model folder, champion id), or None when the registry cannot be read."""
    import payatlas.model as model_api

    try:
        champion = model_api.champion_id(settings)
    except ModelError:
        return None
    return model_api.estimate_batch, str(settings.model_dir), champion


def _model_premiums(
    store: Store, specs: Sequence[PremiumSpec], slice_: Slice, version: int, settings: Settings
) -> tuple[dict[str, Any], str | None]:
    """:func:`model_premiums` uncached, and the version of the model that computed them."""
    out: dict[str, Any] = {}
    prepared: list[_Prepared] = []
    for spec in specs:
        got = _prepare(store, spec, slice_, version)
        if isinstance(got, str):
            out[spec.key] = PremiumView(MODEL_METHOD, Interval(None, note=got))
        else:
            prepared.append(got)
    if not prepared:
        return out, None
    frames = [f for p in prepared for f in p.frames]
    both = pd.concat(frames, ignore_index=True)
    est = estimate_profiles(both[list(PROFILE_COLUMNS)].copy(), store=store, settings=settings)
    if isinstance(est, str):
        notes = {p.key: PremiumView(MODEL_METHOD, Interval(None, note=est)) for p in prepared}
        return {**out, **notes}, None
    logp = np.log(est.frame["p50_usd"].to_numpy(dtype=float))  # NaN: the model cannot resolve
    note = f"model {est.model_version}" if est.model_version else None
    by_key = {s.key: s for s in specs}
    deltas = residual_deltas(store, [by_key[p.key] for p in prepared], slice_, version, settings)
    start = 0
    for i, p in enumerate(prepared):
        n_a, n_b = len(p.frames[0]), len(p.frames[1])
        la, lb = logp[start : start + n_a], logp[start + n_a : start + n_a + n_b]
        start += n_a + n_b
        out[p.key] = _finish(p, la, lb, rng_for(settings.seed, 11, i), note, deltas.get(p.key))
    return out, est.model_version


def _prepare(store: Store, spec: PremiumSpec, slice_: Slice, version: int) -> _Prepared | str:
    base = slice_profiles(store, slice_, version, skip=spec.varies, with_role=spec.key != "ai_ml")
    if not len(base) or base["w"].sum() < MIN_MATCHED:
        return TOO_FEW
    if spec.key == "ai_ml":
        mix_a = _family_mix(store, slice_, version, AI_ML_FAMILIES)
        mix_b = _family_mix(store, slice_, version, SOFTWARE_ANALYST_FAMILIES)
        if mix_a.sum() < MIN_MATCHED or mix_b.sum() < MIN_MATCHED:
            return TOO_FEW
        fa, fb = (
            base.merge(pd.DataFrame({"role": mix.index, "fw": mix.to_numpy()}), how="cross")
            for mix in (mix_a, mix_b)
        )
    else:
        ((field, (val_a, val_b)),) = spec.model_change.items()
        fa, fb = base.assign(**{field: val_a}), base.assign(**{field: val_b})
    return _Prepared(spec.key, base, (fa, fb))


def _finish(
    p: _Prepared,
    la: np.ndarray,
    lb: np.ndarray,
    rng: np.random.Generator,
    note: str | None,
    delta: np.ndarray | str | None = None,
) -> PremiumView:
    if p.key == "ai_ml":
        d = _family_weighted(p.frames[0], la) - _family_weighted(p.frames[1], lb)
    else:
        d = la - lb
    w = p.base["w"].to_numpy(dtype=float) * ~np.isnan(d)  # unresolved profiles leave the mix
    if w.sum() < MIN_MATCHED:
        return PremiumView(MODEL_METHOD, Interval(None, note=TOO_FEW))
    d = np.nan_to_num(d)
    w = w / w.sum()
    # numpy's own (pairwise) sums, not BLAS dot products: BLAS results can differ in the last
    # bits between runs (alignment, threads), and identical requests must give identical figures
    point = float(np.exp(np.sum(w * d)) - 1) * 100
    total = int(p.base["w"].sum())
    if isinstance(delta, str):
        return PremiumView(
            MODEL_METHOD, Interval(point, note="; ".join(x for x in (note, delta) if x))
        )
    draws = rng.multinomial(total, w, size=BOOT_B) / total
    reps = np.sum(draws * d, axis=1) + (delta if delta is not None else 0.0)
    lo, hi = interval((np.exp(reps) - 1) * 100)
    return PremiumView(MODEL_METHOD, Interval(point, lo, hi, note=note))


#: bootstrap replicates of a model view's interval
BOOT_B = 500
#: records per side whose residuals are resampled (a larger side is sampled, and the spread
#: rescaled by sqrt(m / n), as :func:`payatlas.analytics.stats.boot_medians` does)
RESIDUAL_CAP = 2000
RECORD_PROFILE_SQL = (
    "role_family AS role, coalesce(level, 'mid') AS level, country, "
    "coalesce(remote_ratio, 0)::INTEGER AS remote, coalesce(company_size, 'M') AS company_size, "
    "employment_type, pay_year::INTEGER AS year"
)


def residual_deltas(
    store: Store, specs: Sequence[PremiumSpec], slice_: Slice, version: int, settings: Settings
) -> dict[str, np.ndarray | str]:
    """Per spec, ``BOOT_B`` record-bootstrap deviations of the sides' mean residual difference.

    A model view's point is the champion's contrast over the slice's profile mix; the records
    it rests on enter its interval here. Each side's records get a residual, log(pay) minus the
    log P50 of the record's own profile; resampling each side's records gives replicates of
    mean(residual A) - mean(residual B), centred on its observed value (the augmentation term
    of a doubly-robust premium: zero on average when the model fits both sides). Added to the
    profile-mix replicates, the interval is as wide as the records leave the comparison: it
    cannot collapse to a point when the model's contrast is the same for every profile.
    The pay is the published (perturbed) pay of :mod:`payatlas.disclosure`. A side with fewer
    records than the privacy threshold gives :data:`NO_INTERVAL` instead (the point is shown,
    no interval); when no record can be estimated (no champion) the specs are left out.
    """
    pay = settings.disclosure.pay_sql()
    frames: dict[str, pd.DataFrame] = {}
    for spec in specs:
        where, params = where_sql(slice_, version, skip=[spec.varies])
        side = f"CASE WHEN {spec.side_a} THEN 'a' WHEN {spec.side_b} THEN 'b' END"
        frames[spec.key] = store.execute(
            f"SELECT {RECORD_PROFILE_SQL}, {side} AS side, ln({pay}) AS logpay FROM records "
            f"WHERE {where} AND {side} IS NOT NULL",
            params,
        ).df()
    cols = list(PROFILE_COLUMNS)
    if not frames or not any(len(f) for f in frames.values()):
        return {}
    profiles = pd.concat([f[cols] for f in frames.values()]).drop_duplicates(ignore_index=True)
    est = estimate_profiles(profiles.copy(), store=store, settings=settings)
    if isinstance(est, str):
        return {}
    profiles["logp50"] = np.log(est.frame["p50_usd"].to_numpy(dtype=float))
    out: dict[str, np.ndarray | str] = {}
    for i, (key, frame) in enumerate(frames.items()):
        merged = frame.merge(profiles, on=cols, how="left")
        resid = (merged["logpay"] - merged["logp50"]).to_numpy(dtype=float)
        sides = merged["side"].to_numpy()
        ok = ~np.isnan(resid)
        ea, eb = resid[ok & (sides == "a")], resid[ok & (sides == "b")]
        if min(len(ea), len(eb)) < settings.privacy_threshold:
            out[key] = NO_INTERVAL
            continue
        rng = rng_for(settings.seed, 13, i)
        out[key] = _boot_mean(ea, rng) - _boot_mean(eb, rng)
    return out


def _boot_mean(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``BOOT_B`` bootstrap deviations of the mean of ``values`` from its observed value (a
    side over :data:`RESIDUAL_CAP` records is sampled, and the deviations rescaled)."""
    n = len(values)
    if n > RESIDUAL_CAP:
        values = rng.choice(values, size=RESIDUAL_CAP, replace=False)
    m = len(values)
    idx = rng.integers(0, m, size=(BOOT_B, m))
    reps = values[idx].mean(axis=1) - values.mean()
    return np.asarray(reps * np.sqrt(m / n))


def _family_weighted(grid: pd.DataFrame, logp: np.ndarray) -> np.ndarray:
    """Per base profile: the family-mix-weighted mean of log P50 (grid = base x families)."""
    ok = ~np.isnan(logp)
    fw = grid["fw"].to_numpy(dtype=float) * ok
    g = grid.assign(lp=np.where(ok, logp, 0.0) * fw, fw=fw)
    keys = [c for c in PROFILE_COLUMNS if c != "role"]
    summed = g.groupby(keys, sort=False)[["lp", "fw"]].sum()
    return (summed["lp"] / summed["fw"]).to_numpy()
