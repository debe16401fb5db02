#!/usr/bin/env bash
# The PostgreSQL extension at scale: a table of ROWS respondents (default 10,000,000) x the bundled audit's 48 items,
# in a throw-away server (postgres/tests/throwaway_server.sh). In one session it times, RUNS times each, interleaved
# (median, min and max in seconds):
#   avg      plain avg() over the same 48 columns, serial              (the peer: what the table costs to read)
#   ethos    the 12 constructs' reliability: ethos_likert_agg + ethos_reliability, serial
#   avg_p2   / ethos_p2: the same two queries with 2 parallel workers
# then the other way: COPY the table out to CSV and run ethos-assess on the file (the export and the tool, timed
# apart), and checks that the extension's alpha of every construct equals the tool's to the bit.
# Usage: benchmarks/postgres_bench.sh [ROWS] [RUNS]      (needs postgresql-15 and postgresql-server-dev-15)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
runs=${2:-3}
source scripts/deps.sh
ethos_require_packages "${ETHOS_BUILD_PACKAGES[@]}" postgresql-15 postgresql-server-dev-15
cmake --preset release -DETHOS_BUILD_POSTGRES=ON > /dev/null
cmake --build --preset release --target ethos_assess ethos_generate_survey ethos_postgres > /dev/null
source postgres/tests/throwaway_server.sh
ethos_pg_throwaway build/release/postgres/lib/ethos.so build/release/postgres/share/extension \
  shared_buffers=1GB work_mem=256MB max_parallel_workers_per_gather=2
work=$(mktemp -d /tmp/ethos-pgbench.XXXXXX)
chmod a+rwx "$work"
trap 'rm -rf "$work"; ethos_pg_stop' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

echo "data: $rows respondents, 20,000 teams, 20 departments (ethos_generate_survey --seed 1)"
build/release/examples/assess/ethos_generate_survey --rows "$rows" --teams 20000 --departments 20 --seed 1 \
  "$work/survey.csv"
header=$(head -n 1 "$work/survey.csv")
columns=$(tr ',' '\n' <<< "$header" | awk '{ print $1 ($1 ~ /^(id|department|team|tenure)$/ ? " text" : " smallint") }' |
  paste -sd, -)
t=$SECONDS
q -c "CREATE EXTENSION ethos; CREATE TABLE survey ($columns);"
q -c "\\copy survey FROM '$work/survey.csv' WITH (FORMAT csv, HEADER true)"
q -c "VACUUM ANALYZE survey;"
echo "load: $((SECONDS - t)) s, table $(q -c "SELECT pg_size_pretty(pg_table_size('survey'))")"
rm -f "$work/survey.csv"

