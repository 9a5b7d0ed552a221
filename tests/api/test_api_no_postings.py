"""A survey-only store answers a job-postings query with a typed 409, not a 503."""

from __future__ import annotations

from payatlas.api.errors import status_for
from payatlas.errors import EmptyStore, NoPostings


def test_no_postings_is_a_409_with_a_way_out() -> None:
    err = NoPostings("no job postings are loaded in this store; `payatlas init` loads them")
    assert isinstance(err, EmptyStore)
    assert status_for(err) == 409
    assert status_for(EmptyStore("empty")) == 503


def test_postings_routes_declare_409() -> None:
    from payatlas.api.routes.postings import router

    paths = {r.path: r for r in router.routes}  # type: ignore[attr-defined]
    for name in ("/demand", "/skills"):
        route = next(r for p, r in paths.items() if p.endswith(name))
        assert 409 in route.responses
