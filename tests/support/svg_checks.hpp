// Helpers shared by the SVG chart tests: scratch files, the external tools (xmllint, rsvg-convert, python3 with
// tests/report/png_stats.py) that prove a chart well-formed and not blank, and small readers of the markup.
// With ETHOS_SVG_KEEP=<dir> in the environment the SVG and PNG files are kept there for a human to look at.
#pragma once

#include <ethos/report/svg.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#ifndef ETHOS_TEST_DATA_DIR
#error "ETHOS_TEST_DATA_DIR must be the absolute path of tests/ (the build defines it)"
#endif

namespace ethos_test {

namespace fs = std::filesystem;

// ---- files and external tools ----------------------------------------------------------------------------------

// Where test files go: $ETHOS_SVG_KEEP (kept), else a fresh temporary directory removed at exit.
class scratch {
 public:
  scratch() {
    const char* keep = std::getenv("ETHOS_SVG_KEEP");
    if (keep != nullptr && *keep != '\0') {
      dir_ = keep;
      keep_ = true;
    } else {
      dir_ = fs::temp_directory_path() / ("ethos_svg_test_" + std::to_string(std::random_device{}()));
    }
    fs::create_directories(dir_);
  }
  ~scratch() {
    if (!keep_) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;

  [[nodiscard]] fs::path file(const std::string& name) const { return dir_ / name; }

 private:
  fs::path dir_;
  bool keep_ = false;
};

inline const scratch& scratch_dir() {
  static const scratch s;
  return s;
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

inline void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  REQUIRE(out.good());
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The tools are declared dependencies: their absence is a failure of the test environment, reported as such.
inline void require_tool(const std::string& tool, const std::string& package) {
  if (std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) != 0) {
    FAIL(tool + " was not found on PATH; it is a declared test dependency (install " + package + ")");
  }
}

// Runs `command` with stderr captured; returns the exit status (0 = success) and the captured text.
inline std::pair<int, std::string> run(const std::string& command, const std::string& name) {
  const fs::path err = scratch_dir().file(name + ".stderr");
  const int status = std::system((command + " 2>" + shell_quote(err.string())).c_str());
  std::string text = read_file(err);
  std::error_code ec;
  fs::remove(err, ec);
  return {status, text};
}

// Writes `svg` to <name>.svg and requires xmllint to accept it as well-formed XML.
inline void require_well_formed(const std::string& svg, const std::string& name) {
  require_tool("xmllint", "libxml2-utils");
  const fs::path file = scratch_dir().file(name + ".svg");
  write_file(file, svg);
  const auto [status, messages] = run("xmllint --noout " + shell_quote(file.string()), name);
  INFO("xmllint on " << file.string() << ":\n" << messages);
  REQUIRE(status == 0);
}

struct png_stats {
  long width = 0;
  long height = 0;
  long non_background = 0;
  long distinct = 0;
  long major = 0;
};

// Rasterises `svg` with rsvg-convert to <name>.png and reads its statistics with png_stats.py.
inline png_stats render(const std::string& svg, const std::string& name) {
  require_tool("rsvg-convert", "librsvg2-bin");
  require_tool("python3", "python3");
  const fs::path svg_file = scratch_dir().file(name + ".svg");
  const fs::path png_file = scratch_dir().file(name + ".png");
  const fs::path stats_file = scratch_dir().file(name + ".stats");
  write_file(svg_file, svg);
  const auto [render_status, render_messages] =
      run("rsvg-convert -o " + shell_quote(png_file.string()) + " " + shell_quote(svg_file.string()), name);
  INFO("rsvg-convert:\n" << render_messages);
  REQUIRE(render_status == 0);
  const std::string script = std::string(ETHOS_TEST_DATA_DIR) + "/report/png_stats.py";
  const auto [stats_status, stats_messages] = run(
      "python3 " + shell_quote(script) + " " + shell_quote(png_file.string()) + " >" + shell_quote(stats_file.string()),
      name);
  INFO("png_stats.py:\n" << stats_messages);
  REQUIRE(stats_status == 0);
  png_stats s;
  std::istringstream in(read_file(stats_file));
  in >> s.width >> s.height >> s.non_background >> s.distinct >> s.major;
  REQUIRE(in);
  return s;
}

// ---- looking into the markup -------------------------------------------------------------------------------------

inline std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = hay.find(needle); pos != std::string_view::npos; pos = hay.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// The text of the element that starts with `open` (e.g. `<g class="series series-0">`) up to its matching `</g>`.
inline std::string element_text(const std::string& svg, const std::string& open) {
  const auto start = svg.find(open);
  REQUIRE(start != std::string::npos);
  std::size_t depth = 0;
  for (std::size_t pos = start; pos < svg.size();) {
    const auto next_open = svg.find("<g", pos + 1);
    const auto next_close = svg.find("</g>", pos + 1);
    REQUIRE(next_close != std::string::npos);
    if (next_open != std::string::npos && next_open < next_close) {
      if (svg.compare(next_open, 3, "<g>") == 0 || svg.compare(next_open, 3, "<g ") == 0) {
        ++depth;
      }
      pos = next_open;
    } else {
      if (depth == 0) {
        return svg.substr(start, next_close + 4 - start);
      }
      --depth;
      pos = next_close;
    }
  }
  FAIL("unterminated element " << open);
  return {};
}

// Every value of attribute `name` in `markup`, in order.
inline std::vector<std::string> attributes(const std::string& markup, const std::string& name) {
  std::vector<std::string> out;
  const std::string key = " " + name + "=\"";
  for (auto pos = markup.find(key); pos != std::string::npos; pos = markup.find(key, pos + 1)) {
    const auto begin = pos + key.size();
    out.push_back(markup.substr(begin, markup.find('"', begin) - begin));
  }
  return out;
}

// The contents of the `<text>` elements of `markup` that hold only character data, joined by spaces.
inline std::string plain_text_lines(const std::string& markup) {
  std::string out;
  for (auto pos = markup.find("<text"); pos != std::string::npos; pos = markup.find("<text", pos + 1)) {
    const auto begin = markup.find('>', pos) + 1;
    const auto end = markup.find("</text>", begin);
    const std::string content = markup.substr(begin, end - begin);
    if (content.find('<') == std::string::npos) {
      out += (out.empty() ? "" : " ") + content;
    }
  }
  return out;
}

inline std::vector<ethos::svg::point> parse_points(const std::string& points) {
  std::vector<ethos::svg::point> out;
  std::istringstream in(points);
  std::string pair;
  while (in >> pair) {
    const auto comma = pair.find(',');
    out.push_back({std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1))});
  }
  return out;
}

} // namespace ethos_test
