"""The shadow log summary (what the Monitor page and ``payatlas models`` show) is read again only
when the log changed: an appended line is seen at once, an unchanged log (same modification time
and size) is not parsed again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from payatlas.model.shadow import log_path, shadow_stats
from payatlas.settings import Settings

MODEL = "v9-shadowcache"


def _line(at: str, champion_p50: float, shadow_p50: float) -> str:
    return json.dumps(
        {
            "at": at,
            "champion": "v8-champion",
            "shadow": MODEL,
            "role_family": "ml_engineer",
            "level": "senior",
            "country": "DE",
            "champion_usd": [80_000.0, champion_p50, 140_000.0],
            "shadow_usd": [85_000.0, shadow_p50, 150_000.0],
        },
        sort_keys=True,
    )


@pytest.fixture
def log(tmp_path: Path) -> tuple[Settings, Path]:
    settings = Settings(home=tmp_path)
    path = log_path(settings, MODEL)
    path.parent.mkdir(parents=True)
    path.write_text(
        _line("2026-01-05T10:00:00+00:00", 100_000.0, 110_000.0)
        + "\n"
        + _line("2026-01-05T10:01:00+00:00", 100_000.0, 120_000.0)
        + "\n",
        encoding="utf-8",
    )
    return settings, path


def test_no_log_is_zero_requests(tmp_path: Path) -> None:
    stats = shadow_stats(Settings(home=tmp_path), "v9-never-shadowed")
    assert stats.requests == 0 and stats.median_abs_p50_log_diff is None and stats.first is None


def test_an_appended_line_is_seen(log: tuple[Settings, Path]) -> None:
    settings, path = log
    first = shadow_stats(settings, MODEL)
    assert first.requests == 2 and first.last == "2026-01-05T10:01:00+00:00"
    with path.open("a", encoding="utf-8") as out:
        out.write(_line("2026-01-05T10:02:00+00:00", 100_000.0, 90_000.0) + "\n")
    after = shadow_stats(settings, MODEL)
    assert after.requests == 3 and after.last == "2026-01-05T10:02:00+00:00"
    assert after.mean_p50_log_diff is not None and first.mean_p50_log_diff is not None
    assert after.mean_p50_log_diff < first.mean_p50_log_diff  # the new line says less


def test_an_unchanged_log_is_not_parsed_again(log: tuple[Settings, Path]) -> None:
    settings, path = log
    first = shadow_stats(settings, MODEL)
    assert shadow_stats(settings, MODEL) is first  # the same summary, not a new read
    # other text of the same size under the same modification time: the key is unchanged, so
    # the summary is still the one read before (proof that the file was not parsed again)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("120000.0", "130000.0"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert shadow_stats(settings, MODEL) is first
    # the same text under a new modification time is read again, and its new figures shown
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    again = shadow_stats(settings, MODEL)
    assert again is not first and again.requests == 2
    assert again.median_abs_p50_log_diff is not None and first.median_abs_p50_log_diff is not None
    assert again.median_abs_p50_log_diff > first.median_abs_p50_log_diff
