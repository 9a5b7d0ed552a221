"""In-process caches of premium views: bounded (least recently used), thread-safe, and keyed by
everything a view depends on, so nothing stale is ever served.

A premium is a deterministic function of the records it reads (the store and the dataset
version; versions are append-only, so a version's rows never change), the slice, the premium's
definition, the settings it reads (seed, privacy threshold) and, for the model view, the champion
model. Each of those is part of the key: a new ingest (a new latest version) or a new champion
gives new keys, and old entries age out of the bounded cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from payatlas.analytics.premium_specs import PremiumSpec
from payatlas.store import Store

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """How a cache has done so far."""

    hits: int
    misses: int
    size: int
    maxsize: int


class LruCache(Generic[V]):
    """A bounded, thread-safe map from keys to computed values (least recently used goes first).

    :meth:`get_or_compute` computes a missing value once even when several threads ask for it
    at the same time (the others wait for it); the cache's own lock is never held while
    computing, so different keys are computed in parallel.
    """

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Lock] = {}
        self._hits = 0
        self._misses = 0

    def _lookup(self, key: Hashable) -> tuple[V] | None:
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            self._hits += 1
            return (self._data[key],)

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], V], *, keep: Callable[[V], bool] | None = None
    ) -> V:
        """The cached value for ``key``, or ``compute()`` -- stored under it unless ``keep``
        says the value does not belong to the key (then it is returned, not stored)."""
        hit = self._lookup(key)
        if hit is not None:
            return hit[0]
        with self._lock:
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            hit = self._lookup(key)  # computed by another thread meanwhile
            if hit is not None:
                return hit[0]
            try:
                computed = compute()
                with self._lock:
                    self._misses += 1
                    if keep is None or keep(computed):
                        self._data[key] = computed
                        self._data.move_to_end(key)
                        while len(self._data) > self.maxsize:
                            self._data.popitem(last=False)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return computed

    def clear(self) -> None:
        """Forget every entry (and the counts)."""
        with self._lock:
            self._data.clear()
            self._hits = self._misses = 0

    def info(self) -> CacheInfo:
        """Hits, misses, current and maximum size."""
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._data), self.maxsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


#: matched-cohort premiums: (data, spec, slice, settings) -> PremiumView
MATCHED_CACHE: LruCache[Any] = LruCache(256)
#: model-adjusted premiums: (data, champion, specs, slice, settings) -> ({key: PremiumView},
#: the model version that computed them)
MODEL_CACHE: LruCache[tuple[dict[str, Any], str | None]] = LruCache(64)
#: bootstrapped medians of the "reports vs data" comparisons: (data, filter SQL and parameters,
#: settings, purpose) -> (Interval, record count)
MEDIAN_CACHE: LruCache[Any] = LruCache(64)


def clear_premium_caches() -> None:
    """Empty the premium caches and the median cache (benchmarks measure cold calls with it)."""
    MATCHED_CACHE.clear()
    MODEL_CACHE.clear()
    MEDIAN_CACHE.clear()


def data_key(store: Store, version: int) -> tuple[Any, ...]:
    """What identifies the records of ``version`` in ``store``: the store file and the
    fingerprint of every ingest up to it (time, file checksum, accepted rows), so a store rebuilt
    at the same path, an in-memory store, or a store where an earlier version was dropped
    (``payatlas data drop``) never shares keys with another."""
    where = store.path if store.path != ":memory:" else f":memory:{id(store.con)}"
    return (where, version, store.fingerprint(version))


def spec_key(spec: PremiumSpec) -> tuple[Any, ...]:
    """A premium definition as a hashable key (every field: dynamic specs reuse ``key``)."""
    change = tuple(sorted((k, tuple(v)) for k, v in spec.model_change.items()))
    return (spec.key, spec.side_a, spec.side_b, tuple(spec.cells), spec.varies, change)
