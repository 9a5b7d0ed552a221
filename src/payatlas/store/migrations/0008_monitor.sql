-- Monitoring on ingest (#14): each survey version scored by the champion before it trains on it.
-- One row per (dataset version, scoring model); drift and fairness as JSON documents.
CREATE TABLE monitor_runs (
    dataset_version    INTEGER NOT NULL,
    model_id           VARCHAR NOT NULL,
    model_data_version INTEGER NOT NULL,
    scored_at          TIMESTAMP NOT NULL,
    records            BIGINT NOT NULL,
    drift              JSON NOT NULL,
    fairness           JSON
);
-- The scoring's metrics per group: dimension (overall, level, region, company_size, week) and
-- group value; means over the group's records of |log error|, log error (P50 - pay), inside
-- P10-P90 (0/1) and log(P90/P10), so groups of several versions pool exactly by record counts.
CREATE TABLE monitor_groups (
    dataset_version INTEGER NOT NULL,
    model_id        VARCHAR NOT NULL,
    dimension       VARCHAR NOT NULL,
    grp             VARCHAR NOT NULL,
    records         BIGINT NOT NULL,
    mae_log         DOUBLE NOT NULL,
    bias            DOUBLE NOT NULL,
    coverage        DOUBLE NOT NULL,
    width           DOUBLE NOT NULL
);
