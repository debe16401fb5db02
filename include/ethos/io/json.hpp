// ethos/io/json.hpp: ethos data as JSON (nlohmann/json): instruments (schema ethos.instrument/1) and results
// (ethos.results/1).
//
// This is the only ethos header that includes nlohmann/json, so that the rest of the library does not need it.
// Readers report every problem of a document at once in a validation_error whose `where` is a JSON path
// (`$.items[3].reverse`); JSON syntax errors and I/O failures are plain ethos::error naming `file:line:column`.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/scale.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/org/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

// ---- shared helpers (paths, text, numbers, parsing, object reading) ----

namespace ethos::detail {

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
inline bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (b < 0x80) {
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      lo = b == 0xE0 ? 0xA0 : 0x80;
      hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      lo = b == 0xF0 ? 0x90 : 0x80;
      hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (s.size() - i <= n) {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      // Only the first continuation byte has a narrowed range; it rules out overlongs and surrogates.
      if (c < (k == 1 ? lo : 0x80U) || c > (k == 1 ? hi : 0xBFU)) {
        return false;
      }
    }
    i += n + 1;
  }
  return true;
}

/// `s` cut to at most `max_bytes` bytes (plus "...") without splitting a UTF-8 character, for quoting
/// user text in messages without letting a huge value swamp them.
inline std::string utf8_truncate(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) {
    return std::string(s);
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return std::string(s.substr(0, cut)) + "...";
}

/// `s` as a JSON string literal: `say "hi"` becomes `"say \"hi\""`. Bytes that are not UTF-8 become U+FFFD.
inline std::string json_quote(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A number as JSON writes it (the shortest text that reads back to the same double), or nan/inf/-inf,
/// which JSON cannot hold.
inline std::string json_number_text(double x) {
  if (std::isnan(x)) {
    return "nan";
  }
  if (std::isinf(x)) {
    return x > 0 ? "inf" : "-inf";
  }
  return nlohmann::json(x).dump();
}

/// The path of member `key` of the value at `base`: `$.items`, or `$["odd key"]` when the key is not a
/// plain identifier.
inline std::string json_path_member(std::string_view base, std::string_view key) {
  const auto word_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
  };
  bool plain = !key.empty();
  for (std::size_t i = 0; plain && i < key.size(); ++i) {
    plain = word_char(key[i], i == 0);
  }
  return std::string(base) + (plain ? "." + std::string(key) : "[" + json_quote(key) + "]");
}

/// The path of element `index` of the array at `base`: `$.items[3]`.
inline std::string json_path_index(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

/// A JSON value as messages show it: `string "yes"`, `number 4.5`, `boolean true`, `null`, `array`, `object`.
inline std::string json_describe(const nlohmann::json& v) {
  switch (v.type()) {
  case nlohmann::json::value_t::null:
    return "null";
  case nlohmann::json::value_t::boolean:
    return v.get<bool>() ? "boolean true" : "boolean false";
  case nlohmann::json::value_t::string:
    return "string " + json_quote(utf8_truncate(v.get_ref<const std::string&>(), 60));
  case nlohmann::json::value_t::number_float:
    return "number " + json_number_text(v.get<double>());
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
    return "number " + v.dump();
  case nlohmann::json::value_t::object:
    return "object";
  case nlohmann::json::value_t::array:
    return "array";
  case nlohmann::json::value_t::binary:
    return "binary data";
  case nlohmann::json::value_t::discarded:
    break;
  }
  return "a discarded value";
}

/// A 1-based line and column in a text; columns count UTF-8 characters, as editors do.
struct text_position {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// The line and column of byte `offset` of `text` (an offset past the end gives the position after the
/// last character).
inline text_position line_column(std::string_view text, std::size_t offset) noexcept {
  text_position p;
  offset = std::min(offset, text.size());
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" && offset >= 3 ? 3 : 0; // a BOM is not a column
  for (; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0U) != 0x80U) {
      ++p.column;
    }
  }
  return p;
}

/// The reason part of a nlohmann parse error message. Its position prefix goes (we compute line and column
/// ourselves, counting characters), and so does its "last read" echo, which repeats raw input bytes and
/// sometimes more than the offending token.
inline std::string json_error_reason(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    const auto p = what.find("] ");
    if (p != std::string_view::npos) {
      what.remove_prefix(p + 2);
    }
  }
  if (what.starts_with("parse error")) {
    const auto p = what.find(": ");
    if (p != std::string_view::npos) {
      what.remove_prefix(p + 2);
    }
  }
  std::string out(what);
  const auto last_read = out.find("; last read: '");
  if (last_read != std::string::npos) {
    const auto expected = out.find("'; expected ", last_read);
    out.erase(last_read, expected == std::string::npos ? std::string::npos : expected + 1 - last_read);
  }
  constexpr std::string_view lead = "syntax error while parsing ";
  const auto dash = out.find(" - ");
  if (out.starts_with(lead) && dash != std::string::npos && dash > lead.size()) {
    out = out.substr(dash + 3) + " (while parsing " + out.substr(lead.size(), dash - lead.size()) + ")";
  }
  return utf8_truncate(out, 200);
}

/// The message for a name that is not in the vocabulary of E, listing the keys it accepts.
template <vocabulary_enum E>
std::string unknown_vocabulary_message(std::string_view given, std::string_view noun) {
  std::array<std::string_view, vocabulary_size<E>> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    keys[i] = vocabulary_traits<E>::entries[i].key;
  }
  std::string m = "unknown " + std::string(noun) + " " + json_quote(utf8_truncate(given, 60));
  if (const auto guess = closest_match(trim(given), keys)) {
    m += " (did you mean " + json_quote(*guess) + "?)";
  }
  return m + "; expected one of " + join_words(keys);
}

