"""Sources side by side, metros and purchasing power: the JSON the library's results render to."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from payatlas.api.schemas.common import ErrorOut


class MetroOut(BaseModel):
    """A US metro (CBSA) and how the input was matched to it."""

    cbsa: str
    metro: str
    kind: str = Field(description="metropolitan or micropolitan")
    official_statistics: bool = Field(description="BLS OEWS publishes this metro.")
    matched_by: str = Field(description="code, title, nickname or city")
    input: str
    also: list[dict[str, str]] = Field(description="Other metros the input may mean.")
    note: str


class SourceRowOut(BaseModel):
    """One source's figures, labelled with the population they describe."""

    kind: str = Field(description="survey, posting, official or filing")
    source: str
    population: str = Field(description="Whose pay the figures describe, and how many.")
    year: str
    area: str = Field(description="CBSA code, or US")
    count: int | None
    count_unit: str = Field(description="records, postings, employed or filings")
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    basis: str = Field(description="The pay concept (base wage, total pay, intended wage).")
    credit: str
    note: str


class SourcesOut(BaseModel):
    """Survey, postings, OEWS and H-1B figures for one role in one US metro."""

    kind: str
    role_family: str
    role_label: str
    metro: MetroOut
    soc: dict[str, str] | None = Field(description="The SOC occupation matched (crosswalk).")
    sources: list[SourceRowOut]
    differences: list[str] = Field(description="Why the figures differ.")


class PppOut(BaseModel):
    """One pay figure at market FX, in PPP international dollars and (US metros) RPP-adjusted."""

    model_config = {"extra": "allow"}

    amount: float
    currency: str
    place: dict[str, Any]
    year: int
    usd_market: float | None
    ppp_international_dollars: float | None
    rpp_adjusted_usd: float | None
    notes: list[str]
    credits: list[str]


class CompareOut(BaseModel):
    """An offer in one place restated as the equivalent pay in another, in purchasing power."""

    model_config = {"extra": "allow"}

    origin: PppOut
    target: PppOut
    equivalent_in_target: float | None
    target_currency: str
    sentence: str


#: reads that need the official tables answer 409 when the store has none
OFFICIAL_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "The store holds no official statistics yet."},
}
