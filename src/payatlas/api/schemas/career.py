"""The career view: the query (closed values as enums) and what ``GET /v1/career`` returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from payatlas.api.schemas.analytics import BasisOut

#: every role-family slug (tests/api/test_api_career.py checks it against the taxonomy)
FamilySlug = Literal[
    "ml_engineer", "mlops_engineer", "ai_engineer", "prompt_engineer", "research_scientist",
    "applied_scientist", "research_engineer", "ai_product_manager", "data_scientist",
    "data_engineer", "analytics_engineer", "data_analyst", "business_intelligence",
    "data_architect", "data_operations", "software_engineer", "devops_engineer",
    "solutions_architect", "robotics_engineer", "ai_ml_manager", "data_manager",
    "engineering_manager", "manager", "product_manager", "consultant", "other",
]  # fmt: skip
Rung = Literal["junior", "mid", "senior", "staff_principal", "lead_manager", "director_head"]
Level = Literal["entry", "mid", "senior", "executive"]


class CareerQuery(BaseModel):
    """A family and a country (and optionally a dataset version)."""

    model_config = ConfigDict(extra="forbid")

    family: FamilySlug = Field(description="Role-family slug.", examples=["ml_engineer"])
    country: str = Field(
        max_length=100, description="Country of work: name or ISO code.", examples=["US"]
    )
    version: int | None = Field(default=None, ge=1, description="Dataset version (default latest).")
    moves: bool = Field(default=True, description="Also the common moves between families.")


class RungOut(BaseModel):
    """Annual USD pay of one career rung: measured, extrapolated (flagged) or unavailable."""

    rung: Rung
    label: str
    level: Level = Field(description="The survey level the rung sits in.")
    records: int | None = Field(
        description="Survey records of the rung in the family x country, rounded to a multiple "
        "of the privacy threshold (None: 1 .. threshold - 1, suppressed)."
    )
    method: Literal["measured", "extrapolated", "unavailable"]
    extrapolated: bool
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    coverage: float | None = Field(
        description="Measured rungs: the held-out share of records inside P10-P90 (nominal 0.80)."
    )
    anchor: Rung | None = Field(description="Extrapolated rungs: the rung scaled.")
    ratio: float | None = Field(description="Extrapolated rungs: rung / anchor pay ratio.")
    ratio_records: int | None = Field(description="Rung records the ratio is measured on.")
    ratio_cells: int | None = Field(description="Family cells the ratio is measured in.")
    ratio_scope: str | None = Field(description="The country, or 'all countries'.")
    note: str | None


class MoveOut(BaseModel):
    """Pay of the new family over the old, matched-cohort medians, with a 90% interval."""

    from_family: FamilySlug
    from_label: str
    to_family: FamilySlug
    to_label: str
    scope: str = Field(description="The country (matched on level) or 'all countries'.")
    difference_pct: float | None
    low_pct: float | None
    high_pct: float | None
    n_from: int | None = Field(description="Matched records of the old family (rounded).")
    n_to: int | None = Field(description="Matched records of the new family (rounded).")
    cells: int | None
    method: str
    note: str | None


class CareerOut(BaseModel):
    """Pay by career rung for a family in a country, and the common moves."""

    kind: Literal["career"]
    basis: BasisOut
    family: FamilySlug
    family_label: str
    country: str
    interval: str
    min_records: int = Field(description="Records of a rung needed for a measured figure.")
    rungs: list[RungOut]
    moves: list[MoveOut]
