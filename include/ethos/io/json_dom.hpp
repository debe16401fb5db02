/// \file
/// \brief The JSON readers' plumbing on nlohmann_json values (internal): parsing with a check for repeated keys
/// and deep nesting, describing values in messages, and reading the members of an object against a schema.
///
/// Included by the JSON definitions; a program needs it only to call these detail functions itself.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/detail/utf8.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/io/json_plumbing.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos::detail {

/// A JSON value as messages show it: `string "yes"`, `number 4.5`, `boolean true`, `null`, `array`, `object`.
ETHOS_DECL std::string json_describe(const nlohmann::json& v);

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

  bool key(string_t& val) override;

  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) override;

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
  nlohmann::json& slot();
  bool put(nlohmann::json&& v);
  bool open(nlohmann::json&& container);
  bool close();
  // The path of the container at depth `depth` (1 = the root); built only when a problem needs it, because
  // keeping a path per open container would cost memory quadratic in the nesting depth.
  std::string path(std::size_t depth) const;

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
ETHOS_DECL parsed_json parse_json_text(std::string_view text, std::string_view file_name);

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
  const nlohmann::json* get(std::string_view key, json_presence presence);

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

  std::optional<std::string> text(std::string_view key, json_presence presence);

  std::optional<bool> flag(std::string_view key, json_presence presence);

  /// A finite number (integers are accepted and converted).
  std::optional<double> number(std::string_view key, json_presence presence);

  /// An integer in lo..hi. A number written with a fraction of zero (5.0) counts as an integer, since
  /// some tools write every number that way.
  std::optional<long long> integer(std::string_view key, json_presence presence, long long lo, long long hi);

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
  void report_unknown_keys();

 private:
  static std::string expected(std::string_view what, json_presence presence, const nlohmann::json& got);

  const nlohmann::json& object_;
  std::string path_;
  std::span<const std::string_view> known_;
  std::vector<problem>& out_;
};

} // namespace ethos::detail

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/json_dom.ipp>
#endif
