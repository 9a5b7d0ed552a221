"""Train and promote options (the answers are :mod:`payatlas.model.listing`'s types)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from payatlas.api.schemas.common import JSON_INT

#: most boosting rounds and leaves one train request may ask for: the defaults are 600 rounds
#: of 31 leaves, so a request costs at most about 1.7x the default training
MAX_ROUNDS = 1000
MAX_LEAVES = 255


class TrainParams(BaseModel):
    """Overrides of the model's training parameters (defaults: the model package's), bounded so
    one request cannot ask for unbounded work."""

    model_config = ConfigDict(extra="forbid", strict=True)

    num_boost_round: Annotated[int, Field(strict=False, ge=10, le=MAX_ROUNDS), JSON_INT] | None = (
        Field(default=None, description="Boosting rounds (default 600).")
    )
    learning_rate: float | None = Field(default=None, gt=0, le=1)
    num_leaves: Annotated[int, Field(strict=False, ge=2, le=MAX_LEAVES), JSON_INT] | None = Field(
        default=None, description="Leaves per tree (default 31)."
    )
    objectives: list[Literal["regression", "l1"]] | None = Field(
        default=None, min_length=1, max_length=2
    )
    halflife_days: float | None = Field(default=None, gt=0, le=10_000)


class TrainIn(BaseModel):
    """Train options; an empty body trains with the defaults and the settings' seed."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"seed": 42, "params": {"num_boost_round": 200, "num_leaves": 31}}]
        },
    )

    seed: Annotated[int, Field(strict=False, ge=0, le=2**31 - 1), JSON_INT] | None = None
    params: TrainParams | None = None


class PromoteIn(BaseModel):
    """Promotion options."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"force": False}]}
    )

    force: bool = Field(default=False, description="Promote even if worse (recorded).")
