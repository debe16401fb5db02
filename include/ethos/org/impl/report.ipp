// ethos/org/impl/report.ipp: definitions of ethos/org/report.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/org/report.hpp>

#include <ethos/error.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/detail/assess_cache.hpp>
#include <ethos/org/detail/classes.hpp>
#include <ethos/org/detail/release_audit.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/release.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/org/unit_drivers.hpp>

#include <ethos/detail/buckets.hpp>
#include <ethos/detail/hash_slots.hpp>
#include <ethos/detail/parallel.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

enum class report_cell_kind : unsigned char {
  construct,        // a = construct
  agreement,        // a = construct (ICC and rwg(j) summary over the shown groups)
  enps,             //
  six_level,        // a = six-level item
  group,            // a = group, b = construct
  group_hidden,     // a = group, b = construct: hidden by the groups' own rule (a candidate to show again)
  unit,             // a = unit row of the roll-up, b = construct
  cut,              // a = cut row, b = construct
  driver_outcome,   // a = driver analysis
  driver_predictor, // a = driver analysis, b = predictor
  trend_before,     // a = trend unit, b = trend construct
  internal,         // a = position in the internal-service layout
};

// 12 bytes: a report of 20,000 units and a cut has a million of them (positions in a report stay far below 2^32).
struct report_cell_ref {
  report_cell_ref() = default;
  report_cell_ref(report_cell_kind k, std::size_t first, std::size_t second)
      : kind(k), a(static_cast<std::uint32_t>(first)), b(static_cast<std::uint32_t>(second)) {
    if (first > std::numeric_limits<std::uint32_t>::max() || second > std::numeric_limits<std::uint32_t>::max()) {
      throw error("report: a section holds more than 2^32 figures");
    }
  }
  report_cell_kind kind = report_cell_kind::construct;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
};

// Element spaces of a report: the rows of the current wave (element r = row r), then the earlier wave's rows that
// are not the same row of the same person (same id and the same answers) as a current one; and the ratings, with
// the internal-service matrix's cells over them.
struct report_elements {
  // Keyed (a ledger or an earlier wave): every element's person key and value fingerprint. Otherwise empty: the
  // elements are the current wave's rows, each its own person (person key = row number, value 0); respondent_space
  // writes them out where a release needs them.
  release_space respondents{"respondents", {}, {}, {}};
  bool keyed = false;                          // a ledger or an earlier wave: `respondents` holds the keys
  std::size_t elements = 0;                    // of the respondents' space
  std::vector<std::uint32_t> previous_element; // per earlier row
  release_space ratings{"ratings", {}, {}, {}};
  std::vector<disclosure_cell> rating_cells; // the internal-service layout's cells (isv_layout_of)
};

// The bytes of a row's answers to the instrument's items, in instrument order.
ETHOS_DECL std::string row_answers(const instrument_view& inst, const response_matrix& m, std::size_t r) {
  std::string s;
  s.reserve(inst.items.size());
  for (const auto& it : inst.items) {
    const auto col = m.column_of(it.id);
    s.push_back(col ? static_cast<char>(m.column(*col)[r]) : '\xFF');
  }
  return s;
}

ETHOS_DECL void wave_keys(const instrument_view& inst, const survey_wave& w, const release_salt& salt,
                          std::vector<std::uint64_t>& person, std::vector<std::uint64_t>& value) {
  const auto& m = *w.matrix;
  std::unordered_map<std::uint64_t, std::size_t> occurrences;
  for (std::size_t r = 0; r < m.rows(); ++r) {
    const std::string answers = row_answers(inst, m, r);
    value.push_back(release_fingerprint(salt, "answers\x1f" + answers));
    if (!w.row_number_ids) {
      person.push_back(release_fingerprint(salt, "id\x1f" + m.respondent_ids()[r]));
      continue;
    }
    std::string content = "row\x1f" + answers;
    for (const auto& g : m.groups()) {
      content += "\x1f" + g.label(r);
    }
    const std::uint64_t base = release_fingerprint(salt, content);
    const std::size_t nth = occurrences[base]++;
    person.push_back(release_fingerprint(salt, content + "\x1f" + std::to_string(nth)));
  }
}

// The elements of a report's spaces. Keys are fingerprints (with the ledger's salt) when a ledger or an earlier wave
// needs people matched; otherwise plain row and rater numbers, which is all a single report needs.
ETHOS_DECL report_elements report_elements_of(const report_request& q,
                                              const std::optional<internal_service_result>& is) {
  const release_salt salt = q.ledger != nullptr ? q.ledger->salt() : default_release_salt;
  const bool keyed = q.ledger != nullptr || q.previous.has_value();
  report_elements out;
  const auto& m = *q.current.matrix;
  out.keyed = keyed;
  if (keyed) {
    wave_keys(*q.instrument, q.current, salt, out.respondents.person, out.respondents.value);
  }
  out.elements = m.rows();
  if (q.previous) {
    std::vector<std::uint64_t> person;
    std::vector<std::uint64_t> value;
    wave_keys(*q.instrument, *q.previous, salt, person, value);
    std::unordered_map<std::uint64_t, std::uint32_t> current_of_person;
    for (std::uint32_t r = 0; r < out.respondents.size(); ++r) {
      current_of_person.emplace(out.respondents.person[r], r);
    }
    for (std::size_t r = 0; r < person.size(); ++r) {
      const auto it = current_of_person.find(person[r]);
      if (it != current_of_person.end() && out.respondents.value[it->second] == value[r]) {
        out.previous_element.push_back(it->second); // the same row of the same person: the same values
        continue;
      }
      out.previous_element.push_back(static_cast<std::uint32_t>(out.respondents.size()));
      out.respondents.person.push_back(person[r]);
      out.respondents.value.push_back(value[r]);
    }
    out.elements = out.respondents.size();
  }
  if (q.ratings && is) {
    const auto& opt = q.options.internal_service;
    const auto range = internal_scale_range(opt);
    auto layout = isv_layout_of(*q.ratings, is->units, opt, range.first, range.second);
    for (std::size_t i = 0; i < layout.rating_of.size(); ++i) {
      const auto& rt = (*q.ratings)[layout.rating_of[i]];
      out.ratings.person.push_back(keyed ? release_fingerprint(salt, "rater\x1f" + rt.person) : layout.person_of[i]);
      out.ratings.value.push_back(
          keyed ? release_fingerprint(salt, rt.rater_unit + "\x1f" + rt.served_unit + "\x1f" + std::to_string(rt.value))
                : 0);
    }
    out.rating_cells = std::move(layout.cells);
  }
  return out;
}

// The respondents' space of a release: as keyed, or the rows numbered.
ETHOS_DECL release_space respondent_space(const report_elements& el) {
  if (el.keyed) {
    return el.respondents;
  }
  release_space out{el.respondents.name, {}, std::vector<std::uint64_t>(el.elements, 0), {}};
  out.person.resize(el.elements);
  std::iota(out.person.begin(), out.person.end(), std::uint64_t{0});
  return out;
}

ETHOS_DECL std::vector<bool> scored_rows(const scoring_result& s, std::size_t c) {
  const auto scores = s.persons.construct(c);
  std::vector<bool> keep(scores.size());
  for (std::size_t r = 0; r < scores.size(); ++r) {
    keep[r] = std::isfinite(scores[r]);
  }
  return keep;
}

// Rows that answered `item` (none when the matrix has no such column).
ETHOS_DECL std::vector<bool> answered(const response_matrix& m, std::string_view item) {
  std::vector<bool> out(m.rows(), false);
  if (const auto col = m.column_of(item)) {
    const auto values = m.column(*col);
    for (std::size_t r = 0; r < m.rows(); ++r) {
      out[r] = values[r] != response_matrix::missing;
    }
  }
  return out;
}

