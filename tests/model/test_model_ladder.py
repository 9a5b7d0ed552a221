"""Level order: every quantile entry <= mid <= senior <= executive per family x country."""

from __future__ import annotations

import numpy as np
import pandas as pd

from payatlas.model import estimate_batch
from payatlas.model.data import load_frame
from payatlas.model.ladder import LEVELS, isotonic
from payatlas.settings import Settings
from payatlas.store import Store


def test_isotonic_fixes_a_crossing_ladder_and_keeps_quantile_order() -> None:
    # AI Engineer in Austria, as reported in #11: entry 55.6K, mid 66.2K, senior 60.2K
    p50 = np.log([[55_600.0, 66_200.0, 60_200.0, 90_000.0]])
    p90 = p50 + np.log([[1.5, 1.4, 1.6, 1.5]])
    w = np.array([[11.0, 20.0, 12.0, 10.0]])
    fit50, fit90 = isotonic(p50, w), isotonic(p90, w)
    assert (np.diff(fit50) >= 0).all() and (np.diff(fit90) >= 0).all()
    assert (fit50 <= fit90 + 1e-12).all()
    assert np.isclose(fit50[0, [0, 3]], p50[0, [0, 3]]).all()  # ordered ends stay
    pooled = (20 * p50[0, 1] + 12 * p50[0, 2]) / 32  # mid and senior pooled, by weight
    assert np.isclose(fit50[0, 1:3], pooled).all()


def test_every_family_country_ladder_is_ordered(
    model_settings: Settings, bundled_store: Store
) -> None:
    frame = load_frame(bundled_store)
    levels = frame.groupby(["role_family", "country"])["level"].nunique()
    full = levels[levels == len(LEVELS)].index
    assert len(full) >= 20
    profiles = pd.DataFrame(
        [{"role": fam, "country": country, "level": lvl} for fam, country in full for lvl in LEVELS]
    )
    out = estimate_batch(profiles, settings=model_settings)
    assert not out.attrs["errors"]
    shape = (len(full), len(LEVELS))
    counts = {}
    for col in ("p10_usd", "p50_usd", "p90_usd"):
        ladder = out[col].to_numpy().reshape(shape)
        counts[col] = int((np.diff(ladder, axis=1) < 0).sum())
    print(f"{len(full)} family x country ladders with data at all four levels; order violations:")
    print("  " + ", ".join(f"{col} {n}" for col, n in counts.items()))
    assert counts == {"p10_usd": 0, "p50_usd": 0, "p90_usd": 0}
