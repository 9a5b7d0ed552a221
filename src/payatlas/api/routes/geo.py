"""Sources side by side, metros and purchasing power (library results as-is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from payatlas.api.deps import SettingsDep, StoreDep
from payatlas.api.schemas import READ_RESPONSES
from payatlas.api.schemas.geo import (
    OFFICIAL_RESPONSES,
    CompareOut,
    MetroOut,
    PppOut,
    SourcesOut,
)
from payatlas.official.maps import MetroMap

router = APIRouter(prefix="/v1", tags=["places"])
RESPONSES = {**READ_RESPONSES, **OFFICIAL_RESPONSES}


@router.get("/sources", response_model=SourcesOut, responses=RESPONSES,
            summary="Survey, postings, OEWS and H-1B figures side by side")  # fmt: skip
def sources_route(
    store: StoreDep,
    settings: SettingsDep,
    role: Annotated[str, Query(min_length=1, max_length=200, description="Title or family.")],
    metro: Annotated[
        str, Query(min_length=1, max_length=200, description="'City, ST', title or CBSA.")
    ],
) -> JSONResponse:
    """P10/P25/P50/P75/P90 of each source for the role in the US metro, each labelled with its
    population, year and credit, and why they differ."""
    from payatlas.analytics.sources import sources

    return JSONResponse(sources(store, role=role, metro=metro, settings=settings).as_dict())


@router.get("/metros", response_model=MetroOut, responses=READ_RESPONSES,
            summary="Which US metro a place names")  # fmt: skip
def metro_route(
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="CBSA code, title or 'City, ST'.")
    ],
) -> JSONResponse:
    """The CBSA a code, metro title, nickname or "City, ST" names (422 with the choices when it
    names several)."""
    from payatlas.normalize.metros import resolve_metro

    return JSONResponse(resolve_metro(q).as_dict())


Amount = Annotated[float, Query(gt=0, lt=1e12, description="Annual pay amount.")]
Currency = Annotated[str, Query(min_length=3, max_length=3, description="ISO 4217.")]
PlaceQ = Annotated[
    str, Query(min_length=1, max_length=200, description="Country, 'City, ST' or 'City, Country'.")
]
Year = Annotated[int, Query(ge=1990, le=2100, description="Year of rates and factors.")]


@router.get("/ppp", response_model=PppOut, responses=RESPONSES,
            summary="A pay figure at market FX, in PPP and RPP-adjusted dollars")  # fmt: skip
def ppp_route(
    store: StoreDep, amount: Amount, place: PlaceQ, currency: Currency = "USD", year: Year = 2024
) -> JSONResponse:
    """Market FX (ECB), PPP international dollars (World Bank) and, for US places,
    RPP-adjusted dollars (BEA), with notes on any fallback."""
    from payatlas.official.ppp import purchasing_power

    value = purchasing_power(store, amount=amount, currency=currency, place=place, year=year)
    return JSONResponse(value.as_dict())


@router.get("/ppp/compare", response_model=CompareOut, responses=RESPONSES,
            summary="The pay of equal purchasing power in another place")  # fmt: skip
def ppp_compare_route(
    store: StoreDep,
    amount: Amount,
    place: PlaceQ,
    to: PlaceQ,
    currency: Currency = "USD",
    year: Year = 2024,
) -> JSONResponse:
    """``amount`` in ``place`` restated in ``to``'s currency at equal purchasing power (PPP
    between countries, RPP between US metros)."""
    from payatlas.official.ppp import equivalent_pay

    result = equivalent_pay(store, amount=amount, currency=currency, origin=place, target=to,
                            year=year)  # fmt: skip
    return JSONResponse(result.as_dict())


@router.get("/maps/metros", response_model=MetroMap, responses=RESPONSES,
            summary="US metros with a role's OEWS median, raw and RPP-adjusted")  # fmt: skip
def metro_map_route(
    store: StoreDep,
    role: Annotated[str, Query(min_length=1, max_length=200, description="Title or family.")],
) -> JSONResponse:
    """Every OEWS metro at its coordinates with the median of the role's closest SOC occupation
    (null where BLS suppresses it) and that median divided by the metro's RPP / 100."""
    from payatlas.official.maps import metro_map

    return JSONResponse(metro_map(store, role=role).as_dict())
