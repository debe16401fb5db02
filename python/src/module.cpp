// python/src/module.cpp: the `ethos._ethos` extension module. A thin layer over the C++ library: the reading,
// scoring, assessment and statistics are the library's own functions, so Python gets the same bits as C++.
// Every ethos::error becomes ethos.Error (a ValueError) carrying the library's message.
#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/io/state.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/units.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/covariance.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/polychoric.hpp>
#include <ethos/stats/reliability.hpp>
#include <ethos/version.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace {

// Rows handed to the accumulator at a time when the answers must be rearranged into columns first: the only copy
// `add` makes, and it is this small whatever the number of rows.
constexpr std::size_t add_block = 4096;

py::object json_loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

// ---------------------------------------------------------------------------------------------------------------
// Instruments and responses

struct py_instrument {
  ethos::instrument inst;
  ethos::instrument_view view() const { return inst.view(); }
};

// The `field` of every element of `specs`, as strings.
template <class Spec>
std::vector<std::string> names_of(std::span<const Spec> specs, std::string_view Spec::*field) {
  std::vector<std::string> out;
  for (const auto& s : specs) {
    out.emplace_back(s.*field);
  }
  return out;
}

std::vector<std::string> construct_items(const ethos::instrument_view& v, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& it : v.items) {
    if (it.construct == key) {
      out.emplace_back(it.id);
    }
  }
  return out;
}

// A read-only stream over bytes Python holds, so that a partition of a file is parsed without a copy.
class memory_buffer : public std::streambuf {
 public:
  explicit memory_buffer(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data()); // std::streambuf's interface is not const; nothing writes through it
    setg(p, p, p + bytes.size());
  }
};

ethos::csv_options csv_options_of(const std::string& id_column,
                                  std::optional<std::vector<std::string>> metadata_columns,
                                  const std::string& wave_column, bool skip_invalid) {
  ethos::csv_options opt;
  opt.id_column = id_column;
  opt.metadata_columns = std::move(metadata_columns);
  opt.wave_column = wave_column;
  opt.policy = skip_invalid ? ethos::invalid_row_policy::skip : ethos::invalid_row_policy::fail;
  return opt;
}

struct py_responses {
  ethos::csv_read_result read;
  std::shared_ptr<const py_instrument> instrument;
};

// Column positions of `ids` in the matrix (every item of the instrument in instrument order when `ids` is empty).
std::vector<std::size_t> columns_of(const ethos::response_matrix& m,
                                    const std::optional<std::vector<std::string>>& ids) {
  std::vector<std::size_t> cols;
  if (!ids) {
    for (std::size_t j = 0; j < m.columns(); ++j) {
      cols.push_back(j);
    }
    return cols;
  }
  for (const auto& id : *ids) {
    const auto j = m.column_of(id);
    if (!j) {
      throw ethos::error("responses: no item column '" + id + "'");
    }
    cols.push_back(*j);
  }
  return cols;
}

// rows x k uint8 answers, column-major (each item's answers contiguous, as the library holds them), 255 = missing.
py::array_t<std::uint8_t> answers_of(const py_responses& r, const std::optional<std::vector<std::string>>& ids) {
  const auto& m = r.read.matrix;
  const auto cols = columns_of(m, ids);
  const auto rows = static_cast<py::ssize_t>(m.rows());
  const auto k = static_cast<py::ssize_t>(cols.size());
  py::array_t<std::uint8_t, py::array::f_style> out({rows, k});
  auto* data = out.mutable_data();
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const auto col = m.column(cols[j]);
    std::copy(col.begin(), col.end(), data + j * m.rows());
  }
  return out;
}

py::tuple group_codes_of(const py_responses& r, const std::string& column) {
  const auto* g = r.read.matrix.group(column);
  if (g == nullptr) {
    std::string names;
    for (const auto& c : r.read.matrix.groups()) {
      names += (names.empty() ? "" : ", ") + c.name;
    }
    throw ethos::error("responses: no metadata column '" + column +
                       "' (the columns are: " + (names.empty() ? std::string("none") : names) + ")");
  }
  py::array_t<std::uint32_t> codes(static_cast<py::ssize_t>(g->codes.size()));
  std::copy(g->codes.begin(), g->codes.end(), codes.mutable_data());
  return py::make_tuple(codes, g->levels);
}

// ---------------------------------------------------------------------------------------------------------------
// The accumulator

struct py_accumulator {
  ethos::likert_accumulator acc;
  std::vector<std::string> names; // item names for the dicts; positions "1".."k" unless given

