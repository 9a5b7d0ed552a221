"""Shared CLI plumbing: error handling, JSON/CSV output, progress, the store.

Nothing heavy is imported here or at the top of any command module (pandas, DuckDB, LightGBM,
pydantic-settings, Rich's console): ``payatlas --help`` and a typo answer at once, and each
command imports what it uses when it runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import click
import typer

from payatlas.errors import InvalidInput, PayAtlasError

#: a usage mistake (unknown command or option, bad value): Click's exception class, which Typer
#: re-exports as ``TyperException`` from 0.26 on, where it vendors Click
UsageMistake: type[click.ClickException] = getattr(typer, "TyperException", click.ClickException)

if TYPE_CHECKING:
    from rich.console import Console

    from payatlas.settings import Settings
    from payatlas.store import Store


class _LazyConsole:
    """A Rich console made on first use."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return getattr(self._console, name)


console = cast("Console", _LazyConsole(stderr=False))
err_console = cast("Console", _LazyConsole(stderr=True))


def get_settings() -> Settings:
    """The settings from the environment (pydantic-settings is imported on first use)."""
    from payatlas.settings import get_settings as settings

    return settings()


def pick(options: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The named entries of a command's options (e.g. its ``locals()``), in ``names`` order."""
    return {name: options[name] for name in names}


def error_line(exc: BaseException) -> str:
    """The one line a command-line mistake prints: what is wrong, naming the option or command,
    and where to look (``Invalid value for '--amount': ... (see `payatlas offer --help`)``)."""
    message = exc.format_message() if isinstance(exc, UsageMistake) else str(exc)
    message = " ".join(message.split())
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path} --help" if ctx is not None else "payatlas --help"
    return f"error: {message} (see `{where}`)"


def run(app: typer.Typer) -> None:
    """Run the Typer app; PayAtlas errors and usage mistakes become one line on stderr and a
    non-zero exit (2 for bad input, 1 otherwise)."""
    try:
        app(standalone_mode=False)
    except PayAtlasError as exc:
        sys.stderr.write(f"error: {' '.join(str(exc).split())}\n")
        sys.exit(2 if isinstance(exc, InvalidInput) else 1)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("aborted\n")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except UsageMistake as exc:  # usage mistakes: unknown command/option, bad value
        if type(exc).__name__ == "NoArgsIsHelpError":  # `payatlas` alone: the help
            exc.show()
            sys.exit(0)
        sys.stderr.write(error_line(exc) + "\n")
        sys.exit(getattr(exc, "exit_code", 2))


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
def open_store(*, read_only: bool = False) -> Iterator[Store]:
    """The settings' store: :func:`read_store`, or :func:`write_store` for a write."""
    with read_store() if read_only else write_store("a write") as store:
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
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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