ETHOS_DECL std::string quoted_unit(const std::string& id) {
  return id.empty() ? "the organisation" : "unit '" + id + "'";
}

// What the declarers of one report read from every row, worked out once and shared by the joint protection's
// declarer and the proof's (none of it changes while the protection hides figures): the classes of the rows, and
// per domain the rows it covers and how many of them each class holds.
struct report_basis {
  struct domain_rows {
    std::vector<bool> covers;         // per row of the current wave
    std::vector<std::uint32_t> count; // per class: the covered rows
  };
  bool built = false;
  std::vector<std::uint32_t> class_of;                  // per row
  std::vector<std::array<std::uint32_t, 3>> class_key;  // per class: group level, unit, cut level
  std::vector<class_list> subtree;                      // per unit: the classes of its subtree, ascending
  std::unordered_map<std::string, domain_rows> domains; // by the domain's name

  // A domain covering the rows `covers` says, with its covered rows counted per class.
  [[nodiscard]] domain_rows covering(std::vector<bool> covers) const {
    domain_rows d{std::move(covers), std::vector<std::uint32_t>(class_key.size(), 0)};
    for (std::size_t row = 0; row < class_of.size(); ++row) {
      if (d.covers[row]) {
        ++d.count[class_of[row]];
      }
    }
    return d;
  }
};

// The joint protection's candidates (or the inventory's cells, for the proof) when every one of them is given by
// classes of the current wave's respondents (given_by_classes): 24 bytes a cell instead of a release_cell and its
// reference, and the classes' sizes straight from the declarer's counts, not worked out again from every row for
// each domain.
struct candidate_cell {
  candidate_cell(class_list cl, const report_cell_ref& r, std::size_t d, int k, suppression s)
      : classes(std::move(cl)), a(r.a), b(r.b), domain(static_cast<std::uint32_t>(d)),
        keep(static_cast<std::int16_t>(k)), kind(r.kind), status(s) {
    if (k < std::numeric_limits<std::int16_t>::min() || k > std::numeric_limits<std::int16_t>::max()) {
      throw error("report: a candidate's keep rank is out of range (an internal error)");
    }
  }
  // The figure the cell stands for.
  [[nodiscard]] report_cell_ref ref() const { return {kind, a, b}; }

  class_list classes;
  std::uint32_t a = 0; // the reference, unpacked: 24 bytes a cell
  std::uint32_t b = 0;
  std::uint32_t domain = 0;
  std::int16_t keep = 0;
  report_cell_kind kind = report_cell_kind::construct;
  suppression status = suppression::none;
};

struct candidate_family {
  release domains;                                     // the spaces and domains (no cells)
  std::vector<candidate_cell> cells;                   // the protection's candidates, in the declarer's order
  std::vector<std::vector<class_list>> shown;          // for the proof, per domain: the inventory's cells (all shown)
  std::vector<const std::vector<std::uint32_t>*> size; // per domain: its covered rows per class (a report_basis's)
};

// Declares the cells of every section of `r` into `out` (refs: one per cell). With `candidates`, only cells whose
// set no other cell already publishes, for the joint protection; without, every cell (the inventory).
class report_declarer {
 public:
  // What it reads from the rows comes from `basis` when given (worked out there the first time), else from its own.
  report_declarer(const report_request& q, const survey_report& r, const report_elements& el, release& out,
                  std::vector<report_cell_ref>& refs, bool candidates, candidate_family* family = nullptr,
                  report_basis* basis = nullptr)
      : q_(q), r_(r), el_(el), out_(out), refs_(refs), family_(family), candidates_(candidates),
        labels_(!candidates && family == nullptr && q.options.cell_labels),
        basis_(basis != nullptr ? *basis : own_basis_) {
    respondents_ = out_.space("respondents");
    elements_ = el_.elements;
    if (family_ == nullptr) {
      out_.spaces[respondents_] = respondent_space(el_);
    }
    build_classes();
  }

  // Every cell given by classes into `family` (see candidate_family): with `candidates`, those of the joint
  // protection; without, the inventory's cells (for its proof), without their labels.
  // Its cells' classes are counted (candidate_family::size), so the space holds the class of each row only.
  // The class sizes are the basis's, which must outlive the family.
  report_declarer(const report_request& q, const survey_report& r, const report_elements& el, candidate_family& family,
                  report_basis& basis, bool candidates = true)
      : report_declarer(q, r, el, family.domains, no_refs_, candidates, &family, &basis) {}

  // The class sizes of each domain (after declare()), held by the basis.
  [[nodiscard]] std::vector<const std::vector<std::uint32_t>*> sizes() const { return counts_; }

  void declare() {
    // Room for every cell at once: a report of 20,000 units and a cut has over a million, and growing the vector
    // would move them all several times.
    const auto& a = r_.summary;
    std::size_t per_construct = 2 + a.groups.size();
    if (r_.units) {
      per_construct += r_.units->units.size() + (r_.units->cut ? r_.units->cut->rows.size() : 0);
    }
    const std::size_t expected = a.constructs.size() * per_construct + a.service_levels.size() + 1 +
                                 r_.drivers.size() * (1 + a.constructs.size());
    if (family_ != nullptr) {
      if (candidates_) {
        family_->cells.reserve(family_->cells.size() + expected);
      }
    } else {
      out_.cells.reserve(out_.cells.size() + expected);
      refs_.reserve(refs_.size() + expected);
    }
    declare_overall();
    declare_groups();
    declare_units();
    declare_drivers();
    declare_trend();
    declare_internal();
  }

 private:
  // The kind of cells published in `section` with `figures` (text of static storage: looked up by address).
  std::uint32_t kind(std::string_view section, std::string_view figures) {
    for (const auto& [s, f, id] : kinds_) {
      if (s == section.data() && f == figures.data()) {
        return id;
      }
    }
    const std::uint32_t id = out_.kind(section, figures);
    kinds_.emplace_back(section.data(), figures.data(), id);
    return id;
  }

  void add(std::size_t domain, std::string_view section, std::string label, std::string_view figures,
           std::vector<std::uint32_t> members, int keep, report_cell_ref ref) {
    if (members.empty()) {
      return;
    }
    if (family_ != nullptr) {
      throw error("report: a cell of elements among candidates given by classes (an internal error)");
    }
    release_cell c;
    c.domain = domain;
    c.kind = kind(section, figures);
    c.label = std::move(label);
    c.members = std::move(members);
    c.keep = keep;
    c.ref = refs_.size();
    refs_.push_back(ref);
    out_.cells.push_back(std::move(c));
  }

  // A cell of the current wave's respondents given by classes: those of its classes' rows that the domain covers.
  // The label is only written into the inventory (the candidates of the protection need none); it is made by
  // `label()` then.
  // Returns false when the cell holds nobody (and is left out).
  template <class Label>
  bool add_classes(std::size_t domain, std::string_view section, Label&& label, std::string_view figures,
                   class_list classes, int keep, report_cell_ref ref, suppression status = suppression::none) {
    const auto& count = covered_counts(domain);
    std::uint64_t n = 0;
    for (const auto cl : classes) {
      n += count[cl];
    }
    if (n == 0) {
      return false;
    }
    if (family_ != nullptr) {
      if (candidates_) {
        family_->cells.emplace_back(std::move(classes), ref, domain, keep, status);
        return true;
      }
      if (status != suppression::none) {
        throw error("report: a hidden cell in the inventory's proof (an internal error)");
      }
      if (domain >= family_->shown.size()) {
        family_->shown.resize(domain + 1);
      }
      family_->shown[domain].push_back(std::move(classes));
      return true;
    }
    release_cell c;
    c.domain = domain;
    c.kind = kind(section, figures);
    if (labels_) {
      c.label = label();
    }
    c.classes = std::move(classes);
    c.keep = keep;
    c.status = status;
    c.ref = refs_.size();
    refs_.push_back(ref);
    out_.cells.push_back(std::move(c));
    return true;
  }

