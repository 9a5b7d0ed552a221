"""Estimate: a profile form -> the P10-P90 range bar with the median (USD and local), the
reasons chart and the evidence; with an offer amount, the offer check. Same library calls as
``POST /v1/estimate`` and ``POST /v1/offer``."""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.app_state import SettingsDep, StoreDep
from payatlas.errors import InvalidSalary
from payatlas.model import estimate, offer_check
from payatlas.model.estimate import Estimate
from payatlas.model.offer import OfferCheck, parse_amount
from payatlas.schema import OfferIn, Profile
from payatlas.web.views.common import attempt, form_args, render, router

PROFILE_FIELDS = ("role", "country", "level", "years", "residence", "remote", "company_size",
                  "employment_type", "year", "metro")  # fmt: skip
OFFER_FIELDS = ("amount", "currency")
EXAMPLE = {"role": "ML Engineer", "country": "Germany", "level": "senior"}


def offer_input(profile: dict[str, str], offer: dict[str, str]) -> OfferIn:
    """The form's offer, validated by the same model as ``POST /v1/offer`` (amount > 0 and
    under 1e9, so 'abc', '95,000' in EUR (ambiguous), -5, NaN, inf and 1e300 are field
    errors naming ``amount``; so is "95.000" in USD, where the mark could mean either)."""
    # "95.000" in EUR, "95k", "1.234.567,89": read with the currency's conventions; what cannot
    # be read (or could be read two ways, as "95.000" in USD) is a field error naming amount,
    # never a number guessed from it
    try:
        amount = parse_amount(str(offer["amount"]), offer.get("currency") or "USD")
    except InvalidSalary as exc:
        raise InvalidSalary(f"amount: {exc}", field="amount") from None
    # form fields are text: the profile is read leniently first (as the estimate form is), then
    # the offer with the API's bounds (the API's JSON types are for JSON, #15)
    typed = Profile.model_validate(profile).model_dump()
    return OfferIn.model_validate(
        {**typed, "amount": amount, "currency": offer.get("currency", "USD")}, strict=False
    )


@router.get("/", response_class=HTMLResponse)
def estimate_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """The form; when role and country are given, the estimate (or the offer check)."""
    args = form_args(request, (*PROFILE_FIELDS, *OFFER_FIELDS))
    offer_args = {k: args.pop(k) for k in OFFER_FIELDS if k in args}
    asked = "role" in args or "country" in args
    if not asked and not offer_args:  # first visit: a worked example
        args, asked = dict(EXAMPLE), True
    # the library's result types themselves (what the API answers and --json prints)
    result: Estimate | None = None
    offer: OfferCheck | None = None
    error = None
    if asked:

        def run() -> Estimate | OfferCheck:
            if "amount" in offer_args:
                asked_offer = offer_input(args, offer_args)
                return offer_check(
                    asked_offer.profile(),
                    amount=asked_offer.amount,
                    currency=asked_offer.currency,
                    settings=settings,
                )
            profile = Profile.model_validate(args)
            # the store: a US metro's OEWS differential, and the job postings beside the range
            return estimate(profile, settings=settings, store=store)

        out, error = attempt(run)
        if isinstance(out, OfferCheck):
            result, offer = out.estimate, out
        elif out is not None:
            result = out
    body = {**args, **({"amount": offer_args["amount"]} if "amount" in offer_args else {})}
    return render(
        request,
        "estimate.html",
        title="Estimate pay",
        active="/",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="What a role pays as a range you can check: the model's P10–P90 of annual gross "
        "pay, why, and how many survey records stand behind it.",
        form=args,
        offer_form=offer_args,
        result=result,
        offer=offer,
        error=error,
        request_body=json.dumps(body, indent=2),
        endpoint="/v1/offer" if offer else "/v1/estimate",
    )
