"""Training parameters from the API are bounded in the request model, so the bounds are in the
OpenAPI schema and a request past them is a 422 before any work starts (#15 item 4)."""

from __future__ import annotations

import httpx
import pytest
from payatlas_live import LiveServer

from payatlas.api.schemas.models import MAX_LEAVES, MAX_ROUNDS


def test_bounds_are_published_in_the_schema(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TrainParams"]
    rounds = schema["properties"]["num_boost_round"]["anyOf"][0]
    leaves = schema["properties"]["num_leaves"]["anyOf"][0]
    assert rounds["maximum"] == MAX_ROUNDS == 1000
    assert leaves["maximum"] == MAX_LEAVES == 255
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    "params",
    [{"num_boost_round": 5000}, {"num_boost_round": MAX_ROUNDS + 1}, {"num_leaves": 1024},
     {"objectives": ["regression", "l1", "regression"]}, {"learning_rate": 0}],
)  # fmt: skip
def test_train_past_the_bounds_is_refused_at_once(
    client: httpx.Client, server: LiveServer, params: dict[str, object]
) -> None:
    before = client.get("/v1/models").json()
    r = client.post("/v1/models/train", json={"params": params}, headers=server.auth, timeout=10)
    assert r.status_code == 422, r.text
    field = next(iter(params))
    assert r.json()["detail"][0]["loc"][-1] == field
    assert client.get("/v1/models").json() == before  # nothing was trained