/// Builds a JSON value from the parser's events like nlohmann's own parser, but reports what that parser
/// would lose or choke on: a repeated key in an object (it silently keeps the last value) and nesting
/// deeper than `max_depth` (whose content is replaced by an empty container, so that error paths and
/// later checks stay short).
class json_dom_builder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit json_dom_builder(std::size_t max_depth) : max_depth_(max_depth) {}

  bool null() override { return put(nlohmann::json(nullptr)); }
  bool boolean(bool val) override { return put(nlohmann::json(val)); }
  bool number_integer(number_integer_t val) override { return put(nlohmann::json(val)); }
  bool number_unsigned(number_unsigned_t val) override { return put(nlohmann::json(val)); }
  bool number_float(number_float_t val, const string_t& /*raw*/) override { return put(nlohmann::json(val)); }
  bool string(string_t& val) override { return put(nlohmann::json(std::move(val))); }
  bool binary(binary_t& val) override { return put(nlohmann::json::binary(std::move(val))); }
  bool start_object(std::size_t /*elements*/) override { return open(nlohmann::json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*elements*/) override { return open(nlohmann::json::array()); }
  bool end_array() override { return close(); }

  bool key(string_t& val) override {
    if (skipped_ == 0) {
      frame& top = stack_.back();
      if (top.node->contains(val)) {
        problems_.push_back({path(stack_.size()), "duplicate key " + json_quote(utf8_truncate(val, 60))});
      }
      top.key = std::move(val);
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    error_position_ = position;
    error_message_ = ex.what();
    return false;
  }

  nlohmann::json& result() noexcept { return root_; }
  std::vector<problem>& problems() noexcept { return problems_; }
  /// nlohmann's position of the error: 1 + the offset of the byte it stopped at.
  std::size_t error_position() const noexcept { return error_position_; }
  const std::string& error_message() const noexcept { return error_message_; }

 private:
  struct frame {
    nlohmann::json* node;
    std::string key; // in an object: the key of the member being read
  };

  // Where the next value goes: the root, the end of the open array, or the open object's current key.
  nlohmann::json& slot() {
    if (stack_.empty()) {
      return root_;
    }
    frame& top = stack_.back();
    if (top.node->is_array()) {
      top.node->push_back(nullptr);
      return top.node->back();
    }
    return (*top.node)[top.key];
  }

  bool put(nlohmann::json&& v) {
    if (skipped_ == 0) {
      slot() = std::move(v);
    }
    return true;
  }

  bool open(nlohmann::json&& container) {
    if (skipped_ > 0) {
      ++skipped_;
      return true;
    }
    nlohmann::json& s = slot();
    s = std::move(container);
    if (stack_.size() >= max_depth_) {
      problems_.push_back({path(stack_.size() + 1),
                           "nested more than " + std::to_string(max_depth_) + " levels deep; its content is ignored"});
      skipped_ = 1;
      return true;
    }
    stack_.push_back({&s, {}});
    return true;
  }

  bool close() {
    if (skipped_ > 0) {
      --skipped_;
    } else {
      stack_.pop_back();
    }
    return true;
  }

  // The path of the container at depth `depth` (1 = the root); built only when a problem needs it, because
  // keeping a path per open container would cost memory quadratic in the nesting depth.
  std::string path(std::size_t depth) const {
    std::string p = "$";
    for (std::size_t d = 0; d + 1 < depth; ++d) {
      const frame& f = stack_[d];
      p = f.node->is_array() ? json_path_index(p, f.node->size() - 1) : json_path_member(p, f.key);
    }
    return p;
  }

  nlohmann::json root_;
  std::vector<frame> stack_;
  std::size_t max_depth_;
  std::size_t skipped_ = 0; // > 0 while inside a container that is too deep: its nesting level below the cut
  std::vector<problem> problems_;
  std::size_t error_position_ = 0;
  std::string error_message_;
};

/// Nesting allowed in ethos JSON files: far more than any schema uses, few enough to keep paths short.
inline constexpr std::size_t json_max_depth = 64;

/// A parsed JSON document and the problems parsing found in it (repeated keys, nesting too deep).
struct parsed_json {
  nlohmann::json value;
  std::vector<problem> problems;
};

/// Parses JSON text; throws ethos::error "file:line:column: JSON syntax error: reason" when it is not JSON.
inline parsed_json parse_json_text(std::string_view text, std::string_view file_name) {
  json_dom_builder builder(json_max_depth);
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder)) {
    const std::size_t pos = builder.error_position();
    const text_position at = line_column(text, pos > 0 ? pos - 1 : 0);
    throw error(std::string(file_name) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                ": JSON syntax error: " + json_error_reason(builder.error_message()));
  }
  return {std::move(builder.result()), std::move(builder.problems())};
}

/// The rest of a stream as text; throws ethos::error "name: cannot read" when the stream fails.
inline std::string read_stream_text(std::istream& in, std::string_view name) {
  std::string out;
  std::string chunk(std::size_t{1} << 16, '\0');
  for (;;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    out.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (!in) {
      break;
    }
  }
  if (in.bad()) {
    throw error(std::string(name) + ": cannot read");
  }
  return out;
}

/// A whole file as text; throws ethos::error "path: cannot open: reason" when it cannot be opened.
inline std::string read_file_text(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  // Opening a directory succeeds on some systems and fails only at the first read, with a vaguer reason.
  if (std::filesystem::is_directory(path, ec)) {
    throw error(name + ": cannot open: is a directory");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    throw error(name +
                ": cannot open: " + (e != 0 ? std::generic_category().message(e) : std::string("unknown reason")));
  }
  return read_stream_text(in, name);
}

/// Whether a member must be there (`required`), may be left out (`optional`), or may be left out or null
/// (`nullable`, for values that can be "none").
enum class json_presence : unsigned char { required, optional, nullable };

/// Reads the members of one JSON object, appending a problem at the member's path for each one that is
/// missing or has the wrong type, and (report_unknown_keys) for each key the schema does not know.
/// Getters return nullopt both for an absent member and for a bad one; compare the problem count to tell.
class json_object_reader {
 public:
  json_object_reader(const nlohmann::json& object, std::string path, std::span<const std::string_view> known,
                     std::vector<problem>& out)
      : object_(object), path_(std::move(path)), known_(known), out_(out) {}

  const std::string& path() const noexcept { return path_; }
  std::string path_of(std::string_view key) const { return json_path_member(path_, key); }
  void report(std::string_view key, std::string what) { out_.push_back({path_of(key), std::move(what)}); }

  /// The member, or nullptr when it is absent (a problem if required) or null and nullable.
  const nlohmann::json* get(std::string_view key, json_presence presence) {
    const auto it = object_.find(std::string(key));
    if (it == object_.end()) {
      if (presence == json_presence::required) {
        out_.push_back({path_, "missing required key " + json_quote(key)});
      }
      return nullptr;
    }
    if (it->is_null() && presence == json_presence::nullable) {
      return nullptr;
    }
    return &*it;
  }

  // The value under `key` if `is` accepts it; otherwise nullptr, with a problem reported when it is present.
  template <class Is>
  const nlohmann::json* typed(std::string_view key, json_presence presence, const char* what, Is is) {
    const nlohmann::json* v = get(key, presence);
    if (v != nullptr && !is(*v)) {
      report(key, expected(what, presence, *v));
      return nullptr;
    }
    return v;
  }

  std::optional<std::string> text(std::string_view key, json_presence presence) {
    const auto* v = typed(key, presence, "a string", [](const nlohmann::json& j) { return j.is_string(); });
    return v != nullptr ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
  }

  std::optional<bool> flag(std::string_view key, json_presence presence) {
    const auto* v = typed(key, presence, "a boolean", [](const nlohmann::json& j) { return j.is_boolean(); });
    return v != nullptr ? std::optional<bool>(v->get<bool>()) : std::nullopt;
  }

  /// A finite number (integers are accepted and converted).
  std::optional<double> number(std::string_view key, json_presence presence) {
    const auto* v = typed(key, presence, "a number", [](const nlohmann::json& j) { return j.is_number(); });
    if (v == nullptr) {
      return std::nullopt;
    }
    const double x = v->get<double>();
    if (!std::isfinite(x)) {
      report(key, expected("a finite number", presence, *v));
      return std::nullopt;
    }
    return x;
  }

