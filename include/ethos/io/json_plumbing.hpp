/// \file
/// \brief The plumbing of the JSON readers and writers that needs no nlohmann_json in its declarations: JSON
/// string literals and numbers as text, JSON paths for messages, text positions, and reading whole files.
///
/// Part of the optional component ethos::json (see io/json.hpp): in header-only mode the definitions need
/// nlohmann_json.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/detail/utf8.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace ethos::detail {

/// `s` as a JSON string literal: `say "hi"` becomes `"say \"hi\""`. Bytes that are not UTF-8 become U+FFFD.
ETHOS_DECL std::string json_quote(std::string_view s);

/// A number as JSON writes it (the shortest text that reads back to the same double), or nan/inf/-inf,
/// which JSON cannot hold.
ETHOS_DECL std::string json_number_text(double x);

/// The path of member `key` of the value at `base`: `$.items`, or `$["odd key"]` when the key is not a
/// plain identifier.
ETHOS_DECL std::string json_path_member(std::string_view base, std::string_view key);

/// The path of element `index` of the array at `base`: `$.items[3]`.
ETHOS_DECL std::string json_path_index(std::string_view base, std::size_t index);

/// A 1-based line and column in a text; columns count UTF-8 characters, as editors do.
struct text_position {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The line and column of byte `offset` of `text` (an offset past the end gives the position after the
/// last character).
ETHOS_DECL text_position line_column(std::string_view text, std::size_t offset) noexcept;

/// The reason part of a nlohmann parse error message. Its position prefix goes (we compute line and column
/// ourselves, counting characters), and so does its "last read" echo, which repeats raw input bytes and
/// sometimes more than the offending token.
ETHOS_DECL std::string json_error_reason(std::string_view what);

/// The rest of a stream as text; throws ethos::error "name: cannot read" when the stream fails.
ETHOS_DECL std::string read_stream_text(std::istream& in, std::string_view name);

/// A whole file as text; throws ethos::error "path: cannot open: reason" when it cannot be opened.
ETHOS_DECL std::string read_file_text(std::string_view path);

} // namespace ethos::detail

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/json_plumbing.ipp>
#endif
