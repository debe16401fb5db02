// ethos/report/svg.hpp: a small SVG writer and three survey charts (building-block radar, group heatmap,
// six-level distribution of a transaction's perception points) that take plain data.
#pragma once

#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/service_level.hpp>
#include <ethos/framework/transaction.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace ethos::svg {

// ---------------------------------------------------------------------------------------------------------------
// Text and numbers
// ---------------------------------------------------------------------------------------------------------------

/// A position in user units (pixels of the chart's viewBox).
struct point {
  double x = 0.0;
  double y = 0.0;
};

// Non-ASCII punctuation spelled as UTF-8 bytes, so that the output does not depend on the compiler's
// execution character set.
inline constexpr std::string_view ellipsis = "\xE2\x80\xA6";
inline constexpr std::string_view en_dash = "\xE2\x80\x93";
inline constexpr std::string_view em_dash = "\xE2\x80\x94";

namespace detail {

inline constexpr char32_t replacement_character = 0xFFFD;

// Decodes the UTF-8 sequence at s[i] and advances i past it. A malformed sequence (bad lead or continuation byte,
// overlong form, surrogate, beyond U+10FFFF) yields U+FFFD and consumes one byte, so decoding always progresses.
inline char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
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
    ++i;
    return replacement_character;
  }
  if (i + len > s.size()) {
    ++i;
    return replacement_character;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return replacement_character;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return replacement_character;
  }
  i += len;
  return cp;
}

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

// The characters XML 1.0 allows in a document; anything else (most C0 controls, U+FFFE ...) breaks parsers.
constexpr bool is_xml_char(char32_t c) noexcept {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

} // namespace detail

/// Escapes text for element content and attribute values alike: & < > " ' become entities. Bytes that are not
/// valid UTF-8 and characters that XML 1.0 forbids (control characters) become U+FFFD, so that any label, however
/// it was read, still gives a well-formed document.
inline std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t c = detail::next_code_point(text, i);
    switch (c) {
    case U'&':
      out += "&amp;";
      break;
    case U'<':
      out += "&lt;";
      break;
    case U'>':
      out += "&gt;";
      break;
    case U'"':
      out += "&quot;";
      break;
    case U'\'':
      out += "&apos;";
      break;
    default:
      detail::append_utf8(out, detail::is_xml_char(c) ? c : detail::replacement_character);
    }
  }
  return out;
}

/// Number of characters (code points) of UTF-8 text; what a reader sees as its length, unlike `size()`.
inline std::size_t text_length(std::string_view text) noexcept {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    (void)detail::next_code_point(text, i);
    ++n;
  }
  return n;
}

/// `text` cut to at most `max_chars` characters, the last of them an ellipsis when something was cut. Cuts between
/// characters, never inside a multi-byte one, and drops spaces before the ellipsis.
inline std::string truncate(std::string_view text, std::size_t max_chars) {
  if (text_length(text) <= max_chars) {
    return std::string(text);
  }
  if (max_chars == 0) {
    return {};
  }
  std::size_t i = 0;
  for (std::size_t kept = 0; kept + 1 < max_chars; ++kept) {
    (void)detail::next_code_point(text, i);
  }
  std::string out(ethos::detail::trim(text.substr(0, i)));
  out += ellipsis;
  return out;
}

namespace detail {

inline double rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  // Beyond 2^53 / scale every double is already a whole number of units; multiplying would only lose bits.
  const double r = std::abs(v) < 1e15 ? std::round(v * scale) / scale : v;
  return r == 0.0 ? 0.0 : r; // no "-0"
}

inline void require_finite(double v) {
  if (!std::isfinite(v)) {
    throw error(std::string("svg: cannot write ") + (std::isnan(v) ? "NaN" : "an infinite number") +
                " as a coordinate or value");
  }
}

} // namespace detail

/// Compact, locale-independent number for attributes: rounded to at most `decimals` (0..6) fraction digits,
/// without trailing zeros, exponent or "-0" (`format_number(12.5) == "12.5"`, `format_number(1.0 / 3) == "0.33"`).
/// Throws ethos::error for NaN or infinity, which no SVG attribute can hold.
inline std::string format_number(double v, int decimals = 2) {
  detail::require_finite(v);
  const double r = detail::rounded(v, std::clamp(decimals, 0, 6));
  // A double written in fixed notation needs at most 309 integer digits plus the shortest fraction.
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed);
  return std::string(buf, res.ptr);
}

/// A value for readers, with exactly `decimals` (0..6) fraction digits, rounded half away from zero as people
/// round by hand (`format_fixed(72.5, 0) == "73"`), never "-0". Throws ethos::error for NaN or infinity.
inline std::string format_fixed(double v, int decimals) {
  detail::require_finite(v);
  const int d = std::clamp(decimals, 0, 6);
  const double r = detail::rounded(v, d);
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed, d);
  return std::string(buf, res.ptr);
}

/// Estimated width in pixels of `text` set in a sans-serif font of `font_size` pixels. Charts have no font
/// metrics, so this errs wide (0.6 em a character) to keep labels from overlapping.
inline double text_width(std::string_view text, double font_size) noexcept {
  return static_cast<double>(text_length(text)) * 0.6 * font_size;
}

// ---------------------------------------------------------------------------------------------------------------
// Elements and documents
// ---------------------------------------------------------------------------------------------------------------

/// One SVG element: a tag, attributes in insertion order and children. Values are stored raw and escaped when
/// written, so callers never escape by hand.
class element {
 public:
  explicit element(std::string tag) : tag_(std::move(tag)) {}

  /// A text node: `content` written (escaped) as character data of its parent.
  static element text_node(std::string_view content) {
    element e{std::string{}};
    e.text_ = std::string(content);
    return e;
  }

  /// Sets (or replaces) an attribute.
  element& set(std::string_view name, std::string_view value) {
    for (auto& [n, v] : attributes_) {
      if (n == name) {
        v = std::string(value);
        return *this;
      }
    }
    attributes_.emplace_back(std::string(name), std::string(value));
    return *this;
  }
  /// Sets (or replaces) a numeric attribute, written with format_number.
  element& set(std::string_view name, double value) { return set(name, std::string_view(format_number(value))); }

  /// Appends a child element.
  element& add(element child) {
    children_.push_back(std::move(child));
    return *this;
  }
  /// Appends character data (escaped when written).
  element& add_text(std::string_view content) { return add(text_node(content)); }
  /// Adds a `<title>` as the first child: a tooltip in browsers and the accessible name of the element.
  element& tooltip(std::string_view title_text) {
    element t("title");
    t.add_text(title_text);
    children_.insert(children_.begin(), std::move(t));
    return *this;
  }

  /// The tag name; empty for a text node.
  const std::string& tag() const noexcept { return tag_; }
  /// The raw (unescaped) value of attribute `name`, if set.
  std::optional<std::string_view> get(std::string_view name) const noexcept {
    for (const auto& [n, v] : attributes_) {
      if (n == name) {
        return std::string_view(v);
      }
    }
    return std::nullopt;
  }
  /// Child elements and text nodes, in document order.
  const std::vector<element>& children() const noexcept { return children_; }