  // Classes of the current wave's rows: rows with the same group level, unit and cut level lie in the same cells of
  // every section (whether a domain covers a row is the domain's own `covers`).
  void build_classes() {
    const auto& m = *q_.current.matrix;
    const auto& a = r_.summary;
    const group_column* gc = a.group_by.empty() ? nullptr : m.group(a.group_by);
    if (!basis_.built) {
      build_basis(gc);
    }
    if (family_ == nullptr) {
      auto& class_of = out_.spaces[respondents_].class_of;
      class_of = basis_.class_of;
      class_of.resize(elements_, no_class);
    }
    std::vector<std::uint32_t> all(basis_.class_key.size());
    std::iota(all.begin(), all.end(), 0U);
    all_classes_ = std::move(all);
    if (gc != nullptr) {
      // Each group's level of the column.
      std::unordered_map<std::string_view, std::uint32_t> code_of;
      for (std::size_t i = 0; i < gc->levels.size(); ++i) {
        code_of.emplace(gc->levels[i], static_cast<std::uint32_t>(i));
      }
      for (const auto& g : a.groups) {
        const auto it = code_of.find(g.id);
        group_code_.push_back(it == code_of.end() ? no_class : it->second);
      }
    }
  }

  // The basis: the rows' classes, numbered in the order of their first row, each unit's classes, and the rows of
  // every construct's and item's domain (the declarations ask for them one at a time; here they are worked out
  // side by side).
  void build_basis(const group_column* gc) {
    const auto& m = *q_.current.matrix;
    const group_column* cc = r_.units && r_.units->cut ? m.group(r_.units->cut->column) : nullptr;
    const unit_assignment* ua = r_.units ? q_.current.units : nullptr;
    hash_slots index;
    if (m.rows() >= no_class) {
      throw error("report: " + std::to_string(m.rows()) + " rows are more than one report can hold");
    }
    auto& class_key = basis_.class_key;
    auto& class_of = basis_.class_of;
    class_of.assign(m.rows(), no_class);
    for (std::size_t row = 0; row < m.rows(); ++row) {
      const std::array<std::uint32_t, 3> key{gc != nullptr ? gc->codes[row] : 0U, ua != nullptr ? ua->unit_of[row] : 0U,
                                             cc != nullptr ? cc->codes[row] : 0U};
      const auto next = static_cast<std::uint32_t>(class_key.size());
      const std::uint32_t cl = index.find_or_insert(
          hash_pair(hash_pair(key[0], key[1]), key[2]),
          [&](std::uint32_t other) {
            const auto& k = class_key[other];
            return k[0] == key[0] && k[1] == key[1] && k[2] == key[2];
          },
          next);
      if (cl == next) {
        class_key.push_back(key);
      }
      class_of[row] = cl;
    }
    if (ua != nullptr) {
      std::vector<std::uint32_t> unit_of_class;
      unit_of_class.reserve(class_key.size());
      for (const auto& key : class_key) {
        unit_of_class.push_back(key[1]);
      }
      auto subtree = subtree_classes(*q_.current.tree, unit_of_class);
      basis_.subtree.reserve(subtree.size());
      for (auto& list : subtree) {
        basis_.subtree.emplace_back(std::move(list));
      }
    }
    // Every construct's domain (the first nc) and every item's a figure may be over.
    const std::size_t nc = r_.summary.constructs.size();
    std::vector<std::string_view> items;
    if (!q_.instrument->nps_item.empty()) {
      items.push_back(q_.instrument->nps_item);
    }
    for (const auto& sl : r_.summary.service_levels) {
      items.push_back(sl.item);
    }
    std::vector<report_basis::domain_rows> rows(nc + items.size());
    parallel_for(rows.size(), r_.threads,
                 [&](std::size_t i) { rows[i] = basis_.covering(i < nc ? scored(i) : answered(m, items[i - nc])); });
    for (std::size_t i = 0; i < rows.size(); ++i) {
      basis_.domains.try_emplace(i < nc ? construct_domain_name(i) : item_domain_name(items[i - nc]),
                                 std::move(rows[i]));
    }
    basis_.built = true;
  }

  // Per class, the rows the domain covers (a response matrix holds fewer than 2^32 rows: build_basis).
  const std::vector<std::uint32_t>& covered_counts(std::size_t domain) const {
    if (domain >= counts_.size() || counts_[domain] == nullptr) {
      throw error("report: a cell given by classes in a domain of no rows (an internal error)");
    }
    return *counts_[domain];
  }

  // The domain of a variable family over the respondents, covering the current wave's rows for which `covers` says
  // so (the basis's rows of the domain, which `covers` works out if the basis has none yet).
  template <class Covers>
  std::size_t covered_domain(const std::string& name, Covers&& covers) {
    const auto [it, fresh] = domain_of_name_.try_emplace(name, 0);
    if (fresh) {
      it->second = out_.domain(name, respondents_);
      auto [b, made] = basis_.domains.try_emplace(name);
      if (made) {
        b->second = basis_.covering(covers());
      }
      if (counts_.size() <= it->second) {
        counts_.resize(it->second + 1, nullptr);
      }
      counts_[it->second] = &b->second.count;
      auto& dom = out_.domains[it->second];
      if (family_ == nullptr && dom.covers.empty()) { // a family's cells are counted: no covers needed
        dom.covers = b->second.covers;
        dom.covers.resize(elements_, false); // earlier-wave elements: member cells only
      }
    }
    return it->second;
  }

  std::string construct_domain_name(std::size_t c) const { return "construct:" + r_.summary.constructs[c].summary.key; }
  static std::string item_domain_name(std::string_view item) { return "item:" + std::string(item); }

  std::size_t construct_domain(std::size_t c) {
    return covered_domain(construct_domain_name(c), [&] { return scored(c); });
  }

  std::size_t item_domain(std::string_view item) {
    return covered_domain(item_domain_name(item), [&] { return answered(*q_.current.matrix, item); });
  }

  // The classes of unit `u`'s subtree, optionally at one cut level only.
  // A unit's own list is shared by its cells on every construct.
  class_list unit_classes(std::size_t u, std::optional<std::uint32_t> level = std::nullopt) const {
    if (!level) {
      return basis_.subtree[u];
    }
    std::vector<std::uint32_t> out;
    for (const auto cl : basis_.subtree[u]) {
      if (basis_.class_key[cl][2] == *level) {
        out.push_back(cl);
      }
    }
    return out;
  }