  /// An integer in lo..hi. A number written with a fraction of zero (5.0) counts as an integer, since
  /// some tools write every number that way.
  std::optional<long long> integer(std::string_view key, json_presence presence, long long lo, long long hi) {
    const nlohmann::json* v = get(key, presence);
    if (v == nullptr) {
      return std::nullopt;
    }
    std::optional<long long> n;
    if (v->is_number_unsigned()) {
      const auto u = v->get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<long long>::max())) {
        n = static_cast<long long>(u);
      }
    } else if (v->is_number_integer()) {
      n = v->get<std::int64_t>();
    } else if (v->is_number_float() && std::isfinite(v->get<double>()) &&
               std::floor(v->get<double>()) == v->get<double>()) {
      const double d = v->get<double>();
      if (std::fabs(d) < 9.0e18) {
        n = static_cast<long long>(d);
      }
    } else {
      report(key, expected("an integer", presence, *v));
      return std::nullopt;
    }
    if (!n || *n < lo || *n > hi) {
      report(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                      (v->is_number_float() ? json_number_text(v->get<double>()) : v->dump()));
      return std::nullopt;
    }
    return n;
  }

  /// A vocabulary term given by key or label (case-insensitive); `noun` names the vocabulary in messages.
  template <vocabulary_enum E>
  std::optional<E> term(std::string_view key, json_presence presence, std::string_view noun) {
    const nlohmann::json* v = get(key, presence);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_string()) {
      report(key, expected("a string", presence, *v));
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (const auto e = from_string<E>(s)) {
      return e;
    }
    report(key, unknown_vocabulary_message<E>(s, noun));
    return std::nullopt;
  }

  /// Reports each key that is not one of `known`, with a likely intended key when there is one.
  void report_unknown_keys() {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      const std::string& k = it.key();
      if (std::find(known_.begin(), known_.end(), k) != known_.end()) {
        continue;
      }
      const auto guess = closest_match(k, known_);
      out_.push_back({json_path_member(path_, utf8_truncate(k, 60)),
                      guess ? "unknown key (did you mean " + json_quote(*guess) + "?)"
                            : "unknown key (allowed: " + join_words(known_) + ")"});
    }
  }

 private:
  static std::string expected(std::string_view what, json_presence presence, const nlohmann::json& got) {
    return "expected " + std::string(what) + (presence == json_presence::nullable ? " or null" : "") + ", got " +
           json_describe(got);
  }

  const nlohmann::json& object_;
  std::string path_;
  std::span<const std::string_view> known_;
  std::vector<problem>& out_;
};

} // namespace ethos::detail

// ---- instruments (schema ethos.instrument/1) ----
//
// {"schema": "ethos.instrument/1", "id": "pulse", "title": "Team pulse",
//  "scale": {"min": 1, "max": 5, "favorable_min": 4, "unfavorable_max": 2},
//  "constructs": [{"key": "voice", "label": "Listening", "building_block": "voice_of_the_customer"}],
//  "items": [{"id": "v1", "text": "...", "construct": "voice", "reverse": false, "weight": 1.0,
//             "value_category": "delivery_system", "building_block": null, "format": "likert"}, ...],
//  "nps_item": "enps"}
//
// Required: schema, id, scale.min, scale.max, constructs (may be empty), items; construct key and label;
// item id and text. Everything else may be left out:
//   title                              ""
//   scale.favorable_min/unfavorable_max the scale's default bands; give both or neither (a band set alone
//                                      would silently pair with a default that depends on min and max)
//   building_block, value_category     none (null also means none)
//   construct                          none (null also means none); Likert items need one, others must not
//   reverse, weight                    false, 1
//   format                             "nps" for the item named by nps_item, else "likert"
//   nps_item                           none (null or "" also mean none)
// Vocabulary terms are read by key or label, case-insensitively; the writer writes keys and every field,
// with null for "none". A file whose schema is another string is not checked further.