  /// Appends the element's markup to `out`. Elements with character data are written on one line, because a
  /// line break inside `<text>` would show as a space.
  void write_to(std::string& out, int depth = 0, bool inline_mode = false) const {
    if (tag_.empty()) {
      out += escape(text_);
      return;
    }
    if (!inline_mode) {
      out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
    out += '<';
    out += tag_;
    for (const auto& [n, v] : attributes_) {
      out += ' ';
      out += n;
      out += "=\"";
      out += escape(v);
      out += '"';
    }
    if (children_.empty()) {
      out += inline_mode ? "/>" : "/>\n";
      return;
    }
    const bool mixed =
        inline_mode || std::any_of(children_.begin(), children_.end(), [](const element& c) { return c.tag_.empty(); });
    out += mixed ? ">" : ">\n";
    for (const auto& c : children_) {
      c.write_to(out, depth + 1, mixed);
    }
    if (!mixed) {
      out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
    out += "</";
    out += tag_;
    out += inline_mode ? ">" : ">\n";
  }

  /// The element's markup.
  std::string str() const {
    std::string out;
    write_to(out);
    return out;
  }

 private:
  std::string tag_; // empty for a text node
  std::vector<std::pair<std::string, std::string>> attributes_;
  std::vector<element> children_;
  std::string text_;
};

/// `points` attribute text: "x1,y1 x2,y2 ...".
inline std::string points_attribute(std::span<const point> points) {
  std::string s;
  for (const auto& p : points) {
    if (!s.empty()) {
      s += ' ';
    }
    s += format_number(p.x);
    s += ',';
    s += format_number(p.y);
  }
  return s;
}

/// `<rect>`; a negative width or height becomes 0, since renderers reject the element otherwise.
inline element rect(double x, double y, double width, double height) {
  element e("rect");
  e.set("x", x).set("y", y).set("width", std::max(0.0, width)).set("height", std::max(0.0, height));
  return e;
}

/// `<line>` from (x1, y1) to (x2, y2).
inline element line(double x1, double y1, double x2, double y2) {
  element e("line");
  e.set("x1", x1).set("y1", y1).set("x2", x2).set("y2", y2);
  return e;
}

/// `<circle>` centred on (cx, cy).
inline element circle(double cx, double cy, double r) {
  element e("circle");
  e.set("cx", cx).set("cy", cy).set("r", std::max(0.0, r));
  return e;
}

/// `<polyline>`: an open path through `points`.
inline element polyline(std::span<const point> points) {
  element e("polyline");
  e.set("points", points_attribute(points));
  return e;
}

/// `<polygon>`: a closed shape through `points`.
inline element polygon(std::span<const point> points) {
  element e("polygon");
  e.set("points", points_attribute(points));
  return e;
}

/// `<text>` with its baseline starting at (x, y).
inline element text(double x, double y, std::string_view content) {
  element e("text");
  e.set("x", x).set("y", y).add_text(content);
  return e;
}

/// `<path>` with path data `d`.
inline element path(std::string_view d) {
  element e("path");
  e.set("d", d);
  return e;
}

/// `<g>`, optionally with a class and a tooltip title.
inline element group(std::string_view class_name = {}, std::string_view title = {}) {
  element e("g");
  if (!class_name.empty()) {
    e.set("class", class_name);
  }
  if (!title.empty()) {
    e.tooltip(title);
  }
  return e;
}

/// A standalone SVG document of `width` x `height` pixels: `<title>` (the accessible name) and `<desc>` come
/// first, text defaults to a sans-serif font.
class document {
 public:
  document(double width, double height, std::string_view title, std::string_view description = {}) : root_("svg") {
    root_.set("xmlns", "http://www.w3.org/2000/svg")
        .set("width", width)
        .set("height", height)
        .set("viewBox", "0 0 " + format_number(width) + " " + format_number(height))
        .set("role", "img")
        .set("font-family", "sans-serif");
    element t("title");
    t.add_text(title);
    root_.add(std::move(t));
    if (!description.empty()) {
      element d("desc");
      d.add_text(description);
      root_.add(std::move(d));
    }
  }

  /// Appends a top-level element.
  document& add(element e) {
    root_.add(std::move(e));
    return *this;
  }
  /// The `<svg>` element, for inspection.
  const element& root() const noexcept { return root_; }

  /// The whole document, with an XML declaration (UTF-8).
  std::string str() const {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    root_.write_to(out);
    return out;
  }
  /// Writes str() to `os`.
  void write(std::ostream& os) const { os << str(); }

 private:
  element root_;
};

// ---------------------------------------------------------------------------------------------------------------
// Chart helpers
// ---------------------------------------------------------------------------------------------------------------

namespace detail {

struct rgb {
  double r = 0.0; // 0..255
  double g = 0.0;
  double b = 0.0;
};

constexpr int hex_digit(char c) noexcept {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

// Parses "#rrggbb" (colour constants of this file only).
constexpr rgb parse_hex(std::string_view h) noexcept {
  const auto pair = [&](std::size_t k) { return static_cast<double>(hex_digit(h[k]) * 16 + hex_digit(h[k + 1])); };
  return {pair(1), pair(3), pair(5)};
}

inline std::string to_hex(rgb c) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out = "#";
  for (double v : {c.r, c.g, c.b}) {
    const int i = std::clamp(static_cast<int>(std::lround(v)), 0, 255);
    out += digits[static_cast<std::size_t>(i / 16)];
    out += digits[static_cast<std::size_t>(i % 16)];
  }
  return out;
}

// WCAG relative luminance, 0 (black) .. 1 (white).
inline double luminance(rgb c) noexcept {
  const auto lin = [](double v) {
    v /= 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

// Text colour with the better contrast on `fill`: near-black or white.
inline std::string_view ink_on(rgb fill) noexcept {
  const double l = luminance(fill);
  const double on_white = 1.05 / (l + 0.05);
  const double on_dark = (l + 0.05) / (luminance(parse_hex("#222222")) + 0.05);
  return on_white > on_dark ? "#ffffff" : "#222222";
}

struct colour_stop {
  double at; // 0..1
  std::string_view hex;
};

// Linear interpolation between stops in sRGB, as SVG gradients interpolate by default, so that the legend's
// gradient matches the cells.
inline rgb interpolate(std::span<const colour_stop> stops, double t) noexcept {
  t = std::clamp(t, 0.0, 1.0);
  for (std::size_t i = 1; i < stops.size(); ++i) {
    if (t <= stops[i].at) {
      const rgb a = parse_hex(stops[i - 1].hex);
      const rgb b = parse_hex(stops[i].hex);
      const double span = stops[i].at - stops[i - 1].at;
      const double f = span > 0 ? (t - stops[i - 1].at) / span : 0.0;
      return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
    }
  }
  return parse_hex(stops.back().hex);
}

inline element text_at(double x, double y, std::string_view content, double size, std::string_view anchor = "start",
                       std::string_view fill = "#222222") {
  element e = svg::text(x, y, content);
  e.set("font-size", size);
  if (anchor != "start") {
    e.set("text-anchor", anchor);
  }
  e.set("fill", fill);
  return e;
}

// A label cut to `max_chars`; when cut, wrapped in a group whose <title> carries the full text.
inline element fitted_label(element label_text, std::string_view full, bool cut) {
  if (!cut) {
    return label_text;
  }
  element g = group("label", full);
  g.add(std::move(label_text));
  return g;
}

// Splits `s` into at most two lines at the space that best balances them, then cuts any line still longer than
// `max_chars`; `cut` tells whether anything was lost.
inline std::vector<std::string> wrap_two_lines(std::string_view s, std::size_t max_chars, bool& cut) {
  s = ethos::detail::trim(s);
  cut = false;
  if (text_length(s) <= max_chars) {
    return {std::string(s)};
  }
  std::size_t best = std::string_view::npos;
  std::size_t best_len = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      const std::size_t len = std::max(text_length(s.substr(0, i)), text_length(s.substr(i + 1)));
      if (best == std::string_view::npos || len < best_len) {
        best = i;
        best_len = len;
      }
    }
  }
  std::vector<std::string> lines;
  if (best == std::string_view::npos) {
    lines.push_back(std::string(s));
  } else {
    lines.push_back(std::string(ethos::detail::trim(s.substr(0, best))));
    lines.push_back(std::string(ethos::detail::trim(s.substr(best + 1))));
  }
  for (auto& l : lines) {
    if (text_length(l) > max_chars) {
      l = truncate(l, max_chars);
      cut = true;
    }
  }
  return lines;
}

// Step of about `target` intervals over `range`, rounded to 1, 2, 2.5 or 5 times a power of ten.
inline double nice_step(double range, int target) {
  const double raw = range / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
  return nice * magnitude;
}

// Problems of a value scale; both ends must be finite and min below max.
inline void check_scale(double min, double max, std::vector<problem>& out) {
  if (!std::isfinite(min) || !std::isfinite(max)) {
    out.push_back({"scale", "min and max must be finite numbers"});
  } else if (!(min < max)) {
    out.push_back({"scale", "min " + format_number(min) + " is not below max " + format_number(max)});
  }
}

inline void check_decimals(int decimals, std::vector<problem>& out) {
  if (decimals < 0 || decimals > 6) {
    out.push_back({"decimals", std::to_string(decimals) + " is outside 0..6"});
  }
}

// A value problem ("is not a number", "is infinite", "72 is outside 0..50") or nothing.
inline std::optional<std::string> value_problem(double v, double min, double max) {
  if (std::isnan(v)) {
    return "is not a number (NaN)";
  }
  if (!std::isfinite(v)) {
    return std::string("is ") + (v > 0 ? "+" : "-") + "infinite";
  }
  if (std::isfinite(min) && std::isfinite(max) && (v < min || v > max)) {
    return format_number(v, 6) + " is outside the scale " + format_number(min, 6) + ".." + format_number(max, 6);
  }
  return std::nullopt;
}

inline element background(double width, double height) {
  // Charts are opaque: on a dark page a transparent chart would show dark text on dark ground.
  element bg = rect(0, 0, width, height);
  bg.set("fill", "#ffffff");
  return bg;
}

inline element chart_title(std::string_view title) {
  element t = text_at(16, 30, truncate(title, 80), 18);
  t.set("font-weight", "bold");
  return t;
}

inline std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace detail

// ---------------------------------------------------------------------------------------------------------------
// Radar chart
// ---------------------------------------------------------------------------------------------------------------

/// One series of a radar chart: a name for the legend and one value per axis, in axis order; an empty value is
/// "no data" and is drawn as a gap, never as the scale's minimum.
struct radar_series {
  std::string name{};
  std::vector<std::optional<double>> values{};
};

/// How a radar chart is labelled and scaled.
struct radar_options {
  std::string title = "Service culture profile";
  std::string description{};         ///< the `<desc>`; generated from the data when empty
  double min = 0.0;                  ///< value at the centre
  double max = 100.0;                ///< value at the outer ring
  std::vector<std::string> labels{}; ///< axis labels; empty means the twelve building blocks in their usual order
  int decimals = 0;                  ///< fraction digits of the printed values
};

/// Axis labels of the building blocks, in their usual order 1..12.
inline std::vector<std::string> building_block_labels() {
  std::vector<std::string> out;
  for (building_block b : all<building_block>) {
    out.emplace_back(to_string(b));
  }
  return out;
}

namespace detail {

struct series_style {
  std::string_view colour;
  std::string_view dash; // empty: solid
  double width;
  double fill_opacity; // 0: no fill
  bool hollow_marker;
};

// The first series is the subject (solid, filled); comparisons are dashed outlines in colours that stay apart
// for colour-blind readers (blue / orange / purple).
inline constexpr std::array<series_style, 3> radar_styles{{
    {"#1f5fa8", "", 2.5, 0.15, false},
    {"#b35806", "7 4", 2.0, 0.0, true},
    {"#6a3d9a", "2 3", 2.0, 0.0, true},
}};

inline void apply_stroke(element& e, const series_style& s) {
  e.set("stroke", s.colour).set("stroke-width", s.width).set("stroke-linejoin", "round");
  if (!s.dash.empty()) {
    e.set("stroke-dasharray", s.dash);
  }
}

inline element series_marker(point p, const series_style& s) {
  element c = circle(p.x, p.y, s.hollow_marker ? 3.5 : 4.0);
  c.set("fill", s.hollow_marker ? "#ffffff" : s.colour).set("stroke", s.colour).set("stroke-width", 1.5);
  return c;
}

// A small "x" cross: the mark of a missing value, unlike any value marker.
inline element cross(point p, double half, std::string_view colour) {
  element e =
      path("M" + format_number(p.x - half) + "," + format_number(p.y - half) + " L" + format_number(p.x + half) + "," +
           format_number(p.y + half) + " M" + format_number(p.x - half) + "," + format_number(p.y + half) + " L" +
           format_number(p.x + half) + "," + format_number(p.y - half));
  e.set("stroke", colour).set("stroke-width", 2).set("fill", "none");
  return e;
}

} // namespace detail

/// Checks radar input; every problem is reported: scale (min < max, finite), fewer than 3 axes, empty labels,
/// 0 or more than 3 series, empty series names, a series whose value count differs from the axis count, and values
/// that are NaN, infinite or outside min..max (rejected, not clamped: a value off the scale usually means the wrong
/// scale, e.g. a 0-1 share on a 0-100 chart, and clamping would hide that).
inline std::vector<problem> check(const std::vector<radar_series>& series, const radar_options& options) {
  std::vector<problem> out;
  detail::check_scale(options.min, options.max, out);
  detail::check_decimals(options.decimals, out);
  const std::vector<std::string> labels = options.labels.empty() ? building_block_labels() : options.labels;
  if (labels.size() < 3) {
    out.push_back({"axes", "a radar chart needs 3 axes or more, got " + std::to_string(labels.size())});
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (ethos::detail::trim(labels[i]).empty()) {
      out.push_back({"axis label #" + std::to_string(i + 1), "is empty"});
    }
  }
  if (series.empty() || series.size() > detail::radar_styles.size()) {
    out.push_back({"series", "1 to " + std::to_string(detail::radar_styles.size()) + " series are drawn, got " +
                                 std::to_string(series.size())});
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto& ser = series[s];
    const std::string where = "series #" + std::to_string(s + 1) + " " + ethos::detail::quoted(ser.name);
    if (ethos::detail::trim(ser.name).empty()) {
      out.push_back({"series #" + std::to_string(s + 1), "has an empty name"});
    }
    if (ser.values.size() != labels.size()) {
      out.push_back({where, "has " + detail::plural(ser.values.size(), "value", "values") + " for " +
                                detail::plural(labels.size(), "axis", "axes")});
    }
    for (std::size_t i = 0; i < ser.values.size(); ++i) {
      if (!ser.values[i]) {
        continue;
      }
      if (auto p = detail::value_problem(*ser.values[i], options.min, options.max)) {
        const std::string axis = i < labels.size() ? " (" + labels[i] + ")" : "";
        out.push_back({where + " value #" + std::to_string(i + 1) + axis, *p});
      }
    }
  }
  return out;
}

/// A radar (spider) chart: one axis per label, clockwise from the top, the scale's min at the centre and max on
/// the outer ring. The first series is drawn solid and filled, up to two comparisons (previous wave, benchmark)
/// as dashed outlines. A missing value leaves a gap in the outline and an "x" outside the ring, with the value
/// line under the axis label saying "no data". Each axis label carries the series' values in their colours.
/// Throws validation_error listing every problem (see check()).
///
///     ethos::svg::radar_chart({{"Wave 2", values}, {"Wave 1", previous}}, {.title = "Culture index"});
inline document radar_document(const std::vector<radar_series>& series, const radar_options& options = {}) {
  throw_if_problems("radar chart " + ethos::detail::quoted(options.title), check(series, options));
  using detail::text_at;
  const std::vector<std::string> labels = options.labels.empty() ? building_block_labels() : options.labels;
  const std::size_t n = labels.size();
  const double lo = options.min;
  const double hi = options.max;

  constexpr double width = 820.0;
  constexpr double radius = 200.0;
  constexpr double label_gap = 22.0;       // from the outer ring to the label anchor; missing-value crosses sit inside
  constexpr double line_height = 14.0;     // of 12 px labels
  constexpr std::size_t side_chars = 20;   // labels beside the chart share the width with it
  constexpr std::size_t middle_chars = 30; // labels above and below have the whole width
  const double legend_y = 58.0;
  const double cx = width / 2;
  const double cy = legend_y + 24 + 3 * line_height + label_gap + radius;
  const double height = cy + radius + label_gap + 3 * line_height + 16;
  constexpr double pi = 3.14159265358979323846;

  const auto angle = [&](std::size_t i) { return 2 * pi * static_cast<double>(i) / static_cast<double>(n); };
  const auto at = [&](std::size_t i, double r) {
    return point{cx + r * std::sin(angle(i)), cy - r * std::cos(angle(i))};
  };
  const auto radius_of = [&](double v) { return radius * (v - lo) / (hi - lo); };

  // Description for screen readers: what is drawn and what is missing.
  std::string desc = options.description;
  if (desc.empty()) {
    desc = "Radar chart with " + detail::plural(n, "axis", "axes") + " on a scale from " + format_number(lo) +
           " (centre) to " + format_number(hi) + " (outer ring). Series: ";
    for (std::size_t s = 0; s < series.size(); ++s) {
      const auto missing = static_cast<std::size_t>(
          std::count_if(series[s].values.begin(), series[s].values.end(), [](const auto& v) { return !v; }));
      desc += (s > 0 ? "; " : "") + series[s].name + (s == 0 ? " (solid)" : " (dashed)");
      if (missing > 0) {
        desc += ", no data for " + detail::plural(missing, "axis", "axes");
      }
    }
    desc += ".";
  }

  document doc(width, height, options.title, desc);
  doc.add(detail::background(width, height));
  doc.add(detail::chart_title(options.title));

  // Legend: one sample per series, the no-data mark when it is used, and the scale.
  bool any_missing = false;
  {
    element legend = group("legend");
    double x = 16;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const auto& st = detail::radar_styles[s];
      element sample = line(x, legend_y - 4, x + 28, legend_y - 4);
      detail::apply_stroke(sample, st);
      legend.add(std::move(sample));
      legend.add(detail::series_marker({x + 14, legend_y - 4}, st));
      const std::string name = truncate(series[s].name, 30);
      legend.add(text_at(x + 34, legend_y, name, 12));
      x += 34 + text_width(name, 12) + 20;
      for (const auto& v : series[s].values) {
        any_missing = any_missing || !v;
      }
    }
    if (any_missing) {
      legend.add(detail::cross({x + 5, legend_y - 4}, 4, "#555555"));
      legend.add(text_at(x + 16, legend_y, "no data (not plotted)", 12));
      x += 16 + text_width("no data (not plotted)", 12) + 20;
    }
    const std::string scale_note =
        "scale " + format_number(lo) + std::string(en_dash) + format_number(hi) + ", centre = " + format_number(lo);
    legend.add(
        text_at(std::max(x, width - 16 - text_width(scale_note, 11)), legend_y, scale_note, 11, "start", "#555555"));
    doc.add(std::move(legend));
  }

  // Grid: rings at round values, spokes, ring values along the top spoke.
  {
    element grid = group("grid");
    grid.set("fill", "none");
    std::vector<double> rings;
    const double step = detail::nice_step(hi - lo, 5);
    for (double t = std::ceil(lo / step) * step; t < hi - 0.3 * step; t += step) {
      if (t > lo + 1e-9 * step) {
        rings.push_back(t);
      }
    }
    rings.push_back(hi);
    for (double t : rings) {
      std::vector<point> ring;
      for (std::size_t i = 0; i < n; ++i) {
        ring.push_back(at(i, radius_of(t)));
      }
      element p = polygon(ring);
      p.set("stroke", t == hi ? "#9a9a9a" : "#d6d6d6").set("stroke-width", 1);
      grid.add(std::move(p));
    }
    for (std::size_t i = 0; i < n; ++i) {
      const point end = at(i, radius);
      element spoke = line(cx, cy, end.x, end.y);
      spoke.set("stroke", "#d6d6d6").set("stroke-width", 1);
      grid.add(std::move(spoke));
    }
    for (double t : rings) {
      element tick = text_at(cx + 4, cy - radius_of(t) + 11, format_number(t), 10, "start", "#707070");
      // A white halo keeps ring values legible where a series outline crosses them.
      tick.set("stroke", "#ffffff").set("stroke-width", 3).set("paint-order", "stroke");
      grid.add(std::move(tick));
    }
    doc.add(std::move(grid));
  }

  // Series, comparisons first so that the subject is drawn on top.
  for (std::size_t s = series.size(); s-- > 0;) {
    const auto& st = detail::radar_styles[s];
    const auto& values = series[s].values;
    element g = group("series series-" + std::to_string(s));
    const bool complete = std::all_of(values.begin(), values.end(), [](const auto& v) { return v.has_value(); });
    if (complete) {
      std::vector<point> pts;
      for (std::size_t i = 0; i < n; ++i) {
        pts.push_back(at(i, radius_of(*values[i])));
      }
      element shape = polygon(pts);
      detail::apply_stroke(shape, st);
      if (st.fill_opacity > 0) {
        shape.set("fill", st.colour).set("fill-opacity", st.fill_opacity);
      } else {
        shape.set("fill", "none");
      }
      g.add(std::move(shape));
    } else {
      // Runs of consecutive present values (wrapping round), each an open line; no fill, since a filled area
      // would bridge the gap as if the missing value were known.
      std::size_t start = 0;
      while (values[start].has_value()) {
        ++start;
      }
      std::vector<point> run;
      const auto flush = [&] {
        if (run.size() >= 2) {
          element pl = polyline(run);
          detail::apply_stroke(pl, st);
          pl.set("fill", "none");
          g.add(std::move(pl));
        }
        run.clear();
      };
      for (std::size_t k = 1; k <= n; ++k) {
        const std::size_t i = (start + k) % n;
        if (values[i]) {
          run.push_back(at(i, radius_of(*values[i])));
        } else {
          flush();
        }
      }
      flush();
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (values[i]) {
        element m = detail::series_marker(at(i, radius_of(*values[i])), st);
        m.set("class", "value");
        m.tooltip(labels[i] + " " + std::string(em_dash) + " " + series[s].name + ": " +
                  format_fixed(*values[i], options.decimals));
        g.add(std::move(m));
      } else {
        // Outside the outer ring, so that the mark cannot be read as a value; series side by side.
        const double offset = (static_cast<double>(s) - static_cast<double>(series.size() - 1) / 2) * 9;
        const point base = at(i, radius + 9);
        const double a = angle(i);
        element x = detail::cross({base.x + offset * std::cos(a), base.y + offset * std::sin(a)}, 3.5, st.colour);
        x.set("class", "no-data");
        x.tooltip(labels[i] + " " + std::string(em_dash) + " " + series[s].name + ": no data");
        g.add(std::move(x));
      }
    }
    doc.add(std::move(g));
  }

  // Axis labels: the label on up to two lines, then the series' values in their colours.
  element axis_labels = group("axis-labels");
  for (std::size_t i = 0; i < n; ++i) {
    const double sn = std::sin(angle(i));
    const double cs = std::cos(angle(i));
    const point anchor_pt = at(i, radius + label_gap);
    const std::string_view anchor = sn > 0.3 ? "start" : sn < -0.3 ? "end" : "middle";
    bool cut = false;
    const std::vector<std::string> lines =
        detail::wrap_two_lines(labels[i], anchor == "middle" ? middle_chars : side_chars, cut);
    const double block = static_cast<double>(lines.size() + 1) * line_height;
    // First baseline: blocks above the centre end at the anchor, those below start at it, side ones centre on it.
    const double first = cs > 0.3    ? anchor_pt.y - block + 10
                         : cs < -0.3 ? anchor_pt.y + 10
                                     : anchor_pt.y - block / 2 + 10;
    element g = group("axis-label", cut ? std::string_view(labels[i]) : std::string_view{});
    for (std::size_t l = 0; l < lines.size(); ++l) {
      g.add(text_at(anchor_pt.x, first + static_cast<double>(l) * line_height, lines[l], 12, anchor));
    }
    element values_line("text");
    values_line.set("x", anchor_pt.x)
        .set("y", first + static_cast<double>(lines.size()) * line_height)
        .set("font-size", 12);
    if (anchor != "start") {
      values_line.set("text-anchor", anchor);
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (s > 0) {
        element sep("tspan");
        sep.set("fill", "#999999").add_text(" / ");
        values_line.add(std::move(sep));
      }
      element v("tspan");
      const auto& val = series[s].values[i];
      v.set("fill", detail::radar_styles[s].colour);
      if (val) {
        v.set("font-weight", "bold").add_text(format_fixed(*val, options.decimals));
      } else {
        v.set("font-style", "italic").add_text("no data");
      }
      values_line.add(std::move(v));
    }
    g.add(std::move(values_line));
    axis_labels.add(std::move(g));
  }
  doc.add(std::move(axis_labels));
  return doc;
}

// ---------------------------------------------------------------------------------------------------------------
// Heatmap
// ---------------------------------------------------------------------------------------------------------------

/// One cell of a heatmap. A suppressed cell (too few respondents to report) is drawn hatched and its value, if the
/// caller left one in, is ignored: it is never validated, printed, put in a tooltip or used for a colour.
struct heatmap_cell {
  std::optional<double> value{}; ///< empty: no data
  bool suppressed = false;
};

/// Rows (groups) by columns (constructs); `cells[row][column]`.
struct heatmap_data {
  std::vector<std::string> row_labels{};
  std::vector<std::string> column_labels{};
  std::vector<std::vector<heatmap_cell>> cells{};
};

/// How a heatmap is labelled and coloured.
struct heatmap_options {
  std::string title = "Results by group";
  std::string description{};        ///< the `<desc>`; generated from the data when empty
  double min = 0.0;                 ///< low end of the colour scale
  double max = 100.0;               ///< high end of the colour scale
  std::optional<double> midpoint{}; ///< diverging scale (red - grey - blue) around it; sequential blues when empty
  int decimals = 0;                 ///< fraction digits of the printed values
  std::string value_label = "% favourable"; ///< caption of the colour legend
  std::size_t minimum_respondents = 0;      ///< k of the suppression rule, named in the legend; 0: not stated
  std::string suppressed_note{}; ///< the legend's reason for suppressed cells; empty: built from minimum_respondents
};

namespace detail {

inline constexpr std::array<colour_stop, 4> sequential_stops{
    {{0.0, "#deebf7"}, {0.35, "#9ecae1"}, {0.65, "#4292c6"}, {1.0, "#08306b"}}};
// The middle is a light warm grey, not white, so that a cell at the midpoint still differs from a no-data cell.
inline constexpr std::array<colour_stop, 5> diverging_stops{
    {{0.0, "#b2182b"}, {0.25, "#ef8a62"}, {0.5, "#ecebe8"}, {0.75, "#67a9cf"}, {1.0, "#2166ac"}}};

inline rgb heat_colour(double v, const heatmap_options& o) {
  if (!o.midpoint) {
    return interpolate(sequential_stops, (v - o.min) / (o.max - o.min));
  }
  const double m = *o.midpoint;
  const double t = v < m ? 0.5 * (v - o.min) / (m - o.min) : 0.5 + 0.5 * (v - m) / (o.max - m);
  return interpolate(diverging_stops, t);
}

inline std::string suppressed_note(const heatmap_options& o) {
  if (!o.suppressed_note.empty()) {
    return o.suppressed_note;
  }
  return o.minimum_respondents > 0 ? "fewer than " + std::to_string(o.minimum_respondents) + " respondents"
                                   : std::string("too few respondents");
}

// FNV-1a: gradient ids derived from their content, so that two charts inlined in one HTML page share an id only
// when their gradients are identical.
inline std::uint32_t fnv1a(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (char c : s) {
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return h;
}

} // namespace detail

/// Checks heatmap input; every problem is reported: no rows or columns, empty labels, a row count or row length
/// that does not match the labels, a scale with min not below max, a midpoint not strictly inside the scale, and
/// values (of cells that are not suppressed) that are NaN, infinite or outside min..max.
inline std::vector<problem> check(const heatmap_data& data, const heatmap_options& options) {
  std::vector<problem> out;
  detail::check_scale(options.min, options.max, out);
  detail::check_decimals(options.decimals, out);
  if (options.midpoint && !(*options.midpoint > options.min && *options.midpoint < options.max)) {
    out.push_back({"midpoint", format_number(*options.midpoint, 6) + " is not strictly inside the scale " +
                                   format_number(options.min, 6) + ".." + format_number(options.max, 6)});
  }
  if (data.row_labels.empty()) {
    out.push_back({"rows", "a heatmap needs at least one row"});
  }
  if (data.column_labels.empty()) {
    out.push_back({"columns", "a heatmap needs at least one column"});
  }
  for (std::size_t r = 0; r < data.row_labels.size(); ++r) {
    if (ethos::detail::trim(data.row_labels[r]).empty()) {
      out.push_back({"row label #" + std::to_string(r + 1), "is empty"});
    }
  }
  for (std::size_t c = 0; c < data.column_labels.size(); ++c) {
    if (ethos::detail::trim(data.column_labels[c]).empty()) {
      out.push_back({"column label #" + std::to_string(c + 1), "is empty"});
    }
  }
  if (data.cells.size() != data.row_labels.size()) {
    out.push_back({"cells", "has " + detail::plural(data.cells.size(), "row", "rows") + " for " +
                                detail::plural(data.row_labels.size(), "row label", "row labels")});
  }
  for (std::size_t r = 0; r < data.cells.size(); ++r) {
    const std::string row = "row #" + std::to_string(r + 1) +
                            (r < data.row_labels.size() ? " " + ethos::detail::quoted(data.row_labels[r]) : "");
    if (data.cells[r].size() != data.column_labels.size()) {
      out.push_back({row, "has " + detail::plural(data.cells[r].size(), "cell", "cells") + " for " +
                              detail::plural(data.column_labels.size(), "column", "columns")});
    }
    for (std::size_t c = 0; c < data.cells[r].size(); ++c) {
      const auto& cell = data.cells[r][c];
      if (cell.suppressed || !cell.value) {
        continue; // a suppressed value must not even reach an error message
      }
      if (auto p = detail::value_problem(*cell.value, options.min, options.max)) {
        const std::string col = c < data.column_labels.size() ? " " + ethos::detail::quoted(data.column_labels[c]) : "";
        out.push_back({row + " column #" + std::to_string(c + 1) + col, *p});
      }
    }
  }
  return out;
}

/// A heatmap of groups (rows) by constructs (columns): each cell coloured on a sequential or diverging scale
/// with its rounded value printed; suppressed cells hatched grey without any trace of their value; cells without
/// data white with a dash. Long labels are cut with an ellipsis and keep the full text in a tooltip. The legend
/// shows the colour scale, the suppression rule and the no-data mark. Sized for 1 to about 60 rows.
/// Throws validation_error listing every problem (see check()).
inline document heatmap_document(const heatmap_data& data, const heatmap_options& options = {}) {
  throw_if_problems("heatmap " + ethos::detail::quoted(options.title), check(data, options));
  using detail::text_at;
  const std::size_t rows = data.row_labels.size();
  const std::size_t cols = data.column_labels.size();

  constexpr double margin = 16.0;
  constexpr double label_font = 12.0;
  constexpr double cell_font = 11.0;
  constexpr std::size_t row_chars = 32;
  constexpr std::size_t column_chars = 32;     // the longest building block has 31
  constexpr double diag = 0.70710678118654752; // cos 45 degrees: column labels rise at 45 degrees

  std::size_t longest_row = 0;
  for (const auto& l : data.row_labels) {
    longest_row = std::max(longest_row, std::min(text_length(ethos::detail::trim(l)), row_chars));
  }
  const double row_label_width = static_cast<double>(longest_row) * 0.6 * label_font + 10;
  std::vector<double> column_label_width;
  double tallest_column = 0;
  for (const auto& l : data.column_labels) {
    column_label_width.push_back(text_width(truncate(ethos::detail::trim(l), column_chars), label_font));
    tallest_column = std::max(tallest_column, column_label_width.back());
  }
  const double grid_x = margin + row_label_width;
  const double last_overhang = column_label_width.back() * diag;
  const double cell_w =
      std::clamp(std::floor((880 - grid_x - margin - last_overhang) / static_cast<double>(cols)), 44.0, 96.0);
  const double cell_h = rows > 30 ? 22.0 : 26.0;
  const double grid_y = 50 + tallest_column * diag + 12;
  const double grid_w = cell_w * static_cast<double>(cols);
  const double grid_h = cell_h * static_cast<double>(rows);
  double right = grid_x + grid_w;
  for (std::size_t c = 0; c < cols; ++c) {
    right = std::max(right, grid_x + (static_cast<double>(c) + 0.5) * cell_w + column_label_width[c] * diag + 4);
  }
  const double legend_y = grid_y + grid_h + 30;
  const std::string suppressed_text = "Suppressed: " + detail::suppressed_note(options);
  const double legend_right = margin + 220 + 40 + 26 + text_width(suppressed_text, label_font);
  const double width = std::ceil(std::max(
      {640.0, right + margin, legend_right + margin, text_width(truncate(options.title, 80), 18) + 2 * margin}));
  const double height = std::ceil(legend_y + 62);

  std::size_t suppressed = 0;
  std::size_t empty = 0;
  for (const auto& row : data.cells) {
    for (const auto& cell : row) {
      suppressed += cell.suppressed ? 1 : 0;
      empty += !cell.suppressed && !cell.value ? 1 : 0;
    }
  }
  std::string desc = options.description;
  if (desc.empty()) {
    desc = "Heatmap of " + detail::plural(rows, "group", "groups") + " (rows) by " +
           detail::plural(cols, "construct", "constructs") + " (columns); " + options.value_label + " from " +
           format_number(options.min) + " to " + format_number(options.max) + ", " +
           (options.midpoint ? "red below " + format_number(*options.midpoint) + ", blue above"
                             : std::string("darker blue is higher")) +
           ". " + detail::plural(suppressed, "cell is", "cells are") + " suppressed (" +
           detail::suppressed_note(options) + "), " + detail::plural(empty, "cell has", "cells have") + " no data.";
  }

  // The legend's gradient is sampled from the same scale as the cells; its id comes from its colours.
  std::vector<std::string> scale_colours;
  std::string scale_key;
  for (int k = 0; k <= 20; ++k) {
    scale_colours.push_back(
        detail::to_hex(detail::heat_colour(options.min + k / 20.0 * (options.max - options.min), options)));
    scale_key += scale_colours.back();
  }
  const std::string gradient_id = "ethos-scale-" + std::to_string(detail::fnv1a(scale_key));

  document doc(width, height, options.title, desc);
  {
    element defs("defs");
    element hatch("pattern");
    hatch.set("id", "ethos-hatch")
        .set("width", 6)
        .set("height", 6)
        .set("patternUnits", "userSpaceOnUse")
        .set("patternTransform", "rotate(45)");
    element hatch_bg = rect(0, 0, 6, 6);
    hatch_bg.set("fill", "#e4e4e4");
    hatch.add(std::move(hatch_bg));
    element hatch_line = line(0, 0, 0, 6);
    hatch_line.set("stroke", "#8c8c8c").set("stroke-width", 2.5);
    hatch.add(std::move(hatch_line));
    defs.add(std::move(hatch));

    element gradient("linearGradient");
    gradient.set("id", gradient_id).set("x1", "0").set("x2", "1").set("y1", "0").set("y2", "0");
    for (std::size_t k = 0; k < scale_colours.size(); ++k) {
      element st("stop");
      st.set("offset", format_number(static_cast<double>(k) * 5) + "%").set("stop-color", scale_colours[k]);
      gradient.add(std::move(st));
    }
    defs.add(std::move(gradient));
    doc.add(std::move(defs));
  }
  doc.add(detail::background(width, height));
  doc.add(detail::chart_title(options.title));

  element column_labels = group("column-labels");
  for (std::size_t c = 0; c < cols; ++c) {
    const std::string full(ethos::detail::trim(data.column_labels[c]));
    const std::string shown = truncate(full, column_chars);
    const double x = grid_x + (static_cast<double>(c) + 0.5) * cell_w;
    element t = text_at(0, 0, shown, label_font);
    t.set("transform", "translate(" + format_number(x) + "," + format_number(grid_y - 8) + ") rotate(-45)");
    column_labels.add(detail::fitted_label(std::move(t), full, shown != full));
  }
  doc.add(std::move(column_labels));

  element row_labels = group("row-labels");
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string full(ethos::detail::trim(data.row_labels[r]));
    const std::string shown = truncate(full, row_chars);
    const double y = grid_y + (static_cast<double>(r) + 0.5) * cell_h + 4;
    row_labels.add(detail::fitted_label(text_at(grid_x - 8, y, shown, label_font, "end"), full, shown != full));
  }
  doc.add(std::move(row_labels));

  element cells = group("cells");
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      const heatmap_cell& cell = data.cells[r][c];
      const double x = grid_x + static_cast<double>(c) * cell_w;
      const double y = grid_y + static_cast<double>(r) * cell_h;
      const std::string where = std::string(ethos::detail::trim(data.row_labels[r])) + " " + std::string(em_dash) +
                                " " + std::string(ethos::detail::trim(data.column_labels[c])) + ": ";
      // 1 px inset leaves white gaps between cells, which keep neighbours of similar colour apart.
      element box = rect(x + 1, y + 1, cell_w - 2, cell_h - 2);
      element g = group();
      if (cell.suppressed) {
        box.set("class", "cell suppressed").set("fill", "url(#ethos-hatch)");
        g.tooltip(where + "suppressed (" + detail::suppressed_note(options) + ")");
        g.add(std::move(box));
      } else if (!cell.value) {
        box.set("class", "cell empty").set("fill", "#ffffff").set("stroke", "#b0b0b0").set("stroke-dasharray", "3 2");
        g.tooltip(where + "no data");
        g.add(std::move(box));
        g.add(text_at(x + cell_w / 2, y + cell_h / 2 + 5, en_dash, 15, "middle", "#8a8a8a"));
      } else {
        const detail::rgb fill = detail::heat_colour(*cell.value, options);
        const std::string shown = format_fixed(*cell.value, options.decimals);
        box.set("class", "cell").set("fill", detail::to_hex(fill));
        g.tooltip(where + shown);
        g.add(std::move(box));
        g.add(text_at(x + cell_w / 2, y + cell_h / 2 + 4, shown, cell_font, "middle", detail::ink_on(fill)));
      }
      cells.add(std::move(g));
    }
  }
  doc.add(std::move(cells));

