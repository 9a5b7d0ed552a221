"""Training rows from the store, in the canonical model frame.

The model frame has one row per survey record (duplicates kept: see docs/methodology.md) with the
columns every other model module reads: ``role_family, tkey, level, country, region, abroad,
remote, company_size, employment_type, year`` plus, for training, ``y`` (log annual USD),
``first_seen``, ``is_duplicate`` and ``rkey`` (the record key of :mod:`payatlas.disclosure`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import numpy as np

from payatlas.disclosure import record_key_sql
from payatlas.errors import EmptyStore

if TYPE_CHECKING:
    import pandas as pd

    from payatlas.store import Store  # annotations only: no DuckDB for an estimate

PROFILE_COLUMNS = (
    "role_family",
    "tkey",
    "level",
    "country",
    "region",
    "abroad",
    "remote",
    "company_size",
    "employment_type",
    "year",
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def title_key(title: str) -> str:
    """A title's lookup key: lowercase, runs of other characters collapsed to one space."""
    return _NOT_ALNUM.sub(" ", title.lower()).strip()


def load_frame(
    store: Store,
    *,
    version: int | None = None,
    before: dt.date | None = None,
    since: dt.date | None = None,
    only_version: bool = False,
) -> pd.DataFrame:
    """Records as of dataset ``version`` (default latest), optionally only those that arrived
    (``first_seen``) before ``before`` or on/after ``since``, or (``only_version``) only the
    records that ingest added. Rows without an arrival date count
    as arrived at their pay date / year start (older than any dated row of a later year)."""
    v = store.latest_version() if version is None else version
    if v is None:
        raise EmptyStore("the store is empty: run `payatlas init` or `payatlas ingest FILE`")
    arrival = "coalesce(first_seen, pay_date, make_date(pay_year, 1, 1))"
    # titles of other professions are kept in the store but never trained on
    where = [
        f"dataset_version {'=' if only_version else '<='} {int(v)}",
        "role_family <> 'out_of_scope'",
    ]
    params: list[object] = []
    if before is not None:
        where.append(f"{arrival} < ?")
        params.append(before)
    if since is not None:
        where.append(f"{arrival} >= ?")
        params.append(since)
    sql = (
        "SELECT raw_title, role_family, level, country, region, residence, remote_ratio, "
        f"company_size, employment_type, pay_year, {arrival} AS first_seen, is_duplicate, "
        f"annual_usd, {record_key_sql()} AS rkey FROM records WHERE {' AND '.join(where)} "
        "ORDER BY dataset_version, source_row"
    )
    raw = store.execute(sql, params).fetchdf()
    return to_model_frame(raw)


def to_model_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Store columns -> the canonical model frame (see module docstring)."""
    import pandas as pd

    titles = raw["raw_title"].astype(str)
    uniq = {t: title_key(t) for t in titles.unique()}
    frame = pd.DataFrame(
        {
            "role_family": raw["role_family"].astype(str).to_numpy(),
            "tkey": titles.map(uniq).to_numpy(),
            "level": raw["level"].astype(object).where(raw["level"].notna(), None).to_numpy(),
            "country": raw["country"].astype(str).to_numpy(),
            "region": raw["region"].astype(str).to_numpy(),
            "residence": raw["residence"].astype(str).to_numpy(),
            "abroad": (raw["residence"] != raw["country"]).to_numpy(),
            "remote": raw["remote_ratio"].astype("float64").fillna(0.0).to_numpy(),
            "company_size": raw["company_size"]
            .astype(object)
            .where(raw["company_size"].notna(), None)
            .to_numpy(),
            "employment_type": raw["employment_type"].astype(str).to_numpy(),
            "year": raw["pay_year"].astype("int64").to_numpy(),
        }
    )
    if "annual_usd" in raw:
        frame["y"] = np.log(raw["annual_usd"].astype("float64").to_numpy())
        frame["usd"] = raw["annual_usd"].astype("float64").to_numpy()
        frame["first_seen"] = pd.to_datetime(raw["first_seen"]).to_numpy()
        frame["is_duplicate"] = raw["is_duplicate"].astype(bool).to_numpy()
        frame["raw_title"] = titles.to_numpy()
    if "rkey" in raw:  # the record key, for the evidence's cell keys (payatlas.disclosure)
        frame["rkey"] = raw["rkey"].astype("int64").to_numpy()
    return frame