namespace ethos {

/// The schema string of instrument files.
inline constexpr std::string_view instrument_schema = "ethos.instrument/1";

namespace detail {

inline constexpr std::array<std::string_view, 7> instrument_keys{"schema",     "id",    "title",   "scale",
                                                                 "constructs", "items", "nps_item"};
inline constexpr std::array<std::string_view, 4> scale_keys{"min", "max", "favorable_min", "unfavorable_max"};
inline constexpr std::array<std::string_view, 3> construct_keys{"key", "label", "building_block"};
inline constexpr std::array<std::string_view, 8> item_keys{"id",     "text",           "construct",      "reverse",
                                                           "weight", "value_category", "building_block", "format"};

inline likert_scale read_scale(const nlohmann::json& j, std::vector<problem>& ps) {
  if (!j.is_object()) {
    ps.push_back({"$.scale", "expected an object, got " + json_describe(j)});
    return scales::agree5;
  }
  json_object_reader r(j, "$.scale", scale_keys, ps);
  const std::size_t before = ps.size();
  const auto min = r.integer("min", json_presence::required, 0, 250);
  const auto max = r.integer("max", json_presence::required, 0, 250);
  const auto fav = r.integer("favorable_min", json_presence::optional, 0, 250);
  const auto unfav = r.integer("unfavorable_max", json_presence::optional, 0, 250);
  const bool fields_ok = ps.size() == before;
  r.report_unknown_keys();
  if (!fields_ok) {
    return scales::agree5;
  }
  if (fav.has_value() != unfav.has_value()) {
    ps.push_back({"$.scale", std::string(fav ? "favorable_min is given without unfavorable_max"
                                             : "unfavorable_max is given without favorable_min") +
                                 "; give both bands or neither"});
    return scales::agree5;
  }
  try {
    const int lo = static_cast<int>(*min);
    const int hi = static_cast<int>(*max);
    return fav ? likert_scale(lo, hi, {static_cast<int>(*fav), static_cast<int>(*unfav)}) : likert_scale(lo, hi);
  } catch (const error& e) {
    ps.push_back({"$.scale", e.what()});
    return scales::agree5;
  }
}

// Which fields of an element could not be read. The instrument checks then skip the rules those fields
// feed, so that one mistake is not reported twice (a missing id is not also "an empty id").
struct item_failures {
  bool id = false;
  bool construct = false;
  bool weight = false;
  bool format = false;
};

/// The instrument in `doc`, or a validation_error listing `problems` (found while parsing) and every
/// problem of the document.
inline instrument read_instrument(const nlohmann::json& doc, const std::string& context,
                                  std::vector<problem> problems) {
  std::vector<problem>& ps = problems;
  if (!doc.is_object()) {
    ps.push_back({"$", "expected an object, got " + json_describe(doc)});
    throw validation_error(context, std::move(ps));
  }
  json_object_reader top(doc, "$", instrument_keys, ps);
  if (const nlohmann::json* schema = top.get("schema", json_presence::required)) {
    if (!schema->is_string() || schema->get_ref<const std::string&>() != instrument_schema) {
      top.report("schema", "expected " + json_quote(instrument_schema) + ", got " +
                               (schema->is_string() ? json_quote(utf8_truncate(schema->get<std::string>(), 60))
                                                    : json_describe(*schema)));
      if (schema->is_string()) {
        throw validation_error(context, std::move(ps)); // another format: checking it against ours is noise
      }
    }
  }

  instrument_def def;
  def.id = top.text("id", json_presence::required).value_or("");
  def.title = top.text("title", json_presence::optional).value_or("");
  if (const nlohmann::json* scale = top.get("scale", json_presence::required)) {
    def.scale = read_scale(*scale, ps);
  }

  // nps_item is read first because it sets the default format of the item it names; its problems are
  // appended last, in document order.
  std::vector<problem> nps_problems;
  json_object_reader nps_reader(doc, "$", instrument_keys, nps_problems);
  def.nps_item = nps_reader.text("nps_item", json_presence::nullable).value_or("");
  const bool nps_failed = !nps_problems.empty();

  std::vector<bool> construct_key_failed;
  bool constructs_failed = true;
  if (const nlohmann::json* cs = top.get("constructs", json_presence::required)) {
    if (!cs->is_array()) {
      top.report("constructs", "expected an array, got " + json_describe(*cs));
    } else {
      constructs_failed = false;
      for (std::size_t k = 0; k < cs->size(); ++k) {
        const nlohmann::json& c = (*cs)[k];
        const std::string path = json_path_index("$.constructs", k);
        construct_def cd;
        bool key_failed = true;
        if (!c.is_object()) {
          ps.push_back({path, "expected an object, got " + json_describe(c)});
        } else {
          json_object_reader r(c, path, construct_keys, ps);
          const std::size_t before = ps.size();
          cd.key = r.text("key", json_presence::required).value_or("");
          key_failed = ps.size() != before;
          cd.label = r.text("label", json_presence::required).value_or("");
          cd.block = r.term<building_block>("building_block", json_presence::nullable, "building block");
          r.report_unknown_keys();
        }
        def.constructs.push_back(std::move(cd));
        construct_key_failed.push_back(key_failed);
      }
    }
  }

  const nlohmann::json* items_json = top.get("items", json_presence::required);
  std::vector<item_failures> item_failed;
  bool items_failed = true;
  if (items_json != nullptr && !items_json->is_array()) {
    top.report("items", "expected an array, got " + json_describe(*items_json));
  } else if (items_json != nullptr) {
    items_failed = false;
    for (std::size_t i = 0; i < items_json->size(); ++i) {
      const nlohmann::json& it = (*items_json)[i];
      const std::string path = json_path_index("$.items", i);
      item_def d;
      item_failures f;
      if (!it.is_object()) {
        ps.push_back({path, "expected an object, got " + json_describe(it)});
        f = {true, true, true, true};
      } else {
        json_object_reader r(it, path, item_keys, ps);
        const auto read = [&](bool& failed, auto&& getter) {
          const std::size_t before = ps.size();
          auto v = getter();
          failed = ps.size() != before;
          return v;
        };
        d.id = read(f.id, [&] { return r.text("id", json_presence::required); }).value_or("");
        d.text = r.text("text", json_presence::required).value_or("");
        d.construct = read(f.construct, [&] { return r.text("construct", json_presence::nullable); }).value_or("");
        d.reverse = r.flag("reverse", json_presence::optional).value_or(false);
        d.weight = read(f.weight, [&] { return r.number("weight", json_presence::optional); }).value_or(1.0);
        d.category = r.term<value_category>("value_category", json_presence::nullable, "value category");
        d.block = r.term<building_block>("building_block", json_presence::nullable, "building block");
        const auto format = read(
            f.format, [&] { return r.term<response_format>("format", json_presence::optional, "response format"); });
        d.format = format                                          ? *format
                   : !def.nps_item.empty() && d.id == def.nps_item ? response_format::nps
                                                                   : response_format::likert;
        r.report_unknown_keys();
      }
      def.items.push_back(std::move(d));
      item_failed.push_back(f);
    }
  }
  top.report_unknown_keys();
  ps.insert(ps.end(), nps_problems.begin(), nps_problems.end());

  // The instrument's own rules, mapped to the paths of the fields that break them.
  const auto any = [&](auto pred) { return std::any_of(item_failed.begin(), item_failed.end(), pred); };
  const bool some_id_failed = items_failed || any([](const item_failures& f) { return f.id; });
  const bool some_construct_failed = items_failed || any([](const item_failures& f) { return f.construct; });
  const bool some_key_failed = constructs_failed || std::find(construct_key_failed.begin(), construct_key_failed.end(),
                                                              true) != construct_key_failed.end();
  std::vector<construct_spec> cspecs;
  for (const auto& c : def.constructs) {
    cspecs.push_back({c.key, c.label, c.block});
  }
  std::vector<item_spec> ispecs;
  for (const auto& i : def.items) {
    ispecs.push_back({i.id, i.text, i.construct, i.reverse, i.weight, i.category, i.block, i.format});
  }
  const instrument_view view{def.id, def.title, def.scale, cspecs, ispecs, def.nps_item};
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  check_instrument(view, [&](instrument_issue issue, std::size_t i, std::size_t c) {
    const std::string item = i != none ? json_path_index("$.items", i) : std::string();
    const std::string con = c != none ? json_path_index("$.constructs", c) : std::string();
    switch (issue) {
    case instrument_issue::empty_id:
      if (!item_failed[i].id) {
        ps.push_back({item + ".id", "is empty; every item needs an id"});
      }
      break;
    case instrument_issue::duplicate_item_id:
      if (!item_failed[i].id) {
        ps.push_back({item + ".id", json_quote(view.items[i].id) + " is already the id of " +
                                        json_path_index("$.items", *view.item_index(view.items[i].id))});
      }
      break;
    case instrument_issue::unknown_construct:
      if (!item_failed[i].construct && !item_failed[i].format && !some_key_failed) {
        ps.push_back({item + ".construct", "names construct " + json_quote(view.items[i].construct) +
                                               ", which $.constructs does not define"});
      }
      break;
    case instrument_issue::missing_construct:
      if (!item_failed[i].construct && !item_failed[i].format) {
        if ((*items_json)[i].contains("construct")) {
          ps.push_back({item + ".construct", "is empty; a Likert item must belong to a construct"});
        } else {
          ps.push_back({item, "missing required key \"construct\" (a Likert item must belong to a construct)"});
        }
      }
      break;
    case instrument_issue::construct_on_non_likert_item:
      if (!item_failed[i].construct && !item_failed[i].format) {
        ps.push_back({item + ".construct", "an item of format " + json_quote(key(view.items[i].format)) +
                                               " stands alone and cannot belong to a construct"});
      }
      break;
    case instrument_issue::small_construct:
      if (!construct_key_failed[c] && !some_construct_failed) {
        const std::size_t n = view.construct_size(c);
        ps.push_back(
            {con, "has " + std::to_string(n) + (n == 1 ? " item" : " items") + "; a construct needs at least 2"});
      }
      break;
    case instrument_issue::duplicate_construct_key:
      if (!construct_key_failed[c]) {
        ps.push_back(
            {con + ".key", json_quote(view.constructs[c].key) + " is already the key of " +
                               json_path_index("$.constructs", *view.construct_index(view.constructs[c].key))});
      }
      break;
    case instrument_issue::empty_construct_key:
      if (!construct_key_failed[c]) {
        ps.push_back({con + ".key", "is empty; every construct needs a key"});
      }
      break;
    case instrument_issue::non_positive_weight:
      if (!item_failed[i].weight) {
        ps.push_back({item + ".weight", "must be positive, got " + json_number_text(view.items[i].weight)});
      }
      break;
    case instrument_issue::unknown_nps_item:
      if (!nps_failed && !some_id_failed) {
        ps.push_back({"$.nps_item", "names item " + json_quote(view.nps_item) + ", which $.items does not have"});
      }
      break;
    case instrument_issue::nps_item_not_nps:
      if (!item_failed[i].format) {
        ps.push_back({item + ".format", "is " + json_quote(key(view.items[i].format)) +
                                            ", but $.nps_item names this item, which must have format \"nps\""});
      }
      break;
    case instrument_issue::invalid_format:
      ps.push_back({item + ".format", "is not a response format"});
      break;
    }
  });
  throw_if_problems(context, std::move(ps));
  try {
    return instrument(std::move(def));
  } catch (const validation_error& e) {
    throw validation_error(context, e.problems()); // a rule added to instrument after this reader was written
  }
}

/// What an instrument view holds that JSON cannot: bytes that are not UTF-8, non-finite weights, enum
/// values that are not enumerators.
inline std::vector<problem> instrument_json_problems(const instrument_view& v) {
  std::vector<problem> out;
  const auto text = [&](std::string path, std::string_view s) {
    if (!is_valid_utf8(s)) {
      out.push_back({std::move(path), "is not valid UTF-8"});
    }
  };
  const auto term = [&](std::string path, auto e, std::string_view noun) {
    if (ordinal(e) == 0) {
      out.push_back(
          {std::move(path), "is not a " + std::string(noun) + " (value " + std::to_string(static_cast<int>(e)) + ")"});
    }
  };
  text("$.id", v.id);
  text("$.title", v.title);
  for (std::size_t c = 0; c < v.constructs.size(); ++c) {
    const std::string p = json_path_index("$.constructs", c);
    text(p + ".key", v.constructs[c].key);
    text(p + ".label", v.constructs[c].label);
    if (v.constructs[c].block) {
      term(p + ".building_block", *v.constructs[c].block, "building block");
    }
  }
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    const std::string p = json_path_index("$.items", i);
    const item_spec& it = v.items[i];
    text(p + ".id", it.id);
    text(p + ".text", it.text);
    text(p + ".construct", it.construct);
    if (!std::isfinite(it.weight)) {
      out.push_back({p + ".weight", "is " + json_number_text(it.weight) + ", which JSON cannot represent"});
    }
    if (it.category) {
      term(p + ".value_category", *it.category, "value category");
    }
    if (it.block) {
      term(p + ".building_block", *it.block, "building block");
    }
    term(p + ".format", it.format, "response format");
  }
  text("$.nps_item", v.nps_item);
  return out;
}

/// The JSON of an instrument as `Json` (nlohmann::json or, to keep the schema's key order, ordered_json).
template <class Json>
Json instrument_to_json_as(const instrument_view& v) {
  throw_if_problems("instrument '" + utf8_truncate(v.id, 60) + "' as JSON", instrument_json_problems(v));
  const auto text_or_null = [](std::string_view s) { return s.empty() ? Json(nullptr) : Json(std::string(s)); };
  const auto key_or_null = [](const auto& e) { return e ? Json(std::string(key(*e))) : Json(nullptr); };
  Json j = Json::object();
  j["schema"] = std::string(instrument_schema);
  j["id"] = std::string(v.id);
  j["title"] = std::string(v.title);
  Json scale = Json::object();
  scale["min"] = v.scale.min();
  scale["max"] = v.scale.max();
  scale["favorable_min"] = v.scale.bands().favorable_min;
  scale["unfavorable_max"] = v.scale.bands().unfavorable_max;
  j["scale"] = std::move(scale);
  Json constructs = Json::array();
  for (const auto& c : v.constructs) {
    Json o = Json::object();
    o["key"] = std::string(c.key);
    o["label"] = std::string(c.label);
    o["building_block"] = key_or_null(c.block);
    constructs.push_back(std::move(o));
  }
  j["constructs"] = std::move(constructs);
  Json items = Json::array();
  for (const auto& it : v.items) {
    Json o = Json::object();
    o["id"] = std::string(it.id);
    o["text"] = std::string(it.text);
    o["construct"] = text_or_null(it.construct);
    o["reverse"] = it.reverse;
    o["weight"] = it.weight;
    o["value_category"] = key_or_null(it.category);
    o["building_block"] = key_or_null(it.block);
    o["format"] = std::string(key(it.format));
    items.push_back(std::move(o));
  }
  j["items"] = std::move(items);
  j["nps_item"] = text_or_null(v.nps_item);
  return j;
}

} // namespace detail

