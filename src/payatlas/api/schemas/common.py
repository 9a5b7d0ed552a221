"""Shared response parts: the error body, the health check, the error responses each kind of
endpoint documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, BeforeValidator, Field


def _json_integer(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise ValueError("Input should be a JSON integer, not a string or boolean")
    return value


#: an integer as JSON Schema means it: ``45`` and ``45.0`` are integers; ``true`` and ``"45"``
#: are not (request bodies are otherwise strict: the API accepts what its schema says, #15).
#: Use as ``Annotated[int, Field(strict=False, ge=.., le=..), JSON_INT]`` (the bounds before it,
#: or they do not reach the schema)
JSON_INT = BeforeValidator(_json_integer)


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
    monitor_alerts: list[str] = Field(
        default_factory=list,
        description="The monitor's alerts (#14): groups of >= 200 new survey submissions on "
        "which the champion's 80% coverage is outside 0.75-0.85 or |bias| > 5%.",
    )
    monitor_checked: bool = Field(
        default=True, description="False when a write held the store and alerts were not read."
    )


#: what every endpoint with a body may also answer
BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON / multipart."},
    413: {"model": ErrorOut, "description": "Body larger than PAYATLAS_MAX_UPLOAD_MB."},
}
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "The store is empty (or no champion model)."},
}
#: what the job-postings reads may also answer
POSTINGS_RESPONSES: dict[int | str, dict[str, Any]] = {
    **READ_RESPONSES,
    409: {"model": ErrorOut, "description": "No job postings are loaded in this store."},
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **BODY_RESPONSES,
    401: {"model": ErrorOut, "description": "Missing or wrong API key."},
    409: {"model": ErrorOut, "description": "The store or registry refused the change."},
    503: {"model": ErrorOut, "description": "The store is empty (or no champion model)."},
}
