// ethos/org/impl/units.ipp: definitions of ethos/org/units.hpp (compiled into ethos::compiled, or included by the
// header in header-only mode).
#pragma once

#include <ethos/org/units.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
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

// a + b, or nothing when the sum does not fit.
ETHOS_DECL std::optional<std::size_t> checked_add(std::size_t a, std::size_t b) noexcept {
  if (b > std::numeric_limits<std::size_t>::max() - a) {
    return std::nullopt;
  }
  return a + b;
}

} // namespace detail

ETHOS_DECL unit_tree::unit_tree() {
  std::vector<org_unit> raw(1);
  raw[0].name = "Organisation";
  assemble(std::move(raw));
}

ETHOS_DECL unit_tree unit_tree::from_paths(std::span<const std::string> labels, char separator) {
  const std::string doubled{separator, separator};
  for (const std::string& label : labels) {
    if (label.empty()) {
      continue;
    }
    std::string why;
    if (label.front() == separator) {
      why = "it starts with " + detail::quote_unit(doubled.substr(1));
    } else if (label.back() == separator) {
      why = "it ends with " + detail::quote_unit(doubled.substr(1));
    } else if (label.find(doubled) != std::string::npos) {
      why = "it holds " + detail::quote_unit(doubled);
    }
    if (!why.empty()) {
      throw error("unit path " + detail::quote_unit(label) + " has an empty component (" + why + ")");
    }
  }

  // Respondents' labels repeat a lot: the distinct ones first, then every prefix of those.
  std::vector<std::string_view> distinct;
  distinct.reserve(labels.size());
  for (const std::string& label : labels) {
    if (!label.empty()) {
      distinct.emplace_back(label);
    }
  }
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<std::string_view> ids;
  for (const std::string_view l : distinct) {
    for (std::size_t p = l.find(separator); p != std::string_view::npos; p = l.find(separator, p + 1)) {
      ids.push_back(l.substr(0, p));
    }
    ids.push_back(l);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

  std::vector<org_unit> raw(ids.size() + 1);
  raw[0].name = "Organisation";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string_view id = ids[i];
    const std::size_t cut = id.rfind(separator);
    org_unit& u = raw[i + 1];
    u.id = std::string(id);
    if (cut == std::string_view::npos) {
      u.name = u.id;
      u.parent = root;
    } else {
      u.name = std::string(id.substr(cut + 1));
      // Every prefix of a label was collected, so the parent is always there.
      const auto it = std::lower_bound(ids.begin(), ids.end(), id.substr(0, cut));
      u.parent = static_cast<std::size_t>(it - ids.begin()) + 1;
    }
  }
  unit_tree t;
  t.assemble(std::move(raw));
  return t;
}

