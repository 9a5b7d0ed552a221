"""Per-group conformal calibration: group keys, backoff, the optional role-family split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from payatlas.model import evaluate
from payatlas.model.calibration import Calibration, fit_calibration, group_key, group_keys
from payatlas.model.data import load_frame
from payatlas.settings import Settings
from payatlas.store import Store


def _residuals() -> tuple[np.ndarray, pd.Series]:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "country": ["US"] * 400 + ["DE"] * 40,
            "level": ["executive"] * 440,
            "role_family": ["software_engineer"] * 200 + ["data_scientist"] * 200 + ["other"] * 40,
        }
    )
    res = np.concatenate(
        [rng.normal(0.2, 0.6, 200), rng.normal(-0.2, 0.1, 200), rng.normal(0, 0.3, 40)]
    )
    return res, group_keys(frame["country"], frame["level"], frame["role_family"])


def test_group_keys_carry_side_level_and_family_group() -> None:
    keys = group_keys(
        pd.Series(["US", "DE"]), pd.Series(["senior", "entry"]), pd.Series(["data_scientist", "x"])
    )
    assert keys.tolist() == ["US|senior|data", "nonUS|entry|other"]
    assert group_key("US", "senior", "data_scientist") == keys[0]


def test_default_calibrates_per_side_and_level_only() -> None:
    res, groups = _residuals()
    cal = fit_calibration(res, groups)
    assert not any(k.count("|") == 2 for k in cal.grids)
    us = res[:400]
    off = cal.offsets_one("US|executive|software")
    assert np.allclose(off, cal.offsets_one("US|executive|data"))
    assert abs(off[2] - np.median(us)) < 0.02
    assert 0.78 <= np.mean((us >= off[0]) & (us <= off[4])) <= 0.82
    # thin non-US executives (40 rows >= 30) keep their own grid; a missing group backs off
    assert cal.resolve("nonUS|executive|other") == "nonUS|executive"
    assert cal.resolve("nonUS|mid|data") == "all"


def test_by_family_spreads_per_family_group_around_the_side_level_median() -> None:
    res, groups = _residuals()
    cal = fit_calibration(res, groups, by_family=True)
    wide, narrow = cal.offsets_one("US|executive|software"), cal.offsets_one("US|executive|data")
    assert (wide[4] - wide[0]) > 3 * (narrow[4] - narrow[0])
    assert wide[2] == narrow[2] == cal.grids["US|executive"][49]
    sw = res[:200] - np.median(res[:200]) + cal.grids["US|executive"][49]
    assert 0.78 <= np.mean((sw >= wide[0]) & (sw <= wide[4])) <= 0.82
    # the "other" group has 0 US rows: back off; round trip keeps everything
    assert cal.resolve("US|executive|other") == "US|executive"
    again = Calibration.from_dict(cal.as_dict())
    assert np.allclose(again.offsets_one("US|executive|software"), wide)


def test_validation_backtest_ends_the_test_window(
    bundled_store: Store, tmp_path: Path, fast_params: dict[str, Any]
) -> None:
    settings = Settings(home=tmp_path)
    report = evaluate(
        bundled_store, settings, cutoff="2024-04-01", until="2024-07-01", params=fast_params
    )
    arrived = load_frame(bundled_store)["first_seen"]
    before = int((arrived < pd.Timestamp("2024-04-01")).sum())
    inside = int(
        ((arrived >= pd.Timestamp("2024-04-01")) & (arrived < pd.Timestamp("2024-07-01"))).sum()
    )
    assert (report.train_rows, report.test_rows) == (before, inside)
    assert report.cutoff == "2024-04-01" and "2024-07-01" in report.note
