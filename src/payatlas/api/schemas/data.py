"""Dataset versions and ingest reports."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
    accepted: int = Field(
        description="Rows accepted (flagged ones included): survey records, or job postings "
        "for a version of kind job_posting."
    )
    flagged: int
    rejected: int
    kind: str = Field(
        default="survey_submission", description="survey_submission or job_posting (#12)."
    )
    credit: str | None = Field(default=None, description="The source's credit line, if any.")


class DataVersionsOut(BaseModel):
    """Every dataset version, oldest first, and the survey-record count of the latest."""

    latest: int | None = Field(
        description="The newest dataset version of survey records (job-posting versions share "
        "the numbering but are not survey records)."
    )
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


class DropReportOut(BaseModel):
    """What dropping a dataset version removed, and the models it made stale."""

    version: int
    kind: str = Field(description="survey_submission or job_posting.")
    source: str
    source_file: str
    file_sha256: str
    records: int = Field(description="Survey records removed.")
    rejects: int = Field(description="Rejected rows removed.")
    postings: int = Field(description="Job postings removed.")
    posting_skills: int = Field(description="Posting x skill rows removed.")
    stale_models: list[str] = Field(
        description="Models trained on the dropped rows (stale now), newest first."
    )
    champion_stale: bool
    advice: str | None = Field(description="What to do when the champion is stale.")
