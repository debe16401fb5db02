// ethos/models/impl/chain.ipp: definitions of ethos/models/chain.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/models/chain.hpp>

#include <ethos/detail/validation.hpp>
#include <ethos/models/random.hpp>
#include <ethos/stats/moments.hpp>

#include <algorithm>
#include <cmath>

namespace ethos {

namespace detail {

// "1 period", "3 periods".
ETHOS_DECL std::string chain_periods(std::size_t n) { return std::to_string(n) + (n == 1 ? " period" : " periods"); }

ETHOS_DECL std::string chain_link_name(const chain_node& from, const chain_node& to) {
  return "link " + std::string(from.key()) + " -> " + std::string(to.key());
}

ETHOS_DECL std::string chain_node_problem(const chain_node& n) {
  switch (n.kind()) {
  case chain_node_kind::stage:
    return "is not one of the eight chain stages";
  case chain_node_kind::building_block:
    return "is not one of the twelve building blocks";
  case chain_node_kind::measure:
    break;
  }
  return "is a measure without a key";
}

} // namespace detail

// ---- nodes and links ----------------------------------------------------------------------------------------------

ETHOS_DECL chain_node chain_node::measure(std::string_view key) {
  const auto bad = [&](const std::string& why) {
    throw error("service-profit chain: measure " + detail::message_excerpt(key, 60) + ": " + why);
  };
  if (detail::trim(key).empty()) {
    bad("the key is empty");
  }
  if (detail::trim(key).size() != key.size()) {
    bad("the key has white space around it");
  }
  for (const char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20U || u == 0x7FU) {
      bad("the key contains a control character");
    }
  }
  if (const auto s = from_string<chain_stage>(key)) {
    bad("is the name of chain stage " + std::string(ethos::key(*s)) +
        "; use chain_stage::" + std::string(ethos::key(*s)));
  }
  if (const auto b = from_string<building_block>(key)) {
    bad("is the name of building block " + std::string(ethos::key(*b)) +
        "; use building_block::" + std::string(ethos::key(*b)));
  }
  chain_node n;
  n.kind_ = chain_node_kind::measure;
  n.measure_ = std::string(key);
  return n;
}
ETHOS_DECL std::vector<chain_node> service_profit_chain::nodes() const {
  std::vector<chain_node> out;
  for (const auto& l : links_) {
    for (const auto* n : {&l.from, &l.to}) {
      if (std::find(out.begin(), out.end(), *n) == out.end()) {
        out.push_back(*n);
      }
    }
  }
  return out;
}
ETHOS_DECL bool service_profit_chain::contains(const chain_node& n) const noexcept {
  return std::any_of(links_.begin(), links_.end(), [&](const chain_link& l) { return l.from == n || l.to == n; });
}
ETHOS_DECL const chain_link* service_profit_chain::find(const chain_node& from, const chain_node& to) const noexcept {
  const auto it =
      std::find_if(links_.begin(), links_.end(), [&](const chain_link& l) { return l.from == from && l.to == to; });
  return it == links_.end() ? nullptr : &*it;
}
ETHOS_DECL std::vector<problem> service_profit_chain::check() const {
  std::vector<problem> out;
  if (links_.empty()) {
    out.push_back({"service-profit chain", "has no links"});
    return out;
  }
  for (std::size_t i = 0; i < links_.size(); ++i) {
    const auto& l = links_[i];
    const std::string where = detail::chain_link_name(l.from, l.to);
    const std::string number = "link #" + std::to_string(i + 1);
    if (!l.from.is_known()) {
      out.push_back({number, "the from node " + detail::chain_node_problem(l.from)});
    }
    if (!l.to.is_known()) {
      out.push_back({number, "the to node " + detail::chain_node_problem(l.to)});
    }
    if (l.from == l.to) {
      out.push_back({where, "links a node to itself"});
    }
    if (!std::isfinite(l.strength.estimate)) {
      out.push_back({where, "estimate " + detail::message_number(l.strength.estimate) + " is not finite"});
    }
    if (!std::isfinite(l.strength.standard_error)) {
      out.push_back({where, "standard error " + detail::message_number(l.strength.standard_error) + " is not finite"});
    } else if (l.strength.standard_error < 0.0) {
      out.push_back({where, "standard error " + detail::message_number(l.strength.standard_error) + " is negative"});
    }
    if (l.strength.df && !(std::isfinite(*l.strength.df) && *l.strength.df > 0.0)) {
      out.push_back(
          {where, "degrees of freedom " + detail::message_number(*l.strength.df) + " must be a finite number above 0"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (links_[j].from == l.from && links_[j].to == l.to) {
        out.push_back({where, "is given twice (links #" + std::to_string(j + 1) + " and #" + std::to_string(i + 1) +
                                  "); a pair of nodes takes one strength"});
        break;
      }
    }
  }
  add_cycles(out);
  return out;
}
ETHOS_DECL void service_profit_chain::add_cycles(std::vector<problem>& out) const {
  const std::vector<chain_node> ns = nodes();
  const std::size_t n = ns.size();
  const auto index = [&](const chain_node& x) {
    return static_cast<std::size_t>(std::find(ns.begin(), ns.end(), x) - ns.begin());
  };
  std::vector<std::vector<std::size_t>> next(n);
  for (const auto& l : links_) {
    const std::size_t a = index(l.from);
    const std::size_t b = index(l.to);
    if (a != b && std::find(next[a].begin(), next[a].end(), b) == next[a].end()) {
      next[a].push_back(b);
    }
  }
  enum class mark : unsigned char { unseen, open, done };
  std::vector<mark> marks(n, mark::unseen);
  std::vector<std::pair<std::size_t, std::size_t>> stack; // node, next edge to follow
  for (std::size_t root = 0; root < n; ++root) {
    if (marks[root] != mark::unseen) {
      continue;
    }
    stack.push_back({root, 0});
    marks[root] = mark::open;
    while (!stack.empty()) {
      auto& [u, e] = stack.back();
      if (e == next[u].size()) {
        marks[u] = mark::done;
        stack.pop_back();
        continue;
      }
      const std::size_t v = next[u][e++];
      if (marks[v] == mark::open) {
        std::string cycle;
        bool on = false;
        for (const auto& frame : stack) {
          on = on || frame.first == v;
          if (on) {
            cycle += std::string(ns[frame.first].key()) + " -> ";
          }
        }
        out.push_back({"service-profit chain",
                       "cycle " + cycle + std::string(ns[v].key()) + ": a change would feed back into itself"});
      } else if (marks[v] == mark::unseen) {
        marks[v] = mark::open;
        stack.push_back({v, 0}); // invalidates u and e, which are not used again in this pass
      }
    }
  }
}
ETHOS_DECL void service_profit_chain::validate() const { throw_if_problems("service-profit chain", check()); }

ETHOS_DECL service_profit_chain compose(const service_profit_chain& a, const service_profit_chain& b) {
  std::vector<problem> problems;
  for (const auto& l : b.links()) {
    if (a.find(l.from, l.to) != nullptr) {
      problems.push_back({detail::chain_link_name(l.from, l.to), "is in both chains"});
    }
  }
  throw_if_problems("composing service-profit chains", std::move(problems));
  std::vector<chain_link> links = a.links();
  links.insert(links.end(), b.links().begin(), b.links().end());
  return service_profit_chain(std::move(links));
}

ETHOS_DECL service_profit_chain operator+(const service_profit_chain& a, const service_profit_chain& b) {
  return compose(a, b);
}

// ---- the standard chain -------------------------------------------------------------------------------------------

ETHOS_DECL service_profit_chain standard_service_profit_chain(const standard_chain_strengths& s) {
  const std::array<std::pair<const standard_chain_link*, std::string_view>, 8> given{{
      {&s.service_quality_to_employee_satisfaction, "service_quality_to_employee_satisfaction"},
      {&s.employee_satisfaction_to_retention, "employee_satisfaction_to_retention"},
      {&s.employee_satisfaction_to_productivity, "employee_satisfaction_to_productivity"},
      {&s.retention_to_service_value, "retention_to_service_value"},
      {&s.productivity_to_service_value, "productivity_to_service_value"},
      {&s.service_value_to_customer_satisfaction, "service_value_to_customer_satisfaction"},
      {&s.customer_satisfaction_to_loyalty, "customer_satisfaction_to_loyalty"},
      {&s.loyalty_to_revenue_growth, "loyalty_to_revenue_growth"},
  }};
  std::vector<problem> problems;
  service_profit_chain chain;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const auto& [link, member] = given[i];
    const auto [from, to] = standard_chain_pairs[i];
    if (!link->strength) {
      problems.push_back({detail::chain_link_name(from, to), "no strength given (member " + std::string(member) + ")"});
      continue;
    }
    chain.add(from, to, *link->strength, link->lag);
  }
  if (problems.empty()) {
    problems = chain.check();
  }
  throw_if_problems("standard service-profit chain", std::move(problems));
  return chain;
}

// ---- scenarios and simulation -------------------------------------------------------------------------------------

ETHOS_DECL const chain_node_path& chain_simulation::at(const chain_node& n) const {
  for (const auto& p : nodes) {
    if (p.node == n) {
      return p;
    }
  }
  throw error("service-profit chain simulation: " + std::string(n.key()) + " is not a node of the chain");
}
ETHOS_DECL const chain_node_bands& chain_monte_carlo_result::at(const chain_node& n) const {
  for (const auto& b : nodes) {
    if (b.node == n) {
      return b;
    }
  }
  throw error("service-profit chain Monte Carlo: " + std::string(n.key()) + " is not a node of the chain");
}
namespace detail {

ETHOS_DECL double chain_quantile_type7(std::span<const double> sorted, double p) noexcept {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const double lo_index = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_index);
  const std::size_t hi = std::min(lo + (h > lo_index ? 1U : 0U), sorted.size() - 1);
  const double a = sorted[lo];
  const double b = sorted[hi];
  if (!(h > lo_index) || b == a) {
    return a;
  }
  const double f = h - lo_index;
  return (1.0 - f) * a + f * b;
}

/// A chain checked and laid out for propagation: nodes in topological order and links as index arrays, with the
/// links into each node in chain order (a CSR table), so that propagation neither allocates nor searches.
struct chain_compiled {
  std::vector<chain_node> nodes;
  std::vector<std::size_t> from;
  std::vector<std::size_t> to;
  std::vector<std::size_t> lag;
  std::vector<double> estimate;
  std::vector<double> standard_error;
  std::vector<double> df;               ///< 0: Normal draws
  std::vector<std::size_t> into_offset; ///< nodes.size() + 1 entries
  std::vector<std::size_t> into_link;

  std::optional<std::size_t> index_of(const chain_node& n) const noexcept {
    const auto it = std::find(nodes.begin(), nodes.end(), n);
    return it == nodes.end() ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(it - nodes.begin()));
  }
};

