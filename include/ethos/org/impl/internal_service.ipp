// ethos/org/impl/internal_service.ipp: definitions of ethos/org/internal_service.hpp (compiled into ethos::compiled,
// or included by the header in header-only mode).
#pragma once

#include <ethos/org/internal_service.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/service_level.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

// A name quoted for a message, cut short and with control characters escaped so the message stays one line.
ETHOS_DECL std::string isv_quote(std::string_view s) { return message_excerpt(s, 40); }
ETHOS_DECL std::pair<int, int> internal_scale_range(const internal_service_options& opt) {
  const auto bad = [](const std::string& why) { throw error("internal service options: " + why); };
  if (opt.min_group_size < lowest_min_group_size) {
    bad("minimum group size " + std::to_string(opt.min_group_size) + " is below " +
        std::to_string(lowest_min_group_size));
  }
  int lo = 1;
  int hi = static_cast<int>(vocabulary_size<service_level>);
  if (opt.scale == internal_scale_kind::likert) {
    lo = opt.min;
    hi = opt.max;
    // Also bounds the distribution vectors: a scale of millions of points is a mistake, not a survey.
    if (lo >= hi || static_cast<long long>(hi) - lo > 100) {
      bad("Likert scale " + std::to_string(lo) + ".." + std::to_string(hi) +
          " must have min < max and at most 101 points");
    }
  } else if (opt.scale != internal_scale_kind::service_levels) {
    bad("unknown scale kind");
  }
  if (!std::isfinite(opt.expected) || opt.expected < lo || opt.expected > hi) {
    bad("expected level " + message_number(opt.expected) + " is outside the scale " + std::to_string(lo) + ".." +
        std::to_string(hi));
  }
  if (!std::isfinite(opt.asymmetry) || opt.asymmetry < 0.0) {
    bad("asymmetry threshold " + message_number(opt.asymmetry) + " must be a finite number >= 0");
  }
  return {lo, hi};
}

ETHOS_DECL std::string isv_place(std::size_t line, std::size_t index) {
  return line != 0 ? "line " + std::to_string(line) : "rating #" + std::to_string(index + 1);
}

ETHOS_DECL internal_rating_checker::internal_rating_checker(const internal_service_options& opt)
    : range_(internal_scale_range(opt)) {
  scale_name_ = opt.scale == internal_scale_kind::service_levels ? "the service levels " : "the scale ";
  scale_name_ += std::to_string(range_.first) + ".." + std::to_string(range_.second);
}

ETHOS_DECL std::optional<internal_rating_checker::fault> internal_rating_checker::check_name(field which,
                                                                                             std::string_view text) {
  if (!trim(text).empty()) {
    return std::nullopt;
  }
  switch (which) {
  case field::person:
    return fault{which, "empty person"};
  case field::rater_unit:
    return fault{which, "empty rater unit"};
  default:
    return fault{which, "empty served unit"};
  }
}

ETHOS_DECL std::optional<internal_rating_checker::fault> internal_rating_checker::check_value(int value) const {
  if (value < range_.first || value > range_.second) {
    return fault{field::value, "rating " + std::to_string(value) + " is outside " + scale_name_};
  }
  return std::nullopt;
}

ETHOS_DECL std::optional<internal_rating_checker::fault>
internal_rating_checker::check_fields(const internal_rating& r) const {
  for (const auto& [which, text] : {std::pair<field, std::string_view>{field::person, r.person},
                                    {field::rater_unit, r.rater_unit},
                                    {field::served_unit, r.served_unit}}) {
    if (auto f = check_name(which, text)) {
      return f;
    }
  }
  return check_value(r.value);
}

