"""Thin cells borrow structure: country effect x family-level pay, instead of tree interactions.

Outside the US most role family x level x country cells hold a handful of records, and the trees
read their shrunk cell means and country codes as if they were evidence of an interaction
("senior AI engineers in Austria earn less than mid ones"). The structural estimate of a cell is
the model's estimate of the same profile in the US (a family x level effect learned from the
largest market, with every other field the same) times the country's **all-roles ratio**: the
median, over every record of the country, of its pay over the model's US P50 for the record's
own profile (mix-adjusted: a country of juniors is not a cheap country). A country with few
records has its ratio shrunk toward its region's, ``(n * own + K_COUNTRY * region) / (n +
K_COUNTRY)``; a country the data never saw takes its region's.

Each non-US estimate is then moved toward the structural one by the weight of the cell's own
evidence, ``n / (n + K_CELL)`` (n = records in the family x level x country cell; 0 for a cell
under the privacy threshold, whose few records must not move a figure anyone can read): all five
quantiles shift by ``(1 - n / (n + K_CELL)) * (structural P50 - model P50)``, so the range keeps
the model's calibrated width. ``K_CELL = 20`` is the empirical-Bayes ratio of the within-cell
variance of log pay (about 0.45^2) to the variance of true cell deviations from the structure
(about 0.1^2): a cell needs about 20 records before its own deviation counts half.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

K_CELL = 20.0
K_COUNTRY = 10.0
US: dict[str, Any] = {
    "country": "US",
    "region": "north_america",
    "residence": "US",
    "abroad": False,
}


def as_us(frame: pd.DataFrame) -> pd.DataFrame:
    """The same profiles working (and living) in the US."""
    return frame.assign(country="US", region="north_america", residence="US", abroad=False)


def country_effects(frame: pd.DataFrame, us_p50: np.ndarray) -> dict[str, dict[str, float]]:
    """Log all-roles ratios to the US per country and region (``frame`` has ``y``; ``us_p50``
    is the model's log US P50 of each row's profile). US rows are left out."""
    import pandas as pd

    gap = pd.Series(frame["y"].to_numpy() - us_p50)
    country = frame["country"].astype(str).to_numpy()
    region = frame["region"].astype(str).to_numpy()
    keep = country != "US"
    regions = gap[keep].groupby(region[keep]).median()
    overall = float(gap[keep].median()) if keep.any() else 0.0
    med = gap[keep].groupby(country[keep]).median()
    n = gap[keep].groupby(country[keep]).size()
    region_of = pd.Series(region[keep]).groupby(country[keep]).first()
    out: dict[str, float] = {}
    for c, own in med.items():
        prior = float(regions.get(region_of[c], overall))
        out[str(c)] = float((n[c] * own + K_COUNTRY * prior) / (n[c] + K_COUNTRY))
    return {
        "country": {k: round(v, 6) for k, v in out.items()},
        "region": {str(k): round(float(v), 6) for k, v in regions.items()},
        "overall": {"all": round(overall, 6)},
    }


def effect(effects: dict[str, dict[str, float]], country: str, region: str) -> float:
    """A country's log ratio to the US (0 for the US; its region's when unseen)."""
    if country == "US":
        return 0.0
    found = effects["country"].get(country)
    if found is not None:
        return found
    return effects["region"].get(region, effects["overall"]["all"])


def shift(
    model_p50: np.ndarray,
    us_p50: np.ndarray,
    countries: list[str],
    regions: list[str],
    cell_n: np.ndarray,
    effects: dict[str, Any],
    threshold: int,
) -> np.ndarray:
    """Per row: how far (log) to move every quantile toward the structural estimate (all the
    way for a cell under the privacy ``threshold``)."""
    ce = np.array([effect(effects, c, r) for c, r in zip(countries, regions, strict=True)])
    lean = np.where(cell_n < threshold, 1.0, K_CELL / (cell_n + K_CELL))
    out = lean * (us_p50 + ce - model_p50)
    out[np.array(countries) == "US"] = 0.0
    return np.asarray(out)