  explicit py_accumulator(ethos::likert_accumulator a, std::vector<std::string> n = {})
      : acc(std::move(a)), names(std::move(n)) {
    if (names.empty()) {
      for (std::size_t i = 0; i < acc.config().items; ++i) {
        names.push_back(std::to_string(i + 1));
      }
    }
  }
};

ethos::likert_config make_config(const py::object& items, std::pair<int, int> scale,
                                 std::optional<std::vector<bool>> reverse, std::size_t groups,
                                 std::optional<std::size_t> min_answered, bool count_patterns,
                                 std::vector<std::string>& names) {
  std::size_t k = 0;
  if (py::isinstance<py::int_>(items)) {
    const auto n = items.cast<long long>();
    if (n < 1 || n > 255) {
      throw ethos::error("LikertAccumulator: " + std::to_string(n) + " items; 1..255 are supported");
    }
    k = static_cast<std::size_t>(n);
  } else {
    names = items.cast<std::vector<std::string>>();
    k = names.size();
  }
  ethos::likert_config c(k, scale.first, scale.second, groups);
  if (reverse) {
    c.reverse = *reverse;
  }
  if (min_answered) {
    if (*min_answered == 0) {
      throw ethos::error("LikertAccumulator: min_answered must be at least 1");
    }
    c.min_answered = *min_answered;
  }
  c.count_patterns = count_patterns;
  return c;
}

// Calls f(T{}) with T the C++ type of a NumPy integer or floating dtype.
template <class F>
void with_value_type(const py::dtype& dt, F&& f) {
  const auto size = dt.itemsize();
  switch (dt.kind()) {
  case 'u':
    return size == 1   ? f(std::uint8_t{})
           : size == 2 ? f(std::uint16_t{})
           : size == 4 ? f(std::uint32_t{})
                       : f(std::uint64_t{});
  case 'i':
    return size == 1   ? f(std::int8_t{})
           : size == 2 ? f(std::int16_t{})
           : size == 4 ? f(std::int32_t{})
                       : f(std::int64_t{});
  case 'f':
    if (size == 4) {
      return f(float{});
    }
    if (size == 8) {
      return f(double{});
    }
    break;
  default:
    break;
  }
  throw ethos::error("LikertAccumulator.add: answers must be an array of integers (uint8, 255 = missing) or of "
                     "floats (NaN = missing), not of dtype '" +
                     std::string(py::str(py::object(dt))) + "'");
}

// An answer as the accumulator takes it (255 = missing), or 256 for a value that is no answer at all.
template <class T>
unsigned answer_byte(T x) noexcept {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(x)) {
      return 0xFF;
    }
    return (x >= 0 && x <= 255 && x == std::floor(x)) ? static_cast<unsigned>(x) : 256U;
  } else if constexpr (std::is_signed_v<T>) {
    return (x >= 0 && x <= 255) ? static_cast<unsigned>(x) : 256U;
  } else {
    return x <= 255 ? static_cast<unsigned>(x) : 256U;
  }
}

// Checks every value of a rows x k array against the scale, reading it in place (no copy), so that a refused call
// adds nothing: ethos.Error names the first bad row, item and value.
template <class T>
void check_answers(const py::array& a, std::size_t rows, std::size_t k, const ethos::likert_config& cfg) {
  const auto view = a.unchecked<T, 2>();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < k; ++j) {
      const T x = view(static_cast<py::ssize_t>(r), static_cast<py::ssize_t>(j));
      const unsigned b = answer_byte(x);
      if (b != 0xFF && (b < static_cast<unsigned>(cfg.min) || b > static_cast<unsigned>(cfg.max))) {
        std::ostringstream v;
        v << +x;
        throw ethos::error("LikertAccumulator.add: row " + std::to_string(r + 1) + ", item " + std::to_string(j + 1) +
                           ": " + v.str() + " is not an answer on the scale " + std::to_string(cfg.min) + ".." +
                           std::to_string(cfg.max) + " (255 or NaN marks a missing one)");
      }
    }
  }
}

// Copies rows r0..r0+n of a checked rows x k array into `block`, item by item: the one copy `add` makes for an array
// that is not uint8 in column-major order.
template <class T>
void copy_block(const py::array& a, std::size_t r0, std::size_t n, std::size_t k, std::vector<std::uint8_t>& block) {
  const auto view = a.unchecked<T, 2>();
  for (std::size_t j = 0; j < k; ++j) {
    std::uint8_t* out = block.data() + j * add_block;
    for (std::size_t r = 0; r < n; ++r) {
      out[r] =
          static_cast<std::uint8_t>(answer_byte(view(static_cast<py::ssize_t>(r0 + r), static_cast<py::ssize_t>(j))));
    }
  }
}

