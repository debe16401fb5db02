/// \file
/// \brief The service-profit chain model (stages, nodes, links), scenario simulation and Monte Carlo bands.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/vocabulary.hpp>

#include <array>
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
  internal_service_quality, ///< how well the organisation serves its own people
  employee_satisfaction,    ///< how content people are with their work
  employee_retention,       ///< how long people stay
  employee_productivity,    ///< value created per person
  external_service_value,   ///< what customers get for what it costs them
  customer_satisfaction,    ///< how far the service meets what customers hoped for
  customer_loyalty,         ///< customers coming back, buying more, recommending
  revenue_growth,           ///< the rise in income loyal customers bring
};

/// The vocabulary table of chain_stage: key, label and description of each stage, in order.
template <>
struct vocabulary_traits<chain_stage> {
  /// One entry per stage, upstream first.
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
  stage,          ///< one of the eight chain stages
  building_block, ///< one of the twelve building blocks, as a lever
  measure,        ///< a named number the organisation tracks
};

/// The vocabulary table of chain_node_kind.
template <>
struct vocabulary_traits<chain_node_kind> {
  /// One entry per kind of node.
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

} // namespace detail

// ---- nodes and links ----------------------------------------------------------------------------------------------

/// A node of a chain: a stage, a building block or a named measure. Converts implicitly from chain_stage and
/// building_block so that links read `{chain_stage::employee_satisfaction, building_block::voice_of_the_customer,
/// ...}`; measures are made with `chain_node::measure("enps")`. A default node is the first stage.
/// Nodes of different kinds never compare equal, and every node has a key that names it alone.
class chain_node {
 public:
  /// The first stage, internal service quality.
  constexpr chain_node() noexcept = default;
  /// The node of a stage.
  constexpr chain_node(chain_stage stage) noexcept : kind_(chain_node_kind::stage), code_(static_cast<code_t>(stage)) {}
  /// The node of a building block.
  constexpr chain_node(building_block block) noexcept
      : kind_(chain_node_kind::building_block), code_(static_cast<code_t>(block)) {}

  /// A named measure, e.g. "enps" or a construct key. The key is the node's name in results and messages, so it
  /// must be non-empty, without surrounding white space or control characters, and must not be the key or label
  /// of a stage or building block (use those enumerators instead, so that one thing has one node).
  /// \throws ethos::error naming the key and the reason.
  static chain_node measure(std::string_view key);

  /// What the node stands for: a stage, a building block or a measure.
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

  /// Same kind and same stage, block or measure key.
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
  double estimate = 0.0;       ///< change of the target per point of change of the source
  double standard_error = 0.0; ///< of the estimate; 0: taken as known exactly
  std::optional<double> df{};  ///< degrees of freedom of the estimate; empty: draws are Normal

  /// Same estimate, standard error and degrees of freedom.
  friend bool operator==(const link_strength&, const link_strength&) = default;
};

/// A directed link: a change of `from` in period t moves `to` by strength x change in period t + lag.
struct chain_link {
  chain_node from{};        ///< the node whose change the link carries
  chain_node to{};          ///< the node it moves
  link_strength strength{}; ///< change of `to` per point of change of `from`
  std::size_t lag = 0;      ///< in periods of the simulation (months, quarters ...)

  /// Same nodes, strength and lag.
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
  /// A chain without links.
  service_profit_chain() = default;
  /// A chain of these links, in this order.
  service_profit_chain(std::initializer_list<chain_link> links) : links_(links) {}
  /// A chain of these links, in this order.
  explicit service_profit_chain(std::vector<chain_link> links) : links_(std::move(links)) {}

  /// Appends a link.
  service_profit_chain& add(chain_link link) {
    links_.push_back(std::move(link));
    return *this;
  }
  /// Appends a link from `from` to `to`.
  service_profit_chain& add(chain_node from, chain_node to, link_strength strength, std::size_t lag = 0) {
    return add(chain_link{std::move(from), std::move(to), strength, lag});
  }

  /// The links, in the order they were added.
  const std::vector<chain_link>& links() const noexcept { return links_; }
  /// True when the chain has no links.
  bool empty() const noexcept { return links_.empty(); }

