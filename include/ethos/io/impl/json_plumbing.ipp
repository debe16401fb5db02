// ethos/io/impl/json_plumbing.ipp: definitions of ethos/io/json_plumbing.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/json_plumbing.hpp>

#include <ethos/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <istream>
#include <system_error>

namespace ethos::detail {

ETHOS_DECL std::string json_quote(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ETHOS_DECL std::string json_number_text(double x) {
  if (std::isnan(x)) {
    return "nan";
  }
  if (std::isinf(x)) {
    return x > 0 ? "inf" : "-inf";
  }
  return nlohmann::json(x).dump();
}

ETHOS_DECL std::string json_path_member(std::string_view base, std::string_view key) {
  const auto word_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
  };
  bool plain = !key.empty();
  for (std::size_t i = 0; plain && i < key.size(); ++i) {
    plain = word_char(key[i], i == 0);
  }
  return std::string(base) + (plain ? "." + std::string(key) : "[" + json_quote(key) + "]");
}

ETHOS_DECL std::string json_path_index(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

ETHOS_DECL text_position line_column(std::string_view text, std::size_t offset) noexcept {
  text_position p;
  offset = std::min(offset, text.size());
  std::size_t i = text.substr(0, 3) == utf8_bom && offset >= 3 ? 3 : 0; // a BOM is not a column
  for (; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0U) != 0x80U) {
      ++p.column;
    }
  }
  return p;
}

ETHOS_DECL std::string json_error_reason(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    const auto p = what.find("] ");
    if (p != std::string_view::npos) {
      what.remove_prefix(p + 2);
    }
  }
  if (what.starts_with("parse error")) {
    const auto p = what.find(": ");
    if (p != std::string_view::npos) {
      what.remove_prefix(p + 2);
    }
  }
  std::string out(what);
  const auto last_read = out.find("; last read: '");
  if (last_read != std::string::npos) {
    const auto expected = out.find("'; expected ", last_read);
    out.erase(last_read, expected == std::string::npos ? std::string::npos : expected + 1 - last_read);
  }
  constexpr std::string_view lead = "syntax error while parsing ";
  const auto dash = out.find(" - ");
  if (out.starts_with(lead) && dash != std::string::npos && dash > lead.size()) {
    out = out.substr(dash + 3) + " (while parsing " + out.substr(lead.size(), dash - lead.size()) + ")";
  }
  return utf8_truncate(out, 200);
}

ETHOS_DECL std::string read_stream_text(std::istream& in, std::string_view name) {
  std::string out;
  std::string chunk(std::size_t{1} << 16, '\0');
  for (;;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    out.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (!in) {
      break;
    }
  }
  if (in.bad()) {
    throw error(std::string(name) + ": cannot read");
  }
  return out;
}

ETHOS_DECL std::string read_file_text(std::string_view path) {
  const std::string name(path);
  const std::filesystem::path file(name);
  std::error_code ec;
  // Opening a directory succeeds on some systems and fails only at the first read, with a vaguer reason.
  if (std::filesystem::is_directory(file, ec)) {
    throw error(name + ": cannot open: is a directory");
  }
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int e = errno;
    throw error(name +
                ": cannot open: " + (e != 0 ? std::generic_category().message(e) : std::string("unknown reason")));
  }
  return read_stream_text(in, name);
}

} // namespace ethos::detail
