"""Dashboard pages, one module per page; each registers its route on the shared router."""

from payatlas.web.views import (
    career,
    demand,
    estimate,
    explore,
    market,
    model,
    monitor,
    places,
    team,
)
from payatlas.web.views.common import router

__all__ = [
    "career",
    "demand",
    "estimate",
    "explore",
    "market",
    "model",
    "monitor",
    "places",
    "router",
    "team",
]
