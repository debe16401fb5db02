/// \file
/// \brief An accumulator's statistics as JSON text with the keys of ethos.results/1: reliability, agreement, ICC,
/// eNPS, and the figures of a protected group. What the Python package's methods and the PostgreSQL extension's
/// functions return, made in one place. Part of the optional component ethos::json (see io/json.hpp).
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/protected_groups.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>

#include <optional>
#include <span>
#include <string>

namespace ethos {

/// The `reliability` object of ethos.results/1 for the accumulator's rows: alpha, std_alpha, average_r, alpha_ci
/// (Feldt), ase, alpha_if_dropped and r_drop keyed by `item_keys` (one per item), item_reasons when an item has
/// none, omega_total and ordinal_alpha (from the answer patterns; null with a reason when the design has too many to
/// count), and `rows`. A missing figure is null with a sibling "<name>_reason".
/// \throws ethos::error when item_keys does not have one key per item.
ETHOS_DECL std::string reliability_json(const likert_accumulator& acc, std::span<const std::string> item_keys);

/// rwg(j), awg and AD of all the accumulator's listwise rows as one group ({"n", "rwg_j", "awg", "ad_m"}), against
/// `ranvar` (default: the uniform null). A grouped accumulator's groups are added together; one without groups needs
/// its answer patterns.
/// \throws ethos::error when the accumulator has neither groups nor answer patterns.
ETHOS_DECL std::string agreement_json(const likert_accumulator& acc, std::optional<double> ranvar = {});

/// Per-group agreement of a grouped accumulator: {"groups": [{"n", "rwg_j", "awg", "ad_m"} per group],
/// "groups_with_rwg_j", "rwg_j_mean", "rwg_j_median", "rwg_j_share_ge_070"}.
/// \throws ethos::error when the accumulator has no groups.
ETHOS_DECL std::string group_agreement_json(const likert_accumulator& acc, std::optional<double> ranvar = {});

/// {"n", "groups", "msb", "msw", "icc1", "icc2"}, missing figures null with their reason.
ETHOS_DECL std::string icc_json(const icc_result& r);

/// The `enps` object of ethos.results/1: {"score", "promoters", "passives", "detractors", "n", "se"}.
ETHOS_DECL std::string enps_json(const enps_result& e);

/// A shown group's figures: {"n", "mean", "sd", "favorable", "rwg_j"}, missing figures null with their reason.
ETHOS_DECL std::string group_figures_json(const group_state_figures& f);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/json_accumulator.ipp>
#endif