/// The instrument described by a JSON document of schema ethos.instrument/1. Throws validation_error
/// (context "instrument JSON") listing every problem, each at its JSON path.
inline instrument instrument_from_json(const nlohmann::json& doc) {
  return detail::read_instrument(doc, "instrument JSON", {});
}

/// The instrument in JSON text. Throws ethos::error "file:line:column: JSON syntax error: ..." for text
/// that is not JSON, and validation_error (context "instrument file 'name'") for every schema problem,
/// repeated keys included.
inline instrument parse_instrument(std::string_view text, std::string_view file_name = "<string>") {
  detail::parsed_json parsed = detail::parse_json_text(text, file_name);
  return detail::read_instrument(parsed.value, "instrument file '" + std::string(file_name) + "'",
                                 std::move(parsed.problems));
}

/// The instrument in a stream of JSON text; `file_name` names it in messages.
inline instrument load_instrument(std::istream& in, std::string_view file_name) {
  return parse_instrument(detail::read_stream_text(in, file_name), file_name);
}

/// The instrument in a JSON file. Throws ethos::error "path: cannot open: reason" when it cannot be read.
inline instrument load_instrument_file(const std::filesystem::path& path) {
  return parse_instrument(detail::read_file_text(path), path.string());
}

/// The JSON of any instrument (compile-time or run-time), every field written, null for "none".
/// Reading it back gives an equal definition. Throws validation_error for what JSON cannot hold
/// (text that is not UTF-8, an infinite weight).
inline nlohmann::json to_json(const instrument_view& v) { return detail::instrument_to_json_as<nlohmann::json>(v); }

