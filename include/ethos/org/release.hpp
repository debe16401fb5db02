/// \file
/// \brief A release as the disclosure audit sees it: every published figure as a cell (a set of people in a domain
/// of values), the joint protection and audit of all of them, and the ledger of releases made to one audience, so
/// that reports are audited against everything that audience has already seen.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/hash_slots.hpp>
#include <ethos/detail/path.hpp>
#include <ethos/org/disclosure.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// The key that fingerprints in one release space are made with (a ledger keeps its own, random one).
using release_salt = std::array<std::uint64_t, 2>;

/// The salt used when no ledger is kept: fingerprints then never leave the process.
inline constexpr release_salt default_release_salt{0x6574686f73206175ULL, 0x6469742073616c74ULL};

/// A salted fingerprint of `text` (a respondent id, a row of answers ...).
ETHOS_DECL std::uint64_t release_fingerprint(const release_salt& salt, std::string_view text) noexcept;

/// The elements of one kind of published data: respondent rows of a survey (of any wave), or internal-service
/// ratings. Element i belongs to the person with key `person[i]` and holds the values fingerprinted by `value[i]`:
/// two elements with equal keys and fingerprints are the same values of the same person (the same row exported
/// twice), two with equal person keys but different fingerprints are different values of one person (two waves).
struct release_space {
  std::string name;                  ///< "respondents" or "ratings"
  std::vector<std::uint64_t> person; ///< person key per element
  std::vector<std::uint64_t> value;  ///< value fingerprint per element
  /// Optional: a class per element (or ~0U for none), for cells given by classes (release_cell::classes). Elements
  /// of one class lie in the same cells of every domain, except where a domain does not cover them.
  std::vector<std::uint32_t> class_of;

  /// The number of elements.
  [[nodiscard]] std::size_t size() const noexcept { return person.size(); }
};

/// A domain: one variable family (the answers to one construct's items, one item, the internal-service ratings),
/// over the elements of one space. Figures of different domains describe different values, so they never combine;
/// within a domain every figure is a function of the values of the people in its cell.
struct release_domain {
  std::string name;      ///< stable across releases, e.g. "construct:voice_of_the_customer", "item:enps"
  std::size_t space = 0; ///< index into release::spaces
  /// Optional: per element of the space, whether the domain's figures cover it (e.g. the people with a score on the
  /// construct); a cell given by classes holds the covered elements of its classes. Empty: every element.
  std::vector<bool> covers;
};

/// The classes of a release cell: sorted, without repeats, and shared by the cells that hold the same ones (a
/// report's cells of one unit on every construct share one list, so a unit's classes are stored once, not once per
/// construct). Read like a `const std::vector<std::uint32_t>`; made from one, or from a list of classes.
class class_list {
 public:
  /// No classes.
  class_list() noexcept = default;
  /// The classes `v` (sorted, without repeats; checked when a release is protected or audited).
  class_list(std::vector<std::uint32_t> v) // NOLINT(google-explicit-constructor): reads as the vector it replaces
      : list_(v.empty() ? nullptr : new shared{1, std::move(v)}) {}
  /// The classes listed.
  class_list(std::initializer_list<std::uint32_t> v) : class_list(std::vector<std::uint32_t>(v)) {}
  /// The same list, shared.
  class_list(const class_list& other) noexcept : list_(other.list_) {
    if (list_ != nullptr) {
      list_->refs.fetch_add(1, std::memory_order_relaxed);
    }
  }
  /// The list, taken over.
  class_list(class_list&& other) noexcept : list_(other.list_) { other.list_ = nullptr; }
  /// The same list as `other`, shared.
  class_list& operator=(const class_list& other) noexcept {
    class_list copy(other);
    swap(copy);
    return *this;
  }
  /// `other`'s list, taken over.
  class_list& operator=(class_list&& other) noexcept {
    class_list taken(std::move(other));
    swap(taken);
    return *this;
  }
  /// Lets go of the list (freed with its last holder).
  ~class_list() {
    if (list_ != nullptr && list_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete list_;
    }
  }

  /// The classes as a vector.
  [[nodiscard]] const std::vector<std::uint32_t>& get() const noexcept { return list_ != nullptr ? list_->v : none(); }
  /// The first class.
  [[nodiscard]] const std::uint32_t* begin() const noexcept { return get().data(); }
  /// One past the last class.
  [[nodiscard]] const std::uint32_t* end() const noexcept { return get().data() + get().size(); }
  /// The classes' storage.
  [[nodiscard]] const std::uint32_t* data() const noexcept { return get().data(); }
  /// The number of classes.
  [[nodiscard]] std::size_t size() const noexcept { return get().size(); }
  /// True when there are no classes.
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// Class i.
  [[nodiscard]] std::uint32_t operator[](std::size_t i) const noexcept { return get()[i]; }
  /// Equal classes.
  [[nodiscard]] friend bool operator==(const class_list& a, const class_list& b) noexcept { return a.get() == b.get(); }