ETHOS_DECL unit_tree unit_tree::from_table(std::span<const table_row> rows, std::string_view source) {
  const auto line_of = [&](std::size_t i) { return rows[i].line != 0 ? rows[i].line : i + 1; };
  const auto fail = [&](std::size_t i, const std::string& reason) {
    return error(std::string(source) + ":" + std::to_string(line_of(i)) + ": " + reason);
  };

  std::unordered_map<std::string_view, std::size_t> first; // unit id -> its first row
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!detail::trim(rows[i].unit).empty()) {
      first.try_emplace(rows[i].unit, i);
    }
  }
  std::vector<org_unit> raw(rows.size() + 1);
  raw[0].name = "Organisation";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const table_row& r = rows[i];
    const auto unit = [&] { return detail::quote_unit(r.unit); };
    if (r.unit.empty()) {
      throw fail(i, "empty unit id");
    }
    if (detail::trim(r.unit).empty()) {
      throw fail(i, "blank unit id " + unit());
    }
    if (const std::size_t f = first.at(r.unit); f != i) {
      throw fail(i, "unit " + unit() + " is listed twice, on lines " + std::to_string(line_of(f)) + " and " +
                        std::to_string(line_of(i)));
    }
    raw[i + 1].id = r.unit;
    raw[i + 1].name = r.unit;
    raw[i + 1].invited = r.invited;
    if (r.parent.empty()) {
      raw[i + 1].parent = root;
      continue;
    }
    if (r.parent == r.unit) {
      throw fail(i, "unit " + unit() + " is its own parent");
    }
    const auto p = first.find(r.parent);
    if (p == first.end()) {
      std::vector<std::string_view> ids;
      ids.reserve(first.size());
      for (const auto& [id, row] : first) {
        ids.push_back(id);
      }
      throw fail(i, "unit " + unit() + ": parent " + detail::quote_unit(r.parent) + " is not listed" +
                        detail::did_you_mean(detail::unit_suggestion(r.parent, ids, r.unit)));
    }
    raw[i + 1].parent = p->second + 1;
  }

  // Every parent exists, so a unit that does not lead to the root leads into a cycle. Walking up from each
  // row in turn finds the cycle reached from the earliest row; it is reported from its earliest member.
  enum : unsigned char { unseen, on_path, reaches_root };
  std::vector<unsigned char> state(raw.size(), unseen);
  state[root] = reaches_root;
  std::vector<std::size_t> path;
  for (std::size_t start = 1; start < raw.size(); ++start) {
    path.clear();
    std::size_t u = start;
    while (state[u] == unseen) {
      state[u] = on_path;
      path.push_back(u);
      u = raw[u].parent;
    }
    if (state[u] == on_path) {
      std::vector<std::size_t> cycle(std::find(path.begin(), path.end(), u), path.end());
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      constexpr std::size_t shown = 10;
      std::string m = "cycle of parents: ";
      for (std::size_t k = 0; k < cycle.size() && k < shown; ++k) {
        m += detail::quote_unit(raw[cycle[k]].id) + " -> ";
      }
      m += cycle.size() > shown ? "... (" + std::to_string(cycle.size()) + " units)"
                                : detail::quote_unit(raw[cycle[0]].id);
      throw fail(cycle[0] - 1, m);
    }
    for (const std::size_t v : path) {
      state[v] = reaches_root;
    }
  }

  unit_tree t;
  const std::vector<std::size_t> at = t.assemble(std::move(raw)); // raw index -> tree index
  const std::size_t n = t.units_.size();

  // What the sub-units of each unit invite at least: for each child its given count, or else what is known
  // below it. A sum past the largest size_t is kept as that largest value, with a flag.
  std::vector<std::size_t> below(n, 0);
  std::vector<std::size_t> at_least(n, 0);
  std::vector<bool> below_over(n, false);
  for (std::size_t u = n; u-- > 0;) {
    const org_unit& x = t.units_[u];
    for (const std::size_t c : x.children) {
      const auto sum = detail::checked_add(below[u], at_least[c]);
      below_over[u] = below_over[u] || !sum || (!t.units_[c].invited && below_over[c]);
      below[u] = sum.value_or(std::numeric_limits<std::size_t>::max());
    }
    at_least[u] = x.invited.value_or(below[u]);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t u = at[i + 1];
    const org_unit& x = t.units_[u];
    if (!x.invited || (*x.invited >= below[u] && !below_over[u])) {
      continue;
    }
    std::string m = "unit " + detail::quote_unit(x.id) + ": invited " + std::to_string(*x.invited) +
                    ", but its sub-units invited " + (below_over[u] ? "more than " : "") + std::to_string(below[u]) +
                    " (";
    constexpr std::size_t shown = 5;
    std::size_t listed = 0;
    for (const std::size_t c : x.children) {
      const org_unit& y = t.units_[c];
      if (!y.invited && at_least[c] == 0) {
        continue;
      }
      if (listed++ < shown) {
        m += (listed > 1 ? ", " : "") + detail::quote_unit(y.id) + (y.invited ? " " : " at least ") +
             std::to_string(at_least[c]);
      }
    }
    if (listed > shown) {
      m += " and " + std::to_string(listed - shown) + " more";
    }
    throw fail(i, m + ")");
  }

  const std::string too_many = " add up to more than " + std::to_string(std::numeric_limits<std::size_t>::max());
  const std::string top_too_many = std::string(source) + ": the invited counts of the top-level units" + too_many;
  org_unit& top = t.units_[root];
  if (!top.children.empty() && std::all_of(top.children.begin(), top.children.end(),
                                           [&](std::size_t c) { return t.units_[c].invited.has_value(); })) {
    std::optional<std::size_t> sum = 0;
    for (const std::size_t c : top.children) {
      sum = sum ? detail::checked_add(*sum, *t.units_[c].invited) : std::nullopt;
    }
    if (!sum) {
      throw error(top_too_many);
    }
    top.invited = sum;
  }
  if (const auto u = t.compute_totals()) {
    if (*u == root) {
      throw error(top_too_many);
    }
    const auto row = static_cast<std::size_t>(std::find(at.begin(), at.end(), *u) - at.begin()) - 1;
    throw fail(row, "the invited counts in the sub-units of " + detail::quote_unit(t.units_[*u].id) + too_many);
  }
  return t;
}

