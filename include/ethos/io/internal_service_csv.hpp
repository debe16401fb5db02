/// \file
/// \brief Reading internal-service ratings (who rates which unit, how) from CSV.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/path.hpp>
#include <ethos/io/csv_reader.hpp>
#include <ethos/org/internal_service.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// Reads internal-service ratings from CSV text: a header row, then one row per rating.
///
/// The header names the four columns `person`, `rater_unit`, `served_unit` and `rating`, in any order and
/// nothing else (names match exactly). A rating is a whole number on the scale of `opt` (Likert min..max, or
/// 1..6 for the service levels, where a level's name such as `desired` is accepted as well, in any case).
/// Names are kept exactly as written. Each row is checked as analyse_internal_service checks ratings (empty
/// names, a value off the scale, a person rating one unit twice or appearing in two units), so that every
/// problem is reported here with its place: csv_error "file:line:column: reason" at the first one, e.g.
/// "ratings.csv:4:17: unknown service level 'desird' (did you mean 'desired'?); expected 1..6 or one of ...".
/// Syntax errors are reported as by csv_reader. `line` of each rating is the line its row starts on.
///
///     std::ifstream in("ratings.csv", std::ios::binary);
///     auto ratings = ethos::read_internal_ratings(in, "ratings.csv", opt);
///     auto result = ethos::analyse_internal_service(ratings, opt);
///
/// \throws csv_error for any problem in the file; ethos::error for invalid options.
ETHOS_DECL std::vector<internal_rating> read_internal_ratings(std::istream& in, std::string_view file_name,
                                                              const internal_service_options& opt = {});

/// As read_internal_ratings, from a file; one that cannot be opened throws csv_error "file: cannot open: <reason>".
ETHOS_DECL std::vector<internal_rating> read_internal_ratings_file(std::string_view path,
                                                                   const internal_service_options& opt = {});

/// As above, for a `std::filesystem::path` (or any path type with `string()`).
template <detail::path_like Path>
std::vector<internal_rating> read_internal_ratings_file(const Path& path, const internal_service_options& opt = {}) {
  const std::string name(path.string());
  return read_internal_ratings_file(std::string_view(name), opt);
}

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/internal_service_csv.ipp>
#endif
