// ethos/io/impl/responses_csv.ipp: definitions of ethos/io/responses_csv.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/responses_csv.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/io/impl/csv_reader.ipp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ethos {

namespace detail {

ETHOS_DECL bool looks_like_id_column(std::string_view name) noexcept {
  const std::string_view t = trim(name);
  const auto lower_ends_with = [&](std::string_view suffix) {
    return t.size() >= suffix.size() && iequals(t.substr(t.size() - suffix.size()), suffix);
  };
  if (iequals(t, "id")) {
    return true;
  }
  for (const std::string_view sep : {"_id", "-id", ".id", " id"}) {
    if (t.size() > sep.size() && lower_ends_with(sep)) {
      return true;
    }
  }
  // respondentId, EmployeeID: a lower-case letter, then Id or ID.
  if (t.size() > 2 && (t.ends_with("Id") || t.ends_with("ID")) && t[t.size() - 3] >= 'a' && t[t.size() - 3] <= 'z') {
    return true;
  }
  for (const std::string_view word : {"respondent", "person", "employee", "participant"}) {
    if (t.size() >= word.size() && iequals(t.substr(0, word.size()), word)) {
      if (t.size() == word.size()) {
        return true;
      }
      const char next = t[word.size()];
      if (next == '_' || next == '-' || next == '.' || next == ' ') {
        return true;
      }
    }
  }
  return false;
}

// The respondent ids of a matrix being built, for duplicate checks: an open-addressing table of (hash, row), so
// that a lookup touches one slot and compares an id only on a full hash match, and no id is stored twice.
class id_index {
 public:
  static std::uint64_t hash(std::string_view id) noexcept { return std::hash<std::string_view>{}(id); }

  /// The line of the earlier row with this id, if there is one; `ids` are the matrix's respondent ids.
  std::optional<std::size_t> find(std::string_view id, std::uint64_t h, const std::vector<std::string>& ids) const {
    if (slots_.empty()) {
      return std::nullopt;
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask; slots_[i].row != 0; i = (i + 1) & mask) {
      if (slots_[i].hash == h && ids[slots_[i].row - 1] == id) {
        return lines_[slots_[i].row - 1];
      }
    }
    return std::nullopt;
  }

  /// Starts loading the slot where a lookup of hash `h` begins.
  void prefetch(std::uint64_t h) noexcept {
    if (!slots_.empty()) {
      // Kept in a member: GCC 12 drops the loads that compute an address used only by a prefetch.
      hint_ = slots_.data() + (static_cast<std::size_t>(h) & (slots_.size() - 1));
#if defined(__GNUC__) || defined(__clang__)
      __builtin_prefetch(hint_);
#endif
    }
  }

  /// Records matrix row `row` (0-based, the next one), found on `line`.
  void insert(std::uint64_t h, std::size_t row, std::size_t line) {
    if (2 * (lines_.size() + 1) > slots_.size()) {
      std::vector<slot> old(std::max<std::size_t>(1024, 2 * slots_.size()));
      old.swap(slots_);
      for (const slot& s : old) {
        if (s.row != 0) {
          place(s);
        }
      }
    }
    place({h, row + 1});
    lines_.push_back(line);
  }

 private:
  struct slot {
    std::uint64_t hash;
    std::size_t row; // 1-based; 0 marks an empty slot
  };

  void place(slot s) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(s.hash) & mask;
    while (slots_[i].row != 0) {
      i = (i + 1) & mask;
    }
    slots_[i] = s;
  }

  std::vector<slot> slots_; // a power of two, at most half full
  std::vector<std::size_t> lines_;
  const slot* hint_ = nullptr;
};

// Reads one responses file: the header decides the role of every column, then each row is checked cell by
// cell in column order (so the first problem reported is the leftmost) and appended to the matrix.
class responses_csv {
 public:
  responses_csv(std::istream& in, std::string_view file, const instrument_view& inst, const csv_options& options)
      : inst_(inst), options_(options),
        reader_(in, std::string(file),
                {options.chunk_size, options.max_row_bytes, options.policy == invalid_row_policy::skip}) {
    check_options();
  }

  csv_read_result run() {
    read_header();
    result_.row_number_ids = !has_id_;
    while (reader_.next(row_)) {
      ++result_.rows;
      if (read_row()) {
        ++result_.used;
      }
    }
    warn_of_likely_id_column();
    return std::move(result_);
  }

