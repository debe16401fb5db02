// ethos/org/impl/assessment.ipp: definitions of ethos/org/assessment.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/org/assessment.hpp>
#include <ethos/org/detail/assess_cache.hpp>

#include <ethos/detail/parallel.hpp>
#include <ethos/error.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/covariance.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/stats/polychoric.hpp>
#include <ethos/stats/reliability.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

ETHOS_DECL std::string format_fixed(double x, int decimals) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, decimals);
  return std::string(buf, res.ptr);
}

ETHOS_DECL void withhold_construct(construct_assessment& ca, suppression status, const std::string& reason) {
  construct_summary s;
  s.key = ca.summary.key;
  s.label = ca.summary.label;
  s.items = ca.summary.items;
  s.min_answered = ca.summary.min_answered;
  s.n = ca.summary.n;
  s.reason = reason;
  s.code = reason_code::withheld;
  ca.summary = std::move(s);
  ca.reliability = reliability_result{};
  ca.reliability.reason = reason;
  ca.reliability.code = reason_code::withheld;
  ca.omega = omega_result{};
  ca.omega.reason = reason;
  ca.omega.code = reason_code::withheld;
  ca.ordinal_alpha = ordinal_alpha_result{};
  ca.ordinal_alpha.reason = reason;
  ca.ordinal_alpha.code = reason_code::withheld;
  ca.status = status;
}

// assess, first phase: checks the inputs; returns the grouping column (null when not grouped).
ETHOS_DECL const group_column* assess_group_column(const instrument_view& inst, const response_matrix& m,
                                                   const scoring_result& scored, const assessment_options& opt) {
  if (opt.min_group_size < lowest_min_group_size) {
    throw error("assessment: minimum group size " + std::to_string(opt.min_group_size) + " is below " +
                std::to_string(lowest_min_group_size));
  }
  const group_column* gc = nullptr;
  if (!opt.group_by.empty()) {
    gc = m.group(opt.group_by);
    if (gc == nullptr) {
      std::string known;
      for (const auto& g : m.groups()) {
        known += (known.empty() ? "" : ", ") + std::string("'") + g.name + "'";
      }
      throw error("assessment: no metadata column '" + opt.group_by +
                  "' to group by (columns: " + (known.empty() ? std::string("none") : known) + ")");
    }
  }
  if (scored.constructs.size() != inst.constructs.size() || scored.persons.rows() != m.rows()) {
    throw error("assessment: the scores given are for " + std::to_string(scored.constructs.size()) +
                " constructs and " + std::to_string(scored.persons.rows()) + " respondents, not " +
                std::to_string(inst.constructs.size()) + " and " + std::to_string(m.rows()));
  }
  return gc;
}

// assess: figures of the whole survey follow the minimum group size too: an item or the NPS question answered by
// 1..k-1 people shows its count only.
ETHOS_DECL void assess_whole_survey(assessment& a, std::size_t k, const std::string& below_k) {
  for (auto& sl : a.service_levels) {
    const std::size_t n = sl.distribution.total();
    a.service_level_n.push_back(n);
    a.service_level_status.push_back(n > 0 && n < k ? suppression::too_small : suppression::none);
    if (n > 0 && n < k) {
      sl.distribution.counts.fill(0);
    }
  }
  if (a.enps && a.enps->n > 0 && a.enps->n < k) {
    const std::size_t n = a.enps->n;
    a.enps = enps_result{};
    a.enps->n = n;
    a.enps->reason = below_k + " answered the question";
    a.enps->code = reason_code::withheld;
    a.enps_status = suppression::too_small;
  }
}

// How the respondents fall into the groups of the grouping column (assess's groups phase).
struct assess_grouping {
  const group_column* column = nullptr;       // null: not grouped
  std::size_t levels = 0;                     // labels of the column, the empty one included
  std::vector<std::size_t> order;             // per group (in assessment::groups order): its level
  std::vector<std::ptrdiff_t> group_of_level; // per level: its group, or -1 (the empty label)
  // Accumulator group codes: one per level (the empty label included); shown-ness is applied afterwards.
  std::vector<std::uint32_t> codes;
  std::vector<unsigned char> shown_by_request; // per group: the own rule hid it, shown for assessment_options::show
  std::unordered_map<std::string_view, std::size_t> group_index; // group id -> its index in assessment::groups