/// Kahn's algorithm, taking among the ready nodes the one that appeared first, so that the order is stable and a
/// chain written upstream first keeps its order. The chain must be free of cycles.
ETHOS_DECL chain_compiled chain_compile(const service_profit_chain& chain) {
  const std::vector<chain_node> first_seen = chain.nodes();
  const std::size_t n = first_seen.size();
  const auto& links = chain.links();
  const auto seen_index = [&](const chain_node& x) {
    return static_cast<std::size_t>(std::find(first_seen.begin(), first_seen.end(), x) - first_seen.begin());
  };
  std::vector<std::size_t> indegree(n, 0);
  for (const auto& l : links) {
    ++indegree[seen_index(l.to)];
  }
  std::vector<std::size_t> topo_of(n, n); // first-seen index -> topological index
  std::vector<bool> placed(n, false);
  chain_compiled c;
  for (std::size_t step = 0; step < n; ++step) {
    std::size_t pick = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (!placed[i] && indegree[i] == 0) {
        pick = i;
        break;
      }
    }
    if (pick == n) {
      throw error("service-profit chain: internal error: a cycle survived validation");
    }
    placed[pick] = true;
    topo_of[pick] = c.nodes.size();
    c.nodes.push_back(first_seen[pick]);
    for (const auto& l : links) {
      if (l.from == first_seen[pick]) {
        --indegree[seen_index(l.to)];
      }
    }
  }
  for (const auto& l : links) {
    c.from.push_back(topo_of[seen_index(l.from)]);
    c.to.push_back(topo_of[seen_index(l.to)]);
    c.lag.push_back(l.lag);
    c.estimate.push_back(l.strength.estimate);
    c.standard_error.push_back(l.strength.standard_error);
    c.df.push_back(l.strength.df.value_or(0.0));
  }
  c.into_offset.assign(n + 1, 0);
  for (const std::size_t t : c.to) {
    ++c.into_offset[t + 1];
  }
  for (std::size_t k = 0; k < n; ++k) {
    c.into_offset[k + 1] += c.into_offset[k];
  }
  c.into_link.resize(links.size());
  std::vector<std::size_t> fill(c.into_offset.begin(), c.into_offset.end() - 1);
  for (std::size_t l = 0; l < links.size(); ++l) {
    c.into_link[fill[c.to[l]]++] = l;
  }
  return c;
}

