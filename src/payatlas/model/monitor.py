"""Monitoring on ingest (#14): the champion scored on each new survey version before it trains
on it, and the data drift of that version against the champion's training records.

Survey submissions arrive with their pay, so a version the champion was not trained on (a
dataset version newer than the champion's) is an out-of-sample test of it. For each such version
:func:`score_version` measures, overall and per level, region, company size and arrival week:
MAE of log pay, the mean log error (bias: log P50 - log pay, negative = estimates below the
reported pay), the share inside the stated 80% range (P10-P90) and its width (mean of
log(P90/P10), shown as the geometric-mean ratio P90/P10); and the drift
(:mod:`payatlas.model.drift`). Group means pool exactly over versions by their record counts.

:func:`monitor_ingest` scores and stores a version right after its ingest (the CLI and the API
call it); :func:`monitor_report` is the one read: every stored scoring, any new version not yet
scored (scored now, not stored), the champion's figures pooled over all its new records and the
alerts. An alert is a group (overall, a level, region or company size) with at least
:data:`ALERT_MIN_RECORDS` new records whose coverage is outside :data:`COVERAGE_BAND` or whose
|bias| exceeds :data:`MAX_ABS_BIAS` (0.05 in log pay, about 5%). The group arithmetic is
:mod:`payatlas.model.monitor_scores`.

Published groups hold at least the privacy threshold of records (smaller ones are counted in
``suppressed_groups``, never shown).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from payatlas.errors import ModelError
from payatlas.model.data import load_frame
from payatlas.model.drift import Drift, measure_drift
from payatlas.model.fairness import FairnessReport, fairness_report
from payatlas.model.monitor_scores import (
    ALERT_MIN_RECORDS,
    COVERAGE_BAND,
    GROUPED,
    MAX_ABS_BIAS,
    Dimension,
    GroupScore,
    MonitorAlert,
    alerts,
    ordered,
    pool,
    score_frame,
)
from payatlas.model.monitor_store import read_runs, save_run
from payatlas.model.registry import ModelRecord, champion_id, get_record, load_model
from payatlas.settings import Settings

if TYPE_CHECKING:
    from payatlas.model.artifact import FittedModel
    from payatlas.store import Store

SOURCE = "survey submissions (self-reported, with their pay)"


class VersionMonitor(BaseModel):
    """One survey dataset version scored by a model it was not trained on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset_version: int
    model_id: str
    model_data_version: int = Field(description="The dataset version the model trained on.")
    scored_at: str
    stored: bool = Field(description="False: scored for this answer, not kept in the store.")
    records: int
    groups: list[GroupScore] = Field(description="Overall, per level, region, company size.")
    weeks: list[GroupScore] = Field(description="Per arrival week (first_seen).")
    drift: Drift
    fairness: FairnessReport | None = Field(
        default=None, description="Coverage, bias and width per group, ranked, with intervals."
    )
    alerts: list[MonitorAlert] = Field(description="This version's groups that alert.")
    suppressed_groups: int = Field(description="Groups under the privacy threshold, not shown.")


class MonitorReport(BaseModel):
    """The champion on new survey submissions, per version and pooled, with the alerts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = SOURCE
    champion: str | None
    champion_data_version: int | None
    new_versions: list[int] = Field(description="Versions newer than the champion's data.")
    new_records: int
    since_champion: list[GroupScore] = Field(
        description="The champion pooled over every new version (what the alerts read)."
    )
    alerts: list[MonitorAlert]
    champion_fairness: FairnessReport | None = Field(
        description="The champion's fairness report on its own backtest (None if not recorded)."
    )
    versions: list[VersionMonitor] = Field(description="Every scoring, oldest version first.")
    weeks: list[GroupScore] = Field(description="Pooled per arrival week over the versions.")
    alert_min_records: int = ALERT_MIN_RECORDS
    coverage_band: tuple[float, float] = COVERAGE_BAND
    max_abs_bias: float = MAX_ABS_BIAS


def score_version(
    store: Store,
    settings: Settings,
    *,
    version: int,
    record: ModelRecord,
    model: FittedModel | None = None,
    train: pd.DataFrame | None = None,
) -> tuple[VersionMonitor, list[GroupScore]]:
    """``record``'s model scored on the records dataset ``version`` added, with the drift
    against its training records; returns the published view and every group's scores."""
    # the champion as trained (its static ranges), not as adapted on ingest: the drift the
    # adaptation corrects must stay visible here (#14)
    model = (model or load_model(record.model_id, settings)).with_adaptation(None)
    new = load_frame(store, version=version, only_version=True)
    if not len(new):
        raise ModelError(f"dataset version {version} holds no survey records to score")
    train = load_frame(store, version=record.data_version) if train is None else train
    q = model.log_quantiles(new)
    groups = score_frame(new, q)
    fairness = fairness_report(
        new,
        q,
        train_titles=train["tkey"].value_counts(),
        basis=f"Dataset v{version} (new survey submissions) scored by {record.model_id}",
        threshold=settings.privacy_threshold,
    )
    view = _view(
        version=version,
        record=record,
        scored_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        stored=False,
        records=len(new),
        groups=groups,
        drift=measure_drift(new, train),
        fairness=fairness,
        threshold=settings.privacy_threshold,
    )
    return view, groups