  // Per group: whether `cells` (assessment_options::hide or show) names it for construct `*key` (null: any).
  [[nodiscard]] std::vector<unsigned char> asked(const std::vector<std::pair<std::string, std::string>>& cells,
                                                 const std::string* key) const {
    std::vector<unsigned char> out(group_index.size(), 0);
    for (const auto& cell : cells) {
      if (key != nullptr && cell.first != *key) {
        continue;
      }
      if (const auto it = group_index.find(cell.second); it != group_index.end()) {
        out[it->second] = 1;
      }
    }
    return out;
  }

  [[nodiscard]] bool shown_level(const assessment& a, std::uint32_t l) const {
    return group_of_level[l] >= 0 &&
           a.groups[static_cast<std::size_t>(group_of_level[l])].suppressed == suppression::none;
  }
};

// assess: groups: sizes, then primary and secondary suppression. Codes of the empty label mean "no group".
ETHOS_DECL assess_grouping assess_groups(assessment& a, const instrument_view& inst, const response_matrix& m,
                                         const group_column* gc, std::size_t k, bool too_few,
                                         const assessment_options& opt) {
  assess_grouping grouping;
  grouping.column = gc;
  const std::size_t levels = gc != nullptr ? gc->levels.size() : 0;
  grouping.levels = levels;
  std::vector<std::size_t> level_n(levels, 0);
  if (gc != nullptr) {
    for (auto code : gc->codes) {
      ++level_n[code];
    }
  }
  // Alphabetical order: reports are read by looking a group up, and input order means nothing.
  std::vector<std::size_t>& order = grouping.order;
  for (std::size_t l = 0; l < levels; ++l) {
    if (gc->levels[l].empty()) {
      a.ungrouped += level_n[l];
    } else {
      order.push_back(l);
    }
  }
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return gc->levels[x] < gc->levels[y]; });
  std::vector<std::ptrdiff_t>& group_of_level = grouping.group_of_level;
  group_of_level.assign(levels, -1);
  for (const std::size_t l : order) {
    group_of_level[l] = static_cast<std::ptrdiff_t>(a.groups.size());
    group_assessment g;
    g.id = gc->levels[l];
    g.n = level_n[l];
    g.suppressed = g.n < k ? suppression::too_small : suppression::none;
    a.groups.push_back(std::move(g));
  }
  // Secondary suppression: the groups as one level under the whole survey (respondents without a label are
  // the survey's own), so the smallest shown group joins a remainder of 1..k-1 people until none is left.
  {
    std::vector<std::size_t> parent(a.groups.size() + 1, 0);
    std::vector<std::size_t> persons(a.groups.size() + 1, m.rows());
    std::vector<suppression> status(a.groups.size() + 1, too_few ? suppression::too_small : suppression::none);
    parent[0] = static_cast<std::size_t>(-1);
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
      persons[g + 1] = a.groups[g].n;
      status[g + 1] = a.groups[g].suppressed;
    }
    protect_tree(parent, persons, status, k);
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
      grouping.group_index.emplace(a.groups[g].id, g);
    }
    const auto show_asked = grouping.asked(opt.show, nullptr);
    grouping.shown_by_request.assign(a.groups.size(), 0);
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
      a.groups[g].suppressed = status[g + 1];
      // A group hidden only to protect others, with a cell the caller found determined anyway: shown, with only
      // those cells (see the construct rule below).
      if (status[g + 1] == suppression::secondary && show_asked[g] != 0) {
        a.groups[g].suppressed = suppression::none;
        grouping.shown_by_request[g] = 1;
      }
    }
  }
  for (auto& g : a.groups) {
    if (g.suppressed == suppression::none) {
      g.constructs.resize(inst.constructs.size());
    }
  }
  if (gc != nullptr) {
    grouping.codes = gc->codes;
  }
  return grouping;
}