 private:
  enum class role : unsigned char { id, wave, item, group };
  struct column {
    role kind;
    std::size_t index; // item or group index
    int lo = 0;        // an item's answer range
    int hi = 0;
  };
  // A metadata column that may hold the respondent ids when the id column is absent: it does while every row
  // in the matrix has a value there (not blank) that no earlier one had.
  struct id_candidate {
    std::size_t column;
    std::string name;
    std::unordered_set<std::string> seen;
    bool unique = true;
  };

  const std::string& file() const noexcept { return reader_.file_name(); }

  void check_options() const {
    const auto bad = [](const std::string& why) { throw error("csv options: " + why); };
    if (!options_.wave_column.empty() && options_.wave_column == options_.id_column) {
      bad("the wave column and the id column are both '" + options_.wave_column + "'");
    }
    if (!options_.metadata_columns) {
      return;
    }
    const auto& meta = *options_.metadata_columns;
    for (std::size_t i = 0; i < meta.size(); ++i) {
      const std::string& m = meta[i];
      if (m.empty()) {
        bad("metadata column #" + std::to_string(i + 1) + " has an empty name");
      }
      if (m == options_.id_column || m == options_.wave_column) {
        bad("metadata column '" + m + "' is also the id or the wave column");
      }
      if (inst_.item_index(m)) {
        bad("metadata column '" + m + "' is an item of the instrument");
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (meta[j] == m) {
          bad("metadata column '" + m + "' is listed twice");
        }
      }
    }
  }

  [[noreturn]] void header_error(std::size_t line, std::size_t col, std::string reason) const {
    throw csv_error(file(), line, col, std::move(reason));
  }

  void read_header() {
    csv_row& h = row_;
    if (!reader_.next(h)) {
      header_error(1, 1, "missing header: the file has no rows");
    }
    if (h.blank()) {
      header_error(h.line(), 1, "blank line where the header should be");
    }
    if (h.error()) {
      throw csv_error(*h.error()); // header problems are never skipped
    }
    std::vector<std::optional<std::size_t>> item_column(inst_.items.size());
    std::vector<std::string> groups;
    std::vector<bool> listed_found(options_.metadata_columns ? options_.metadata_columns->size() : 0);
    std::unordered_map<std::string_view, std::size_t> seen;
    bool wave_found = false;
    for (std::size_t i = 0; i < h.size(); ++i) {
      const csv_field& f = h[i];
      const std::string_view name = f.text;
      if (detail::trim(name).empty()) {
        header_error(f.line, f.column, "empty column name");
      }
      if (const auto [it, fresh] = seen.emplace(name, i); !fresh) {
        header_error(f.line, f.column,
                     "duplicate column " + csv_excerpt(name) + " (columns " + std::to_string(it->second + 1) + " and " +
                         std::to_string(i + 1) + ")");
      }
      if (!options_.id_column.empty() && name == options_.id_column) {
        columns_.push_back({role::id, 0});
        has_id_ = true;
      } else if (!options_.wave_column.empty() && name == options_.wave_column) {
        columns_.push_back({role::wave, 0});
        wave_found = true;
      } else if (const auto j = inst_.item_index(name)) {
        const auto [lo, hi] = inst_.answer_range(inst_.items[*j]);
        columns_.push_back({role::item, *j, lo, hi});
        item_column[*j] = i;
      } else if (options_.metadata_columns) {
        const auto& meta = *options_.metadata_columns;
        std::size_t g = 0;
        while (g < meta.size() && meta[g] != name) {
          ++g;
        }
        if (g == meta.size()) {
          header_error(f.line, f.column, "unknown column " + csv_excerpt(name));
        }
        listed_found[g] = true;
        columns_.push_back({role::group, g});
      } else {
        columns_.push_back({role::group, groups.size()});
        groups.emplace_back(name);
      }
    }
    for (std::size_t j = 0; j < inst_.items.size(); ++j) {
      if (!item_column[j]) {
        header_error(h.line(), 1, "no column for item '" + std::string(inst_.items[j].id) + "'");
      }
    }
    if (options_.metadata_columns) {
      groups = *options_.metadata_columns;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        if (!listed_found[g]) {
          header_error(h.line(), 1, "missing metadata column '" + groups[g] + "'");
        }
      }
    }
    if (!options_.wave_column.empty() && !wave_found) {
      header_error(h.line(), 1, "missing wave column '" + options_.wave_column + "'");
    }

