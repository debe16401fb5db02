/// \file
/// \brief One report of a survey with every section (constructs, eNPS, six-level items, groups, units, cuts,
/// drivers, trend, internal service) declared as cells of people, protected together and audited as a whole,
/// against earlier releases to the same audience too.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/release.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/org/unit_drivers.hpp>
#include <ethos/org/units.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// One wave of a survey as a report reads it.
struct survey_wave {
  const response_matrix* matrix = nullptr; ///< the responses
  const scoring_result* scores = nullptr;  ///< the scoring engine's result for `matrix`
  const unit_tree* tree = nullptr;         ///< the units (null: no units section)
  const unit_assignment* units = nullptr;  ///< each row's unit in `tree`
  /// True when the respondent ids are only row numbers (the file had no id column): a respondent is then
  /// recognised across waves and releases by the content of their row instead.
  bool row_number_ids = false;
};

/// What a report holds and the rules it is published under.
struct report_options {
  std::size_t min_group_size = 5;             ///< k (at least 3)
  std::string group_by;                       ///< groups of this metadata column (empty: none)
  std::string cut;                            ///< with units: every unit cut by this metadata column
  std::optional<unit_driver_options> drivers; ///< with units: key-driver analysis per unit
  assessment_options assessment; ///< scoring and warning thresholds (group_by, k and threads are set from here)
  trend_options trend;           ///< significance level of the wave comparison (k is set from here)
  internal_service_options internal_service; ///< scale and thresholds of the internal-service matrix (k is set)
  std::uint64_t search_budget = 20'000'000;  ///< steps of each domain's leak search
  /// Threads for the work that splits into independent parts: the constructs of the roll-up, the domains of the
  /// protection and of the audit (0: one per hardware thread). The report is the same whatever the number.
  std::size_t threads = 1;
  /// Give every cell of the report's inventory (survey_report::cells) its label and figures, as a ledger records
  /// them. Without, the inventory holds the sets of people only: a report of 20,000 units and a cut has over a
  /// million cells, and their texts cost more time and memory than the proof. A failed audit names its cells
  /// either way.
  bool cell_labels = true;
  /// Keep the report's inventory in survey_report::cells. Without, and when every cell is a set of the respondents
  /// (no ledger, earlier wave or internal-service ratings), the proof runs on the same cells in a compact form, with
  /// the same result, and `cells` stays empty: at 20,000 units and a cut, the inventory's million cells are a third
  /// of the report's memory. declare_report(report, request) declares it later from the same request. With a
  /// ledger the inventory is always kept: it is what the ledger records.
  bool inventory = true;
};

/// Everything one report is built from.
struct report_request {
  const instrument_view* instrument = nullptr;             ///< the instrument both waves were answered on
  survey_wave current;                                     ///< the wave the report is about
  std::optional<survey_wave> previous;                     ///< an earlier wave (needs units in both): the trend section
  std::optional<std::span<const internal_rating>> ratings; ///< internal-service ratings: that section
  const release_ledger* ledger = nullptr;                  ///< releases already made to the same audience
  report_options options;                                  ///< what the report holds and its rules
};

namespace detail {
/// Only the library makes a survey_report (build_report); this key is how it does.
struct report_key {
  explicit report_key() = default;
};
} // namespace detail

/// A report ready to write: every section after the joint protection, the inventory of its cells and the proof.
/// Only build_report (and prepare_report) make one, so that a writer given a survey_report is given an audited
/// report; a section's result on its own is written as `unaudited(result)`. A copy is an audited report too.
struct survey_report {
  /// Made by build_report only.
  explicit survey_report(detail::report_key /*key*/) {}

  assessment summary;                                      ///< constructs, eNPS, six-level items, groups
  std::optional<org_rollup> units;                         ///< units and cuts
  std::vector<unit_drivers> drivers;                       ///< driver analyses (withheld ones carry a reason)
  std::optional<rollup_trend> trend;                       ///< changes since the earlier wave
  std::optional<internal_service_result> internal_service; ///< the internal-service matrix
  /// Every published figure's cell (the inventory), plus any earlier release's cells; see declare_report. Empty
  /// when report_options::inventory was off and the proof did not need it.
  release cells;
  release_audit_result audit; ///< the audit of every shown cell of this report, at its own k
  /// With a ledger: the audit of this report's cells together with every earlier release's, at `union_min_group_size`.
  std::optional<release_audit_result> union_audit;
  std::size_t min_group_size = 5;       ///< the report's own k
  std::size_t union_min_group_size = 5; ///< the k of the union with earlier releases: the smallest of all their k
  std::size_t earlier_releases = 0;     ///< releases of the ledger audited together with this one
  std::vector<warning> warnings;        ///< what the joint protection withheld: a code and a sentence each
  /// The threads the report was built with (report_options::threads); its JSON writer formats the long arrays on as
  /// many (the same bytes whatever the number).
  std::size_t threads = 1;
};

