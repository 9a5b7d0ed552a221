"""``--json`` prints the library's result type (#9): the same type the API route answers,
validated by it, with no key it does not declare."""

from __future__ import annotations

import json
from typing import Any

import pytest
from payatlas_types import check
from typer.testing import CliRunner

from payatlas.model.estimate import Estimate
from payatlas.model.offer import OfferCheck
from payatlas.settings import Settings

runner = CliRunner()


def validated(cls: type, args: list[str]) -> Any:
    from payatlas.cli import app

    out = runner.invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    return check(cls, json.loads(out.output))


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "--role", "ML Engineer", "--country", "US", "--level", "senior"],
        ["estimate", "--role", "Data Scientist", "--country", "Germany", "--level", "mid"],
    ],
)
def test_estimate_json_is_the_estimate_type(model_settings: Settings, args: list[str]) -> None:
    est = validated(Estimate, args)
    assert est.p10 <= est.p50 <= est.p90 and est.reasons


def test_offer_json_is_the_offer_type(model_settings: Settings) -> None:
    args = ["offer", "--amount", "95k", "--currency", "EUR", "--role", "ML Engineer",
            "--country", "Germany"]  # fmt: skip
    check = validated(OfferCheck, args)
    assert isinstance(check.estimate, Estimate) and check.amount == 95_000
    assert check.formatted == "€95,000"
