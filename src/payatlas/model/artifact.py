"""A fitted model: the point booster, encoders, calibration, evidence and metadata, as files.

A model folder holds ``booster-0.txt``, ``booster-1.txt``... (LightGBM text; the point
prediction is their mean), ``encoders.json``, ``calibration.json``,
``evidence.json`` and ``meta.json``. Every file is written with sorted keys so the same seed and
data give identical bytes.

Beside them, ``forest.npz`` holds the same boosters compiled to numpy arrays
(:mod:`payatlas.model.trees`, written at training or on the first load of an older folder): a
loaded model predicts a few rows with it, so an estimate imports neither LightGBM nor pandas.
LightGBM's boosters are parsed on first need (a call with more than ``FOREST_ROWS`` rows, or
a process that asked for them with :func:`payatlas.model.registry.preload_boosters`, such as
the API server, where LightGBM's per-call evaluation is cheaper); both give the same numbers.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from payatlas.durable import atomic_write_text
from payatlas.errors import ModelError
from payatlas.model.adaptive import ADAPTIVE_FILE, Adaptation
from payatlas.model.calibration import QUANTILES, Calibration, group_key, group_keys
from payatlas.model.data import PROFILE_COLUMNS
from payatlas.model.evidence import COHORTS, Evidence
from payatlas.model.features import Encoders, encode, encode_one
from payatlas.model.ladder import LEVELS, enforce, level_index
from payatlas.model.structure import US, as_us, shift
from payatlas.model.trees import (
    Forest,
    NotCompilable,
    booster_paths,
    compile_texts,
    load_forest,
    save_forest,
)

if TYPE_CHECKING:
    import lightgbm as lgb
    import pandas as pd

PARALLEL_ROWS = 20_000  # predict larger batches on every core
#: rows a call predicts with the compiled forest before LightGBM's boosters are loaded instead
FOREST_ROWS = 512
MEMO_ROWS = 1 << 16  # point predictions of single rows remembered per model (then cleared)
FILES = ("booster-0.txt", "encoders.json", "calibration.json", "evidence.json", "meta.json")


def json_text(obj: Any) -> str:
    """JSON, deterministically (sorted keys, fixed separators, trailing newline)."""
    return json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def dump_json(obj: Any, path: Path) -> None:
    """Write JSON deterministically and atomically (a reader never sees half a file)."""
    atomic_write_text(path, json_text(obj))


@dataclass(slots=True, eq=False)
class FittedModel:
    """Everything needed to estimate: loaded once, kept in memory."""

    #: LightGBM's boosters (None until first needed when the model was loaded from a folder)
    _boosters: list[lgb.Booster] | None
    encoders: Encoders
    calibration: Calibration
    evidence: Evidence
    meta: dict[str, Any] = field(default_factory=dict)
    #: point predictions of encoded rows seen before (bytes of the feature vector -> log USD):
    #: the model's answer depends on nothing else, so a row asked again is not re-evaluated
    _memo: dict[bytes, float] = field(default_factory=dict, repr=False, compare=False)
    #: the boosters compiled to numpy (:mod:`payatlas.model.trees`; None: LightGBM only)
    forest: Forest | None = field(default=None, repr=False, compare=False)
    #: the folder the model was loaded from (its boosters are parsed from there on first need)
    folder: Path | None = field(default=None, repr=False, compare=False)

    @property
    def boosters(self) -> list[lgb.Booster]:
        """LightGBM's point boosters (parsed from the model folder on first use)."""
        if self._boosters is None:
            if self.folder is None:
                raise ModelError("this model has neither boosters nor a folder to read them from")
            self._boosters = _read_boosters(self.folder)
        return self._boosters

    def predict_x(self, x: np.ndarray, *, threads: int = 1) -> np.ndarray:
        """The mean of the point boosters' predictions for encoded rows ``x``: the compiled
        forest for up to ``FOREST_ROWS`` rows while LightGBM's boosters are not loaded, else
        LightGBM (the same numbers; ``tests/model/test_model_trees.py``)."""
        if self._boosters is None and self.forest is not None and len(x) <= FOREST_ROWS:
            return self.forest.predict(x)
        boosters = self.boosters
        out = np.asarray(boosters[0].predict(x, num_threads=threads))
        for booster in boosters[1:]:
            out = out + np.asarray(booster.predict(x, num_threads=threads))
        return out / len(boosters)

    @property
    def model_id(self) -> str:
        """The registry id (empty until saved)."""
        return str(self.meta.get("model_id", ""))

    def point(self, frame: pd.DataFrame) -> np.ndarray:
        """Point prediction of log annual USD for each row of a model frame."""
        if not len(frame):
            return np.empty(0)
        x = encode(frame, self.encoders)
        threads = 1 if len(x) < PARALLEL_ROWS else 0  # 0: LightGBM's default (all cores)
        return self.predict_x(x, threads=threads) + self._level(frame["year"].to_numpy())

    def _level(self, years: np.ndarray) -> np.ndarray:
        """The arrival-batch level offset per row: the newest training pay year and later ones
        take it (:mod:`payatlas.model.arrival_level`); 0 for earlier years and older models."""
        level = self.meta.get("arrival_level")
        if not level:
            return np.zeros(len(years))
        newest = np.asarray(years, dtype="float64") >= float(level["year"])
        return np.where(newest, float(level["offset"]), 0.0)

    def point_rows(self, rows: list[dict[str, Any]]) -> np.ndarray:
        """Like :meth:`point` for a few resolved rows (dicts), without pandas."""
        x = np.vstack([encode_one(r, self.encoders) for r in rows])
        keys = [v.tobytes() for v in x]
        memo = self._memo
        out = np.array([memo.get(k, np.nan) for k in keys])
        todo = np.flatnonzero(np.isnan(out))
        if len(todo):
            point = self.predict_x(x[todo])
            if len(memo) + len(todo) > MEMO_ROWS:
                memo.clear()
            for i, v in zip(todo, point, strict=True):
                memo[keys[i]] = float(v)
                out[i] = v
        return out + self._level(np.array([float(r["year"]) for r in rows]))

    def _model_rows(self, rows: list[dict[str, Any]]) -> np.ndarray:
        point = self.point_rows(rows)
        offsets = np.vstack([self.calibration.offsets_one(group_of(r)) for r in rows])
        return point[:, None] + offsets

    def _model(self, frame: pd.DataFrame) -> np.ndarray:
        """Point + calibration offsets, each distinct profile evaluated once (the ladder and
        the US counterparts repeat profiles many times)."""
        import pandas as pd

        cols = [c for c in PROFILE_COLUMNS if c in frame.columns]
        codes, _ = pd.factorize(pd.MultiIndex.from_frame(frame[cols].astype(str)))
        first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
        uniq = frame.iloc[first]
        groups = group_keys(uniq["country"], uniq["level"], uniq["role_family"])
        q = self.point(uniq)[:, None] + self.calibration.offsets(groups)
        return np.asarray(q[codes])

    def _raw_rows(self, rows: list[dict[str, Any]]) -> np.ndarray:
        """The model's quantiles with thin cells moved toward structure (model.structure)."""
        q = self._model_rows(rows)
        effects = self.meta.get("structure")
        if not effects:
            return q
        fams, ctys = [r["role_family"] for r in rows], [r["country"] for r in rows]
        us = self._model_rows([{**r, **US} for r in rows])
        n = np.array(
            [self._cell_n(f, r["level"], c) for f, r, c in zip(fams, rows, ctys, strict=True)]
        )
        regions = [r["region"] for r in rows]
        moved = shift(q[:, 2], us[:, 2], ctys, regions, n, effects, self.evidence.privacy_threshold)
        return q + moved[:, None]

    def _raw(self, frame: pd.DataFrame) -> np.ndarray:
        """Like :meth:`_raw_rows` for a model frame."""
        import pandas as pd

        effects = self.meta.get("structure")
        if not effects:
            return self._model(frame)
        both = self._model(pd.concat([frame, as_us(frame)], ignore_index=True))  # one pass
        q, us = both[: len(frame)], both[len(frame) :]
        ctys = frame["country"].astype(str).tolist()
        n = np.array(
            [
                self._cell_n(f, lvl, c)
                for f, lvl, c in zip(frame["role_family"], frame["level"], ctys, strict=True)
            ]
        )
        regions = frame["region"].astype(str).tolist()
        moved = shift(q[:, 2], us[:, 2], ctys, regions, n, effects, self.evidence.privacy_threshold)
        return q + moved[:, None]

    def _cell_n(self, family: str, level: object, country: str) -> float:
        return float(self.evidence.counts[COHORTS[0][0]].get(f"{family}|{level}|{country}", 0))

    def _cell_weights(self, families: list[str], level: str, countries: list[str]) -> np.ndarray:
        cells = self.evidence.counts[COHORTS[0][0]]
        k = float(self.encoders.shrink_k)
        return np.array(
            [cells.get(f"{f}|{level}|{c}", 0) + k for f, c in zip(families, countries, strict=True)]
        )

    def log_quantiles_rows(self, rows: list[dict[str, Any]]) -> np.ndarray:
        """Like :meth:`log_quantiles` for a few resolved rows (dicts), without pandas."""
        idx = level_index([r["level"] for r in rows])
        if (idx < 0).all():
            return self._raw_rows(rows)
        ladder = [{**r, "level": lvl} for lvl in LEVELS for r in rows]
        raw = self._raw_rows(ladder).reshape(len(LEVELS), len(rows), len(QUANTILES))
        fams, ctys = [r["role_family"] for r in rows], [r["country"] for r in rows]
        weights = np.stack([self._cell_weights(fams, lvl, ctys) for lvl in LEVELS])
        fit = enforce(raw, weights)[idx.clip(0), np.arange(len(rows))]
        if (idx < 0).any():
            off = np.flatnonzero(idx < 0)
            fit[off] = self._raw_rows([rows[i] for i in off])
        return fit

    def log_quantiles(self, frame: pd.DataFrame) -> np.ndarray:
        """Log-USD P10, P25, P50, P75, P90 per row (columns in ``QUANTILES`` order), each
        non-decreasing in the level for the same profile (:mod:`payatlas.model.ladder`)."""
        import pandas as pd

        if not len(frame):
            return np.empty((0, len(QUANTILES)))
        idx = level_index(frame["level"].to_numpy())
        ladder = pd.concat([frame.assign(level=lvl) for lvl in LEVELS], ignore_index=True)
        raw = self._raw(ladder).reshape(len(LEVELS), len(frame), len(QUANTILES))
        fams = frame["role_family"].astype(str).tolist()
        ctys = frame["country"].astype(str).tolist()
        weights = np.stack([self._cell_weights(fams, lvl, ctys) for lvl in LEVELS])
        fit = enforce(raw, weights)[idx.clip(0), np.arange(len(frame))]
        if (idx < 0).any():
            fit[idx < 0] = self._raw(frame.loc[idx < 0])
        return fit

    def p50_log(self, frame: pd.DataFrame) -> np.ndarray:
        """Log-USD P50 per row (the figure reasons explain)."""
        return self.log_quantiles(frame)[:, QUANTILES.index(0.5)]

    def with_adaptation(self, adaptation: Adaptation | None) -> FittedModel:
        """The same model with another adaptation of its ranges (a new object: caches keyed on
        the model do not mix the two)."""
        calibration = replace(self.calibration, adaptation=adaptation, _cache={})
        return replace(self, calibration=calibration, _memo=self._memo)

    def save(self, folder: Path) -> None:
        """Write the model files into ``folder`` (a staging folder: ``meta.json`` goes last, and
        :func:`payatlas.model.candidate.train_candidate` publishes the folder in one rename)."""
        folder.mkdir(parents=True, exist_ok=True)
        texts = [booster.model_to_string() for booster in self.boosters]
        for i, text in enumerate(texts):
            (folder / f"booster-{i}.txt").write_text(text)
        with contextlib.suppress(NotCompilable):
            save_forest(compile_texts(texts), folder)
        dump_json(self.encoders.as_dict(), folder / "encoders.json")
        dump_json(self.calibration.as_dict(), folder / "calibration.json")
        dump_json(self.evidence.as_dict(), folder / "evidence.json")
        dump_json(self.meta, folder / "meta.json")

    @classmethod
    def load(cls, folder: Path, *, boosters: bool = False) -> FittedModel:
        """Read a model folder written by :meth:`save`: its compiled forest (compiled now and
        saved when missing), and LightGBM's boosters too with ``boosters=True`` (else on first
        need, or when the boosters cannot be compiled)."""
        missing = [f for f in FILES if not (folder / f).is_file()]
        if missing:
            raise ModelError(f"model folder {folder.name} lacks {', '.join(missing)}")
        try:
            texts = [path.read_text() for path in booster_paths(folder)]
            forest = load_forest(folder, texts)
            calibration = Calibration.from_dict(_read(folder / "calibration.json"))
            calibration.adaptation = read_adaptation(folder)
            model = cls(
                None,
                encoders=Encoders.from_dict(_read(folder / "encoders.json")),
                calibration=calibration,
                evidence=Evidence.from_dict(_read(folder / "evidence.json")),
                meta=_read(folder / "meta.json"),
                forest=forest,
                folder=folder,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot load model {folder.name}: {exc}") from exc
        if boosters or forest is None:
            model._boosters = _read_boosters(folder, texts)
        return model


def _read_boosters(folder: Path, texts: list[str] | None = None) -> list[lgb.Booster]:
    """LightGBM's boosters of a model folder (LightGBM is imported here, on first need)."""
    import lightgbm as lgb

    try:
        if texts is None:
            texts = [path.read_text() for path in booster_paths(folder)]
        return [lgb.Booster(model_str=text) for text in texts]
    except (OSError, ValueError, lgb.basic.LightGBMError) as exc:
        raise ModelError(f"cannot load model {folder.name}: {exc}") from exc


def read_adaptation(folder: Path) -> Adaptation | None:
    """A model folder's ``adaptive.json`` (None when its ranges were never adapted)."""
    path = folder / ADAPTIVE_FILE
    if not path.is_file():
        return None
    return Adaptation.from_dict(_read(path))


def group_of(row: dict[str, Any]) -> str:
    """The calibration group of one resolved row."""
    return group_key(row["country"], row["level"], row["role_family"])


def _read(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))
