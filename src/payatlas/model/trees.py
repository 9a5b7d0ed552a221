"""The point boosters compiled to numpy arrays: an estimate needs neither LightGBM nor pandas.

A model folder's ``booster-N.txt`` files (LightGBM text) are compiled once into ``forest.npz``
beside them (at training, or on the first load of an older folder, written crash-safely): per
node its split feature, threshold, decision type (categorical, default-left, missing type),
children and categorical bitset; per leaf its value. :meth:`Forest.predict` walks every tree
for a few rows at once and sums the leaves in tree order, as LightGBM does, so its answers are
LightGBM's to the last bit (``tests/model/test_model_trees.py`` compares them on real rows,
missing values and unseen categories included). LightGBM stays for training and for large
batches, where its C++ loop is faster.

The rules follow LightGBM's ``Tree::NumericalDecision`` and ``Tree::CategoricalDecision``:

- a numeric split sends a missing value (NaN when the node's missing type is NaN, zero when it
  is Zero) to its default side; otherwise NaN counts as 0 and ``value <= threshold`` goes left;
- a categorical split sends NaN and negative values right, and a category left when its bit is
  set in the node's bitset (the value truncated toward zero);
- inputs within 1e-35 of zero are zero (LightGBM skips them when it reads a dense row).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from payatlas.durable import atomic_write_bytes

FOREST_FILE = "forest.npz"
#: bumped when the compiled layout or the rules change (an older file is recompiled)
FORMAT = 1
#: LightGBM's ``kZeroThreshold`` (a C++ float literal, 1e-35f)
ZERO = float(np.float32(1e-35))
#: objectives whose prediction is the raw score (their ``ConvertOutput`` is the identity)
IDENTITY_OBJECTIVES = frozenset(
    {"regression", "regression_l2", "regression_l1", "huber", "fair", "quantile", "mape"}
)
_CATEGORICAL, _DEFAULT_LEFT = 1, 2
_MISSING_ZERO, _MISSING_NAN = 1, 2
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same boosters give the same bytes


class NotCompilable(ValueError):
    """A booster this module cannot evaluate exactly (linear trees, a transformed objective,
    several classes): the caller keeps LightGBM for it."""


@dataclass(frozen=True, slots=True)
class Forest:
    """Every tree of every booster, as flat arrays (nodes of all trees concatenated).

    ``left``/``right`` hold a node index (>= 0) or ``-(leaf + 1)`` for a leaf; ``roots`` the
    first step of each tree in the same code; ``booster_end`` where each booster's trees end.
    """

    feature: np.ndarray  # int32 per node
    threshold: np.ndarray  # float64 per node
    decision: np.ndarray  # uint8 per node: LightGBM's decision_type
    left: np.ndarray  # int32 per node
    right: np.ndarray  # int32 per node
    cat_start: np.ndarray  # int32 per node: first word of its bitset in ``cat_bits``
    cat_words: np.ndarray  # int32 per node: words in its bitset (0 for a numeric split)
    cat_bits: np.ndarray  # uint32
    leaf_value: np.ndarray  # float64 per leaf
    roots: np.ndarray  # int32 per tree
    booster_end: np.ndarray  # int64 per booster: one past its last tree
    digest: str  # sha256 of the booster texts compiled

    @property
    def boosters(self) -> int:
        """How many boosters (their predictions are averaged)."""
        return len(self.booster_end)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The mean of the boosters' predictions for the rows of ``x`` (rows x features), each
        booster's trees summed in order from 0.0, then ``((b0 + b1) + ...) / boosters``: the
        arithmetic of ``FittedModel.point`` over ``Booster.predict``."""
        x = np.array(x, dtype="float64", ndmin=2)
        x[np.abs(x) <= ZERO] = 0.0
        n, trees = len(x), len(self.roots)
        cur = np.tile(self.roots, n).astype(np.int64)
        row = np.repeat(np.arange(n), trees)
        todo = np.flatnonzero(cur >= 0)
        while todo.size:
            node = cur[todo]
            value = x[row[todo], self.feature[node]]
            nxt = np.where(self._goes_left(node, value), self.left[node], self.right[node])
            cur[todo] = nxt
            todo = todo[nxt >= 0]
        leaves = self.leaf_value[-cur - 1].reshape(n, trees)
        out: np.ndarray | None = None
        start = 0
        for end in self.booster_end:
            # accumulate is sequential (np.sum would add pairwise): LightGBM's order exactly
            total = np.add.accumulate(leaves[:, start:end], axis=1)[:, -1]
            out = total if out is None else out + total
            start = int(end)
        assert out is not None
        return np.asarray(out / self.boosters)

    def _goes_left(self, node: np.ndarray, value: np.ndarray) -> np.ndarray:
        kind = self.decision[node]
        missing = (kind >> 2) & 3
        nan = np.isnan(value)
        numeric = np.where(nan & (missing != _MISSING_NAN), 0.0, value)
        is_missing = ((missing == _MISSING_ZERO) & (np.abs(numeric) <= ZERO)) | (
            (missing == _MISSING_NAN) & nan
        )
        with np.errstate(invalid="ignore"):
            left = np.where(
                is_missing, (kind & _DEFAULT_LEFT) != 0, numeric <= self.threshold[node]
            )
        cat = (kind & _CATEGORICAL) != 0
        if cat.any():
            c = np.flatnonzero(cat)
            v = value[c]
            ok = ~np.isnan(v) & (v > -1.0) & (v < 2.0**31)  # truncates to a category >= 0
            code = np.where(ok, np.trunc(np.where(ok, v, 0.0)), 0.0).astype(np.int64)
            word = code >> 5
            words = self.cat_words[node[c]]
            inside = ok & (word < words)
            at = self.cat_start[node[c]] + np.where(inside, word, 0)
            bit = (self.cat_bits[np.minimum(at, len(self.cat_bits) - 1)] >> (code & 31)) & 1
            left[c] = inside & (bit == 1)
        return np.asarray(left)

    def to_bytes(self) -> bytes:
        """The ``forest.npz`` bytes (deterministic: fixed entry times, no compression)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as archive:
            arrays = {name: getattr(self, name) for name in _ARRAYS}
            arrays["meta"] = np.array([f"{FORMAT}", self.digest])
            for name, array in arrays.items():
                entry = io.BytesIO()
                np.lib.format.write_array(entry, np.ascontiguousarray(array), allow_pickle=False)
                archive.writestr(zipfile.ZipInfo(f"{name}.npy", _ZIP_TIME), entry.getvalue())
        return buf.getvalue()

    @classmethod
    def from_file(cls, path: Path) -> Forest:
        """Read ``forest.npz``; raises ValueError for a file of another format."""
        with np.load(path, allow_pickle=False) as data:
            fmt, digest = (str(v) for v in data["meta"])
            if fmt != str(FORMAT):
                raise ValueError(f"{path.name} has format {fmt}, not {FORMAT}")
            return cls(**{name: data[name] for name in _ARRAYS}, digest=digest)


_ARRAYS = (
    "feature",
    "threshold",
    "decision",
    "left",
    "right",
    "cat_start",
    "cat_words",
    "cat_bits",
    "leaf_value",
    "roots",
    "booster_end",
)


def digest_of(texts: list[str]) -> str:
    """The sha256 of booster texts, in booster order (what a compiled forest was made from)."""
    h = hashlib.sha256()
    for text in texts:
        h.update(text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _ints(value: str) -> list[int]:
    return [int(v) for v in value.split()] if value else []


def _floats(value: str) -> list[float]:
    return [float(v) for v in value.split()] if value else []


def _header(text: str) -> dict[str, str]:
    head = text.split("\nTree=", 1)[0]
    return dict(line.split("=", 1) for line in head.splitlines() if "=" in line)


def _tree_blocks(text: str) -> list[dict[str, str]]:
    body = text.split("\nend of trees", 1)[0]
    out = []
    for block in body.split("\nTree=")[1:]:
        out.append(dict(line.split("=", 1) for line in block.splitlines()[1:] if "=" in line))
    return out


def compile_texts(texts: list[str]) -> Forest:
    """Compile LightGBM model texts (``Booster.model_to_string()``, one per booster) into a
    :class:`Forest`; raises :class:`NotCompilable` for what it cannot evaluate exactly."""
    feature: list[int] = []
    threshold: list[float] = []
    decision: list[int] = []
    left: list[int] = []
    right: list[int] = []
    cat_start: list[int] = []
    cat_words: list[int] = []
    cat_bits: list[int] = []
    leaf_value: list[float] = []
    roots: list[int] = []
    booster_end: list[int] = []
    for text in texts:
        head = _header(text)
        objective = head.get("objective", "").split()
        if not objective or objective[0] not in IDENTITY_OBJECTIVES or "sqrt" in objective:
            raise NotCompilable(f"objective {head.get('objective')!r} is not compiled")
        if head.get("num_tree_per_iteration", "1") != "1" or "average_output" in head:
            raise NotCompilable("only single-output boosted trees are compiled")
        for tree in _tree_blocks(text):
            if tree.get("is_linear", "0") != "0":
                raise NotCompilable("linear trees are not compiled")
            leaves = int(tree["num_leaves"])
            node0, leaf0, word0 = len(feature), len(leaf_value), len(cat_bits)
            leaf_value.extend(_floats(tree["leaf_value"]))
            if leaves == 1:
                roots.append(-(leaf0 + 1))
                continue
            roots.append(node0)

            def child(c: int, node0: int = node0, leaf0: int = leaf0) -> int:
                return node0 + c if c >= 0 else -(leaf0 + ~c + 1)

            kinds = _ints(tree["decision_type"])
            thresholds = _floats(tree["threshold"])
            bounds = _ints(tree.get("cat_boundaries", ""))
            feature.extend(_ints(tree["split_feature"]))
            threshold.extend(thresholds)
            decision.extend(kinds)
            left.extend(child(c) for c in _ints(tree["left_child"]))
            right.extend(child(c) for c in _ints(tree["right_child"]))
            for kind, thr in zip(kinds, thresholds, strict=True):
                if kind & _CATEGORICAL:
                    i = int(thr)
                    cat_start.append(word0 + bounds[i])
                    cat_words.append(bounds[i + 1] - bounds[i])
                else:
                    cat_start.append(0)
                    cat_words.append(0)
            cat_bits.extend(_ints(tree.get("cat_threshold", "")))
        booster_end.append(len(roots))
    return Forest(
        feature=np.array(feature, dtype=np.int32),
        threshold=np.array(threshold, dtype=np.float64),
        decision=np.array(decision, dtype=np.uint8),
        left=np.array(left, dtype=np.int32),
        right=np.array(right, dtype=np.int32),
        cat_start=np.array(cat_start, dtype=np.int32),
        cat_words=np.array(cat_words, dtype=np.int32),
        cat_bits=np.array(cat_bits, dtype=np.uint32),
        leaf_value=np.array(leaf_value, dtype=np.float64),
        roots=np.array(roots, dtype=np.int32),
        booster_end=np.array(booster_end, dtype=np.int64),
        digest=digest_of(texts),
    )


def booster_paths(folder: Path) -> list[Path]:
    """A model folder's ``booster-N.txt`` files in booster order."""
    return sorted(folder.glob("booster-*.txt"), key=lambda p: int(p.stem[8:]))


def load_forest(folder: Path, texts: list[str] | None = None) -> Forest | None:
    """The folder's compiled forest: ``forest.npz`` when it matches the booster texts, else
    compiled now and written beside them (crash-safely; a folder that cannot be written is
    left as it is). None when the boosters cannot be compiled (LightGBM evaluates them)."""
    if texts is None:
        texts = [p.read_text(encoding="utf-8") for p in booster_paths(folder)]
    digest = digest_of(texts)
    path = folder / FOREST_FILE
    try:
        found = Forest.from_file(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        found = None
    if found is not None and found.digest == digest:
        return found
    try:
        forest = compile_texts(texts)
    except NotCompilable:
        return None
    save_forest(forest, folder)
    return forest


def save_forest(forest: Forest, folder: Path) -> None:
    """Write ``forest.npz`` into ``folder`` atomically (skipped when the folder is read-only)."""
    with contextlib.suppress(OSError):
        atomic_write_bytes(folder / FOREST_FILE, forest.to_bytes())


__all__ = [
    "FOREST_FILE",
    "Forest",
    "NotCompilable",
    "booster_paths",
    "compile_texts",
    "load_forest",
    "save_forest",
]
