// ethos/report/impl/svg_writer.ipp: definitions of ethos/report/svg_writer.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/report/svg_writer.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/utf8.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <system_error>

namespace ethos::svg {

namespace detail {

// The characters XML 1.0 allows in a document; anything else (most C0 controls, U+FFFE ...) breaks parsers.
constexpr bool is_xml_char(char32_t c) noexcept {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

} // namespace detail

// Text is decoded with the library's one UTF-8 decoder (ethos/detail/utf8.hpp): a malformed sequence (bad lead or
// continuation byte, overlong form, surrogate, beyond U+10FFFF) yields U+FFFD and consumes one byte, so decoding
// always progresses.
ETHOS_DECL std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t c = ethos::detail::next_code_point(text, i);
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
      ethos::detail::append_utf8(out, detail::is_xml_char(c) ? c : ethos::detail::replacement_character);
    }
  }
  return out;
}

ETHOS_DECL std::size_t text_length(std::string_view text) noexcept {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    (void)ethos::detail::next_code_point(text, i);
    ++n;
  }
  return n;
}

ETHOS_DECL std::string truncate(std::string_view text, std::size_t max_chars) {
  if (text_length(text) <= max_chars) {
    return std::string(text);
  }
  if (max_chars == 0) {
    return {};
  }
  std::size_t i = 0;
  for (std::size_t kept = 0; kept + 1 < max_chars; ++kept) {
    (void)ethos::detail::next_code_point(text, i);
  }
  std::string out(ethos::detail::trim(text.substr(0, i)));
  out += ellipsis;
  return out;
}

namespace detail {

ETHOS_DECL double rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  // Beyond 2^53 / scale every double is already a whole number of units; multiplying would only lose bits.
  const double r = std::abs(v) < 1e15 ? std::round(v * scale) / scale : v;
  return r == 0.0 ? 0.0 : r; // no "-0"
}

ETHOS_DECL void require_finite(double v) {
  if (!std::isfinite(v)) {
    throw error(std::string("svg: cannot write ") + (std::isnan(v) ? "NaN" : "an infinite number") +
                " as a coordinate or value");
  }
}

} // namespace detail

ETHOS_DECL std::string format_number(double v, int decimals) {
  detail::require_finite(v);
  const double r = detail::rounded(v, std::clamp(decimals, 0, 6));
  // A double written in fixed notation needs at most 309 integer digits plus the shortest fraction.
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed);
  return std::string(buf, res.ptr);
}

ETHOS_DECL std::string format_fixed(double v, int decimals) {
  detail::require_finite(v);
  const int d = std::clamp(decimals, 0, 6);
  const double r = detail::rounded(v, d);
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, r, std::chars_format::fixed, d);
  return std::string(buf, res.ptr);
}

ETHOS_DECL double text_width(std::string_view text, double font_size) noexcept {
  return static_cast<double>(text_length(text)) * 0.6 * font_size;
}

// ---- element ----------------------------------------------------------------------------------------------------

ETHOS_DECL element element::text_node(std::string_view content) {
  element e{std::string{}};
  e.text_ = std::string(content);
  return e;
}

ETHOS_DECL element& element::set(std::string_view name, std::string_view value) {
  for (auto& [n, v] : attributes_) {
    if (n == name) {
      v = std::string(value);
      return *this;
    }
  }
  attributes_.emplace_back(std::string(name), std::string(value));
  return *this;
}

ETHOS_DECL element& element::set(std::string_view name, double value) {
  return set(name, std::string_view(format_number(value)));
}

ETHOS_DECL element& element::add(element child) {
  children_.push_back(std::move(child));
  return *this;
}

ETHOS_DECL element& element::add_text(std::string_view content) { return add(text_node(content)); }

ETHOS_DECL element& element::tooltip(std::string_view title_text) {
  element t("title");
  t.add_text(title_text);
  children_.insert(children_.begin(), std::move(t));
  return *this;
}

