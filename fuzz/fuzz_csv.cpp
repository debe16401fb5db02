// libFuzzer target for ethos/io/csv.hpp: any bytes, read as a responses CSV against a small instrument, must give
// a result or an ethos::error, never a crash; and the answer must not depend on the chunk size or the policy.
#include <ethos/io/csv.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Items a1, a2 (construct a, 1..5), nps (0..10) and sl (1..6): each kind of answer range once.
const ethos::instrument& fuzz_instrument() {
  static const ethos::instrument inst = [] {
    ethos::instrument_def d;
    d.id = "fuzz";
    d.constructs = {{"a", "A", {}}};
    d.items = {{"a1", "", "a"},
               {"a2", "", "a", true},
               {"nps", "", "", false, 1.0, std::nullopt, std::nullopt, ethos::response_format::nps},
               {"sl", "", "", false, 1.0, std::nullopt, std::nullopt, ethos::response_format::service_level}};
    d.nps_item = "nps";
    return ethos::instrument(std::move(d));
  }();
  return inst;
}

// A finding must stop the fuzzer with a stack trace, not be caught as an ordinary error.
void require(bool ok) {
  if (!ok) {
    std::abort();
  }
}

// Everything the tokenizer reports, flattened to one string, or the message of the error it threw.
std::string tokens(const std::string& text, std::size_t chunk, bool recover) {
  std::istringstream in(text);
  ethos::csv_reader reader(in, "fuzz.csv", {chunk, 1 << 20, recover});
  std::string out;
  try {
    for (ethos::csv_row row; reader.next(row);) {
      out += "row " + std::to_string(row.line()) + (row.blank() ? " blank" : "") + "\n";
      if (row.error()) {
        out += "error " + row.error()->message() + "\n";
        continue;
      }
      require(row.blank() == (row.size() == 0));
      for (const auto& f : row.fields()) {
        require(f.line >= row.line() && f.column >= 1);
        out += std::to_string(f.line) + ":" + std::to_string(f.column) + (f.quoted ? "q" : "u") + "[" +
               std::string(f.text) + "]\n";
      }
    }
  } catch (const ethos::csv_error& e) {
    require(e.what() == e.issue().message());
    out += "throw " + std::string(e.what());
  }
  return out;
}

struct outcome {
  bool threw = false;
  std::string message;
  ethos::csv_read_result result;
};

outcome parse(const std::string& text, const ethos::csv_options& options) {
  std::istringstream in(text);
  outcome o;
  try {
    o.result = ethos::read_responses(in, "fuzz.csv", fuzz_instrument(), options);
  } catch (const ethos::error& e) {
    o.threw = true;
    o.message = e.what();
  }
  return o;
}

bool same_matrix(const ethos::response_matrix& a, const ethos::response_matrix& b) {
  if (a.rows() != b.rows() || a.columns() != b.columns() || a.respondent_ids() != b.respondent_ids() ||
      a.waves() != b.waves() || a.groups().size() != b.groups().size()) {
    return false;
  }
  for (std::size_t j = 0; j < a.columns(); ++j) {
    for (std::size_t r = 0; r < a.rows(); ++r) {
      if (a.at(r, j) != b.at(r, j)) {
        return false;
      }
    }
  }
  for (std::size_t g = 0; g < a.groups().size(); ++g) {
    if (a.groups()[g].levels != b.groups()[g].levels || a.groups()[g].codes != b.groups()[g].codes) {
      return false;
    }
  }
  return true;
}

void check_responses(const std::string& text, ethos::csv_options options) {
  const ethos::instrument_view inst = fuzz_instrument();
  options.policy = ethos::invalid_row_policy::fail;
  const outcome fail = parse(text, options);
  options.policy = ethos::invalid_row_policy::skip;
  options.max_reported = 3;
  const outcome skip = parse(text, options);
  options.chunk_size = 3;
  const outcome small = parse(text, options);
  require(skip.threw == small.threw && skip.message == small.message);
  if (!skip.threw) {
    const auto& r = skip.result;
    require(r.rows == r.used + r.invalid);
    require(r.matrix.rows() == r.used);
    require(r.first_invalid.size() == std::min(r.invalid, options.max_reported));
    require(same_matrix(r.matrix, small.result.matrix) && r.invalid == small.result.invalid &&
            r.first_invalid == small.result.first_invalid);
    for (std::size_t j = 0; j < inst.items.size(); ++j) {
      const auto [lo, hi] = inst.answer_range(inst.items[j]);
      for (const auto x : r.matrix.column(j)) {
        require(x == ethos::response_matrix::missing || (x >= lo && x <= hi));
      }
    }
    // Without invalid rows the two policies agree; with some, fail throws the first one skip reported.
    if (r.invalid == 0) {
      require(!fail.threw && same_matrix(fail.result.matrix, r.matrix));
    } else {
      require(fail.threw && fail.message == r.first_invalid.front().message());
    }
  } else {
    require(fail.threw); // an error skip cannot get past stops fail too
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const bool recover : {false, true}) {
    const std::string reference = tokens(text, 64 * 1024, recover);
    require(tokens(text, 1, recover) == reference);
    require(tokens(text, 7, recover) == reference);
  }
  check_responses(text, {});
  ethos::csv_options strict;
  strict.wave_column = "wave";
  strict.metadata_columns = std::vector<std::string>{"team"};
  check_responses(text, strict);
  return 0;
}
