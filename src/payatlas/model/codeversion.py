"""The version of the model code: what a backtest's metrics are comparable under."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def code_version() -> str:
    """Package version plus a digest of the model code (changes whenever the code does)."""
    try:
        pkg = version("payatlas")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        pkg = "0+unknown"
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{pkg}+{digest.hexdigest()[:10]}"
