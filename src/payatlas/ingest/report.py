"""The ingest report: what was read, kept, flagged and rejected (and why)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, computed_field

from payatlas.output import Output


@dataclass(slots=True)
class IngestReport(Output):
    """What an ingest read, kept, flagged and rejected (and why): returned by
    :func:`payatlas.ingest`, answered by ``POST /v1/ingest``, printed by ``payatlas ingest
    --json``; ``accepted`` includes the flagged rows."""

    dataset_version: int
    source: str
    file: str
    file_sha256: str
    format: str
    adapter: str
    rows_read: int
    accepted: int
    flagged: int
    rejected: int
    by_role_family: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rejects_file: Annotated[
        str | None, Field(description="The rejected rows' file (relative to the home).")
    ] = None
    encoding: Annotated[
        str, Field(description='The text encoding the file was read in ("binary": Parquet).')
    ] = "utf-8"
    mapping_sha256: Annotated[
        str,
        Field(description="The mapping's fingerprint: with file_sha256, what a repeat matches."),
    ] = ""

    @computed_field(description="Share of accepted rows whose title mapped to no role family.")  # type: ignore[prop-decorator]
    @property
    def other_share(self) -> float:
        """Share of accepted rows whose title mapped to no role family (5 decimals)."""
        share = self.by_role_family.get("other", 0) / self.accepted if self.accepted else 0.0
        return round(share, 5)

    @property
    def accounted(self) -> bool:
        """Every row read is either accepted or rejected."""
        return self.accepted + self.rejected == self.rows_read