  void declare_overall() {
    const auto& a = r_.summary;
    const auto& m = *q_.current.matrix;
    for (std::size_t c = 0; c < a.constructs.size(); ++c) {
      const auto& ca = a.constructs[c];
      if (ca.status != suppression::none || !ca.summary.mean) {
        continue;
      }
      const std::string label = "all respondents, construct '" + ca.summary.key + "'";
      add_classes(construct_domain(c), "constructs", [&] { return label; },
                  "n, mean, SD, index, favourable/neutral/unfavourable shares, reliability", all_classes_, 1000,
                  {report_cell_kind::construct, c, 0});
      if (!candidates_ && ca.agreement && (ca.agreement->icc.icc1 || ca.agreement->rwg_j.groups > 0)) {
        // Nonlinear, over the rows of the shown groups: their union, a sum of shown group cells.
        const auto* gc = m.group(a.group_by);
        class_list classes;
        if (gc != nullptr) {
          const auto shown = shown_group_codes(*gc, c);
          if (std::find(shown.begin(), shown.end(), 0) == shown.end()) {
            classes = all_classes_; // every group shown: every class (the list shared)
          } else {
            std::vector<std::uint32_t> list;
            for (std::uint32_t cl = 0; cl < basis_.class_key.size(); ++cl) {
              if (shown[basis_.class_key[cl][0]] != 0) {
                list.push_back(cl);
              }
            }
            classes = std::move(list);
          }
        }
        add_classes(construct_domain(c), "constructs",
                    [&] { return "shown groups together, construct '" + ca.summary.key + "'"; },
                    "ICC(1), ICC(2), rwg(j) mean and median", std::move(classes), 1000,
                    {report_cell_kind::agreement, c, 0});
      }
    }
    const auto& inst = *q_.instrument;
    if (a.enps && a.enps_status == suppression::none && a.enps->score) {
      add_classes(item_domain(inst.nps_item), "enps", [&] { return std::string("all respondents, eNPS"); },
                  "n, eNPS, promoters, passives, detractors, SE", all_classes_, 1000, {report_cell_kind::enps, 0, 0});
    }
    for (std::size_t i = 0; i < a.service_levels.size(); ++i) {
      if (a.service_level_status[i] != suppression::none) {
        continue;
      }
      add_classes(item_domain(a.service_levels[i].item), "six_level",
                  [&] { return "all respondents, item '" + a.service_levels[i].item + "'"; },
                  "n, answers per level, median level", all_classes_, 1000, {report_cell_kind::six_level, i, 0});
    }
  }

  // Per level of the group column: 1 when its group shows construct c.
  std::vector<unsigned char> shown_group_codes(const group_column& gc, std::size_t c) const {
    std::vector<unsigned char> shown(gc.levels.size(), 0);
    for (std::size_t g = 0; g < r_.summary.groups.size(); ++g) {
      const auto& grp = r_.summary.groups[g];
      if (group_code_[g] != no_class) {
        shown[group_code_[g]] = grp.suppressed == suppression::none && grp.constructs.at(c).status == suppression::none;
      }
    }
    return shown;
  }

  void declare_groups() {
    const auto& a = r_.summary;
    if (a.group_by.empty()) {
      return;
    }
    const auto& m = *q_.current.matrix;
    const auto* gc = m.group(a.group_by);
    if (gc == nullptr) {
      throw error("report: no metadata column '" + a.group_by + "' to group by");
    }
    // The classes of each level of the column, one list a level shared by its cells on every construct.
    std::vector<class_list> classes_of_code(gc->levels.size());
    {
      std::vector<std::vector<std::uint32_t>> lists(gc->levels.size());
      for (std::uint32_t cl = 0; cl < basis_.class_key.size(); ++cl) {
        lists[basis_.class_key[cl][0]].push_back(cl);
      }
      for (std::size_t l = 0; l < lists.size(); ++l) {
        classes_of_code[l] = std::move(lists[l]);
      }
    }
    for (std::size_t c = 0; c < a.constructs.size(); ++c) {
      for (std::size_t g = 0; g < a.groups.size(); ++g) {
        const auto& grp = a.groups[g];
        if (group_code_[g] == no_class) {
          continue;
        }
        const auto& group_classes = classes_of_code[group_code_[g]];
        const suppression status = grp.suppressed != suppression::none ? grp.suppressed : grp.constructs[c].status;
        if (status == suppression::secondary && candidates_) {
          // Hidden by the groups' own differencing rule: the joint protection shows it again when the rest of the
          // report determines it anyway (the same people's figures shown in the units section, say).
          add_classes(
              construct_domain(c), "groups", [] { return std::string(); }, "", group_classes, 100,
              {report_cell_kind::group_hidden, g, c}, suppression::secondary);
          continue;
        }
        if (status != suppression::none) {
          continue;
        }
        add_classes(construct_domain(c), "groups",
                    [&] { return "group '" + grp.id + "', construct '" + a.constructs[c].summary.key + "'"; },
                    "n, mean, favourable share, rwg(j)", group_classes, 100, {report_cell_kind::group, g, c});
      }
    }
  }

  void declare_units() {
    if (!r_.units) {
      return;
    }
    const auto& ro = *r_.units;
    const auto& tree = *q_.current.tree;
    const auto& m = *q_.current.matrix;
    const group_column* cut = ro.cut ? m.group(ro.cut->column) : nullptr;
    std::unordered_map<std::string_view, std::uint32_t> level_code;
    if (cut != nullptr) {
      for (std::size_t i = 0; i < cut->levels.size(); ++i) {
        level_code.emplace(cut->levels[i], static_cast<std::uint32_t>(i));
      }
    }
    std::vector<std::size_t> unit_index(ro.units.size());
    for (std::size_t u = 0; u < ro.units.size(); ++u) {
      const auto idx = tree.find(ro.units[u].id);
      if (!idx) {
        throw error("report: unit '" + ro.units[u].id + "' is not in the tree");
      }
      unit_index[u] = *idx;
    }
    // Each cut cell's classes, worked out once for every construct.
    std::vector<std::size_t> cut_unit;
    std::vector<class_list> cut_classes;
    if (cut != nullptr) {
      cut_unit.reserve(ro.cut->rows.size());
      cut_classes.reserve(ro.cut->rows.size());
      for (const auto& row : ro.cut->rows) {
        const auto idx = tree.find(row.unit);
        const auto lc = level_code.find(row.level);
        if (!idx || lc == level_code.end()) {
          throw error("report: cut cell of unit '" + row.unit + "' at level '" + row.level + "' is not in the data");
        }
        cut_unit.push_back(*idx);
        cut_classes.push_back(unit_classes(*idx, lc->second));
      }
    }
    // Which cut cells publish figures, read row by row (a row's cells lie together) into one table, so that the
    // construct-by-construct walk below does not fetch every row's cells once per construct.
    const std::size_t nc = ro.constructs.size();
    std::vector<unsigned char> cut_published(cut != nullptr ? ro.cut->rows.size() * nc : 0, 0);
    if (cut != nullptr) {
      for (std::size_t i = 0; i < ro.cut->rows.size(); ++i) {
        const auto& cells = ro.cut->rows[i].constructs;
        for (std::size_t c = 0; c < nc && c < cells.size(); ++c) {
          cut_published[i * nc + c] = cells[c].shown() && cells[c].mean ? 1 : 0;
        }
      }
    }
    for (std::size_t c = 0; c < nc; ++c) {
      const std::string key = ro.constructs[c].key;
      const std::size_t domain = construct_domain(c);
      for (std::size_t u = 0; u < ro.units.size(); ++u) {
        const auto& ur = ro.units[u];
        if (!ur.constructs[c].shown() || !ur.constructs[c].mean) {
          continue;
        }
        add_classes(domain, "units", [&] { return quoted_unit(ur.id) + ", construct '" + key + "'"; },
                    "n, mean, SD, favourable share, rwg(j)", unit_classes(unit_index[u]),
                    500 - static_cast<int>(ur.depth), {report_cell_kind::unit, u, c});
      }
      if (cut == nullptr) {
        continue;
      }
      for (std::size_t i = 0; i < ro.cut->rows.size(); ++i) {
        if (cut_published[i * nc + c] == 0) {
          continue;
        }
        const auto& row = ro.cut->rows[i];
        add_classes(domain, "cuts",
                    [&] {
                      return quoted_unit(row.unit) + " x " + ro.cut->column + " '" + row.level + "', construct '" +
                             key + "'";
                    },
                    "n, mean, SD, favourable share, rwg(j)", cut_classes[i],
                    300 - static_cast<int>(tree[cut_unit[i]].depth), {report_cell_kind::cut, i, c});
      }
    }
  }

