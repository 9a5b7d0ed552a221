"""Dataset versions and uploads to ingest."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from payatlas.api.deps import SettingsDep, SharedStoreDep, StoreDep, WriteKey
from payatlas.api.schemas import WRITE_RESPONSES
from payatlas.api.uploads import save_upload
from payatlas.errors import PayAtlasError, UnreadableFile
from payatlas.ingest import ingest
from payatlas.ingest.limits import IngestLimits
from payatlas.ingest.report import IngestReport
from payatlas.model.monitor import monitor_ingest
from payatlas.model.retrain import after_survey_ingest
from payatlas.model.stale import DropReport, drop_dataset_version
from payatlas.store.versions import DataVersions, data_versions

router = APIRouter(prefix="/v1", tags=["data"])


@router.get("/data/versions", response_model=DataVersions, summary="Dataset versions")
def versions(store: StoreDep) -> JSONResponse:
    """Every ingest, oldest first, with rows read/accepted/flagged/rejected."""
    return JSONResponse(data_versions(store).as_dict())


@router.post(
    "/ingest",
    response_model=IngestReport,
    dependencies=[WriteKey],
    responses=WRITE_RESPONSES,
    summary="Upload a file to ingest as a new dataset version",
)
def ingest_upload(
    shared: SharedStoreDep,
    settings: SettingsDep,
    # a part sent without a file name arrives as text: still the file's content (the schema
    # says a binary string, which a multipart text part is); an empty text part arrives as
    # None, so "no file" is our own typed answer rather than the framework's
    file: Annotated[
        UploadFile | str | None, File(description="CSV, TSV, JSON, JSON lines or Parquet.")
    ] = None,
    mapping: Annotated[
        UploadFile | str | None, File(description="Column-mapping TOML (docs/mapping.md).")
    ] = None,
    source: Annotated[str | None, Form(max_length=100, description="Source name.")] = None,
) -> JSONResponse:
    """Every row ends accepted (maybe flagged) or rejected with a reason; returns the report.
    A file (or its gzip content) over PAYATLAS_MAX_UPLOAD_MB or PAYATLAS_MAX_UPLOAD_ROWS is
    refused with 413 before it is parsed."""
    if file is None:
        raise UnreadableFile("no file uploaded: the file part is missing or empty", field="file")
    limits = IngestLimits(max_bytes=settings.max_upload_mb << 20, max_rows=settings.max_upload_rows)
    with tempfile.TemporaryDirectory(prefix="payatlas-upload-") as tmp:
        data = save_upload(file, Path(tmp, "data"), "upload.csv")
        map_path = (
            save_upload(mapping, Path(tmp, "mapping"), "mapping.toml")
            if mapping is not None
            else None
        )
        with shared.writing("ingest an upload (API)") as store:
            report = ingest(data, store=store, mapping=map_path, source=source, limits=limits)
            # the champion scored on the new survey version before it trains on it (#14); if
            # it cannot be, the ingest stands and GET /v1/monitor scores the version when asked
            with contextlib.suppress(PayAtlasError):
                monitor_ingest(store, settings, version=report.dataset_version)
            # then its ranges adapted to the new records, and a retrain if the settings ask
            # (#14); a failure there leaves the ingest standing too
            with contextlib.suppress(PayAtlasError):
                after_survey_ingest(store, settings, version=report.dataset_version)
    # the uploaded file's name and a home-relative rejects file: no server paths in answers
    shown = replace(
        report, file=data.name, rejects_file=_home_relative(report.rejects_file, settings.home)
    )
    return JSONResponse(shown.as_dict())


@router.post(
    "/data/versions/{version}/drop",
    response_model=DropReport,
    dependencies=[WriteKey],
    responses=WRITE_RESPONSES,
    summary="Remove one dataset version (an ingest) atomically",
)
def drop_data_version(
    version: Annotated[int, PathParam(ge=1, le=2**31 - 1, description="Dataset version.")],
    shared: SharedStoreDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Every row the ingest wrote (records, rejects, job postings, skill rows) goes in one
    transaction; ``stale_models`` names the models trained on those rows. An unknown version
    is a 422 naming the versions there are."""
    with shared.writing(f"drop dataset version {version} (API)") as store:
        report = drop_dataset_version(store, version, settings=settings)
    return JSONResponse(report.as_dict())


def _home_relative(path: str | None, home: Path) -> str | None:
    """A path inside PAYATLAS_HOME as relative to it (no server paths in responses)."""
    if not path:
        return path
    p = Path(path)
    return str(p.relative_to(home)) if p.is_relative_to(home) else p.name
