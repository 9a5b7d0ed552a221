"""The three baselines of the backtest, each giving a P50 and an 80% range (log USD).

- global median: the training median and its 10%/90% quantiles for everyone;
- group median with backoff: title x level x country -> title x level -> level (a group needs
  at least 5 training rows), its median and 10%/90% quantiles;
- plain LightGBM on the raw columns (title, level, employment type, country, residence, remote,
  company size, pay year as given), default parameters: L2 on log pay for the point, the
  quantile objective (alpha 0.1 / 0.9) for the range: the "plain quantile model".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from payatlas.model.train import TRAIN_THREADS

if TYPE_CHECKING:
    pass

MIN_GROUP = 5
RAW = ("tkey", "level", "employment_type", "country", "residence", "remote", "company_size", "year")
_CATS = ("tkey", "level", "employment_type", "country", "residence", "company_size")


def global_median(train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """(p10, p50, p90) per test row."""
    q = np.quantile(train["y"], [0.1, 0.5, 0.9])
    return tuple(np.full(len(test), v) for v in q)


def group_median(train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """(p10, p50, p90) per test row from the narrowest group with >= 5 training rows."""
    out = np.full((len(test), 3), np.nan)
    for cols in (("tkey", "level", "country"), ("tkey", "level"), ("level",)):
        g = train.groupby(list(cols), dropna=False)["y"]
        q = g.quantile(np.array([0.1, 0.5, 0.9])).unstack()
        q = q[g.size() >= MIN_GROUP]
        joined = (
            test[list(cols)]
            .merge(q.reset_index(), on=list(cols), how="left")[[0.1, 0.5, 0.9]]
            .to_numpy()
        )
        fill = np.isnan(out[:, 1]) & ~np.isnan(joined[:, 1])
        out[fill] = joined[fill]
    rest = np.isnan(out[:, 1])
    out[rest] = np.quantile(train["y"], [0.1, 0.5, 0.9])
    return out[:, 0], out[:, 1], out[:, 2]


def _raw_x(frame: pd.DataFrame, cats: dict[str, list[str]]) -> pd.DataFrame:
    x = frame[list(RAW)].copy()
    for col in _CATS:
        text = _labels(frame[col])
        known = text.where(text.isin(cats[col]))
        x[col] = pd.Categorical(known, categories=cats[col])
    x["remote"] = x["remote"].astype("float64")
    x["year"] = x["year"].astype("float64")
    return x


def _labels(column: pd.Series) -> pd.Series:
    """A categorical column as text, a missing value as "unknown" (``astype(str)`` keeps NaN as
    a float under pandas' string dtype, and a float cannot be sorted with text: #10)."""
    return column.astype(object).where(column.notna(), "unknown").astype(object).map(str)


def plain_lightgbm(
    train: pd.DataFrame, test: pd.DataFrame, *, seed: int, threads: int
) -> tuple[np.ndarray, ...]:
    """(p10, p50, p90) per test row from default-parameter LightGBM models on raw columns."""
    import lightgbm as lgb

    cats = {c: sorted(_labels(train[c]).unique().tolist()) for c in _CATS}
    xtr, xte = _raw_x(train, cats), _raw_x(test, cats)
    base = {"verbose": -1, "seed": seed, "deterministic": True, "num_threads": TRAIN_THREADS}
    y = train["y"].to_numpy()
    preds = []
    for params in (
        {"objective": "quantile", "alpha": 0.1},
        {"objective": "regression"},
        {"objective": "quantile", "alpha": 0.9},
    ):
        model = lgb.train({**base, **params}, lgb.Dataset(xtr, label=y))
        preds.append(np.asarray(model.predict(xte, num_threads=threads)))
    return preds[0], preds[1], preds[2]