/// change(k, t) = input(k, t) + sum over links l into k, in chain order, of strength_l change(from_l, t - lag_l),
/// for nodes in topological order. `input` and `out` are [node][period]. No allocation, no throwing.
ETHOS_DECL void chain_propagate(const chain_compiled& c, std::span<const double> strength,
                                std::span<const double> input, std::span<double> out, std::size_t periods) noexcept {
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    for (std::size_t t = 0; t < periods; ++t) {
      double v = input[k * periods + t];
      for (std::size_t j = c.into_offset[k]; j < c.into_offset[k + 1]; ++j) {
        const std::size_t l = c.into_link[j];
        if (c.lag[l] <= t) {
          v += strength[l] * out[c.from[l] * periods + (t - c.lag[l])];
        }
      }
      out[k * periods + t] = v;
    }
  }
}

/// a * b * c, or empty when it would not fit in a vector of doubles.
ETHOS_DECL std::optional<std::size_t> chain_cells(std::size_t a, std::size_t b, std::size_t c) noexcept {
  const std::size_t limit = std::vector<double>().max_size();
  if (a == 0 || b == 0 || c == 0) {
    return 0;
  }
  if (a > limit / b || a * b > limit / c) {
    return std::nullopt;
  }
  return a * b * c;
}

/// Every problem of a chain, a scenario and simulation options together.
ETHOS_DECL std::vector<problem> chain_run_problems(const service_profit_chain& chain, const chain_scenario& scenario,
                                                   const chain_simulation_options& options) {
  std::vector<problem> out = chain.check();
  const std::size_t periods = options.periods;
  if (periods == 0) {
    out.push_back({"options", "periods is 0; simulate at least 1 period"});
  } else {
    for (const auto& l : chain.links()) {
      if (l.lag >= periods) {
        out.push_back({chain_link_name(l.from, l.to), "has a lag of " + chain_periods(l.lag) + " but only " +
                                                          chain_periods(periods) + (periods == 1 ? " is" : " are") +
                                                          " simulated"});
      }
    }
  }

  // Units.
  const auto& units = options.units;
  if (units.empty()) {
    out.push_back({"options", "no units; keep the default single unit 'organisation' or name at least one"});
  }
  check_unique_names(
      units, [](const chain_unit& u) -> const std::string& { return u.id; }, "unit", out);
  bool weights_usable = !units.empty();
  double total = 0.0;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const double w = units[u].weight;
    const std::string where = "unit #" + std::to_string(u + 1) + " " + message_excerpt(units[u].id, 60);
    if (!std::isfinite(w)) {
      out.push_back({where, "weight " + message_number(w) + " is not finite"});
      weights_usable = false;
    } else if (w < 0.0) {
      out.push_back({where, "weight " + message_number(w) + " is negative"});
      weights_usable = false;
    } else {
      total += w;
    }
  }
  if (weights_usable && total == 0.0) {
    out.push_back({"units", "every weight is 0, so there is no organisation mean; give at least one unit a weight"});
  } else if (weights_usable && !std::isfinite(total)) {
    out.push_back({"units", "the weights add up to more than the largest double"});
  }

  // Interventions.
  const std::vector<chain_node> nodes = chain.nodes();
  std::vector<std::string_view> node_keys;
  for (const auto& n : nodes) {
    node_keys.push_back(n.key());
  }
  std::vector<std::string_view> unit_ids;
  for (const auto& u : units) {
    unit_ids.push_back(u.id);
  }
  const auto find_unit = [&](std::string_view id) -> std::optional<std::size_t> {
    for (std::size_t u = 0; u < units.size(); ++u) {
      if (iequals(trim(units[u].id), trim(id))) {
        return u;
      }
    }
    return std::nullopt;
  };
  for (std::size_t i = 0; i < scenario.interventions.size(); ++i) {
    const auto& iv = scenario.interventions[i];
    const std::string where = "intervention #" + std::to_string(i + 1) + " on " + std::string(iv.node.key());
    if (std::find(nodes.begin(), nodes.end(), iv.node) == nodes.end() && !nodes.empty()) {
      std::string m = std::string(iv.node.key()) + " is not a node of the chain";
      if (const auto guess = closest_match(iv.node.key(), node_keys)) {
        m += " (did you mean " + std::string(*guess) + "?)";
      }
      out.push_back({where, m});
    }
    if (!std::isfinite(iv.change)) {
      out.push_back({where, "change " + message_number(iv.change) + " is not finite"});
    }
    if (periods > 0 && iv.start_period >= periods) {
      out.push_back({where, "starts in period " + std::to_string(iv.start_period) + " but only " +
                                chain_periods(periods) + (periods == 1 ? " is" : " are") + " simulated (0.." +
                                std::to_string(periods - 1) + ")"});
    }
    if (iv.end_period && *iv.end_period < iv.start_period) {
      out.push_back({where, "ends in period " + std::to_string(*iv.end_period) + ", before it starts (period " +
                                std::to_string(iv.start_period) + ")"});
    }
    for (std::size_t j = 0; j < iv.units.size(); ++j) {
      const std::string& id = iv.units[j];
      const auto u = find_unit(id);
      if (!u) {
        out.push_back({where, "unknown unit " + quote_unit(id) + did_you_mean(closest_match(trim(id), unit_ids))});
        continue;
      }
      for (std::size_t k = 0; k < j; ++k) {
        if (find_unit(iv.units[k]) == u) {
          out.push_back({where, "names unit " + message_excerpt(units[*u].id, 60) + " twice"});
          break;
        }
      }
    }
  }
  return out;
}

