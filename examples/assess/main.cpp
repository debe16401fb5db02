// ethos-assess: scores a service culture survey (CSV) with an instrument and reports constructs, reliability,
// agreement, eNPS and groups as text or JSON, with SVG charts. Without a responses file it assesses the
// bundled sample survey with the bundled instrument.
#include <ethos/ethos.hpp>
#include <ethos/io/csv.hpp>
#include <ethos/io/internal_service_csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/io/units_csv.hpp>
#include <ethos/models/measurement.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/org/report.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/html.hpp>
#include <ethos/report/measurement_text.hpp>
#include <ethos/report/org_text.hpp>
#include <ethos/report/text.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ethos_assess {
extern const unsigned char sample_survey_csv[];
extern const std::size_t sample_survey_csv_size;
} // namespace ethos_assess

namespace {

constexpr std::string_view usage_text = R"(Usage: ethos-assess [OPTIONS] [RESPONSES.csv]

Scores a service culture survey and reports, per construct, the mean, the 0-100 index, the
favourable share, Cronbach's alpha and (when grouped) within-group agreement; the eNPS; the
six-level ratings; and each group's results under a minimum group size.

Without RESPONSES.csv it assesses the bundled sample survey (590 synthetic respondents, 8
departments, 50 teams) with the bundled 48-item Service Culture Audit, grouped by department,
with units from the 'team' column.

Input:
  RESPONSES.csv           one row per respondent; a header names the columns. Columns named
                          like an instrument item hold its answers (whole numbers; an empty
                          cell is a missing answer); 'id' holds the respondent id; every other
                          column is metadata (department, team ...) usable with --group-by.
  --id-column COLUMN      the column of respondent ids (default 'id'); without one the ids are
                          row numbers, and a column that looks like ids is named in a warning
  --instrument FILE.json  the instrument (schema ethos.instrument/1); default: the bundled
                          Service Culture Audit (examples/data/service_culture_audit.json)
  --group-by COLUMN       report groups of this metadata column (default: none; 'department'
                          for the sample survey)
  --min-group-size N      groups with fewer respondents show no score (default 5, at least 3);
                          further groups are hidden if a small one could be derived by subtraction
  --agreement-over all|shown
                          the groups each construct's ICC and rwg(j) summary use: shown (default)
                          or all, small ones included, on every construct where no group with a
                          score is hidden (elsewhere they would give a hidden group's figures
                          away: those constructs keep the shown groups and say why); group
                          cells are hidden as before
  --skip-invalid          leave out rows with invalid answers instead of stopping at the first;
                          their number and the first of them are reported

Measurement (research figures over everyone who answered every item; not shown below N):
  --cfa                   add the confirmatory factor analysis of the instrument's structure
                          (each construct a factor of its keyed items, as lavaan's cfa): fit
                          (chi-square, CFI, TLI, RMSEA and its interval, SRMR), loadings and
                          factor correlations
  --invariance-by COLUMN  add measurement invariance across the levels of this metadata column
                          (configural, metric, scalar, as lavaan's group.equal) with the changes
                          of fit between them and a verdict by Chen's (2007) thresholds; levels
                          with fewer complete rows than N or than the items + 1 are left out

Organisation (any of these adds the units roll-up: every unit with all its sub-units):
  --unit-column COLUMN    metadata column naming each respondent's unit; labels are paths such
                          as 'Sales/EMEA/Team 3' unless --units gives the tree (default: the
                          --group-by column; 'team' for the sample survey)
  --units FILE.csv        the unit tree: columns unit, parent and optionally invited (headcount
                          invited, sub-units included, for participation rates); labels in the
                          unit column must be unit ids of this file
  --cut COLUMN            also report every unit by the levels of this metadata column (e.g.
                          tenure); cells that would expose fewer than N people are hidden
  --compare PREVIOUS.csv  an earlier wave of the same survey: per unit and construct the change,
                          Welch's t and p, and Cohen's d (only where both waves show the cell)
  --internal-service FILE.csv
                          ratings units give each other: columns person, rater_unit,
                          served_unit, rating; the matrix, margins, asymmetric pairs, silos
  --internal-scale likert|levels
                          the ratings' scale: 1-5 (default) or the six levels of service (1-6)
  --outcome KEY           key-driver analysis against this construct (default: the instrument's
                          NPS item, when it has one); organisation and units with 30 or more
  --unit-results FILE.csv also write each unit's results (hidden cells without scores)

Privacy:
  Every figure of every section is audited together: no sum or difference of published
  figures, whatever the signs, isolates fewer than N people (--min-group-size), and a
  report that would is never written. The roll-up, the protection and the audit use every
  processor core; the report is the same with any number of them.
  --ledger FILE           the releases already made to this report's audience (created if
                          missing): the report is protected and audited together with all of
                          them, the whole held to the smallest minimum group size among them,
                          and then recorded in FILE. Keep FILE where the raw answers are kept:
                          it holds fingerprints of respondent ids and answers.

Output:
  --format text|json      the report's format (default text; json follows ethos.results/1)
  --out FILE              write the report to FILE instead of standard output
  --svg FILE              also write charts: a radar of the constructs' indexes and, when
                          grouped, a heatmap of groups x constructs
  --html FILE.html        also write the report as one self-contained web page (no script, works
                          offline, prints on A4): summary, constructs, profile, heatmaps, driver
                          chart, changes, internal service, measurement model, warnings and a key
  --scores FILE.csv       also write every respondent's construct scores
  --group-results FILE.csv
                          also write each group's results (suppressed groups without scores)
  --help                  show this text
  --version               show the ethos version

Exit status: 0 success, 1 invalid input (the message on standard error reads
FILE:LINE:COLUMN: reason for a CSV problem), 2 wrong usage.
)";

struct options {
  std::string responses;
  std::string instrument;
  std::optional<std::string> id_column;
  std::optional<std::string> group_by;
  std::size_t min_group_size = 5;
  std::string agreement_over = "shown";
  bool skip_invalid = false;
  std::string format = "text";
  std::string out;
  std::string svg;
  std::string html;
  std::string scores;
  std::string group_results;
  std::optional<std::string> unit_column;
  std::string units;
  std::string cut;
  std::string compare;
  std::string internal_service;
  std::string internal_scale = "likert";
  std::string outcome;
  std::string unit_results;
  std::string ledger;
  bool cfa = false;
  std::string invariance_by;
};

struct usage_error {
  std::string message;
};

std::size_t parse_size(std::string_view flag, std::string_view value) {
  std::size_t n = 0;
  const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || p != value.data() + value.size()) {
    throw usage_error{std::string(flag) + " needs a whole number, not '" + std::string(value) + "'"};
  }
  return n;
}

