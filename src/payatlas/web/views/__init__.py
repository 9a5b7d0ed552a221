"""Dashboard pages, one module per page; each registers its route on the shared router."""

from payatlas.web.views import explore, market, team
from payatlas.web.views.common import router

__all__ = ["explore", "market", "router", "team"]
