// ethos/detail/text.hpp: small constexpr ASCII text helpers shared by parsers and lookups.
#pragma once
#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <cstddef>
#include <string_view>

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

} // namespace ethos::detail
