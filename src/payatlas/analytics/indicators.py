"""Published market indicators (with citations), and where PayAtlas measures the same quantity,
the two side by side ("reports vs data").

The indicators ship in the package (``published_indicators.csv``) and are loaded into the
store's ``indicators`` table. They are third-party figures, quoted with their source; PayAtlas
never mixes them into its own measurements.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from payatlas.bundled import indicators_path
from payatlas.errors import InvalidInput, UnreadableFile
from payatlas.store import Store

COLUMNS = (
    "indicator",
    "segment",
    "region",
    "period",
    "value_low",
    "value_high",
    "unit",
    "cited_source",
    "published_in",
)
_CSV_TYPES = {
    "indicator": "VARCHAR",
    "segment": "VARCHAR",
    "region": "VARCHAR",
    "period": "VARCHAR",
    "value_low": "DOUBLE",
    "value_high": "DOUBLE",
    "unit": "VARCHAR",
    "cited_source": "VARCHAR",
    "published_in": "VARCHAR",
}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One published figure and where it was published."""

    indicator: str
    segment: str
    region: str
    period: str
    value_low: float
    value_high: float
    unit: str
    cited_source: str | None
    published_in: str

    @property
    def citation(self) -> str:
        """'published in X (citing Y)'."""
        cited = f", citing {self.cited_source}" if self.cited_source else ""
        return f"{self.published_in}{cited}"

    @property
    def value_text(self) -> str:
        """'56 percent' or '120-250 USD per hour'."""
        lo, hi = _fmt(self.value_low), _fmt(self.value_high)
        value = lo if self.value_low == self.value_high else f"{lo}-{hi}"
        return f"{value} {self.unit}"

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in COLUMNS}
        out["citation"] = self.citation
        return out


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class IndicatorsResult:
    """Published indicators matching a filter, each with its citation."""

    indicators: list[Indicator]
    filters: dict[str, str]
    note: str = "published figures quoted from third-party reports, not PayAtlas measurements"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "indicators",
            "filters": self.filters,
            "note": self.note,
            "indicators": [i.as_dict() for i in self.indicators],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [i.as_dict() for i in self.indicators]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows(), columns=[*COLUMNS, "citation"])


def _csv_sql(path: Path) -> str:
    types = ", ".join(f"'{k}': '{v}'" for k, v in _CSV_TYPES.items())
    return f"read_csv('{path.as_posix()}', header = true, columns = {{{types}}})"


def load_indicators(store: Store, path: Path | str | None = None) -> int:
    """Replace the store's indicators with those in ``path`` (default: the shipped CSV)."""
    src = Path(path) if path else indicators_path()
    if not src.is_file():
        raise UnreadableFile(f"no indicators file at {src}", file=str(src))
    try:
        header = src.read_text(encoding="utf-8").splitlines()[0].split(",")
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise UnreadableFile(f"cannot read indicators: {exc}", file=str(src)) from exc
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(f"indicators file lacks columns: {', '.join(missing)}", file=str(src))
    cols = ", ".join(COLUMNS)
    with store.transaction() as con:
        con.execute("DELETE FROM indicators")
        try:
            con.execute(
                f"INSERT INTO indicators SELECT {cols}, now()::TIMESTAMP FROM {_csv_sql(src)}"
            )
        except duckdb.Error as exc:
            raise UnreadableFile(f"cannot load indicators: {exc}", file=str(src)) from exc
    row = store.execute("SELECT count(*) FROM indicators").fetchone()
    return int(row[0]) if row else 0


def _source(store: Store) -> str:
    """The indicators table; loaded on first use (or read from the shipped CSV when read-only)."""
    try:
        row = store.execute("SELECT count(*) FROM indicators").fetchone()
    except duckdb.Error:  # a read-only store created before the indicators table existed
        return _csv_sql(indicators_path())
    if row and row[0]:
        return "indicators"
    try:
        load_indicators(store)
        return "indicators"
    except duckdb.Error:  # read-only store: read the shipped file directly
        return _csv_sql(indicators_path())


def indicators(
    store: Store,
    *,
    indicator: str | None = None,
    region: str | None = None,
    search: str | None = None,
) -> IndicatorsResult:
    """Published indicators, filtered by name (substring), region (substring) or free text."""
    clauses, params = ["TRUE"], []
    for column, value in (("indicator", indicator), ("region", region)):
        if value:
            clauses.append(f"{column} ILIKE ?")
            params.append(f"%{value.strip()}%")
    if search:
        clauses.append(
            "concat_ws(' ', indicator, segment, region, unit, published_in, cited_source) ILIKE ?"
        )
        params.append(f"%{search.strip()}%")
    rows = store.execute(
        f"SELECT {', '.join(COLUMNS)} FROM {_source(store)} WHERE {' AND '.join(clauses)} "
        "ORDER BY indicator, region, period, segment",
        params,
    ).fetchall()
    filters = {
        k: v for k, v in (("indicator", indicator), ("region", region), ("search", search)) if v
    }
    return IndicatorsResult([Indicator(*r) for r in rows], filters)


def find(store: Store, indicator: str, **match: str) -> list[Indicator]:
    """Indicators with exactly this name and exactly these field values."""
    return [
        i
        for i in indicators(store, indicator=indicator).indicators
        if i.indicator == indicator and all(getattr(i, k) == v for k, v in match.items())
    ]