/// A summary of the disclosure audit run over a report's shown cells (see build_report).
struct report_audit {
  std::size_t cells = 0;            ///< shown cells audited, every section and earlier releases included
  std::size_t domains = 0;          ///< domains of values those cells fall in
  std::size_t findings = 0;         ///< leaks found (0 for a report ethos produced)
  bool complete = true;             ///< every candidate set examined
  std::size_t min_group_size = 5;   ///< the k the audit held the report to
  std::size_t earlier_releases = 0; ///< releases of the ledger audited together with this report
  /// With earlier releases: the audit of everything the audience has seen (cells, k, findings, complete).
  std::optional<std::size_t> union_cells;
  std::size_t union_min_group_size = 0; ///< with earlier releases: the k of that audit (the smallest of all)
  std::size_t union_findings = 0;       ///< with earlier releases: leaks found in everything the audience has seen
  bool union_complete = true;           ///< with earlier releases: every candidate set of that audit examined
};

struct measurement_model;            // ethos/models/measurement.hpp
struct measurement_invariance_model; // ethos/models/measurement.hpp

/// The optional organisation sections of a report, as the writers read them from a survey_report inside (the
/// results JSON's and the text report's; no public writer takes one assembled by hand); null pointers and empty
/// spans are left out. The JSON writer reads every field but `min_group_size`, the text report every field but
/// `audit` and `warnings`.
/// `warnings` are `ethos::warning`s (a code and a sentence), as survey_report::warnings holds them.
struct report_sections {
  const org_rollup* units = nullptr;                         ///< "units" and (with a cut) "cuts"
  const internal_service_result* internal_service = nullptr; ///< "internal_service"
  std::span<const unit_drivers> drivers{};                   ///< "drivers"
  const rollup_trend* trend = nullptr;                       ///< "trend"
  const measurement_model* measurement = nullptr;            ///< "measurement_model" (research: see json_results.hpp)
  const measurement_invariance_model* invariance = nullptr;  ///< "invariance" (research: see json_results.hpp)
  const report_audit* audit = nullptr;                       ///< "disclosure_audit"
  std::span<const warning> warnings{};                       ///< more "warnings" (the joint protection's)
  /// k, named in the text report's legends when there is no units section (which carries its own).
  std::size_t min_group_size = 5;
  std::size_t threads = 1; ///< threads the JSON writer formats the long arrays on (0: one per hardware thread)
};

/// The audit summary of a built report.
ETHOS_DECL report_audit audit_summary(const survey_report& r);

/// The inventory of a report: one cell per published set of people, in every section: the overall figures of each
/// construct (and, when grouped, the ICC and rwg(j) summary over the shown groups), the eNPS, each six-level item,
/// each shown group x construct, unit x construct and cut cell, each driver analysis (its outcome rows and each
/// predictor's unit cell), each trend cell's earlier wave, each internal-service cell; plus every cell of earlier
/// releases in `q.ledger`. See docs/privacy.md for the figures of each.
ETHOS_DECL release declare_report(const survey_report& r, const report_request& q);

/// The shown cells of one domain of a report's inventory (e.g. "construct:voice_of_the_customer"), as disclosure
/// cells over the domain's elements, earlier releases included: what disclosure_audit or is_derivable take.
/// \throws ethos::error when the report kept no inventory (report_options::inventory off).
ETHOS_DECL std::vector<disclosure_cell> published_cells(const survey_report& r, std::string_view domain);

/// Builds, protects and audits one report.
///
/// Each section is computed under the minimum group size k as on its own (groups and units hide small and
/// differencing cells; the internal-service matrix protects its cells). Then every cell the report would publish is
/// declared (declare_report) with the people behind it, per domain of values, and protect_release hides, jointly,
/// whatever still lets 1..k-1 persons be derived by adding and subtracting figures of different sections (or of
/// earlier releases in the ledger): trend cells of the earlier wave first, then driver analyses, then groups, then
/// internal-service cells, cut cells and units. Hidden figures are removed from the sections (a withheld driver
/// analysis keeps its counts and a reason; a withheld trend cell its counts). Finally the audit proves the whole
/// release, earlier releases included; a failure there would be a bug and throws rather than return a report.
///
/// The report is held to its own k on its own. With a ledger, it is also protected and audited together with every
/// earlier release to the same audience, held to the smallest k among them all: the weakest promise made to that
/// audience, which a later release can no longer strengthen (what was shown stays shown) but must not break.
/// \throws ethos::error for inconsistent inputs, and when the audit does not prove the report safe.
ETHOS_DECL survey_report build_report(const report_request& q);

/// What prepare_report makes a report of, beyond the responses: its options and where the units come from.
struct prepare_options {
  report_options report; ///< what the report holds and its rules (k, groups, cut, drivers ...)
  /// Metadata column naming each respondent's unit (empty: no units section, so no cut, drivers or trend).
  std::string unit_column;
  /// With `unit_column`: the units (null: made from the column's labels, "a/b" paths nesting).
  const unit_tree* tree = nullptr;
  /// True when the respondent ids are only row numbers (see survey_wave::row_number_ids).
  bool row_number_ids = false;
};

/// One call from responses to a report ready to write: scores the responses, places each respondent in a unit
/// (options.unit_column), and builds, protects and audits the report (build_report). For one wave without a
/// ledger; build_report takes an earlier wave, internal-service ratings and a ledger.
///
///     auto rep = ethos::prepare_report(inst, matrix, {.report = {.group_by = "department"}, .unit_column = "team"});
///     ethos::write_results_json(std::cout, rep);
///
/// \throws ethos::error as build_report does, and when the unit column is not in the responses.
ETHOS_DECL survey_report prepare_report(const instrument_view& inst, const response_matrix& m,
                                        const prepare_options& options = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/report.ipp>
#endif
