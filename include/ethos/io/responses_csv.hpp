/// \file
/// \brief Survey responses read from CSV against an instrument (read_responses): a header naming the columns,
/// then one row per respondent, into a response_matrix.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/path.hpp>
#include <ethos/io/csv_reader.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// What read_responses does with a row it cannot use.
enum class invalid_row_policy : unsigned char {
  fail, ///< throw csv_error at the first problem (the default)
  skip, ///< leave the row out, count it and keep the first few problems (csv_read_result)
};

/// How read_responses maps a CSV file onto an instrument.
struct csv_options {
  /// Column of the respondent ids. When the header has no such column (or this is empty), the ids are the
  /// 1-based data row numbers as text, counting every row after the header, invalid ones included. When this
  /// is set but the header lacks it, and another column looks like the ids (a name such as `respondent` or
  /// `employee_id` and a unique value in every row), csv_read_result::warnings says so.
  std::string id_column = "id";
  /// Metadata (group) columns. Unset: every column that is not an item, the id or the wave is one, in header
  /// order. Set: exactly these, in this order; each must be present and any other column is an error.
  std::optional<std::vector<std::string>> metadata_columns;
  /// Column of the survey wave (a whole number), if any; empty: every row is wave 0.
  std::string wave_column;
  /// What to do with a row that cannot be used.
  invalid_row_policy policy = invalid_row_policy::fail;
  /// How many problems of skipped rows are kept in csv_read_result::first_invalid.
  std::size_t max_reported = 10;
  /// Bytes read at a time (csv_reader_options::chunk_size).
  std::size_t chunk_size = csv_reader_options{}.chunk_size;
  /// Longest row accepted (csv_reader_options::max_row_bytes).
  std::size_t max_row_bytes = csv_reader_options{}.max_row_bytes;
};

/// The responses read from a CSV file. Always rows == used + invalid.
struct csv_read_result {
  response_matrix matrix;  ///< the responses, one row per used data row
  std::size_t rows = 0;    ///< data rows read (every row after the header, blank lines between rows included)
  std::size_t used = 0;    ///< rows in the matrix
  std::size_t invalid = 0; ///< rows left out under invalid_row_policy::skip
  std::vector<csv_issue> first_invalid; ///< the first problem of each of the first max_reported skipped rows
  /// True when the file had no id column, so the respondent ids are row numbers: a report then recognises a
  /// respondent across waves and releases by the content of their row (survey_wave::row_number_ids).
  bool row_number_ids = false;
  /// What a reader should know although nothing failed: warning_code::likely_id_column when the ids are row
  /// numbers but a column looks like the respondent ids (see csv_options::id_column).
  std::vector<warning> warnings;
};

/// Reads survey responses from CSV text: a header row naming the columns, then one row per respondent.
/// Every item of the instrument needs a column; the matrix columns follow the instrument's item order and its
/// group columns are the metadata columns (csv_options). An answer is a whole number with optional
/// surrounding white space, within the item's range (instrument_view::answer_range); an empty or all-space
/// cell is a missing answer. Column names match exactly (case-sensitive, untrimmed); ids and metadata labels
/// are kept exactly as written.
///
/// Header problems always throw csv_error: missing header, empty column name, duplicate column, unknown column
/// (with metadata_columns), no column for an item, a listed metadata or the wave column absent. Row problems
/// (ragged row, non-numeric or out-of-range answer, empty or duplicate id, bad wave, blank line between rows,
/// a syntax error the tokenizer can resynchronise after) throw under invalid_row_policy::fail and are counted
/// and reported under skip; other syntax errors always throw (see csv_reader). Each message is
/// "file:line:column: reason" with the position of the offending cell (for a ragged row, the first extra field,
/// or the row's start when fields are missing); only a row's first problem is reported.
///
/// Memory: the matrix, an index of the ids (about 40 bytes per respondent) and the reader's buffer; the file
/// itself is never held. `inst` may be a static_instrument or a run-time instrument (they convert to a view).
ETHOS_DECL csv_read_result read_responses(std::istream& in, std::string_view file_name, const instrument_view& inst,
                                          const csv_options& options = {});

/// As read_responses, from a file; one that cannot be opened throws csv_error "file: cannot open: <reason>".
ETHOS_DECL csv_read_result read_responses_file(std::string_view path, const instrument_view& inst,
                                               const csv_options& options = {});

/// As above, for a `std::filesystem::path` (or any path type with `string()`).
template <detail::path_like Path>
csv_read_result read_responses_file(const Path& path, const instrument_view& inst, const csv_options& options = {}) {
  const std::string name(path.string());
  return read_responses_file(std::string_view(name), inst, options);
}

namespace detail {

/// True when a column name reads like respondent ids: `id` in any case, `respondent`, `person`, `employee`,
/// `participant` (alone or followed by `_`, `-`, `.` or a space and more), names ending in `_id`, `-id`,
/// `.id` or ` id` (any case), and camel-case ones such as `respondentId` or `EmployeeID`.
ETHOS_DECL bool looks_like_id_column(std::string_view name) noexcept;

} // namespace detail

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/responses_csv.ipp>
#endif
