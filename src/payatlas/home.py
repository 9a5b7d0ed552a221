"""Set up a PayAtlas home: the store with the bundled data (and, once models exist, a champion)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payatlas.bundled import aijobs_path
from payatlas.ingest import IngestReport, ingest
from payatlas.ingest.pipeline import Progress
from payatlas.settings import Settings, get_settings
from payatlas.store import Store
from payatlas.store.access import open_reader, open_writer


@dataclass(slots=True)
class InitResult:
    """What ``payatlas init`` did."""

    home: str
    ingest: IngestReport | None  # None when the store already held data
    dataset_version: int
    champion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the ingest report's fields at the top level, plus home/champion."""
        out: dict[str, Any] = self.ingest.as_dict() if self.ingest else {}
        out.update(
            home=self.home,
            dataset_version=self.dataset_version,
            champion=self.champion,
            loaded=self.ingest is not None,
        )
        return out


def init_home(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> InitResult:
    """Load the bundled dataset into an empty store, then train and promote the first model when
    there is no champion. Idempotent: a loaded store and an existing champion are left alone.
    Without a ``store``, the settings' store is opened for writing (under the write lock, see
    :mod:`payatlas.store.access`)."""
    settings = settings or get_settings()
    if store is None and settings.store_path.is_file():
        done = _already_done(settings)
        if done is not None:
            return done
    if store is None:
        with open_writer(settings, "init (load the bundled data)") as opened:
            return _init(settings, opened, progress)
    return _init(settings, store, progress)


def _already_done(settings: Settings) -> InitResult | None:
    """The result of a home that needs nothing (data and a champion), read without writing."""
    from payatlas.model.registry import champion_id

    champion = champion_id(settings)
    if champion is None:
        return None
    with open_reader(settings) as store:
        version = store.latest_version()
    if version is None:
        return None
    return InitResult(
        home=str(settings.home), ingest=None, dataset_version=version, champion=champion
    )


def _init(settings: Settings, store: Store, progress: Progress | None) -> InitResult:
    report = None
    if store.is_empty():
        report = ingest(aijobs_path(), store=store, progress=progress)
    version = store.latest_version()
    assert version is not None
    from payatlas.model.promotion import ensure_champion  # LightGBM only when needed

    record = ensure_champion(store, settings, progress=progress)
    return InitResult(
        home=str(settings.home),
        ingest=report,
        dataset_version=version,
        champion=record.model_id,
    )
