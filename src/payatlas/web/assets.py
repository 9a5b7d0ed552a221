"""Static assets and templates. plotly.js is served from the installed ``plotly`` package."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import plotly
from fastapi.templating import Jinja2Templates

from payatlas.normalize.countries import country_name
from payatlas.output import to_json

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["country_name"] = lambda code: country_name(str(code)) if code else code
# ``tojson`` of a library result is its one JSON form (payatlas.output), as the API answers it
templates.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": to_json}

ATTRIBUTION = "Salary data: aijobs.net salary index (CC0)"


@lru_cache(maxsize=1)
def plotly_js() -> Path:
    """The ``plotly.min.js`` bundled inside the installed plotly Python package."""
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():  # pragma: no cover - a broken plotly install
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package ({path})")
    return path
