/// \file
/// \brief The organisation sections of the plain-text report: units, cuts, trend, drivers and internal service.
/// Hidden cells print a mark, never a number.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/report.hpp>
#include <ethos/report/text.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace ethos {

/// What the organisation sections show.
struct org_text_options {
  std::size_t width = 100;   ///< line width (at least 60)
  std::size_t max_depth = 2; ///< units down to this depth in the tables
};

namespace detail {

// The organisation sections of the text report: units (with the cut, and the trend since the earlier wave),
// driver analyses and the internal-service matrix, each present in `s` (every field but `audit` and `warnings`).
ETHOS_DECL std::string org_text_report(const report_sections& s, const org_text_options& opt);

// Short column heads for the constructs of a roll-up, as construct_abbreviations makes them for an assessment.
ETHOS_DECL std::vector<std::string> rollup_abbreviations(const std::vector<rollup_construct>& cs);

} // namespace detail

/// The whole text report of a report built by build_report: the assessment, the organisation sections, the audit
/// and every warning. This is what ethos-assess prints.
ETHOS_DECL std::string report_text(const survey_report& r, const text_report_options& text = {},
                                   const org_text_options& org = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/org_text.ipp>
#endif