// assess, one construct: omega total and ordinal alpha over the rows `acc` holds (the respondents with a score). A
// design whose answer patterns are counted fills `cov` and `poly` here from the pattern counts, without another pass;
// for a larger one construct_rows_of has added the same rows to them as it read them.
ETHOS_DECL void measurement_figures(construct_rows& out, const likert_accumulator& acc, covariance_accumulator& cov,
                                    polychoric_accumulator& poly) {
  if (acc.counts_patterns()) {
    acc.for_each_pattern([&](std::span<const std::uint8_t> digits, std::uint64_t count) {
      cov.add_keyed(digits, count);
      poly.add_keyed(digits, count);
    });
  }
  out.omega = omega_total(cov);
  const auto pc = poly.polychoric();
  out.ordinal_alpha = ordinal_alpha(pc);
  out.fewest_pair_rows = pc.n.empty() ? 0 : *std::min_element(pc.n.begin(), pc.n.end());
}

// assess, one construct: what it reads from the rows (reliability; per level of the group column, every level:
// agreement, person-score moments, answer bands, respondents with a score).
ETHOS_DECL construct_rows construct_rows_of(const assess_grouping& grouping, std::size_t c, const instrument_view& inst,
                                            const response_matrix& m, const scoring_result& scored,
                                            const likert_config& cfg, const std::vector<std::size_t>& item_cols) {
  const group_column* gc = grouping.column;
  const std::size_t levels = grouping.levels;
  const auto& codes = grouping.codes;
  construct_rows out;
  // Reliability and agreement over the respondents with a score: the people every other figure describes.
  const auto scores = scored.persons.construct(c);
  std::vector<const std::uint8_t*> item_data;
  for (const auto col : item_cols) {
    item_data.push_back(m.column(col).data());
  }
  const auto with_score =
      static_cast<std::size_t>(std::count_if(scores.begin(), scores.end(), [](double x) { return std::isfinite(x); }));
  likert_accumulator acc(cfg);
  // Omega's and ordinal alpha's sums: from the answer patterns after the pass when the accumulator counts them, else
  // added with the same rows in it.
  covariance_accumulator cov(cfg.items, cfg.min, cfg.max, cfg.reverse);
  polychoric_accumulator poly(cfg.items, cfg.min, cfg.max, cfg.reverse);
  const bool rows_for_measurement = !acc.counts_patterns();
  if (with_score == m.rows()) {
    // Everyone has a score: the columns as they are, not copied.
    acc.add(item_data, m.rows(),
            gc != nullptr ? std::span<const std::uint32_t>(codes) : std::span<const std::uint32_t>());
    if (rows_for_measurement) {
      cov.add(item_data, m.rows());
      poly.add(item_data, m.rows());
    }
  } else {
    // The rows with a score, copied a block at a time: the accumulator's sums are exact, so adding block by block
    // gives the same bits as adding all at once, and the copy stays small (no column-sized buffer to fault in).
    constexpr std::size_t chunk = 4096;
    std::vector<std::uint8_t> kept(item_cols.size() * chunk);
    std::vector<std::uint32_t> kept_codes(gc != nullptr ? chunk : 0);
    std::vector<const std::uint8_t*> kept_columns;
    for (std::size_t j = 0; j < item_cols.size(); ++j) {
      kept_columns.push_back(kept.data() + j * chunk);
    }
    std::size_t held = 0;
    const auto flush = [&] {
      acc.add(kept_columns, held,
              gc != nullptr ? std::span<const std::uint32_t>(kept_codes.data(), held)
                            : std::span<const std::uint32_t>());
      if (rows_for_measurement) {
        cov.add(kept_columns, held);
        poly.add(kept_columns, held);
      }
      held = 0;
    };
    for (std::size_t r = 0; r < m.rows(); ++r) {
      if (!std::isfinite(scores[r])) {
        continue;
      }
      for (std::size_t j = 0; j < item_data.size(); ++j) {
        kept[j * chunk + held] = item_data[j][r];
      }
      if (gc != nullptr) {
        kept_codes[held] = codes[r];
      }
      if (++held == chunk) {
        flush();
      }
    }
    if (held > 0) {
      flush();
    }
  }
  out.reliability = reliability(acc);
  measurement_figures(out, acc, cov, poly);
  if (gc == nullptr) {
    return out;
  }
  // rwg(j) per level straight from the accumulator's counts: what agreement() gives, without its copy of every
  // group's counts or the awg and AD nobody reads here.
  const auto points = static_cast<std::size_t>(cfg.max - cfg.min + 1);
  const double ranvar = uniform_null_variance(points);
  out.per_group.resize(levels);
  for (std::size_t l = 0; l < levels; ++l) {
    out.per_group[l] =
        rwg_j_of_counts(acc.group_listwise_hist(l), acc.group_listwise_n(l), points, acc.config(), ranvar);
  }
  // Person scores per level (the scorer's, so weights apply) for ICC and group means, and the answer bands.
  out.moments.resize(levels);
  out.bands.assign(levels, std::array<std::size_t, 3>{});
  out.scored_n.assign(levels, 0);
  std::vector<std::array<std::uint64_t, 256>> lane_of(item_cols.size());
  for (std::size_t j = 0; j < item_cols.size(); ++j) {
    lane_of[j] = band_lane_table(inst.scale, cfg.reverse[j]);
  }
  const std::size_t items = item_data.size();
  for (std::size_t r = 0; r < m.rows(); ++r) {
    if (!std::isfinite(scores[r])) {
      continue; // a group's figures are over its respondents with a score, answers included
    }
    const auto l = codes[r];
    ++out.scored_n[l];
    out.moments[l].add(scores[r]);
    // The row's bands counted in registers, band_lane_answers items at a time.
    for (std::size_t j0 = 0; j0 < items; j0 += band_lane_answers) {
      std::uint64_t lanes = 0;
      for (std::size_t j = j0; j < std::min(items, j0 + band_lane_answers); ++j) {
        lanes += lane_of[j][item_data[j][r]];
      }
      add_band_lanes(out.bands[l], lanes);
    }
  }
  return out;
}

