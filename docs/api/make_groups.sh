#!/bin/sh
# Writes docs/api/groups.dox: one Doxygen group per layer of ethos (a page under "Modules"; "Topics" from Doxygen
# 1.10), and every public header put into its layer's group, without touching the headers themselves. Run it again
# whenever a public header is added, removed or renamed (from anywhere: paths are taken from the script's location):
#
#     sh docs/api/make_groups.sh            # rewrites docs/api/groups.dox
#     sh docs/api/make_groups.sh --check    # exits 1 when docs/api/groups.dox is out of date
#
# A public header is any include/ethos/**/*.hpp outside detail/ and impl/ folders. include/ethos/<layer>.hpp (the
# layer's umbrella) goes into the layer's group; the headers directly in include/ethos/ that are no layer's umbrella
# (ethos.hpp, error.hpp, status.hpp, version.hpp ...) go into the group `core`.
#
# A header that documents itself with a `\file` block gets only its group here. For a header that still opens with
# the plain banner `// ethos/<path>: <summary>`, the summary (up to the first line that is not a `//` comment) becomes
# the file's brief description, so that every header has its one-line summary in the reference either way.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/groups.dox"
check=no
if [ "${1:-}" = "--check" ]; then
  check=yes
fi

# The layers in dependency order, each as "name|title|one-sentence brief|further text". The further text may use
# Markdown; links to the pages in docs/ are relative to docs/api, where groups.dox lives.
layers='framework|Framework: the common service language|The vocabulary of service culture as strong types, core values and transaction maps.|The six levels of service, the four categories of value, the twelve building blocks, the seven leadership rules, blame, shame and excuses against personal responsibility, the service cycle and service modes are `enum class`es with a `constexpr` table of keys, labels and descriptions; core values come with the say/do gap, and transaction maps with their six-level summary. What each idea means: [Concepts](../concepts.md).
measure|Measure: instruments, scales and scoring|Response scales, instruments, response matrices and the one scoring engine.|Instruments are checked by the compiler or validated at run time and scored by the same engine (person scores, construct summaries, favourability, eNPS); gap (SERVQUAL-style) and 100-point allocation (OCAI-style) surveys; the bundled service culture audit. Formulas: [Statistics](../statistics.md).
stats|Stats: exact survey statistics|Mergeable integer accumulators and the statistics computed from them.|Reliability as `psych::alpha`, within-group agreement and ICC as multilevel, Welch t, effect sizes, correlations with Fisher z intervals and key-driver relative weights. Definitions, formulas, references and the R function each one matches: [Statistics](../statistics.md).
org|Org: organisations, anonymity and reports|Organisation units, assessments and roll-ups under a minimum group size, with proven anonymity.|Units and hierarchies, assessments, roll-ups and cuts, disclosure control (primary and complementary suppression, the exact audit), internal service, trends between waves, driver grids, and reports with their ledger. What a report promises: [Privacy](../privacy.md).
models|Models: research models|Linkage analysis, the service-profit chain and culture momentum.|Least-squares linkage of unit-level culture results to outcomes (as `lm`, with cluster-robust errors as `sandwich::vcovCL`), the service-profit chain with scenarios and Monte Carlo bands, the momentum model and its fit, and the reproducible random engine they share. Formulas: [Statistics](../statistics.md).
io|IO: CSV and JSON|Readers and writers of survey data and results.|CSV for responses, units tables, unit-level data, internal-service ratings and results; JSON instruments and results in `ethos/io/json.hpp`, the optional component `ethos::json` (needs nlohmann_json).
report|Report: text, SVG and fmt|Plain-text reports, SVG charts and fmt formatters.|The terminal report of an assessment and its organisation sections, SVG charts (radar, heatmaps, six-level bars, line charts with bands) and opt-in `fmt::formatter` specialisations.
core|Core: umbrella, errors, status codes, version|What every layer shares.|The umbrella header of the whole library, the exception types, the codes of empty results and of warnings, and the version.'