options parse_args(int argc, char* argv[], bool& done) {
  options o;
  done = false;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::optional<std::string_view> inline_value;
    if (a.starts_with("--") && a.find('=') != std::string_view::npos) {
      inline_value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
    }
    const auto value = [&]() -> std::string {
      if (inline_value) {
        return std::string(*inline_value);
      }
      if (i + 1 >= args.size()) {
        throw usage_error{std::string(a) + " needs a value"};
      }
      return std::string(args[++i]);
    };
    if (inline_value && (a == "--help" || a == "--version" || a == "--skip-invalid" || a == "--cfa")) {
      throw usage_error{std::string(a) + " takes no value"};
    }
    if (a == "--help" || a == "-h") {
      std::fwrite(usage_text.data(), 1, usage_text.size(), stdout);
      done = true;
      return o;
    }
    if (a == "--version") {
      std::printf("ethos-assess %.*s\n", static_cast<int>(ethos::version_string.size()), ethos::version_string.data());
      done = true;
      return o;
    }
    if (a == "--instrument") {
      o.instrument = value();
    } else if (a == "--id-column") {
      o.id_column = value();
    } else if (a == "--group-by") {
      o.group_by = value();
    } else if (a == "--min-group-size") {
      const std::string v = value();
      o.min_group_size = parse_size("--min-group-size", v);
      if (o.min_group_size < ethos::lowest_min_group_size) {
        throw usage_error{"--min-group-size must be at least " + std::to_string(ethos::lowest_min_group_size) +
                          ", not " + v};
      }
    } else if (a == "--agreement-over") {
      o.agreement_over = value();
      if (o.agreement_over != "all" && o.agreement_over != "shown") {
        throw usage_error{"--agreement-over must be all or shown, not '" + o.agreement_over + "'"};
      }
    } else if (a == "--cfa") {
      o.cfa = true;
    } else if (a == "--invariance-by") {
      o.invariance_by = value();
    } else if (a == "--skip-invalid") {
      o.skip_invalid = true;
    } else if (a == "--format") {
      o.format = value();
      if (o.format != "text" && o.format != "json") {
        throw usage_error{"--format must be text or json, not '" + o.format + "'"};
      }
    } else if (a == "--out") {
      o.out = value();
    } else if (a == "--svg") {
      o.svg = value();
    } else if (a == "--html") {
      o.html = value();
    } else if (a == "--scores") {
      o.scores = value();
    } else if (a == "--group-results") {
      o.group_results = value();
    } else if (a == "--unit-column") {
      o.unit_column = value();
    } else if (a == "--units") {
      o.units = value();
    } else if (a == "--cut") {
      o.cut = value();
    } else if (a == "--compare") {
      o.compare = value();
    } else if (a == "--internal-service") {
      o.internal_service = value();
    } else if (a == "--internal-scale") {
      o.internal_scale = value();
      if (o.internal_scale != "likert" && o.internal_scale != "levels") {
        throw usage_error{"--internal-scale must be likert or levels, not '" + o.internal_scale + "'"};
      }
    } else if (a == "--outcome") {
      o.outcome = value();
    } else if (a == "--unit-results") {
      o.unit_results = value();
    } else if (a == "--ledger") {
      o.ledger = value();
    } else if (a.starts_with("-") && a != "-") {
      throw usage_error{"unknown option '" + std::string(a) + "'"};
    } else if (o.responses.empty()) {
      o.responses = std::string(a);
    } else {
      throw usage_error{"only one responses file may be given ('" + o.responses + "' and '" + std::string(a) + "')"};
    }
  }
  return o;
}