/// A checked run: the compiled chain and the intervention inputs, per unit and for the organisation
/// ([node][period] each). The organisation input is the weighted mean of the unit inputs, so by linearity its
/// propagation is the weighted mean of the unit paths.
struct chain_run {
  chain_compiled chain;
  std::size_t periods = 0;
  std::vector<double> organisation_input;
  std::vector<std::vector<double>> unit_input;
};

ETHOS_DECL chain_run chain_build_run(const service_profit_chain& chain, const chain_scenario& scenario,
                                     const chain_simulation_options& options, bool with_units) {
  chain_run run;
  run.chain = chain_compile(chain);
  run.periods = options.periods;
  const std::size_t cells = run.chain.nodes.size() * run.periods;
  const auto& units = options.units;
  double total = 0.0;
  for (const auto& u : units) {
    total += u.weight;
  }
  run.organisation_input.assign(cells, 0.0);
  if (with_units) {
    run.unit_input.assign(units.size(), std::vector<double>(cells, 0.0));
  }
  for (const auto& iv : scenario.interventions) {
    const std::size_t k = *run.chain.index_of(iv.node);
    const std::size_t last = std::min(iv.end_period.value_or(run.periods - 1), run.periods - 1);
    std::vector<bool> in(units.size(), iv.units.empty());
    for (const auto& id : iv.units) {
      for (std::size_t u = 0; u < units.size(); ++u) {
        if (iequals(trim(units[u].id), trim(id))) {
          in[u] = true;
        }
      }
    }
    // Every unit: exactly the change, not a sum of shares that rounds to nearly it.
    double share = 1.0;
    if (!iv.units.empty()) {
      double w = 0.0;
      for (std::size_t u = 0; u < units.size(); ++u) {
        w += in[u] ? units[u].weight : 0.0;
      }
      share = w / total;
    }
    for (std::size_t t = iv.start_period; t <= last; ++t) {
      run.organisation_input[k * run.periods + t] += iv.change * share;
      for (std::size_t u = 0; u < run.unit_input.size(); ++u) {
        if (in[u]) {
          run.unit_input[u][k * run.periods + t] += iv.change;
        }
      }
    }
  }
  return run;
}

