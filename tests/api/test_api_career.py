"""GET /v1/career on the live server: the library's result, strict input, typed 4xx."""

from __future__ import annotations

import typing

import httpx

from payatlas.analytics.career import career_view
from payatlas.api.schemas.career import FamilySlug
from payatlas.normalize.titles import ROLE_FAMILIES
from payatlas.settings import Settings
from payatlas.store import Store


def test_career_matches_the_library(client: httpx.Client, bundled_store: Store) -> None:
    params = {"family": "ml_engineer", "country": "US", "version": 1}
    r = client.get("/v1/career", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    direct = career_view(
        bundled_store,
        family="ml_engineer",
        country="US",
        version=1,
        settings=Settings(home="unused", privacy_threshold=5),
    ).as_dict()
    assert body["rungs"] == direct["rungs"]
    assert body["moves"] == direct["moves"]
    assert body["basis"]["unit"] == "survey records"
    methods = {r["rung"]: r["method"] for r in body["rungs"]}
    assert methods["senior"] == "measured" and methods["staff_principal"] == "extrapolated"


def test_career_input_is_strict_and_errors_are_typed(client: httpx.Client) -> None:
    bad_family = client.get("/v1/career", params={"family": "astronaut", "country": "US"})
    assert bad_family.status_code == 422
    bad_country = client.get("/v1/career", params={"family": "ml_engineer", "country": "Mars"})
    assert bad_country.status_code == 422
    assert bad_country.json()["detail"][0]["type"] == "unknown_country"
    extra = client.get("/v1/career", params={"family": "ml_engineer", "country": "US", "x": 1})
    assert extra.status_code == 422
    missing = client.get("/v1/career", params={"family": "ml_engineer"})
    assert missing.status_code == 422
    version = client.get(
        "/v1/career", params={"family": "ml_engineer", "country": "US", "version": 999}
    )
    assert version.status_code == 422
    assert version.json()["detail"][0]["type"] == "unknown_version"


def test_family_enum_is_the_taxonomy() -> None:
    assert set(typing.get_args(FamilySlug)) == {f.slug for f in ROLE_FAMILIES}
