"""The dataset versions as one answer (``GET /v1/data/versions``): every ingest and the
survey-record count of the latest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from payatlas.output import Output
from payatlas.store.duckdb_store import DatasetVersion

if TYPE_CHECKING:
    from payatlas.store.duckdb_store import Store


@dataclass(frozen=True, slots=True)
class DataVersions(Output):
    """Every dataset version, oldest first, and the survey-record count of the latest."""

    latest: Annotated[
        int | None,
        Field(
            description="The newest dataset version of survey records (job-posting versions "
            "share the numbering but are not survey records)."
        ),
    ]
    records: Annotated[int, Field(description="Survey records in the latest dataset version.")]
    versions: tuple[DatasetVersion, ...]


def data_versions(store: Store) -> DataVersions:
    """Every ingest, oldest first, with the latest survey version and its record count."""
    return DataVersions(
        latest=store.latest_version(),
        records=store.record_count(),
        versions=tuple(store.versions()),
    )


__all__ = ["DataVersions", "data_versions"]