void add_answers(py_accumulator& self, const py::array& answers, const py::object& group_codes) {
  auto& acc = self.acc;
  const auto& cfg = acc.config();
  const std::size_t k = cfg.items;
  if (answers.ndim() != 2 || static_cast<std::size_t>(answers.shape(1)) != k) {
    std::string shape;
    for (py::ssize_t d = 0; d < answers.ndim(); ++d) {
      shape += (d > 0 ? " x " : "") + std::to_string(answers.shape(d));
    }
    throw ethos::error("LikertAccumulator.add: answers of shape " + (shape.empty() ? std::string("()") : shape) +
                       "; expected rows x " + std::to_string(k));
  }
  const auto rows = static_cast<std::size_t>(answers.shape(0));
  if (cfg.groups > 0 && group_codes.is_none()) {
    throw ethos::error("LikertAccumulator.add: the accumulator has " + std::to_string(cfg.groups) +
                       " groups; pass group_codes, one per row");
  }
  if (cfg.groups == 0 && !group_codes.is_none()) {
    throw ethos::error("LikertAccumulator.add: group_codes given, but the accumulator has no groups (groups=0)");
  }
  // Group codes: uint32 in place; any other integer array checked and converted (4 bytes a row).
  std::vector<std::uint32_t> converted;
  std::span<const std::uint32_t> codes;
  py::array held;
  if (!group_codes.is_none()) {
    held = py::array::ensure(group_codes);
    if (!held || held.ndim() != 1 || static_cast<std::size_t>(held.shape(0)) != rows) {
      throw ethos::error("LikertAccumulator.add: group_codes must be a 1-D array with one code per row (" +
                         std::to_string(rows) + " rows)");
    }
    const auto gk = held.dtype().kind();
    if (gk != 'i' && gk != 'u') {
      throw ethos::error("LikertAccumulator.add: group_codes must hold integers");
    }
    if (held.dtype().is(py::dtype::of<std::uint32_t>()) && (held.flags() & py::array::c_style) != 0) {
      codes = std::span<const std::uint32_t>(static_cast<const std::uint32_t*>(held.data()), rows);
    } else {
      const auto as64 = py::array_t<std::int64_t, py::array::forcecast>::ensure(held);
      const auto v = as64.unchecked<1>();
      converted.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const std::int64_t x = v(static_cast<py::ssize_t>(r));
        if (x < 0 || x > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
          throw ethos::error("LikertAccumulator.add: row " + std::to_string(r + 1) + " has group code " +
                             std::to_string(x) + "; " + std::to_string(cfg.groups) + " groups are configured");
        }
        converted[r] = static_cast<std::uint32_t>(x);
      }
      codes = converted;
    }
  }
  const auto dt = answers.dtype();
  if (dt.is(py::dtype::of<std::uint8_t>()) && (answers.flags() & py::array::f_style) != 0) {
    // Column-major bytes: each item's answers are contiguous already, so they are read in place. add() checks every
    // answer and group code before it counts anything.
    std::vector<const std::uint8_t*> columns;
    const auto* base = static_cast<const std::uint8_t*>(answers.data());
    for (std::size_t j = 0; j < k; ++j) {
      columns.push_back(base + j * rows);
    }
    py::gil_scoped_release unlocked;
    acc.add(columns, rows, codes);
    return;
  }
  // Any other layout or type: every value and code checked in place first (so that a refused call adds nothing),
  // then rearranged into columns a block of rows at a time. The counts are exact, so adding block by block gives the
  // same bits as one call.
  with_value_type(dt, [&](auto tag) { check_answers<decltype(tag)>(answers, rows, k, cfg); });
  for (std::size_t r = 0; r < codes.size(); ++r) {
    if (codes[r] >= cfg.groups) {
      throw ethos::error("LikertAccumulator.add: row " + std::to_string(r + 1) + " has group code " +
                         std::to_string(codes[r]) + "; " + std::to_string(cfg.groups) + " groups are configured");
    }
  }
  const std::uint64_t limit = cfg.groups > 0 ? 0xFFFFFFFFU : ethos::likert_accumulator::max_rows;
  if (rows > limit - acc.rows()) {
    throw ethos::error("LikertAccumulator.add: more than " + std::to_string(limit) +
                       " rows in one accumulator; use several and merge their statistics");
  }
  std::vector<std::uint8_t> block(k * add_block);
  std::vector<const std::uint8_t*> columns;
  for (std::size_t j = 0; j < k; ++j) {
    columns.push_back(block.data() + j * add_block);
  }
  with_value_type(dt, [&](auto tag) {
    using T = decltype(tag);
    for (std::size_t r0 = 0; r0 < rows; r0 += add_block) {
      const std::size_t n = std::min(add_block, rows - r0);
      copy_block<T>(answers, r0, n, k, block);
      acc.add(columns, n, codes.empty() ? codes : codes.subspan(r0, n));
    }
  });
}

