"""The default analytics outputs of the bundled store, as JSON, for the snapshot test. Its
fixture was written by ``python tests/support/payatlas_snapshot.py STORE`` (redirected to
``tests/fixtures/bundled_default_outputs.json``) before the source and kind filters (#10)."""

from __future__ import annotations

import json
import sys
from typing import Any

from payatlas.analytics import Slice, benchmark, premiums, trend
from payatlas.settings import Settings
from payatlas.store import Store


def default_outputs(store: Store, settings: Settings) -> dict[str, Any]:
    """benchmark (overall, by role family, by country x level), trend, raw premiums."""
    return {
        "benchmark": benchmark(store, settings=settings).as_dict(),
        "benchmark_by_family": benchmark(store, by=["role_family"], settings=settings).as_dict(),
        "benchmark_us_by_level": benchmark(
            store, slice=Slice(country="US"), by=["level"], settings=settings
        ).as_dict(),
        "trend": trend(store, settings=settings, submissions=False).as_dict(),
        "trend_ds_us": trend(
            store, slice=Slice(role="data_scientist", country="US"), settings=settings,
            submissions=False,
        ).as_dict(),
        "premiums": premiums(store, settings=settings, model=False).as_dict(),
    }  # fmt: skip


def canonical(data: Any) -> Any:
    """Floats rounded to 6 significant places (the JSON round trip is then exact)."""
    if isinstance(data, float):
        return float(f"{data:.6g}")
    if isinstance(data, dict):
        return {k: canonical(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [canonical(v) for v in data]
    return data


if __name__ == "__main__":
    with Store(sys.argv[1], read_only=True) as s:
        out = canonical(default_outputs(s, Settings()))
    print(json.dumps(out, indent=1, sort_keys=True, default=str))
