"""The dashboard: Jinja2 pages rendered by the API app, charts drawn with Plotly."""

from payatlas.web.assets import install

__all__ = ["install"]
