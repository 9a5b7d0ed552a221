"""Set up a PayAtlas home: the store with the bundled data (and, once models exist, a champion)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payatlas.bundled import (
    POSTINGS_CREDIT,
    POSTINGS_LICENCE,
    POSTINGS_SOURCE,
    SURVEY_CREDIT,
    aijobs_path,
    postings_path,
)
from payatlas.ingest import IngestReport, ingest
from payatlas.ingest.pipeline import Progress
from payatlas.settings import Settings, get_settings
from payatlas.store import Store
from payatlas.store.access import open_writer


@dataclass(slots=True)
class InitResult:
    """What ``payatlas init`` did."""

    home: str
    ingest: IngestReport | None  # None when the store already held data
    dataset_version: int
    champion: str | None = None
    postings: IngestReport | None = None  # the bundled job postings, when this call loaded them
    official: dict[str, int] | None = None  # official tables (re)loaded, rows per table

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the ingest report's fields at the top level, plus home/champion."""
        out: dict[str, Any] = self.ingest.as_dict() if self.ingest else {}
        out.update(
            home=self.home,
            dataset_version=self.dataset_version,
            champion=self.champion,
            loaded=self.ingest is not None,
            postings=self.postings.as_dict() if self.postings else None,
            official_loaded=self.official or {},
        )
        return out


def init_home(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> InitResult:
    """Load the bundled survey into an empty store, the bundled job postings beside it (their
    own tables, #12) and the official statistics where missing or stale, then train and promote
    the first model (on the survey) when there is no champion. Idempotent: loaded data, current
    official tables and an existing champion are left alone. Without a ``store``, the settings'
    store is opened for writing (under the write lock, see :mod:`payatlas.store.access`)."""
    settings = settings or get_settings()
    if store is None:
        with open_writer(settings, "init (load the bundled data)") as opened:
            return _init(settings, opened, progress)
    return _init(settings, store, progress)


def _init(settings: Settings, store: Store, progress: Progress | None) -> InitResult:
    report = None
    if store.is_empty():
        report = ingest(aijobs_path(), store=store, progress=progress)
        store.execute(
            "INSERT INTO dataset_sources VALUES (?, 'survey_submission', ?, 'CC0-1.0')",
            [report.dataset_version, SURVEY_CREDIT],
        )
    postings = load_bundled_postings(store, progress=progress)
    from payatlas.official.load import ensure_official

    official = ensure_official(store)
    version = store.latest_version()
    assert version is not None
    from payatlas.model.promotion import ensure_champion  # LightGBM only when needed

    record = ensure_champion(store, settings, progress=progress)
    return InitResult(
        home=str(settings.home),
        ingest=report,
        dataset_version=version,
        champion=record.model_id,
        postings=postings,
        official=official.rows or None,
    )


def load_bundled_postings(store: Store, *, progress: Progress | None = None) -> IngestReport | None:
    """Load the bundled job postings (#12) unless the store already holds a postings version of
    that source; return the report, or None when nothing was loaded."""
    from payatlas.ingest.postings import KIND, ingest_postings

    row = store.execute(
        "SELECT count(*) FROM dataset_versions JOIN dataset_sources USING (version) "
        "WHERE kind = ? AND source = ?",
        [KIND, POSTINGS_SOURCE],
    ).fetchone()
    if row and int(row[0]) > 0:
        return None
    return ingest_postings(
        postings_path(),
        store=store,
        source=POSTINGS_SOURCE,
        credit=POSTINGS_CREDIT,
        licence=POSTINGS_LICENCE,
        progress=progress,
    )
