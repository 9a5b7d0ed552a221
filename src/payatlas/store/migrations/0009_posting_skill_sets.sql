-- Skill sets (#12): each posting's set of canonical skills as a small id, and each version's
-- sets stored once (one row per set x skill). `posting_skills` (one row per posting x skill)
-- becomes a view joining the two: the same rows, never written out, so an ingest of 10M
-- postings writes a few thousand set rows instead of 60M skill rows, and the skills queries
-- group postings by set before they join.
ALTER TABLE postings ADD COLUMN skill_set INTEGER;
CREATE TABLE posting_skill_sets (
    dataset_version INTEGER NOT NULL,
    skill_set       INTEGER NOT NULL,
    skill           VARCHAR NOT NULL,
    category        VARCHAR NOT NULL
);
-- postings stored before this migration get their sets from their skill rows
CREATE TEMP TABLE _pa_m9_posting AS
SELECT posting_id, dataset_version, list(skill ORDER BY skill) AS skills,
       list(category ORDER BY skill) AS categories
FROM posting_skills GROUP BY posting_id, dataset_version;
CREATE TEMP TABLE _pa_m9_set AS
SELECT dataset_version, skills, categories,
       (row_number() OVER (PARTITION BY dataset_version ORDER BY skills))::INTEGER AS skill_set
FROM (SELECT dataset_version, skills, any_value(categories) AS categories
      FROM _pa_m9_posting GROUP BY dataset_version, skills);
INSERT INTO posting_skill_sets
SELECT dataset_version, skill_set, unnest(skills), unnest(categories) FROM _pa_m9_set;
UPDATE postings SET skill_set = m.skill_set
FROM (SELECT p.posting_id, s.skill_set FROM _pa_m9_posting p
      JOIN _pa_m9_set s USING (dataset_version, skills)) m
WHERE postings.posting_id = m.posting_id;
DROP TABLE _pa_m9_posting;
DROP TABLE _pa_m9_set;
DROP TABLE posting_skills;
CREATE VIEW posting_skills AS
SELECT p.posting_id, p.dataset_version, k.skill, k.category
FROM postings p JOIN posting_skill_sets k USING (dataset_version, skill_set);