py::object reliability_dict(const py_accumulator& self) {
  return json_loads(ethos::reliability_json(self.acc, self.names));
}

py::object agreement_dict(const py_accumulator& self, std::optional<double> ranvar) {
  // Without groups: the rows as one group; with groups: per group, and the rwg(j) summary.
  return json_loads(self.acc.config().groups == 0 ? ethos::agreement_json(self.acc, ranvar)
                                                  : ethos::group_agreement_json(self.acc, ranvar));
}

py::object icc_dict(const py_accumulator& self) {
  if (self.acc.config().groups == 0) {
    throw ethos::error(
        "LikertAccumulator.icc: the accumulator has no groups (configure groups=G and pass group_codes)");
  }
  return json_loads(ethos::icc_json(ethos::icc(self.acc)));
}

py::bytes to_bytes(const py_accumulator& self) {
  const auto b = ethos::encode_state(self.acc);
  return py::bytes(reinterpret_cast<const char*>(b.data()), b.size());
}

std::span<const std::uint8_t> byte_span(const py::bytes& b) {
  const std::string_view v(b);
  return {reinterpret_cast<const std::uint8_t*>(v.data()), v.size()};
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring and the assessment

py::dict score_dict(const py_instrument& ins, const py_responses& r, std::optional<std::size_t> min_answered) {
  const auto view = ins.view();
  ethos::scoring_options opt;
  opt.min_answered = min_answered;
  ethos::scoring_result s;
  {
    py::gil_scoped_release unlocked;
    s = ethos::score(view, r.read.matrix, opt);
  }
  py::dict out;
  const std::size_t rows = s.persons.rows();
  for (std::size_t c = 0; c < view.constructs.size(); ++c) {
    py::array_t<double> a(static_cast<py::ssize_t>(r.read.matrix.rows()));
    if (rows > 0) {
      const auto col = s.persons.construct(c);
      std::copy(col.begin(), col.end(), a.mutable_data());
    }
    out[py::str(std::string(view.constructs[c].key))] = a;
  }
  return out;
}

py::object assess_dict(const py_instrument& ins, const py_responses& r, const std::optional<std::string>& group_by,
                       const std::optional<std::string>& unit_column, std::size_t min_group_size,
                       const std::optional<std::string>& cut, const std::string& agreement_over, std::size_t threads) {
  const auto view = ins.view();
  const auto& m = r.read.matrix;
  if (min_group_size < ethos::lowest_min_group_size) {
    throw ethos::error("assess: min_group_size must be at least " + std::to_string(ethos::lowest_min_group_size));
  }
  if (agreement_over != "shown" && agreement_over != "all") {
    throw ethos::error("assess: agreement_over must be 'shown' or 'all', not '" + agreement_over + "'");
  }
  std::string json;
  {
    py::gil_scoped_release unlocked;
    // The same request ethos-assess makes for these options (examples/assess/main.cpp), so the dict is its JSON.
    ethos::report_request q;
    q.instrument = &view;
    q.options.min_group_size = min_group_size;
    q.options.group_by = group_by.value_or("");
    q.options.assessment.agreement_over =
        agreement_over == "all" ? ethos::agreement_scope::all : ethos::agreement_scope::shown;
    q.options.cut = cut.value_or("");
    q.options.cell_labels = false;
    q.options.inventory = false;
    q.options.threads = threads;
    const ethos::scoring_result scores = ethos::score(view, m, q.options.assessment.scoring);
    q.current = {&m, &scores, nullptr, nullptr, r.read.row_number_ids};
    const std::string units_from = unit_column.value_or(q.options.group_by);
    std::optional<std::pair<ethos::unit_tree, ethos::unit_assignment>> units;
    if (!units_from.empty() || !q.options.cut.empty()) {
      if (units_from.empty()) {
        units.emplace(ethos::unit_tree(), ethos::unit_assignment{std::vector<std::uint32_t>(m.rows(), 0), m.rows()});
      } else {
        const auto* col = m.group(units_from);
        if (col == nullptr) {
          throw ethos::error("no metadata column '" + units_from + "' names the units");
        }
        units.emplace(ethos::units_from_column(*col));
      }
      q.current.tree = &units->first;
      q.current.units = &units->second;
      if (!view.nps_item.empty()) {
        q.options.drivers = ethos::unit_driver_options{};
      }
    }
    ethos::survey_report rep = ethos::build_report(q);
    rep.summary.counts = {r.read.rows, r.read.used, r.read.invalid};
    std::ostringstream out;
    ethos::write_results_json(out, rep);
    json = std::move(out).str();
  }
  return json_loads(json);
}

} // namespace