/// The JSON text of an instrument, keys in schema order and ending with a newline, ready to save as a
/// file; `indent` < 0 writes one line.
inline std::string instrument_to_json_string(const instrument_view& v, int indent = 2) {
  return detail::instrument_to_json_as<nlohmann::ordered_json>(v).dump(indent) + "\n";
}

} // namespace ethos

// ---- results (schema ethos.results/1) ----

namespace ethos {
namespace detail {

// A statistic that may be missing: the value, or null with a sibling "<name>_reason" saying why.
inline void put_optional(nlohmann::ordered_json& obj, const std::string& name, const std::optional<double>& value,
                         const std::string& reason) {
  if (value) {
    obj[name] = *value;
  } else {
    obj[name] = nullptr;
    obj[name + "_reason"] = reason.empty() ? std::string("not available") : reason;
  }
}

inline nlohmann::ordered_json reliability_to_json(const construct_assessment& c) {
  const auto& r = c.reliability;
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  put_optional(j, "alpha", r.alpha, r.reason);
  put_optional(j, "std_alpha", r.std_alpha, r.reason);
  put_optional(j, "average_r", r.average_r, r.reason);
  if (r.feldt_lower && r.feldt_upper) {
    j["alpha_ci"] = nlohmann::ordered_json::array({*r.feldt_lower, *r.feldt_upper});
  } else {
    j["alpha_ci"] = nullptr;
    j["alpha_ci_reason"] = r.reason.empty() ? std::string("the Feldt interval is not defined here") : r.reason;
  }
  put_optional(j, "ase", r.ase, r.reason);
  nlohmann::ordered_json dropped = nlohmann::ordered_json::object();
  nlohmann::ordered_json r_drop = nlohmann::ordered_json::object();
  nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < r.items.size() && i < c.items.size(); ++i) {
    const auto& it = r.items[i];
    dropped[c.items[i]] = it.alpha_if_dropped ? nlohmann::ordered_json(*it.alpha_if_dropped) : nullptr;
    r_drop[c.items[i]] = it.r_drop ? nlohmann::ordered_json(*it.r_drop) : nullptr;
    if ((!it.alpha_if_dropped || !it.r_drop) && !it.reason.empty()) {
      reasons[c.items[i]] = it.reason;
    }
  }
  j["alpha_if_dropped"] = std::move(dropped);
  j["r_drop"] = std::move(r_drop);
  if (!reasons.empty()) {
    j["item_reasons"] = std::move(reasons);
  }
  return j;
}

} // namespace detail

/// The results of an assessment as JSON, schema "ethos.results/1" (README, "Results JSON"): respondents,
/// constructs with reliability and agreement, eNPS, groups and warnings. A statistic that cannot be computed
/// is null with a sibling "<name>_reason"; a suppressed group carries its id, n and the reason only. Numbers
/// are written in the shortest form that reads back to the same double.
inline nlohmann::ordered_json results_to_json(const assessment& a) {
  using json = nlohmann::ordered_json;
  json out = json::object();
  out["schema"] = "ethos.results/1";
  out["instrument"] = {{"id", a.instrument_id}, {"title", a.title}};
  out["scale"] = {{"min", a.scale.min()},
                  {"max", a.scale.max()},
                  {"favorable_min", a.scale.bands().favorable_min},
                  {"unfavorable_max", a.scale.bands().unfavorable_max}};
  out["respondents"] = {{"rows", a.counts.rows}, {"used", a.counts.used}, {"invalid", a.counts.invalid}};
  if (!a.group_by.empty()) {
    out["group_by"] = a.group_by;
  } else {
    out["group_by"] = nullptr;
  }
  out["min_group_size"] = a.min_group_size;

  json constructs = json::array();
  for (const auto& c : a.constructs) {
    const auto& s = c.summary;
    json j = json::object();
    j["key"] = s.key;
    j["label"] = s.label;
    j["items"] = c.items;
    j["n"] = s.n;
    if (c.status != suppression::none) {
      j["status"] = std::string(key(c.status));
    }
    detail::put_optional(j, "mean", s.mean, s.reason);
    detail::put_optional(j, "sd", s.sd, s.reason);
    detail::put_optional(j, "index", s.index, s.reason);
    const std::string no_answers = s.answers == 0 ? std::string("no answers") : s.reason;
    detail::put_optional(j, "favorable", s.favorable, no_answers);
    detail::put_optional(j, "neutral", s.neutral, no_answers);
    detail::put_optional(j, "unfavorable", s.unfavorable, no_answers);
    j["reliability"] = detail::reliability_to_json(c);
    if (c.agreement) {
      const auto& ag = *c.agreement;
      json g = json::object();
      detail::put_optional(g, "icc1", ag.icc.icc1, ag.icc.reason);
      detail::put_optional(g, "icc2", ag.icc.icc2, ag.icc.reason);
      detail::put_optional(g, "rwg_j_mean", ag.rwg_j.mean, ag.rwg_j_reason);
      detail::put_optional(g, "rwg_j_median", ag.rwg_j.median, ag.rwg_j_reason);
      g["groups_with_rwg_j"] = ag.rwg_j.groups;
      j["agreement"] = std::move(g);
    }
    constructs.push_back(std::move(j));
  }
  out["constructs"] = std::move(constructs);

  if (a.enps) {
    const auto& e = *a.enps;
    json j = json::object();
    detail::put_optional(j, "score", e.score, e.reason);
    if (a.enps_status == suppression::none) {
      j["promoters"] = e.promoters;
      j["passives"] = e.passives;
      j["detractors"] = e.detractors;
    } else { // counts of answers are answers: a hidden eNPS shows how many answered, nothing more
      j["status"] = std::string(key(a.enps_status));
    }
    j["n"] = e.n;
    detail::put_optional(j, "se", e.se, e.reason);
    out["enps"] = std::move(j);
  }

  if (!a.service_levels.empty()) {
    json levels = json::array();
    for (std::size_t i = 0; i < a.service_levels.size(); ++i) {
      const auto& sl = a.service_levels[i];
      json j = json::object();
      j["item"] = sl.item;
      j["category"] = sl.category ? json(std::string(key(*sl.category))) : json(nullptr);
      j["n"] = i < a.service_level_n.size() ? a.service_level_n[i] : sl.distribution.total();
      const auto status = i < a.service_level_status.size() ? a.service_level_status[i] : suppression::none;
      if (status != suppression::none) {
        j["status"] = std::string(key(status));
        j["status_reason"] = status == suppression::too_small
                                 ? "fewer than " + std::to_string(a.min_group_size) + " respondents answered it"
                                 : std::string("hidden so that a smaller group cannot be derived by subtraction");
      } else {
        j["distribution"] = sl.distribution.counts;
        const auto med = sl.distribution.median();
        j["median"] = med ? json(std::string(key(*med))) : json(nullptr);
      }
      levels.push_back(std::move(j));
    }
    out["service_levels"] = std::move(levels);
  }

  if (!a.group_by.empty()) {
    json groups = json::array();
    for (const auto& g : a.groups) {
      json j = json::object();
      j["id"] = g.id;
      j["n"] = g.n;
      j["suppressed"] = g.suppressed != suppression::none;
      if (g.suppressed != suppression::none) {
        j["suppressed_reason"] = g.suppressed == suppression::too_small
                                     ? "fewer than " + std::to_string(a.min_group_size) + " respondents"
                                     : std::string("hidden so that a smaller group cannot be derived by subtraction");
      } else {
        json cs = json::object();
        for (std::size_t c = 0; c < g.constructs.size() && c < a.constructs.size(); ++c) {
          const auto& gc = g.constructs[c];
          json x = json::object();
          x["n"] = gc.n;
          if (gc.status != suppression::none) {
            x["status"] = std::string(key(gc.status));
            x["status_reason"] =
                gc.status == suppression::too_small
                    ? "fewer than " + std::to_string(a.min_group_size) + " respondents with a score on this construct"
                    : std::string("hidden so that a smaller group cannot be derived by subtraction");
            cs[a.constructs[c].summary.key] = std::move(x);
            continue;
          }
          detail::put_optional(x, "mean", gc.mean, "no respondent of the group has a score");
          detail::put_optional(x, "favorable", gc.favorable, "no answers");
          detail::put_optional(x, "rwg_j", gc.rwg_j, gc.rwg_j_reason);
          cs[a.constructs[c].summary.key] = std::move(x);
        }
        j["constructs"] = std::move(cs);
      }
      groups.push_back(std::move(j));
    }
    out["groups"] = std::move(groups);
    out["ungrouped"] = a.ungrouped;
  }
  out["warnings"] = a.warnings;
  return out;
}

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
  std::size_t union_min_group_size = 0;
  std::size_t union_findings = 0;
  bool union_complete = true;
};

