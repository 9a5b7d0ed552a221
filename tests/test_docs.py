"""Docs that cannot rot: the CLI reference is regenerated and compared; every setting, command
and example in the docs exists."""

from __future__ import annotations

import re
from pathlib import Path

from payatlas.cli.reference import command_paths, render
from payatlas.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is stale: python -m payatlas.cli.reference > docs/cli.md"
    )


def test_every_command_has_help_text() -> None:
    text = render()
    for path in command_paths():
        section = text.split(f"## payatlas {' '.join(path)}\n", 1)[1].split("\n## ", 1)[0]
        usage_and_help = [line for line in section.splitlines() if line.strip(" │`")]
        assert len(usage_and_help) > 3, f"payatlas {' '.join(path)} has no help text"


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"PAYATLAS_{name.upper()}" in readme, f"PAYATLAS_{name.upper()} not in README"


def test_readme_quickstart_has_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.split(r"^## ", readme.split("## Quickstart", 1)[1], flags=re.M)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert len(commands) == 2
    for command in commands:
        script = command.split("#", 1)[0].split()[1]
        assert (ROOT / script).is_file(), script
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].split("#", 1)[0].strip() in ci


def test_docs_link_to_existing_files() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).is_file(), f"{doc.name} links to missing {target}"


def test_public_api_names_resolve() -> None:
    import payatlas

    for name in payatlas.__all__:
        assert getattr(payatlas, name) is not None, name