PYBIND11_MODULE(_ethos, mod) {
  mod.doc() = "ethos: exact, mergeable statistics of service-culture surveys (the C++ library's Python binding).";
  mod.attr("__version__") = std::string(ethos::version_string);
  mod.attr("STATE_FORMAT_VERSION") = ethos::state_format_version;
  mod.attr("MISSING") = 255;

  // ethos::error and every exception derived from it (csv_error, validation_error ...) raise ethos.Error.
  py::register_exception<ethos::error>(mod, "Error", PyExc_ValueError);

  py::class_<py_instrument, std::shared_ptr<py_instrument>>(mod, "Instrument", R"doc(
A survey instrument: its scale, constructs and items. Read one with ``read_instrument(path)`` (ethos.instrument/1
JSON) or take the bundled one with ``service_culture_audit()``.)doc")
      .def_property_readonly("id", [](const py_instrument& i) { return std::string(i.view().id); })
      .def_property_readonly("title", [](const py_instrument& i) { return std::string(i.view().title); })
      .def_property_readonly(
          "scale",
          [](const py_instrument& i) {
            const auto v = i.view();
            return std::make_pair(v.scale.min(), v.scale.max());
          },
          "The Likert scale's lowest and highest answer, as a tuple.")
      .def_property_readonly(
          "items", [](const py_instrument& i) { return names_of(i.view().items, &ethos::item_spec::id); },
          "Item ids in instrument order (every item, NPS and six-level ones included).")
      .def_property_readonly(
          "constructs",
          [](const py_instrument& i) { return names_of(i.view().constructs, &ethos::construct_spec::key); },
          "Construct keys in instrument order.")
      .def_property_readonly(
          "nps_item",
          [](const py_instrument& i) -> py::object {
            const auto v = i.view();
            return v.nps_item.empty() ? py::object(py::none()) : py::object(py::str(std::string(v.nps_item)));
          },
          "The id of the eNPS item, or None.")
      .def(
          "construct_items",
          [](const py_instrument& i, const std::string& key) {
            const auto v = i.view();
            if (!v.construct_index(key)) {
              throw ethos::error("instrument '" + std::string(v.id) + "': no construct '" + key + "'");
            }
            return construct_items(v, key);
          },
          py::arg("key"), "The ids of a construct's items, in instrument order.")
      .def(
          "reverse_keyed",
          [](const py_instrument& i, const std::vector<std::string>& ids) {
            const auto v = i.view();
            std::vector<bool> out;
            for (const auto& id : ids) {
              const auto at = v.item_index(id);
              if (!at) {
                throw ethos::error("instrument '" + std::string(v.id) + "': no item '" + id + "'");
              }
              out.push_back(v.items[*at].reverse);
            }
            return out;
          },
          py::arg("item_ids"), "For each item id, whether it is reverse-keyed (scored as min + max - x).")
      .def(
          "to_json", [](const py_instrument& i) { return ethos::instrument_to_json_string(i.view()); },
          "The instrument as ethos.instrument/1 JSON text.")
      .def(py::pickle([](const py_instrument& i) { return ethos::instrument_to_json_string(i.view()); },
                      [](const std::string& json) {
                        return std::make_shared<py_instrument>(
                            py_instrument{ethos::parse_instrument(json, "pickled Instrument")});
                      }))
      .def("__repr__", [](const py_instrument& i) {
        const auto v = i.view();
        return "<ethos.Instrument '" + std::string(v.id) + "': " + std::to_string(v.items.size()) + " items, " +
               std::to_string(v.constructs.size()) + " constructs>";
      });

  mod.def(
      "read_instrument",
      [](const std::string& path) {
        return std::make_shared<py_instrument>(py_instrument{ethos::load_instrument_file(path)});
      },
      py::arg("path"), "Reads an instrument from ethos.instrument/1 JSON. Raises ethos.Error naming the place.");

  mod.def(
      "service_culture_audit",
      [] {
        return std::make_shared<py_instrument>(
            py_instrument{ethos::instrument(ethos::instruments::service_culture_audit.view())});
      },
      "The bundled 48-item service culture audit (12 building blocks, eNPS and six-level items).");

  py::class_<py_responses, std::shared_ptr<py_responses>>(mod, "Responses", R"doc(
Survey answers read against an instrument: one row per respondent, one column per item (255 = missing), the
respondent ids and the metadata columns.)doc")
      .def_property_readonly(
          "rows", [](const py_responses& r) { return r.read.matrix.rows(); }, "Respondents (rows used).")
      .def("__len__", [](const py_responses& r) { return r.read.matrix.rows(); })
      .def_property_readonly(
          "rows_read", [](const py_responses& r) { return r.read.rows; },
          "Data rows in the file, invalid ones included.")
      .def_property_readonly(
          "invalid", [](const py_responses& r) { return r.read.invalid; }, "Rows left out (skip_invalid=True only).")
      .def_property_readonly(
          "invalid_messages",
          [](const py_responses& r) {
            std::vector<std::string> out;
            for (const auto& i : r.read.first_invalid) {
              out.push_back(i.message());
            }
            return out;
          },
          "The first problems of the rows left out, as file:line:column: reason.")
      .def_property_readonly("warnings",
                             [](const py_responses& r) {
                               std::vector<std::string> out;
                               for (const auto& w : r.read.warnings) {
                                 out.push_back(w.message);
                               }
                               return out;
                             })
      .def_property_readonly("item_ids", [](const py_responses& r) { return r.read.matrix.item_ids(); })
      .def_property_readonly("respondent_ids", [](const py_responses& r) { return r.read.matrix.respondent_ids(); })
      .def_property_readonly(
          "group_columns",
          [](const py_responses& r) {
            std::vector<std::string> out;
            for (const auto& g : r.read.matrix.groups()) {
              out.push_back(g.name);
            }
            return out;
          },
          "The metadata columns' names.")
      .def("answers", &answers_of, py::arg("item_ids") = py::none(), R"doc(
The answers to ``item_ids`` (every item when None) as a rows x k uint8 array in column-major order (each item's
answers contiguous), 255 for a missing answer. Answers are raw, not reverse-keyed. The array is a copy the caller
owns; passing it to ``LikertAccumulator.add`` copies nothing more.)doc")
      .def("group_codes", &group_codes_of, py::arg("column"), R"doc(
``(codes, levels)`` of a metadata column: a uint32 array with each row's index into ``levels``, the distinct labels
in order of first appearance.)doc")
      .def("__repr__", [](const py_responses& r) {
        return "<ethos.Responses: " + std::to_string(r.read.matrix.rows()) + " rows, " +
               std::to_string(r.read.matrix.columns()) + " items>";
      });

  mod.def(
      "read_responses",
      [](const std::string& path, const std::shared_ptr<py_instrument>& ins, const std::string& id_column,
         std::optional<std::vector<std::string>> metadata_columns, const std::string& wave_column, bool skip_invalid) {
        const auto opt = csv_options_of(id_column, std::move(metadata_columns), wave_column, skip_invalid);
        auto out = std::make_shared<py_responses>();
        out->instrument = ins;
        {
          py::gil_scoped_release unlocked;
          out->read = ethos::read_responses_file(path, ins->view(), opt);
        }
        return out;
      },
      py::arg("path"), py::arg("instrument"), py::arg("id_column") = "id", py::arg("metadata_columns") = py::none(),
      py::arg("wave_column") = "", py::arg("skip_invalid") = false, R"doc(
Reads a responses CSV against ``instrument``. A bad file raises ethos.Error with "file:line:column: reason";
with ``skip_invalid=True`` bad rows are left out and counted (``Responses.invalid``).)doc");

  mod.def(
      "parse_responses",
      [](const py::buffer& data, const std::shared_ptr<py_instrument>& ins, const std::string& name,
         const std::string& id_column, std::optional<std::vector<std::string>> metadata_columns,
         const std::string& wave_column, bool skip_invalid) {
        const auto opt = csv_options_of(id_column, std::move(metadata_columns), wave_column, skip_invalid);
        auto out = std::make_shared<py_responses>();
        out->instrument = ins;
        // Any contiguous bytes-like object (bytes, bytearray, memoryview, a NumPy uint8 array), read in place.
        const py::buffer_info info = data.request();
        if (info.itemsize != 1 || info.ndim != 1 || (info.ndim == 1 && info.strides[0] != 1)) {
          throw ethos::error("parse_responses: data must be contiguous bytes (bytes, bytearray or memoryview)");
        }
        const std::string_view bytes(static_cast<const char*>(info.ptr), static_cast<std::size_t>(info.size));
        {
          py::gil_scoped_release unlocked;
          memory_buffer buffer(bytes);
          std::istream in(&buffer);
          out->read = ethos::read_responses(in, name, ins->view(), opt);
        }
        return out;
      },
      py::arg("data"), py::arg("instrument"), py::arg("name") = "<bytes>", py::arg("id_column") = "id",
      py::arg("metadata_columns") = py::none(), py::arg("wave_column") = "", py::arg("skip_invalid") = false, R"doc(
As ``read_responses``, from CSV bytes held in memory (a header line, then rows): a partition of a large file, say.
``data`` is any contiguous bytes-like object (bytes, bytearray, memoryview), read in place. Messages name ``name``
and the line within these bytes.)doc");

  mod.def("score", &score_dict, py::arg("instrument"), py::arg("responses"), py::arg("min_answered") = py::none(),
          R"doc(
Person construct scores: a dict of construct key to a float64 array with one score per respondent, NaN where the
respondent answered fewer than ``min_answered`` of its items (default: half, rounded up).)doc");

  mod.def("assess", &assess_dict, py::arg("instrument"), py::arg("responses"), py::arg("group_by") = py::none(),
          py::arg("unit_column") = py::none(), py::arg("min_group_size") = 5, py::arg("cut") = py::none(),
          py::arg("agreement_over") = "shown", py::arg("threads") = 0, R"doc(
The assessment as a dict with exactly the content of ``ethos-assess --format json`` (schema ethos.results/1) for
the same options: constructs, eNPS, groups, units, cuts and drivers after the privacy rules, with the audit. Hidden
cells carry no value. ``unit_column`` defaults to ``group_by`` (as the tool's); ``threads=0`` uses every core.)doc");

  py::class_<py_accumulator>(mod, "LikertAccumulator", R"doc(
Exact, mergeable counts of k Likert items, overall and per group. Merging is addition, so the result never depends
on how rows were split into partitions or in which order the parts were merged. Pickles through the portable
binary state (``to_bytes``), so it can travel between processes and machines.)doc")
      .def(py::init([](const py::object& items, std::pair<int, int> scale, std::optional<std::vector<bool>> reverse,
                       std::size_t groups, std::optional<std::size_t> min_answered, bool count_patterns) {
             std::vector<std::string> names;
             auto cfg = make_config(items, scale, std::move(reverse), groups, min_answered, count_patterns, names);
             return py_accumulator(ethos::likert_accumulator(std::move(cfg)), std::move(names));
           }),
           py::arg("items"), py::arg("scale") = std::make_pair(1, 5), py::arg("reverse") = py::none(),
           py::arg("groups") = 0, py::arg("min_answered") = py::none(), py::arg("count_patterns") = true, R"doc(
``items``: the number of items, or their names (used as the keys of per-item results). ``scale``: (min, max).
``reverse``: one flag per item (reverse-keyed items count as min + max - x). ``groups``: number of groups (0:
none). ``min_answered``: answered items a person score needs (default half, rounded up).)doc")
      .def("add", &add_answers, py::arg("answers"), py::arg("group_codes") = py::none(), R"doc(
Adds rows: ``answers`` is rows x k (255 or NaN = missing; raw answers, not keyed), ``group_codes`` one code below
``groups`` per row when groups are configured. A uint8 array in column-major order (what ``Responses.answers``
returns, or ``np.asfortranarray``) is read in place: no copy. Any other layout or integer/float dtype is copied
once, 4096 rows at a time, and checked. Raises ethos.Error, adding nothing, for an answer off the scale or a bad
group code. Releases the GIL while counting.)doc")
      .def(
          "merge",
          [](py_accumulator& self, const py_accumulator& o) -> py_accumulator& {
            self.acc.merge(o.acc);
            return self;
          },
          py::arg("other"), py::return_value_policy::reference_internal,
          "Adds another accumulator's counts (same design).")
      .def(
          "__iadd__",
          [](py_accumulator& self, const py_accumulator& o) -> py_accumulator& {
            self.acc.merge(o.acc);
            return self;
          },
          py::return_value_policy::reference_internal)
      .def("__add__",
           [](const py_accumulator& self, const py_accumulator& o) {
             py_accumulator out = self;
             out.acc.merge(o.acc);
             return out;
           })
      .def("__eq__", [](const py_accumulator& a, const py_accumulator& b) { return a.acc == b.acc; })
      .def("copy", [](const py_accumulator& self) { return self; })
      .def_property_readonly("rows", [](const py_accumulator& s) { return s.acc.rows(); })
      .def_property_readonly("items", [](const py_accumulator& s) { return s.names; })
      .def_property_readonly(
          "scale", [](const py_accumulator& s) { return std::make_pair(s.acc.config().min, s.acc.config().max); })
      .def_property_readonly("groups", [](const py_accumulator& s) { return s.acc.config().groups; })
      .def_property_readonly("reverse", [](const py_accumulator& s) { return s.acc.config().reverse; })
      .def_property_readonly("min_answered", [](const py_accumulator& s) { return s.acc.config().min_answered; })
      .def_property_readonly("counts_patterns", [](const py_accumulator& s) { return s.acc.counts_patterns(); })
      .def(
          "regrouped",
          [](const py_accumulator& self, const std::vector<std::uint32_t>& to, std::size_t groups) {
            return py_accumulator(self.acc.regrouped(to, groups), self.names);
          },
          py::arg("mapping"), py::arg("groups"), R"doc(
A copy with group g renumbered ``mapping[g]`` of ``groups`` groups (groups mapped together are added). Partitions
that numbered their groups by first appearance merge after each is regrouped onto one shared numbering.)doc")
      .def("reliability", &reliability_dict, R"doc(
Reliability as the results JSON's ``reliability`` object: alpha, std_alpha, average_r, alpha_ci (Feldt), ase,
alpha_if_dropped and r_drop per item, omega_total and ordinal_alpha; a missing figure is None with a
"<name>_reason" key.)doc")
      .def("agreement", &agreement_dict, py::arg("ranvar") = py::none(), R"doc(
Within-group agreement on the items (listwise rows): per group n, rwg_j, awg and ad_m, and the rwg(j) summary.
Without groups, the same figures for all rows as one group.)doc")
      .def("icc", &icc_dict, "ICC(1) and ICC(2) of the person scores across the groups, with MSB and MSW.")
      .def("to_bytes", &to_bytes, "The portable binary state (format ethos.state/1, docs/state_format.md).")
      .def_static(
          "from_bytes",
          [](const py::bytes& b, std::optional<std::vector<std::string>> names) {
            auto acc = ethos::decode_likert_state(byte_span(b), "LikertAccumulator.from_bytes");
            if (names && names->size() != acc.config().items) {
              throw ethos::error("LikertAccumulator.from_bytes: " + std::to_string(names->size()) + " names for " +
                                 std::to_string(acc.config().items) + " items");
            }
            return py_accumulator(std::move(acc), names.value_or(std::vector<std::string>{}));
          },
          py::arg("data"), py::arg("items") = py::none(),
          "An accumulator from its binary state; raises ethos.Error for truncated, damaged or forged bytes.")
      .def(py::pickle(
          [](const py_accumulator& s) { return py::make_tuple(to_bytes(s), s.names); },
          [](const py::tuple& t) {
            if (t.size() != 2) {
              throw ethos::error("LikertAccumulator: a pickled state has 2 parts, not " + std::to_string(t.size()));
            }
            auto acc = ethos::decode_likert_state(byte_span(t[0].cast<py::bytes>()), "pickled LikertAccumulator");
            auto names = t[1].cast<std::vector<std::string>>();
            if (names.size() != acc.config().items) {
              throw ethos::error("pickled LikertAccumulator: " + std::to_string(names.size()) + " names for " +
                                 std::to_string(acc.config().items) + " items");
            }
            return py_accumulator(std::move(acc), std::move(names));
          }))
      .def("__repr__", [](const py_accumulator& s) {
        const auto& c = s.acc.config();
        return "<ethos.LikertAccumulator: " + std::to_string(c.items) + " items on " + std::to_string(c.min) + ".." +
               std::to_string(c.max) + ", " + std::to_string(c.groups) + " groups, " + std::to_string(s.acc.rows()) +
               " rows>";
      });
}