/// The optional organisation sections of the results JSON; null pointers and empty spans are left out.
struct report_sections {
  const org_rollup* units = nullptr;                         ///< "units" and (with a cut) "cuts"
  const internal_service_result* internal_service = nullptr; ///< "internal_service"
  std::span<const unit_drivers> drivers{};                   ///< "drivers"
  const rollup_trend* trend = nullptr;                       ///< "trend"
  const report_audit* audit = nullptr;                       ///< "disclosure_audit"
  std::span<const std::string> warnings{};                   ///< more "warnings" (the joint protection's)
};

namespace detail {

inline std::string suppression_key(suppression s) { return std::string(key(s)); }

inline std::string suppression_reason(suppression s, std::size_t k) {
  return s == suppression::too_small ? "fewer than " + std::to_string(k) + " respondents"
                                     : std::string("hidden so that a smaller group cannot be derived by subtraction");
}

// A unit (or unit x level) cell: n and status always; statistics only when shown.
inline nlohmann::ordered_json unit_cell_to_json(const unit_cell& c, std::size_t k) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["n"] = c.n;
  j["status"] = suppression_key(c.status);
  if (!c.shown()) {
    j["status_reason"] = suppression_reason(c.status, k);
    return j;
  }
  const std::string none = c.n == 0 ? "no respondent has a score" : "";
  put_optional(j, "mean", c.mean, none);
  put_optional(j, "sd", c.sd, c.n < 2 ? std::string("fewer than 2 respondents") : none);
  put_optional(j, "favorable", c.favorable, "no answers");
  put_optional(j, "rwg_j", c.rwg_j, c.rwg_j_reason);
  return j;
}

inline nlohmann::ordered_json cells_by_key(const std::vector<unit_cell>& cells, const org_rollup& r) {
  nlohmann::ordered_json cs = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < cells.size() && c < r.constructs.size(); ++c) {
    cs[r.constructs[c].key] = unit_cell_to_json(cells[c], r.min_group_size);
  }
  return cs;
}

inline nlohmann::ordered_json internal_cell_to_json(const internal_cell& c, std::size_t k) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["ratings"] = c.ratings;
  j["persons"] = c.persons;
  j["status"] = suppression_key(c.status);
  if (c.status != suppression::none) {
    j["status_reason"] = suppression_reason(c.status, k);
    return j;
  }
  put_optional(j, "mean", c.mean, "no ratings");
  put_optional(j, "median", c.median, "no ratings");
  j["distribution"] = c.distribution;
  return j;
}

inline nlohmann::ordered_json opt_json(const std::optional<double>& x) {
  return x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
}

} // namespace detail

