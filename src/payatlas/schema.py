"""Input types shared by every surface. The same field names everywhere: library, CLI, API.

Output types live beside the code that produces them (estimates in ``payatlas.model``,
benchmark rows in ``payatlas.analytics``); public outputs never carry individual records.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["entry", "mid", "senior", "executive"]
CompanySize = Literal["S", "M", "L"]
EmploymentType = Literal["FT", "PT", "CT", "FL"]


class Profile(BaseModel):
    """What someone asks about: a role, where, at what level. Only ``role`` and ``country``
    are required; ``year`` defaults to the latest pay year in the data."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {"role": "ML Engineer", "country": "US", "level": "senior", "remote": 0,
                 "company_size": "M", "employment_type": "FT"}
            ]
        },
    )  # fmt: skip

    # no length or pattern rule beyond max_length: whitespace is stripped by the server's rules,
    # which a client's regex engine does not share, so a blank role or country is refused as
    # unknown (a typed content error), not by the schema
    role: str = Field(
        max_length=200,
        description="Free-text job title or role family (e.g. 'ML Engineer').",
    )
    country: str = Field(
        max_length=100,
        description="Country of work: name, ISO alpha-2/alpha-3 or alias.",
    )
    level: Level | None = Field(default=None, description="Experience level.")
    years: float | None = Field(
        default=None, ge=0, le=60, description="Years of experience (mapped to a level)."
    )
    residence: str | None = Field(
        default=None, max_length=100, description="Employee residence (default: the country)."
    )
    remote: int = Field(default=0, ge=0, le=100, description="Remote share, 0-100.")
    company_size: CompanySize | None = Field(
        default=None, description="S (<50), M (50-250), L (>250); default M."
    )
    employment_type: EmploymentType = Field(default="FT", description="FT, PT, CT or FL.")
    year: int | None = Field(default=None, ge=2015, le=2100, description="Pay year.")
    metro: str | None = Field(
        default=None,
        max_length=200,
        description="US metro ('Austin, TX', a metro title or CBSA code): the US estimate times "
        "an OEWS metro differential (single estimates, and batches with a metro column).",
    )


class OfferIn(Profile):
    """A profile plus an annual offer."""

    amount: float = Field(gt=0, lt=1e9, description="Annual gross offer.")
    currency: str = Field(default="USD", min_length=1, max_length=10, description="ISO code.")

    def profile(self) -> Profile:
        """The profile part."""
        return Profile(**self.model_dump(exclude={"amount", "currency"}))
