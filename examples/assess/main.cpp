// ethos-assess: scores a service culture survey (CSV) with an instrument and reports constructs, reliability,
// agreement, eNPS and groups as text or JSON, with SVG charts. Without a responses file it assesses the
// bundled sample survey with the bundled instrument.
#include <ethos/ethos.hpp>
#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/text.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

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
departments, 50 teams) with the bundled 48-item Service Culture Audit, grouped by department.

Input:
  RESPONSES.csv           one row per respondent; a header names the columns. Columns named
                          like an instrument item hold its answers (whole numbers; an empty
                          cell is a missing answer); 'id' holds the respondent id; every other
                          column is metadata (department, team ...) usable with --group-by.
  --instrument FILE.json  the instrument (schema ethos.instrument/1); default: the bundled
                          Service Culture Audit (examples/data/service_culture_audit.json)
  --group-by COLUMN       report groups of this metadata column (default: none; 'department'
                          for the sample survey)
  --min-group-size N      groups with fewer respondents show no score (default 5, at least 3);
                          further groups are hidden if a small one could be derived by subtraction
  --skip-invalid          leave out rows with invalid answers instead of stopping at the first;
                          their number and the first of them are reported

Output:
  --format text|json      the report's format (default text; json follows ethos.results/1)
  --out FILE              write the report to FILE instead of standard output
  --svg FILE              also write charts: a radar of the constructs' indexes and, when
                          grouped, a heatmap of groups x constructs
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
  std::optional<std::string> group_by;
  std::size_t min_group_size = 5;
  bool skip_invalid = false;
  std::string format = "text";
  std::string out;
  std::string svg;
  std::string scores;
  std::string group_results;
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
    if (inline_value && (a == "--help" || a == "--version" || a == "--skip-invalid")) {
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
    } else if (a == "--group-by") {
      o.group_by = value();
    } else if (a == "--min-group-size") {
      const std::string v = value();
      o.min_group_size = parse_size("--min-group-size", v);
      if (o.min_group_size < ethos::lowest_min_group_size) {
        throw usage_error{"--min-group-size must be at least " + std::to_string(ethos::lowest_min_group_size) +
                          ", not " + v};
      }
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
    } else if (a == "--scores") {
      o.scores = value();
    } else if (a == "--group-results") {
      o.group_results = value();
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

int run(const options& o) {
  const bool sample = o.responses.empty();
  const ethos::instrument inst = o.instrument.empty()
                                     ? ethos::instrument(ethos::instruments::service_culture_audit.view())
                                     : ethos::load_instrument_file(o.instrument);

  ethos::csv_options copt;
  copt.policy = o.skip_invalid ? ethos::invalid_row_policy::skip : ethos::invalid_row_policy::fail;
  ethos::csv_read_result input;
  if (sample) {
    const std::string bytes(reinterpret_cast<const char*>(ethos_assess::sample_survey_csv),
                            ethos_assess::sample_survey_csv_size);
    std::istringstream in(bytes);
    input = ethos::read_responses(in, "sample_survey.csv", inst.view(), copt);
  } else {
    input = ethos::read_responses_file(o.responses, inst.view(), copt);
  }
  for (const auto& issue : input.first_invalid) {
    std::fprintf(stderr, "%s (row left out)\n", issue.message().c_str());
  }
  if (input.invalid > input.first_invalid.size()) {
    std::fprintf(stderr, "... and %zu more invalid rows left out\n", input.invalid - input.first_invalid.size());
  }

  ethos::assessment_options aopt;
  aopt.group_by = o.group_by.value_or(sample ? "department" : "");
  aopt.min_group_size = o.min_group_size;
  const ethos::scoring_result scores = ethos::score(inst, input.matrix, aopt.scoring);
  ethos::assessment a = ethos::assess(inst.view(), input.matrix, scores, aopt);
  a.counts = {input.rows, input.used, input.invalid};

  const std::string report = o.format == "json" ? ethos::results_to_json_string(a) + "\n" : ethos::text_report(a);
  if (o.out.empty()) {
    std::fwrite(report.data(), 1, report.size(), stdout);
  } else {
    write_file(o.out, report);
  }
  if (!o.svg.empty()) {
    write_file(o.svg, ethos::assessment_svg(a));
  }
  if (!o.scores.empty()) {
    auto f = open_output(o.scores);
    ethos::write_person_scores(f, inst.view(), input.matrix, scores);
  }
  if (!o.group_results.empty()) {
    auto f = open_output(o.group_results);
    ethos::write_group_results(f, a);
  }
  return 0;
}

} // namespace

int main(int argc, char* argv[]) {
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
