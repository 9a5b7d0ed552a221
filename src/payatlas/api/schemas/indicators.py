"""Published indicators (with citations) and the reports-vs-data comparisons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IndicatorsQuery(BaseModel):
    """Filter the published indicators."""

    model_config = ConfigDict(extra="forbid")

    indicator: str | None = Field(default=None, max_length=100, description="Name contains.")
    region: str | None = Field(default=None, max_length=100, description="Region contains.")
    search: str | None = Field(
        default=None, max_length=100, description="Free text.", examples=["India"]
    )
    compare: bool = Field(default=True, description="Add the reports-vs-data comparisons.")


class IndicatorOut(BaseModel):
    """A published figure and where it was published."""

    indicator: str
    segment: str | None
    region: str | None
    period: str | None
    value_low: float | None
    value_high: float | None
    unit: str | None
    cited_source: str | None
    published_in: str | None
    citation: str


class IndicatorListOut(BaseModel):
    """Published indicators matching a filter."""

    kind: str
    filters: dict[str, str]
    note: str
    indicators: list[IndicatorOut]


class MeasuredOut(BaseModel):
    """The PayAtlas measurement of a reported quantity."""

    model_config = ConfigDict(extra="allow")

    value: float | None
    low: float | None
    high: float | None
    unit: str
    n: int | None
    note: str | None
    what: str
    data_period: str
    interval: str
    source: str = Field(
        default="survey records", description="survey records, or job postings (demand rows)"
    )


class ComparisonOut(BaseModel):
    """Reports vs data, with the citation and how the definitions differ."""

    reported: IndicatorOut
    payatlas: MeasuredOut
    caveat: str
    text: str


class ComparisonsOut(BaseModel):
    """Every comparison PayAtlas can make on the current dataset."""

    kind: str
    dataset_version: int
    unit: str
    comparisons: list[ComparisonOut]


class IndicatorsOut(BaseModel):
    """Published indicators (with citations) and, on request, the reports-vs-data view."""

    indicators: IndicatorListOut
    comparisons: ComparisonsOut | None
