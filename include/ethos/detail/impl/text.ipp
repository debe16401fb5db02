// ethos/detail/impl/text.ipp: definitions of ethos/detail/text.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/detail/text.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos::detail {

ETHOS_DECL std::optional<std::string_view> closest_match(std::string_view word,
                                                         std::span<const std::string_view> candidates) {
  if (word.empty() || word.size() > 64) {
    return std::nullopt;
  }
  std::optional<std::string_view> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d <= (c.size() < 5 ? 1U : 2U) && d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

ETHOS_DECL std::string join_words(std::span<const std::string_view> words) {
  std::string out;
  for (const auto w : words) {
    out += (out.empty() ? "" : ", ") + std::string(w);
  }
  return out;
}

ETHOS_DECL std::string message_excerpt(std::string_view s, std::size_t limit, bool name_whitespace) {
  std::size_t cut = std::min(s.size(), limit);
  while (cut > 0 && cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out = "'";
  for (const char c : s.substr(0, cut)) {
    const auto u = static_cast<unsigned char>(c);
    if (name_whitespace && (c == '\n' || c == '\r' || c == '\t')) {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
    } else if (u < 0x20U || u == 0x7FU) {
      out += "\\x";
      out += hex[u >> 4U];
      out += hex[u & 0xFU];
    } else {
      out += c;
    }
  }
  return out + (cut < s.size() ? "...'" : "'");
}

ETHOS_DECL std::string quote_unit(std::string_view s) { return message_excerpt(s, 60); }

ETHOS_DECL std::string did_you_mean(std::optional<std::string_view> guess) {
  return guess ? " (did you mean " + quote_unit(*guess) + "?)" : std::string();
}

ETHOS_DECL std::string did_you_mean(std::string_view word, std::span<const std::string> names) {
  const std::vector<std::string_view> views(names.begin(), names.end());
  return did_you_mean(closest_match(word, views));
}

ETHOS_DECL std::string message_number(double x) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return {buf.data(), res.ptr};
}

} // namespace ethos::detail
