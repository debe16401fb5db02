/// \file
/// \brief A small SVG writer: UTF-8 text and locale-independent numbers, elements and documents, colours, and the
/// helpers every chart shares.
///
/// Text is escaped when written and any byte sequence gives a well-formed document (malformed UTF-8 and characters
/// XML forbids become U+FFFD); numbers never depend on the C locale. The charts are in <ethos/report/radar.hpp>,
/// <ethos/report/heatmap.hpp>, <ethos/report/level_chart.hpp> and <ethos/report/line_chart.hpp>.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos::svg {

// ---------------------------------------------------------------------------------------------------------------
// Text and numbers
// ---------------------------------------------------------------------------------------------------------------

/// A position in user units (pixels of the chart's viewBox).
struct point {
  double x = 0.0; ///< to the right of the left edge
  double y = 0.0; ///< down from the top edge
};

// Non-ASCII punctuation spelled as UTF-8 bytes, so that the output does not depend on the compiler's
// execution character set.
/// U+2026 HORIZONTAL ELLIPSIS, which ends cut labels.
inline constexpr std::string_view ellipsis = "\xE2\x80\xA6";
/// U+2013 EN DASH, as in value ranges ("0–100") and the no-data mark.
inline constexpr std::string_view en_dash = "\xE2\x80\x93";
/// U+2014 EM DASH, between a label and what is said about it in tooltips.
inline constexpr std::string_view em_dash = "\xE2\x80\x94";

/// Escapes text for element content and attribute values alike: & < > " ' become entities. Bytes that are not
/// valid UTF-8 and characters that XML 1.0 forbids (control characters) become U+FFFD, so that any label, however
/// it was read, still gives a well-formed document.
ETHOS_DECL std::string escape(std::string_view text);

/// Number of characters (code points) of UTF-8 text; what a reader sees as its length, unlike `size()`.
ETHOS_DECL std::size_t text_length(std::string_view text) noexcept;

/// `text` cut to at most `max_chars` characters, the last of them an ellipsis when something was cut. Cuts between
/// characters, never inside a multi-byte one, and drops spaces before the ellipsis.
ETHOS_DECL std::string truncate(std::string_view text, std::size_t max_chars);

/// Compact, locale-independent number for attributes: rounded to at most `decimals` (0..6) fraction digits,
/// without trailing zeros, exponent or "-0" (`format_number(12.5) == "12.5"`, `format_number(1.0 / 3) == "0.33"`).
/// Throws ethos::error for NaN or infinity, which no SVG attribute can hold.
ETHOS_DECL std::string format_number(double v, int decimals = 2);

/// A value for readers, with exactly `decimals` (0..6) fraction digits, rounded half away from zero as people
/// round by hand (`format_fixed(72.5, 0) == "73"`), never "-0". Throws ethos::error for NaN or infinity.
ETHOS_DECL std::string format_fixed(double v, int decimals);

/// Estimated width in pixels of `text` set in a sans-serif font of `font_size` pixels. Charts have no font
/// metrics, so this errs wide (0.6 em a character) to keep labels from overlapping.
ETHOS_DECL double text_width(std::string_view text, double font_size) noexcept;

// ---------------------------------------------------------------------------------------------------------------
// Elements and documents
// ---------------------------------------------------------------------------------------------------------------

/// One SVG element: a tag, attributes in insertion order and children. Values are stored raw and escaped when
/// written, so callers never escape by hand.
class element {
 public:
  /// An element with tag `tag` ("rect", "g" ...), no attributes and no children.
  explicit element(std::string tag) : tag_(std::move(tag)) {}

  /// A text node: `content` written (escaped) as character data of its parent.
  static element text_node(std::string_view content);

  /// Sets (or replaces) an attribute.
  element& set(std::string_view name, std::string_view value);
  /// Sets (or replaces) a numeric attribute, written with format_number.
  element& set(std::string_view name, double value);

  /// Appends a child element.
  element& add(element child);
  /// Appends character data (escaped when written).
  element& add_text(std::string_view content);
  /// Adds a `<title>` as the first child: a tooltip in browsers and the accessible name of the element.
  element& tooltip(std::string_view title_text);

  /// The tag name; empty for a text node.
  const std::string& tag() const noexcept { return tag_; }
  /// The raw (unescaped) value of attribute `name`, if set.
  std::optional<std::string_view> get(std::string_view name) const noexcept;
  /// Child elements and text nodes, in document order.
  const std::vector<element>& children() const noexcept { return children_; }

  /// Appends the element's markup to `out`. Elements with character data are written on one line, because a
  /// line break inside `<text>` would show as a space.
  void write_to(std::string& out, int depth = 0, bool inline_mode = false) const;

