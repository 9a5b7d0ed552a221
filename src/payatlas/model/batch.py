"""Batch estimates: a DataFrame (or list of profiles) in, the same rows with P10-P90 out.

Each distinct input row is resolved once and each distinct resolved profile is scored once, so a
batch costs about as much as its distinct profiles (survey files repeat profiles heavily).

``n_comparable`` follows the estimates' privacy rule
(:meth:`payatlas.model.evidence.Evidence.published_count`): it is empty for a count from 1 to the
privacy threshold - 1 (the row's figures are there and its confidence is ``low``) and else
rounded to a multiple of the threshold by the cell's key; an unresolved row has empty figures
and confidence ``"unresolved"``. The
output columns are exactly the issue's batch contract (``OUTPUT_COLUMNS``).

A ``metro`` column (US rows: "Austin, TX", a CBSA code or a metro title; empty = national) gets
the single estimate's metro step (:mod:`payatlas.model.metro`): the US figures times the OEWS
metro differential, widened by its uncertainty, once per distinct profile x metro; the output
then also carries ``METRO_COLUMNS``. A metro that cannot be read, or one on a non-US row, makes
the row unresolved with the reason.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from payatlas.errors import InvalidInput
from payatlas.model.estimate import confidence_label
from payatlas.model.evidence import COHORTS
from payatlas.model.profiles import Resolved, resolve_fields
from payatlas.model.registry import champion
from payatlas.schema import Profile
from payatlas.settings import Settings, get_settings
from payatlas.store import Store

PROFILE_FIELDS = (
    "role",
    "country",
    "level",
    "years",
    "residence",
    "remote",
    "company_size",
    "employment_type",
    "year",
)
OUTPUT_COLUMNS = (
    "p10_usd",
    "p25_usd",
    "p50_usd",
    "p75_usd",
    "p90_usd",
    "n_comparable",
    "confidence",
    "model_version",
)
UNRESOLVED = "unresolved"
#: extra output columns when the input has a ``metro`` column
METRO_COLUMNS = ("metro_cbsa", "metro_differential")


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def estimate_batch(
    profiles: pd.DataFrame | list[Profile],
    *,
    store: Store | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Estimates for many profiles: the input columns plus ``OUTPUT_COLUMNS``, one row per input
    row, same order. Columns are the profile field names (``role`` and ``country`` required).
    ``n_comparable`` is empty (``<NA>``) when under the privacy threshold (module docstring).

    A row that cannot be resolved (unknown country or role, bad level...) gets empty figures and
    confidence ``"unresolved"``; ``result.attrs["errors"]`` maps its position to the reason.
    """
    settings = settings or get_settings()
    model = champion(settings)
    if isinstance(profiles, list):
        cols = [*PROFILE_FIELDS, *(["metro"] if any(p.metro for p in profiles) else [])]
        frame = pd.DataFrame([p.model_dump() for p in profiles], columns=cols)
    else:
        frame = profiles
    missing = [c for c in ("role", "country") if c not in frame.columns]
    if missing:
        raise InvalidInput(f"batch input lacks column(s) {', '.join(missing)}", field=missing[0])
    fields = [c for c in PROFILE_FIELDS if c in frame.columns]
    raw = frame[fields].astype(object).where(frame[fields].notna(), None)
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(raw.astype(str)), use_na_sentinel=False)
    first = pd.Series(np.arange(len(raw))).groupby(codes).first().to_numpy()
    resolved: list[Resolved | None] = []
    errors: dict[int, str] = {}
    records = raw.iloc[first].to_dict("records")
    for pos, rec in zip(first, records, strict=True):
        kw = {str(k): _clean(v) for k, v in rec.items()}
        try:
            resolved.append(resolve_fields(model, **kw))
        except InvalidInput as exc:
            resolved.append(None)
            errors[int(pos)] = str(exc)
    ok = [r for r in resolved if r is not None]
    distinct = list(dict.fromkeys(ok))
    where = {r: i for i, r in enumerate(distinct)}
    table = pd.DataFrame([r.row() for r in distinct]) if distinct else pd.DataFrame()
    q = np.round(np.exp(model.log_quantiles(table))) if distinct else np.empty((0, 5))
    n_cell = model.evidence.cohort_for(table)[0] if distinct else np.empty(0, dtype="int64")
    conf = [
        confidence_label(int(n), r.flags, settings.privacy_threshold)
        for n, r in zip(n_cell, distinct, strict=True)
    ]
    per_unique = np.array([where[r] if r is not None else -1 for r in resolved])
    idx = per_unique[codes]
    good = idx >= 0
    out = frame.copy()
    for j, col in enumerate(OUTPUT_COLUMNS[:5]):
        values = np.full(len(out), np.nan)
        values[good] = q[idx[good], j]
        out[col] = values
    published = (
        model.evidence.published_counts(table, rule=settings.disclosure)
        if distinct
        else np.empty(0, dtype="int64")
    )
    counts = np.full(len(out), -1, dtype="int64")
    counts[good] = published[idx[good]]
    shown = pd.array(counts, dtype="Int64")
    shown[counts < 0] = pd.NA
    out["n_comparable"] = shown
    labels = np.array([*conf, UNRESOLVED], dtype=object)
    out["confidence"] = labels[np.where(good, idx, len(conf))]
    out["model_version"] = model.model_id
    row_errors = {}
    for pos in np.flatnonzero(~good):
        row_errors[int(pos)] = errors[int(first[codes[pos]])]
    if "metro" in frame.columns:
        metro_errors = _apply_metros(out, frame["metro"], idx, good, distinct, q, store, settings)
        row_errors.update(metro_errors)
    out.attrs["errors"] = row_errors
    del uniques
    return out


