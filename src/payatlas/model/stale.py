"""Stale models: trained on data the store no longer holds as it was.

A model records the fingerprint of the data it was trained on (``backtest.data_fingerprint``:
every survey ingest up to its data version, :meth:`~payatlas.store.Store.fingerprint`). When a
dataset version it included is dropped, that fingerprint no longer matches the store: the model
is stale. Nothing is rewritten in the registry; staleness is read from the store each time, so
it cannot drift from it. A stale champion keeps serving until a new model is trained and
promoted (``payatlas train`` then ``payatlas promote``): the drop's report says so.

:func:`drop_dataset_version` is the one call the CLI and the API make for ``data drop``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Annotated

from pydantic import Field, computed_field

from payatlas.model.registry import ModelRecord, list_models
from payatlas.settings import Settings, get_settings
from payatlas.store import Store
from payatlas.store.drop import DroppedVersion, drop_version


def is_stale(record: ModelRecord, store: Store) -> bool:
    """True when the data ``record`` was trained on is no longer in the store as it was."""
    recorded = record.backtest.get("data_fingerprint")
    if not recorded:  # recorded before fingerprints were kept: nothing to compare with
        return False
    return store.fingerprint(record.data_version) != recorded


def stale_models(store: Store, settings: Settings | None = None) -> list[str]:
    """The ids of the registry's stale models, newest first."""
    return [r.model_id for r in list_models(settings or get_settings()) if is_stale(r, store)]


@dataclass(frozen=True, slots=True)
class DropReport(DroppedVersion):
    """What dropping a dataset version removed (its fields), and the models it made stale."""

    stale_models: Annotated[
        list[str],
        Field(description="Models trained on the dropped rows (stale now), newest first."),
    ] = field(default_factory=list)
    champion_stale: bool = False

    @computed_field(description="What to do when the champion is stale.")  # type: ignore[prop-decorator]
    @property
    def advice(self) -> str | None:
        """What to do next, when the champion was trained on the dropped rows."""
        if not self.champion_stale:
            return None
        return (
            "the champion model was trained on the dropped rows: run `payatlas train`, then "
            "`payatlas promote ID`"
        )


def drop_dataset_version(
    store: Store, version: int, *, settings: Settings | None = None
) -> DropReport:
    """Drop dataset ``version`` (:func:`~payatlas.store.drop.drop_version`, atomic) and name the
    models that were trained on its rows and are stale now."""
    settings = settings or get_settings()
    before = set(stale_models(store, settings))
    dropped = drop_version(store, version)
    records = list_models(settings)
    now = [r.model_id for r in records if r.model_id not in before and is_stale(r, store)]
    champion = any(r.champion and r.model_id in now for r in records)
    return DropReport(**asdict(dropped), stale_models=now, champion_stale=champion)
