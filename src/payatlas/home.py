"""Set up a PayAtlas home: the store with the bundled data (and, once models exist, a champion)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payatlas.bundled import aijobs_path
from payatlas.ingest import IngestReport, ingest
from payatlas.ingest.pipeline import Progress
from payatlas.settings import Settings, get_settings
from payatlas.store import Store


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
    there is no champion. Idempotent: a loaded store and an existing champion are left alone."""
    settings = settings or get_settings()
    own = store is None
    store = store or Store.open(settings)
    try:
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
    finally:
        if own:
            store.close()