# The queries, built from the audit's constructs (4 items each; reverse-keyed items from the instrument).
instrument=examples/data/service_culture_audit.json
mapfile -t constructs < <(python3 - "$instrument" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
items = [i for i in doc["items"] if i.get("format", "likert") == "likert" and i.get("construct")]
for c in doc["constructs"]:
    mine = [i for i in items if i["construct"] == c["key"]]
    ids = ",".join(i["id"] for i in mine)
    rev = ",".join("true" if i.get("reverse") else "false" for i in mine)
    print(f"{c['key']} {ids} {rev}")
PY
)
ethos_select=""
check_select=""
avg_select=""
for line in "${constructs[@]}"; do
  read -r key ids rev <<< "$line"
  agg="ethos_likert_agg(ARRAY[$ids]::smallint[], 1, 5, ARRAY[$rev])"
  ethos_select+="${ethos_select:+, }ethos_reliability($agg)->'alpha' AS $key"
  # The tool's reliability is over the respondents with a score (half the items answered, rounded up): the same rows.
  check_select+="${check_select:+, }ethos_reliability($agg FILTER (WHERE num_nonnulls($ids) >= 2))->'alpha'"
  for i in ${ids//,/ }; do avg_select+="${avg_select:+, }avg($i)"; done
done
serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
declare -A times
time_query() { # name settings query: one run, seconds
  local start end
  start=$(date +%s.%N)
  q -c "$2" -c "$3" > "$work/$1.out"
  end=$(date +%s.%N)
  times[$1]+="$(echo "$end - $start" | bc) "
}
q -c "SELECT count(*) FROM survey" > /dev/null # warm the cache
for ((r = 0; r < runs; r++)); do
  time_query avg "$serial" "SELECT $avg_select FROM survey"
  time_query ethos "$serial" "SELECT $ethos_select FROM survey"
  time_query avg_p2 "$parallel" "SELECT $avg_select FROM survey"
  time_query ethos_p2 "$parallel" "SELECT $ethos_select FROM survey"
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f s (%.2f-%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
med() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in avg ethos avg_p2 ethos_p2; do echo "$name: $(median "${times[$name]}")"; done
echo "ethos / avg, serial: $(echo "scale=2; $(med "${times[ethos]}") / $(med "${times[avg]}")" | bc)"
echo "ethos / avg, 2 workers: $(echo "scale=2; $(med "${times[ethos_p2]}") / $(med "${times[avg_p2]}")" | bc)"
echo "ethos serial / ethos 2 workers: $(echo "scale=2; $(med "${times[ethos]}") / $(med "${times[ethos_p2]}")" | bc)"
cmp -s "$work/ethos.out" "$work/ethos_p2.out" || { echo "the parallel plan's alphas differ from the serial one's"; exit 1; }

# Per team: 12 states for each of the 20,000 teams in one GROUP BY (hash aggregation), kept in a table, against avg()
# of the 48 columns per team; then ICC across the teams and the protected figures of the 20 departments from those
# states (merged per department).
team_select=""
for line in "${constructs[@]}"; do
  read -r key ids rev <<< "$line"
  team_select+=", ethos_likert_agg(ARRAY[$ids]::smallint[], 1, 5, ARRAY[$rev]) AS $key"
done
team_avg=""
for line in "${constructs[@]}"; do
  read -r key ids rev <<< "$line"
  for i in ${ids//,/ }; do team_avg+=", avg($i) AS avg_$i"; done
done
ta=$(date +%s.%N)
q -c "$parallel" -c "CREATE TABLE team_avgs AS SELECT department, team$team_avg FROM survey GROUP BY department, team"
t0=$(date +%s.%N)
q -c "$parallel" -c "CREATE TABLE team_states AS SELECT department, team$team_select FROM survey GROUP BY department, team"
t1=$(date +%s.%N)
key0=$(read -r k _ <<< "${constructs[0]}"; echo "$k")
q -c "SELECT ethos_icc(array_agg(team), array_agg($key0)) ->> 'icc1' FROM team_states" > /dev/null
t2=$(date +%s.%N)
q -c "SELECT count(*) FROM (SELECT array_agg(department) AS d, array_agg(s) AS s FROM (SELECT department,
      ethos_merge_agg($key0) AS s FROM team_states GROUP BY department) x) a, ethos_protected_groups(5, a.d, a.s) p" \
  > /dev/null
t3=$(date +%s.%N)
echo "per team, avg() of the 48 columns: $(echo "$t0 - $ta" | bc) s; ethos / avg per team:" \
  "$(echo "scale=2; ($t1 - $t0) / ($t0 - $ta)" | bc)"
echo "per team: $(q -c "SELECT count(*) FROM team_states") teams x 12 states in $(echo "$t1 - $t0" | bc) s" \
  "($(q -c "SELECT pg_size_pretty(pg_table_size('team_states'))") stored); ICC across teams $(echo "$t2 - $t1" | bc) s;" \
  "protected department figures from the team states $(echo "$t3 - $t2" | bc) s"

# The other way: export the table and run the tool on the file.
t0=$(date +%s.%N)
q -c "\\copy survey TO '$work/export.csv' WITH (FORMAT csv, HEADER true)"
t1=$(date +%s.%N)
build/release/examples/assess/ethos-assess --format json "$work/export.csv" > "$work/tool.json"
t2=$(date +%s.%N)
echo "COPY out: $(echo "$t1 - $t0" | bc) s; ethos-assess on the file: $(echo "$t2 - $t1" | bc) s; together $(echo "$t2 - $t0" | bc) s"
q -c "$parallel" -c "SELECT $check_select FROM survey" > "$work/check.out"
python3 - "$work/tool.json" "$work/check.out" <<'PY'
import json, sys
tool = json.load(open(sys.argv[1]))
ours = [float(x) for x in open(sys.argv[2]).read().strip().split("|")]
theirs = [c["reliability"]["alpha"] for c in tool["constructs"]]
same = sum(a == b for a, b in zip(ours, theirs))
print(f"alpha over the respondents with a score: {same} of {len(ours)} constructs equal to the tool's to the bit")
sys.exit(0 if same == len(ours) else 1)
PY
