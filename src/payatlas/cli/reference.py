"""Generate the CLI reference (docs/cli.md) from the commands' own --help texts.

    python -m payatlas.cli.reference > docs/cli.md

A test fails when docs/cli.md differs from what this prints, so the reference cannot rot.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner


def command_paths() -> list[list[str]]:
    """Every leaf command of the ``payatlas`` CLI, as argument lists (e.g. ``["data", "show"]``)."""
    from payatlas.cli import app

    root = typer.main.get_command(app)
    out: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name in sorted(subs):
                walk(subs[name], [*path, name])
        else:
            out.append(path)

    walk(root, [])
    return out


def render() -> str:
    """The whole reference as Markdown."""
    from payatlas.cli import app

    runner = CliRunner()
    parts = [
        "# CLI reference",
        "",
        "Generated from each command's `--help` by `python -m payatlas.cli.reference`; "
        "a test checks it is current.",
        "",
    ]
    for path in [[], *command_paths()]:
        result = runner.invoke(
            app,
            [*path, "--help"],
            prog_name="payatlas",
            env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
        )
        text = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
        parts += [f"## {' '.join(['payatlas', *path])}", "", "```", text, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
