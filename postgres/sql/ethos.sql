-- ethos @PROJECT_VERSION@: the install script of CREATE EXTENSION ethos (made from postgres/sql/ethos.sql).
\echo Use "CREATE EXTENSION ethos" to load this file. \quit

-- The state of a Likert aggregate: the ethos.state/1 bytes of a likert_accumulator (docs/state_format.md). A real
-- type, not `internal`, so that partial aggregates travel between processes and machines as values of it.
CREATE TYPE ethos_likert_state;

CREATE FUNCTION ethos_likert_state_in(cstring) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_likert_state_out(ethos_likert_state) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_likert_state_recv(internal) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_likert_state_send(ethos_likert_state) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ethos_likert_state (
  INPUT = ethos_likert_state_in,
  OUTPUT = ethos_likert_state_out,
  RECEIVE = ethos_likert_state_recv,
  SEND = ethos_likert_state_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = int4,
  STORAGE = extended
);
COMMENT ON TYPE ethos_likert_state IS
  'Mergeable exact counts of k Likert items (ethos.state/1): the state of ethos_likert_agg and ethos_merge_agg';

-- States made elsewhere (the Python package's LikertAccumulator.to_bytes()) and back: checked on the way in.
CREATE FUNCTION ethos_likert_state_from_bytea(bytea) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_likert_state_to_bytea(ethos_likert_state) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS ethos_likert_state) WITH FUNCTION ethos_likert_state_from_bytea(bytea);
CREATE CAST (ethos_likert_state AS bytea) WITH FUNCTION ethos_likert_state_to_bytea(ethos_likert_state);

-- ethos_likert_agg(answers, scale_min, scale_max [, reverse [, min_answered]]): one row per respondent, one array
-- element per item, NULL elements for missing answers. A NULL array is no row; an array of NULLs is a respondent who
-- answered nothing (counted in n).
CREATE FUNCTION ethos_likert_trans(ethos_likert_state, smallint[], int, int) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ethos_likert_trans(ethos_likert_state, smallint[], int, int, bool[]) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ethos_likert_trans(ethos_likert_state, smallint[], int, int, bool[], int) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ethos_likert_merge(ethos_likert_state, ethos_likert_state) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_likert_final(ethos_likert_state) RETURNS ethos_likert_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE ethos_likert_agg(smallint[], int, int) (
  SFUNC = ethos_likert_trans, STYPE = ethos_likert_state, FINALFUNC = ethos_likert_final,
  COMBINEFUNC = ethos_likert_merge, PARALLEL = SAFE
);
CREATE AGGREGATE ethos_likert_agg(smallint[], int, int, bool[]) (
  SFUNC = ethos_likert_trans, STYPE = ethos_likert_state, FINALFUNC = ethos_likert_final,
  COMBINEFUNC = ethos_likert_merge, PARALLEL = SAFE
);
CREATE AGGREGATE ethos_likert_agg(smallint[], int, int, bool[], int) (
  SFUNC = ethos_likert_trans, STYPE = ethos_likert_state, FINALFUNC = ethos_likert_final,
  COMBINEFUNC = ethos_likert_merge, PARALLEL = SAFE
);
COMMENT ON AGGREGATE ethos_likert_agg(smallint[], int, int, bool[], int) IS
  'Exact counts of a construct''s items (answers, scale_min, scale_max, reverse, min_answered) as a mergeable state';

-- ethos_merge_agg(state): merges stored states of one design (per-team states into a department's, say).
CREATE AGGREGATE ethos_merge_agg(ethos_likert_state) (
  SFUNC = ethos_likert_merge, STYPE = ethos_likert_state, FINALFUNC = ethos_likert_final,
  COMBINEFUNC = ethos_likert_merge, PARALLEL = SAFE
);

-- Statistics of a state, as jsonb with the keys of ethos.results/1.
CREATE FUNCTION ethos_state_info(ethos_likert_state) RETURNS jsonb
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_reliability(ethos_likert_state) RETURNS jsonb
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_agreement(ethos_likert_state) RETURNS jsonb
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- ICC(1)/ICC(2) across groups, one state per group: the groups in key order, equal keys merged, NULL keys left out.
CREATE FUNCTION ethos_icc(group_keys text[], states ethos_likert_state[]) RETURNS jsonb
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Per-group figures under the anonymity rules of ethos-assess: the way to publish per-group figures from SQL.
CREATE FUNCTION ethos_protected_groups(k int, groups text[], states ethos_likert_state[])
  RETURNS TABLE (group_key text, n bigint, status text, result jsonb)
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 20;

-- eNPS of a 0..10 item: the state is bigint[3] {promoters, passives, detractors}.
CREATE FUNCTION ethos_enps_trans(bigint[], smallint) RETURNS bigint[]
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_enps_combine(bigint[], bigint[]) RETURNS bigint[]
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ethos_enps_final(bigint[]) RETURNS jsonb
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE ethos_enps_agg(smallint) (
  SFUNC = ethos_enps_trans, STYPE = bigint[], INITCOND = '{0,0,0}', FINALFUNC = ethos_enps_final,
  COMBINEFUNC = ethos_enps_combine, PARALLEL = SAFE
);

-- Equality of two states: the encoding has one spelling per state, so equal bytes are equal counts.
CREATE FUNCTION ethos_likert_state_eq(ethos_likert_state, ethos_likert_state) RETURNS bool
  AS 'SELECT $1::bytea = $2::bytea' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (
  LEFTARG = ethos_likert_state, RIGHTARG = ethos_likert_state, FUNCTION = ethos_likert_state_eq, COMMUTATOR = =
);