ETHOS_DECL std::optional<internal_rating_checker::fault> internal_rating_checker::add(const internal_rating& r,
                                                                                      const std::string& place) {
  if (auto f = check_fields(r)) {
    return f;
  }
  const auto next_person = static_cast<std::uint32_t>(persons_.size());
  const std::uint32_t known = person_index_.find_or_insert(
      detail::hash_text(r.person), [&](std::uint32_t at) { return persons_[at].person == r.person; }, next_person);
  if (known == next_person) {
    persons_.push_back({r.person, r.rater_unit, place});
  } else if (persons_[known].unit != r.rater_unit) {
    return fault{field::rater_unit, "person " + isv_quote(r.person) + " is in unit " + isv_quote(persons_[known].unit) +
                                        " on " + persons_[known].place + " but in unit " + isv_quote(r.rater_unit) +
                                        " on " + place};
  }
  // The person's length first keeps the key unambiguous whatever characters the names hold.
  std::string pair_key = std::to_string(r.person.size()) + ':' + r.person + r.served_unit;
  const auto next_pair = static_cast<std::uint32_t>(pairs_.size());
  const std::uint32_t rated = pair_index_.find_or_insert(
      detail::hash_text(pair_key), [&](std::uint32_t at) { return pairs_[at].key == pair_key; }, next_pair);
  if (rated != next_pair) {
    return fault{field::served_unit, "person " + isv_quote(r.person) + " rates unit " + isv_quote(r.served_unit) +
                                         " twice (" + pairs_[rated].place + " and " + place + ")"};
  }
  pairs_.push_back({std::move(pair_key), place});
  return std::nullopt;
}

// Sum, count and distribution of one cell, then the published figures.
ETHOS_DECL void isv_fill(internal_cell& c, const std::vector<std::size_t>& counts, int lo) {
  if (c.status != suppression::none || c.ratings == 0) {
    return; // nothing of a hidden cell is published beyond its counts
  }
  c.distribution = counts;
  std::int64_t sum = 0; // exact: at most 2^32 ratings of at most 101 points each
  for (std::size_t j = 0; j < counts.size(); ++j) {
    sum += static_cast<std::int64_t>(counts[j]) * (lo + static_cast<int>(j));
  }
  c.mean = static_cast<double>(sum) / static_cast<double>(c.ratings);
  // The values at sorted positions (n-1)/2 and n/2 (the same one when n is odd).
  const auto value_at = [&](std::size_t pos) {
    std::size_t cum = 0;
    for (std::size_t j = 0; j < counts.size(); ++j) {
      cum += counts[j];
      if (pos < cum) {
        return lo + static_cast<int>(j);
      }
    }
    return lo + static_cast<int>(counts.size()) - 1;
  };
  const int a = value_at((c.ratings - 1) / 2);
  const int b = value_at(c.ratings / 2);
  c.median = (static_cast<double>(a) + static_cast<double>(b)) / 2.0;
}
ETHOS_DECL isv_layout isv_layout_of(std::span<const internal_rating> ratings, const std::vector<std::string>& units,
                                    const internal_service_options& opt, int lo, int hi) {
  const std::size_t n = units.size();
  const auto unit_index = [&](const std::string& u) {
    return static_cast<std::size_t>(std::lower_bound(units.begin(), units.end(), u) - units.begin());
  };
  isv_layout out;
  const std::size_t points = static_cast<std::size_t>(hi - lo + 1);
  const std::size_t received_at = n * n;
  const std::size_t given_at = received_at + n;
  const std::size_t overall_at = given_at + n;
  out.cells.resize(overall_at + 1);
  out.counts.assign(out.cells.size(), std::vector<std::size_t>(points, 0));
  std::unordered_map<std::string_view, std::uint32_t> person_index;
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto& r = ratings[i];
    const std::size_t a = unit_index(r.rater_unit);
    const std::size_t b = unit_index(r.served_unit);
    if (a == b && !opt.include_self) {
      ++out.dropped_self;
      continue;
    }
    const auto e = static_cast<std::uint32_t>(out.person_of.size());
    const auto p = person_index.try_emplace(r.person, static_cast<std::uint32_t>(person_index.size())).first;
    out.person_of.push_back(p->second);
    out.rating_of.push_back(i);
    const auto point = static_cast<std::size_t>(r.value - lo);
    const auto add = [&](std::size_t c) {
      out.cells[c].members.push_back(e); // ascending, as disclosure_cell requires
      ++out.counts[c][point];
    };
    add(a * n + b);
    if (a != b) { // the margins are about service between units
      add(received_at + b);
      add(given_at + a);
    }
    add(overall_at);
  }
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      out.cells[a * n + b].label = "ratings of " + isv_quote(units[b]) + " by " + isv_quote(units[a]);
    }
    out.cells[received_at + a].label = "ratings received by " + isv_quote(units[a]);
    out.cells[given_at + a].label = "ratings given by " + isv_quote(units[a]);
  }
  out.cells[overall_at].label = "all ratings";
  return out;
}

