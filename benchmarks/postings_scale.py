"""Postings at scale (#12): 10M synthetic job postings with 60M skill rows, generated in DuckDB SQL
from the bundled postings (titles, places, boards, companies and pay of real rows; six skills per
posting drawn from the real skills' frequencies), written as Parquet, then

* ingest: ``ingest_postings`` of that file into a fresh store (goal <= 60 s on 2 cores);
* skills premium: ``skill_premiums`` for data scientists in the US (the acceptance query; goal
  <= 2 s), and for the whole store as a second figure;
* ``payatlas skills --family data_scientist --country US`` as the CLI runs it (``skills``:
  shares, trends and premiums).

    python benchmarks/postings_scale.py            # 10M postings (heavy: ~4 GB of DuckDB memory)
    python benchmarks/postings_scale.py --rows 1000000

Every figure is printed with this process's CPU seconds and the machine's 1-minute load average
at that moment (the machine is shared: a load above its 2 cores slows every figure roughly by
load / 2; the CPU seconds do not depend on it).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb

from payatlas.analytics.posting_slice import PostingSlice
from payatlas.analytics.skill_pay import skill_premiums
from payatlas.analytics.skills import skills
from payatlas.bundled import postings_path
from payatlas.ingest.postings import ingest_postings
from payatlas.store import Store

SKILLS_PER_POSTING = 6
POOL = 4096  # distinct skills lists (real files repeat lists; a lookup per distinct list)


def generate(path: Path, rows: int, memory: str) -> float:
    """Write ``rows`` synthetic postings to ``path`` (Parquet); return the seconds it took."""
    started = time.perf_counter()
    con = duckdb.connect(config={"threads": 2, "memory_limit": memory})
    src = str(postings_path()).replace("'", "''")
    con.execute(f"CREATE TABLE base AS SELECT row_number() OVER () - 1 AS i, * "
                f"FROM read_csv('{src}', all_varchar=true)")  # fmt: skip
    n_base = con.execute("SELECT count(*) FROM base").fetchall()[0][0]
    con.execute("""
        CREATE TABLE vocab AS
        SELECT s AS skill, count(*) AS weight FROM (
            SELECT trim(unnest(string_split(regexp_replace(job_skills, '[\\[\\]'']', '', 'g'),
                   ','))) AS s FROM base WHERE job_skills <> '') WHERE s <> '' GROUP BY 1""")
    con.execute(f"""
        CREATE TABLE pool AS
        SELECT j, '[' || string_agg('''' || skill || '''', ', ' ORDER BY r) || ']' AS job_skills
        FROM (SELECT j, skill, row_number() OVER (PARTITION BY j ORDER BY
                     (hash(j, skill) % 100000 + 1) / weight) AS r
              FROM range({POOL}) t(j) CROSS JOIN vocab)
        WHERE r <= {SKILLS_PER_POSTING} GROUP BY j""")
    target = str(path).replace("'", "''")
    con.execute(f"""
        COPY (
            SELECT b.job_title_short, b.job_title, b.job_location, b.job_via, b.job_schedule_type,
                   b.job_work_from_home, b.search_location,
                   (44927 + (g.i * 7919) % 365 + 0.5)::VARCHAR AS job_posted_date,
                   b.job_no_degree_mention, b.job_health_insurance, b.job_country, b.salary_rate,
                   CASE WHEN b.salary_rate = 'year' THEN round(b.salary_year_avg::DOUBLE
                        * (0.9 + (hash(g.i) % 2000) / 10000.0))::VARCHAR END AS salary_year_avg,
                   CASE WHEN b.salary_rate = 'hour' THEN round(b.salary_hour_avg::DOUBLE
                        * (0.9 + (hash(g.i) % 2000) / 10000.0), 3)::VARCHAR END
                       AS salary_hour_avg,
                   b.company_name, p.job_skills
            FROM range({rows}) g(i)
            JOIN base b ON b.i = g.i % {n_base}
            JOIN pool p ON p.j = hash(g.i) % {POOL}
        ) TO '{target}' (FORMAT parquet)""")
    con.close()
    return time.perf_counter() - started


def _load(cpu: float | None = None) -> str:
    one, five, _ = os.getloadavg()
    used = f"{cpu:.1f} CPU s; " if cpu is not None else ""
    return f"  [{used}load average {one:.1f} (1 min), {five:.1f} (5 min); {os.cpu_count()} cores]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--memory", default="6GB", help="DuckDB memory limit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="payatlas-postings-") as tmp:
        file = Path(tmp) / "postings.parquet"
        gen = generate(file, args.rows, args.memory)
        print(f"generated {args.rows:,} postings ({file.stat().st_size / 1e6:,.0f} MB parquet) "
              f"in {gen:.1f} s{_load()}")  # fmt: skip
        store = Store(Path(tmp) / "payatlas.duckdb")
        store.execute(f"SET memory_limit = '{args.memory}'")
        started, cpu = time.perf_counter(), time.process_time()
        report = ingest_postings(file, store=store, source="synthetic")
        ingest_s = time.perf_counter() - started
        print(f"ingest: {report.accepted:,} postings + {report.skill_rows:,} skill rows "
              f"(rejected {report.rejected:,}) in {ingest_s:.1f} s (goal <= 60 s)"
              f"{_load(time.process_time() - cpu)}")  # fmt: skip
        for label, s in (
            ("data scientists in the US", PostingSlice(family="data_scientist", country="US")),
            ("every posting", PostingSlice()),
        ):
            started, cpu = time.perf_counter(), time.process_time()
            found = skill_premiums(store, slice=s)
            took = time.perf_counter() - started
            print(f"skills premium, {label}: {len(found)} skills in {took:.2f} s (goal <= 2 s)"
                  f"{_load(time.process_time() - cpu)}")  # fmt: skip
        started, cpu = time.perf_counter(), time.process_time()
        table = skills(store, slice=PostingSlice(family="data_scientist", country="US"))
        took = time.perf_counter() - started
        print(f"payatlas skills --family data_scientist --country US: {len(table.rows)} skills "
              f"(shares, trends, premiums) in {took:.2f} s"
              f"{_load(time.process_time() - cpu)}")  # fmt: skip
        store.close()
    print(f"load average while running (2 cores, shared): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
