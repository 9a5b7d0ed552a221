"""Rendering of analytics results: ``--json`` / ``--csv`` output and the table cell formats."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import pandas as pd
import typer

from payatlas.analytics.privacy import Basis
from payatlas.cli.common import print_json
from payatlas.errors import InvalidInput
from payatlas.normalize.csvsafe import neutralise_frame

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV rows instead of tables.")]


def emit(result: Any, as_json: bool, as_csv: bool, frame: pd.DataFrame | None = None) -> bool:
    """JSON or CSV output; False when the caller should print tables."""
    if as_json and as_csv:
        raise InvalidInput("choose one of --json and --csv", field="output")
    if as_json:
        print_json(result.as_dict())
        return True
    if as_csv:
        table = frame if frame is not None else result.to_frame()
        neutralise_frame(table).to_csv(sys.stdout, index=False)
        return True
    return False


def money(v: Any) -> str:
    """Whole US dollars, e.g. '$123,456' (empty when missing)."""
    return "" if v is None or pd.isna(v) else f"${v:,.0f}"


def short(v: float) -> str:
    """1,234,567 -> '1.23M', 515,524 -> '515.5k' (tables only)."""
    return f"{v / 1e6:,.2f}M" if abs(v) >= 1e6 else f"{v / 1e3:,.1f}k"


def thousands(v: Any) -> str:
    """Compact USD for wide tables (exact figures are in --json / --csv)."""
    return "" if v is None or pd.isna(v) else f"{v / 1000:,.1f}k"


def pct(v: Any) -> str:
    """A signed percentage, e.g. '+12.3%' (empty when missing)."""
    return "" if v is None or pd.isna(v) else f"{v:+.1f}%"


def caption(basis: Basis) -> str:
    """What a table is computed from."""
    return f"From {basis.describe()}; pay is {basis.pay}."
