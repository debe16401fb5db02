/// \file
/// \brief Results written as CSV: person construct scores, group results and unit results.
///
/// The types come from the measure and org layers; this header only declares the writers, so that reading or
/// writing plain CSV does not compile the organisation layer.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/unaudited.hpp>

#include <iosfwd>

namespace ethos {

struct instrument_view;
class response_matrix;
struct scoring_result;
struct assessment;
struct org_rollup;
struct survey_report;

/// Writes person construct scores as CSV: header `id,<metadata columns...>,<construct keys...>`, then one row
/// per respondent in matrix order, with an empty cell where a respondent has no score. Throws ethos::error when
/// the scores do not belong to this instrument and matrix, or when two columns would share a name.
ETHOS_DECL void write_person_scores(std::ostream& out, const instrument_view& inst, const response_matrix& m,
                                    const scoring_result& scores);

/// Writes one row per group of a grouped report: `group,n,status,<key>_n,<key>_mean,<key>_favorable,<key>_rwg_j`
/// for every construct. A suppressed group's row has its label, size and status (`too_small` or `secondary`) and
/// empty score cells: no score of it is written; so does a shown group's construct hidden on its own (too few
/// respondents with a score on it). Throws ethos::error for an ungrouped report.
ETHOS_DECL void write_group_results(std::ostream& out, const survey_report& r);

/// write_group_results of an assessment on its own, not audited (see unaudited).
ETHOS_DECL void write_group_results(std::ostream& out, unaudited<assessment> a);

/// Writes one row per unit of a report's units section, in tree order:
/// `unit,parent,depth,respondents,invited,participation`, then per construct
/// `<key>_n,<key>_status,<key>_mean,<key>_sd,<key>_favorable,<key>_rwg_j`. A hidden cell has its count and status
/// (`too_small` or `secondary`) and empty score cells: no score of it is written. Throws ethos::error for a report
/// without units.
ETHOS_DECL void write_unit_results(std::ostream& out, const survey_report& r);

/// write_unit_results of a roll-up on its own, not audited (see unaudited).
ETHOS_DECL void write_unit_results(std::ostream& out, unaudited<org_rollup> r);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/results_csv.ipp>
#endif
