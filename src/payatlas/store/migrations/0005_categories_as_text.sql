
-- Categorical columns as text: migration 3 built its ENUM types from the lists of the machine
-- that ran it (pycountry, the taxonomy), so stores differ in them and a new value could not be
-- stored. From here on the value sets are reference data checked by the ingest, not schema.
CREATE TABLE record_rows_text (
    dataset_version INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    raw_title VARCHAR NOT NULL,
    role_family VARCHAR NOT NULL,
    title_seniority VARCHAR,
    level VARCHAR,
    level_source VARCHAR,
    employment_type VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    residence VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    remote_ratio SMALLINT,
    company_size VARCHAR,
    company VARCHAR,
    industry VARCHAR,
    city VARCHAR,
    pay_low DOUBLE NOT NULL,
    pay_high DOUBLE NOT NULL,
    pay_amount DOUBLE NOT NULL,
    pay_period VARCHAR NOT NULL,
    currency VARCHAR NOT NULL,
    annual_local DOUBLE NOT NULL,
    annual_usd DOUBLE NOT NULL,
    fx_rate DOUBLE NOT NULL,
    fx_date DATE NOT NULL,
    fx_basis VARCHAR NOT NULL,
    usd_reported DOUBLE,
    pay_year SMALLINT NOT NULL,
    pay_date DATE,
    first_seen DATE,
    is_duplicate BOOLEAN NOT NULL,
    is_outlier BOOLEAN NOT NULL,
    flags VARCHAR[] NOT NULL
);
INSERT INTO record_rows_text SELECT * FROM records;
DROP VIEW records;
DROP TABLE record_rows;
ALTER TABLE record_rows_text RENAME TO record_rows;
CREATE VIEW records AS SELECT * FROM record_rows;
DROP TYPE pa_role_family;
DROP TYPE pa_title_seniority;
DROP TYPE pa_level;
DROP TYPE pa_level_source;
DROP TYPE pa_employment_type;
DROP TYPE pa_country;
DROP TYPE pa_residence;
DROP TYPE pa_region;
DROP TYPE pa_company_size;
DROP TYPE pa_pay_period;
DROP TYPE pa_currency;
DROP TYPE pa_fx_basis;
DROP TYPE pa_flag;