ETHOS_DECL std::optional<std::size_t> unit_tree::find(std::string_view id) const {
  const auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                                   [&](std::size_t u, std::string_view x) { return units_[u].id < x; });
  if (it != by_id_.end() && units_[*it].id == id) {
    return *it;
  }
  return std::nullopt;
}

ETHOS_DECL void unit_tree::check(std::size_t i) const {
  if (i >= units_.size()) {
    throw error("unit tree: no unit " + std::to_string(i) + " (the tree has " + std::to_string(units_.size()) +
                (units_.size() == 1 ? " unit)" : " units)"));
  }
}

ETHOS_DECL std::vector<std::size_t> unit_tree::assemble(std::vector<org_unit> raw) {
  const std::size_t n = raw.size();
  for (std::size_t u = 1; u < n; ++u) {
    raw[raw[u].parent].children.push_back(u);
  }
  for (org_unit& u : raw) {
    std::sort(u.children.begin(), u.children.end(),
              [&](std::size_t a, std::size_t b) { return raw[a].id < raw[b].id; });
  }
  std::vector<std::size_t> at(n, unit_npos);
  std::vector<std::size_t> order;
  order.reserve(n);
  std::vector<std::size_t> stack{root};
  while (!stack.empty()) {
    const std::size_t u = stack.back();
    stack.pop_back();
    at[u] = order.size();
    order.push_back(u);
    stack.insert(stack.end(), raw[u].children.rbegin(), raw[u].children.rend());
  }
  if (order.size() != n) {
    throw error("unit tree: " + std::to_string(n - order.size()) + " units do not lead to the root");
  }

  units_.assign(n, {});
  for (std::size_t u = 0; u < n; ++u) {
    org_unit& x = units_[at[u]];
    x = std::move(raw[u]);
    if (x.parent != unit_npos) {
      x.parent = at[x.parent];
    }
    for (std::size_t& c : x.children) {
      c = at[c];
    }
  }
  units_[root].parent = unit_npos;
  end_.assign(n, 0);
  for (std::size_t u = n; u-- > 0;) {
    end_[u] = units_[u].children.empty() ? u + 1 : end_[units_[u].children.back()];
  }
  for (std::size_t u = 1; u < n; ++u) {
    units_[u].depth = units_[units_[u].parent].depth + 1;
  }
  preorder_.resize(n);
  by_id_.resize(n);
  for (std::size_t u = 0; u < n; ++u) {
    preorder_[u] = u;
    by_id_[u] = u;
  }
  std::sort(by_id_.begin(), by_id_.end(), [&](std::size_t a, std::size_t b) { return units_[a].id < units_[b].id; });
  compute_totals();
  return at;
}

