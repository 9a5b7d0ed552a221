"""Single estimates from memory when asked again.

An estimate is a function of the profile, the options asked for, the champion model and the
settings it reads: nothing else (no store, no clock). A bounded, thread-safe LRU map keyed on
exactly those answers a repeated request with the JSON-ready result computed the first time;
a promotion changes the champion id and so the key, an adaptation of its ranges on ingest the
adaptation's stamp, and nothing stale is served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from payatlas.model.estimate import estimate
from payatlas.model.tracking import serving_key
from payatlas.schema import Profile
from payatlas.settings import Settings

MAXSIZE = 4096
_lock = threading.Lock()
_results: OrderedDict[tuple[str, ...], dict[str, Any]] = OrderedDict()


def _key(profile: Profile, settings: Settings, reasons: bool) -> tuple[str, ...]:
    return (
        profile.model_dump_json(),
        str(reasons),
        str(settings.model_dir),
        serving_key(settings),  # the champion and its range adaptations (one stat)
        _settings_key(settings),
    )


_settings_keys: dict[int, tuple[Settings, str]] = {}


def _settings_key(settings: Settings) -> str:
    """The settings as text, computed once per settings object (a server has one)."""
    held = _settings_keys.get(id(settings))
    if held is None or held[0] is not settings:
        held = (settings, settings.model_dump_json())
        if len(_settings_keys) > 64:
            _settings_keys.clear()
        _settings_keys[id(settings)] = held
    return held[1]


def cached_estimate(
    profile: Profile, *, settings: Settings, reasons: bool = True
) -> dict[str, Any] | None:
    """The remembered result of this request, or None (cheap: no model work)."""
    key = _key(profile, settings, reasons)
    with _lock:
        hit = _results.get(key)
        if hit is not None:
            _results.move_to_end(key)
        return hit


def estimate_dict(profile: Profile, *, settings: Settings, reasons: bool = True) -> dict[str, Any]:
    """``estimate(profile, ...).as_dict()``, from memory for a request seen before (the
    returned dict is shared: do not change it)."""
    hit = cached_estimate(profile, settings=settings, reasons=reasons)
    if hit is not None:
        return hit
    key = _key(profile, settings, reasons)
    out = estimate(profile, settings=settings, reasons=reasons).as_dict()
    with _lock:
        _results[key] = out
        while len(_results) > MAXSIZE:
            _results.popitem(last=False)
    return out


def clear() -> None:
    """Forget every cached estimate."""
    with _lock:
        _results.clear()