def _apply_metros(
    out: pd.DataFrame,
    metros: pd.Series,
    idx: np.ndarray,
    good: np.ndarray,
    distinct: list[Resolved],
    q: np.ndarray,
    store: Store | None,
    settings: Settings,
) -> dict[int, str]:
    """The metro step on rows with a metro, once per distinct (profile, metro); in place.
    Returns position -> reason for the rows it makes unresolved."""
    from payatlas.errors import StoreError
    from payatlas.model.metro import widen
    from payatlas.normalize.metros import resolve_metro
    from payatlas.official.differential import metro_differential

    text = metros.astype("string").str.strip().reset_index(drop=True)
    text = text.mask(text == "")
    rows = np.flatnonzero(good & text.notna().to_numpy())
    if not len(rows):
        out["metro_cbsa"] = pd.array([None] * len(out), dtype="string")
        out["metro_differential"] = np.full(len(out), np.nan)
        return {}
    pairs = pd.DataFrame({"i": idx[rows], "metro": text.iloc[rows].astype(object).to_numpy()})
    done: dict[tuple[int, str], tuple[str, float, tuple[float, ...]] | str] = {}
    own = Store.open(settings, read_only=True) if store is None else None
    try:
        for i, metro in pairs.drop_duplicates().itertuples(index=False):
            r = distinct[int(i)]
            if r.country != "US":
                done[(i, metro)] = f"metro {metro!r}: a metro is for US rows ({r.country})"
                continue
            try:
                match = resolve_metro(metro)
                diff = metro_differential(store or own, family=r.role_family, metro=match)
            except (InvalidInput, StoreError) as exc:
                done[(i, metro)] = f"metro {metro!r}: {getattr(exc, 'reason', exc)}"
                continue
            usd = widen(tuple(float(v) for v in q[int(i)]), ratio=diff.ratio, log_sd=diff.log_sd)
            done[(i, metro)] = (match.cbsa, diff.ratio, usd)
    finally:
        if own is not None:
            own.close()
    errors: dict[int, str] = {}
    values = {c: out[c].to_numpy(dtype=float, copy=True) for c in OUTPUT_COLUMNS[:5]}
    counts = out["n_comparable"].array.copy()
    conf = out["confidence"].to_numpy(dtype=object, copy=True)
    cbsas = np.full(len(out), None, dtype=object)
    ratios = np.full(len(out), np.nan)
    keys = pd.MultiIndex.from_frame(pairs)
    for (i, metro), got in done.items():  # once per distinct profile x metro, not per row
        at = rows[keys.get_locs([i, metro])] if len(done) > 1 else rows
        if isinstance(got, str):
            for c in values:
                values[c][at] = np.nan
            counts[at] = pd.NA
            conf[at] = UNRESOLVED
            errors.update(dict.fromkeys((int(p) for p in at), got))
            continue
        cbsa, ratio, usd = got
        for c, q_value in zip(values, usd, strict=True):
            values[c][at] = q_value
        cbsas[at], ratios[at] = cbsa, round(ratio, 4)
    for c, column in values.items():
        out[c] = column
    out["n_comparable"] = counts
    out["confidence"] = conf
    out["metro_cbsa"] = pd.array(cbsas, dtype="string")
    out["metro_differential"] = ratios
    return errors


__all__ = ["COHORTS", "METRO_COLUMNS", "OUTPUT_COLUMNS", "PROFILE_FIELDS", "estimate_batch"]
