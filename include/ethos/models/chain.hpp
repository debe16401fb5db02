// ethos/models/chain.hpp: the service-profit chain model (stages, nodes, links), scenario simulation and Monte
// Carlo bands.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/models/random.hpp>
#include <ethos/stats/moments.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ethos {

// ---- vocabulary -------------------------------------------------------------------------------------------------

/// The eight stages of the service-profit chain (Heskett et al., 1994), upstream first: how the way an
/// organisation serves its own people travels, through them and its customers, to revenue growth. Retention and
/// productivity are parallel stages (both follow employee satisfaction, both feed external service value).
enum class chain_stage : unsigned char {
  internal_service_quality,
  employee_satisfaction,
  employee_retention,
  employee_productivity,
  external_service_value,
  customer_satisfaction,
  customer_loyalty,
  revenue_growth,
};

template <>
struct vocabulary_traits<chain_stage> {
  static constexpr std::array<vocabulary_entry<chain_stage>, 8> entries{{
      {chain_stage::internal_service_quality, "internal_service_quality", "Internal Service Quality",
       "How well the organisation serves its own people: the tools, support, policies and colleagues they rely on."},
      {chain_stage::employee_satisfaction, "employee_satisfaction", "Employee Satisfaction",
       "How content people are with their work, their colleagues and the way they are treated."},
      {chain_stage::employee_retention, "employee_retention", "Employee Retention",
       "How long people stay, so that their skills and their relationships with customers stay too."},
      {chain_stage::employee_productivity, "employee_productivity", "Employee Productivity",
       "How much value each person creates for the people served in the time they work."},
      {chain_stage::external_service_value, "external_service_value", "External Service Value",
       "What customers get compared with what it costs them to get it, in money, time and effort."},
      {chain_stage::customer_satisfaction, "customer_satisfaction", "Customer Satisfaction",
       "How far the service meets or beats what customers hoped for."},
      {chain_stage::customer_loyalty, "customer_loyalty", "Customer Loyalty",
       "Customers coming back, buying more and recommending the organisation to others."},
      {chain_stage::revenue_growth, "revenue_growth", "Revenue Growth",
       "The rise in income, and through it in profit, that loyal customers bring."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<chain_stage>(), "chain_stage table incomplete or out of order");

/// What a node of a chain stands for.
enum class chain_node_kind : unsigned char {
  stage,
  building_block,
  measure,
};

template <>
struct vocabulary_traits<chain_node_kind> {
  static constexpr std::array<vocabulary_entry<chain_node_kind>, 3> entries{{
      {chain_node_kind::stage, "stage", "Chain Stage", "One of the eight stages of the service-profit chain."},
      {chain_node_kind::building_block, "building_block", "Building Block",
       "One of the twelve building blocks of service culture, as a lever that moves the chain."},
      {chain_node_kind::measure, "measure", "Measure",
       "A named number the organisation tracks, such as eNPS or a survey construct, placed in the chain."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<chain_node_kind>(), "chain_node_kind table incomplete or out of order");

namespace detail {

// A node's key must say which node it is, so no stage may share a key with a building block.
constexpr bool stage_and_block_keys_differ() noexcept {
  for (const auto& s : vocabulary_traits<chain_stage>::entries) {
    for (const auto& b : vocabulary_traits<building_block>::entries) {
      if (iequals(s.key, b.key) || iequals(s.label, b.label)) {
        return false;
      }
    }
  }
  return true;
}
static_assert(stage_and_block_keys_differ(), "a chain stage and a building block share a key or a label");

// "1 period", "3 periods".
inline std::string chain_periods(std::size_t n) { return std::to_string(n) + (n == 1 ? " period" : " periods"); }

} // namespace detail

// ---- nodes and links ----------------------------------------------------------------------------------------------

/// A node of a chain: a stage, a building block or a named measure. Converts implicitly from chain_stage and
/// building_block so that links read `{chain_stage::employee_satisfaction, building_block::voice_of_the_customer,
/// ...}`; measures are made with `chain_node::measure("enps")`. A default node is the first stage.
/// Nodes of different kinds never compare equal, and every node has a key that names it alone.
class chain_node {
 public:
  constexpr chain_node() noexcept = default;
  constexpr chain_node(chain_stage stage) noexcept : kind_(chain_node_kind::stage), code_(static_cast<code_t>(stage)) {}
  constexpr chain_node(building_block block) noexcept
      : kind_(chain_node_kind::building_block), code_(static_cast<code_t>(block)) {}

  /// A named measure, e.g. "enps" or a construct key. The key is the node's name in results and messages, so it
  /// must be non-empty, without surrounding white space or control characters, and must not be the key or label
  /// of a stage or building block (use those enumerators instead, so that one thing has one node).
  /// \throws ethos::error naming the key and the reason.
  static chain_node measure(std::string_view key) {
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

  chain_node_kind kind() const noexcept { return kind_; }
  /// The stage, when the node is one.
  std::optional<chain_stage> stage() const noexcept {
    return kind_ == chain_node_kind::stage ? std::optional<chain_stage>(static_cast<chain_stage>(code_)) : std::nullopt;
  }
  /// The building block, when the node is one.
  std::optional<building_block> block() const noexcept {
    return kind_ == chain_node_kind::building_block ? std::optional<building_block>(static_cast<building_block>(code_))
                                                    : std::nullopt;
  }
  /// The snake_case key of the stage or block ("employee_satisfaction"), or the measure's key as given.
  std::string_view key() const noexcept {
    switch (kind_) {
    case chain_node_kind::stage:
      return ethos::key(static_cast<chain_stage>(code_));
    case chain_node_kind::building_block:
      return ethos::key(static_cast<building_block>(code_));
    case chain_node_kind::measure:
      break;
    }
    return measure_;
  }
  /// The display label of the stage or block ("Employee Satisfaction"), or the measure's key.
  std::string_view label() const noexcept {
    switch (kind_) {
    case chain_node_kind::stage:
      return ethos::to_string(static_cast<chain_stage>(code_));
    case chain_node_kind::building_block:
      return ethos::to_string(static_cast<building_block>(code_));
    case chain_node_kind::measure:
      break;
    }
    return measure_;
  }
  /// False for a stage or block made by casting a number that is not an enumerator.
  bool is_known() const noexcept {
    switch (kind_) {
    case chain_node_kind::stage:
      return ordinal(static_cast<chain_stage>(code_)) != 0;
    case chain_node_kind::building_block:
      return ordinal(static_cast<building_block>(code_)) != 0;
    case chain_node_kind::measure:
      return !measure_.empty();
    }
    return false;
  }

  friend bool operator==(const chain_node&, const chain_node&) = default;
  /// Any strict order, so that nodes can be keys of a std::map.
  friend auto operator<=>(const chain_node&, const chain_node&) = default;

 private:
  using code_t = unsigned char;
  static_assert(std::is_same_v<std::underlying_type_t<chain_stage>, code_t> &&
                std::is_same_v<std::underlying_type_t<building_block>, code_t>);

  chain_node_kind kind_ = chain_node_kind::stage;
  code_t code_ = 0;
  std::string measure_;
};

/// How strongly a link carries change: the change of the target per point of change of the source (a slope),
/// with its standard error. A standard error of 0 means the slope is taken as known exactly. With `df` (the
/// degrees of freedom of a regression estimate), Monte Carlo draws the slope from estimate + SE x Student's t(df),
/// the estimate's own sampling distribution, whose tails a Normal would understate in small samples.
struct link_strength {
  double estimate = 0.0;
  double standard_error = 0.0;
  std::optional<double> df{}; ///< degrees of freedom of the estimate; empty: draws are Normal

  friend bool operator==(const link_strength&, const link_strength&) = default;
};

/// A directed link: a change of `from` in period t moves `to` by strength x change in period t + lag.
struct chain_link {
  chain_node from{};
  chain_node to{};
  link_strength strength{};
  std::size_t lag = 0; ///< in periods of the simulation (months, quarters ...)

  friend bool operator==(const chain_link&, const chain_link&) = default;
};

/// True when stage From comes before stage To: the direction in which the chain carries change.
template <chain_stage From, chain_stage To>
inline constexpr bool runs_downstream = ordinal(From) != 0 && ordinal(From) < ordinal(To);

/// A stage-to-stage link whose direction is checked when it is compiled:
/// `stage_link<chain_stage::employee_satisfaction, chain_stage::employee_retention>({0.4, 0.05}, 1)`.
/// The return type is deduced so that even naming it (decltype) checks the direction.
template <chain_stage From, chain_stage To>
constexpr auto stage_link(link_strength strength, std::size_t lag = 0) {
  static_assert(runs_downstream<From, To>, "stage_link: a service-profit chain link must run downstream, from an "
                                           "earlier stage to a later one (ordinal(From) < ordinal(To))");
  return chain_link{From, To, strength, lag};
}

namespace detail {

inline std::string chain_link_name(const chain_node& from, const chain_node& to) {
  return "link " + std::string(from.key()) + " -> " + std::string(to.key());
}

inline std::string chain_node_problem(const chain_node& n) {
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

/// A service-profit chain: a set of directed links between nodes, each with a strength and a lag. Links keep
/// the order they were added in; Monte Carlo draws their strengths in that order.
///
///     ethos::service_profit_chain c;
///     c.add(ethos::building_block::voice_of_the_customer, ethos::chain_stage::external_service_value, {0.2, 0.05}, 1)
///      .add(ethos::stage_link<ethos::chain_stage::external_service_value, ethos::chain_stage::customer_satisfaction>(
///          {0.6, 0.1}, 1));
///
/// Nothing is checked while links are added; `check()` lists every problem and the simulations refuse a chain
/// that has any.
class service_profit_chain {
 public:
  service_profit_chain() = default;
  service_profit_chain(std::initializer_list<chain_link> links) : links_(links) {}
  explicit service_profit_chain(std::vector<chain_link> links) : links_(std::move(links)) {}

  service_profit_chain& add(chain_link link) {
    links_.push_back(std::move(link));
    return *this;
  }
  service_profit_chain& add(chain_node from, chain_node to, link_strength strength, std::size_t lag = 0) {
    return add(chain_link{std::move(from), std::move(to), strength, lag});
  }

  const std::vector<chain_link>& links() const noexcept { return links_; }
  bool empty() const noexcept { return links_.empty(); }

  /// Every node, in order of first appearance (the from node of a link before its to node).
  std::vector<chain_node> nodes() const {
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

  bool contains(const chain_node& n) const noexcept {
    return std::any_of(links_.begin(), links_.end(), [&](const chain_link& l) { return l.from == n || l.to == n; });
  }

  /// The first link from `from` to `to`, or nullptr.
  const chain_link* find(const chain_node& from, const chain_node& to) const noexcept {
    const auto it =
        std::find_if(links_.begin(), links_.end(), [&](const chain_link& l) { return l.from == from && l.to == to; });
    return it == links_.end() ? nullptr : &*it;
  }

  /// Every problem at once: no links; a stage or block outside its vocabulary; a link from a node to itself; a
  /// non-finite estimate; a negative or non-finite standard error; a from -> to pair given twice; each cycle
  /// (named node by node), since a change fed back into itself would never settle on one path.
  std::vector<problem> check() const {
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
        out.push_back(
            {where, "standard error " + detail::message_number(l.strength.standard_error) + " is not finite"});
      } else if (l.strength.standard_error < 0.0) {
        out.push_back({where, "standard error " + detail::message_number(l.strength.standard_error) + " is negative"});
      }
      if (l.strength.df && !(std::isfinite(*l.strength.df) && *l.strength.df > 0.0)) {
        out.push_back({where, "degrees of freedom " + detail::message_number(*l.strength.df) +
                                  " must be a finite number above 0"});
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

  /// \throws ethos::validation_error listing everything `check()` finds.
  void validate() const { throw_if_problems("service-profit chain", check()); }

 private:
  // One problem per back edge of a depth-first search (self links are reported on their own): each names a
  // different cycle, and a chain without back edges has none.
  void add_cycles(std::vector<problem>& out) const {
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

  std::vector<chain_link> links_;
};

/// The union of two chains: a's links, then b's. A from -> to pair present in both is an error, since the
/// chains would disagree on its strength; every other problem is left to `check()`.
/// \throws ethos::validation_error naming every pair present in both.
inline service_profit_chain compose(const service_profit_chain& a, const service_profit_chain& b) {
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

/// Same as `compose(a, b)`.
inline service_profit_chain operator+(const service_profit_chain& a, const service_profit_chain& b) {
  return compose(a, b);
}

// ---- the standard chain -------------------------------------------------------------------------------------------

/// A from -> to pair of stages.
struct chain_stage_pair {
  chain_stage from = chain_stage::internal_service_quality;
  chain_stage to = chain_stage::internal_service_quality;
};

/// The eight links of the standard chain, upstream first, in the order `standard_service_profit_chain` adds them.
inline constexpr std::array<chain_stage_pair, 8> standard_chain_pairs{{
    {chain_stage::internal_service_quality, chain_stage::employee_satisfaction},
    {chain_stage::employee_satisfaction, chain_stage::employee_retention},
    {chain_stage::employee_satisfaction, chain_stage::employee_productivity},
    {chain_stage::employee_retention, chain_stage::external_service_value},
    {chain_stage::employee_productivity, chain_stage::external_service_value},
    {chain_stage::external_service_value, chain_stage::customer_satisfaction},
    {chain_stage::customer_satisfaction, chain_stage::customer_loyalty},
    {chain_stage::customer_loyalty, chain_stage::revenue_growth},
}};

/// Strength and lag of one link of the standard chain. The strength has no default: a link left out is an
/// error rather than a silent slope of 0.
struct standard_chain_link {
  std::optional<link_strength> strength{};
  std::size_t lag = 0;
};

/// The strengths and lags of the eight standard links, e.g.
/// `{.service_quality_to_employee_satisfaction = {ethos::link_strength{0.4, 0.05}, 1}, ...}`.
struct standard_chain_strengths {
  standard_chain_link service_quality_to_employee_satisfaction{};
  standard_chain_link employee_satisfaction_to_retention{};
  standard_chain_link employee_satisfaction_to_productivity{};
  standard_chain_link retention_to_service_value{};
  standard_chain_link productivity_to_service_value{};
  standard_chain_link service_value_to_customer_satisfaction{};
  standard_chain_link customer_satisfaction_to_loyalty{};
  standard_chain_link loyalty_to_revenue_growth{};
};

/// The canonical chain of Heskett et al.: the eight links of `standard_chain_pairs`, in that order.
/// \throws ethos::validation_error naming every link without a strength and every problem `check()` finds.
inline service_profit_chain standard_service_profit_chain(const standard_chain_strengths& s) {
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

/// One change made on purpose: `change` points added to `node` in the named units, in every period from
/// `start_period` to `end_period` (both included), e.g. raise Voice of the Customer by 0.3 in two regions:
/// `{.node = ethos::building_block::voice_of_the_customer, .change = 0.3, .units = {"North", "East"}}`.
struct chain_intervention {
  chain_node node{};
  double change = 0.0;
  std::vector<std::string> units{};        ///< unit ids; empty = every unit
  std::size_t start_period = 0;            ///< first period with the change, counting from 0
  std::optional<std::size_t> end_period{}; ///< last period with the change; empty = it lasts to the end
};

/// What-if: a set of interventions, compared with the baseline in which nothing is done.
struct chain_scenario {
  std::string name{};
  std::vector<chain_intervention> interventions{};
};

/// A unit of the organisation and its weight in the organisation mean (head count, revenue share ...).
struct chain_unit {
  std::string id{};
  double weight = 1.0;
};

/// The horizon and the units of a simulation.
struct chain_simulation_options {
  std::size_t periods = 12; ///< at least 1, and more than every lag (else a link could never show)
  std::vector<chain_unit> units = {chain_unit{"organisation", 1.0}};
};

/// One node's simulated path: its change from the baseline, period by period.
struct chain_node_path {
  chain_node node{};
  std::vector<double> organisation{};         ///< [period]: the weighted mean of the unit paths
  std::vector<std::vector<double>> by_unit{}; ///< [unit][period], units in the order of the options
};

/// The result of `simulate_chain`.
struct chain_simulation {
  std::string scenario{};
  std::size_t periods = 0;
  std::vector<std::string> units{};     ///< unit ids, in the order of the options
  std::vector<chain_node_path> nodes{}; ///< every node of the chain, upstream first (a topological order)

  /// The path of `n`. \throws ethos::error when `n` is not a node of the chain.
  const chain_node_path& at(const chain_node& n) const {
    for (const auto& p : nodes) {
      if (p.node == n) {
        return p;
      }
    }
    throw error("service-profit chain simulation: " + std::string(n.key()) + " is not a node of the chain");
  }
};

/// Monte Carlo settings: the simulation's, plus how many draws, the seed and the quantiles to report.
struct chain_monte_carlo_options {
  chain_simulation_options simulation{};
  std::size_t draws = 10000;                                           ///< at least 2
  std::uint64_t seed = 1;                                              ///< the same seed gives the same bits
  std::vector<double> quantile_levels = {0.05, 0.25, 0.5, 0.75, 0.95}; ///< each in [0, 1], in increasing order
};

/// One node's uncertainty bands, for the organisation-level change.
struct chain_node_bands {
  chain_node node{};
  std::vector<double> at_estimates{};           ///< [period]: the deterministic path, every strength at its estimate
  std::vector<double> mean{};                   ///< [period]: mean over the draws
  std::vector<double> sd{};                     ///< [period]: SD over the draws (n - 1 in the denominator)
  std::vector<std::vector<double>> quantiles{}; ///< [level][period], levels as in the options (R's type 7)
};

/// The result of `chain_monte_carlo`.
struct chain_monte_carlo_result {
  std::string scenario{};
  std::size_t periods = 0;
  std::size_t draws = 0;
  std::uint64_t seed = 0;
  std::vector<double> quantile_levels{};
  std::vector<chain_node_bands> nodes{}; ///< every node of the chain, upstream first (a topological order)

  /// The bands of `n`. \throws ethos::error when `n` is not a node of the chain.
  const chain_node_bands& at(const chain_node& n) const {
    for (const auto& b : nodes) {
      if (b.node == n) {
        return b;
      }
    }
    throw error("service-profit chain Monte Carlo: " + std::string(n.key()) + " is not a node of the chain");
  }
};

namespace detail {

/// Quantile p of sorted values by R's type 7 (the default of `quantile`): h = (n - 1) p, interpolating linearly
/// between the values either side of h, with R's own arithmetic ((1 - f) lo + f hi, and lo itself when the two
/// are equal), so that a constant sample gives that constant exactly. `sorted` must not be empty.
inline double chain_quantile_type7(std::span<const double> sorted, double p) noexcept {
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
inline chain_compiled chain_compile(const service_profit_chain& chain) {
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
inline void chain_propagate(const chain_compiled& c, std::span<const double> strength, std::span<const double> input,
                            std::span<double> out, std::size_t periods) noexcept {
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
inline std::optional<std::size_t> chain_cells(std::size_t a, std::size_t b, std::size_t c) noexcept {
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
inline std::vector<problem> chain_run_problems(const service_profit_chain& chain, const chain_scenario& scenario,
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

inline chain_run chain_build_run(const service_profit_chain& chain, const chain_scenario& scenario,
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

inline std::string chain_run_context(std::string_view what, const chain_scenario& scenario) {
  return std::string(what) + (scenario.name.empty() ? "" : " of scenario " + message_excerpt(scenario.name, 60));
}

/// The first non-finite value of a path ([node][period]), as a message, or empty.
inline std::string chain_overflow(const chain_compiled& c, std::span<const double> path, std::size_t periods) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!std::isfinite(path[i])) {
      return "the change of " + std::string(c.nodes[i / periods].key()) + " in period " + std::to_string(i % periods) +
             " is " + message_number(path[i]) + ": the strengths and changes are too large to represent";
    }
  }
  return {};
}

} // namespace detail

/// Simulates a scenario on a chain: how far each node moves from the baseline in which nothing is done, period by
/// period, in each unit and for the organisation. Change propagates linearly:
/// change(node, unit, t) = intervention(node, unit, t) + sum over links into the node of
/// strength x change(from, unit, t - lag), taken as 0 before period 0. The organisation change is the mean of the
/// unit changes weighted by the unit weights. Standard errors are ignored here (see `chain_monte_carlo`).
///
///     auto sim = ethos::simulate_chain(chain, {.name = "Listen more", .interventions = {{
///         .node = ethos::building_block::voice_of_the_customer, .change = 0.3, .units = {"North"}}}},
///         {.periods = 8, .units = {{"North", 120}, {"South", 80}}});
///     sim.at(ethos::chain_stage::revenue_growth).organisation[7];
///
/// \throws ethos::validation_error listing every problem: those of `chain.check()`; periods 0; a lag of at least
/// the number of periods; no units, duplicate unit ids, a negative or non-finite weight, every weight 0; an
/// intervention on a node outside the chain, with a non-finite change, starting after the horizon, ending before
/// it starts, naming an unknown unit (with a guess at the one meant) or a unit twice.
/// \throws ethos::error when a change overflows to infinity.
inline chain_simulation simulate_chain(const service_profit_chain& chain, const chain_scenario& scenario,
                                       const chain_simulation_options& options = {}) {
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
/// Because each draw has its own stream, the result depends only on the inputs and the seed: the same seed
/// gives the same bits. Memory: draws x periods x nodes doubles.
/// \throws ethos::validation_error listing every problem `simulate_chain` would report, plus draws below 2 and a
/// quantile level that is not finite, outside [0, 1] or not above the one before it.
/// \throws ethos::error when a drawn path overflows to infinity.
inline chain_monte_carlo_result chain_monte_carlo(const service_profit_chain& chain, const chain_scenario& scenario,
                                                  const chain_monte_carlo_options& options = {}) {
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
