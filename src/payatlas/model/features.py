"""Features: category codes plus hierarchically shrunk cell means of log pay.

Thin cells are the normal case outside the US, so every cell mean is shrunk toward its parent
cohort (empirical-Bayes style, ``(sum + k * parent) / (n + k)``):

- country -> region -> world;
- (family, title) -> family -> world;
- (family, level, country) -> (family, level, region) -> (family, level) -> level -> world.

A cell the training data never saw takes its parent's value, so an unseen country falls back to
its region and an unseen title to its family. On training rows the shrunk means are computed
out-of-fold (5 folds) so the trees cannot read a row's own pay through them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

LEVEL_ORD = {"entry": 0.0, "mid": 1.0, "senior": 2.0, "executive": 3.0}
SIZE_ORD = {"S": 0.0, "M": 1.0, "L": 2.0}
EMPLOYMENT = ("FT", "PT", "CT", "FL")
FEATURES = (
    "family",
    "title",
    "level",
    "country",
    "region",
    "abroad",
    "remote",
    "company_size",
    "employment_type",
    "year",
    "te_country",
    "te_family",
    "te_title",
    "te_flc",
)
CATEGORICAL = ("family", "title", "country", "region", "employment_type")
#: LightGBM monotone constraints (FEATURES order): pay is non-decreasing in the ordinal level
#: with every other feature held fixed (the ladder of :mod:`payatlas.model.ladder` then orders
#: the calibrated quantiles too)
MONOTONE = tuple(1 if name == "level" else 0 for name in FEATURES)
MIN_COUNTRY_ROWS = 10
MIN_TITLE_ROWS = 20
SEP = "|"

# (table, key columns, parent table) in build order; the parent of a top table is the world mean
_HIERARCHY: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("region", ("region",), None),
    ("country", ("country",), "region"),
    ("family", ("role_family",), None),
    ("title", ("role_family", "tkey"), "family"),
    ("level", ("level",), None),
    ("fl", ("role_family", "level"), "level"),
    ("flr", ("role_family", "level", "region"), "fl"),
    ("flc", ("role_family", "level", "country"), "flr"),
)
_PARENT_KEYS = {name: keys for name, keys, _ in _HIERARCHY}


@dataclass(slots=True)
class Encoders:
    """Vocabularies and shrunk-mean tables learned from training rows (JSON-serialisable)."""

    families: list[str]
    titles: list[str]
    countries: list[str]
    regions: list[str]
    world: float
    shrink_k: float
    tables: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "families": self.families,
            "titles": self.titles,
            "countries": self.countries,
            "regions": self.regions,
            "world": self.world,
            "shrink_k": self.shrink_k,
            "tables": self.tables,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Encoders:
        """Inverse of :meth:`as_dict`."""
        return cls(**data)


def _keys(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.Series:
    out = frame[cols[0]].astype(str)
    for col in cols[1:]:
        out = out + SEP + frame[col].astype(str)
    return out


def _tables(frame: pd.DataFrame, k: float) -> tuple[float, dict[str, dict[str, float]]]:
    import pandas as pd

    world = float(frame["y"].mean())
    tables: dict[str, dict[str, float]] = {}
    for name, cols, parent in _HIERARCHY:
        keyed = pd.DataFrame({"key": _keys(frame, cols), "y": frame["y"]})
        if parent is not None:
            keyed["prior"] = _lookup(frame, name=parent, tables=tables, world=world)
        else:
            keyed["prior"] = world
        g = keyed.groupby("key", sort=True).agg(
            s=("y", "sum"), n=("y", "size"), p=("prior", "first")
        )
        shrunk = (g["s"] + k * g["p"]) / (g["n"] + k)
        tables[name] = {str(key): float(v) for key, v in shrunk.items()}
    return world, tables


def _lookup(
    frame: pd.DataFrame, *, name: str, tables: dict[str, dict[str, float]], world: float
) -> np.ndarray:
    """Shrunk mean of table ``name`` per row, falling back through the parents."""
    chain: list[str] = []
    parents = {n: p for n, _, p in _HIERARCHY}
    cur: str | None = name
    while cur is not None:
        chain.append(cur)
        cur = parents[cur]
    out = np.full(len(frame), np.nan)
    for table in chain:  # most specific first
        missing = np.isnan(out)
        if not missing.any():
            break
        keys = _keys(frame.loc[missing], _PARENT_KEYS[table])
        out[missing] = keys.map(tables[table]).to_numpy(dtype="float64", na_value=np.nan)
    out[np.isnan(out)] = world
    return out


def shrunk_means(frame: pd.DataFrame, enc: Encoders) -> np.ndarray:
    """The shrunk-mean features (country, family, title, family x level x country) per row."""
    return np.column_stack(
        [
            _lookup(frame, name=name, tables=enc.tables, world=enc.world)
            for name in ("country", "family", "title", "flc")
        ]
    )


def fit_encoders(
    frame: pd.DataFrame, *, k: float = 10.0, folds: int = 5, seed: int = 42
) -> tuple[Encoders, np.ndarray]:
    """Learn the encoders on ``frame`` (which has ``y``); return them and the out-of-fold
    shrunk means for the same rows."""
    countries = frame["country"].value_counts()
    titles = frame["tkey"].value_counts()
    world, tables = _tables(frame, k)
    enc = Encoders(
        families=sorted(frame["role_family"].unique().tolist()),
        titles=sorted(titles[titles >= MIN_TITLE_ROWS].index.tolist()),
        countries=sorted(countries[countries >= MIN_COUNTRY_ROWS].index.tolist()),
        regions=sorted(frame["region"].unique().tolist()),
        world=world,
        shrink_k=k,
        tables=tables,
    )
    fold = np.random.default_rng(seed).integers(0, folds, len(frame))
    oof = np.empty((len(frame), 4))
    for i in range(folds):
        inside = fold == i
        if not inside.any():
            continue
        w, t = _tables(frame.loc[~inside], k)
        sub = Encoders(enc.families, enc.titles, enc.countries, enc.regions, w, k, t)
        oof[inside] = shrunk_means(frame.loc[inside], sub)
    return enc, oof


def _codes(values: pd.Series, vocab: list[str]) -> np.ndarray:
    index = {v: float(i) for i, v in enumerate(vocab)}
    return values.map(index).to_numpy(dtype="float64", na_value=np.nan)


def encode(frame: pd.DataFrame, enc: Encoders, *, shrunk: np.ndarray | None = None) -> np.ndarray:
    """The feature matrix (columns in ``FEATURES`` order; NaN = missing / unseen category)."""
    te = shrunk_means(frame, enc) if shrunk is None else shrunk
    return np.column_stack(
        [
            _codes(frame["role_family"], enc.families),
            _codes(frame["tkey"], enc.titles),
            frame["level"].map(LEVEL_ORD).to_numpy(dtype="float64", na_value=np.nan),
            _codes(frame["country"], enc.countries),
            _codes(frame["region"], enc.regions),
            frame["abroad"].to_numpy(dtype="float64"),
            frame["remote"].to_numpy(dtype="float64"),
            frame["company_size"].map(SIZE_ORD).to_numpy(dtype="float64", na_value=np.nan),
            _codes(frame["employment_type"], list(EMPLOYMENT)),
            frame["year"].to_numpy(dtype="float64"),
            te,
        ]
    )


def _lookup_one(row: dict[str, Any], name: str, enc: Encoders) -> float:
    parents = {n: p for n, _, p in _HIERARCHY}
    cur: str | None = name
    while cur is not None:
        key = SEP.join(str(row[c]) for c in _PARENT_KEYS[cur])
        hit = enc.tables[cur].get(key)
        if hit is not None:
            return hit
        cur = parents[cur]
    return enc.world


def _code(value: Any, vocab: list[str]) -> float:
    try:
        return float(vocab.index(value))
    except ValueError:
        return float("nan")


def encode_one(row: dict[str, Any], enc: Encoders) -> np.ndarray:
    """The feature vector of one resolved profile (same columns as :func:`encode`), without
    pandas: the single-estimate fast path."""
    nan = float("nan")
    level = row["level"]
    size = row["company_size"]
    return np.array(
        [
            [
                _code(row["role_family"], enc.families),
                _code(row["tkey"], enc.titles),
                LEVEL_ORD.get(level, nan) if level is not None else nan,
                _code(row["country"], enc.countries),
                _code(row["region"], enc.regions),
                float(bool(row["abroad"])),
                float(row["remote"]),
                SIZE_ORD.get(size, nan) if size is not None else nan,
                _code(row["employment_type"], list(EMPLOYMENT)),
                float(row["year"]),
                *(_lookup_one(row, name, enc) for name in ("country", "family", "title", "flc")),
            ]
        ]
    )