  /// Every node, in order of first appearance (the from node of a link before its to node).
  std::vector<chain_node> nodes() const;

  /// True when a link starts or ends at `n`.
  bool contains(const chain_node& n) const noexcept;

  /// The first link from `from` to `to`, or nullptr.
  const chain_link* find(const chain_node& from, const chain_node& to) const noexcept;

  /// Every problem at once: no links; a stage or block outside its vocabulary; a link from a node to itself; a
  /// non-finite estimate; a negative or non-finite standard error; a from -> to pair given twice; each cycle
  /// (named node by node), since a change fed back into itself would never settle on one path.
  std::vector<problem> check() const;

  /// \throws ethos::validation_error listing everything `check()` finds.
  void validate() const;

 private:
  // One problem per back edge of a depth-first search (self links are reported on their own): each names a
  // different cycle, and a chain without back edges has none.
  void add_cycles(std::vector<problem>& out) const;

  std::vector<chain_link> links_;
};

/// The union of two chains: a's links, then b's. A from -> to pair present in both is an error, since the

/// chains would disagree on its strength; every other problem is left to `check()`.
/// \throws ethos::validation_error naming every pair present in both.
ETHOS_DECL service_profit_chain compose(const service_profit_chain& a, const service_profit_chain& b);

/// Same as `compose(a, b)`.
ETHOS_DECL service_profit_chain operator+(const service_profit_chain& a, const service_profit_chain& b);

// ---- the standard chain -------------------------------------------------------------------------------------------

/// A from -> to pair of stages.
struct chain_stage_pair {
  chain_stage from = chain_stage::internal_service_quality; ///< the upstream stage
  chain_stage to = chain_stage::internal_service_quality;   ///< the downstream stage
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
  std::optional<link_strength> strength{}; ///< required: a link without one is an error
  std::size_t lag = 0;                     ///< in periods of the simulation
};

/// The strengths and lags of the eight standard links, e.g.
/// `{.service_quality_to_employee_satisfaction = {ethos::link_strength{0.4, 0.05}, 1}, ...}`.
struct standard_chain_strengths {
  standard_chain_link service_quality_to_employee_satisfaction{}; ///< internal service quality -> employee satisfaction
  standard_chain_link employee_satisfaction_to_retention{};       ///< employee satisfaction -> employee retention
  standard_chain_link employee_satisfaction_to_productivity{};    ///< employee satisfaction -> employee productivity
  standard_chain_link retention_to_service_value{};               ///< employee retention -> external service value
  standard_chain_link productivity_to_service_value{};            ///< employee productivity -> external service value
  standard_chain_link service_value_to_customer_satisfaction{};   ///< external service value -> customer satisfaction
  standard_chain_link customer_satisfaction_to_loyalty{};         ///< customer satisfaction -> customer loyalty
  standard_chain_link loyalty_to_revenue_growth{};                ///< customer loyalty -> revenue growth
};

/// The canonical chain of Heskett et al.: the eight links of `standard_chain_pairs`, in that order.
ETHOS_DECL service_profit_chain standard_service_profit_chain(const standard_chain_strengths& s);

// ---- scenarios and simulation -------------------------------------------------------------------------------------

/// One change made on purpose: `change` points added to `node` in the named units, in every period from
/// `start_period` to `end_period` (both included), e.g. raise Voice of the Customer by 0.3 in two regions:
/// `{.node = ethos::building_block::voice_of_the_customer, .change = 0.3, .units = {"North", "East"}}`.
struct chain_intervention {
  chain_node node{};                       ///< the node changed, a node of the chain
  double change = 0.0;                     ///< points added to the node in each period of the intervention
  std::vector<std::string> units{};        ///< unit ids; empty = every unit
  std::size_t start_period = 0;            ///< first period with the change, counting from 0
  std::optional<std::size_t> end_period{}; ///< last period with the change; empty = it lasts to the end
};

/// What-if: a set of interventions, compared with the baseline in which nothing is done.
struct chain_scenario {
  std::string name{};                              ///< names the scenario in results and messages
  std::vector<chain_intervention> interventions{}; ///< the changes made; none: the baseline itself
};

