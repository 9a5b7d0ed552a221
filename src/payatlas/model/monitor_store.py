"""Storage of monitoring results (store migration 8: ``monitor_runs``, ``monitor_groups``).

One scoring of a dataset version by a model is one ``monitor_runs`` row and its per-group rows;
scoring the same version with the same model again replaces them (in one transaction).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from payatlas.model.monitor import GroupScore, VersionMonitor
    from payatlas.store import Store

_GROUP_COLUMNS = "dimension, grp, records, mae_log, bias, coverage, width"


def has_monitor_tables(store: Store) -> bool:
    """False for a store not migrated to 7 (opened read-only by an older process)."""
    row = store.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'monitor_runs'"
    ).fetchone()
    return bool(row and row[0])


def save_run(store: Store, run: VersionMonitor, groups: list[GroupScore]) -> None:
    """Keep one scoring (replacing an earlier one of the same version by the same model)."""
    key = [run.dataset_version, run.model_id]
    fairness = run.fairness.model_dump_json() if run.fairness is not None else None
    with store.transaction() as con:
        con.execute("DELETE FROM monitor_runs WHERE dataset_version = ? AND model_id = ?", key)
        con.execute("DELETE FROM monitor_groups WHERE dataset_version = ? AND model_id = ?", key)
        con.execute(
            "INSERT INTO monitor_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                *key,
                run.model_data_version,
                dt.datetime.fromisoformat(run.scored_at).replace(tzinfo=None),
                run.records,
                run.drift.model_dump_json(),
                fairness,
            ],
        )
        con.executemany(
            f"INSERT INTO monitor_groups (dataset_version, model_id, {_GROUP_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [*key, g.dimension, g.group, g.records, g.mae_log, g.bias, g.coverage, g.width]
                for g in groups
            ],
        )


def read_runs(store: Store) -> list[dict[str, Any]]:
    """Every stored scoring, oldest version first, each with its ``groups`` (list of dicts)."""
    if not has_monitor_tables(store):
        return []
    runs = store.execute(
        "SELECT dataset_version, model_id, model_data_version, scored_at, records, drift, "
        "fairness FROM monitor_runs ORDER BY dataset_version, scored_at"
    ).fetchall()
    rows = store.execute(
        f"SELECT dataset_version, model_id, {_GROUP_COLUMNS} FROM monitor_groups "
        "ORDER BY dataset_version, model_id, dimension, grp"
    ).fetchall()
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for v, m, dim, grp, n, mae, bias, cov, width in rows:
        groups.setdefault((int(v), str(m)), []).append(
            {"dimension": dim, "group": grp, "records": int(n), "mae_log": mae, "bias": bias,
             "coverage": cov, "width": width}
        )  # fmt: skip
    return [
        {
            "dataset_version": int(v),
            "model_id": str(m),
            "model_data_version": int(mv),
            "scored_at": at.replace(tzinfo=dt.UTC).isoformat(timespec="seconds"),
            "records": int(n),
            "drift": json.loads(drift),
            "fairness": json.loads(fair) if fair else None,
            "groups": groups.get((int(v), str(m)), []),
        }
        for v, m, mv, at, n, drift, fair in runs
    ]