  element legend = group("legend");
  legend.add(text_at(margin, legend_y, truncate(options.value_label, 40), label_font));
  element bar = rect(margin, legend_y + 8, 220, 14);
  bar.set("fill", "url(#" + gradient_id + ")").set("stroke", "#9a9a9a").set("stroke-width", 0.5);
  legend.add(std::move(bar));
  std::vector<double> ticks{options.min, options.midpoint.value_or((options.min + options.max) / 2), options.max};
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const double x = margin + 220 * (ticks[k] - options.min) / (options.max - options.min);
    element tick = line(x, legend_y + 22, x, legend_y + 26);
    tick.set("stroke", "#707070");
    legend.add(std::move(tick));
    legend.add(text_at(x, legend_y + 38, format_number(ticks[k]), 11,
                       k == 0   ? "start"
                       : k == 2 ? "end"
                                : "middle",
                       "#555555"));
  }
  const double sx = margin + 220 + 40;
  element hatch_swatch = rect(sx, legend_y + 4, 18, 14);
  hatch_swatch.set("fill", "url(#ethos-hatch)");
  legend.add(std::move(hatch_swatch));
  legend.add(text_at(sx + 26, legend_y + 15, suppressed_text, label_font));
  element empty_swatch = rect(sx, legend_y + 26, 18, 14);
  empty_swatch.set("fill", "#ffffff").set("stroke", "#b0b0b0").set("stroke-dasharray", "3 2");
  legend.add(std::move(empty_swatch));
  legend.add(text_at(sx + 9, legend_y + 38, en_dash, 15, "middle", "#8a8a8a"));
  legend.add(text_at(sx + 26, legend_y + 37, "No data", label_font));
  doc.add(std::move(legend));
  return doc;
}

