
CREATE TYPE pa_role_family AS ENUM ('ml_engineer', 'mlops_engineer', 'ai_engineer', 'prompt_engineer', 'research_scientist', 'applied_scientist', 'research_engineer', 'ai_product_manager', 'data_scientist', 'data_engineer', 'analytics_engineer', 'data_analyst', 'business_intelligence', 'data_architect', 'data_operations', 'software_engineer', 'devops_engineer', 'solutions_architect', 'robotics_engineer', 'ai_ml_manager', 'data_manager', 'engineering_manager', 'manager', 'product_manager', 'consultant', 'other');
CREATE TYPE pa_title_seniority AS ENUM ('intern', 'junior', 'senior', 'staff', 'principal', 'lead', 'head', 'director', 'vp', 'chief');
CREATE TYPE pa_level AS ENUM ('entry', 'mid', 'senior', 'executive');
CREATE TYPE pa_level_source AS ENUM ('field', 'title', 'default');
CREATE TYPE pa_employment_type AS ENUM ('FT', 'PT', 'CT', 'FL');
CREATE TYPE pa_country AS ENUM ('AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ', 'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'XK', 'YE', 'YT', 'ZA', 'ZM', 'ZW');
CREATE TYPE pa_residence AS ENUM ('AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ', 'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'XK', 'YE', 'YT', 'ZA', 'ZM', 'ZW');
CREATE TYPE pa_region AS ENUM ('north_america', 'western_europe', 'eastern_europe', 'latin_america', 'south_asia', 'east_asia', 'middle_east_africa', 'oceania');
CREATE TYPE pa_company_size AS ENUM ('S', 'M', 'L');
CREATE TYPE pa_pay_period AS ENUM ('hour', 'day', 'week', 'month', 'year');
CREATE TYPE pa_currency AS ENUM ('AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BHD', 'BIF', 'BMD', 'BND', 'BOB', 'BOV', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHE', 'CHF', 'CHW', 'CLF', 'CLP', 'CNY', 'COP', 'COU', 'CRC', 'CUP', 'CVE', 'CZK', 'DJF', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GNF', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD', 'JOD', 'JPY', 'KES', 'KGS', 'KHR', 'KMF', 'KPW', 'KRW', 'KWD', 'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MXV', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'OMR', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR', 'RON', 'RSD', 'RUB', 'RWF', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX', 'USD', 'USN', 'UYI', 'UYU', 'UYW', 'UZS', 'VED', 'VES', 'VND', 'VUV', 'WST', 'XAD', 'XAF', 'XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XCD', 'XCG', 'XDR', 'XOF', 'XPD', 'XPF', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX', 'YER', 'ZAR', 'ZMW', 'ZWG');
CREATE TYPE pa_fx_basis AS ENUM ('identity', 'daily', 'year_avg', 'implied');
CREATE TYPE pa_flag AS ENUM ('duplicate', 'outlier', 'fx_fallback', 'fx_mismatch', 'unmapped_title');
CREATE TABLE record_rows (
    dataset_version INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    raw_title VARCHAR NOT NULL,
    role_family pa_role_family NOT NULL,
    title_seniority pa_title_seniority,
    level pa_level,
    level_source pa_level_source,
    employment_type pa_employment_type NOT NULL,
    country pa_country NOT NULL,
    residence pa_residence NOT NULL,
    region pa_region NOT NULL,
    remote_ratio SMALLINT,
    company_size pa_company_size,
    company VARCHAR,
    industry VARCHAR,
    city VARCHAR,
    pay_low DOUBLE NOT NULL,
    pay_high DOUBLE NOT NULL,
    pay_amount DOUBLE NOT NULL,
    pay_period pa_pay_period NOT NULL,
    currency pa_currency NOT NULL,
    annual_local DOUBLE NOT NULL,
    annual_usd DOUBLE NOT NULL,
    fx_rate DOUBLE NOT NULL,
    fx_date DATE NOT NULL,
    fx_basis pa_fx_basis NOT NULL,
    usd_reported DOUBLE,
    pay_year SMALLINT NOT NULL,
    pay_date DATE,
    first_seen DATE,
    is_duplicate BOOLEAN NOT NULL,
    is_outlier BOOLEAN NOT NULL,
    flags pa_flag[] NOT NULL
);
INSERT INTO record_rows SELECT * FROM records;
DROP TABLE records;
CREATE VIEW records AS SELECT dataset_version, source, source_row, raw_title, role_family::VARCHAR AS role_family, title_seniority::VARCHAR AS title_seniority, level::VARCHAR AS level, level_source::VARCHAR AS level_source, employment_type::VARCHAR AS employment_type, country::VARCHAR AS country, residence::VARCHAR AS residence, region::VARCHAR AS region, remote_ratio, company_size::VARCHAR AS company_size, company, industry, city, pay_low, pay_high, pay_amount, pay_period::VARCHAR AS pay_period, currency::VARCHAR AS currency, annual_local, annual_usd, fx_rate, fx_date, fx_basis::VARCHAR AS fx_basis, usd_reported, pay_year, pay_date, first_seen, is_duplicate, is_outlier, flags::VARCHAR[] AS flags FROM record_rows;