ETHOS_DECL std::optional<std::size_t> unit_tree::compute_totals() {
  const std::size_t n = units_.size();
  totals_.assign(n, std::nullopt);
  std::optional<std::size_t> overflowed;
  for (std::size_t u = n; u-- > 0;) {
    const org_unit& x = units_[u];
    if (x.invited) {
      totals_[u] = x.invited;
      continue;
    }
    if (x.children.empty()) {
      continue;
    }
    std::optional<std::size_t> sum = 0;
    for (const std::size_t c : x.children) {
      if (!totals_[c]) {
        sum.reset();
        break;
      }
      const auto s = detail::checked_add(*sum, *totals_[c]);
      if (!s) {
        overflowed = overflowed.value_or(u);
        sum.reset();
        break;
      }
      sum = s;
    }
    totals_[u] = sum;
  }
  return overflowed;
}

ETHOS_DECL unit_assignment assign_units(const unit_tree& tree, const group_column& column) {
  const std::string where = "group column " + detail::quote_unit(column.name) + ": ";
  if (tree.size() - 1 > std::numeric_limits<std::uint32_t>::max()) {
    throw error(where + "the unit tree has too many units (" + std::to_string(tree.size()) + ")");
  }
  const std::size_t levels = column.levels.size();
  std::vector<std::size_t> rows_of(levels, 0);
  for (std::size_t r = 0; r < column.codes.size(); ++r) {
    const std::uint32_t code = column.codes[r];
    if (code >= levels) {
      throw error(where + "row " + std::to_string(r + 1) + " has label code " + std::to_string(code) +
                  ", but the column has " + std::to_string(levels) + (levels == 1 ? " label" : " labels"));
    }
    ++rows_of[code];
  }
  unit_assignment out;
  std::vector<std::uint32_t> unit_of_level(levels, 0);
  std::vector<std::size_t> unknown;
  for (std::size_t l = 0; l < levels; ++l) {
    const std::string& label = column.levels[l];
    if (label.empty()) {
      out.at_root += rows_of[l];
    } else if (const auto u = tree.find(label)) {
      unit_of_level[l] = static_cast<std::uint32_t>(*u);
    } else if (rows_of[l] > 0) {
      unknown.push_back(l);
    }
  }
  if (!unknown.empty()) {
    std::stable_sort(unknown.begin(), unknown.end(),
                     [&](std::size_t a, std::size_t b) { return rows_of[a] > rows_of[b]; });
    std::vector<std::string_view> ids;
    ids.reserve(tree.size());
    for (const org_unit& u : tree.units()) {
      ids.push_back(u.id);
    }
    std::string m = where + std::to_string(unknown.size()) +
                    (unknown.size() == 1 ? " label is not a unit id: " : " labels are not unit ids: ");
    constexpr std::size_t shown = 5;
    for (std::size_t k = 0; k < unknown.size() && k < shown; ++k) {
      const std::string& label = column.levels[unknown[k]];
      const std::size_t n = rows_of[unknown[k]];
      const auto guess = detail::unit_suggestion(label, ids);
      m += (k > 0 ? ", " : "") + detail::quote_unit(label) + " (" + std::to_string(n) + (n == 1 ? " row" : " rows") +
           (guess ? "; did you mean " + detail::quote_unit(*guess) + "?)" : ")");
    }
    if (unknown.size() > shown) {
      m += " and " + std::to_string(unknown.size() - shown) + " more";
    }
    throw error(m);
  }
  out.unit_of.resize(column.codes.size());
  for (std::size_t r = 0; r < column.codes.size(); ++r) {
    out.unit_of[r] = unit_of_level[column.codes[r]];
  }
  return out;
}

ETHOS_DECL std::pair<unit_tree, unit_assignment> units_from_column(const group_column& column, char separator) {
  unit_tree tree;
  try {
    tree = unit_tree::from_paths(column.levels, separator);
  } catch (const error& e) {
    throw error("group column " + detail::quote_unit(column.name) + ": " + e.what());
  }
  unit_assignment a = assign_units(tree, column);
  return {std::move(tree), std::move(a)};
}

} // namespace ethos