/// A unit of the organisation and its weight in the organisation mean (head count, revenue share ...).
struct chain_unit {
  std::string id{};    ///< unique among the units
  double weight = 1.0; ///< 0 or more; the organisation mean weighs the units by it
};

/// The horizon and the units of a simulation.
struct chain_simulation_options {
  std::size_t periods = 12; ///< at least 1, and more than every lag (else a link could never show)
  std::vector<chain_unit> units = {chain_unit{"organisation", 1.0}}; ///< the units; by default one, the organisation
};

/// One node's simulated path: its change from the baseline, period by period.
struct chain_node_path {
  chain_node node{};                          ///< the node
  std::vector<double> organisation{};         ///< [period]: the weighted mean of the unit paths
  std::vector<std::vector<double>> by_unit{}; ///< [unit][period], units in the order of the options
};

/// The result of `simulate_chain`.
struct chain_simulation {
  std::string scenario{};               ///< the scenario's name
  std::size_t periods = 0;              ///< periods simulated
  std::vector<std::string> units{};     ///< unit ids, in the order of the options
  std::vector<chain_node_path> nodes{}; ///< every node of the chain, upstream first (a topological order)

  /// The path of `n`. \throws ethos::error when `n` is not a node of the chain.
  const chain_node_path& at(const chain_node& n) const;
};

/// Monte Carlo settings: the simulation's, plus how many draws, the seed and the quantiles to report.
struct chain_monte_carlo_options {
  chain_simulation_options simulation{}; ///< the horizon and the units, as for simulate_chain
  std::size_t draws = 10000;             ///< at least 2
  std::uint64_t seed = 1;                ///< the same seed gives the same bits
  std::vector<double> quantile_levels = {0.05, 0.25, 0.5, 0.75, 0.95}; ///< each in [0, 1], in increasing order
};

/// One node's uncertainty bands, for the organisation-level change.
struct chain_node_bands {
  chain_node node{};                            ///< the node
  std::vector<double> at_estimates{};           ///< [period]: the deterministic path, every strength at its estimate
  std::vector<double> mean{};                   ///< [period]: mean over the draws
  std::vector<double> sd{};                     ///< [period]: SD over the draws (n - 1 in the denominator)
  std::vector<std::vector<double>> quantiles{}; ///< [level][period], levels as in the options (R's type 7)
};

/// The result of `chain_monte_carlo`.
struct chain_monte_carlo_result {
  std::string scenario{};                ///< the scenario's name
  std::size_t periods = 0;               ///< periods simulated
  std::size_t draws = 0;                 ///< draws made
  std::uint64_t seed = 0;                ///< the seed they were drawn with
  std::vector<double> quantile_levels{}; ///< the levels of `chain_node_bands::quantiles`, as in the options
  std::vector<chain_node_bands> nodes{}; ///< every node of the chain, upstream first (a topological order)

  /// The bands of `n`. \throws ethos::error when `n` is not a node of the chain.
  const chain_node_bands& at(const chain_node& n) const;
};

namespace detail {

/// Quantile p of sorted values by R's type 7 (the default of `quantile`): h = (n - 1) p, interpolating linearly
/// between the values either side of h, with R's own arithmetic ((1 - f) lo + f hi, and lo itself when the two
/// are equal), so that a constant sample gives that constant exactly. `sorted` must not be empty.
ETHOS_DECL double chain_quantile_type7(std::span<const double> sorted, double p) noexcept;

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
ETHOS_DECL chain_simulation simulate_chain(const service_profit_chain& chain, const chain_scenario& scenario,
                                           const chain_simulation_options& options = {});

/// Because each draw has its own stream, the result depends only on the inputs and the seed: the same seed
/// gives the same bits. Memory: draws x periods x nodes doubles.
/// \throws ethos::validation_error listing every problem `simulate_chain` would report, plus draws below 2 and a
/// quantile level that is not finite, outside [0, 1] or not above the one before it.
/// \throws ethos::error when a drawn path overflows to infinity.
ETHOS_DECL chain_monte_carlo_result chain_monte_carlo(const service_profit_chain& chain, const chain_scenario& scenario,
                                                      const chain_monte_carlo_options& options = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/models/impl/chain.ipp>
#endif