 private:
  // One list and the number of class_lists that hold it (a shared_ptr without <memory> in this header).
  struct shared {
    std::atomic<std::size_t> refs;
    std::vector<std::uint32_t> v;
  };
  void swap(class_list& other) noexcept {
    shared* t = list_;
    list_ = other.list_;
    other.list_ = t;
  }
  static const std::vector<std::uint32_t>& none() noexcept {
    static const std::vector<std::uint32_t> empty;
    return empty;
  }
  shared* list_ = nullptr;
};

/// Where a cell is published and which figures it carries: shared by every cell of the same kind (a report's
/// million unit x cut cells name two texts between them).
struct release_kind {
  std::string section; ///< where it is published: "constructs", "units", "groups" ...
  std::string figures; ///< what is published over these people: "n, mean, SD, favourable share"
};

/// One published cell (or a candidate for publication): a set of elements of one domain and what is published
/// over exactly those people.
struct release_cell {
  std::size_t domain = 0;             ///< index into release::domains
  std::string label;                  ///< names the cell in findings: "unit 'Sales'"
  std::vector<std::uint32_t> members; ///< element ids of the domain's space, sorted and without repeats
  /// Instead of `members`: classes of the space (release_space::class_of), sorted and without repeats; the cell
  /// holds the elements of these classes that its domain covers. A domain whose cells are all given so, over a
  /// space where each element is a person of its own, is protected and audited by counts of persons per class,
  /// at a cost that depends on classes and cells, not on persons.
  class_list classes;
  std::size_t ref = 0;                    ///< what the builder of the release needs to find the figure again
  int keep = 0;                           ///< the protection hides cells with a lower value first
  std::uint32_t kind = 0;                 ///< index into release::kinds (release::kind adds one)
  bool fixed = false;                     ///< already released (a ledger's cells): never hidden, always audited
  suppression status = suppression::none; ///< shown, or why not
};

/// Everything one release publishes, as cells; see docs/privacy.md for what each report section declares.
struct release {
  std::vector<release_space> spaces;                  ///< the kinds of elements its cells are made of
  std::vector<release_domain> domains;                ///< the variable families its figures describe
  std::vector<release_cell> cells;                    ///< every published figure (and candidate), with its people
  std::vector<release_kind> kinds = {release_kind{}}; ///< where cells are published, what they carry (0: unsaid)

  /// The index of the space called `name`, added (empty) if there is none.
  std::size_t space(std::string_view name);

  /// The index of the domain called `name` (over space `sp`), added if there is none.
  /// \throws ethos::error when a domain of that name is over another space.
  std::size_t domain(std::string_view name, std::size_t sp);

  /// The index of the kind with this section and these figures, added if there is none.
  std::uint32_t kind(std::string_view section, std::string_view figures);
};

/// One way a release exposes fewer than k persons.
struct release_finding {
  std::string domain;                                 ///< the domain whose figures combine
  disclosure_leak kind = disclosure_leak::small_cell; ///< how the persons are exposed
  std::vector<std::size_t> cells;                     ///< indices into release::cells
  std::size_t persons = 0;                            ///< how many persons are exposed
  std::string message;                                ///< names the domain, the cells and the count
};

/// What audit_release found.
struct release_audit_result {
  std::size_t cells = 0;                 ///< shown cells audited, all domains together
  std::size_t domains = 0;               ///< domains with at least one shown cell
  std::size_t small_dimension = 0;       ///< combinations touching small atoms only, summed over domains (0: no search)
  bool passed = true;                    ///< no finding
  bool complete = true;                  ///< every domain's search finished within its budget
  std::vector<release_finding> findings; ///< the leaks found, all domains together
  /// True when the audit proved the release safe.
  [[nodiscard]] bool safe() const noexcept { return passed && complete; }
};

/// The elements of cell `c` of `r`: its members, or the covered elements of its classes (sorted).
ETHOS_DECL std::vector<std::uint32_t> members_of(const release& r, const release_cell& c);

/// Hides cells of `r` until no domain lets a set of 1..k-1 persons be derived, with protect_cells per domain: the
/// shown cells of a domain go in together, `fixed` ones (already released) are never hidden, and among the cells of
/// a combination that isolates a small set the one with the lowest `keep` (then the fewest people) goes first.
/// Returns false when a domain's search ran out of budget; its non-fixed cells are then all hidden.
/// \throws ethos::error when k < 3, or when fixed cells alone already expose someone.
ETHOS_DECL bool protect_release(release& r, std::size_t min_group_size, std::uint64_t search_budget = 20'000'000);

