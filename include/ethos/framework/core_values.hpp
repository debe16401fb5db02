// ethos/framework/core_values.hpp: a user's core values and the say/do gap between aspiration and observed behaviour.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// A declared core value: its name, what it means, and the behaviours that show it in daily work.
struct core_value {
  std::string name;
  std::string statement;
  std::vector<std::string> behaviours;
};

/// A validated set of core values: names non-empty and unique (case-insensitively), each with a statement.
class core_value_set {
 public:
  core_value_set() = default;

  /// Validates `values` and throws validation_error naming every problem.
  explicit core_value_set(std::vector<core_value> values) : values_(std::move(values)) {
    throw_if_problems("core value set", check(values_));
  }

  /// Every problem in `values`, without throwing.
  static std::vector<problem> check(std::span<const core_value> values) {
    std::vector<problem> out;
    if (values.empty()) {
      out.push_back({"core value set", "has no values"});
    }
    detail::check_unique_names(
        values, [](const core_value& v) -> std::string_view { return v.name; }, "value", out);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!detail::trim(values[i].name).empty() && detail::trim(values[i].statement).empty()) {
        out.push_back({"value #" + std::to_string(i + 1) + " " + detail::quoted(values[i].name), "has no statement"});
      }
    }
    return out;
  }

  const std::vector<core_value>& values() const noexcept { return values_; }
  std::size_t size() const noexcept { return values_.size(); }

  /// Position of the value called `name` (case-insensitive, spaces around ignored).
  std::optional<std::size_t> index_of(std::string_view name) const noexcept {
    const auto n = detail::trim(name);
    for (std::size_t i = 0; i < values_.size(); ++i) {
      if (detail::iequals(detail::trim(values_[i].name), n)) {
        return i;
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<core_value> values_;
};

/// Reads core values from a small line format (blank lines and lines starting with '#' are ignored):
///
///     value: Own the outcome
///     statement: We finish what we start and say so when we cannot.
///     behaviour: Tells the person served when a promise is at risk, before the deadline.
///
/// ("behavior:" is accepted too.) Throws validation_error naming `source:line` for every problem.
inline core_value_set parse_core_values(std::string_view text, std::string_view source = "<core values>") {
  std::vector<core_value> values;
  std::vector<problem> problems;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view line = detail::trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const std::string where = std::string(source) + ":" + std::to_string(line_no);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      problems.push_back({where, "expected 'field: text', found no ':'"});
      continue;
    }
    const std::string_view field = detail::trim(line.substr(0, colon));
    const std::string text_value(detail::trim(line.substr(colon + 1)));
    if (detail::iequals(field, "value")) {
      values.push_back({text_value, {}, {}});
    } else if (values.empty()) {
      problems.push_back({where, "'" + std::string(field) + "' appears before any 'value:' line"});
    } else if (detail::iequals(field, "statement")) {
      if (!values.back().statement.empty()) {
        problems.push_back({where, "value '" + values.back().name + "' has a second statement"});
      }
      values.back().statement = text_value;
    } else if (detail::iequals(field, "behaviour") || detail::iequals(field, "behavior")) {
      if (text_value.empty()) {
        problems.push_back({where, "empty behaviour"});
      } else {
        values.back().behaviours.push_back(text_value);
      }
    } else {
      problems.push_back(
          {where, "unknown field '" + std::string(field) + "' (expected value, statement or behaviour)"});
    }
  }
  auto more = core_value_set::check(values);
  problems.insert(problems.end(), more.begin(), more.end());
  throw_if_problems(std::string(source), std::move(problems));
  return core_value_set(std::move(values));
}

/// An example value set, written for this library, that shows the shape of a service-minded set of values.
inline core_value_set example_core_values() {
  return core_value_set({
      {"Serve the next person well",
       "Every piece of work has someone who receives it; we do it with that person in mind.",
       {"Asks who will use the work and what they need from it.", "Hands work over complete and easy to use."}},
      {"Own the outcome",
       "We finish what we start and speak up early when a promise is at risk.",
       {"Warns the person served before a deadline slips.", "Fixes a problem first and discusses fault later."}},
      {"Go one step further",
       "We look for the next useful action before anyone asks for it.",
       {"Suggests an improvement along with the answer requested.", "Follows up after the job is done."}},
      {"Learn in the open",
       "We share what went wrong as readily as what went right, so that everyone improves.",
       {"Brings mistakes to the team's review without being asked.", "Tries a colleague's better method."}},
      {"Make it easy",
       "We remove steps, waits and jargon that make life harder for the people we serve.",
       {"Removes a form field or approval nobody needs.", "Explains things in the other person's words."}},
  });
}

