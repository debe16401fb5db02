/// \file
/// \brief The one UTF-8 decoder of the library (and the small helpers built on it): validation for the JSON
/// readers, replacement of malformed bytes for the SVG writer, encoding, and truncation at a character boundary.
///
/// The contract of `decode_utf8` is the strict one of RFC 3629 / Unicode chapter 3 ("well-formed UTF-8"):
/// a sequence is valid when it has the right number of continuation bytes, is not an overlong form, is not a
/// surrogate (U+D800..U+DFFF) and is not above U+10FFFF. A malformed sequence is reported as `valid == false`
/// with `length == 1`, so that a caller that replaces it (by U+FFFD) and moves on always progresses, and one
/// malformed lead byte costs one replacement character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ethos::detail {

/// The UTF-8 byte order mark (U+FEFF), which readers skip at the start of a file and writers must not let
/// a first field begin with unquoted.
inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// U+FFFD REPLACEMENT CHARACTER, what malformed bytes become when text must be shown anyway.
inline constexpr char32_t replacement_character = 0xFFFD;

/// One step of decoding: the code point at a position, how many bytes it took, and whether it was well-formed.
struct utf8_decoded {
  char32_t code_point = 0; ///< the code point; U+FFFD when `valid` is false
  std::size_t length = 1;  ///< bytes consumed: 1 to 4 when valid, always 1 when not
  bool valid = false;      ///< false for a bad lead or continuation byte, a truncated, overlong or surrogate
                           ///< sequence, or a code point above U+10FFFF
};

/// Decodes the UTF-8 sequence that starts at `s[i]` (requires `i < s.size()`). See the file comment for what is
/// valid; a malformed sequence yields `{U+FFFD, 1, false}`.
constexpr utf8_decoded decode_utf8(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    return {b0, 1, true};
  }
  constexpr utf8_decoded bad{replacement_character, 1, false};
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return bad;
  }
  if (len > s.size() - i) {
    return bad;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      return bad;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return bad;
  }
  return {cp, len, true};
}

/// Decodes the code point at `s[i]` and advances `i` past it; a malformed sequence yields U+FFFD and consumes
/// one byte, so a loop `while (i < s.size()) next_code_point(s, i);` always ends.
constexpr char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const utf8_decoded d = decode_utf8(s, i);
  i += d.length;
  return d.code_point;
}

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
constexpr bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const utf8_decoded d = decode_utf8(s, i);
    if (!d.valid) {
      return false;
    }
    i += d.length;
  }
  return true;
}

/// Appends the UTF-8 encoding of code point `cp` (at most U+10FFFF, not a surrogate) to `out`.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
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

} // namespace ethos::detail
