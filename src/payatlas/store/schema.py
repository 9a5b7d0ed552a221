"""Schema migrations for the DuckDB store. Append a migration; never edit an applied one.

Each migration is fixed text (``tests/store/test_store_migrations.py`` pins a hash of each): no
migration is generated from lists that change (pycountry, the taxonomy). Value sets that grow
are reference data (:mod:`payatlas.store.categories`), checked by the ingest.
"""

from __future__ import annotations

from pathlib import Path

_FILES = Path(__file__).resolve().parent / "migrations"


def _sql(name: str) -> str:
    with open(_FILES / name, encoding="utf-8", newline="") as handle:
        return handle.read()


MIGRATIONS: tuple[str, ...] = (
    # 1: dataset versions, canonical records, rejects
    """
    CREATE TABLE dataset_versions (
        version      INTEGER PRIMARY KEY,
        created_at   TIMESTAMP NOT NULL,
        source       VARCHAR NOT NULL,
        source_file  VARCHAR NOT NULL,
        file_sha256  VARCHAR NOT NULL,
        file_format  VARCHAR NOT NULL,
        adapter      VARCHAR NOT NULL,
        rows_read    BIGINT NOT NULL,
        accepted     BIGINT NOT NULL,
        flagged      BIGINT NOT NULL,
        rejected     BIGINT NOT NULL,
        report       JSON NOT NULL
    );
    CREATE TABLE records (
        dataset_version  INTEGER NOT NULL,
        source           VARCHAR NOT NULL,
        source_row       BIGINT NOT NULL,
        raw_title        VARCHAR NOT NULL,
        role_family      VARCHAR NOT NULL,
        title_seniority  VARCHAR,
        level            VARCHAR,
        level_source     VARCHAR,
        employment_type  VARCHAR NOT NULL,
        country          VARCHAR NOT NULL,
        residence        VARCHAR NOT NULL,
        region           VARCHAR NOT NULL,
        remote_ratio     SMALLINT,
        company_size     VARCHAR,
        company          VARCHAR,
        industry         VARCHAR,
        city             VARCHAR,
        pay_low          DOUBLE NOT NULL,
        pay_high         DOUBLE NOT NULL,
        pay_amount       DOUBLE NOT NULL,
        pay_period       VARCHAR NOT NULL,
        currency         VARCHAR NOT NULL,
        annual_local     DOUBLE NOT NULL,
        annual_usd       DOUBLE NOT NULL,
        fx_rate          DOUBLE NOT NULL,
        fx_date          DATE NOT NULL,
        fx_basis         VARCHAR NOT NULL,
        usd_reported     DOUBLE,
        pay_year         SMALLINT NOT NULL,
        pay_date         DATE,
        first_seen       DATE,
        is_duplicate     BOOLEAN NOT NULL,
        is_outlier       BOOLEAN NOT NULL,
        flags            VARCHAR[] NOT NULL
    );
    CREATE TABLE rejects (
        dataset_version INTEGER NOT NULL,
        source_row      BIGINT NOT NULL,
        field           VARCHAR,
        reason          VARCHAR NOT NULL,
        raw             VARCHAR
    );
    """,
    # 2: published market indicators with their citations (payatlas.analytics.indicators)
    """
    CREATE TABLE indicators (
        indicator     VARCHAR NOT NULL,
        segment       VARCHAR NOT NULL,
        region        VARCHAR NOT NULL,
        period        VARCHAR NOT NULL,
        value_low     DOUBLE NOT NULL,
        value_high    DOUBLE NOT NULL,
        unit          VARCHAR NOT NULL,
        cited_source  VARCHAR,
        published_in  VARCHAR NOT NULL,
        loaded_at     TIMESTAMP NOT NULL
    );
    """,
    # 3: categorical columns stored as ENUMs in record_rows; `records` becomes a text view of it.
    # Once generated from the live lists; frozen as the text this codebase generated, so stores
    # created by older versions may have applied it with other value lists (5 makes that moot)
    _sql("0003_categories_enum.sql"),
    # 4: official statistics (kind "official": BLS OEWS, BEA RPP, World Bank PPP) and filings
    # (kind "filing": H-1B LCA aggregates), each in its own table (payatlas.official.load)
    """
    CREATE TABLE official_loads (
        dataset     VARCHAR PRIMARY KEY,
        kind        VARCHAR NOT NULL,
        file        VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL,
        rows        BIGINT NOT NULL,
        credit      VARCHAR NOT NULL,
        licence     VARCHAR NOT NULL,
        loaded_at   TIMESTAMP NOT NULL
    );
    CREATE TABLE oews_metro (
        year         SMALLINT NOT NULL,
        cbsa         VARCHAR NOT NULL,
        area_title   VARCHAR NOT NULL,
        state        VARCHAR,
        soc          VARCHAR NOT NULL,
        occupation   VARCHAR NOT NULL,
        tot_emp      BIGINT,
        loc_quotient DOUBLE,
        p10          DOUBLE,
        p25          DOUBLE,
        p50          DOUBLE,
        p75          DOUBLE,
        p90          DOUBLE,
        capped       VARCHAR
    );
    CREATE TABLE oews_metro_median (
        year       SMALLINT NOT NULL,
        cbsa       VARCHAR NOT NULL,
        area_title VARCHAR NOT NULL,
        soc        VARCHAR NOT NULL,
        tot_emp    BIGINT,
        p50        DOUBLE,
        capped     VARCHAR
    );
    CREATE TABLE oews_national (
        year       SMALLINT NOT NULL,
        soc        VARCHAR NOT NULL,
        occupation VARCHAR NOT NULL,
        tot_emp    BIGINT,
        p10        DOUBLE,
        p25        DOUBLE,
        p50        DOUBLE,
        p75        DOUBLE,
        p90        DOUBLE,
        capped     VARCHAR
    );
    CREATE TABLE metro_rpp (
        year       SMALLINT NOT NULL,
        cbsa       VARCHAR NOT NULL,
        metro_name VARCHAR NOT NULL,
        state      VARCHAR,
        rpp        DOUBLE,
        lat        DOUBLE,
        lng        DOUBLE
    );
    CREATE TABLE ppp_factors (
        country      VARCHAR NOT NULL,
        country_name VARCHAR NOT NULL,
        year         SMALLINT NOT NULL,
        ppp          DOUBLE NOT NULL
    );
    CREATE TABLE h1b_filings (
        period       VARCHAR NOT NULL,
        group_key    VARCHAR NOT NULL,
        group_label  VARCHAR NOT NULL,
        bucket       VARCHAR NOT NULL,
        bucket_label VARCHAR NOT NULL,
        cbsa         VARCHAR,
        tier         VARCHAR NOT NULL,
        filings      BIGINT NOT NULL,
        p25          DOUBLE,
        p50          DOUBLE,
        p75          DOUBLE
    );
    """,
    # 5: the categorical columns as VARCHAR again, whatever ENUM lists 3 was applied with
    _sql("0005_categories_as_text.sql"),
    # 6 (#12): job postings in their own tables (never in `records`: survey analytics and the
    # model cannot see them), one row per posting x canonical skill, and each dataset version's
    # kind and credit (a version without a row here is a survey ingest)
    """
    CREATE TABLE dataset_sources (
        version  INTEGER PRIMARY KEY,
        kind     VARCHAR NOT NULL,
        credit   VARCHAR,
        licence  VARCHAR
    );
    CREATE TABLE postings (
        posting_id         BIGINT NOT NULL,
        dataset_version    INTEGER NOT NULL,
        source             VARCHAR NOT NULL,
        kind               VARCHAR NOT NULL,
        source_row         BIGINT NOT NULL,
        raw_title          VARCHAR NOT NULL,
        title_short        VARCHAR,
        role_family        VARCHAR NOT NULL,
        title_seniority    VARCHAR,
        location_raw       VARCHAR,
        city               VARCHAR,
        state              VARCHAR,
        country            VARCHAR,
        is_remote          BOOLEAN NOT NULL,
        posted_date        DATE NOT NULL,
        company            VARCHAR,
        board              VARCHAR,
        schedule           VARCHAR,
        no_degree_mention  BOOLEAN,
        health_insurance   BOOLEAN,
        pay_rate           VARCHAR NOT NULL,
        pay_amount         DOUBLE NOT NULL,
        annual_usd         DOUBLE NOT NULL,
        skill_count        SMALLINT NOT NULL,
        flags              VARCHAR[] NOT NULL
    );
    CREATE TABLE posting_skills (
        posting_id       BIGINT NOT NULL,
        dataset_version  INTEGER NOT NULL,
        skill            VARCHAR NOT NULL,
        category         VARCHAR NOT NULL
    );
    """,
    # 7 (#10): a record whose currency has no exchange rate (no ECB history, no official peg,
    # no USD figure in its file) is kept without a USD amount, flagged no_fx; `records`, which
    # every analysis reads, holds the rows with a USD amount
    """
    ALTER TABLE record_rows ALTER COLUMN annual_usd DROP NOT NULL;
    ALTER TABLE record_rows ALTER COLUMN fx_rate DROP NOT NULL;
    ALTER TABLE record_rows ALTER COLUMN fx_date DROP NOT NULL;
    ALTER TABLE record_rows ALTER COLUMN fx_basis DROP NOT NULL;
    CREATE OR REPLACE VIEW records AS SELECT * FROM record_rows WHERE annual_usd IS NOT NULL;
    """,
    # 8 (#14): the champion's scores on each new survey version before it enters training
    # (payatlas.model.monitor): one row per (version, model) with the drift and fairness, and
    # the per-group metrics of that scoring (records, MAE and mean of log error, coverage, width)
    _sql("0008_monitor.sql"),
    # 9 (#12): each posting's skill set as an id, each version's sets once; `posting_skills`
    # becomes a view of the same rows (postings x their set's rows); earlier postings backfilled
    _sql("0009_posting_skill_sets.sql"),
)
