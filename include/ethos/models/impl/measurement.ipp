// ethos/models/impl/measurement.ipp: definitions of ethos/models/measurement.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/models/measurement.hpp>

#include <ethos/error.hpp>
#include <ethos/stats/covariance.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

namespace detail {

// The instrument's structure over the columns of `m`: each construct with Likert items a factor of its items (in
// instrument order), their answer columns and keying.
struct likert_structure {
  std::vector<std::string> items;
  std::vector<std::string> factors;
  factor_structure model;
  std::vector<const std::uint8_t*> columns;
  std::vector<bool> reverse;
};

inline likert_structure likert_structure_of(const instrument_view& inst, const response_matrix& m,
                                            const measurement_options& opt, std::string_view what) {
  likert_structure out;
  out.model.unit_variance = opt.unit_variance;
  for (const auto& c : inst.constructs) {
    std::vector<std::size_t> members;
    for (const auto& it : inst.items) {
      if (it.construct != c.key || it.format != response_format::likert) {
        continue;
      }
      const auto col = m.column_of(it.id);
      if (!col) {
        throw error(std::string(what) + ": item '" + std::string(it.id) + "' of construct '" + std::string(c.key) +
                    "' has no column in the responses");
      }
      members.push_back(out.items.size());
      out.items.emplace_back(it.id);
      out.columns.push_back(m.column(*col).data());
      out.reverse.push_back(it.reverse);
    }
    if (!members.empty()) {
      out.factors.emplace_back(c.key);
      out.model.factors.push_back(std::move(members));
    }
  }
  out.model.items = out.items.size();
  return out;
}

} // namespace detail

ETHOS_DECL measurement_model fit_measurement_model(const instrument_view& inst, const response_matrix& m,
                                                   const measurement_options& opt) {
  measurement_model out;
  out.rows = m.rows();
  auto st = detail::likert_structure_of(inst, m, opt, "measurement model");
  out.items = st.items;
  out.factors = st.factors;
  out.factor_of.assign(st.items.size(), 0);
  for (std::size_t f = 0; f < st.model.factors.size(); ++f) {
    for (const auto i : st.model.factors[f]) {
      out.factor_of[i] = f;
    }
  }
  // Omega per construct, over the rows that answered every item of that construct.
  for (std::size_t f = 0; f < st.model.factors.size(); ++f) {
    construct_omega om;
    om.construct = st.factors[f];
    std::vector<const std::uint8_t*> own;
    std::vector<bool> own_reverse;
    for (const auto i : st.model.factors[f]) {
      om.items.push_back(st.items[i]);
      own.push_back(st.columns[i]);
      own_reverse.push_back(st.reverse[i]);
    }
    covariance_accumulator acc(own.size(), inst.scale.min(), inst.scale.max(), own_reverse);
    acc.add(own, m.rows());
    om.n = acc.complete();
    if (om.n < 2) {
      om.omega.reason = "fewer than 2 respondents answered every item of the construct";
      om.omega.code = reason_code::too_few_cases;
    } else {
      om.omega = omega_total(acc.covariance(), static_cast<std::size_t>(om.n), opt.search);
    }
    out.omega.push_back(std::move(om));
  }
  if (st.model.items == 0) {
    out.cfa.reason = "the instrument has no Likert items";
    out.cfa.code = reason_code::no_data;
    return out;
  }
  covariance_accumulator acc(st.columns.size(), inst.scale.min(), inst.scale.max(), st.reverse);
  acc.add(st.columns, m.rows());
  out.complete = acc.complete();
  if (out.complete < 2) {
    out.cfa.reason = "fewer than 2 respondents answered every item";
    out.cfa.code = reason_code::too_few_cases;
    return out;
  }
  out.cfa =
      confirmatory_factor_analysis(acc.covariance(), static_cast<std::size_t>(out.complete), st.model, opt.search);
  return out;
}

ETHOS_DECL measurement_invariance_model fit_measurement_invariance(const instrument_view& inst,
                                                                   const response_matrix& m, std::string_view by,
                                                                   const measurement_options& opt) {
  const group_column* column = m.group(by);
  if (column == nullptr) {
    throw error("measurement invariance: the responses have no column '" + std::string(by) + "'");
  }
  measurement_invariance_model out;
  out.by = std::string(by);
  auto st = detail::likert_structure_of(inst, m, opt, "measurement invariance");
  out.items = st.items;
  out.factors = st.factors;
  const auto& model = st.model;
  const auto& columns = st.columns;
  const auto& reverse = st.reverse;
  if (model.items == 0) {
    out.reason = "the instrument has no Likert items";
    out.code = reason_code::no_data;
    return out;
  }
  const std::size_t p = model.items;
  // Each level's rows (a counting sort of the rows by level), then each level's sums over its rows, gathered 4,096
  // rows at a time: the memory is the row order and one block, whatever the number of levels.
  const std::size_t levels = column->levels.size();
  std::vector<std::size_t> start(levels + 1, 0);
  for (const auto code : column->codes) {
    ++start[code + 1];
  }
  for (std::size_t l = 0; l < levels; ++l) {
    start[l + 1] += start[l];
  }
  std::vector<std::uint32_t> order(m.rows());
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < m.rows(); ++r) {
      order[next[column->codes[r]]++] = static_cast<std::uint32_t>(r);
    }
  }
  constexpr std::size_t block = 4096;
  std::vector<std::uint8_t> buffer(p * block);
  std::vector<const std::uint8_t*> block_columns(p);
  for (std::size_t j = 0; j < p; ++j) {
    block_columns[j] = buffer.data() + j * block;
  }
  const std::size_t min_rows = opt.min_group_rows == 0 ? p + 1 : opt.min_group_rows;
  std::vector<sample_moments> groups;
  for (std::size_t l = 0; l < levels; ++l) {
    const std::string& label = column->levels[l];
    if (label.empty()) {
      out.unlabelled += start[l + 1] - start[l];
      continue;
    }
    covariance_accumulator acc(p, inst.scale.min(), inst.scale.max(), reverse);
    for (std::size_t b = start[l]; b < start[l + 1]; b += block) {
      const std::size_t rows = std::min(block, start[l + 1] - b);
      for (std::size_t j = 0; j < p; ++j) {
        std::uint8_t* dst = buffer.data() + j * block;
        for (std::size_t r = 0; r < rows; ++r) {
          dst[r] = columns[j][order[b + r]];
        }
      }
      acc.add(block_columns, rows);
    }
    if (acc.complete() < min_rows) {
      out.left_out.push_back(label);
      continue;
    }
    out.levels.push_back(label);
    out.complete.push_back(acc.complete());
    groups.push_back({label, static_cast<std::size_t>(acc.complete()), acc.covariance(), acc.means()});
  }
  if (groups.size() < 2) {
    out.reason = "fewer than 2 levels of '" + out.by + "' have " + std::to_string(min_rows) +
                 " or more rows with every item answered";
    out.code = reason_code::too_few_groups;
    return out;
  }
  out.invariance = measurement_invariance(groups, model, opt.search, opt.thresholds);
  return out;
}

} // namespace ethos
