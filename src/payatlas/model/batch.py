"""Batch estimates: a DataFrame (or list of profiles) in, the same rows with P10-P90 out.

Each distinct input row is resolved once and each distinct resolved profile is scored once, so a
batch costs about as much as its distinct profiles (survey files repeat profiles heavily).

``n_comparable`` follows the estimates' privacy rule
(:meth:`payatlas.model.evidence.Evidence.published_count`): it is empty for a count from 1 to the
privacy threshold - 1 (the row's figures are there and its confidence is ``low``) and else
rounded to a multiple of the threshold by the cell's key; an unresolved row (unknown country or
role, a year before the data...) has empty figures and confidence ``"unresolved"`` and its reason in
``attrs["errors"]``. Confidence follows the single estimate's rule (distinct records and the
range's spread); a year after the data is widened the same way. The
output columns are exactly the issue's batch contract (``OUTPUT_COLUMNS``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from payatlas.errors import InvalidInput
from payatlas.model.estimate import confidence_label, widen_for_years
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
    del store
    settings = settings or get_settings()
    model = champion(settings)
    if isinstance(profiles, list):
        frame = pd.DataFrame([p.model_dump() for p in profiles], columns=list(PROFILE_FIELDS))
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
    log_q = model.log_quantiles(table) if distinct else np.empty((0, 5))
    ahead = np.array([r.years_ahead for r in distinct], dtype="int64")
    if ahead.any():  # years after the data: wider ranges (payatlas.model.estimate)
        log_q = widen_for_years(log_q, ahead)
    q = np.round(np.exp(log_q))
    n_eff = model.evidence.effective_counts(table) if distinct else np.empty(0, dtype="int64")
    conf = [
        confidence_label(int(n), r.flags, settings.privacy_threshold, round(hi / lo, 2))
        for n, r, lo, hi in zip(n_eff, distinct, q[:, 0], q[:, 4], strict=True)
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
    out.attrs["errors"] = row_errors
    del uniques
    return out


__all__ = ["COHORTS", "OUTPUT_COLUMNS", "PROFILE_FIELDS", "estimate_batch"]