    std::vector<std::string> ids;
    for (const auto& it : inst_.items) {
      ids.emplace_back(it.id);
      ranges_.push_back(inst_.answer_range(it));
    }
    result_.matrix = response_matrix(std::move(ids), std::move(groups));
    answers_.assign(inst_.items.size(), response_matrix::missing);
    labels_.assign(result_.matrix.groups().size(), {});
    find_id_candidates();
  }

  // Without the id column, the metadata columns whose names read like ids (see looks_like_id_column).
  void find_id_candidates() {
    if (has_id_ || options_.id_column.empty()) { // ids as asked, or row numbers asked for explicitly
      return;
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].kind != role::group) {
        continue;
      }
      const std::string& name = result_.matrix.groups()[columns_[i].index].name;
      if (looks_like_id_column(name)) {
        id_candidates_.push_back({i, name, {}, true});
      }
    }
  }

  void track_id_candidates(const csv_row& r) {
    for (id_candidate& c : id_candidates_) {
      if (c.unique) {
        const std::string_view v = r[c.column].text;
        c.unique = !trim(v).empty() && c.seen.emplace(v).second;
      }
    }
  }

  // The warning that the ids are row numbers although a column looks like the ids (the first such, if any).
  void warn_of_likely_id_column() {
    for (const id_candidate& c : id_candidates_) {
      if (c.unique && !c.seen.empty()) {
        const std::string name = csv_excerpt(c.name);
        result_.warnings.push_back(
            {warning_code::likely_id_column,
             file() + ": column " + name + " has a unique value in every row and looks like the respondent ids, " +
                 "but it is read as metadata and the ids are row numbers, as there is no id column " +
                 csv_excerpt(options_.id_column) +
                 "; to use it, set csv_options::id_column (ethos-assess: " + "--id-column " + c.name + ")"});
        return;
      }
    }
  }

  // False (after reporting or throwing) when the row cannot be used.
  // A problem in a cell. The id, if left of it, comes first: its duplicate check was put off (see read_row).
  bool reject(std::size_t line, std::size_t col, std::string reason) {
    if (pending_id_ != nullptr && duplicate_id()) {
      return false;
    }
    return reject(csv_issue{file(), line, col, std::move(reason)});
  }

  // True (after reporting it) when the pending id was seen before.
  bool duplicate_id() {
    const csv_field& f = *std::exchange(pending_id_, nullptr);
    const auto first = ids_.find(f.text, pending_hash_, result_.matrix.respondent_ids());
    if (first) {
      reject(csv_issue{file(), f.line, f.column,
                       "duplicate respondent id " + csv_excerpt(f.text) + " (first on line " + std::to_string(*first) +
                           ")"});
    }
    return first.has_value();
  }

  bool reject(csv_issue issue) {
    if (options_.policy == invalid_row_policy::fail) {
      throw csv_error(std::move(issue));
    }
    ++result_.invalid;
    if (result_.first_invalid.size() < options_.max_reported) {
      result_.first_invalid.push_back(std::move(issue));
    }
    return false;
  }

  bool read_row() {
    const csv_row& r = row_;
    if (r.blank()) {
      return reject(r.line(), 1, "blank line");
    }
    if (r.error()) {
      return reject(*r.error());
    }
    if (r.size() != columns_.size()) {
      // Too many fields: point at the first extra one. Too few: the row start, as the missing ones are nowhere.
      const bool extra = r.size() > columns_.size();
      return reject(extra ? r[columns_.size()].line : r.line(), extra ? r[columns_.size()].column : 1,
                    "ragged row: " + std::to_string(r.size()) + " fields, the header has " +
                        std::to_string(columns_.size()));
    }
    pending_id_ = nullptr;
    int wave = 0;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const csv_field& f = r[i];
      const column c = columns_[i];
      switch (c.kind) {
      case role::item:
        // The common case, one digit in range, without from_chars, trimming or a call.
        if (f.text.size() == 1) {
          const int x = f.text[0] - '0';
          if (x >= c.lo && x <= c.hi && x <= 9) {
            answers_[c.index] = static_cast<std::uint8_t>(x);
            break;
          }
        }
        if (!read_answer(f, c.index)) {
          return false;
        }
        break;
      case role::group:
        labels_[c.index] = f.text;
        break;
      case role::id:
        if (detail::trim(f.text).empty()) {
          return reject(f.line, f.column, "empty respondent id");
        }
        // The duplicate check waits until the other cells are read, while the id's slot is fetched into cache.
        pending_id_ = &f;
        pending_hash_ = id_index::hash(f.text);
        ids_.prefetch(pending_hash_);
        break;
      case role::wave:
        if (!read_wave(f, wave)) {
          return false;
        }
        break;
      }
    }
    if (has_id_) {
      const csv_field& id = *pending_id_;
      if (duplicate_id()) {
        return false;
      }
      const std::size_t at = result_.matrix.rows();
      result_.matrix.append_row(id.text, labels_, wave, answers_);
      ids_.insert(pending_hash_, at, id.line);
    } else {
      std::array<char, 24> number{};
      const auto end = std::to_chars(number.data(), number.data() + number.size(), result_.rows).ptr;
      result_.matrix.append_row(std::string_view(number.data(), static_cast<std::size_t>(end - number.data())), labels_,
                                wave, answers_);
      if (!id_candidates_.empty()) {
        track_id_candidates(r);
      }
    }
    return true;
  }

  bool read_answer(const csv_field& f, std::size_t item) {
    std::string_view t = f.text;
    int x = 0;
    if (t.size() == 1 && t[0] >= '0' && t[0] <= '9') { // the common case, without from_chars
      x = t[0] - '0';
    } else {
      t = detail::trim(t);
      if (t.empty()) {
        answers_[item] = response_matrix::missing;
        return true;
      }
      const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
      if (ptr != t.data() + t.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
        return reject(f.line, f.column,
                      "item '" + std::string(inst_.items[item].id) + "': non-numeric answer " + csv_excerpt(t));
      }
      if (ec == std::errc::result_out_of_range) { // digits only, but maybe very many of them
        return out_of_range(f, item, t.size() > 40 ? std::string(t.substr(0, 40)) + "..." : std::string(t));
      }
    }
    if (x < ranges_[item].first || x > ranges_[item].second) {
      return out_of_range(f, item, std::to_string(x));
    }
    answers_[item] = static_cast<std::uint8_t>(x);
    return true;
  }

  bool out_of_range(const csv_field& f, std::size_t item, const std::string& value) {
    return reject(f.line, f.column,
                  "item '" + std::string(inst_.items[item].id) + "': answer " + value + " is outside " +
                      std::to_string(ranges_[item].first) + ".." + std::to_string(ranges_[item].second));
  }

  bool read_wave(const csv_field& f, int& wave) {
    const std::string_view t = detail::trim(f.text);
    const std::string where = "wave column '" + options_.wave_column + "': ";
    if (t.empty()) {
      return reject(f.line, f.column, where + "missing value");
    }
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), wave);
    if (ptr != t.data() + t.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
      return reject(f.line, f.column, where + "non-numeric value " + csv_excerpt(t));
    }
    if (ec == std::errc::result_out_of_range) {
      return reject(f.line, f.column, where + "value " + csv_excerpt(t) + " does not fit an int");
    }
    return true;
  }

  instrument_view inst_;
  const csv_options& options_;
  csv_reader reader_;
  csv_row row_;
  csv_read_result result_;
  std::vector<column> columns_;
  std::vector<std::pair<int, int>> ranges_;
  std::vector<std::uint8_t> answers_;
  std::vector<std::string_view> labels_;
  id_index ids_;
  const csv_field* pending_id_ = nullptr; // the row's id, not yet checked for a duplicate
  std::uint64_t pending_hash_ = 0;
  bool has_id_ = false;
  std::vector<id_candidate> id_candidates_;
};

} // namespace detail

ETHOS_DECL csv_read_result read_responses(std::istream& in, std::string_view file_name, const instrument_view& inst,
                                          const csv_options& options) {
  return detail::responses_csv(in, file_name, inst, options).run();
}

ETHOS_DECL csv_read_result read_responses_file(std::string_view path, const instrument_view& inst,
                                               const csv_options& options) {
  const std::string name(path);
  std::ifstream in = detail::open_csv_file(std::filesystem::path(name));
  return read_responses(in, name, inst, options);
}

} // namespace ethos