  /// The element's markup.
  std::string str() const;

 private:
  std::string tag_; // empty for a text node
  std::vector<std::pair<std::string, std::string>> attributes_;
  std::vector<element> children_;
  std::string text_;
};

/// `points` attribute text: "x1,y1 x2,y2 ...".
ETHOS_DECL std::string points_attribute(std::span<const point> points);

/// `<rect>`; a negative width or height becomes 0, since renderers reject the element otherwise.
ETHOS_DECL element rect(double x, double y, double width, double height);

/// `<line>` from (x1, y1) to (x2, y2).
ETHOS_DECL element line(double x1, double y1, double x2, double y2);

/// `<circle>` centred on (cx, cy).
ETHOS_DECL element circle(double cx, double cy, double r);

/// `<polyline>`: an open path through `points`.
ETHOS_DECL element polyline(std::span<const point> points);

/// `<polygon>`: a closed shape through `points`.
ETHOS_DECL element polygon(std::span<const point> points);

/// `<text>` with its baseline starting at (x, y).
ETHOS_DECL element text(double x, double y, std::string_view content);

/// `<path>` with path data `d`.
ETHOS_DECL element path(std::string_view d);

/// `<g>`, optionally with a class and a tooltip title.
ETHOS_DECL element group(std::string_view class_name = {}, std::string_view title = {});

/// A standalone SVG document of `width` x `height` pixels: `<title>` (the accessible name) and `<desc>` come
/// first, text defaults to a sans-serif font.
class document {
 public:
  /// An empty chart area: the `<svg>` root with its size, viewBox, title and (when not empty) description.
  document(double width, double height, std::string_view title, std::string_view description = {});

  /// Appends a top-level element.
  document& add(element e);
  /// The `<svg>` element, for inspection.
  const element& root() const noexcept { return root_; }

  /// The whole document, with an XML declaration (UTF-8).
  std::string str() const;
  /// Writes str() to `os`.
  void write(std::ostream& os) const;

 private:
  element root_;
};

/// Several charts in one SVG, one under the other (each kept as a nested `<svg>` of its own size), e.g. the
/// radar and the heatmap of one report in one file.
ETHOS_DECL document stack(const std::vector<document>& charts, std::string_view title,
                          std::string_view description = {});

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

// Parses "#rrggbb" (colour constants of the charts only).
constexpr rgb parse_hex(std::string_view h) noexcept {
  const auto pair = [&](std::size_t k) { return static_cast<double>(hex_digit(h[k]) * 16 + hex_digit(h[k + 1])); };
  return {pair(1), pair(3), pair(5)};
}

ETHOS_DECL std::string to_hex(rgb c);

// WCAG relative luminance, 0 (black) .. 1 (white).
ETHOS_DECL double luminance(rgb c) noexcept;

// Text colour with the better contrast on `fill`: near-black or white.
ETHOS_DECL std::string_view ink_on(rgb fill) noexcept;

struct colour_stop {
  double at; // 0..1
  std::string_view hex;
};

// Linear interpolation between stops in sRGB, as SVG gradients interpolate by default, so that the legend's
// gradient matches the cells.
ETHOS_DECL rgb interpolate(std::span<const colour_stop> stops, double t) noexcept;

ETHOS_DECL element text_at(double x, double y, std::string_view content, double size, std::string_view anchor = "start",
                           std::string_view fill = "#222222");

// A label cut to `max_chars`; when cut, wrapped in a group whose <title> carries the full text.
ETHOS_DECL element fitted_label(element label_text, std::string_view full, bool cut);

// Splits `s` into at most two lines at the space that best balances them, then cuts any line still longer than
// `max_chars`; `cut` tells whether anything was lost.
ETHOS_DECL std::vector<std::string> wrap_two_lines(std::string_view s, std::size_t max_chars, bool& cut);

// Step of about `target` intervals over `range`, rounded to 1, 2, 2.5 or 5 times a power of ten.
ETHOS_DECL double nice_step(double range, int target);

// Problems of a value scale; both ends must be finite and min below max.
ETHOS_DECL void check_scale(double min, double max, std::vector<problem>& out);

ETHOS_DECL void check_decimals(int decimals, std::vector<problem>& out);

// A value problem ("is not a number", "is infinite", "72 is outside 0..50") or nothing.
ETHOS_DECL std::optional<std::string> value_problem(double v, double min, double max);

// An opaque white ground: on a dark page a transparent chart would show dark text on dark ground.
ETHOS_DECL element background(double width, double height);

ETHOS_DECL element chart_title(std::string_view title);

ETHOS_DECL std::string plural(std::size_t n, std::string_view one, std::string_view many);

} // namespace detail

} // namespace ethos::svg

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/svg_writer.ipp>
#endif