// ---------------------------------------------------------------------------------------------------------------
// Six-level distribution chart
// ---------------------------------------------------------------------------------------------------------------

/// One bar of a level distribution chart: a perception point's name and its counts of ratings per level,
/// criminal first.
struct level_bar {
  std::string label{};
  std::array<std::size_t, 6> counts{};
};

/// How a level distribution chart is labelled.
struct level_chart_options {
  std::string title = "Service levels by perception point";
  std::string description{};    ///< the `<desc>`; generated from the data when empty
  bool show_percentages = true; ///< print each level's share inside its segment when it fits
};

namespace detail {

// Dark red (criminal) to dark green (unbelievable) through a pale yellow "expected"; lightness changes along the
// scale too, so that neighbours stay apart for readers who confuse red and green.
inline constexpr std::array<std::string_view, 6> level_colours{"#a50026", "#f46d43", "#fee08b",
                                                               "#a6d96a", "#1a9850", "#005a32"};

} // namespace detail

/// Checks level chart input: at least one bar, no empty labels.
inline std::vector<problem> check(const std::vector<level_bar>& bars) {
  std::vector<problem> out;
  if (bars.empty()) {
    out.push_back({"bars", "a level distribution chart needs at least one bar"});
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (ethos::detail::trim(bars[i].label).empty()) {
      out.push_back({"bar #" + std::to_string(i + 1), "has an empty label"});
    }
  }
  return out;
}

