#!/usr/bin/env bash
# What including ethos costs a translation unit: g++ -std=c++20 -O0 -c, median of 3 runs, wall time and peak memory.
#   benchmarks/compile_cost.sh                 the top-level headers, header-only and separately compiled
#   benchmarks/compile_cost.sh probes          the application probe in both modes, through the umbrella of the whole
#                                              library (ethos_score.cpp) and through the layer it uses
#                                              (measure_score.cpp), against fmt_print.cpp (<fmt/format.h> printing
#                                              one number), with ratios
# Run it on an idle machine from the source root; CXX overrides the compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
cxx=${CXX:-g++}
# Header-only ethos needs Eigen's include folder (what pkg-config's eigen3 gives a consumer).
eigen=$(pkg-config --cflags eigen3 2>/dev/null || echo -I/usr/include/eigen3)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure FILE [FLAGS...] -> "seconds megabytes" (medians of 3)
measure() {
  local file=$1 ts=() ms=() out
  shift
  for _ in 1 2 3; do
    # shellcheck disable=SC2086 # $eigen is one or more flags
    if ! out=$({ /usr/bin/time -f "%e %M" "$cxx" -std=c++20 -O0 -Iinclude $eigen "$@" -c "$file" -o "$work/x.o"; } 2>&1); then
      printf '%s\n' "$out" >&2
      echo "compile_cost: $file did not compile" >&2
      exit 1
    fi
    out=$(tail -n 1 <<<"$out")
    ts+=("${out% *}")
    ms+=("${out#* }")
  done
  printf '%s %s\n' "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 2p)" \
    "$(($(printf '%s\n' "${ms[@]}" | sort -n | sed -n 2p) / 1024))"
}

if [ "${1:-}" = probes ]; then
  read -r tf mf < <(measure benchmarks/compile_cost/fmt_print.cpp)
  read -r th mh < <(measure benchmarks/compile_cost/ethos_score.cpp)
  read -r ts ms < <(measure benchmarks/compile_cost/ethos_score.cpp -DETHOS_SEPARATE_COMPILATION)
  read -r lh lmh < <(measure benchmarks/compile_cost/measure_score.cpp)
  read -r ls lms < <(measure benchmarks/compile_cost/measure_score.cpp -DETHOS_SEPARATE_COMPILATION)
  row() { printf '%-56s %7.2f %7d %5.1fx\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$tf" 'BEGIN{print a/b}')"; }
  printf '%-56s %7s %7s %6s\n' "translation unit" "seconds" "MB" "ratio"
  row "<fmt/format.h>, print one number" "$tf" "$mf"
  row "<ethos/ethos.hpp> + score, header-only" "$th" "$mh"
  row "<ethos/ethos.hpp> + score, ETHOS_SEPARATE_COMPILATION" "$ts" "$ms"
  row "<ethos/measure.hpp> + score, header-only" "$lh" "$lmh"
  row "<ethos/measure.hpp> + score, ETHOS_SEPARATE_COMPILATION" "$ls" "$lms"
  exit 0
fi

headers=(ethos/ethos.hpp ethos/framework.hpp ethos/measure.hpp ethos/stats.hpp ethos/org/organisation.hpp
  ethos/models.hpp ethos/io.hpp ethos/io/csv.hpp ethos/io/json.hpp ethos/report.hpp ethos/report/svg.hpp
  ethos/report/text.hpp ethos/report/org_text.hpp ethos/org/report.hpp)
printf '%-30s %18s %18s\n' "header" "header-only" "separate"
for h in "${headers[@]}"; do
  [ -f "include/$h" ] || continue
  printf '#include <%s>\nint main() {}\n' "$h" > "$work/tu.cpp"
  read -r t1 m1 < <(measure "$work/tu.cpp")
  read -r t2 m2 < <(measure "$work/tu.cpp" -DETHOS_SEPARATE_COMPILATION)
  printf '%-30s %7.2f s %6d MB %7.2f s %6d MB\n' "$h" "$t1" "$m1" "$t2" "$m2"
done
