"""The promotion gate's backtest: candidate and champion scored independently on the same split.

The split is the candidate's recorded backtest: the newest arrivals (``first_seen``) of its
dataset version are the test records. Each model's procedure (its parameters and seed, run by
the current code) is trained on the arrivals before the cutoff of *its own* dataset version, and
both predict the same test records. Noise is judged by a paired bootstrap over the test records;
a candidate that does not beat the global-median predictor by 2% MAE(log) is refused (a version
with shuffled pay). The champion's figures on the split are kept in its ``meta.json``
(``rescored``).

The plain LightGBM (:data:`payatlas.model.train.PLAIN_PARAMS`) is always a challenger: it is
trained on the candidate's training rows and scored on the same records; when it passes the gate
against the champion and beats the candidate beyond noise (:meth:`GateBacktest.plain_wins`), the
promotion promotes it instead (:mod:`payatlas.model.promotion`).

The paired bootstrap is :mod:`payatlas.model.gate_noise`; opening the store, loading a dataset
version and recording the champion's re-score are :mod:`payatlas.model.gate_store`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payatlas.errors import BacktestUnavailable, EmptyStore
from payatlas.model.backtest import split
from payatlas.model.codeversion import code_version
from payatlas.model.fairness import fairness_refusal
from payatlas.model.gate_noise import BOOT_LEVEL, BOOT_RESAMPLES, paired_bootstrap
from payatlas.model.gate_store import open_store, record_rescore, split_key, version_frame
from payatlas.model.metrics import bias_text
from payatlas.model.registry import ModelRecord
from payatlas.settings import Settings
from payatlas.store import Store

Progress = Callable[[str], None]
#: where the champion's metrics came from
RECORDED, RESCORED, RESCORED_EARLIER = "recorded", "re-scored", "re-scored earlier"


#: a candidate must beat the global-median predictor's MAE(log) by this share (a model trained
#: on shuffled pay does not)
SANITY_MARGIN = 0.02


@dataclass(frozen=True, slots=True)
class GateBacktest:
    """The one backtest split a promotion decision compares candidate and champion on: the
    newest arrivals of the candidate's dataset version, each model's procedure trained
    independently on its own data version's earlier arrivals and scored on the same records."""

    data_version: int
    cutoff: str
    train_rows: int
    test_rows: int
    candidate: dict[str, Any]
    champion: dict[str, Any]
    champion_source: str = RESCORED
    code_version: str = ""  # the code that scored both
    champion_code_version: str = ""  # the code the champion was trained with
    champion_data_version: int = 0
    champion_train_rows: int = 0
    median_mae_log: float = 0.0  # the global-median predictor (candidate's training rows)
    mae_diff: tuple[float, float, float] = (0.0, 0.0, 0.0)  # candidate - champion: est, lo, hi
    gap_diff: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: the plain LightGBM challenger against the champion on the same split (None when the
    #: candidate is itself plain), and its MAE(log) minus the candidate's (est, lo, hi)
    plain: GateBacktest | None = None
    plain_vs_candidate: tuple[float, float, float] = (0.0, 0.0, 0.0)
    seed: int = 0

    def describe(self) -> str:
        """One phrase naming the backtest, for messages and the promotion log."""
        return (
            f"the dataset v{self.data_version} backtest (newest arrivals: test on or after "
            f"{self.cutoff}, {self.test_rows:,} records; candidate trained on {self.train_rows:,}, "
            f"champion on {self.champion_train_rows:,} earlier records of v"
            f"{self.champion_data_version}; both scored by this code)"
        )

    def verdict(self) -> str | None:
        """Why the candidate must not be promoted (None when it may): worse MAE(log) or
        coverage gap beyond the 90% paired-bootstrap interval, or no better than the global
        median by 2%."""
        problems = []
        c_mae, c_gap = gate_score(self.candidate)
        m_mae, m_gap = gate_score(self.champion)
        pct = f"{BOOT_LEVEL:.0%}"
        if self.mae_diff[1] > 0:
            problems.append(
                f"MAE(log) {c_mae:.4f} > champion's {m_mae:.4f} beyond noise (difference "
                f"{self.mae_diff[0]:+.4f}, {pct} paired-bootstrap interval "
                f"[{self.mae_diff[1]:+.4f}, {self.mae_diff[2]:+.4f}])"
            )
        if self.gap_diff[1] > 0 and c_gap > 0.02:
            problems.append(
                f"coverage gap {c_gap:.3f} > champion's {m_gap:.3f} beyond noise ({pct} "
                f"interval [{self.gap_diff[1]:+.3f}, {self.gap_diff[2]:+.3f}])"
            )
        if c_mae > (1 - SANITY_MARGIN) * self.median_mae_log:
            problems.append(
                f"MAE(log) {c_mae:.4f} does not beat the global-median predictor's "
                f"{self.median_mae_log:.4f} by {SANITY_MARGIN:.0%} (labels look like noise: "
                "was pay shuffled?)"
            )
        problems += [r] if (r := fairness_refusal(self.candidate, self.champion)) else []
        return "; ".join(problems) or None

    def describe_interval(self, diff: tuple[float, float, float]) -> str:
        """``90% paired-bootstrap interval [lo, hi]`` of a difference."""
        return f"{BOOT_LEVEL:.0%} paired-bootstrap interval [{diff[1]:+.4f}, {diff[2]:+.4f}]"

    def plain_wins(self) -> bool:
        """Whether the plain LightGBM challenger should be promoted instead of the candidate:
        it passes the gate against the champion and its MAE(log) is below the candidate's
        beyond noise (the whole 90% paired-bootstrap interval of the difference below 0)."""
        return (
            self.plain is not None
            and self.plain.verdict() is None
            and self.plain_vs_candidate[2] < 0
        )

    def summary(self) -> str:
        """The models' figures in one line (MAE, coverage gap, bias overall)."""
        out = f"candidate {_one(self.candidate)}; champion {_one(self.champion)}"
        if self.plain is not None:
            out += f"; plain LightGBM {_one(self.plain.candidate)}"
        return out

    def bias_lines(self) -> list[str]:
        """Mean log error (bias: P50 minus actual) of each model overall, per level and per
        region on the split, one line per model."""
        models = [("candidate", self.candidate), ("champion", self.champion)]
        if self.plain is not None:
            models.append(("plain LightGBM", self.plain.candidate))
        return [f"bias of the {name}: {bias_text(m)}" for name, m in models]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (what the promotion log keeps)."""
        return {
            "data_version": self.data_version,
            "cutoff": self.cutoff,
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "champion_metrics": self.champion_source,
            "champion_data_version": self.champion_data_version,
            "champion_train_rows": self.champion_train_rows,
            "candidate_mae_log": self.candidate["mae_log"],
            "candidate_coverage_gap": self.candidate["coverage_gap"],
            "candidate_bias": self.candidate.get("bias"),
            "champion_mae_log": self.champion["mae_log"],
            "champion_coverage_gap": self.champion["coverage_gap"],
            "champion_bias": self.champion.get("bias"),
            "plain_mae_log": None if self.plain is None else self.plain.candidate["mae_log"],
            "plain_bias": None if self.plain is None else self.plain.candidate.get("bias"),
            "plain_verdict": None if self.plain is None else self.plain.verdict(),
            "plain_vs_candidate_mae_diff": list(self.plain_vs_candidate),
            "plain_wins": self.plain_wins(),
            "global_median_mae_log": self.median_mae_log,
            "mae_diff": list(self.mae_diff),
            "coverage_gap_diff": list(self.gap_diff),
            "bootstrap": {"resamples": BOOT_RESAMPLES, "level": BOOT_LEVEL},
            "rescore_code_version": self.code_version,
            "champion_code_version": self.champion_code_version,
        }


def _one(m: dict[str, Any]) -> str:
    return (
        f"MAE(log) {m['mae_log']:.4f}, gap {m['coverage_gap']:.3f}, "
        f"bias {m.get('bias_log') or 0.0:+.4f}"
    )


def gate_score(metrics: dict[str, Any]) -> tuple[float, float]:
    """(MAE of log pay, worst distance of an 80% coverage from 0.80 over the gated groups)."""
    return float(metrics["mae_log"]), float(metrics["coverage_gap"])


def compare(candidate: dict[str, Any], current: dict[str, Any]) -> str | None:
    """Why ``candidate`` is worse than ``current`` on point metrics alone (no noise judged;
    the gate uses :meth:`GateBacktest.verdict`)."""
    c_mae, c_gap = gate_score(candidate)
    m_mae, m_gap = gate_score(current)
    problems = []
    if c_mae > m_mae + 1e-6:
        problems.append(f"MAE(log) {c_mae:.4f} > champion's {m_mae:.4f}")
    if c_gap > max(m_gap, 0.02) + 1e-6:
        problems.append(f"coverage gap {c_gap:.3f} > champion's {m_gap:.3f} (and > 0.02)")
    problems += [r] if (r := fairness_refusal(candidate, current)) else []
    return "; ".join(problems) or None


def gate_backtest(
    candidate: ModelRecord,
    champion: ModelRecord,
    *,
    settings: Settings,
    store: Store | None = None,
    progress: Progress | None = None,
) -> GateBacktest:
    """Candidate and champion scored independently on the candidate's backtest split (the
    newest arrivals of its dataset version): each model's procedure (parameters, seed) is
    trained on the arrivals before the cutoff *of its own dataset version* and both predict the
    same test records, so a candidate is never compared with itself and a champion is never
    retrained on the candidate's (possibly broken) data. Noise is judged by a paired bootstrap
    over the test records. Raises BacktestUnavailable when the candidate was scored by other
    code (retrain it) or a dataset version or split cannot be reproduced."""
    want = candidate.backtest
    missing = [k for k in ("cutoff", "train_rows", "test_rows") if k not in want]
    if missing:
        raise BacktestUnavailable(
            f"model {candidate.model_id} has no recorded backtest split ({', '.join(missing)})"
        )
    current = code_version()
    if candidate.code_version != current:
        raise BacktestUnavailable(
            f"model {candidate.model_id} was trained and scored by code version "
            f"{candidate.code_version}, this is {current}: retrain it (`payatlas train`) so "
            "candidate and champion are scored by the same code"
        )
    with open_store(store, settings, candidate) as opened:
        return _score_both(
            candidate, champion, want, store=opened, settings=settings, progress=progress
        )


def _score_both(
    candidate: ModelRecord,
    champion: ModelRecord,
    want: dict[str, Any],
    *,
    store: Store,
    settings: Settings,
    progress: Progress | None,
) -> GateBacktest:
    from payatlas.model.metrics import range_metrics
    from payatlas.model.train import PLAIN_PARAMS, fit_model, is_plain

    dv, cutoff = int(want["data_version"]), str(want["cutoff"])
    where = f"dataset version {dv}, cutoff {cutoff}"
    frame = version_frame(store, dv, f"candidate {candidate.model_id}")  # the version is there
    recorded, found = want.get("data_fingerprint"), store.fingerprint(dv)
    if recorded is not None and recorded != found:
        raise BacktestUnavailable(
            f"cannot score on the candidate's backtest: the store's dataset version {dv} is "
            "not the data the candidate was scored on (another ingest history)"
        )
    step = progress or (lambda _msg: None)
    train, test, _note = split(frame, dt.date.fromisoformat(cutoff))
    sizes, expected = (len(train), len(test)), (want["train_rows"], want["test_rows"])
    if sizes != tuple(expected):
        raise BacktestUnavailable(
            f"cannot reproduce the candidate's backtest split ({where}): the store gives "
            f"{sizes[0]:,} train / {sizes[1]:,} test records, the candidate was scored on "
            f"{expected[0]:,} / {expected[1]:,}"
        )
    cdv = int(champion.data_version)
    ch_frame = frame if cdv == dv else version_frame(store, cdv, f"champion {champion.model_id}")
    ch_train = ch_frame.loc[ch_frame["first_seen"] < pd.Timestamp(cutoff)].reset_index(drop=True)
    kw = {"threads": settings.threads, "privacy_threshold": settings.privacy_threshold}
    try:
        step(f"scoring candidate {candidate.model_id}: {len(train):,} train / {len(test):,} test")
        cand = fit_model(train, params=candidate.params, seed=candidate.seed, **kw)
        step(f"scoring champion {champion.model_id}: {len(ch_train):,} train (v{cdv})")
        champ = fit_model(ch_train, params=champion.params, seed=champion.seed, **kw)
        plain = None
        if not is_plain(candidate.params):
            step(f"scoring the plain LightGBM challenger: {len(train):,} train")
            plain = fit_model(train, params=PLAIN_PARAMS, seed=candidate.seed, **kw)
    except EmptyStore as exc:
        raise BacktestUnavailable(f"cannot score the models on {where}: {exc}") from exc
    y = test["y"].to_numpy()
    qc, qh = cand.log_quantiles(test), champ.log_quantiles(test)
    mc = range_metrics(y, qc[:, 2], qc[:, 0], qc[:, 4], test)
    mh = range_metrics(y, qh[:, 2], qh[:, 0], qh[:, 4], test)
    median = float(np.median(train["y"].to_numpy()))
    gated = list(mc["gated_groups"])
    common: dict[str, Any] = {
        "data_version": dv,
        "cutoff": cutoff,
        "train_rows": len(train),
        "test_rows": len(test),
        "champion": mh,
        "code_version": code_version(),
        "champion_code_version": champion.code_version,
        "champion_data_version": cdv,
        "champion_train_rows": len(ch_train),
        "median_mae_log": float(np.mean(np.abs(y - median))),
    }
    plain_gate, plain_vs = None, (0.0, 0.0, 0.0)
    if plain is not None:
        qp = plain.log_quantiles(test)
        mp = range_metrics(y, qp[:, 2], qp[:, 0], qp[:, 4], test)
        p_mae, p_gap = paired_bootstrap(y, qp, qh, test, gated)
        plain_gate = GateBacktest(
            candidate=mp, mae_diff=p_mae, gap_diff=p_gap, seed=candidate.seed, **common
        )
        plain_vs = paired_bootstrap(y, qp, qc, test, gated)[0]
    mae_diff, gap_diff = paired_bootstrap(y, qc, qh, test, gated)
    gate = GateBacktest(
        candidate=mc,
        mae_diff=mae_diff,
        gap_diff=gap_diff,
        plain=plain_gate,
        plain_vs_candidate=plain_vs,
        seed=candidate.seed,
        **common,
    )
    step(gate.summary())
    record_rescore(
        champion,
        {
            "data_version": dv,
            "cutoff": cutoff,
            "train_rows": len(ch_train),
            "test_rows": len(test),
            "data_fingerprint": found,
            "metrics": mh,
            "seed": champion.seed,
            "code_version": code_version(),
            "trained_code_version": champion.code_version,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    return gate


__all__ = [
    "BOOT_LEVEL",
    "BOOT_RESAMPLES",
    "GateBacktest",
    "compare",
    "gate_backtest",
    "open_store",
    "paired_bootstrap",
    "record_rescore",
    "split_key",
]