ETHOS_DECL std::string chain_run_context(std::string_view what, const chain_scenario& scenario) {
  return std::string(what) + (scenario.name.empty() ? "" : " of scenario " + message_excerpt(scenario.name, 60));
}

/// The first non-finite value of a path ([node][period]), as a message, or empty.
ETHOS_DECL std::string chain_overflow(const chain_compiled& c, std::span<const double> path, std::size_t periods) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!std::isfinite(path[i])) {
      return "the change of " + std::string(c.nodes[i / periods].key()) + " in period " + std::to_string(i % periods) +
             " is " + message_number(path[i]) + ": the strengths and changes are too large to represent";
    }
  }
  return {};
}

} // namespace detail

ETHOS_DECL chain_simulation simulate_chain(const service_profit_chain& chain, const chain_scenario& scenario,
                                           const chain_simulation_options& options) {
  const std::string context = detail::chain_run_context("service-profit chain simulation", scenario);
  std::vector<problem> problems = detail::chain_run_problems(chain, scenario, options);
  if (problems.empty() &&
      !detail::chain_cells(chain.nodes().size(), options.periods, options.units.size() + 1).has_value()) {
    problems.push_back({"options", "nodes x periods x units is too large to hold in memory"});
  }
  throw_if_problems(context, std::move(problems));

  const detail::chain_run run = detail::chain_build_run(chain, scenario, options, true);
  const auto& c = run.chain;
  const std::size_t periods = run.periods;
  const std::size_t cells = c.nodes.size() * periods;
  std::vector<double> organisation(cells);
  detail::chain_propagate(c, c.estimate, run.organisation_input, organisation, periods);
  std::vector<std::vector<double>> unit_paths(options.units.size(), std::vector<double>(cells));
  for (std::size_t u = 0; u < unit_paths.size(); ++u) {
    detail::chain_propagate(c, c.estimate, run.unit_input[u], unit_paths[u], periods);
  }
  std::string overflow = detail::chain_overflow(c, organisation, periods);
  for (std::size_t u = 0; overflow.empty() && u < unit_paths.size(); ++u) {
    overflow = detail::chain_overflow(c, unit_paths[u], periods);
    if (!overflow.empty()) {
      overflow = "unit " + detail::message_excerpt(options.units[u].id, 60) + ": " + overflow;
    }
  }
  if (!overflow.empty()) {
    throw error(context + ": " + overflow);
  }

  chain_simulation out;
  out.scenario = scenario.name;
  out.periods = periods;
  for (const auto& u : options.units) {
    out.units.push_back(u.id);
  }
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    chain_node_path p;
    p.node = c.nodes[k];
    const auto row = [&](const std::vector<double>& v) {
      const auto first = v.begin() + static_cast<std::ptrdiff_t>(k * periods);
      return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(periods));
    };
    p.organisation = row(organisation);
    for (const auto& path : unit_paths) {
      p.by_unit.push_back(row(path));
    }
    out.nodes.push_back(std::move(p));
  }
  return out;
}