  void declare_drivers() {
    if (r_.drivers.empty() || !r_.units) {
      return;
    }
    const auto& inst = *q_.instrument;
    const auto& tree = *q_.current.tree;
    // The outcome's rows: an NPS answer, or a score on the outcome construct.
    const std::string outcome = q_.options.drivers ? q_.options.drivers->outcome : std::string();
    const auto outcome_construct = outcome.empty() ? std::nullopt : inst.construct_index(outcome);
    const bool construct_outcome = outcome_construct.has_value();
    std::size_t outcome_domain = 0;
    bool any_outcome = true;
    if (construct_outcome) {
      outcome_domain = construct_domain(outcome_construct.value());
    } else {
      // An outcome that is no construct has no rows unless it is the NPS item (the default).
      any_outcome = outcome.empty();
      outcome_domain = item_domain(inst.nps_item);
    }
    for (std::size_t i = 0; i < r_.drivers.size(); ++i) {
      const auto& d = r_.drivers[i];
      if (!d.analysis.r_squared) {
        continue; // counts only
      }
      const auto idx = tree.find(d.unit);
      if (!idx) {
        throw error("report: driver unit '" + d.unit + "' is not in the tree");
      }
      // The outcome over the unit's people who answered it: the rows the correlations are drawn from.
      if (any_outcome && (!construct_outcome || !candidates_)) {
        add_classes(outcome_domain, "drivers",
                    [&] { return quoted_unit(d.unit) + ", outcome '" + d.analysis.outcome + "'"; },
                    "r, weight and share of every driver, R^2 (outcome side)", unit_classes(*idx), 50,
                    {report_cell_kind::driver_outcome, i, 0});
      }
      if (candidates_) {
        continue; // the predictor side is the unit's own cells, published in the units section
      }
      for (std::size_t p = 0; p < d.analysis.drivers.size(); ++p) {
        if (const auto c = inst.construct_index(d.analysis.drivers[p].key)) {
          add_classes(construct_domain(*c), "drivers",
                      [&] { return quoted_unit(d.unit) + ", driver '" + d.analysis.drivers[p].key + "'"; },
                      "r, weight, share, performance (the unit's published mean)", unit_classes(*idx), 50,
                      {report_cell_kind::driver_predictor, i, p});
        }
      }
    }
  }

  void declare_trend() {
    if (!r_.trend || !q_.previous || !r_.units) {
      return;
    }
    const auto& t = *r_.trend;
    const auto& pw = *q_.previous;
    const auto& ptree = *pw.tree;
    for (std::size_t c = 0; c < t.constructs.size(); ++c) {
      // Both waves are scored on the same instrument, so the construct has one index in both.
      const auto cur = q_.instrument->construct_index(t.constructs[c].key);
      if (!cur) {
        continue;
      }
      const auto prev_members = subtree_members(ptree, *pw.units, scored_rows(*pw.scores, *cur));
      for (std::size_t u = 0; u < t.units.size(); ++u) {
        const auto& ch = t.units[u].constructs[c];
        if (!ch.before) {
          continue;
        }
        const auto idx = ptree.find(t.units[u].unit);
        if (!idx) {
          continue;
        }
        std::vector<std::uint32_t> elements;
        for (const auto p : prev_members[*idx]) {
          elements.push_back(el_.previous_element[p]);
        }
        std::sort(elements.begin(), elements.end());
        add(construct_domain(*cur), "trend",
            quoted_unit(t.units[u].unit) + " in the earlier wave, construct '" + t.constructs[c].key + "'",
            "earlier mean, n; change, Welch t, df, p, Cohen's d", std::move(elements), 10,
            {report_cell_kind::trend_before, u, c});
      }
    }
  }

  void declare_internal() {
    if (!r_.internal_service || !q_.ratings) {
      return;
    }
    const auto& is = *r_.internal_service;
    const auto& layout_cells = el_.rating_cells;
    const std::size_t sp = out_.space("ratings");
    out_.spaces[sp] = el_.ratings;
    const std::size_t domain = out_.domain("internal_service", sp);
    const std::size_t n = is.units.size();
    for (std::size_t c = 0; c < layout_cells.size(); ++c) {
      const auto& cell = internal_cell_at(is, c);
      if (cell.status != suppression::none || !cell.mean) {
        continue;
      }
      const int keep = c < n * n ? 210 : c < n * n + 2 * n ? 220 : 230;
      add(domain, "internal_service", layout_cells[c].label, "ratings, persons, mean, median, distribution",
          layout_cells[c].members, keep, {report_cell_kind::internal, c, 0});
    }
  }

  std::vector<bool> scored(std::size_t c) const { return scored_rows(*q_.current.scores, c); }

  const report_request& q_;
  const survey_report& r_;
  const report_elements& el_;
  release& out_;
  std::vector<report_cell_ref>& refs_;
  std::vector<report_cell_ref> no_refs_; // refs_ of a declarer into a candidate_family (unused)
  candidate_family* family_ = nullptr;
  bool candidates_;
  bool labels_;
  std::size_t respondents_ = 0;
  report_basis own_basis_; // the basis when none is given
  report_basis& basis_;
  std::size_t elements_ = 0;                              // of the respondents' space
  class_list all_classes_;                                // 0, 1, ..., classes - 1
  std::vector<const std::vector<std::uint32_t>*> counts_; // per domain: covered rows per class (the basis's)
  std::vector<std::uint32_t> group_code_;                 // per group: its level of the column (no_class: none)
  std::unordered_map<std::string, std::size_t> domain_of_name_;
  std::vector<std::tuple<const char*, const char*, std::uint32_t>> kinds_; // kind(): by the texts' addresses
};

// Cells given by classes (`lists`: n of them, list(i) the i-th) of domain `d` of a candidate_family as the
// disclosure analysis takes them, counted as view_of_domain counts them: the covered rows of each class a cell names
// (one class at least).
template <class List>
class_input family_classes(const candidate_family& f, std::size_t d, std::size_t n, List&& list) {
  class_input in;
  in.cells.reserve(n);
  std::uint32_t classes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const class_list& cl = list(i);
    for (std::size_t j = 0; j < cl.size(); ++j) {
      if (j > 0 && cl[j] <= cl[j - 1]) {
        throw error("report: a candidate cell's classes are not sorted and unique (an internal error)");
      }
      classes = std::max(classes, cl[j] + 1);
    }
    in.cells.emplace_back(cl.data(), cl.size());
  }
  in.size.assign(std::max<std::uint32_t>(classes, 1), 0);
  if (f.size.at(d) == nullptr) {
    throw error("report: a domain of candidates without class sizes (an internal error)");
  }
  const auto& size = *f.size[d];
  std::copy_n(size.begin(), std::min<std::size_t>(classes, size.size()), in.size.begin());
  in.labels.assign(n, std::string_view());
  return in;
}

