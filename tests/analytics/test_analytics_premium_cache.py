"""The in-process premium caches: cached views equal uncached ones, a new data version or a new
champion gives a new key (so nothing stale is served), the cache is bounded and thread-safe."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from payatlas_rows import write_rows

from payatlas.analytics import Slice, premiums
from payatlas.analytics.modelview import _model_premiums, model_premiums, slice_profiles
from payatlas.analytics.premium_specs import SPEC_BY_KEY
from payatlas.analytics.premiums import _matched_premium, matched_premium
from payatlas.analytics.premiums_cache import (
    MATCHED_CACHE,
    MODEL_CACHE,
    LruCache,
    clear_premium_caches,
    data_key,
)
from payatlas.ingest import ingest
from payatlas.settings import Settings
from payatlas.store import Store

MAPPING = """
[source]
name = "cache-test"

[columns]
title = "title"
pay = "pay"
country = "country"
level = "level"
year = "year"
remote = "remote"

[defaults]
currency = "USD"
period = "year"
employment_type = "FT"
company_size = "L"
"""


# -- the cache itself -------------------------------------------------------------------------


def test_lru_keeps_the_most_recently_used() -> None:
    cache: LruCache[int] = LruCache(2)
    calls: list[str] = []

    def make(key: str, value: int) -> int:
        calls.append(key)
        return value

    assert cache.get_or_compute("a", lambda: make("a", 1)) == 1
    assert cache.get_or_compute("b", lambda: make("b", 2)) == 2
    assert cache.get_or_compute("a", lambda: make("a", 10)) == 1  # hit; "a" is now newest
    assert cache.get_or_compute("c", lambda: make("c", 3)) == 3  # evicts "b", not "a"
    assert len(cache) == 2
    assert cache.get_or_compute("a", lambda: make("a", 11)) == 1
    assert cache.get_or_compute("b", lambda: make("b", 20)) == 20  # recomputed
    assert calls == ["a", "b", "c", "b"]
    info = cache.info()
    assert (info.hits, info.misses, info.size, info.maxsize) == (2, 4, 2, 2)


def test_lru_computes_a_key_once_under_concurrency() -> None:
    cache: LruCache[int] = LruCache(8)
    calls = 0
    lock = threading.Lock()

    def slow() -> int:
        nonlocal calls
        with lock:
            calls += 1
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("k", slow)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and calls == 1


def test_lru_keeps_only_what_belongs_and_survives_errors() -> None:
    cache: LruCache[int] = LruCache(4)
    assert cache.get_or_compute("x", lambda: 1, keep=lambda v: v > 1) == 1
    assert len(cache) == 0  # refused by ``keep``: returned, not stored

    def boom() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get_or_compute("y", boom)
    assert cache.get_or_compute("y", lambda: 5) == 5  # a failure leaves no entry behind
    with pytest.raises(ValueError):
        LruCache(0)


# -- cached equals uncached -------------------------------------------------------------------


def test_cached_matched_premiums_equal_uncached(bundled_store: Store, home: Settings) -> None:
    clear_premium_caches()
    which = ["remote", "level_senior_vs_mid"]
    sl = Slice(role="Data Scientist")
    first = premiums(bundled_store, slice=sl, which=which, settings=home, model=False)
    misses = MATCHED_CACHE.info().misses
    again = premiums(bundled_store, slice=sl, which=which, settings=home, model=False)
    assert MATCHED_CACHE.info().misses == misses  # served from the cache
    assert again.as_dict() == first.as_dict()
    for i, key in enumerate(which):
        direct = _matched_premium(bundled_store, SPEC_BY_KEY[key], sl, 1, home, i)
        assert first.get(key).cohort == direct
        assert first.get(key).cohort.premium.value is not None


def test_cached_model_view_equals_uncached(champion_home: Path) -> None:
    settings = Settings(home=champion_home)
    specs = [SPEC_BY_KEY["ai_ml"], SPEC_BY_KEY["size_L_vs_M"]]
    with Store(champion_home / "payatlas.duckdb", read_only=True) as store:
        clear_premium_caches()
        cold = model_premiums(store, specs, Slice(), 1, settings)
        warm = model_premiums(store, specs, Slice(), 1, settings)
        direct, version = _model_premiums(store, specs, Slice(), 1, settings)
    assert MODEL_CACHE.info().hits == 1 and MODEL_CACHE.info().size == 1
    assert cold == warm  # the cached object itself
    # a recomputation has been seen to differ in the last bits of a float (about 1e-14
    # relative, in the ai_ml view; source not pinned down); what is published (figures
    # rounded to 0.01) is the same
    assert {k: v.as_dict() for k, v in cold.items()} == {k: v.as_dict() for k, v in direct.items()}
    assert version and all(v.premium.note == f"model {version}" for v in cold.values())
    assert all(v.premium.value is not None for v in cold.values())


def test_model_view_profiles_come_in_one_total_order(bundled_store: Store) -> None:
    """Ties in the profile mix are broken by every column: the same mix (and bootstrap) on
    every run."""
    df = slice_profiles(bundled_store, Slice(country="US"), 1, skip="remote")
    order = ["role", "level", "country", "remote", "company_size", "employment_type", "year"]
    df = df.assign(nw=-df["w"])
    assert not df.duplicated(order).any()
    expected = df.sort_values(["nw", *order], kind="stable").reset_index(drop=True)
    assert df.reset_index(drop=True).equals(expected)


# -- the key follows the data and the champion ----------------------------------------------


def _write_rows(path: Path, n: int) -> None:
    row = {"title": "Data Scientist", "country": "US", "level": "senior", "year": 2024}
    write_rows(path, [{**row, "pay": 300_000 + 500 * i, "remote": 100} for i in range(n)])


def test_a_new_data_version_is_a_new_key(bundled_db: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    path = tmp_path / "copy.duckdb"
    shutil.copy(bundled_db, path)
    data, mapping = tmp_path / "more.csv", tmp_path / "more.toml"
    _write_rows(data, 600)
    mapping.write_text(MAPPING)
    spec, sl = SPEC_BY_KEY["remote"], Slice(role="Data Scientist")
    with Store(path) as store:
        before = premiums(store, slice=sl, which=["remote"], settings=settings, model=False)
        key_v1 = data_key(store, 1)
        assert matched_premium(store, spec, sl, 1, settings) == before.get("remote").cohort
        ingest(data, store=store, mapping=mapping)
        assert store.latest_version() == 2 and data_key(store, 2) != key_v1
        after = premiums(store, slice=sl, which=["remote"], settings=settings, model=False)
        assert after.basis.dataset_version == 2
        now, then = after.get("remote").cohort, before.get("remote").cohort
        assert now == _matched_premium(store, spec, sl, 2, settings, 0)
        assert now.n_a is not None and then.n_a is not None
        assert abs(now.n_a - (then.n_a + 600)) <= 5  # published counts: rounded to base 5
        assert now.premium.value != then.premium.value
        # version 1 is still there, unchanged, and still cached
        assert matched_premium(store, spec, sl, 1, settings) == then


def test_a_store_rebuilt_at_the_same_path_is_a_new_key(tmp_path: Path) -> None:
    data, mapping = tmp_path / "more.csv", tmp_path / "more.toml"
    _write_rows(data, 40)
    mapping.write_text(MAPPING)
    path = tmp_path / "s.duckdb"
    keys = []
    for _ in range(2):
        path.unlink(missing_ok=True)
        with Store(path) as store:
            ingest(data, store=store, mapping=mapping)
            keys.append(data_key(store, 1))
    assert keys[0][:2] == keys[1][:2] and keys[0] != keys[1]


def test_a_new_champion_is_a_new_key(
    champion_home: Path, bundled_store: Store, tmp_path: Path
) -> None:
    from payatlas.model import champion_id, promote

    settings = Settings(home=tmp_path / "home")
    shutil.copytree(champion_home / "models", settings.model_dir)
    first = champion_id(settings)
    assert first
    specs = [SPEC_BY_KEY["level_senior_vs_mid"]]
    before = model_premiums(bundled_store, specs, Slice(), 1, settings)
    assert before["level_senior_vs_mid"].premium.note == f"model {first}"
    # a second model (a copy under another id) becomes the champion
    second = f"{first}-copy"
    shutil.copytree(settings.model_dir / first, settings.model_dir / second)
    meta_path = settings.model_dir / second / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["model_id"] = second
    meta_path.write_text(json.dumps(meta))
    promote(second, settings, force=True, store=bundled_store)
    assert champion_id(settings) == second
    after = model_premiums(bundled_store, specs, Slice(), 1, settings)
    view = after["level_senior_vs_mid"].premium
    assert view.note == f"model {second}"  # not the old champion's cached view
    assert view.value == before["level_senior_vs_mid"].premium.value  # the same booster
