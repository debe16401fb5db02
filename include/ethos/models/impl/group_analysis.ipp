// ethos/models/impl/group_analysis.ipp: definitions of ethos/models/group_analysis.hpp (compiled into ethos::compiled,
// or included by the header in header-only mode).
#pragma once

#include <ethos/models/group_analysis.hpp>

#include <ethos/error.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/covariance.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

// The rows with a label, `chunk` at a time: `add(columns, rows, codes)` gets copies of the item columns and the group
// codes of those rows. The accumulators' sums are exact, so adding block by block gives the bits of one pass.
template <class Add>
void add_labelled_rows(std::span<const std::uint8_t* const> columns, std::span<const std::uint32_t> codes,
                       std::uint32_t unlabelled, Add&& add) {
  constexpr std::size_t chunk = 4096;
  std::vector<std::uint8_t> kept(columns.size() * chunk);
  std::vector<std::uint32_t> kept_codes(chunk);
  std::vector<const std::uint8_t*> kept_columns;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    kept_columns.push_back(kept.data() + j * chunk);
  }
  std::size_t held = 0;
  const auto flush = [&] {
    add(std::span<const std::uint8_t* const>(kept_columns), held,
        std::span<const std::uint32_t>(kept_codes.data(), held));
    held = 0;
  };
  for (std::size_t r = 0; r < codes.size(); ++r) {
    if (codes[r] == unlabelled) {
      continue;
    }
    for (std::size_t j = 0; j < columns.size(); ++j) {
      kept[j * chunk + held] = columns[j][r];
    }
    kept_codes[held] = codes[r];
    if (++held == chunk) {
      flush();
    }
  }
  if (held > 0) {
    flush();
  }
}

} // namespace detail

ETHOS_DECL research_group_analysis analyse_over_groups(const instrument_view& inst, const response_matrix& m,
                                                       std::string_view column, const group_analysis_options& opt) {
  const group_column* gc = m.group(column);
  if (gc == nullptr) {
    std::string known;
    for (const auto& g : m.groups()) {
      known += (known.empty() ? "" : ", ") + std::string("'") + g.name + "'";
    }
    throw error("group analysis: no metadata column '" + std::string(column) +
                "' to group by (columns: " + (known.empty() ? std::string("none") : known) + ")");
  }
  for (const auto& it : inst.items) {
    if (it.format == response_format::likert && !m.column_of(it.id)) {
      throw error("group analysis: item '" + std::string(it.id) + "' of construct '" + std::string(it.construct) +
                  "' has no column in the responses");
    }
  }
  research_group_analysis out;
  out.group_by = std::string(column);
  out.rows = m.rows();

  // The groups in byte order of their labels; the empty label is no group.
  std::vector<std::uint32_t> order;
  for (std::uint32_t l = 0; l < gc->levels.size(); ++l) {
    if (!gc->levels[l].empty()) {
      order.push_back(l);
    }
  }
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t x, std::uint32_t y) { return gc->levels[x] < gc->levels[y]; });
  const auto groups = static_cast<std::uint32_t>(order.size());
  const std::uint32_t unlabelled = groups; // the code of a row in no group
  std::vector<std::uint32_t> group_of_level(gc->levels.size(), unlabelled);
  for (std::uint32_t g = 0; g < groups; ++g) {
    group_of_level[order[g]] = g;
    out.groups.push_back({gc->levels[order[g]], 0});
  }
  std::vector<std::uint32_t> codes(m.rows());
  for (std::size_t r = 0; r < m.rows(); ++r) {
    codes[r] = group_of_level[gc->codes[r]];
    if (codes[r] == unlabelled) {
      ++out.unlabelled;
    } else {
      ++out.groups[codes[r]].n;
    }
  }

  const scoring_result scored = score(inst, m, opt.scoring);
  for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
    construct_over_groups co;
    co.construct = std::string(inst.constructs[c].key);
    likert_config cfg(0, inst.scale.min(), inst.scale.max(), groups);
    std::vector<const std::uint8_t*> columns;
    for (const auto& it : inst.items) {
      if (it.construct == inst.constructs[c].key && it.format == response_format::likert) {
        co.items.emplace_back(it.id);
        columns.push_back(m.column(*m.column_of(it.id)).data());
        cfg.reverse.push_back(it.reverse);
      }
    }
    if (columns.empty()) {
      continue;
    }
    cfg.items = columns.size();
    cfg.min_answered = scored.constructs[c].min_answered;

    // Reliability and agreement from one accumulator with a group per label; omega from the exact covariance of the
    // complete rows, as fit_measurement_model computes it.
    likert_accumulator acc(cfg);
    covariance_accumulator cov(columns.size(), inst.scale.min(), inst.scale.max(), cfg.reverse);
    if (groups > 0) {
      const auto add = [&](std::span<const std::uint8_t* const> cols, std::size_t rows,
                           std::span<const std::uint32_t> group_codes) {
        acc.add(cols, rows, group_codes);
        cov.add(cols, rows);
      };
      if (out.unlabelled == 0) {
        add(columns, m.rows(), codes); // every row in a group: the columns as they are, not copied
      } else {
        detail::add_labelled_rows(columns, codes, unlabelled, add);
      }
    }
    co.reliability = reliability(acc);
    co.complete = cov.complete();
    if (co.complete < 2) {
      co.omega.reason = "fewer than 2 respondents answered every item of the construct";
      co.omega.code = reason_code::too_few_cases;
    } else {
      co.omega = omega_total(cov.covariance(), static_cast<std::size_t>(co.complete), opt.search);
    }
    co.agreement = agreement(acc, opt.ranvar);
    std::vector<std::optional<double>> rwg_j;
    std::vector<std::optional<double>> awg;
    std::vector<std::optional<double>> ad_m;
    for (const auto& g : co.agreement) {
      rwg_j.push_back(g.rwg_j);
      awg.push_back(g.awg);
      ad_m.push_back(g.ad_m);
    }
    co.rwg_j = summarize_agreement(rwg_j);
    co.awg = summarize_agreement(awg);
    co.ad_m = summarize_agreement(ad_m);
    co.ad_m.share_ge_070.reset();

    // ICC on the scoring engine's person scores (item weights apply), per group in row order, as assess() has them.
    co.scores.resize(groups);
    const auto person = scored.persons.construct(c);
    for (std::size_t r = 0; r < m.rows(); ++r) {
      if (codes[r] != unlabelled && std::isfinite(person[r])) {
        co.scores[codes[r]].add(person[r]);
      }
    }
    co.icc = icc(std::span<const running_moments>(co.scores));
    out.constructs.push_back(std::move(co));
  }
  return out;
}

ETHOS_DECL research_group_analysis analyse_over_groups(const instrument& inst, const response_matrix& m,
                                                       std::string_view column, const group_analysis_options& opt) {
  return analyse_over_groups(inst.view(), m, column, opt);
}

} // namespace ethos
