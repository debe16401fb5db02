// ethos/models/impl/measurement.ipp: definitions of ethos/models/measurement.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/models/measurement.hpp>

#include <ethos/error.hpp>
#include <ethos/stats/covariance.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ethos {

ETHOS_DECL measurement_model fit_measurement_model(const instrument_view& inst, const response_matrix& m,
                                                   const measurement_options& opt) {
  measurement_model out;
  out.rows = m.rows();
  factor_structure model;
  model.unit_variance = opt.unit_variance;
  std::vector<const std::uint8_t*> columns;
  std::vector<bool> reverse;
  for (const auto& c : inst.constructs) {
    std::vector<std::size_t> members;
    construct_omega om;
    om.construct = std::string(c.key);
    std::vector<const std::uint8_t*> own;
    std::vector<bool> own_reverse;
    for (const auto& it : inst.items) {
      if (it.construct != c.key || it.format != response_format::likert) {
        continue;
      }
      const auto col = m.column_of(it.id);
      if (!col) {
        throw error("measurement model: item '" + std::string(it.id) + "' of construct '" + std::string(c.key) +
                    "' has no column in the responses");
      }
      members.push_back(out.items.size());
      out.items.emplace_back(it.id);
      om.items.emplace_back(it.id);
      columns.push_back(m.column(*col).data());
      reverse.push_back(it.reverse);
      own.push_back(m.column(*col).data());
      own_reverse.push_back(it.reverse);
    }
    if (members.empty()) {
      continue;
    }
    out.factors.emplace_back(c.key);
    model.factors.push_back(members);
    // Omega over the rows that answered every item of this construct.
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
  model.items = out.items.size();
  if (model.items == 0) {
    out.cfa.reason = "the instrument has no Likert items";
    out.cfa.code = reason_code::no_data;
    return out;
  }
  covariance_accumulator acc(columns.size(), inst.scale.min(), inst.scale.max(), reverse);
  acc.add(columns, m.rows());
  out.complete = acc.complete();
  if (out.complete < 2) {
    out.cfa.reason = "fewer than 2 respondents answered every item";
    out.cfa.code = reason_code::too_few_cases;
    return out;
  }
  out.cfa = confirmatory_factor_analysis(acc.covariance(), static_cast<std::size_t>(out.complete), model, opt.search);
  return out;
}

} // namespace ethos
