// ethos/detail/text.hpp: small constexpr ASCII text helpers shared by parsers and lookups.
#pragma once

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

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// `s` without leading and trailing ASCII white space.
constexpr std::string_view trim(std::string_view s) noexcept {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_space(s[b])) {
    ++b;
  }
  while (e > b && is_space(s[e - 1])) {
    --e;
  }
  return s.substr(b, e - b);
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

/// Edit distance with adjacent transpositions, ignoring ASCII case: "wieght" is 1 from "weight".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
          ascii_lower(a[i - 2]) == ascii_lower(b[j - 1])) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// The candidate a misspelt `word` most likely meant (at most one edit away for short words, two for
/// longer ones), if any.
inline std::optional<std::string_view> closest_match(std::string_view word,
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

/// `words` separated by ", ".
inline std::string join_words(std::span<const std::string_view> words) {
  std::string out;
  for (const auto w : words) {
    out += (out.empty() ? "" : ", ") + std::string(w);
  }
  return out;
}

/// Text quoted for an error message: cut after `limit` bytes (never inside a UTF-8 sequence, marked "..."), and
/// control characters escaped as \xNN (tab, CR and LF as \t, \r, \n with `name_whitespace`), so that one odd
/// value can neither bloat a message nor break it over lines, and what() (a C string) is not cut at a NUL.
inline std::string message_excerpt(std::string_view s, std::size_t limit, bool name_whitespace = false) {
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

/// A name (unit id, column, label) quoted for a message: message_excerpt cut at 60 bytes.
inline std::string quote_unit(std::string_view s) { return message_excerpt(s, 60); }

/// " (did you mean 'x'?)" for a guess, nothing without one.
inline std::string did_you_mean(std::optional<std::string_view> guess) {
  return guess ? " (did you mean " + quote_unit(*guess) + "?)" : std::string();
}

/// " (did you mean 'x'?)" with the name of `names` that a misspelt `word` most likely meant, if any.
inline std::string did_you_mean(std::string_view word, std::span<const std::string> names) {
  const std::vector<std::string_view> views(names.begin(), names.end());
  return did_you_mean(closest_match(word, views));
}

/// A number for a message, in the shortest form that reads back the same, whatever the locale (nan, inf as such).
inline std::string message_number(double x) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return {buf.data(), res.ptr};
}

} // namespace ethos::detail