// protect_release_cells over a candidate_family (reconsidering the hidden): the same views of each domain, so the
// same decisions, without a release_cell per candidate.
ETHOS_DECL bool protect_candidates(candidate_family& f, std::size_t min_group_size, std::uint64_t search_budget,
                                   std::size_t threads) {
  const std::size_t nd = f.domains.domains.size();
  const auto by_domain = bucket_by(nd, f.cells.size(), [&](std::size_t i) { return f.cells[i].domain; });
  std::vector<unsigned char> domain_proven(nd, 1);
  parallel_for(nd, threads, [&](std::size_t d) {
    const auto cells = by_domain[d];
    if (cells.empty()) {
      return;
    }
    const class_input in = family_classes(
        f, d, cells.size(), [&](std::size_t i) -> const class_list& { return f.cells[cells[i]].classes; });
    std::vector<suppression> st;
    std::vector<int> keep;
    const std::vector<unsigned char> fixed(cells.size(), 0);
    for (const auto i : cells) {
      st.push_back(f.cells[i].status == suppression::secondary ? suppression::secondary : suppression::none);
      keep.push_back(f.cells[i].keep);
    }
    disclosure_options opt;
    opt.min_group_size = min_group_size;
    opt.search_budget = search_budget;
    domain_proven[d] =
        in_domain(f.domains.domains[d].name, [&] { return protect_classes(in, st, keep, fixed, opt); }) ? 1 : 0;
    for (std::size_t j = 0; j < cells.size(); ++j) {
      f.cells[cells[j]].status = st[j];
    }
  });
  return std::find(domain_proven.begin(), domain_proven.end(), 0) == domain_proven.end();
}

// audit_release_cells over the inventory's cells declared into a candidate_family (candidate_family::shown): the
// same view of each domain, so the same result; a finding's cells are positions in the domain's list.
ETHOS_DECL release_audit_result audit_candidates(const candidate_family& f, std::size_t min_group_size,
                                                 std::uint64_t search_budget, std::size_t threads) {
  const std::size_t nd = std::min(f.domains.domains.size(), f.shown.size());
  std::vector<std::optional<disclosure_audit_result>> audits(nd);
  parallel_for(nd, threads, [&](std::size_t d) {
    const auto& cells = f.shown[d];
    if (cells.empty()) {
      return;
    }
    disclosure_options opt;
    opt.min_group_size = min_group_size;
    opt.search_budget = search_budget;
    audits[d] = audit_classes(
        family_classes(f, d, cells.size(), [&](std::size_t i) -> const class_list& { return cells[i]; }), opt);
  });
  release_audit_result out;
  for (std::size_t d = 0; d < nd; ++d) {
    if (audits[d]) {
      add_domain_audit(out, f.domains.domains[d].name, *audits[d], {});
    }
  }
  return out;
}

ETHOS_DECL void withhold_drivers(unit_drivers& d, const std::string& why) {
  auto& a = d.analysis;
  a.r_squared.reset();
  a.importance_centre.reset();
  a.performance_centre.reset();
  for (auto& e : a.drivers) {
    e.r.reset();
    e.weight.reset();
    e.share.reset();
    e.performance.reset();
    e.quadrant.reset();
  }
  a.reason = why;
  a.code = reason_code::withheld;
}

ETHOS_DECL void withhold_change(construct_change& ch, const std::string& why) {
  ch.before.reset();
  ch.change.reset();
  ch.welch = welch_result{};
  ch.d = effect_size_result{};
  ch.significant.reset();
  ch.reason = why;
  ch.code = reason_code::withheld;
  ch.welch.reason = why;
  ch.welch.code = reason_code::withheld;
  ch.d.reason = why;
  ch.d.code = reason_code::withheld;
}

ETHOS_DECL void withhold_unit_cell(unit_cell& c) {
  c.status = suppression::secondary;
  c.mean.reset();
  c.sd.reset();
  c.favorable.reset();
  c.rwg_j.reset();
  c.rwg_j_code = reason_code::none;
}

ETHOS_DECL std::vector<unit_drivers> driver_section(const report_request& q, const survey_report& r) {
  if (!q.options.drivers || !r.units) {
    return {};
  }
  unit_driver_options opt = *q.options.drivers;
  opt.threads = q.options.threads;
  return drivers_by_unit(*q.instrument, *q.current.matrix, *q.current.scores, *q.current.tree, *q.current.units,
                         *r.units, opt);
}

ETHOS_DECL void check_wave(const survey_wave& w, const char* which) {
  if (w.matrix == nullptr || w.scores == nullptr) {
    throw error(std::string("report: the ") + which + " wave needs its responses and scores");
  }
  if ((w.tree == nullptr) != (w.units == nullptr)) {
    throw error(std::string("report: the ") + which + " wave's units need both the tree and the assignment");
  }
}

// The inventory over elements already worked out (see declare_report).
ETHOS_DECL release declare_inventory(const survey_report& r, const report_request& q, const report_elements& el,
                                     report_basis* basis = nullptr) {
  release out;
  std::vector<report_cell_ref> refs;
  report_declarer(q, r, el, out, refs, false, nullptr, basis).declare();
  if (q.ledger != nullptr) {
    q.ledger->add_to(out);
  }
  return out;
}

// build_report, first phase: checks the request and computes each section under k as on its own; `aopt` and `iopt`
// receive the options the assessment and the internal-service matrix were computed with, `cache` what the
// assessment read from the rows.
ETHOS_DECL survey_report report_sections_of(const report_request& q, assessment_options& aopt,
                                            internal_service_options& iopt, assess_cache& cache) {
  if (q.instrument == nullptr) {
    throw error("report: no instrument");
  }
  detail::check_wave(q.current, "current");
  if (q.previous) {
    detail::check_wave(*q.previous, "earlier");
  }
  const auto& o = q.options;
  detail::check_min_group_size(o.min_group_size, "report");
  survey_report r{report_key{}};
  const std::size_t k = o.min_group_size;
  const std::size_t earlier_k = q.ledger != nullptr ? q.ledger->smallest_min_group_size() : 0;
  const std::size_t union_k = earlier_k == 0 ? k : std::min(k, earlier_k);
  r.min_group_size = k;
  r.union_min_group_size = union_k;
  r.threads = o.threads;
  r.earlier_releases = q.ledger != nullptr ? q.ledger->releases().size() : 0;
  const auto& inst = *q.instrument;
  const auto& m = *q.current.matrix;
  const auto& scores = *q.current.scores;
  const bool units = q.current.tree != nullptr;

  aopt = o.assessment;
  aopt.group_by = o.group_by;
  aopt.min_group_size = k;
  aopt.threads = o.threads;
  r.summary = assess_cached(inst, m, scores, aopt, cache);
  if (units) {
    r.units = roll_up(inst, m, scores, *q.current.tree, *q.current.units, {k, o.cut, o.threads});
  } else if (!o.cut.empty() || o.drivers || q.previous) {
    throw error("report: a cut, drivers and a trend need units");
  }
  r.drivers = detail::driver_section(q, r);
  if (q.previous) {
    if (q.previous->tree == nullptr) {
      throw error("report: the earlier wave needs units to compare with");
    }
    const auto before =
        roll_up(inst, *q.previous->matrix, *q.previous->scores, *q.previous->tree, *q.previous->units, {k, ""});
    trend_options topt = o.trend;
    topt.min_group_size = k;
    r.trend = compare_rollups(before, *r.units, topt);
  }
  iopt = o.internal_service;
  iopt.min_group_size = k;
  if (q.ratings) {
    r.internal_service = analyse_internal_service(*q.ratings, iopt);
  }
  return r;
}

// build_report, joint protection: applies to the sections a figure the protection hid (`ref`): withholds it, or
// collects the group to hide in `aopt.hide` or the internal-service cell in `internal_hidden`.
ETHOS_DECL void report_withhold_cell(survey_report& r, const report_cell_ref& ref, const std::string& why,
                                     assessment_options& aopt, std::vector<std::size_t>& internal_hidden) {
  switch (ref.kind) {
  case detail::report_cell_kind::construct: {
    auto& ca = r.summary.constructs[ref.a];
    detail::withhold_construct(ca, suppression::secondary, why);
    // Its warnings (a low alpha, say) would describe what is now withheld.
    const std::string prefix = "'" + ca.summary.label + "':";
    std::erase_if(r.summary.warnings, [&](const warning& w) { return w.message.starts_with(prefix); });
    break;
  }
  case detail::report_cell_kind::enps: {
    const std::size_t n = r.summary.enps->n;
    r.summary.enps = enps_result{};
    r.summary.enps->n = n;
    r.summary.enps->reason = why;
    r.summary.enps->code = reason_code::withheld;
    r.summary.enps_status = suppression::secondary;
    break;
  }
  case detail::report_cell_kind::six_level:
    r.summary.service_levels[ref.a].distribution.counts.fill(0);
    r.summary.service_level_status[ref.a] = suppression::secondary;
    break;
  case detail::report_cell_kind::group:
    aopt.hide.emplace_back(r.summary.constructs[ref.b].summary.key, r.summary.groups[ref.a].id);
    break;
  case detail::report_cell_kind::unit:
    detail::withhold_unit_cell(r.units->units[ref.a].constructs[ref.b]);
    break;
  case detail::report_cell_kind::cut:
    detail::withhold_unit_cell(r.units->cut->rows[ref.a].constructs[ref.b]);
    break;
  case detail::report_cell_kind::driver_outcome:
    detail::withhold_drivers(r.drivers[ref.a], why);
    break;
  case detail::report_cell_kind::trend_before:
    detail::withhold_change(r.trend->units[ref.a].constructs[ref.b], why);
    break;
  case detail::report_cell_kind::internal:
    internal_hidden.push_back(ref.a);
    break;
  default:
    break;
  }
}

// build_report, joint protection: a unit hidden now takes its driver analysis and its trend cells with it.
ETHOS_DECL void report_withhold_dependents(survey_report& r, const instrument_view& inst, const std::string& why) {
  if (r.units) {
    for (auto& d : r.drivers) {
      const auto it = std::find_if(r.units->units.begin(), r.units->units.end(),
                                   [&](const unit_result& u) { return u.id == d.unit; });
      if (it != r.units->units.end() && d.analysis.r_squared &&
          std::any_of(it->constructs.begin(), it->constructs.end(), [](const unit_cell& c) { return !c.shown(); })) {
        detail::withhold_drivers(d, why);
      }
    }
    if (r.trend) {
      for (auto& tu : r.trend->units) {
        const auto it = std::find_if(r.units->units.begin(), r.units->units.end(),
                                     [&](const unit_result& u) { return u.id == tu.unit; });
        if (it == r.units->units.end()) {
          continue;
        }
        for (std::size_t c = 0; c < r.trend->constructs.size(); ++c) {
          const auto uc = inst.construct_index(r.trend->constructs[c].key);
          if (uc && !it->constructs[*uc].shown() && tu.constructs[c].after) {
            tu.constructs[c].after.reset();
            detail::withhold_change(tu.constructs[c], why);
          }
        }
      }
    }
  }
}

// The report's cells given by classes (given_by_classes) as a candidate_family: with `candidates`, the joint
// protection's; without, the inventory's (candidate_family::shown), for the proof.
// Its class sizes are `basis`'s.
ETHOS_DECL candidate_family declare_family(const report_request& q, const survey_report& r, const report_elements& el,
                                           report_basis& basis, bool candidates) {
  candidate_family family;
  report_declarer declarer(q, r, el, family, basis, candidates);
  declarer.declare();
  family.size = declarer.sizes();
  return family;
}

// Whether every cell of the report is a set of classes of the current wave's respondents, each a person of their
// own: no ledger, earlier wave or ratings. The protection and the proof then work on candidate_family.
ETHOS_DECL bool given_by_classes(const report_request& q, const report_elements& el) {
  // Unkeyed elements are rows, each a person of its own.
  return q.ledger == nullptr && !q.previous && !q.ratings && (!el.keyed || persons_distinct(el.respondents));
}

// build_report, joint protection: every section's cells (and the ledger's) together, domain by domain; what is
// hidden is withheld from the sections, with a warning.
ETHOS_DECL void report_protect(survey_report& r, const report_request& q, const report_request& qk,
                               const report_elements& el, report_basis& basis, assessment_options& aopt,
                               const internal_service_options& iopt, assess_cache& cache) {
  const auto& o = q.options;
  const std::size_t k = r.min_group_size;
  const std::size_t union_k = r.union_min_group_size;
  const auto& inst = *q.instrument;
  const auto& m = *q.current.matrix;
  const auto& scores = *q.current.scores;
  const std::string why = hidden_reason(suppression::secondary, k);
  std::vector<std::size_t> internal_hidden;
  std::size_t withheld = 0;
  bool proven = true;
  // A group cell the groups' own rule hid that the rest of the report determines anyway is shown, so that the same
  // people are never hidden in one section and shown in another.
  const auto show_again = [&](const report_cell_ref& ref, suppression status) {
    if (ref.kind == report_cell_kind::group_hidden && status == suppression::none) {
      aopt.show.emplace_back(r.summary.constructs[ref.b].summary.key, r.summary.groups[ref.a].id);
    }
  };
  const auto withhold = [&](const report_cell_ref& ref, suppression status) {
    if (status != suppression::none && ref.kind != report_cell_kind::group_hidden) {
      ++withheld;
      report_withhold_cell(r, ref, why, aopt, internal_hidden);
    }
  };
  if (given_by_classes(q, el)) {
    // Every candidate is given by classes of the respondents: protected as protect_release_cells would, without a
    // release cell for each.
    candidate_family family = declare_family(qk, r, el, basis, true);
    proven = protect_candidates(family, k, o.search_budget, o.threads);
    for (const auto& c : family.cells) {
      show_again(c.ref(), c.status);
      withhold(c.ref(), c.status);
    }
  } else {
    release rel;
    std::vector<report_cell_ref> refs;
    detail::report_declarer(qk, r, el, rel, refs, true, nullptr, &basis).declare();
    // The report on its own at its own k; then, with a ledger, together with everything released before at the
    // smallest k this audience was ever promised (the earlier cells are fixed: they cannot be taken back).
    proven = protect_release_cells(rel, k, o.search_budget, true, o.threads);
    for (const auto& cell : rel.cells) {
      if (!cell.fixed) {
        show_again(refs[cell.ref], cell.status);
      }
    }
    if (q.ledger != nullptr) {
      q.ledger->add_to(rel);
      try {
        proven = protect_release(rel, union_k, o.search_budget) && proven;
      } catch (const error& e) {
        throw error(
            std::string("the ledger's earlier releases already expose fewer than ") + std::to_string(union_k) +
            " people together, so no report can be made safe against them (was the ledger edited?): " + e.what());
      }
    }
    for (const auto& cell : rel.cells) {
      if (!cell.fixed) {
        withhold(refs[cell.ref], cell.status);
      }
    }
  }
  if (!proven) {
    r.warnings.push_back({warning_code::search_budget_exhausted,
                          "The check for combinations of figures ran out of its search budget in at least one "
                          "domain; every figure it could not prove safe is withheld."});
  }
  if (!aopt.hide.empty() || !aopt.show.empty()) {
    // Again, so that ICC and the rwg(j) summary are over the groups shown now. The groups made before are let go
    // first (nothing below reads them): the new ones then reuse their memory instead of faulting in fresh pages.
    std::vector<group_assessment>().swap(r.summary.groups);
    auto again = assess_cached(inst, m, scores, aopt, cache); // the rows are not read again
    again.enps = r.summary.enps;
    again.enps_status = r.summary.enps_status;
    again.service_levels = r.summary.service_levels;
    again.service_level_status = r.summary.service_level_status;
    for (std::size_t c = 0; c < again.constructs.size(); ++c) {
      if (r.summary.constructs[c].status == suppression::secondary) {
        auto agreement = std::move(again.constructs[c].agreement);
        again.constructs[c] = r.summary.constructs[c];
        again.constructs[c].agreement = std::move(agreement);
      }
    }
    r.summary = std::move(again);
  }
  if (!internal_hidden.empty()) {
    hide_internal_cells(*r.internal_service, internal_hidden, iopt);
  }
  report_withhold_dependents(r, inst, why);
  if (withheld > 0) {
    r.warnings.push_back({warning_code::withheld_by_joint_protection,
                          std::to_string(withheld) + (withheld == 1 ? " further cell is" : " further cells are") +
                              " withheld: together with other figures of this report" +
                              (q.ledger != nullptr ? " or of earlier releases to the same audience" : std::string()) +
                              (withheld == 1 ? ", it" : ", they") + " would let fewer than " + std::to_string(k) +
                              " people be worked out."});
  }
}

