"""The layers and the no-cycles rule hold (the import-linter contracts of pyproject.toml, also
run by scripts/test.sh), and the contracts say what docs/architecture.md says."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["contracts"])


def test_the_layers_are_the_documented_ones() -> None:
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    assert layers["layers"] == [
        f"payatlas.{name}"
        for name in ("cli", "api", "web", "analytics", "model", "ingest", "store", "normalize")
    ]
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name in layers["layers"]:  # type: ignore[attr-defined]
        assert f"\n{name} " in doc, name
    assert any(c["type"] == "acyclic_siblings" for c in _contracts())


def test_import_contracts_are_kept() -> None:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": str(LINT_IMPORTS.parent)}
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout
