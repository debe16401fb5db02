// ethos/framework/impl/core_values.ipp: definitions of ethos/framework/core_values.hpp (compiled into
// ethos::compiled, or included by the header in header-only mode).
#pragma once

#include <ethos/framework/core_values.hpp>

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

ETHOS_DECL core_value_set::core_value_set(std::vector<core_value> values) : values_(std::move(values)) {
  throw_if_problems("core value set", check(values_));
}

ETHOS_DECL std::vector<problem> core_value_set::check(std::span<const core_value> values) {
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

ETHOS_DECL std::optional<std::size_t> core_value_set::index_of(std::string_view name) const noexcept {
  const auto n = detail::trim(name);
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (detail::iequals(detail::trim(values_[i].name), n)) {
      return i;
    }
  }
  return std::nullopt;
}

ETHOS_DECL core_value_set parse_core_values(std::string_view text, std::string_view source) {
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

ETHOS_DECL core_value_set example_core_values() {
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

ETHOS_DECL say_do_assessment assess_say_do(const core_value_set& set, std::span<const value_rating> ratings,
                                           rating_range range) {
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