// build_report, last phase: the inventory and the proofs (the report alone at its k; with a ledger, together with
// every earlier release at the smallest k).
ETHOS_DECL void report_prove(survey_report& r, const report_request& q, const report_request& qk,
                             const report_elements& el, report_basis& basis) {
  const auto& o = q.options;
  const std::size_t k = r.min_group_size;
  const std::size_t union_k = r.union_min_group_size;
  // Without an inventory to keep, the proof runs on the same cells in compact form (no release_cell each).
  const bool compact = !o.inventory && given_by_classes(q, el);
  const auto fail_if_unsafe = [&](const release_audit_result& a, const std::string& what, bool alone) {
    if (a.safe()) {
      return;
    }
    std::string why = "the search for combinations ran out of its budget";
    if (!a.findings.empty()) {
      why = a.findings.front().message;
      if (!q.options.cell_labels || compact) {
        // The same audit over a labelled inventory, to name the cells.
        report_request labelled = qk;
        labelled.options.cell_labels = true;
        const auto named = detail::declare_inventory(r, labelled, el, &basis);
        const auto again = audit_release_cells(named, alone ? k : union_k, o.search_budget, alone, o.threads);
        if (!again.findings.empty()) {
          why = again.findings.front().message;
        }
      }
    }
    throw error("disclosure audit of " + what + ": " + why + "; no report is written");
  };
  if (compact) {
    r.audit = audit_candidates(declare_family(qk, r, el, basis, false), k, o.search_budget, o.threads);
    fail_if_unsafe(r.audit, "the report", true);
    return;
  }
  r.cells = detail::declare_inventory(r, qk, el, &basis);
  r.audit = audit_release_cells(r.cells, k, o.search_budget, true, o.threads); // the report alone: no earlier release
  fail_if_unsafe(r.audit, "the report", true);
  if (q.ledger != nullptr) {
    r.union_audit = audit_release(r.cells, union_k, o.search_budget);
    fail_if_unsafe(*r.union_audit, "the report with the earlier releases", false);
  }
}

} // namespace detail

ETHOS_DECL release declare_report(const survey_report& r, const report_request& q) {
  return detail::declare_inventory(r, q, detail::report_elements_of(q, r.internal_service));
}

ETHOS_DECL std::vector<disclosure_cell> published_cells(const survey_report& r, std::string_view domain) {
  using detail::class_members;
  using detail::class_members_of;
  using detail::expand_cell;
  if (r.cells.cells.empty() && r.audit.cells > 0) {
    throw error("published_cells: the report kept no inventory (report_options::inventory was off); declare it "
                "with declare_report(report, request)");
  }
  std::vector<disclosure_cell> out;
  std::vector<std::optional<class_members>> by_space(r.cells.spaces.size()); // worked out once per space
  for (const auto& c : r.cells.cells) {
    if (c.status != suppression::none || r.cells.domains.at(c.domain).name != domain) {
      continue;
    }
    auto& cm = by_space[r.cells.domains[c.domain].space];
    if (!c.classes.empty() && !cm) {
      cm = class_members_of(r.cells.spaces[r.cells.domains[c.domain].space]);
    }
    out.push_back({c.label, c.classes.empty() ? c.members : expand_cell(r.cells, c, *cm)});
  }
  return out;
}

ETHOS_DECL survey_report build_report(const report_request& q) {
  assessment_options aopt;
  internal_service_options iopt;
  // What the assessment read from each construct's rows, for the assessment again with the groups the joint
  // protection shows or hides.
  detail::assess_cache cache;
  survey_report r = detail::report_sections_of(q, aopt, iopt, cache);
  report_request qk = q;
  qk.options.internal_service = iopt;
  // The elements (and their fingerprints) stay the same through the protection: hiding a figure changes no one's
  // answers, and no unit or rating goes.
  const auto el = detail::report_elements_of(qk, r.internal_service);

  // Joint protection: every section's cells (and the ledger's) together, domain by domain.
  // What the declarations read from the rows, shared by the protection's and the proof's.
  detail::report_basis basis;
  detail::report_protect(r, q, qk, el, basis, aopt, iopt, cache);
  cache = {}; // held only for the protection

  // The inventory and the proofs.
  detail::report_prove(r, q, qk, el, basis);
  return r;
}

ETHOS_DECL survey_report prepare_report(const instrument_view& inst, const response_matrix& m,
                                        const prepare_options& options) {
  const scoring_result scores = score(inst, m, options.report.assessment.scoring);
  report_request q;
  q.instrument = &inst;
  q.options = options.report;
  q.current = {&m, &scores, nullptr, nullptr, options.row_number_ids};
  std::optional<std::pair<unit_tree, unit_assignment>> made; // units from the column's labels
  std::optional<unit_assignment> placed;                     // rows placed in the given tree
  if (!options.unit_column.empty()) {
    const group_column* col = m.group(options.unit_column);
    if (col == nullptr) {
      throw error("prepare_report: no metadata column '" + options.unit_column + "' names the units");
    }
    if (options.tree != nullptr) {
      placed = assign_units(*options.tree, *col);
      q.current.tree = options.tree;
      q.current.units = &*placed;
    } else {
      made = units_from_column(*col);
      q.current.tree = &made->first;
      q.current.units = &made->second;
    }
  } else if (options.tree != nullptr) {
    throw error("prepare_report: a unit tree needs the column that names each respondent's unit (unit_column)");
  }
  return build_report(q);
}

ETHOS_DECL report_audit audit_summary(const survey_report& r) {
  report_audit a;
  a.cells = r.audit.cells;
  a.domains = r.audit.domains;
  a.findings = r.audit.findings.size();
  a.complete = r.audit.complete;
  a.min_group_size = r.min_group_size;
  a.earlier_releases = r.earlier_releases;
  if (r.union_audit) {
    a.union_cells = r.union_audit->cells;
    a.union_min_group_size = r.union_min_group_size;
    a.union_findings = r.union_audit->findings.size();
    a.union_complete = r.union_audit->complete;
  }
  return a;
}

} // namespace ethos
