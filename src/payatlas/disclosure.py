"""Statistical disclosure control: the one definition behind every published count and pay figure.

PayAtlas publishes figures of many overlapping slices (benchmarks, trends, premiums, estimate
evidence, team lines, monthly submissions). Protecting each answer alone is not enough: two
answers can be subtracted (a region minus its largest country, all years minus one year) to
isolate a cohort smaller than the privacy threshold. Two record-keyed perturbations, in the spirit
of the ABS TableBuilder "cell key" method, make every combination of answers safe:

* **Counts: cell-key random rounding to base t** (t = the privacy threshold). Each record has a
  fixed record key (:func:`record_key_sql`: a hash of its stored id, dataset version and source
  row); a cell's key is the sum of its records' keys, hashed with the secret ``privacy_salt`` to
  a number u in [0, 1). A count n with remainder r = n mod t is published as n - r + t
  when u < r / t, else as n - r (unbiased: its expected value is n). The same records always get
  the same key and so the same published count, whichever query produced them (no averaging
  attack). Every published count is a multiple of t, so any sum or difference of published counts
  is a multiple of t as well and can never equal 1 .. t - 1: no combination of answers gives the
  exact size of a cohort under the threshold. A cell of 1 .. t - 1 records is still suppressed
  outright; 0 is published as 0.
* **Pay: record-keyed noise multiplication** (the US Census Bureau's EZS noise infusion, used for
  County Business Patterns). Each record's pay enters every published pay figure (percentiles,
  means, medians, bootstrap intervals, premiums) multiplied by a fixed factor 1 + e, where |e| is
  between :data:`NOISE_LOW` and :data:`NOISE_HIGH` with a random sign, drawn from the record's
  salted key (:func:`pay_sql`). Differencing two answers can at best give a person's *perturbed*
  pay, always at least 10% away from the true figure; over a large cell the factors average out
  (their mean is 1), so large cells stay close to the exact figures.

docs/methodology.md ("Disclosure control") states the guarantee, the parameters, the error the
method adds (``benchmarks/privacy_error.py``) and how it is tested.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

#: record keys are 31-bit integers (a cell's key sum fits any integer column)
MASK = 2**31 - 1
#: the smallest and largest relative change a record's pay gets in published pay figures
NOISE_LOW = 0.10
NOISE_HIGH = 0.15
#: a stable identity of a stored record (a view has no rowid): its dataset version and source row
RECORD_ID_SQL = "(dataset_version::BIGINT * 4294967296 + source_row)"
# DuckDB's hash() (vectorised, several times cheaper than an arithmetic hash written in SQL) of
# the record's id; tests/analytics/test_analytics_differencing.py pins sample values, so a DuckDB
# upgrade that changed it would fail the suite instead of silently re-drawing every figure
_HASH = "hash(dataset_version::BIGINT, source_row::BIGINT{extra})"


def salt_value(salt: str) -> int:
    """A salt text (the ``privacy_salt`` setting) as a 62-bit integer."""
    digest = hashlib.blake2b(salt.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 2


def record_key_sql() -> str:
    """SQL (over ``records``) for a record's key: a 31-bit integer, fixed per record.

    It is not secret; a cell's key is salted when it is turned into a rounding decision
    (:meth:`Rule.count`), so evidence saved with a model can carry key sums without the salt.
    """
    return "(" + _HASH.format(extra="") + " >> 33)"


@dataclass(frozen=True, slots=True)
class Rule:
    """The disclosure rule in force: the privacy threshold (= rounding base) and the salt."""

    threshold: int
    salt: int

    @classmethod
    def of(cls, *, threshold: int, salt: str) -> Rule:
        """The rule for a threshold and a ``privacy_salt`` text."""
        return cls(int(threshold), salt_value(salt))

    def cell_unit(self, key_sum: int) -> float:
        """A cell's key (the sum of its records' keys) as a number in [0, 1), salted."""
        data = f"{int(key_sum) & MASK}:{self.salt}".encode()
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") / 2.0**64

    def count(self, n: int, key_sum: int) -> int | None:
        """A cell of ``n`` records as published: 0 as 0, 1 .. threshold - 1 withheld (None),
        else randomly rounded to a multiple of the threshold by the cell key (see the module
        docstring)."""
        n, t = int(n), self.threshold
        if n == 0:
            return 0
        if n < t:
            return None
        r = n % t
        if r == 0:
            return n
        return n - r + t if self.cell_unit(key_sum) < r / t else n - r

    def counts(self, n: np.ndarray, key_sums: np.ndarray) -> np.ndarray:
        """:meth:`count` for arrays; withheld cells are -1."""
        return np.array(
            [
                -1 if (c := self.count(int(a), int(k))) is None else c
                for a, k in zip(n, key_sums, strict=True)
            ],
            dtype="int64",
        )

    def pay_sql(self, column: str = "annual_usd") -> str:
        """SQL (over ``records``) for the pay that published figures are computed from: the
        record's pay times its fixed factor 1 + e, NOISE_LOW <= |e| <= NOISE_HIGH (sign from the
        salted hash's lowest bit, size from its top 30 bits)."""
        h = _HASH.format(extra=f", {int(self.salt)}::BIGINT")
        span = NOISE_HIGH - NOISE_LOW
        return (
            f"({column} * (1 + (CASE WHEN {h} & 1 = 0 THEN 1 ELSE -1 END) * "
            f"({NOISE_LOW!r} + {span!r} * (({h} >> 34)::DOUBLE / {2**30}))))"
        )


__all__ = [
    "MASK",
    "NOISE_HIGH",
    "NOISE_LOW",
    "RECORD_ID_SQL",
    "Rule",
    "record_key_sql",
    "salt_value",
]