/// Horizontal 100% stacked bars, one per perception point in the given order: the share of ratings at each of the
/// six levels from criminal (dark red, left) to unbelievable (dark green, right), a black tick where `expected`
/// begins (left of it the service fell short), the number of ratings at the right, and "no ratings" for a point
/// nobody rated. Throws validation_error listing every problem (see check()).
inline document level_distribution_document(const std::vector<level_bar>& bars,
                                            const level_chart_options& options = {}) {
  throw_if_problems("level distribution chart " + ethos::detail::quoted(options.title), check(bars));
  using detail::text_at;
  constexpr double width = 820.0;
  constexpr double margin = 16.0;
  constexpr double bar_x = 250.0;
  constexpr double bar_w = 460.0;
  constexpr double bar_h = 22.0;
  constexpr double row_h = 34.0;
  constexpr std::size_t label_chars = 31; // two lines of this fit left of the bars
  const double legend_y = 58.0;
  const double top = legend_y + 44;
  const double height = top + row_h * static_cast<double>(bars.size()) + 36;

  std::size_t unrated = 0;
  for (const auto& b : bars) {
    unrated += std::all_of(b.counts.begin(), b.counts.end(), [](std::size_t c) { return c == 0; }) ? 1 : 0;
  }
  std::string desc = options.description;
  if (desc.empty()) {
    desc = "Horizontal 100% stacked bars for " + detail::plural(bars.size(), "perception point", "perception points") +
           ": the share of ratings at each of the six service levels, Criminal at the left to Unbelievable at the "
           "right. A black tick marks where Expected begins; n is the number of ratings.";
    if (unrated > 0) {
      desc += " " + detail::plural(unrated, "point has", "points have") + " no ratings.";
    }
  }

  document doc(width, height, options.title, desc);
  doc.add(detail::background(width, height));
  doc.add(detail::chart_title(options.title));

  element legend = group("legend");
  double lx = margin;
  for (service_level l : all<service_level>) {
    const auto i = static_cast<std::size_t>(level_number(l) - 1);
    element sw = rect(lx, legend_y - 11, 14, 14);
    sw.set("fill", detail::level_colours[i]).set("stroke", "#777777").set("stroke-width", 0.5);
    legend.add(std::move(sw));
    legend.add(text_at(lx + 19, legend_y, to_string(l), 12));
    lx += 19 + text_width(to_string(l), 12) + 16;
  }
  element mark = line(lx + 4, legend_y - 13, lx + 4, legend_y + 5);
  mark.set("stroke", "#111111").set("stroke-width", 2.5);
  legend.add(std::move(mark));
  legend.add(text_at(lx + 12, legend_y, "start of Expected", 12));
  doc.add(std::move(legend));

  // Percentage axis under the bars; the grid lines show through only where a point has no ratings.
  element axis = group("axis");
  const double bottom = top + row_h * static_cast<double>(bars.size());
  for (int k = 0; k <= 4; ++k) {
    const double x = bar_x + bar_w * k / 4.0;
    element gl = line(x, top - 6, x, bottom - row_h + bar_h + 6);
    gl.set("stroke", "#e2e2e2").set("stroke-width", 1);
    axis.add(std::move(gl));
    axis.add(text_at(x, bottom + 4, std::to_string(k * 25) + "%", 11, "middle", "#555555"));
  }
  doc.add(std::move(axis));

  element rows = group("bars");
  for (std::size_t b = 0; b < bars.size(); ++b) {
    const level_bar& bar = bars[b];
    const double y = top + row_h * static_cast<double>(b);
    std::size_t total = 0;
    for (auto c : bar.counts) {
      total += c;
    }
    element row = group("bar");
    const std::string full(ethos::detail::trim(bar.label));
    bool cut = false;
    const std::vector<std::string> lines = detail::wrap_two_lines(full, label_chars, cut);
    element label = group("bar-label", cut ? std::string_view(full) : std::string_view{});
    for (std::size_t l = 0; l < lines.size(); ++l) {
      const double baseline = y + bar_h / 2 + (lines.size() == 1 ? 4.0 : l == 0 ? -3.0 : 11.0);
      label.add(text_at(bar_x - 10, baseline, lines[l], 12, "end"));
    }
    row.add(std::move(label));
    row.add(text_at(bar_x + bar_w + 10, y + bar_h / 2 + 4, "n = " + std::to_string(total), 12, "start", "#444444"));
    if (total == 0) {
      element box = rect(bar_x, y, bar_w, bar_h);
      box.set("class", "no-ratings").set("fill", "#f4f4f4").set("stroke", "#b0b0b0").set("stroke-dasharray", "4 3");
      box.tooltip(full + ": no ratings");
      row.add(std::move(box));
      element note = text_at(bar_x + bar_w / 2, y + bar_h / 2 + 4, "no ratings", 12, "middle", "#666666");
      note.set("font-style", "italic");
      row.add(std::move(note));
      rows.add(std::move(row));
      continue;
    }
    double x = bar_x;
    double boundary = bar_x;
    for (std::size_t i = 0; i < 6; ++i) {
      const double share = static_cast<double>(bar.counts[i]) / static_cast<double>(total);
      const double w = share * bar_w;
      if (i == 2) {
        boundary = x;
      }
      if (bar.counts[i] == 0) {
        continue;
      }
      element seg = rect(x, y, w, bar_h);
      seg.set("class", "segment").set("fill", detail::level_colours[i]);
      const std::string pct = format_fixed(share * 100, 0) + "%";
      seg.tooltip(full + " " + std::string(em_dash) + " " +
                  std::string(to_string(*service_level_from_number(static_cast<int>(i) + 1))) + ": " +
                  std::to_string(bar.counts[i]) + " of " + std::to_string(total) + " (" + pct + ")");
      row.add(std::move(seg));
      // The margin keeps the text clear of the boundary tick, which may sit on either edge.
      if (options.show_percentages && w >= text_width(pct, 11) + 12) {
        row.add(text_at(x + w / 2, y + bar_h / 2 + 4, pct, 11, "middle",
                        detail::ink_on(detail::parse_hex(detail::level_colours[i]))));
      }
      x += w;
    }
    // Drawn over the segments and a little beyond the bar, so that it stays visible at either end.
    element tick = line(boundary, y - 4, boundary, y + bar_h + 4);
    tick.set("class", "expected-boundary").set("stroke", "#111111").set("stroke-width", 2.5);
    row.add(std::move(tick));
    rows.add(std::move(row));
  }
  doc.add(std::move(rows));
  return doc;
}

