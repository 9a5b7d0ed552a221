"""Shared CLI plumbing: error handling, JSON/CSV output, progress, the store."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from payatlas.errors import InvalidInput, PayAtlasError
from payatlas.settings import get_settings
from payatlas.store import Store

console = Console()
err_console = Console(stderr=True)


def pick(options: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The named entries of a command's options (e.g. its ``locals()``), in ``names`` order."""
    return {name: options[name] for name in names}


def run(app: typer.Typer) -> None:
    """Run the Typer app; PayAtlas errors become one line on stderr and a non-zero exit."""
    try:
        app(standalone_mode=False)
    except PayAtlasError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2 if isinstance(exc, InvalidInput) else 1)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors etc.
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


def note(message: str) -> None:
    """Why a command waits (another process is writing the store): one line on stderr."""
    err_console.print(message, style="yellow", highlight=False, soft_wrap=True)


@contextmanager
def read_store() -> Iterator[Store]:
    """The settings' store, read-only (waits while another process writes it)."""
    from payatlas.store.access import open_reader

    with open_reader(get_settings(), note=note) as store:
        yield store


@contextmanager
def write_store(what: str) -> Iterator[Store]:
    """The settings' store, read-write, under the write lock for ``what``."""
    from payatlas.store.access import open_writer

    with open_writer(get_settings(), what, note=note) as store:
        yield store


@contextmanager
def serialised(what: str) -> Iterator[Store]:
    """A write that only reads the store (train, promote): the write lock, then a reader."""
    from payatlas.store.access import open_reader, write_lock

    settings = get_settings()
    with write_lock(settings, what, note=note), open_reader(settings, note=note) as store:
        yield store


@contextmanager
def progress_steps(enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """A Rich spinner whose text follows the library's progress callback."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _msg: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting")
        yield lambda msg: bar.update(task, description=msg)


def print_json(obj: Any) -> None:
    """One JSON object on stdout (for scripts)."""
    sys.stdout.write(json.dumps(obj, default=str, ensure_ascii=False) + "\n")
