"""Estimates (single and batch) and the offer check, from the champion model.

The route only parses and renders: the champion is cached in-process by the model package, so
an estimate does no model store work per request (a US metro's differential reads the store,
leased only for such a request). The job postings beside an estimate come from cells built once
per store connection (:mod:`payatlas.model.posting_evidence`), then looked up.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from payatlas.api.deps import SettingsDep, SharedStoreDep
from payatlas.api.schemas import (
    BODY_RESPONSES,
    READ_RESPONSES,
    BatchIn,
    BatchOut,
    OfferIn,
    ProfileIn,
)
from payatlas.model import estimate, estimate_batch, offer_check
from payatlas.model.batch import UNRESOLVED
from payatlas.model.estimate import Estimate
from payatlas.model.estimate_cache import cached_estimate, estimate_dict
from payatlas.model.evidence import withheld_note
from payatlas.model.offer import OfferCheck
from payatlas.model.posting_evidence import cached_cells, posting_evidence
from payatlas.model.shadow import submit as shadow_submit
from payatlas.schema import Profile
from payatlas.settings import Settings
from payatlas.store import Store
from payatlas.store.shared import SharedStore

router = APIRouter(prefix="/v1", tags=["estimates"])
RESPONSES = {**READ_RESPONSES, **BODY_RESPONSES}


@router.post(
    "/estimate", response_model=Estimate, responses=RESPONSES, summary="Estimate one profile"
)
async def estimate_one(
    profile: ProfileIn,
    settings: SettingsDep,
    shared: SharedStoreDep,
    reasons: Annotated[bool, Query(description="Per-field reasons (a little slower).")] = True,
) -> JSONResponse:
    """Annual pay P10/P25/P50/P75/P90 in USD and local currency, with the evidence (comparable
    survey records), confidence, flags, reasons, and the data and model versions.

    A count of comparable records from 1 to the privacy threshold - 1 is never published:
    ``n_comparable`` (or ``cohort.n``) is then null, ``n_comparable_note`` (``cohort.note``) says
    "fewer than 5 ..." and ``flags`` holds ``few_comparable_records``. 0 is published.
    With a US ``metro`` the range is the US estimate times the OEWS metro differential
    (``metro`` in the answer says which, and from what). ``postings`` sets beside the survey
    range the advertised pay of matching job postings (role family x seniority x country, or
    the US metro), with its count; under the privacy threshold the count and figures are
    withheld. When a challenger is served in shadow (``payatlas shadow ID``) it scores the same
    profile after the answer is ready; its figures are logged for ``payatlas models``, never
    returned."""
    if not profile.metro:  # only the metro step reads the store: no lease for the rest
        hit = cached_estimate(profile, settings=settings, reasons=reasons)
        if hit is None:
            hit = await run_in_threadpool(
                estimate_dict, profile, settings=settings, reasons=reasons
            )
        shadow_submit(profile, hit, settings)  # queued only when a model is in shadow
        # the postings beside it: a lookup once the cells are built (built once, in a thread)
        store = shared.try_lease()
        if store is not None:
            try:
                if cached_cells(store) is not None:
                    return JSONResponse(_with_postings(hit, store, settings))
            finally:
                shared.release()
        out = await run_in_threadpool(_postings_in_thread, hit, shared, settings)
        return JSONResponse(out)
    out = await run_in_threadpool(_metro_estimate, profile, settings, shared, reasons)
    return JSONResponse(out)


def _with_postings(est: dict[str, Any], store: Store, settings: Settings) -> dict[str, Any]:
    """A copy of the (shared, cached) estimate dict with the matching postings' evidence."""
    ev = posting_evidence(store, family=est["role_family"], level=est["level"],
                          country=est["country"], threshold=settings.privacy_threshold)  # fmt: skip
    return {**est, "postings": ev.as_dict() if ev is not None else None}


def _postings_in_thread(
    est: dict[str, Any], shared: SharedStore, settings: Settings
) -> dict[str, Any]:
    with shared.reading() as store:
        return _with_postings(est, store, settings)


def _metro_estimate(
    profile: Profile, settings: Settings, shared: SharedStore, reasons: bool
) -> dict[str, Any]:
    with shared.reading() as store:
        return estimate(profile, settings=settings, reasons=reasons, store=store).as_dict()


@router.post(
    "/estimate/batch", response_model=BatchOut, responses=RESPONSES, summary="Estimate many"
)
def estimate_many(body: BatchIn, settings: SettingsDep) -> JSONResponse:
    """One row per profile, same order: the profile plus p10_usd..p90_usd, n_comparable,
    n_comparable_note, confidence and model_version; unresolvable rows get empty figures and an
    error. ``n_comparable`` is null under the privacy threshold (``n_comparable_note`` says so)."""
    out = estimate_batch(list[Profile](body.profiles), settings=settings)
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


@router.post("/offer", response_model=OfferCheck, responses=RESPONSES, summary="Check an offer")
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