/// The range of the rating scale used for aspiration and observation, inclusive.
struct rating_range {
  int min = 1;
  int max = 5;
};

/// One rater's view of one value: how important it should be (aspiration) and how consistently it is
/// lived (observed). Either may be missing.
struct value_rating {
  std::string value;
  std::optional<int> aspiration;
  std::optional<int> observed;
};

/// The say/do gap for one value: means of the ratings given and gap = aspiration - observed (a positive gap
/// means behaviour lags the claim). A mean or gap is empty when there was nothing to average.
struct value_gap {
  std::string value;
  std::size_t n_aspiration = 0;
  std::size_t n_observed = 0;
  std::optional<double> aspiration;
  std::optional<double> observed;
  std::optional<double> gap;
};

/// The say/do gaps of a value set: per value (in the set's order), a ranking by gap (largest first;
/// values without a gap last) and the overall gap, the unweighted mean of the values' gaps.
struct say_do_assessment {
  std::vector<value_gap> values;
  std::vector<std::size_t> ranking;
  std::optional<double> overall_gap;
};

/// Computes the say/do gaps. Throws validation_error listing every rating that names an unknown value or lies
/// outside `range`; nothing is dropped silently.
inline say_do_assessment assess_say_do(const core_value_set& set, std::span<const value_rating> ratings,
                                       rating_range range = {}) {
  std::vector<problem> problems;
  if (range.min >= range.max) {
    problems.push_back({"rating range", "min must be below max"});
  }
  std::vector<double> sum_a(set.size(), 0.0);
  std::vector<double> sum_o(set.size(), 0.0);
  say_do_assessment out;
  for (const auto& v : set.values()) {
    out.values.push_back({v.name, 0, 0, std::nullopt, std::nullopt, std::nullopt});
  }
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto& r = ratings[i];
    const std::string where = "rating #" + std::to_string(i + 1) + " (value '" + r.value + "')";
    const auto idx = set.index_of(r.value);
    if (!idx) {
      problems.push_back({where, "names a value that is not in the set"});
      continue;
    }
    auto in_range = [&](const std::optional<int>& x, const char* what) {
      if (x && (*x < range.min || *x > range.max)) {
        problems.push_back({where, std::string(what) + " " + std::to_string(*x) + " is outside " +
                                       std::to_string(range.min) + ".." + std::to_string(range.max)});
        return false;
      }
      return x.has_value();
    };
    if (in_range(r.aspiration, "aspiration")) {
      sum_a[*idx] += *r.aspiration;
      ++out.values[*idx].n_aspiration;
    }
    if (in_range(r.observed, "observed")) {
      sum_o[*idx] += *r.observed;
      ++out.values[*idx].n_observed;
    }
  }
  throw_if_problems("say/do assessment", std::move(problems));

  double gap_sum = 0.0;
  std::size_t gap_n = 0;
  for (std::size_t i = 0; i < out.values.size(); ++i) {
    auto& g = out.values[i];
    if (g.n_aspiration > 0) {
      g.aspiration = sum_a[i] / static_cast<double>(g.n_aspiration);
    }
    if (g.n_observed > 0) {
      g.observed = sum_o[i] / static_cast<double>(g.n_observed);
    }
    if (g.aspiration && g.observed) {
      g.gap = *g.aspiration - *g.observed;
      gap_sum += *g.gap;
      ++gap_n;
    }
    out.ranking.push_back(i);
  }
  if (gap_n > 0) {
    out.overall_gap = gap_sum / static_cast<double>(gap_n);
  }
  std::stable_sort(out.ranking.begin(), out.ranking.end(), [&](std::size_t a, std::size_t b) {
    const auto& ga = out.values[a].gap;
    const auto& gb = out.values[b].gap;
    if (ga && gb) {
      return *ga > *gb;
    }
    return ga.has_value() && !gb.has_value();
  });
  return out;
}

} // namespace ethos
