// ethos/io/impl/json_dom.ipp: definitions of ethos/io/json_dom.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once
#include <ethos/io/json_dom.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ethos::detail {

ETHOS_DECL std::string json_describe(const nlohmann::json& v) {
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

// ---- json_dom_builder ----

ETHOS_DECL bool json_dom_builder::key(string_t& val) {
  if (skipped_ == 0) {
    frame& top = stack_.back();
    if (top.node->contains(val)) {
      problems_.push_back({path(stack_.size()), "duplicate key " + json_quote(utf8_truncate(val, 60))});
    }
    top.key = std::move(val);
  }
  return true;
}

ETHOS_DECL bool json_dom_builder::parse_error(std::size_t position, const std::string& /*last_token*/,
                                              const nlohmann::detail::exception& ex) {
  error_position_ = position;
  error_message_ = ex.what();
  return false;
}

ETHOS_DECL nlohmann::json& json_dom_builder::slot() {
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

ETHOS_DECL bool json_dom_builder::put(nlohmann::json&& v) {
  if (skipped_ == 0) {
    slot() = std::move(v);
  }
  return true;
}

ETHOS_DECL bool json_dom_builder::open(nlohmann::json&& container) {
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

ETHOS_DECL bool json_dom_builder::close() {
  if (skipped_ > 0) {
    --skipped_;
  } else {
    stack_.pop_back();
  }
  return true;
}

ETHOS_DECL std::string json_dom_builder::path(std::size_t depth) const {
  std::string p = "$";
  for (std::size_t d = 0; d + 1 < depth; ++d) {
    const frame& f = stack_[d];
    p = f.node->is_array() ? json_path_index(p, f.node->size() - 1) : json_path_member(p, f.key);
  }
  return p;
}

// ---- parsing ----

ETHOS_DECL parsed_json parse_json_text(std::string_view text, std::string_view file_name) {
  json_dom_builder builder(json_max_depth);
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder)) {
    const std::size_t pos = builder.error_position();
    const text_position at = line_column(text, pos > 0 ? pos - 1 : 0);
    throw error(std::string(file_name) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                ": JSON syntax error: " + json_error_reason(builder.error_message()));
  }
  return {std::move(builder.result()), std::move(builder.problems())};
}

// ---- json_object_reader ----

ETHOS_DECL const nlohmann::json* json_object_reader::get(std::string_view key, json_presence presence) {
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

ETHOS_DECL std::optional<std::string> json_object_reader::text(std::string_view key, json_presence presence) {
  const auto* v = typed(key, presence, "a string", [](const nlohmann::json& j) { return j.is_string(); });
  return v != nullptr ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
}

ETHOS_DECL std::optional<bool> json_object_reader::flag(std::string_view key, json_presence presence) {
  const auto* v = typed(key, presence, "a boolean", [](const nlohmann::json& j) { return j.is_boolean(); });
  return v != nullptr ? std::optional<bool>(v->get<bool>()) : std::nullopt;
}

ETHOS_DECL std::optional<double> json_object_reader::number(std::string_view key, json_presence presence) {
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

ETHOS_DECL std::optional<long long> json_object_reader::integer(std::string_view key, json_presence presence,
                                                                long long lo, long long hi) {
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

ETHOS_DECL void json_object_reader::report_unknown_keys() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    const std::string& k = it.key();
    if (std::find(known_.begin(), known_.end(), k) != known_.end()) {
      continue;
    }
    const auto guess = closest_match(k, known_);
    out_.push_back(
        {json_path_member(path_, utf8_truncate(k, 60)), guess ? "unknown key (did you mean " + json_quote(*guess) + "?)"
                                                              : "unknown key (allowed: " + join_words(known_) + ")"});
  }
}

ETHOS_DECL std::string json_object_reader::expected(std::string_view what, json_presence presence,
                                                    const nlohmann::json& got) {
  return "expected " + std::string(what) + (presence == json_presence::nullable ? " or null" : "") + ", got " +
         json_describe(got);
}

} // namespace ethos::detail
