/// \file
/// \brief Instruments as JSON text (schema ethos.instrument/1): reading a file or text, writing one.
///
/// No nlohmann_json in these declarations; the functions on nlohmann values (instrument_from_json, to_json) are
/// in io/json_value.hpp. Part of the optional component ethos::json (see io/json.hpp).
///
/// The schema:
///
///     {"schema": "ethos.instrument/1", "id": "pulse", "title": "Team pulse",
///      "scale": {"min": 1, "max": 5, "favorable_min": 4, "unfavorable_max": 2},
///      "constructs": [{"key": "voice", "label": "Listening", "building_block": "voice_of_the_customer"}],
///      "items": [{"id": "v1", "text": "...", "construct": "voice", "reverse": false, "weight": 1.0,
///                 "value_category": "delivery_system", "building_block": null, "format": "likert"}, ...],
///      "nps_item": "enps"}
///
/// Required: schema, id, scale.min, scale.max, constructs (may be empty), items; construct key and label;
/// item id and text. Everything else may be left out:
///
///     title                              ""
///     scale.favorable_min/unfavorable_max the scale's default bands; give both or neither (a band set alone
///                                        would silently pair with a default that depends on min and max)
///     building_block, value_category     none (null also means none)
///     construct                          none (null also means none); Likert items need one, others must not
///     reverse, weight                    false, 1
///     format                             "nps" for the item named by nps_item, else "likert"
///     nps_item                           none (null or "" also mean none)
///
/// Vocabulary terms are read by key or label, case-insensitively; the writer writes keys and every field,
/// with null for "none". A file whose schema is another string is not checked further.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/path.hpp>
#include <ethos/measure/instrument.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace ethos {

/// The schema string of instrument files.
inline constexpr std::string_view instrument_schema = "ethos.instrument/1";

/// The instrument in JSON text. Throws ethos::error "file:line:column: JSON syntax error: ..." for text
/// that is not JSON, and validation_error (context "instrument file 'name'") for every schema problem,
/// repeated keys included.
ETHOS_DECL instrument parse_instrument(std::string_view text, std::string_view file_name = "<string>");

/// The instrument in a stream of JSON text; `file_name` names it in messages.
ETHOS_DECL instrument load_instrument(std::istream& in, std::string_view file_name);

/// The instrument in a JSON file. Throws ethos::error "path: cannot open: reason" when it cannot be read.
ETHOS_DECL instrument load_instrument_file(std::string_view path);

/// As above, for a `std::filesystem::path` (or any path type with `string()`).
template <detail::path_like Path>
instrument load_instrument_file(const Path& path) {
  const std::string name(path.string());
  return load_instrument_file(std::string_view(name));
}

/// The JSON text of an instrument, keys in schema order and ending with a newline, ready to save as a
/// file; `indent` < 0 writes one line. Throws validation_error for what JSON cannot hold (text that is not
/// UTF-8, an infinite weight).
ETHOS_DECL std::string instrument_to_json_string(const instrument_view& v, int indent = 2);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/json_instrument.ipp>
#endif
