"""Data drift of new survey records against a model's training records (#14).

Per feature the population stability index, PSI = sum over bins of (new - train) * ln(new /
train), over the shares of each category (or, for pay, of the training data's deciles of log
pay). Shares of 0 are floored at :data:`FLOOR` so a category one side lacks counts but stays
finite. Rules of thumb: PSI < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 large shift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

FLOOR = 1e-4
MIX_TOP = 8  # categories listed in a mix (the largest among the new records)
#: the model-frame columns compared category by category (remote share is banded)
CATEGORICAL = ("role_family", "level", "country", "region", "company_size", "employment_type")
PSI_MODERATE, PSI_LARGE = 0.1, 0.25


class FeaturePsi(BaseModel):
    """One feature's population stability index, new records vs training records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feature: str
    psi: float = Field(description="Population stability index (0 = same distribution).")
    shift: str = Field(description="stable (< 0.1), moderate (0.1-0.25) or large (> 0.25).")


class MixShare(BaseModel):
    """A category's share among the new records and among the training records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str
    new_share: float
    train_share: float


class Drift(BaseModel):
    """How the new records differ from the records the model was trained on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    train_records: int = Field(description="Survey submissions the model was trained on.")
    new_records: int = Field(description="Survey submissions scored.")
    psi: list[FeaturePsi]
    unseen_title_share: float = Field(
        description="Share of new records whose title (normalised) no training record had."
    )
    family_mix: list[MixShare]
    country_mix: list[MixShare]


def _bands(frame: pd.DataFrame, column: str) -> pd.Series:
    if column == "remote":
        r = frame["remote"].astype(float)
        return pd.Series(np.where(r <= 0, "on-site", np.where(r >= 100, "remote", "hybrid")))
    if column == "year":
        return frame["year"].astype(str)
    return frame[column].astype(object).where(frame[column].notna(), "unknown").astype(str)


def psi(new: pd.Series, train: pd.Series) -> float:
    """PSI of two categorical samples."""
    p = new.value_counts(normalize=True)
    q = train.value_counts(normalize=True)
    cats = p.index.union(q.index)
    a = np.maximum(p.reindex(cats, fill_value=0.0).to_numpy(), FLOOR)
    b = np.maximum(q.reindex(cats, fill_value=0.0).to_numpy(), FLOOR)
    return float(np.sum((a - b) * np.log(a / b)))


def _pay_bins(new: pd.DataFrame, train: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    edges = np.unique(np.quantile(train["y"].to_numpy(), np.linspace(0.1, 0.9, 9)))
    return (
        pd.Series(np.searchsorted(edges, new["y"].to_numpy())),
        pd.Series(np.searchsorted(edges, train["y"].to_numpy())),
    )


def _shift(value: float) -> str:
    return "large" if value > PSI_LARGE else "moderate" if value >= PSI_MODERATE else "stable"


def _mix(new: pd.Series, train: pd.Series) -> list[MixShare]:
    p = new.value_counts(normalize=True)
    q = train.value_counts(normalize=True)
    return [
        MixShare(value=str(v), new_share=float(p[v]), train_share=float(q.get(v, 0.0)))
        for v in p.index[:MIX_TOP]
    ]


def measure_drift(new: pd.DataFrame, train: pd.DataFrame) -> Drift:
    """Drift of the model frame ``new`` against the model frame ``train`` (both with ``y``)."""
    values: dict[str, float] = {
        c: psi(_bands(new, c), _bands(train, c)) for c in (*CATEGORICAL, "remote", "year")
    }
    values["pay (log USD deciles)"] = psi(*_pay_bins(new, train))
    seen = set(train["tkey"].unique())
    unseen = float((~new["tkey"].isin(seen)).mean()) if len(new) else 0.0
    return Drift(
        train_records=len(train),
        new_records=len(new),
        psi=[FeaturePsi(feature=k, psi=round(v, 6), shift=_shift(v)) for k, v in values.items()],
        unseen_title_share=unseen,
        family_mix=_mix(_bands(new, "role_family"), _bands(train, "role_family")),
        country_mix=_mix(_bands(new, "country"), _bands(train, "country")),
    )