// Opens FILE for writing or fails as invalid input, naming the file.
std::ofstream open_output(const std::string& path) {
  std::ofstream f(path, std::ios::binary);
  if (!f) {
    throw ethos::error(path + ": cannot open for writing: " + std::generic_category().message(errno));
  }
  return f;
}

void write_file(const std::string& path, std::string_view text) {
  auto f = open_output(path);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) {
    throw ethos::error(path + ": write failed");
  }
}

// What the ledger records as this release's label: the responses file and the options that shape the report.
std::string release_label(const options& o) {
  std::string label = o.responses.empty() ? std::string("bundled sample survey") : o.responses;
  label += ", k " + std::to_string(o.min_group_size);
  if (o.id_column) {
    label += ", --id-column " + *o.id_column;
  }
  if (o.group_by) {
    label += ", --group-by " + *o.group_by;
  }
  if (o.agreement_over != "shown") {
    label += ", --agreement-over " + o.agreement_over;
  }
  if (o.unit_column) {
    label += ", --unit-column " + *o.unit_column;
  }
  for (const auto& [flag, value] : {std::pair<const char*, const std::string*>{"--units", &o.units},
                                    {"--cut", &o.cut},
                                    {"--compare", &o.compare},
                                    {"--internal-service", &o.internal_service},
                                    {"--outcome", &o.outcome}}) {
    if (!value->empty()) {
      label += std::string(", ") + flag + " " + *value;
    }
  }
  return label;
}