/// Audits every shown cell of `r`, domain by domain (disclosure_audit with the persons of the domain's space): the
/// proof that no figure of the release, alone or combined with others of its domain by sums and differences with
/// any coefficients, isolates 1..k-1 persons.
/// \throws ethos::error when k < 3 or a cell names an element its space does not have.
ETHOS_DECL release_audit_result audit_release(const release& r, std::size_t min_group_size,
                                              std::uint64_t search_budget = 20'000'000);

/// One release recorded in a ledger.
struct ledger_release {
  std::size_t min_group_size = 5; ///< k of that release
  std::string label;              ///< what the caller said it was (a file name, a date ...)
  std::size_t cells = 0;          ///< shown cells it published
};

/// The releases made to one audience. A new report is protected and audited together with every cell already
/// released (they are fixed: what was published cannot be taken back), and then recorded. Elements are matched
/// across releases by salted fingerprints of the respondent id and of the whole row of answers, so the same
/// survey exported twice (or with one more respondent) lines up person by person, while a new wave of the same
/// people counts as new values of the same persons.
///
/// The ledger holds respondent and rating fingerprints, cell labels and memberships, never an answer; but a
/// fingerprint of a short row of answers can be matched by trying every possible row, so keep the ledger where the
/// raw answers are kept. Text format (ethos.ledger/1, one record per line, tab-separated): see docs/privacy.md.
class release_ledger {
 public:
  /// An empty ledger with a fresh random salt.
  release_ledger();
  /// An empty ledger with the given salt (tests).
  explicit release_ledger(const release_salt& salt) : salt_(salt) {}

  /// The key the ledger's fingerprints are made with.
  [[nodiscard]] const release_salt& salt() const noexcept { return salt_; }
  /// The releases recorded, oldest first.
  [[nodiscard]] const std::vector<ledger_release>& releases() const noexcept { return releases_; }
  /// The number of cells recorded, all releases together.
  [[nodiscard]] std::size_t cells() const noexcept { return cells_.size(); }
  /// The smallest k of any release recorded (0 when there is none): the weakest promise already made to this
  /// audience, and so the k that everything it has seen, together, is held to.
  [[nodiscard]] std::size_t smallest_min_group_size() const noexcept;

  /// Adds every recorded cell to `r` as a fixed, shown cell, its elements matched to `r`'s elements (same space
  /// name, person key and value fingerprint) or appended to the space.
  void add_to(release& r) const;

  /// Records the shown, non-fixed cells of `r` as a new release with minimum group size `k`.
  void record(const release& r, std::size_t k, std::string label);

  /// The ledger as text (ethos.ledger/1).
  [[nodiscard]] std::string str() const;

  /// Reads a ledger from text; `name` names it in messages ("name:line: reason").
  /// \throws ethos::error for anything that is not a well-formed ethos.ledger/1 text.
  static release_ledger parse(std::string_view text, std::string_view name);

  /// Reads a ledger file. \throws ethos::error naming the file when it cannot be read or is not a ledger.
  static release_ledger load(const std::string& path);

  /// As above, for a `std::filesystem::path` (or any path type with `string()`): `load(path.string())`.
  template <detail::path_like Path>
  static release_ledger load(const Path& path) {
    return load(std::string(path.string()));
  }

  /// Writes the ledger to `path` (through a temporary file renamed over it, so a failed write never leaves half a
  /// ledger behind). \throws ethos::error when it cannot be written.
  void save(const std::string& path) const;

  /// As above, for a `std::filesystem::path` (or any path type with `string()`): `save(path.string())`.
  template <detail::path_like Path>
  void save(const Path& path) const {
    save(std::string(path.string()));
  }

 private:
  struct stored_cell {
    std::size_t release = 0;
    std::size_t domain = 0;
    std::string section;
    std::string label;
    std::string figures;
    std::vector<std::uint32_t> members;
  };

  [[noreturn]] static void fail_at(std::string_view name, std::size_t line, const std::string& why);

  static std::vector<std::string_view> split_tabs(std::string_view line);

  // Tabs, line breaks and backslashes in free text are written as \t, \n and \\.
  static std::string escape(std::string_view s);

  static std::string unescape(std::string_view s);

  std::uint32_t own_element(std::size_t s, std::uint64_t person, std::uint64_t value);

  release_salt salt_{};
  std::vector<ledger_release> releases_;
  std::vector<release_space> spaces_;
  std::vector<release_domain> domains_;
  std::vector<stored_cell> cells_;
  std::vector<std::optional<detail::hash_slots>> element_index_; // per space, built at its first record
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/release.ipp>
#endif