/// The results JSON with the organisation sections (README, "Results JSON"): "units" (per unit with its
/// sub-units: counts, participation and per construct n, status, mean, SD, favourable share, rwg(j)), "cuts"
/// (the same per unit x level), "internal_service", "drivers", "trend" and "disclosure_audit". Hidden cells
/// carry their count, status and reason only.
inline nlohmann::ordered_json results_to_json(const assessment& a, const report_sections& extra) {
  using json = nlohmann::ordered_json;
  json out = results_to_json(a);
  json warnings = out["warnings"];
  out.erase("warnings");
  if (extra.units != nullptr) {
    const auto& r = *extra.units;
    json units = json::array();
    for (const auto& u : r.units) {
      json j = json::object();
      j["id"] = u.id;
      j["name"] = u.name;
      j["parent"] = u.depth == 0 ? json(nullptr) : json(u.parent);
      j["depth"] = u.depth;
      j["respondents"] = u.respondents;
      j["direct"] = u.direct;
      j["invited"] = u.invited ? json(*u.invited) : json(nullptr);
      detail::put_optional(j, "participation", u.participation,
                           u.invited ? "more respondents than invited" : "no invited headcount");
      j["constructs"] = detail::cells_by_key(u.constructs, r);
      units.push_back(std::move(j));
    }
    out["units"] = std::move(units);
    if (r.cut) {
      json cut = json::object();
      cut["column"] = r.cut->column;
      cut["levels"] = r.cut->levels;
      cut["unlabelled"] = r.cut->unlabelled;
      cut["proven"] = r.cut->proven;
      json cells = json::array();
      for (const auto& row : r.cut->rows) {
        json j = json::object();
        j["unit"] = row.unit;
        j["level"] = row.level;
        j["respondents"] = row.respondents;
        j["constructs"] = detail::cells_by_key(row.constructs, r);
        cells.push_back(std::move(j));
      }
      cut["cells"] = std::move(cells);
      out["cuts"] = std::move(cut);
    }
    for (const auto& w : r.warnings) {
      warnings.push_back(w);
    }
  }
  if (extra.internal_service != nullptr) {
    const auto& is = *extra.internal_service;
    const std::size_t k = a.min_group_size;
    json j = json::object();
    j["units"] = is.units;
    json matrix = json::array();
    for (std::size_t r = 0; r < is.matrix.size(); ++r) {
      for (std::size_t c = 0; c < is.matrix[r].size(); ++c) {
        if (is.matrix[r][c].ratings == 0) {
          continue;
        }
        json cell = json::object();
        cell["rater"] = is.units[r];
        cell["served"] = is.units[c];
        const json fields = detail::internal_cell_to_json(is.matrix[r][c], k);
        for (const auto& [name, value] : fields.items()) {
          cell[name] = value;
        }
        matrix.push_back(std::move(cell));
      }
    }
    j["matrix"] = std::move(matrix);
    json received = json::object();
    json given = json::object();
    for (std::size_t u = 0; u < is.units.size(); ++u) {
      received[is.units[u]] = detail::internal_cell_to_json(is.received[u], k);
      given[is.units[u]] = detail::internal_cell_to_json(is.given[u], k);
    }
    j["received"] = std::move(received);
    j["given"] = std::move(given);
    j["overall"] = detail::internal_cell_to_json(is.overall, k);
    json asym = json::array();
    for (const auto& f : is.asymmetric) {
      asym.push_back({{"a", f.a}, {"b", f.b}, {"a_rates_b", f.a_rates_b}, {"b_rates_a", f.b_rates_a}});
    }
    j["asymmetric"] = std::move(asym);
    j["possible_silos"] = is.possible_silos;
    j["dropped_self"] = is.dropped_self;
    out["internal_service"] = std::move(j);
    for (const auto& w : is.warnings) {
      warnings.push_back(w);
    }
  }
  if (!extra.drivers.empty()) {
    json drivers = json::array();
    for (const auto& ud : extra.drivers) {
      const auto& d = ud.analysis;
      json j = json::object();
      j["unit"] = ud.unit;
      j["outcome"] = d.outcome;
      j["n"] = d.n;
      j["dropped"] = d.dropped;
      detail::put_optional(j, "r_squared", d.r_squared, d.reason);
      j["importance_centre"] = detail::opt_json(d.importance_centre);
      j["performance_centre"] = detail::opt_json(d.performance_centre);
      json list = json::array();
      for (const auto& e : d.drivers) {
        json x = json::object();
        x["key"] = e.key;
        x["r"] = detail::opt_json(e.r);
        x["weight"] = detail::opt_json(e.weight);
        x["share"] = detail::opt_json(e.share);
        x["performance"] = detail::opt_json(e.performance);
        x["quadrant"] = e.quadrant ? json(std::string(key(*e.quadrant))) : json(nullptr);
        list.push_back(std::move(x));
      }
      j["drivers"] = std::move(list);
      if (!d.reason.empty()) {
        j["reason"] = d.reason;
      }
      drivers.push_back(std::move(j));
    }
    out["drivers"] = std::move(drivers);
  }
  if (extra.trend != nullptr) {
    const auto& t = *extra.trend;
    json j = json::object();
    json keys = json::array();
    for (const auto& c : t.constructs) {
      keys.push_back(c.key);
    }
    j["constructs"] = std::move(keys);
    json units = json::array();
    for (const auto& u : t.units) {
      json ju = json::object();
      ju["unit"] = u.unit;
      json cs = json::object();
      for (std::size_t c = 0; c < u.constructs.size() && c < t.constructs.size(); ++c) {
        const auto& ch = u.constructs[c];
        json x = json::object();
        x["n_before"] = ch.n_before;
        x["n_after"] = ch.n_after;
        x["before"] = detail::opt_json(ch.before);
        x["after"] = detail::opt_json(ch.after);
        x["change"] = detail::opt_json(ch.change);
        x["t"] = detail::opt_json(ch.welch.t);
        x["df"] = detail::opt_json(ch.welch.df);
        x["p"] = detail::opt_json(ch.welch.p);
        x["d"] = detail::opt_json(ch.d.value);
        x["significant"] = ch.significant ? json(*ch.significant) : json(nullptr);
        if (!ch.reason.empty()) {
          x["reason"] = ch.reason;
        }
        cs[t.constructs[c].key] = std::move(x);
      }
      ju["constructs"] = std::move(cs);
      units.push_back(std::move(ju));
    }
    j["units"] = std::move(units);
    j["only_before"] = t.only_before;
    j["only_after"] = t.only_after;
    out["trend"] = std::move(j);
  }
  if (extra.audit != nullptr) {
    out["disclosure_audit"] = {{"cells", extra.audit->cells},
                               {"domains", extra.audit->domains},
                               {"findings", extra.audit->findings},
                               {"complete", extra.audit->complete},
                               {"safe", extra.audit->findings == 0 && extra.audit->complete},
                               {"min_group_size", extra.audit->min_group_size},
                               {"earlier_releases", extra.audit->earlier_releases}};
    if (extra.audit->union_cells) {
      out["disclosure_audit"]["with_earlier_releases"] = {
          {"cells", *extra.audit->union_cells},
          {"min_group_size", extra.audit->union_min_group_size},
          {"findings", extra.audit->union_findings},
          {"complete", extra.audit->union_complete},
          {"safe", extra.audit->union_findings == 0 && extra.audit->union_complete}};
    }
  }
  for (const auto& w : extra.warnings) {
    warnings.push_back(w);
  }
  out["warnings"] = std::move(warnings);
  return out;
}

/// The audit summary of a built report.
inline report_audit audit_summary(const survey_report& r) {
  report_audit a;
  a.cells = r.audit.cells;
  a.domains = r.audit.domains;
  a.findings = r.audit.findings.size();
  a.complete = r.audit.complete;
  a.min_group_size = r.min_group_size;
  a.earlier_releases = r.earlier_releases;
  if (r.union_audit) {
    a.union_cells = r.union_audit->cells;
    a.union_min_group_size = r.union_min_group_size;
    a.union_findings = r.union_audit->findings.size();
    a.union_complete = r.union_audit->complete;
  }
  return a;
}

/// The results JSON of a report built by build_report: every section it holds and the audit of all of them.
inline nlohmann::ordered_json results_to_json(const survey_report& r) {
  const report_audit audit = audit_summary(r);
  report_sections s;
  s.units = r.units ? &*r.units : nullptr;
  s.internal_service = r.internal_service ? &*r.internal_service : nullptr;
  s.drivers = r.drivers;
  s.trend = r.trend ? &*r.trend : nullptr;
  s.audit = &audit;
  s.warnings = r.warnings;
  return results_to_json(r.summary, s);
}

/// results_to_json(r) as text, indented by `indent` spaces (-1: one line).
inline std::string results_to_json_string(const survey_report& r, int indent = 2) {
  return results_to_json(r).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// results_to_json(a, extra) as text; see results_to_json_string(a, indent).
inline std::string results_to_json_string(const assessment& a, const report_sections& extra, int indent = 2) {
  return results_to_json(a, extra).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// results_to_json(a) as text, indented by `indent` spaces (-1: one line).
/// Text that is not valid UTF-8 (a group label from a Latin-1 CSV, say) is written with U+FFFD in place of the
/// bad bytes rather than failing the whole report.
inline std::string results_to_json_string(const assessment& a, int indent = 2) {
  return results_to_json(a).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace ethos
