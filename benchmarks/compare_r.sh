#!/usr/bin/env bash
# Times R (psych::alpha, multilevel::rwg.j, ICC1/ICC2 of aov) and ethos on one shared data file in the same run,
# checks that both give the same numbers (1e-9 relative; 1e-6 for the factor models) and prints the speed ratio.
# Usage: benchmarks/compare_r.sh [ROWS] [GROUPS]     (defaults 100000 and 200 groups: R's aov builds an N x G model matrix, so many groups make R very slow; needs R, psych, multilevel)
#        benchmarks/compare_r.sh linkage [UNITS]      (default 2000: every 3-of-8-predictor linkage model, lm() against ethos::fit_ols)
#        benchmarks/compare_r.sh cfa [ROWS]           (default 100000 in 2 groups: the 48-item, 12-factor CFA and 3-level invariance, lavaan against ethos; needs r-cran-lavaan)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=survey
if [ "${1:-}" = linkage ] || [ "${1:-}" = cfa ]; then
  mode=$1
  shift
fi
rows=${1:-100000}
groups=${2:-200}
[ "$mode" = linkage ] && rows=${1:-2000}
[ "$mode" = cfa ] && groups=2
source scripts/deps.sh
ethos_require_packages "${ETHOS_BUILD_PACKAGES[@]}" libbenchmark-dev r-base-core r-cran-psych r-cran-multilevel \
  r-cran-lavaan
cmake --preset release >/dev/null
cmake --build --preset release --target ethos_compare_r >/dev/null
tool=build/release/benchmarks/ethos_compare_r
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$mode" = linkage ]; then
  "$tool" generate-linkage "$rows" "$work/units.csv"
  echo "data: $rows units x 8 predictors; 56 models of 3 predictors each"
  "$tool" linkage "$work/units.csv" >"$work/ethos.txt"
  Rscript benchmarks/compare_r_linkage.R "$work/units.csv" >"$work/r.txt"
elif [ "$mode" = cfa ]; then
  "$tool" generate "$rows" "$groups" "$work/survey.csv"
  echo "data: $rows respondents x 48 items (12 constructs of 4), $groups groups; the rows with every item answered"
  "$tool" cfa "$work/survey.csv" >"$work/ethos.txt" 2>"$work/ethos.err"
  Rscript benchmarks/compare_cfa.R "$work/survey.csv" >"$work/r.txt" 2>"$work/r.err"
  # Each fitting phase side by side; ethos's accumulation (one pass of exact sums) apart, as lavaan's time includes
  # its own sample statistics.
  awk '$1 == "ethos" && $2 == "phases:" { a = $4; ec = $6; ei = $8 }
       $1 == "lavaan" && $2 == "phases:" { rc = $4; ri = $6 }
       END {
         printf "cfa: lavaan %.3f s, ethos %.4f s: %.0f times faster\n", rc, ec, rc / ec
         printf "invariance (3 levels): lavaan %.3f s, ethos %.4f s: %.0f times faster\n", ri, ei, ri / ei
         printf "ethos accumulation apart: %.4f s\n", a
       }' "$work/ethos.err" "$work/r.err"
else
  "$tool" generate "$rows" "$groups" "$work/survey.csv"
  echo "data: $rows respondents x 48 items (12 constructs of 4), $groups groups"
  "$tool" analyse "$work/survey.csv" >"$work/ethos.txt"
  Rscript benchmarks/compare_r.R "$work/survey.csv" >"$work/r.txt"
fi
# lavaan's default search stops about 1e-6 from the minimum (its chi-square the higher): fit measures to 1e-6.
tol=1e-9
[ "$mode" = cfa ] && tol=1e-6
what=""
[ "$mode" = cfa ] && what=" (the fitting)"
paste -d' ' "$work/ethos.txt" "$work/r.txt" | awk -v tol="$tol" -v what="$what" '
  $1 == "seconds" { te = $2; tr = $4; next }
  {
    if ($1 != $4 || $2 != $5) { print "line mismatch: " $0; bad = 1; next }
    d = $3 - $6; if (d < 0) d = -d; s = $6 < 0 ? -$6 : $6
    rel = (s > 0) ? d / s : d
    if (rel > maxrel) maxrel = rel
    if (rel > tol) { print "DIFFERENT " $1 " " $2 ": ethos " $3 ", R " $6; bad = 1 }
    n++
  }
  END {
    printf "compared %d values, largest relative difference %.3g\n", n, maxrel
    printf "R %.3f s, ethos %.4f s%s: ethos is %.0f times faster\n", tr, te, what, tr / te
    exit bad
  }'
