-- ethos in PostgreSQL, worked on the bundled sample survey: run from the repository's root, e.g.
--   psql -X -v ON_ERROR_STOP=1 -f postgres/example.sql
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ethos;

-- One row per respondent, as an HR tool keeps the answers (NULL: not answered).
DROP TABLE IF EXISTS example_answers CASCADE;
CREATE TABLE example_answers (
  id text PRIMARY KEY, department text, team text, tenure text,
  csl1 smallint, csl2 smallint, csl3 smallint, csl4 smallint, esv1 smallint, esv2 smallint, esv3 smallint,
  esv4 smallint, ssr1 smallint, ssr2 smallint, ssr3 smallint, ssr4 smallint, nso1 smallint, nso2 smallint,
  nso3 smallint, nso4 smallint, scm1 smallint, scm2 smallint, scm3 smallint, scm4 smallint, srr1 smallint,
  srr2 smallint, srr3 smallint, srr4 smallint, voc1 smallint, voc2 smallint, voc3 smallint, voc4 smallint,
  smm1 smallint, smm2 smallint, smm3 smallint, smm4 smallint, sip1 smallint, sip2 smallint, sip3 smallint,
  sip4 smallint, srg1 smallint, srg2 smallint, srg3 smallint, srg4 smallint, sbm1 smallint, sbm2 smallint,
  sbm3 smallint, sbm4 smallint, srm1 smallint, srm2 smallint, srm3 smallint, srm4 smallint, enps smallint,
  vc1 smallint, vc2 smallint, vc3 smallint, vc4 smallint
);
\copy example_answers FROM 'examples/data/sample_survey.csv' WITH (FORMAT csv, HEADER true)

-- 1. Reliability of "Voice of the customer" over everyone: alpha, its Feldt interval, omega ...
--    (the fourth item is reverse-keyed).
SELECT ethos_reliability(ethos_likert_agg(ARRAY[voc1, voc2, voc3, voc4], 1, 5, ARRAY[false, false, false, true]))
       -> 'alpha' AS alpha
FROM example_answers;

-- 2. One state per team, kept in a table: refreshed per team, merged into anything above it.
CREATE TABLE example_team_voice AS
SELECT department, team,
       ethos_likert_agg(ARRAY[voc1, voc2, voc3, voc4], 1, 5, ARRAY[false, false, false, true]) AS state
FROM example_answers GROUP BY department, team;

-- Agreement within each team (rwg(j), awg, AD): for the analyst, not for publication (teams can be small).
SELECT team, ethos_agreement(state) -> 'rwg_j' AS rwg_j FROM example_team_voice ORDER BY team LIMIT 3;

-- ICC(1) and ICC(2) across the teams.
SELECT ethos_icc(array_agg(team), array_agg(state)) FROM example_team_voice;

-- The teams' states merged equal one aggregate over all the rows, to the byte.
SELECT ethos_merge_agg(state) = (SELECT ethos_likert_agg(ARRAY[voc1, voc2, voc3, voc4], 1, 5,
                                                          ARRAY[false, false, false, true]) FROM example_answers)
       AS merged_equals_whole
FROM example_team_voice;

-- eNPS with its standard error.
SELECT ethos_enps_agg(enps) FROM example_answers;

-- 3. What a manager may see: department figures under the anonymity rules (k = 5). Hidden departments show their
--    size and why they are hidden, and no figure.
CREATE FUNCTION example_voice_by_department()
RETURNS TABLE (department text, respondents bigint, status text, mean float8, favorable float8)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT g.group_key, g.n, g.status, (g.result ->> 'mean')::float8, (g.result ->> 'favorable')::float8
  FROM (SELECT array_agg(department) AS keys, array_agg(state) AS states
        FROM (SELECT department, ethos_merge_agg(state) AS state
              FROM example_team_voice GROUP BY department) d) a,
       ethos_protected_groups(5, a.keys, a.states) g
$$;
REVOKE ALL ON example_answers, example_team_voice FROM PUBLIC;
REVOKE ALL ON FUNCTION example_voice_by_department() FROM PUBLIC;
-- GRANT EXECUTE ON FUNCTION example_voice_by_department() TO managers;   -- the readers' role, not the tables
SELECT * FROM example_voice_by_department();

DROP FUNCTION example_voice_by_department();
DROP TABLE example_team_voice, example_answers;
