"""``payatlas serve``: the API and dashboard on the embedded store (initialised when empty)."""

from __future__ import annotations

import importlib.util
import ipaddress
from typing import Annotated, Literal

import typer

from payatlas.cli.common import console, progress_steps
from payatlas.errors import UnsafeSettings
from payatlas.home import init_home
from payatlas.settings import KEY_HINT, Settings, get_settings
from payatlas.store import Store


def register(app: typer.Typer) -> None:
    """Attach ``serve`` to the main app."""
    app.command("serve")(serve_cmd)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    insecure_dev: Annotated[
        bool,
        typer.Option(
            "--insecure-dev",
            help="Serve on a non-loopback address even with a placeholder or weak API key.",
        ),
    ] = False,
) -> None:
    """Start the API (/v1, docs at /docs) and the dashboard; an empty home is set up first.

    Example: PAYATLAS_API_KEY=... payatlas serve --host 0.0.0.0 --port 8000
    """
    settings = get_settings()
    check_exposure(host, settings, insecure_dev=insecure_dev)  # before anything is opened

    import uvicorn

    from payatlas.api import create_app

    store = Store.open(settings)
    try:
        with progress_steps() as step:
            result = init_home(settings, store=store, progress=step)
        if result.ingest:
            console.print(
                f"Loaded the bundled data: {result.ingest.accepted:,} survey records "
                f"(dataset version {result.dataset_version})."
            )
        console.print(
            f"Dataset version {result.dataset_version}, champion model {result.champion or '-'}."
        )
        if settings.weak_key:
            console.print(
                "[yellow]Write endpoints accept a placeholder or weak key; set "
                "PAYATLAS_API_KEY and PAYATLAS_DEV_MODE=0 before exposing this server.[/yellow]"
            )
        console.print(f"PayAtlas on http://{host}:{port}/  (API docs: /docs, home {settings.home})")
        uvicorn.run(
            create_app(settings, store=store),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            loop=fast_loop(),
            http=fast_http(),
            # longer than common client pools' idle expiry (httpx 5 s), so a pooled connection
            # is not closed by the server just as a client reuses it
            timeout_keep_alive=30,
        )
    finally:
        store.close()


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def check_exposure(host: str, settings: Settings, *, insecure_dev: bool) -> None:
    """Refuse to serve beyond this machine with a placeholder or weak API key."""
    if is_loopback(host) or insecure_dev or not settings.weak_key:
        return
    raise UnsafeSettings(
        f"refusing to serve on {host} with a placeholder or weak API key: set PAYATLAS_API_KEY "
        f"(make one with: {KEY_HINT}), or pass --insecure-dev to serve anyway"
    )


def fast_loop() -> Literal["uvloop", "asyncio"]:
    """uvloop when installed (uvicorn's fast event loop)."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def fast_http() -> Literal["httptools", "h11"]:
    """httptools when installed (uvicorn's fast HTTP parser)."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"
