"""The HTTP API (FastAPI) and the dashboard it serves: ``create_app(settings)``."""

from payatlas.api.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
