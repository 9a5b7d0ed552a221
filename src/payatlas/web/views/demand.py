"""Demand & skills (#12): job postings per month, top hubs and employers, skill shares, skill
premiums with intervals, co-occurrence; every chart's data as CSV. Same library calls as
``GET /v1/demand`` and ``GET /v1/skills``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from payatlas.analytics.demand import demand
from payatlas.analytics.posting_slice import PostingSlice
from payatlas.analytics.skills import skills
from payatlas.app_state import SettingsDep, StoreDep
from payatlas.errors import PayAtlasError
from payatlas.normalize.csvsafe import neutralise_frame
from payatlas.normalize.titles import ROLE_FAMILIES
from payatlas.web.views.common import attempt, form_args, json_link, render, router

FIELDS = ("family", "seniority", "country", "state")
DEFAULT_WITH = "pytorch"
#: chart -> (what it computes, the CSV columns it keeps; None = all)
CHARTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "months": ("postings per month by family", None),
    "hubs": ("top hubs (cities)", None),
    "employers": ("top employers", None),
    "skills": ("skill shares", ("skill", "label", "category", "postings", "share", "change_pp",
                                "change_low", "change_high")),
    "premiums": ("skill premiums on advertised pay", ("skill", "label", "premium",
                 "premium_low", "premium_high", "p_value", "p_adjusted", "support_with",
                 "support_without")),
    "with": ("skills that go with the chosen skill", ("skill", "label", "postings", "share",
             "lift")),
}  # fmt: skip


def _chart(store: Any, settings: Any, chart: str, args: dict[str, str]) -> Any:
    """The library result behind one chart of the page."""
    s = PostingSlice.parse(family=args.get("family"), seniority=args.get("seniority"),
                           country=args.get("country"), state=args.get("state"))  # fmt: skip
    if chart == "months":
        return demand(store, slice=s, by=("month", "family"), settings=settings)
    if chart == "hubs":
        return demand(store, slice=s, by=("city",), top=15, settings=settings)
    if chart == "employers":
        return demand(store, slice=s, by=("employer",), top=15, settings=settings)
    if chart == "with":
        return skills(store, slice=s, with_skill=args.get("with") or DEFAULT_WITH, top=15,
                      settings=settings)  # fmt: skip
    return skills(store, slice=s, top=25, settings=settings)


@router.get("/demand", response_class=HTMLResponse)
def demand_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """The Demand & skills page for a slice of job postings."""
    args = form_args(request, (*FIELDS, "with"))

    def run() -> dict[str, Any]:
        out = {name: _chart(store, settings, name, args).as_dict()
               for name in ("months", "hubs", "employers", "with")}  # fmt: skip
        out["skills"] = _chart(store, settings, "skills", args).as_dict()
        return out

    result, error = attempt(run)
    query = {k: v for k, v in args.items()}
    return render(
        request,
        "demand.html",
        title="Demand & skills",
        active="/demand",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="What job postings ask for: how many, where, which skills, and which skills come "
        "with higher advertised pay. Counts are job postings (one collector's 2023 listings), "
        "not people; pay is advertised pay in job postings, not what people earn.",
        form={**args, "with": args.get("with", DEFAULT_WITH)},
        family_choices=[(f.slug, f.label) for f in ROLE_FAMILIES],
        result=result,
        error=error,
        csv_links={name: json_link(f"/demand/csv/{name}", query) for name in CHARTS},
        json_url=json_link("/v1/demand", {k: v for k, v in args.items() if k in FIELDS}),
        skills_json_url=json_link("/v1/skills", {k: v for k, v in args.items() if k in FIELDS}),
    )


@router.get("/demand/csv/{chart}")
def demand_csv(chart: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """One chart's data as CSV (same filters as the page)."""
    if chart not in CHARTS:
        return PlainTextResponse(
            f"unknown chart {chart!r}; one of: {', '.join(CHARTS)}\n", status_code=404
        )
    args = form_args(request, (*FIELDS, "with"))
    try:
        frame = _chart(store, settings, chart, args).to_frame()
    except PayAtlasError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=422)
    columns = CHARTS[chart][1]
    if columns is not None and not frame.empty:
        frame = frame[list(columns)]
    if chart == "premiums" and not frame.empty:
        frame = frame[frame["premium"].notna()]
    return Response(
        neutralise_frame(frame).to_csv(index=False),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="payatlas-{chart}.csv"'},
    )
