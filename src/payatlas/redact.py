"""Server file-system paths out of messages shown to clients (API answers, dashboard pages).

A path inside ``PAYATLAS_HOME`` becomes relative to it (``rejects/v2.csv``); a path under the
temp directory, the user's home directory, the Python prefix or the installed package becomes
its file name alone. What a client sent is never a server path, so nothing useful is lost.
"""

from __future__ import annotations

import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

_TAIL = r"(?:[/\\][^\s'\"<>,;|)]*)?"


@lru_cache(maxsize=8)
def _pattern(home: str | None) -> tuple[re.Pattern[str], frozenset[str]]:
    package = Path(__file__).resolve().parent
    roots = {tempfile.gettempdir(), str(Path.home()), sys.prefix, str(package.parent)}
    homes = set()
    if home:
        homes = {home, str(Path(home).resolve())}
    for root in list(roots):
        roots.add(str(Path(root).resolve()))
    every = sorted(
        {r.rstrip("/\\") for r in roots | homes if len(r.rstrip("/\\")) > 1}, key=len, reverse=True
    )
    alternatives = "|".join(re.escape(r) for r in every)
    return re.compile(f"(?:{alternatives}){_TAIL}"), frozenset(h.rstrip("/\\") for h in homes)


def redact_paths(text: str, *, home: Path | str | None = None) -> str:
    """``text`` with every server path replaced (see the module docstring)."""
    pattern, homes = _pattern(str(home) if home is not None else None)

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        for root in homes:
            if found == root or found.startswith((root + "/", root + "\\")):
                inside = found[len(root) :].lstrip("/\\")
                return inside or "PAYATLAS_HOME"
        name = re.split(r"[/\\]", found.rstrip("/\\"))[-1]
        return name or "(server path)"

    return pattern.sub(replace, text)
