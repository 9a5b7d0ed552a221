"""Places: sources side by side for a role in a US metro, purchasing power, and the metro map.
Same library calls as ``GET /v1/sources``, ``GET /v1/ppp/compare`` and ``GET /v1/maps/metros``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.app_state import SettingsDep, StoreDep
from payatlas.official.datasets import credits
from payatlas.web.views.common import attempt, form_args, json_link, render, router

DEFAULTS = {"role": "Data Scientist", "metro": "San Francisco, CA", "amount": "95000",
            "currency": "EUR", "place": "Berlin, Germany", "to": "Austin, TX"}  # fmt: skip


@router.get("/places", response_class=HTMLResponse)
def places_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Sources for a role in a metro, an amount in purchasing power, and the map of metros."""
    args = {**DEFAULTS, **form_args(request, tuple(DEFAULTS))}

    def run() -> dict[str, Any]:
        from payatlas.analytics.sources import sources
        from payatlas.official.maps import metro_map
        from payatlas.official.ppp import equivalent_pay

        try:
            amount = float(args["amount"].replace(",", ""))
        except ValueError:
            from payatlas.errors import InvalidInput

            raise InvalidInput(f"not an amount: {args['amount']!r}", field="amount") from None
        return {
            "sources": sources(store, role=args["role"], metro=args["metro"],
                               settings=settings).as_dict(),
            "ppp": equivalent_pay(store, amount=amount, currency=args["currency"],
                                  origin=args["place"], target=args["to"]).as_dict(),
            "map": metro_map(store, role=args["role"]),  # the MetroMap itself (as the API)
        }  # fmt: skip

    result, error = attempt(run)
    return render(
        request,
        "places.html",
        title="Places",
        active="/places",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="Where the job is: survey, official statistics and visa filings for a role in a US "
        "metro, side by side; pay in purchasing power; and a map of US metros.",
        form=args,
        result=result,
        error=error,
        credits=credits(),
        json_url=json_link("/v1/sources", {"role": args["role"], "metro": args["metro"]}),
    )
