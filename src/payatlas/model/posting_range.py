"""The job postings' advertised range beside an estimate: the result type (built by
:mod:`payatlas.model.posting_evidence`; kept apart so an estimate's types need no DuckDB)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from payatlas.output import Output

LABEL = "job postings (advertised pay)"
BASIS = "advertised annual pay in job postings (USD; hourly pay x 2,080), not what people earn"


@dataclass(frozen=True, slots=True)
class PostingEvidence(Output):
    """Job postings (advertised pay) matching an estimate: P10-P90 and the count."""

    family: str
    level: str
    seniority: Annotated[str, Field(description="Which title seniority words count as the level.")]
    scope: Annotated[str, Field(description="metro, state or country.")]
    area: Annotated[str, Field(description="The CBSA code, state code or country code.")]
    area_name: str
    n: Annotated[
        int | None, Field(description="Matching postings; null under the privacy threshold.")
    ]
    n_note: str | None
    p10: float | None = None
    p25: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    posted_from: str | None = None
    posted_to: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    label: str = LABEL
    basis: str = BASIS
    in_model: Annotated[bool, Field(description="Postings do not enter the survey model.")] = False


__all__ = ["BASIS", "LABEL", "PostingEvidence"]