ETHOS_DECL std::optional<std::string_view> element::get(std::string_view name) const noexcept {
  for (const auto& [n, v] : attributes_) {
    if (n == name) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

ETHOS_DECL void element::write_to(std::string& out, int depth, bool inline_mode) const {
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

ETHOS_DECL std::string element::str() const {
  std::string out;
  write_to(out);
  return out;
}

// ---- element builders -------------------------------------------------------------------------------------------

ETHOS_DECL std::string points_attribute(std::span<const point> points) {
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

ETHOS_DECL element rect(double x, double y, double width, double height) {
  element e("rect");
  e.set("x", x).set("y", y).set("width", std::max(0.0, width)).set("height", std::max(0.0, height));
  return e;
}

ETHOS_DECL element line(double x1, double y1, double x2, double y2) {
  element e("line");
  e.set("x1", x1).set("y1", y1).set("x2", x2).set("y2", y2);
  return e;
}

ETHOS_DECL element circle(double cx, double cy, double r) {
  element e("circle");
  e.set("cx", cx).set("cy", cy).set("r", std::max(0.0, r));
  return e;
}

ETHOS_DECL element polyline(std::span<const point> points) {
  element e("polyline");
  e.set("points", points_attribute(points));
  return e;
}

ETHOS_DECL element polygon(std::span<const point> points) {
  element e("polygon");
  e.set("points", points_attribute(points));
  return e;
}

ETHOS_DECL element text(double x, double y, std::string_view content) {
  element e("text");
  e.set("x", x).set("y", y).add_text(content);
  return e;
}

ETHOS_DECL element path(std::string_view d) {
  element e("path");
  e.set("d", d);
  return e;
}

ETHOS_DECL element group(std::string_view class_name, std::string_view title) {
  element e("g");
  if (!class_name.empty()) {
    e.set("class", class_name);
  }
  if (!title.empty()) {
    e.tooltip(title);
  }
  return e;
}

// ---- document ---------------------------------------------------------------------------------------------------

ETHOS_DECL document::document(double width, double height, std::string_view title, std::string_view description)
    : root_("svg") {
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

ETHOS_DECL document& document::add(element e) {
  root_.add(std::move(e));
  return *this;
}

ETHOS_DECL std::string document::str() const {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  root_.write_to(out);
  return out;
}

ETHOS_DECL void document::write(std::ostream& os) const { os << str(); }

// ---- chart helpers ----------------------------------------------------------------------------------------------

namespace detail {

ETHOS_DECL std::string to_hex(rgb c) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out = "#";
  for (double v : {c.r, c.g, c.b}) {
    const int i = std::clamp(static_cast<int>(std::lround(v)), 0, 255);
    out += digits[static_cast<std::size_t>(i / 16)];
    out += digits[static_cast<std::size_t>(i % 16)];
  }
  return out;
}

ETHOS_DECL double luminance(rgb c) noexcept {
  const auto lin = [](double v) {
    v /= 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

ETHOS_DECL std::string_view ink_on(rgb fill) noexcept {
  const double l = luminance(fill);
  const double on_white = 1.05 / (l + 0.05);
  const double on_dark = (l + 0.05) / (luminance(parse_hex("#222222")) + 0.05);
  return on_white > on_dark ? "#ffffff" : "#222222";
}

ETHOS_DECL rgb interpolate(std::span<const colour_stop> stops, double t) noexcept {
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

ETHOS_DECL element text_at(double x, double y, std::string_view content, double size, std::string_view anchor,
                           std::string_view fill) {
  element e = svg::text(x, y, content);
  e.set("font-size", size);
  if (anchor != "start") {
    e.set("text-anchor", anchor);
  }
  e.set("fill", fill);
  return e;
}

ETHOS_DECL element fitted_label(element label_text, std::string_view full, bool cut) {
  if (!cut) {
    return label_text;
  }
  element g = group("label", full);
  g.add(std::move(label_text));
  return g;
}

ETHOS_DECL std::vector<std::string> wrap_two_lines(std::string_view s, std::size_t max_chars, bool& cut) {
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

ETHOS_DECL double nice_step(double range, int target) {
  const double raw = range / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
  return nice * magnitude;
}

ETHOS_DECL void check_scale(double min, double max, std::vector<problem>& out) {
  if (!std::isfinite(min) || !std::isfinite(max)) {
    out.push_back({"scale", "min and max must be finite numbers"});
  } else if (!(min < max)) {
    out.push_back({"scale", "min " + format_number(min) + " is not below max " + format_number(max)});
  }
}

ETHOS_DECL void check_decimals(int decimals, std::vector<problem>& out) {
  if (decimals < 0 || decimals > 6) {
    out.push_back({"decimals", std::to_string(decimals) + " is outside 0..6"});
  }
}

ETHOS_DECL std::optional<std::string> value_problem(double v, double min, double max) {
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

ETHOS_DECL element background(double width, double height) {
  // Charts are opaque: on a dark page a transparent chart would show dark text on dark ground.
  element bg = rect(0, 0, width, height);
  bg.set("fill", "#ffffff");
  return bg;
}

ETHOS_DECL element chart_title(std::string_view title) {
  element t = text_at(16, 30, truncate(title, 80), 18);
  t.set("font-weight", "bold");
  return t;
}

ETHOS_DECL std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace detail

// ---- stacking ---------------------------------------------------------------------------------------------------

ETHOS_DECL document stack(const std::vector<document>& charts, std::string_view title, std::string_view description) {
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

} // namespace ethos::svg
