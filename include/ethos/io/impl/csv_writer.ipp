// ethos/io/impl/csv_writer.ipp: definitions of ethos/io/csv_writer.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/csv_writer.hpp>

#include <ethos/detail/utf8.hpp>
#include <ethos/error.hpp>

#include <cmath>
#include <ostream>

namespace ethos {

ETHOS_DECL csv_writer& csv_writer::field(std::string_view text) {
  separate();
  if (needs_quotes(text)) {
    out_->put('"');
    for (std::size_t q; (q = text.find('"')) != std::string_view::npos; text.remove_prefix(q + 1)) {
      out_->write(text.data(), static_cast<std::streamsize>(q + 1));
      out_->put('"');
    }
    out_->write(text.data(), static_cast<std::streamsize>(text.size()));
    out_->put('"');
    wrote_ = true;
  } else if (!text.empty()) {
    out_->write(text.data(), static_cast<std::streamsize>(text.size()));
    wrote_ = true;
  }
  return *this;
}

ETHOS_DECL csv_writer& csv_writer::field(double x) {
  if (std::isnan(x)) {
    return empty();
  }
  std::array<char, 32> s{};
  const auto end = std::to_chars(s.data(), s.data() + s.size(), x).ptr;
  return field(std::string_view(s.data(), static_cast<std::size_t>(end - s.data())));
}

ETHOS_DECL csv_writer& csv_writer::end_row() {
  if (fields_ == 0) {
    throw error("csv writer: row " + std::to_string(rows_ + 1) + " has no fields");
  }
  if (fields_ == 1 && !wrote_) {
    out_->write("\"\"", 2);
  }
  out_->write(line_end_.data(), static_cast<std::streamsize>(line_end_.size()));
  if (!*out_) {
    throw error("csv writer: writing row " + std::to_string(rows_ + 1) + " failed");
  }
  fields_ = 0;
  wrote_ = false;
  ++rows_;
  return *this;
}

ETHOS_DECL csv_writer& csv_writer::row(std::span<const std::string_view> fields) {
  for (const auto f : fields) {
    field(f);
  }
  return end_row();
}

ETHOS_DECL bool csv_writer::needs_quotes(std::string_view text) noexcept {
  if (text.empty()) {
    return false;
  }
  const auto spacey = [](char c) { return c == ' ' || c == '\t'; };
  return text.find_first_of(",\"\r\n") != std::string_view::npos || spacey(text.front()) || spacey(text.back()) ||
         text.starts_with(detail::utf8_bom);
}

ETHOS_DECL void csv_writer::separate() {
  if (fields_++ > 0) {
    out_->put(',');
  }
}

} // namespace ethos