# The umbrella header of a layer: include/ethos/<layer>.hpp when it exists, else the layer's own umbrella file.
umbrella_of() {
  if [ "$1" = core ]; then
    echo "ethos/ethos.hpp"
  elif [ -e "$root/include/ethos/$1.hpp" ]; then
    echo "ethos/$1.hpp"
  elif [ "$1" = org ] && [ -e "$root/include/ethos/org/organisation.hpp" ]; then
    echo "ethos/org/organisation.hpp"
  fi
}

layer_names=$(printf '%s\n' "$layers" | cut -d'|' -f1)

# Escapes the characters Doxygen would read as commands or HTML in a brief taken from a banner.
# "e.g. " and "i.e. " get a backslash-space so that the brief does not end at their dot (JAVADOC_AUTOBRIEF ends a
# brief at the first ". ").
escape() {
  sed -e 's/\\/\\\\/g' -e 's/@/\\@/g' -e 's/</\\</g' -e 's/>/\\>/g' -e 's/%/\\%/g' -e 's/#/\\#/g' -e 's/&/\\&/g' \
    -e 's/\(e\.g\.\|i\.e\.\) /\1\\ /g'
}

# The summary of a header's plain banner, on one line, or nothing when the header has a \file block or no banner.
banner_summary() {
  if grep -q '^ *///* *[\\@]file' "$1"; then
    return 0
  fi
  awk -v rel="$2" '
    NR == 1 {
      prefix = "// " rel ":"
      if (index($0, prefix) != 1) exit
      text = substr($0, length(prefix) + 1)
      next
    }
    /^\/\/ / { text = text " " substr($0, 4); next }
    { exit }
    END {
      gsub(/^ +| +$/, "", text)
      # A sentence starts with a capital, unless it starts with a name from the code (running_moments, ethos::error).
      first = text
      sub(/ .*/, "", first)
      if (first !~ /[_:.(]/) text = toupper(substr(text, 1, 1)) substr(text, 2)
      print text
    }
  ' "$1" | escape
}

# Every public header of a layer, sorted: its umbrella first, then its folder (sub-folders included).
headers_of() {
  if [ "$1" = core ]; then
    for f in "$root"/include/ethos/*.hpp; do
      [ -e "$f" ] || continue
      name=$(basename "$f" .hpp)
      if ! printf '%s\n' "$layer_names" | grep -qx "$name"; then
        printf '%s\n' "ethos/$name.hpp"
      fi
    done
    return 0
  fi
  if [ -e "$root/include/ethos/$1.hpp" ]; then
    printf '%s\n' "ethos/$1.hpp"
  fi
  if [ -d "$root/include/ethos/$1" ]; then
    (cd "$root/include" && find "ethos/$1" -name '*.hpp' ! -path '*/detail/*' ! -path '*/impl/*' | LC_ALL=C sort)
  fi
}

generate() {
  printf '%s\n' \
    '/* The layers of ethos as Doxygen groups, with every public header in its group.' \
    '   Generated by docs/api/make_groups.sh: do not edit, run it again. */' \
    ''
  printf '%s\n' "$layers" | while IFS='|' read -r name title brief text; do
    umbrella=$(umbrella_of "$name")
    if [ -n "$umbrella" ]; then
      umbrella="Umbrella header: \`$umbrella\`."
    else
      umbrella="No umbrella header: include the headers below."
    fi
    printf '/**\n\\defgroup %s %s\n\\brief %s\n\n%s\n\n%s\n*/\n\n' "$name" "$title" "$brief" "$text" "$umbrella"
  done
  printf '%s\n' "$layers" | while IFS='|' read -r name title brief text; do
    headers_of "$name" | while read -r rel; do
      summary=$(banner_summary "$root/include/$rel" "$rel")
      if [ -n "$summary" ]; then
        printf '/**\n\\file %s\n\\ingroup %s\n\\brief %s\n*/\n\n' "$rel" "$name" "$summary"
      else
        printf '/**\n\\file %s\n\\ingroup %s\n*/\n\n' "$rel" "$name"
      fi
    done
  done
}

if [ "$check" = yes ]; then
  if generate | cmp -s - "$out"; then
    exit 0
  fi
  echo "docs/api/groups.dox is out of date: run sh docs/api/make_groups.sh" >&2
  exit 1
fi
generate >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(grep -c '^\\file ethos/' "$out") headers)"
