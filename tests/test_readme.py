"""The README's examples work as written: every ```python block is executed (in a fresh
interpreter, a temp PAYATLAS_HOME, the repository root as working directory) and every ```bash
command is checked: the safe ones run, the others must at least exist (`--help`, the script)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXE = Path(sys.executable).with_name("payatlas")
#: commands too heavy for a unit test (they load 51k rows and train a model): checked by --help
HEAVY = {("init",), ("serve",)}


def blocks(lang: str) -> list[str]:
    """The code blocks of one language in the README."""
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.M | re.S)


def commands() -> list[list[str]]:
    """Every command line of the README's bash blocks, without comments."""
    out = []
    for block in blocks("bash"):
        for line in block.splitlines():
            text = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()
            if text and not text.startswith("#"):
                out.append(shlex.split(text))
    return out


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYATLAS_")}
    env["PAYATLAS_HOME"] = str(home)
    return env


def test_readme_has_examples() -> None:
    assert blocks("python"), "README lost its library example"
    assert any(c[0] == "payatlas" for c in commands())


@pytest.mark.parametrize("code", blocks("python"))
def test_python_snippet_runs(code: str, tmp_path: Path) -> None:
    # run the snippet, then call payatlas.ingest again in the same interpreter (#15: the
    # second call used to find the subpackage, "module object is not callable")
    again = (
        "\nimport payatlas.ingest\n"
        "second = payatlas.ingest('docs/examples/acme_survey.csv', store=store, "
        "mapping='docs/examples/acme_mapping.toml', allow_same_file=True)\n"
        "print('SECOND', second.dataset_version, second.accepted)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code + again],
        cwd=ROOT,
        env=env_for(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "SECOND 2 9" in result.stdout


def test_payatlas_ingest_stays_callable_whatever_was_imported(tmp_path: Path) -> None:
    code = """
import payatlas
from payatlas.ingest import ingest, load_mapping      # the subpackage, by name
import payatlas.ingest.readers, payatlas.model        # more submodules
store = payatlas.Store.open()
for n in range(3):
    r = payatlas.ingest('docs/examples/acme_survey.csv', store=store,
                        mapping=load_mapping('docs/examples/acme_mapping.toml'),
                        allow_same_file=True)
    print(r.dataset_version, end=' ')
print(payatlas.ingest is ingest, callable(payatlas.ingest))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env_for(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "2", "3", "True", "True"]


def test_bash_commands_exist_and_safe_ones_run(tmp_path: Path, bundled_db: Path) -> None:
    home = tmp_path / "home"  # as `payatlas init` leaves it (bundled data; init itself: --help)
    home.mkdir()
    shutil.copyfile(bundled_db, home / "payatlas.duckdb")
    from payatlas_postings import load_slice  # tests/support: job postings, as `init` adds them

    load_slice(home / "payatlas.duckdb")
    ran = []
    exported: dict[str, str] = {}
    venv_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    for argv in commands():
        head = argv[0]
        if head == "source":  # activates the venv scripts/run.sh made
            assert argv[1] == ".venv/bin/activate"
        elif head == "export":  # evaluated by bash (in the venv) and kept for what follows
            name, _, value = argv[1].partition("=")
            shown = subprocess.run(
                ["bash", "-c", f'printf %s "{value}"'],
                env={**os.environ, "PATH": venv_path}, capture_output=True, text=True,
                timeout=60,
            )  # fmt: skip
            assert shown.returncode == 0 and shown.stdout, (argv, shown.stderr)
            exported[name] = shown.stdout
        elif head == "bash":
            script = ROOT / argv[1]
            assert script.is_file(), argv
            syntax = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
            assert syntax.returncode == 0, syntax.stderr
        elif head.endswith("python"):
            script = ROOT / argv[1]
            assert script.is_file(), argv
            compile(script.read_text(encoding="utf-8"), str(script), "exec")
        elif head == "payatlas":
            path = tuple(a for a in argv[1:3] if not a.startswith("-") and "/" not in a)
            heavy = path[:1] in HEAVY
            run_args = [*path, "--help"] if heavy else argv[1:]
            result = subprocess.run(
                [str(EXE), *run_args],
                cwd=ROOT,
                env={**env_for(home), **exported},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, (argv, result.stderr)
            assert "Traceback" not in result.stderr
            if "--json" in argv:
                json.loads(result.stdout)
            ran.append(argv[1])
        else:
            raise AssertionError(f"README command not checked: {argv}")
    assert "ingest" in ran


def test_docs_doctest_blocks_hold() -> None:
    """The docs' ```python blocks written as interactive sessions (>>>) give what they show."""
    import doctest

    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    checked = 0
    for doc in sorted((ROOT / "docs").glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for i, block in enumerate(re.findall(r"^```python\n(.*?)^```", text, flags=re.M | re.S)):
            if ">>>" not in block:
                continue
            test = parser.get_doctest(block, {}, f"{doc.name}[{i}]", str(doc), 0)
            result = runner.run(test, out=lambda _s: None)
            assert result.failed == 0, f"{doc.name} block {i}: {result.failed} example(s) fail"
            checked += result.attempted
    assert checked > 0