int run(const options& o) {
  const bool sample = o.responses.empty();
  const ethos::instrument inst = o.instrument.empty()
                                     ? ethos::instrument(ethos::instruments::service_culture_audit.view())
                                     : ethos::load_instrument_file(o.instrument);
  const ethos::instrument_view view = inst.view();

  ethos::csv_options copt;
  copt.policy = o.skip_invalid ? ethos::invalid_row_policy::skip : ethos::invalid_row_policy::fail;
  if (o.id_column) {
    copt.id_column = *o.id_column;
  }
  ethos::csv_read_result input;
  if (sample) {
    const std::string bytes(reinterpret_cast<const char*>(ethos_assess::sample_survey_csv),
                            ethos_assess::sample_survey_csv_size);
    std::istringstream in(bytes);
    input = ethos::read_responses(in, "sample_survey.csv", view, copt);
  } else {
    input = ethos::read_responses_file(o.responses, view, copt);
  }
  // What reading a responses file left out, and what it warns of (an id column not found, say), on stderr.
  const auto report_skipped = [](const ethos::csv_read_result& r) {
    for (const auto& w : r.warnings) {
      std::fprintf(stderr, "warning: %s\n", w.message.c_str());
    }
    for (const auto& issue : r.first_invalid) {
      std::fprintf(stderr, "%s (row left out)\n", issue.message().c_str());
    }
    if (r.invalid > r.first_invalid.size()) {
      std::fprintf(stderr, "... and %zu more invalid rows left out\n", r.invalid - r.first_invalid.size());
    }
  };
  report_skipped(input);

  ethos::report_request q;
  q.instrument = &view;
  q.options.min_group_size = o.min_group_size;
  q.options.group_by = o.group_by.value_or(sample ? "department" : "");
  q.options.assessment.agreement_over =
      o.agreement_over == "all" ? ethos::agreement_scope::all : ethos::agreement_scope::shown;
  q.options.cut = o.cut;
  // The inventory (and its labels) is what a ledger records; without one, nothing here reads it, and the proof runs
  // on the same cells in compact form.
  q.options.cell_labels = !o.ledger.empty();
  q.options.inventory = !o.ledger.empty();
  q.options.threads = 0; // every core: the report is the same with any number
  const ethos::scoring_result scores = ethos::score(view, input.matrix, q.options.assessment.scoring);
  q.current = {&input.matrix, &scores, nullptr, nullptr, input.row_number_ids};

  // The organisation: a unit tree for each wave, and the sections computed on it.
  const std::string unit_column = o.unit_column.value_or(sample ? "team" : q.options.group_by);
  const bool org = !unit_column.empty() || !o.units.empty() || !o.cut.empty() || !o.compare.empty() ||
                   !o.internal_service.empty() || !o.outcome.empty();
  std::optional<ethos::unit_tree> given_tree;
  if (!o.units.empty()) {
    given_tree = ethos::read_units_file(o.units);
  }
  const auto tree_for = [&](const ethos::response_matrix& m) -> std::pair<ethos::unit_tree, ethos::unit_assignment> {
    if (unit_column.empty()) {
      if (given_tree) {
        throw ethos::error("--units needs --unit-column (or --group-by) to say which column names each unit");
      }
      return {ethos::unit_tree(), ethos::unit_assignment{std::vector<std::uint32_t>(m.rows(), 0), m.rows()}};
    }
    const auto* col = m.group(unit_column);
    if (col == nullptr) {
      throw ethos::error("no metadata column '" + unit_column + "' names the units");
    }
    if (given_tree) {
      return {*given_tree, ethos::assign_units(*given_tree, *col)};
    }
    return ethos::units_from_column(*col);
  };
  std::optional<std::pair<ethos::unit_tree, ethos::unit_assignment>> units;
  std::optional<ethos::csv_read_result> previous;
  std::optional<ethos::scoring_result> previous_scores;
  std::optional<std::pair<ethos::unit_tree, ethos::unit_assignment>> previous_units;
  if (org) {
    units = tree_for(input.matrix);
    q.current.tree = &units->first;
    q.current.units = &units->second;
    if (!view.nps_item.empty() || !o.outcome.empty()) {
      ethos::unit_driver_options dro;
      dro.outcome = o.outcome;
      q.options.drivers = dro;
    }
    if (!o.compare.empty()) {
      previous = ethos::read_responses_file(o.compare, view, copt);
      report_skipped(*previous);
      previous_scores = ethos::score(view, previous->matrix, q.options.assessment.scoring);
      previous_units = tree_for(previous->matrix);
      q.previous = ethos::survey_wave{&previous->matrix, &*previous_scores, &previous_units->first,
                                      &previous_units->second, previous->row_number_ids};
    }
  }
  std::vector<ethos::internal_rating> ratings;
  if (!o.internal_service.empty()) {
    if (o.internal_scale == "levels") {
      q.options.internal_service.scale = ethos::internal_scale_kind::service_levels;
    }
    q.options.internal_service.min_group_size = o.min_group_size;
    ratings = ethos::read_internal_ratings_file(o.internal_service, q.options.internal_service);
    q.ratings = std::span<const ethos::internal_rating>(ratings);
  }
  std::optional<ethos::release_ledger> ledger;
  if (!o.ledger.empty()) {
    std::error_code ec;
    ledger = std::filesystem::exists(o.ledger, ec) ? ethos::release_ledger::load(o.ledger) : ethos::release_ledger();
    q.ledger = &*ledger;
  }

  // Every section is protected together with the others (and with what the ledger says this audience has seen),
  // and the whole report is audited; a report that fails the audit is never written.
  ethos::survey_report rep = ethos::build_report(q);
  rep.summary.counts = {input.rows, input.used, input.invalid};

  // The measurement models, over everyone who answered every item (and, for invariance, the levels with at least N
  // such rows): research figures the writers withhold below N.
  std::optional<ethos::measurement_model> measurement;
  if (o.cfa) {
    measurement = ethos::fit_measurement_model(view, input.matrix);
  }
  std::optional<ethos::measurement_invariance_model> invariance;
  if (!o.invariance_by.empty()) {
    if (input.matrix.group(o.invariance_by) == nullptr) {
      throw ethos::error("--invariance-by: no metadata column '" + o.invariance_by + "'");
    }
    ethos::measurement_options mo;
    std::size_t likert = 0;
    for (const auto& it : view.items) {
      likert += it.format == ethos::response_format::likert ? 1 : 0;
    }
    mo.min_group_rows = std::max(o.min_group_size, likert + 1);
    invariance = ethos::fit_measurement_invariance(view, input.matrix, o.invariance_by, mo);
  }

  if (o.format == "json") {
    // Written as it is made: the text of a report of 20,000 units is never held in memory whole.
    std::ofstream file;
    if (!o.out.empty()) {
      file = open_output(o.out);
    }
    std::ostream& out = o.out.empty() ? std::cout : file;
    ethos::write_results_json(out, rep, measurement ? &*measurement : nullptr, invariance ? &*invariance : nullptr);
    out << '\n';
    out.flush();
    if (!out) {
      throw ethos::error((o.out.empty() ? std::string("standard output") : o.out) + ": write failed");
    }
  } else {
    std::string report = ethos::report_text(rep);
    if (measurement) {
      report += ethos::measurement_text(*measurement, o.min_group_size);
    }
    if (invariance) {
      report += ethos::invariance_text(*invariance, o.min_group_size);
    }
    if (o.out.empty()) {
      std::fwrite(report.data(), 1, report.size(), stdout);
    } else {
      write_file(o.out, report);
    }
  }
  if (!o.svg.empty()) {
    write_file(o.svg, ethos::assessment_svg(rep));
  }
  if (!o.html.empty()) {
    ethos::html_report_options ho;
    ho.measurement = measurement ? &*measurement : nullptr;
    ho.invariance = invariance ? &*invariance : nullptr;
    write_file(o.html, ethos::report_html(rep, ho));
  }
  if (!o.scores.empty()) {
    auto f = open_output(o.scores);
    ethos::write_person_scores(f, view, input.matrix, scores);
  }
  if (!o.group_results.empty()) {
    auto f = open_output(o.group_results);
    ethos::write_group_results(f, rep);
  }
  if (!o.unit_results.empty()) {
    if (!rep.units) {
      throw ethos::error("--unit-results needs units: give --unit-column, --units or --group-by");
    }
    auto f = open_output(o.unit_results);
    ethos::write_unit_results(f, rep);
  }
  if (ledger) {
    // Recorded only once everything was written: a release that failed is not one the audience has seen.
    ledger->record(rep.cells, rep.min_group_size, release_label(o));
    ledger->save(o.ledger);
  }
  return 0;
}

} // namespace

int main(int argc, char* argv[]) {
#if defined(__GLIBC__)
  // The disclosure protection builds and drops large tables for each domain of a report (dozens at the size of a
  // large employer); glibc would hand each back to the system and fault it in again: keep them in the heap. But
  // give back what stays free above 16 MB at a heap's top, or the memory each thread's heap once held stays ours
  // to the end (at 1M respondents with a cut: 347 MiB at the peak instead of 364, for 2-5% more time).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
#endif
  // Standard output is written through std::cout (JSON) or stdio (the text report, usage), never both in one run:
  // std::cout needs no synchronisation with stdio, which costs a call per write on a report of 300 MB.
  std::ios::sync_with_stdio(false);
  options o;
  try {
    bool done = false;
    o = parse_args(argc, argv, done);
    if (done) {
      return 0;
    }
  } catch (const usage_error& e) {
    std::fprintf(stderr, "ethos-assess: %s\nTry 'ethos-assess --help'.\n", e.message.c_str());
    return 2;
  }
  try {
    return run(o);
  } catch (const ethos::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ethos-assess: %s\n", e.what());
    return 1;
  }
}
