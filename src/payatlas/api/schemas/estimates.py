"""Estimate, batch and offer-check requests (the profile is :class:`payatlas.schema.Profile`);
the answers are the library's :class:`~payatlas.model.estimate.Estimate` and
:class:`~payatlas.model.offer.OfferCheck` (the batch rows, still a frame, are described here)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from payatlas.api.schemas.common import JSON_INT
from payatlas.model.estimate import WITHHELD
from payatlas.schema import OfferIn as SharedOfferIn
from payatlas.schema import Profile


class ProfileIn(Profile):
    """A profile sent as JSON: types as the schema says (``"remote": false`` or ``"50"`` is
    not an integer), so the API accepts exactly what its OpenAPI schema describes."""

    model_config = ConfigDict(strict=True)

    remote: Annotated[int, Field(strict=False, ge=0, le=100), JSON_INT] = Field(
        default=0, description="Remote share, 0-100."
    )
    year: Annotated[int, Field(strict=False, ge=2015, le=2100), JSON_INT] | None = Field(
        default=None, description="Pay year."
    )


class BatchIn(BaseModel):
    """Many profiles at once (same field names as a single estimate)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"profiles": [
                    {"role": "ML Engineer", "country": "US", "level": "senior"},
                    {"role": "Data Scientist", "country": "Germany", "level": "mid"},
                ]}
            ]
        },
    )  # fmt: skip

    profiles: list[ProfileIn] = Field(min_length=1, max_length=10_000)


class BatchRowOut(BaseModel):
    """One input profile with its range (empty figures when it could not be resolved)."""

    model_config = ConfigDict(extra="allow")

    role: str
    country: str
    p10_usd: float | None
    p25_usd: float | None
    p50_usd: float | None
    p75_usd: float | None
    p90_usd: float | None
    n_comparable: int | None = Field(
        description="As in a single estimate. " + WITHHELD + " Also null for an unresolved row."
    )
    n_comparable_note: str | None = Field(
        default=None, description="Why ``n_comparable`` is null when it is withheld; else null."
    )
    confidence: str = Field(description="``low`` / ``medium`` / ``high``, or ``unresolved``.")
    model_version: str


class BatchOut(BaseModel):
    """One row per input profile, same order; ``errors`` maps row positions to reasons."""

    model_version: str | None
    rows: list[BatchRowOut]
    errors: dict[str, str]


class OfferIn(ProfileIn, SharedOfferIn):
    """A profile plus an annual offer, sent as JSON (types as the schema says)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"role": "ML Engineer", "country": "US", "level": "senior",
                 "amount": 185000, "currency": "USD"}
            ]
        },
    )  # fmt: skip