// Asymmetric pairs and possible silos, from shown cells only (recomputed whenever a cell is hidden).
ETHOS_DECL void isv_flags(internal_service_result& out, const internal_service_options& opt) {
  const std::size_t n = out.units.size();
  out.asymmetric.clear();
  out.possible_silos.clear();
  // Pairs that see each other differently; only shown cells take part, so no flag reveals a hidden mean.
  // The tolerance absorbs rounding in the means (e.g. 3.2 - 2.2 against a threshold of 1).
  constexpr double tolerance = 1e-9;
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      const auto& ab = out.matrix[a][b];
      const auto& ba = out.matrix[b][a];
      if (ab.mean && ba.mean && std::abs(*ab.mean - *ba.mean) >= opt.asymmetry - tolerance) {
        out.asymmetric.push_back({out.units[a], out.units[b], *ab.mean, *ba.mean});
      }
    }
  }
  std::stable_sort(out.asymmetric.begin(), out.asymmetric.end(),
                   [](const internal_pair_flag& x, const internal_pair_flag& y) {
                     return std::abs(x.a_rates_b - x.b_rates_a) > std::abs(y.a_rates_b - y.b_rates_a);
                   });

  // Possible silos: rated below `expected` overall and by every unit whose rating of them is shown.
  for (std::size_t b = 0; b < n; ++b) {
    if (!out.received[b].mean || !(*out.received[b].mean < opt.expected)) {
      continue;
    }
    bool all_below = true;
    for (std::size_t a = 0; a < n && all_below; ++a) {
      const auto& m = out.matrix[a][b].mean;
      all_below = a == b || !m || *m < opt.expected;
    }
    if (all_below) {
      out.possible_silos.push_back(out.units[b]);
    }
  }
}

} // namespace detail

