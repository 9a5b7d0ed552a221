"""The ``payatlas`` command: a thin layer over the library (parse, call one function, render)."""

from __future__ import annotations

import typer

from payatlas.cli import analytics as analytics_cmds
from payatlas.cli import career as career_cmds
from payatlas.cli import data as data_cmds
from payatlas.cli import geo as geo_cmds
from payatlas.cli import model as model_cmds
from payatlas.cli import monitor as monitor_cmds
from payatlas.cli import postings as postings_cmds
from payatlas.cli import serve as serve_cmds
from payatlas.cli.common import run

app = typer.Typer(
    name="payatlas",
    help="PayAtlas: open compensation and market intelligence for AI/ML roles.",
    epilog="Example: payatlas estimate --role 'ML Engineer' --country US --level senior",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_cmds.register(app)
model_cmds.register(app)
monitor_cmds.register(app)
analytics_cmds.register(app)
career_cmds.register(app)
postings_cmds.register(app)
serve_cmds.register(app)
geo_cmds.register(app)


def main() -> None:
    """Console-script entry point."""
    run(app)


__all__ = ["app", "main"]