// assess: one construct: reliability and agreement over the respondents with a score, and its figures in each
// shown group (written into `a.groups`), from its rows as `cached` holds them (read into it when empty).
ETHOS_DECL construct_assessment assess_construct(assessment& a, const assess_grouping& grouping, std::size_t c,
                                                 const instrument_view& inst, const response_matrix& m,
                                                 const scoring_result& scored, const assessment_options& opt,
                                                 const std::string& below_k, std::optional<construct_rows>& cached) {
  const group_column* gc = grouping.column;
  const std::size_t levels = grouping.levels;
  const auto& order = grouping.order;
  const auto& group_of_level = grouping.group_of_level;
  const auto shown_level = [&](std::uint32_t l) { return grouping.shown_level(a, l); };
  const std::size_t k = opt.min_group_size;
  construct_assessment ca;
  ca.summary = scored.constructs[c];
  likert_config cfg(0, inst.scale.min(), inst.scale.max(), levels);
  std::vector<std::size_t> item_cols;
  for (const auto& it : inst.items) {
    if (it.construct == inst.constructs[c].key && it.format == response_format::likert) {
      ca.items.emplace_back(it.id);
      item_cols.push_back(*m.column_of(it.id));
      cfg.reverse.push_back(it.reverse);
    }
  }
  cfg.items = item_cols.size();
  cfg.min_answered = ca.summary.min_answered; // the rule the person scores were made with
  if (!cached) {
    cached = construct_rows_of(grouping, c, inst, m, scored, cfg, item_cols);
  }
  const construct_rows& rows = *cached;
  ca.reliability = rows.reliability;
  ca.omega = rows.omega;
  ca.ordinal_alpha = rows.ordinal_alpha;
  // Omega is over the complete rows and each polychoric correlation over the rows that answered both items: sets
  // that may be smaller than the respondents with a score. Fewer than k people behind either: not published.
  if (ca.omega.omega && ca.omega.model.n < k) {
    ca.omega = omega_result{};
    ca.omega.reason = "fewer than " + std::to_string(k) + " respondents answered every item of the construct";
    ca.omega.code = reason_code::withheld;
  }
  if (ca.ordinal_alpha.alpha && rows.fewest_pair_rows < k) {
    ca.ordinal_alpha = ordinal_alpha_result{};
    ca.ordinal_alpha.reason =
        "fewer than " + std::to_string(k) + " respondents answered both items of a pair of the construct";
    ca.ordinal_alpha.code = reason_code::withheld;
  }

  if (gc != nullptr) {
    const auto& per_group = rows.per_group;
    const auto& moments = rows.moments;
    const auto& bands = rows.bands;
    const auto& scored_n = rows.scored_n;
    construct_agreement ag;
    // The construct's own disclosure rule, on the respondents with a score: the overall figure (node 0) and
    // the groups below it, as a two-level tree.
    std::vector<std::size_t> tparent(a.groups.size() + 1, 0);
    std::vector<std::size_t> tpersons(a.groups.size() + 1, 0);
    std::vector<suppression> tstatus(a.groups.size() + 1, suppression::none);
    tparent[0] = static_cast<std::size_t>(-1);
    tpersons[0] = std::accumulate(scored_n.begin(), scored_n.end(), std::size_t{0});
    const auto hide_asked = grouping.asked(opt.hide, &ca.summary.key);
    const auto show_asked = grouping.asked(opt.show, &ca.summary.key);
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
      tpersons[g + 1] = scored_n[order[g]];
      tstatus[g + 1] = a.groups[g].suppressed;
      if (tstatus[g + 1] == suppression::none && hide_asked[g] != 0) {
        tstatus[g + 1] = suppression::secondary;
      }
    }
    protect_tree(tparent, tpersons, tstatus, k);
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
      const bool asked = show_asked[g] != 0;
      if (asked && tstatus[g + 1] == suppression::secondary) {
        tstatus[g + 1] = suppression::none;
      } else if (!asked && tstatus[g + 1] == suppression::none && grouping.shown_by_request[g] != 0) {
        tstatus[g + 1] = suppression::secondary; // the group was hidden; only the cells asked for are shown
      }
    }
    std::vector<running_moments> shown_moments;
    std::vector<std::optional<double>> rwgs;
    // Every group, for agreement_over all; used only when no group with a score on the construct is hidden, since a
    // summary over all groups next to the shown groups' own figures would give a hidden group's away (its rwg(j)
    // from the mean by subtraction, its mean from ICC with the overall SD). Then the two lists differ only by
    // groups without a score, which neither ICC nor rwg(j) counts: the figures are the shown groups' to the bit,
    // and the audit's cell for them (the rows of the shown groups) is exact.
    const bool all_asked = opt.agreement_over == agreement_scope::all;
    std::vector<running_moments> every_moments;
    std::vector<std::optional<double>> every_rwgs;
    bool hidden_scored = false;
    for (std::size_t l = 0; l < levels && all_asked; ++l) {
      if (group_of_level[l] < 0) {
        continue; // the empty label: no group
      }
      const auto gi = static_cast<std::size_t>(group_of_level[l]);
      every_moments.push_back(moments[l]);
      every_rwgs.push_back(per_group[l].rwg_j);
      const bool hidden = !shown_level(static_cast<std::uint32_t>(l)) || tstatus[gi + 1] != suppression::none;
      hidden_scored = hidden_scored || (hidden && moments[l].n() > 0);
    }
    for (std::size_t l = 0; l < levels; ++l) {
      if (!shown_level(static_cast<std::uint32_t>(l))) {
        continue;
      }
      const auto gi = static_cast<std::size_t>(group_of_level[l]);
      auto& g = a.groups[gi].constructs[c];
      g.n = moments[l].n();
      g.status = tstatus[gi + 1];
      if (g.status != suppression::none) {
        continue;
      }
      shown_moments.push_back(moments[l]);
      rwgs.push_back(per_group[l].rwg_j);
      g.mean = moments[l].mean();
      const std::size_t answers = bands[l][0] + bands[l][1] + bands[l][2];
      if (answers > 0) {
        g.favorable = static_cast<double>(bands[l][2]) / static_cast<double>(answers);
      }
      g.rwg_j = per_group[l].rwg_j;
      if (per_group[l].code != reason_code::none) {
        g.rwg_j_reason = agreement_reason(per_group[l].code);
      }
      g.rwg_j_code = per_group[l].code;
    }
    if (all_asked && !hidden_scored) {
      ag.over = agreement_scope::all;
      shown_moments = std::move(every_moments);
      rwgs = std::move(every_rwgs);
    } else if (all_asked) {
      ag.over_reason = "over all groups, ICC and the rwg(j) summary would let a hidden group's figures be worked out "
                       "from the shown groups' figures, so they are over the shown groups";
      ag.over_code = reason_code::withheld;
    }
    ag.icc = icc(std::span<const running_moments>(shown_moments));
    ag.rwg_j = summarize_agreement(rwgs);
    if (ag.rwg_j.groups == 0) {
      const bool shown_only = ag.over == agreement_scope::shown;
      if (shown_moments.empty()) {
        ag.rwg_j_reason = shown_only ? "no group is large enough to be shown" : "the grouping column has no group";
        ag.rwg_j_code = reason_code::too_few_groups;
      } else {
        ag.rwg_j_reason = shown_only ? "no shown group has a defined rwg(j)" : "no group has a defined rwg(j)";
        ag.rwg_j_code = reason_code::depends_on_other;
      }
    }
    ca.agreement = std::move(ag);
  }
  if (ca.summary.n > 0 && ca.summary.n < k) {
    detail::withhold_construct(ca, suppression::too_small, below_k + " have a score on it");
  }
  return ca;
}

