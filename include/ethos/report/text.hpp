/// \file
/// \brief The terminal report of an assessment: constructs, eNPS, six-level items, groups, warnings and a key to
/// the numbers, aligned to a fixed width (100 columns by default).
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/unaudited.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// Layout of the text report.
struct text_report_options {
  std::size_t width = 100; ///< no line is longer (at least 80)
  bool groups = true;      ///< print the group table when the assessment is grouped
  bool key = true;         ///< print the key explaining each column
};

namespace detail {

// Display width of UTF-8 text: one column per code point (the labels ethos writes are not East Asian wide).
ETHOS_DECL std::size_t display_width(std::string_view s) noexcept;

// At most `width` columns of `s`, ending in "..." when cut; never splits a UTF-8 sequence.
ETHOS_DECL std::string fit(std::string_view s, std::size_t width);

ETHOS_DECL std::string pad_right(std::string_view s, std::size_t width);

ETHOS_DECL std::string pad_left(std::string_view s, std::size_t width);

// Words of `text` wrapped to `width` columns, each line starting with `indent` (the first with `first`).
ETHOS_DECL std::string wrap(std::string_view text, std::size_t width, std::string_view first, std::string_view indent);

// Short column heads for constructs: the initials of the key's words without "of", "the", "and", upper
// case, made unique with a digit ("voice_of_the_customer" -> "VC").
ETHOS_DECL std::vector<std::string> construct_abbreviations(const std::vector<construct_assessment>& cs);

ETHOS_DECL std::string rule(std::size_t width);

// The text of an assessment (text_report; report_text starts with it).
ETHOS_DECL std::string assessment_text(const assessment& a, const text_report_options& options);

} // namespace detail

/// The report of an assessment on its own (see unaudited) for a terminal, `options.width` columns wide:
///
///     fmt::print("{}", ethos::text_report(ethos::unaudited(ethos::assess(inst, matrix))));
///
/// Suppressed groups appear with their size and the reason only; statistics that cannot be computed read
/// "n/a" and the reason is given under Warnings or in the key, never a made-up number. A report to publish is
/// report_text of build_report's result, which begins with the same text.
ETHOS_DECL std::string text_report(unaudited<assessment> a, const text_report_options& options = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/text.ipp>
#endif
