"""Estimates (single and batch) and the offer check, from the champion model.

The route only parses and renders: the champion is cached in-process by the model package, so
an estimate does no store work per request.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas import (
    BODY_RESPONSES,
    READ_RESPONSES,
    BatchIn,
    BatchOut,
    EstimateOut,
    OfferIn,
    OfferOut,
)
from payatlas.model import estimate, estimate_batch, offer_check
from payatlas.model.batch import UNRESOLVED
from payatlas.model.evidence import withheld_note
from payatlas.schema import Profile

router = APIRouter(prefix="/v1", tags=["estimates"])
RESPONSES = {**READ_RESPONSES, **BODY_RESPONSES}


@router.post(
    "/estimate", response_model=EstimateOut, responses=RESPONSES, summary="Estimate one profile"
)
def estimate_one(
    profile: Profile,
    settings: SettingsDep,
    store: StoreDep,
    reasons: Annotated[bool, Query(description="Per-field reasons (a little slower).")] = True,
) -> JSONResponse:
    """Annual pay P10/P25/P50/P75/P90 in USD and local currency, with the evidence (comparable
    survey records), confidence, flags, reasons, and the data and model versions.

    A count of comparable records from 1 to the privacy threshold - 1 is never published:
    ``n_comparable`` (or ``cohort.n``) is then null, ``n_comparable_note`` (``cohort.note``) says
    "fewer than 5 ..." and ``flags`` holds ``few_comparable_records``. 0 is published.
    With a US ``metro`` the range is the US estimate times the OEWS metro differential
    (``metro`` in the answer says which, and from what)."""
    est = estimate(profile, settings=settings, reasons=reasons, store=store)
    return JSONResponse(est.as_dict())


@router.post(
    "/estimate/batch", response_model=BatchOut, responses=RESPONSES, summary="Estimate many"
)
def estimate_many(body: BatchIn, settings: SettingsDep) -> JSONResponse:
    """One row per profile, same order: the profile plus p10_usd..p90_usd, n_comparable,
    n_comparable_note, confidence and model_version; unresolvable rows get empty figures and an
    error. ``n_comparable`` is null under the privacy threshold (``n_comparable_note`` says so)."""
    out = estimate_batch(body.profiles, settings=settings)
    withheld = out["n_comparable"].isna() & (out["confidence"] != UNRESOLVED)
    note = withheld_note(settings.privacy_threshold)
    out["n_comparable_note"] = [note if w else None for w in withheld]
    return JSONResponse(
        {
            "model_version": str(out["model_version"].iloc[0]) if len(out) else None,
            "rows": _records(out),
            "errors": {str(k): str(v) for k, v in out.attrs.get("errors", {}).items()},
        }
    )


@router.post("/offer", response_model=OfferOut, responses=RESPONSES, summary="Check an offer")
def offer(body: OfferIn, settings: SettingsDep) -> JSONResponse:
    """The offer's percentile in the predictive distribution and among comparable records
    (null when that cohort is under the privacy threshold; ``comparable_n`` follows the same
    rule as ``n_comparable``)."""
    result = offer_check(
        body.profile(), amount=body.amount, currency=body.currency, settings=settings
    )
    return JSONResponse(result.as_dict())


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (missing values -> null)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict("records")]