def _view(
    *,
    version: int,
    record: ModelRecord | None,
    scored_at: str,
    stored: bool,
    records: int,
    groups: list[GroupScore],
    drift: Drift,
    threshold: int,
    fairness: FairnessReport | None = None,
    model_id: str = "",
    model_data_version: int = 0,
) -> VersionMonitor:
    shown = [g for g in groups if g.records >= threshold]
    return VersionMonitor(
        dataset_version=version,
        model_id=record.model_id if record else model_id,
        model_data_version=record.data_version if record else model_data_version,
        scored_at=scored_at,
        stored=stored,
        records=records,
        groups=[g for g in shown if g.dimension != "week"],
        weeks=[g for g in shown if g.dimension == "week"],
        drift=drift,
        fairness=fairness,
        alerts=alerts(groups),
        suppressed_groups=len(groups) - len(shown),
    )


def _recorded_fairness(record: ModelRecord | None) -> FairnessReport | None:
    found = record.metrics.get("fairness") if record is not None else None
    try:
        return FairnessReport(**found) if found else None
    except (TypeError, ValidationError):  # recorded by code with another report layout
        return None


def _champion(settings: Settings) -> ModelRecord | None:
    found = champion_id(settings)
    return get_record(found, settings) if found else None


def _survey_versions(store: Store) -> list[int]:
    return [v.version for v in store.versions() if v.kind == "survey_submission"]


def monitor_ingest(store: Store, settings: Settings, *, version: int) -> VersionMonitor | None:
    """Score and store survey ``version`` with the champion, right after its ingest (None when
    there is no champion, the version is not a survey one or the champion trained on it)."""
    record = _champion(settings)
    if record is None or version <= record.data_version or version not in _survey_versions(store):
        return None
    found = store.execute(
        "SELECT count(*) FROM records WHERE dataset_version = ?", [version]
    ).fetchone()
    if not found or not found[0]:  # every row rejected: nothing to score
        return None
    view, groups = score_version(store, settings, version=version, record=record)
    save_run(store, view, groups)
    return view.model_copy(update={"stored": True})


def _stored(store: Store, threshold: int) -> list[tuple[VersionMonitor, list[GroupScore]]]:
    out = []
    for run in read_runs(store):
        groups = ordered(
            GroupScore.of(g.pop("dimension"), g.pop("group"), g.pop("records"), **g)
            for g in run.pop("groups")
        )
        view = _view(
            version=run["dataset_version"],
            record=None,
            model_id=run["model_id"],
            model_data_version=run["model_data_version"],
            scored_at=run["scored_at"],
            stored=True,
            records=run["records"],
            groups=groups,
            drift=Drift(**run["drift"]),
            fairness=FairnessReport(**run["fairness"]) if run["fairness"] else None,
            threshold=threshold,
        )
        out.append((view, groups))
    return out


def stored_alerts(store: Store, settings: Settings) -> list[MonitorAlert]:
    """The alerts from the stored scorings alone (cheap: for the health check)."""
    record = _champion(settings)
    if record is None:
        return []
    mine = [
        groups
        for view, groups in _stored(store, settings.privacy_threshold)
        if view.model_id == record.model_id and view.dataset_version > record.data_version
    ]
    return alerts(pool(g for groups in mine for g in groups))


def monitor_report(store: Store, settings: Settings) -> MonitorReport:
    """Every stored scoring, the champion on each new survey version (scoring now, without
    storing, any version the ingest did not score), pooled, with the alerts."""
    record = _champion(settings)
    scored = _stored(store, settings.privacy_threshold)
    if record is not None:
        done = {v.dataset_version for v, _ in scored if v.model_id == record.model_id}
        todo = [v for v in _survey_versions(store) if v > record.data_version and v not in done]
        if todo:
            model = load_model(record.model_id, settings)
            train = load_frame(store, version=record.data_version)
            for version in todo:
                scored.append(
                    score_version(
                        store, settings, version=version, record=record, model=model, train=train
                    )
                )
    scored.sort(key=lambda s: (s[0].dataset_version, s[0].scored_at))
    mine = [
        (v, g)
        for v, g in scored
        if record is not None
        and v.model_id == record.model_id
        and v.dataset_version > record.data_version
    ]
    pooled = pool(g for _, groups in mine for g in groups)
    latest = {v.dataset_version: g for v, g in scored}  # per version, its latest scoring
    threshold = settings.privacy_threshold
    return MonitorReport(
        champion=record.model_id if record else None,
        champion_data_version=record.data_version if record else None,
        new_versions=[v.dataset_version for v, _ in mine],
        new_records=sum(v.records for v, _ in mine),
        since_champion=[g for g in pooled if g.dimension != "week" and g.records >= threshold],
        alerts=alerts(pooled),
        champion_fairness=_recorded_fairness(record),
        versions=[v for v, _ in scored],
        weeks=[
            g
            for g in pool(x for groups in latest.values() for x in groups if x.dimension == "week")
            if g.records >= threshold
        ],
    )


__all__ = [
    "ALERT_MIN_RECORDS",
    "COVERAGE_BAND",
    "GROUPED",
    "MAX_ABS_BIAS",
    "SOURCE",
    "Dimension",
    "GroupScore",
    "MonitorAlert",
    "MonitorReport",
    "VersionMonitor",
    "alerts",
    "monitor_ingest",
    "monitor_report",
    "ordered",
    "pool",
    "score_frame",
    "score_version",
    "stored_alerts",
]
