// ethos/detail/text.hpp: small ASCII text helpers shared by parsers, lookups and messages.
#pragma once

#include <ethos/detail/config.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

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
/// constexpr, so that a compile-time check can name the nearest item id of a misspelt one.
constexpr std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto min = [](std::size_t x, std::size_t y) { return y < x ? y : x; };
  // Three rows of the distance table in one block (a transient allocation is allowed in constant evaluation).
  const std::size_t w = b.size() + 1;
  std::size_t* rows = new std::size_t[3 * w]();
  std::size_t* before = rows;
  std::size_t* prev = rows + w;
  std::size_t* cur = rows + 2 * w;
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      cur[j] = min(min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
      if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
          ascii_lower(a[i - 2]) == ascii_lower(b[j - 1])) {
        cur[j] = min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  const std::size_t d = prev[b.size()];
  delete[] rows;
  return d;
}

/// The candidate a misspelt `word` most likely meant (at most one edit away for short words, two for
/// longer ones), if any.
ETHOS_DECL std::optional<std::string_view> closest_match(std::string_view word,
                                                         std::span<const std::string_view> candidates);

/// `words` separated by ", ".
ETHOS_DECL std::string join_words(std::span<const std::string_view> words);

/// Text quoted for an error message: cut after `limit` bytes (never inside a UTF-8 sequence, marked "..."), and
/// control characters escaped as \xNN (tab, CR and LF as \t, \r, \n with `name_whitespace`), so that one odd
/// value can neither bloat a message nor break it over lines, and what() (a C string) is not cut at a NUL.
ETHOS_DECL std::string message_excerpt(std::string_view s, std::size_t limit, bool name_whitespace = false);

/// A name (unit id, column, label) quoted for a message: message_excerpt cut at 60 bytes.
ETHOS_DECL std::string quote_unit(std::string_view s);

/// " (did you mean 'x'?)" for a guess, nothing without one.
ETHOS_DECL std::string did_you_mean(std::optional<std::string_view> guess);

/// " (did you mean 'x'?)" with the name of `names` that a misspelt `word` most likely meant, if any.
ETHOS_DECL std::string did_you_mean(std::string_view word, std::span<const std::string> names);

/// A number for a message, in the shortest form that reads back the same, whatever the locale (nan, inf as such).
ETHOS_DECL std::string message_number(double x);

} // namespace ethos::detail

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/detail/impl/text.ipp>
#endif
