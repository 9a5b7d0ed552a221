"""Team planner: the team's cost per country with ranges and savings vs the baseline.
Same library call as ``POST /v1/team-cost``."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import HTMLResponse

from payatlas.analytics import team_cost
from payatlas.app_state import SettingsDep, StoreDep
from payatlas.web.views.common import attempt, form_args, render, router

LINES = 4
DEFAULT_TEAM = [
    {"role": "ML Engineer", "level": "senior", "headcount": "2"},
    {"role": "Data Engineer", "level": "mid", "headcount": "1"},
]
DEFAULT_COUNTRIES = "US, Austin, TX, DE, PL, IN"
FIELDS = tuple(f"{k}{i}" for i in range(1, LINES + 1) for k in ("role", "level", "headcount"))


def team_form(args: dict[str, str]) -> list[dict[str, str]]:
    """The form's team lines (blank lines dropped; the example team on a first visit)."""
    lines = [
        {k: args.get(f"{k}{i}", "") for k in ("role", "level", "headcount")}
        for i in range(1, LINES + 1)
    ]
    filled = [ln for ln in lines if ln["role"]]
    return filled if filled or args else [dict(x) for x in DEFAULT_TEAM]


@router.get("/team", response_class=HTMLResponse)
def team_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Form -> per-country totals (P10/P50/P90), savings vs baseline, per-line evidence."""
    args = form_args(request, (*FIELDS, "countries", "baseline", "mode"))
    team = team_form(args)
    countries = args.get("countries", DEFAULT_COUNTRIES)
    baseline = args.get("baseline", "US")
    mode: Literal["employee", "contract"] = (
        "contract" if args.get("mode") == "contract" else "employee"
    )
    lines: list[dict[str, Any]] = [
        {"role": ln["role"], "level": ln["level"] or None, "headcount": ln["headcount"] or 1}
        for ln in team
    ]
    # one comma list: the library keeps "City, ST" together (payatlas.analytics.team_input)
    codes = [countries]
    body = {"team": lines, "countries": codes, "baseline": baseline, "mode": mode}
    result, error = attempt(
        lambda: team_cost(
            store, team=lines, countries=codes, baseline=baseline, settings=settings, mode=mode
        ).as_dict()
    )
    rows: list[dict[str, Any]] = team + [{"role": "", "level": "", "headcount": ""}] * (
        LINES - len(team)
    )
    return render(
        request,
        "team.html",
        title="Team planner",
        active="/team",
        store=store,
        settings=settings,
        status_code=422 if error else 200,
        lead="What a team costs per year in each candidate country, with ranges, the savings "
        "against a baseline country and the evidence behind every line.",
        rows=rows,
        countries=countries,
        baseline=baseline,
        mode=mode,
        result=result,
        error=error,
        request_body=json.dumps(body, indent=2),
    )