ETHOS_DECL internal_service_result analyse_internal_service(std::span<const internal_rating> ratings,
                                                            const internal_service_options& opt) {
  detail::internal_rating_checker check(opt);
  const int lo = check.range().first;
  const int hi = check.range().second;
  if (ratings.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw error("internal service: too many ratings (" + std::to_string(ratings.size()) + ")");
  }
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const std::string place = detail::isv_place(ratings[i].line, i);
    if (const auto f = check.add(ratings[i], place)) {
      throw error(place + ": " + f->reason);
    }
  }

  internal_service_result out;
  for (const auto& r : ratings) {
    out.units.push_back(r.rater_unit);
    out.units.push_back(r.served_unit);
  }
  std::sort(out.units.begin(), out.units.end());
  out.units.erase(std::unique(out.units.begin(), out.units.end()), out.units.end());
  const std::size_t n = out.units.size();

  auto layout = detail::isv_layout_of(ratings, out.units, opt, lo, hi);
  out.dropped_self = layout.dropped_self;
  auto& cells = layout.cells;
  auto& counts = layout.counts;
  const auto& person_of = layout.person_of;
  const std::size_t received_at = n * n;
  const std::size_t given_at = received_at + n;
  const std::size_t overall_at = given_at + n;
  // Matrix cells are the first to go: the margins and the overall figure matter most to a reader.
  std::vector<suppression> status(cells.size(), suppression::none);
  std::vector<int> keep(cells.size(), 0);
  std::fill(keep.begin() + static_cast<std::ptrdiff_t>(received_at), keep.end(), 1);
  keep[overall_at] = 2;
  const std::vector<unsigned char> fixed(cells.size(), 0);
  disclosure_options dopt;
  dopt.min_group_size = opt.min_group_size;
  dopt.person_of = person_of;
  if (!protect_cells(cells, status, keep, fixed, dopt)) {
    out.warnings.push_back({warning_code::search_budget_exhausted,
                            "the anonymity check ran out of its search budget, so every cell is hidden"});
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].members.empty()) {
        status[c] = suppression::none; // a cell without ratings has nothing to hide
      }
    }
  }

  // Counts and figures.
  const auto make = [&](std::size_t c) {
    internal_cell cell;
    cell.ratings = cells[c].members.size();
    std::vector<std::uint32_t> ps;
    ps.reserve(cells[c].members.size());
    for (const auto e : cells[c].members) {
      ps.push_back(person_of[e]);
    }
    std::sort(ps.begin(), ps.end());
    cell.persons = static_cast<std::size_t>(std::unique(ps.begin(), ps.end()) - ps.begin());
    cell.status = status[c];
    detail::isv_fill(cell, counts[c], lo);
    return cell;
  };
  out.matrix.resize(n);
  for (std::size_t a = 0; a < n; ++a) {
    out.matrix[a].reserve(n);
    for (std::size_t b = 0; b < n; ++b) {
      out.matrix[a].push_back(make(a * n + b));
    }
    out.received.push_back(make(received_at + a));
  }
  for (std::size_t a = 0; a < n; ++a) {
    out.given.push_back(make(given_at + a));
  }
  out.overall = make(overall_at);

  detail::isv_flags(out, opt);

  if (out.dropped_self > 0) {
    out.warnings.push_back(
        {warning_code::internal_service,
         std::to_string(out.dropped_self) +
             (out.dropped_self == 1 ? " rating of the rater's own unit was" : " ratings of the rater's own unit were") +
             " left out (set include_self to count them)"});
  }
  std::size_t small = 0;
  std::size_t secondary = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    small += status[c] == suppression::too_small ? 1U : 0U;
    secondary += status[c] == suppression::secondary ? 1U : 0U;
  }
  if (small + secondary > 0) {
    out.warnings.push_back({warning_code::small_groups_hidden,
                            std::to_string(small) + " cell(s) rest on fewer than " +
                                std::to_string(opt.min_group_size) + " persons and " + std::to_string(secondary) +
                                " more are hidden so that those cannot be worked out"});
  }
  return out;
}

ETHOS_DECL internal_cell& internal_cell_at(internal_service_result& r, std::size_t c) {
  const std::size_t n = r.units.size();
  if (c < n * n) {
    return r.matrix[c / n][c % n];
  }
  if (c < n * n + n) {
    return r.received[c - n * n];
  }
  if (c < n * n + 2 * n) {
    return r.given[c - n * n - n];
  }
  if (c == n * n + 2 * n) {
    return r.overall;
  }
  throw error("internal service: no cell #" + std::to_string(c) + " in a matrix of " + std::to_string(n) + " units");
}

ETHOS_DECL const internal_cell& internal_cell_at(const internal_service_result& r, std::size_t c) {
  return internal_cell_at(const_cast<internal_service_result&>(r), c); // NOLINT: the same lookup, not modified
}

ETHOS_DECL void hide_internal_cells(internal_service_result& r, std::span<const std::size_t> cells,
                                    const internal_service_options& opt) {
  for (const auto c : cells) {
    auto& cell = internal_cell_at(r, c);
    if (cell.status == suppression::none) {
      cell.status = suppression::secondary;
    }
    cell.mean.reset();
    cell.median.reset();
    cell.distribution.clear();
  }
  detail::isv_flags(r, opt);
}

} // namespace ethos
