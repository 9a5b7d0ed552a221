"""The pay level of the next arrivals: every arrival batch counts once, not every row (#11).

Survey submissions arrive in batches, one per weekly snapshot of the publisher's repository
(``first_seen``), and a batch's pay level moves as a whole: on the bundled data the same title
at the same level is paid several percent more in one batch than in the next (the 3,746
arrivals of the week to 2024-07-28 are paid about 12% more than the model of the earlier rows
says; the September 2024 arrivals about 3% less than the model of the rows before them). The
point model is fitted row by row, so its level of the newest pay year is the level of its
largest batches. If batch levels vary around a common level, the level of the *next* batch is
best estimated by weighting batches, not rows: the random-effects (precision-weighted) mean of
the batch means of the model's residuals, each batch weighted ``1 / (between + within / n)``.

:func:`batch_level` computes that mean on the training rows of the newest pay year (in-sample
residuals of the refitted point model): ``offset`` is added to the point prediction of that pay
year and later ones (``FittedModel.point``). The between-batch variance is the method-of-moments
estimate (weighted variance of the batch means minus the within-batch variance per row), floored
at :data:`MIN_BETWEEN`. The choice was made on validation splits before the first rolling test
window (``benchmarks/bias_study.py``, docs/methodology.md "Bias on later arrivals").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: floor of the between-batch variance of log pay (a batch of n rows then weighs at most
#: ``1 / MIN_BETWEEN``): keeps the weights finite when the batches agree
MIN_BETWEEN = 1e-6


def batch_level(residuals: np.ndarray, arrivals: pd.Series) -> dict[str, Any]:
    """The precision-weighted mean of the per-batch mean residuals (``offset``, log), with the
    batches, rows and the between-batch standard deviation it used. A batch is one arrival
    date."""
    r = pd.Series(np.asarray(residuals, dtype="float64"))
    if len(r) < 2:
        return {"offset": 0.0, "batches": len(r), "rows": len(r), "between_sd": 0.0}
    day = pd.to_datetime(pd.Series(arrivals).reset_index(drop=True)).dt.normalize()
    g = r.groupby(day.to_numpy()).agg(["mean", "size"])
    within = float(r.var())
    size = g["size"].to_numpy(dtype="float64")
    means = g["mean"].to_numpy()
    pooled = float(np.average(means, weights=size))
    spread = float(np.average((means - pooled) ** 2, weights=size))
    between = max(spread - within * len(g) / size.sum(), MIN_BETWEEN)
    w = 1.0 / (between + within / size)
    return {
        "offset": round(float((w * means).sum() / w.sum()), 6),
        "batches": len(g),
        "rows": int(size.sum()),
        "between_sd": round(float(np.sqrt(between)), 6),
    }
