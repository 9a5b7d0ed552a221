"""``payatlas serve``: the API and dashboard on the embedded store (initialised when empty)."""

from __future__ import annotations

import importlib.util
from typing import Annotated, Literal

import typer

from payatlas.cli.common import console, progress_steps


def register(app: typer.Typer) -> None:
    """Attach ``serve`` to the main app."""
    app.command("serve", epilog="Example: payatlas serve --port 8080")(serve_cmd)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Start the API (/v1, docs at /docs) and the dashboard; an empty home is set up first."""
    import uvicorn

    from payatlas.api import create_app
    from payatlas.home import init_home
    from payatlas.settings import PLACEHOLDER_KEYS, get_settings

    settings = get_settings()
    with progress_steps() as step:
        result = init_home(settings, progress=step)
    if result.ingest:
        console.print(
            f"Loaded the bundled data: {result.ingest.accepted:,} survey records "
            f"(dataset version {result.dataset_version})."
        )
    console.print(
        f"Dataset version {result.dataset_version}, champion model {result.champion or '-'}."
    )
    if settings.dev_mode and settings.api_key in PLACEHOLDER_KEYS:
        console.print(
            "[yellow]Write endpoints accept the development key "
            f"{settings.api_key!r}; set PAYATLAS_API_KEY and PAYATLAS_DEV_MODE=0 "
            "before exposing this server.[/yellow]"
        )
    console.print(f"PayAtlas on http://{host}:{port}/  (API docs: /docs, home {settings.home})")
    uvicorn.run(
        create_app(settings),
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


def fast_loop() -> Literal["uvloop", "asyncio"]:
    """uvloop when installed (uvicorn's fast event loop)."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def fast_http() -> Literal["httptools", "h11"]:
    """httptools when installed (uvicorn's fast HTTP parser)."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"