/// Monte Carlo bands for the organisation-level path of a scenario, carrying the uncertainty of the link
/// strengths. In draw d, every link's strength is drawn once from Normal(estimate, standard error) with
/// `random_engine::stream(seed, d)`, in the chain's link order, and the draw is propagated as in `simulate_chain`.
/// Per node and period the result holds the mean, the SD and the quantiles (R's type 7) over the draws.

ETHOS_DECL chain_monte_carlo_result chain_monte_carlo(const service_profit_chain& chain, const chain_scenario& scenario,
                                                      const chain_monte_carlo_options& options) {
  const std::string context = detail::chain_run_context("service-profit chain Monte Carlo", scenario);
  std::vector<problem> problems = detail::chain_run_problems(chain, scenario, options.simulation);
  if (options.draws < 2) {
    problems.push_back(
        {"options", "draws is " + std::to_string(options.draws) + "; at least 2 are needed for an SD and quantiles"});
  }
  const auto& levels = options.quantile_levels;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string where = "quantile level #" + std::to_string(i + 1);
    const double p = levels[i];
    if (!std::isfinite(p)) {
      problems.push_back({where, detail::message_number(p) + " is not finite"});
    } else if (p < 0.0 || p > 1.0) {
      problems.push_back({where, detail::message_number(p) + " is outside [0, 1]"});
    } else if (i > 0 && std::isfinite(levels[i - 1]) && !(p > levels[i - 1])) {
      problems.push_back({where, detail::message_number(p) + " is not above the level before it, " +
                                     detail::message_number(levels[i - 1]) + "; list the levels in increasing order"});
    }
  }
  if (problems.empty() &&
      !detail::chain_cells(chain.nodes().size(), options.simulation.periods, options.draws).has_value()) {
    problems.push_back({"options", "draws x periods x nodes is too large to hold in memory"});
  }
  throw_if_problems(context, std::move(problems));

  const detail::chain_run run = detail::chain_build_run(chain, scenario, options.simulation, false);
  const auto& c = run.chain;
  const std::size_t periods = run.periods;
  const std::size_t cells = c.nodes.size() * periods;
  const std::size_t draws = options.draws;

  std::vector<double> at_estimates(cells);
  detail::chain_propagate(c, c.estimate, run.organisation_input, at_estimates, periods);
  if (const auto overflow = detail::chain_overflow(c, at_estimates, periods); !overflow.empty()) {
    throw error(context + ": " + overflow);
  }

  // samples[cell * draws + d]: each cell's draws side by side, to be summarised and sorted in place.
  std::vector<double> samples(cells * draws);
  std::vector<double> strength(c.estimate.size());
  std::vector<double> path(cells);
  std::optional<std::size_t> overflowed; // the first draw that overflowed; reported once the loop is left
  for (std::size_t d = 0; d < draws && !overflowed; ++d) {
    auto rng = random_engine::stream(options.seed, d);
    for (std::size_t l = 0; l < strength.size(); ++l) {
      strength[l] = c.estimate[l] + c.standard_error[l] * (c.df[l] > 0.0 ? rng.student_t(c.df[l]) : rng.normal());
    }
    detail::chain_propagate(c, strength, run.organisation_input, path, periods);
    bool finite = true;
    for (std::size_t i = 0; i < cells; ++i) {
      finite = finite && std::isfinite(path[i]);
      samples[i * draws + d] = path[i];
    }
    if (!finite) {
      overflowed = d;
    }
  }
  if (overflowed) {
    throw error(context + ": draw " + std::to_string(*overflowed) + ": " + detail::chain_overflow(c, path, periods));
  }

  chain_monte_carlo_result out;
  out.scenario = scenario.name;
  out.periods = periods;
  out.draws = draws;
  out.seed = options.seed;
  out.quantile_levels = levels;
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    chain_node_bands b;
    b.node = c.nodes[k];
    b.at_estimates.assign(at_estimates.begin() + static_cast<std::ptrdiff_t>(k * periods),
                          at_estimates.begin() + static_cast<std::ptrdiff_t>((k + 1) * periods));
    b.mean.resize(periods);
    b.sd.resize(periods);
    b.quantiles.assign(levels.size(), std::vector<double>(periods));
    for (std::size_t t = 0; t < periods; ++t) {
      const std::span<double> xs(samples.data() + (k * periods + t) * draws, draws);
      const running_moments m = moments_of(xs);
      b.mean[t] = *m.mean();
      b.sd[t] = *m.sd();
      std::sort(xs.begin(), xs.end());
      for (std::size_t q = 0; q < levels.size(); ++q) {
        b.quantiles[q][t] = detail::chain_quantile_type7(xs, levels[q]);
      }
    }
    out.nodes.push_back(std::move(b));
  }
  return out;
}

} // namespace ethos
