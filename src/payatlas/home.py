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
    official: dict[str, int] | None = None  # official tables (re)loaded, rows per table

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the ingest report's fields at the top level, plus home/champion."""
        out: dict[str, Any] = self.ingest.as_dict() if self.ingest else {}
        out.update(
            home=self.home,
            dataset_version=self.dataset_version,
            champion=self.champion,
            loaded=self.ingest is not None,
            official_loaded=self.official or {},
        )
        return out


def init_home(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> InitResult:
    """Load the bundled dataset into an empty store and the official statistics where missing or
    stale, then train and promote the first model when there is no champion. Idempotent: a
    loaded store, current official tables and an existing champion are left alone."""
    settings = settings or get_settings()
    own = store is None
    store = store or Store.open(settings)
    try:
        report = None
        if store.is_empty():
            report = ingest(aijobs_path(), store=store, progress=progress)
        from payatlas.official.load import ensure_official

        official = ensure_official(store)
        version = store.latest_version()
        assert version is not None
        from payatlas.model.candidate import ensure_champion  # LightGBM only when needed

        record = ensure_champion(store, settings, progress=progress)
        return InitResult(
            home=str(settings.home),
            ingest=report,
            dataset_version=version,
            champion=record.model_id,
            official=official.rows or None,
        )
    finally:
        if own:
            store.close()