// assess, last phase: the warnings a reader should see next to the numbers.
ETHOS_DECL void assess_warnings(assessment& a, const response_matrix& m, const assessment_options& opt, bool too_few) {
  const std::size_t k = opt.min_group_size;
  if (too_few) {
    a.warnings.push_back({warning_code::too_few_respondents, "The survey has " + std::to_string(m.rows()) +
                                                                 " respondents, fewer than the minimum of " +
                                                                 std::to_string(k) + "; no scores are shown."});
  }
  for (const auto& ca : a.constructs) {
    const auto& r = ca.reliability;
    if (too_few) {
      break;
    }
    if (ca.status != suppression::none) {
      a.warnings.push_back({warning_code::construct_not_shown, "'" + ca.summary.label + "': " + ca.summary.reason +
                                                                   ", so none of its figures are shown."});
      continue;
    }
    if (!r.alpha) {
      a.warnings.push_back({warning_code::reliability_unavailable,
                            "'" + ca.summary.label + "': reliability cannot be computed (" + r.reason + ")."});
    } else if (*r.alpha < opt.low_reliability) {
      // Two decimals, or as many more as the threshold needs to be printed exactly, and alpha with as many more
      // as it takes for the printed alpha to be below the printed threshold too (0.6996 would print as 0.70).
      const auto printed = [](double v, int digits) {
        const std::string text = detail::format_fixed(v, digits);
        double x = 0;
        std::from_chars(text.data(), text.data() + text.size(), x); // the locale's decimal mark plays no part
        return x;
      };
      const double threshold = opt.low_reliability;
      int threshold_digits = 2;
      while (threshold_digits < 6 && printed(threshold, threshold_digits) != threshold) {
        ++threshold_digits;
      }
      int digits = threshold_digits;
      while (digits < 9 && printed(*r.alpha, digits) >= printed(threshold, threshold_digits)) {
        ++digits;
      }
      a.warnings.push_back({warning_code::low_reliability,
                            "'" + ca.summary.label + "': alpha " + detail::format_fixed(*r.alpha, digits) +
                                " is below " + detail::format_fixed(threshold, threshold_digits) +
                                "; its items may not measure one thing, so read its score with care."});
    }
    for (const auto& it : r.items) {
      if (it.dropped) {
        a.warnings.push_back({warning_code::item_dropped_from_reliability,
                              "'" + ca.summary.label + "': an item was left out of reliability (" + it.reason + ")."});
      }
    }
    if (ca.agreement && ca.agreement->rwg_j.mean && *ca.agreement->rwg_j.mean < opt.low_agreement) {
      a.warnings.push_back({warning_code::low_agreement, "'" + ca.summary.label + "': mean rwg(j) " +
                                                             detail::format_fixed(*ca.agreement->rwg_j.mean, 2) +
                                                             " is low; group means may not describe a shared view."});
    }
  }
  if (a.enps_status != suppression::none && !too_few) {
    a.warnings.push_back({warning_code::question_not_shown,
                          "The NPS question was answered by " + std::to_string(a.enps->n) +
                              " respondent(s), fewer than " + std::to_string(k) + "; no eNPS is shown."});
  }
  for (std::size_t i = 0; i < a.service_levels.size() && !too_few; ++i) {
    if (a.service_level_status[i] != suppression::none) {
      a.warnings.push_back(
          {warning_code::question_not_shown, "Six-level item '" + a.service_levels[i].item + "' was answered by " +
                                                 std::to_string(a.service_level_n[i]) + " respondent(s), fewer than " +
                                                 std::to_string(k) + "; its ratings are not shown."});
    }
  }
  std::size_t small = 0;
  std::size_t secondary = 0;
  for (const auto& g : a.groups) {
    small += g.suppressed == suppression::too_small ? 1U : 0U;
    secondary += g.suppressed == suppression::secondary ? 1U : 0U;
  }
  if (small > 0) {
    a.warnings.push_back(
        {warning_code::small_groups_hidden, std::to_string(small) + (small == 1 ? " group has" : " groups have") +
                                                " fewer than " + std::to_string(k) + " respondents; " +
                                                (small == 1 ? "its" : "their") + " scores are suppressed."});
  }
  if (secondary > 0) {
    a.warnings.push_back({warning_code::hidden_by_subtraction,
                          std::to_string(secondary) + (secondary == 1 ? " further group is" : " further groups are") +
                              " hidden so that the small groups cannot be worked out by subtraction."});
  }
  if (a.ungrouped > 0) {
    a.warnings.push_back(
        {warning_code::unlabelled_respondents, std::to_string(a.ungrouped) + " respondent(s) have no '" + opt.group_by +
                                                   "' label; they count in the overall results only."});
  }
}

} // namespace detail

