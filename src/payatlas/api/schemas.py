"""Request and response models, one per purpose. Public outputs never carry individual records.

Library results are rendered from their ``as_dict()``; these models describe that JSON (for the
OpenAPI schema and integrators) without re-computing anything.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """A response model that tolerates extra keys the library may add later."""

    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    """An error that is not about one input field (auth, size, state)."""

    detail: str = Field(description="What went wrong, in one sentence.")
    error: str | None = Field(default=None, description="The PayAtlas error type.")


class HealthOut(BaseModel):
    """Liveness plus what the server is serving."""

    status: str = Field(description="'ok' when the store is open.")
    version: str = Field(description="PayAtlas version.")
    dataset_version: int | None = Field(description="Latest dataset version (None: empty).")
    champion: str | None = Field(default=None, description="Champion model id, if any.")


class DatasetVersionOut(BaseModel):
    """One ingest (a dataset version = every ingest up to it)."""

    version: int
    created_at: str
    source: str
    source_file: str
    file_sha256: str
    file_format: str
    adapter: str
    rows_read: int
    accepted: int = Field(description="Survey records accepted (flagged ones included).")
    flagged: int
    rejected: int


class DataVersionsOut(BaseModel):
    """Every dataset version, oldest first, and the survey-record count of the latest."""

    latest: int | None
    records: int = Field(description="Survey records in the latest dataset version.")
    versions: list[DatasetVersionOut]


class IngestReportOut(BaseModel):
    """What an ingest read, kept, flagged and rejected (and why)."""

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
    by_role_family: dict[str, int]
    flags: dict[str, int]
    rejected_by_reason: dict[str, int]
    seconds: float
    rejects_file: str | None
    other_share: float


def plain(obj: Any) -> Any:
    """A library result as JSON-ready data (its ``as_dict()`` when it has one)."""
    as_dict = getattr(obj, "as_dict", None)
    return as_dict() if callable(as_dict) else obj
