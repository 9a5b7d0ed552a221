"""Store-level summaries (counts only, never individual records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from payatlas.errors import EmptyStore, StoreError
from payatlas.output import Output
from payatlas.store.duckdb_store import Store


@dataclass(slots=True)
class DataSummary(Output):
    """Counts of survey records by role family, country and pay year, as of a dataset version."""

    dataset_version: int
    records: int
    distinct_records: int
    flagged: int
    by_role_family: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    by_year: dict[str, int] = field(default_factory=dict)
    by_flag: dict[str, int] = field(default_factory=dict)


def data_summary(store: Store, *, version: int | None = None, top: int = 15) -> DataSummary:
    """Summarise the dataset as of ``version`` (default: latest)."""
    latest = store.latest_version()
    if latest is None:
        raise EmptyStore("the store is empty: run `payatlas init` or `payatlas ingest FILE`")
    v = latest if version is None else version
    if not 1 <= v <= latest:
        raise StoreError(f"no dataset version {v} in the store (versions 1-{latest})")
    where = f"dataset_version <= {int(v)}"

    def pairs(sql: str) -> list[tuple[Any, int]]:
        return [(k, int(n)) for k, n in store.execute(sql).fetchall()]

    totals = store.execute(
        f"SELECT count(*), count(*) FILTER (NOT is_duplicate), count(*) FILTER (len(flags) > 0) "
        f"FROM records WHERE {where}"
    ).fetchone()
    assert totals is not None
    return DataSummary(
        dataset_version=int(v),
        records=int(totals[0]),
        distinct_records=int(totals[1]),
        flagged=int(totals[2]),
        by_role_family=dict(
            pairs(
                f"SELECT role_family, count(*) FROM records WHERE {where} "
                "GROUP BY 1 ORDER BY 2 DESC"
            )
        ),
        by_country=dict(
            pairs(
                f"SELECT country, count(*) FROM records WHERE {where} GROUP BY 1 "
                f"ORDER BY 2 DESC, 1 LIMIT {int(top)}"
            )
        ),
        by_year={  # JSON object keys are text: the year as its string
            str(y): n
            for y, n in pairs(
                f"SELECT pay_year, count(*) FROM records WHERE {where} GROUP BY 1 ORDER BY 1"
            )
        },
        by_flag=dict(
            pairs(
                f"SELECT f, count(*) FROM (SELECT unnest(flags) f FROM records WHERE {where}) "
                "GROUP BY 1 ORDER BY 2 DESC"
            )
        ),
    )