namespace detail {

ETHOS_DECL assessment assess_cached(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                                    const assessment_options& opt, assess_cache& cache) {
  const group_column* gc = detail::assess_group_column(inst, m, scored, opt);
  assessment a;
  a.instrument_id = std::string(inst.id);
  a.title = std::string(inst.title);
  a.scale = inst.scale;
  a.counts = {m.rows(), m.rows(), 0};
  a.enps = scored.enps;
  a.service_levels = scored.service_levels;
  a.group_by = opt.group_by;
  a.min_group_size = opt.min_group_size;
  a.agreement_over = opt.agreement_over;
  const std::size_t k = opt.min_group_size;
  const bool too_few = m.rows() < k;
  const std::string below_k = "fewer than " + std::to_string(k) + " respondents";
  detail::assess_whole_survey(a, k, below_k);
  const detail::assess_grouping grouping = detail::assess_groups(a, inst, m, gc, k, too_few, opt);
  cache.constructs.resize(inst.constructs.size());
  // Each construct on its own (it writes its own cell of each group): on `opt.threads` threads.
  std::vector<construct_assessment> constructs(inst.constructs.size());
  detail::parallel_for(constructs.size(), opt.threads, [&](std::size_t c) {
    constructs[c] = detail::assess_construct(a, grouping, c, inst, m, scored, opt, below_k, cache.constructs[c]);
  });
  a.constructs = std::move(constructs);
  detail::assess_warnings(a, m, opt, too_few);
  return a;
}

} // namespace detail

ETHOS_DECL assessment assess(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                             const assessment_options& opt) {
  detail::assess_cache cache;
  return detail::assess_cached(inst, m, scored, opt, cache);
}

ETHOS_DECL assessment assess(const instrument_view& inst, const response_matrix& m, const assessment_options& opt) {
  return assess(inst, m, score(inst, m, opt.scoring), opt);
}

ETHOS_DECL assessment assess(const instrument& inst, const response_matrix& m, const assessment_options& opt) {
  return assess(inst.view(), m, opt);
}

} // namespace ethos