/// radar_document(series, options) as SVG text.
inline std::string radar_chart(const std::vector<radar_series>& series, const radar_options& options = {}) {
  return radar_document(series, options).str();
}

/// heatmap_document(data, options) as SVG text.
inline std::string heatmap(const heatmap_data& data, const heatmap_options& options = {}) {
  return heatmap_document(data, options).str();
}

/// level_distribution_document(bars, options) as SVG text.
inline std::string level_distribution_chart(const std::vector<level_bar>& bars,
                                            const level_chart_options& options = {}) {
  return level_distribution_document(bars, options).str();
}

/// Several charts in one SVG, one under the other (each kept as a nested <svg> of its own size), e.g. the
/// radar and the heatmap of one report in one file.
inline document stack(const std::vector<document>& charts, std::string_view title, std::string_view description = {}) {
  // Sizes read back with from_chars, which, unlike stod, ignores the C locale.
  const auto number = [](std::optional<std::string_view> v) {
    double x = 0.0;
    if (v) {
      std::from_chars(v->data(), v->data() + v->size(), x);
    }
    return x;
  };
  double width = 0.0;
  double height = 0.0;
  std::vector<std::pair<double, double>> sizes;
  for (const auto& c : charts) {
    const double cw = number(c.root().get("width"));
    const double ch = number(c.root().get("height"));
    sizes.emplace_back(cw, ch);
    width = std::max(width, cw);
    height += ch;
  }
  document out(width, height, title, description);
  out.add(detail::background(width, height));
  double y = 0.0;
  for (std::size_t i = 0; i < charts.size(); ++i) {
    element nested = charts[i].root();
    nested.set("x", 0.0).set("y", y);
    out.add(std::move(nested));
    y += sizes[i].second;
  }
  return out;
}

/// The chart of a transaction summary: one bar per perception point, in the map's order.
inline std::string level_distribution_chart(const transaction_summary& summary,
                                            const level_chart_options& options = {}) {
  std::vector<level_bar> bars;
  for (const auto& p : summary.points) {
    bars.push_back({p.point.name, p.distribution.counts});
  }
  return level_distribution_chart(bars, options);
}

} // namespace ethos::svg
