// ethos/report/impl/text.ipp: definitions of ethos/report/text.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/report/text.hpp>

#include <ethos/framework/service_level.hpp>
#include <ethos/report/fmt.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace ethos {

namespace detail {

// Display width of UTF-8 text: one column per code point (the labels ethos writes are not East Asian wide).
ETHOS_DECL std::size_t display_width(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char ch : s) {
    n += (static_cast<unsigned char>(ch) & 0xC0U) != 0x80U ? 1U : 0U;
  }
  return n;
}

// At most `width` columns of `s`, ending in "..." when cut; never splits a UTF-8 sequence.
ETHOS_DECL std::string fit(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) {
    return std::string(s);
  }
  const std::size_t keep = width > 3 ? width - 3 : 0;
  std::size_t cols = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0U) == 0x80U) {
      ++len;
    }
    if (cols + 1 > keep) {
      break;
    }
    ++cols;
    i += len;
  }
  return std::string(s.substr(0, i)) + std::string("...").substr(0, width - cols);
}

ETHOS_DECL std::string pad_right(std::string_view s, std::size_t width) {
  std::string out = fit(s, width);
  out.append(width - display_width(out), ' ');
  return out;
}

ETHOS_DECL std::string pad_left(std::string_view s, std::size_t width) {
  std::string out = fit(s, width);
  return std::string(width - display_width(out), ' ') + out;
}

// Words of `text` wrapped to `width` columns, each line starting with `indent` (the first with `first`).
ETHOS_DECL std::string wrap(std::string_view text, std::size_t width, std::string_view first, std::string_view indent) {
  std::string out;
  std::string line(first);
  bool empty = true;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    const std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) {
      continue;
    }
    if (!empty && display_width(line) + 1 + display_width(word) > width) {
      out += line + "\n";
      line = std::string(indent);
      empty = true;
    }
    if (!empty) {
      line += ' ';
    }
    line += fit(word, width - display_width(line));
    empty = false;
  }
  if (!empty) {
    out += line + "\n";
  }
  return out;
}

// Short column heads for constructs: the initials of the key's words without "of", "the", "and", upper
// case, made unique with a digit ("voice_of_the_customer" -> "VC").
ETHOS_DECL std::vector<std::string> construct_abbreviations(const std::vector<construct_assessment>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) {
    std::string a;
    std::size_t pos = 0;
    const std::string& key = c.summary.key;
    while (pos <= key.size()) {
      const std::size_t end = std::min(key.find('_', pos), key.size());
      const std::string_view word = std::string_view(key).substr(pos, end - pos);
      if (!word.empty() && word != "of" && word != "the" && word != "and" && a.size() < 4) {
        a += static_cast<char>(word[0] >= 'a' && word[0] <= 'z' ? word[0] - 'a' + 'A' : word[0]);
      }
      pos = end + 1;
    }
    if (a.empty()) {
      a = "C";
    }
    std::string unique = a;
    for (int n = 2; std::find(out.begin(), out.end(), unique) != out.end(); ++n) {
      unique = a.substr(0, 3) + std::to_string(n);
    }
    out.push_back(unique);
  }
  return out;
}

ETHOS_DECL std::string rule(std::size_t width) { return std::string(width, '-') + "\n"; }

// The title and the line under it: respondents, rows left out, grouping.
ETHOS_DECL std::string text_heading(const assessment& a, std::size_t width) {
  std::string out = fit(a.title.empty() ? a.instrument_id : a.title, width) + "\n";
  std::string sub = fmt::format("{} respondents", a.counts.used);
  if (a.counts.invalid > 0) {
    sub += fmt::format(" ({} rows read, {} invalid and left out)", a.counts.rows, a.counts.invalid);
  }
  if (!a.group_by.empty()) {
    sub += fmt::format("; grouped by '{}', minimum group size {}", a.group_by, a.min_group_size);
  }
  out += wrap(sub, width, "", "");
  out += "\n";
  return out;
}

// Constructs: one row each. The label takes what the numeric columns leave.
ETHOS_DECL std::string text_constructs(const assessment& a, std::size_t width) {
  const bool grouped = !a.group_by.empty();
  const std::size_t numeric = grouped ? 7 + 7 + 6 + 7 + 6 + 6 + 7 + 7 + 7 + 7 : 7 + 7 + 6 + 7 + 6 + 6 + 7;
  const std::size_t label_w = width - numeric;
  std::string out = pad_right("Construct", label_w) + pad_left("n", 7) + pad_left("mean", 7) + pad_left("sd", 6) +
                    pad_left("index", 7) + pad_left("fav", 6) + pad_left("unfav", 6) + pad_left("alpha", 7);
  if (grouped) {
    out += pad_left("ICC1", 7) + pad_left("ICC2", 7) + pad_left("rwg(j)", 7);
  }
  out += "\n" + rule(width);
  for (const auto& c : a.constructs) {
    const auto& s = c.summary;
    out += pad_right(s.label, label_w) + pad_left(std::to_string(s.n), 7) + pad_left(fmt_opt(s.mean, 2), 7) +
           pad_left(fmt_opt(s.sd, 2), 6) + pad_left(fmt_opt(s.index, 1), 7) + pad_left(fmt_share(s.favorable), 6) +
           pad_left(fmt_share(s.unfavorable), 6) + pad_left(fmt_opt(c.reliability.alpha, 2), 7);
    if (grouped) {
      const auto* ag = c.agreement ? &*c.agreement : nullptr;
      out += pad_left(ag ? fmt_opt(ag->icc.icc1, 2) : "n/a", 7) + pad_left(ag ? fmt_opt(ag->icc.icc2, 2) : "n/a", 7) +
             pad_left(ag ? fmt_opt(ag->rwg_j.mean, 2) : "n/a", 7);
    }
    out += "\n";
  }
  return out;
}

// The eNPS paragraph (the assessment has an NPS item).
ETHOS_DECL std::string text_enps(const assessment& a, std::size_t width) {
  std::string out = "\n";
  const auto& e = *a.enps;
  if (a.enps_status != suppression::none) {
    out += wrap(fmt::format("eNPS not shown: {} (n {}).", e.reason, e.n), width, "", "  ");
  } else if (e.score) {
    const auto pct = [&](std::size_t x) { return 100.0 * static_cast<double>(x) / static_cast<double>(e.n); };
    out += wrap(fmt::format("eNPS {:+.1f} (standard error {:.1f}, n {}): {} promoters ({:.0f}%), {} "
                            "passives ({:.0f}%), {} detractors ({:.0f}%).",
                            *e.score, *e.se, e.n, e.promoters, pct(e.promoters), e.passives, pct(e.passives),
                            e.detractors, pct(e.detractors)),
                width, "", "  ");
  } else {
    out += wrap("eNPS n/a" + fmt_reason(e.reason) + ".", width, "", "  ");
  }
  return out;
}

// Six-level ratings: each item's share of answers at each level and its median level.
ETHOS_DECL std::string text_service_levels(const assessment& a, std::size_t width) {
  std::string out = "\nSix-level ratings: share of answers at each level (1 Criminal to 6 Unbelievable)\n";
  const std::size_t item_w = width - (6 + 6 * 7 + 14);
  out += pad_right("Item", item_w) + pad_left("n", 6);
  for (const auto l : all<service_level>) {
    out += pad_left(std::to_string(level_number(l)), 7);
  }
  out += pad_left("median", 14) + "\n" + rule(width);
  for (std::size_t i = 0; i < a.service_levels.size(); ++i) {
    const auto& sl = a.service_levels[i];
    const std::string label = sl.item + (sl.category ? " (" + std::string(to_string(*sl.category)) + ")" : "");
    if (i < a.service_level_status.size() && a.service_level_status[i] != suppression::none) {
      out += pad_right(label, item_w) + pad_left(std::to_string(a.service_level_n[i]), 6) + "  " +
             fit(fmt::format("not shown: fewer than {} answers", a.min_group_size), width - item_w - 8) + "\n";
      continue;
    }
    const std::size_t n = sl.distribution.total();
    out += pad_right(label, item_w) + pad_left(std::to_string(n), 6);
    for (const auto c : sl.distribution.counts) {
      out +=
          pad_left(n > 0 ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(c) / static_cast<double>(n)) : "n/a", 7);
    }
    const auto med = sl.distribution.median();
    out += pad_left(med ? std::string(to_string(*med)) : "n/a", 14) + "\n";
  }
  return out;
}

// The groups table: each group's favourable share per construct, suppressed groups with their size only, then the
// legend of the column heads.
ETHOS_DECL std::string text_groups(const assessment& a, std::size_t width) {
  const auto abbr = construct_abbreviations(a.constructs);
  std::size_t col_w = 5;
  for (const auto& x : abbr) {
    col_w = std::max(col_w, x.size() + 1);
  }
  const std::size_t cols_w = col_w * a.constructs.size();
  // Group labels get what they need up to 40 columns and what the construct columns leave.
  std::size_t longest = 5;
  for (const auto& g : a.groups) {
    longest = std::max(longest, display_width(g.id));
  }
  const std::size_t room = width > cols_w + 6 + 12 ? width - cols_w - 6 : 12;
  const std::size_t group_w = std::min({std::max<std::size_t>(longest, 12), std::size_t{40}, room});
  const bool fits = group_w + 6 + cols_w <= width;
  std::string out =
      "\n" + fit(fmt::format("Groups by '{}': favourable share (%) per construct", a.group_by), width) + "\n";
  if (fits) {
    out += pad_right("Group", group_w) + pad_left("n", 6);
    for (const auto& x : abbr) {
      out += pad_left(x, col_w);
    }
    out += "\n" + rule(group_w + 6 + cols_w);
  }
  for (const auto& g : a.groups) {
    out += pad_right(g.id, group_w) + pad_left(std::to_string(g.n), 6);
    if (g.suppressed == suppression::too_small) {
      out += "  " + fit(fmt::format("suppressed: fewer than {} respondents", a.min_group_size), width - group_w - 8);
    } else if (g.suppressed == suppression::secondary) {
      out += "  " + fit(hidden_reason(suppression::secondary, a.min_group_size), width - group_w - 8);
    } else if (fits) {
      for (const auto& gcst : g.constructs) {
        out += pad_left(gcst.status != suppression::none ? std::string("-")
                        : gcst.favorable                 ? fmt::format("{:.0f}", 100.0 * *gcst.favorable)
                                                         : std::string("n/a"),
                        col_w);
      }
    }
    out += "\n";
  }
  std::string legend;
  for (std::size_t c = 0; c < a.constructs.size(); ++c) {
    legend += (c == 0 ? "" : "; ") + abbr[c] + " " + a.constructs[c].summary.label;
  }
  out += wrap(legend + ".", width, "  ", "  ");
  bool cell_hidden = false;
  for (const auto& g : a.groups) {
    for (const auto& gcst : g.constructs) {
      cell_hidden = cell_hidden || gcst.status != suppression::none;
    }
  }
  if (cell_hidden) {
    out += wrap(fmt::format("'-' (one construct of a group): {} with a score on it, or {}.",
                            hidden_reason(suppression::too_small, a.min_group_size),
                            hidden_reason(suppression::secondary, a.min_group_size)),
                width, "  ", "  ");
  }
  return out;
}

// The key: what each column means.
ETHOS_DECL std::string text_key(const assessment& a, std::size_t width) {
  const auto bands = a.scale.bands();
  std::string out = "\nKey\n";
  std::vector<std::string> key{
      "n: respondents with a score (at least half of the construct's items answered, by default).",
      fmt::format("mean, sd: of person scores on the {}-{} scale, reverse-keyed items turned round; index: the "
                  "mean rescaled to 0-100.",
                  a.scale.min(), a.scale.max()),
      fmt::format("fav, unfav: share of answers at {} or above, and at {} or below.", bands.favorable_min,
                  bands.unfavorable_max),
      "alpha: Cronbach's alpha of the construct's items (pairwise, as R's psych::alpha); below 0.70 the items "
      "may not measure one thing.",
  };
  if (!a.group_by.empty()) {
    key.push_back("Groups: cells are the favourable share of the group's answers; a group below the minimum size, "
                  "and any group whose scores would let it be worked out by subtraction, shows no score.");
    const std::string what = "ICC1: share of score variance that lies between groups; ICC2: reliability of the "
                             "group means; rwg(j): mean within-group agreement (1 = full agreement); ";
    if (a.agreement_over == agreement_scope::shown) {
      key.push_back(what + "all over shown groups only.");
    } else {
      // All groups were asked for: say which constructs got them, and why the others did not.
      std::vector<std::string> shown_only;
      for (const auto& c : a.constructs) {
        if (c.agreement && c.agreement->over == agreement_scope::shown) {
          shown_only.push_back("'" + c.summary.label + "'");
        }
      }
      std::string line = what;
      if (shown_only.empty()) {
        line += "all over all groups, small ones included.";
      } else if (shown_only.size() == a.constructs.size()) {
        line += "all over shown groups only, although all groups were asked for: on every construct a group is "
                "hidden, and over all groups these figures would let its figures be worked out.";
      } else {
        line += "all over all groups, small ones included, except for ";
        for (std::size_t i = 0; i < shown_only.size(); ++i) {
          line += (i == 0 ? "" : i + 1 == shown_only.size() ? " and " : ", ") + shown_only[i];
        }
        line += ", over shown groups only: on them a group is hidden, and over all groups these figures would let "
                "its figures be worked out.";
      }
      key.push_back(line);
    }
  }
  for (const auto& k : key) {
    out += wrap(k, width, "  ", "    ");
  }
  return out;
}

ETHOS_DECL std::string assessment_text(const assessment& a, const text_report_options& options) {
  const std::size_t width = std::max<std::size_t>(options.width, 80);
  std::string out = detail::text_heading(a, width);
  out += detail::text_constructs(a, width);
  if (a.enps) {
    out += detail::text_enps(a, width);
  }
  if (!a.service_levels.empty()) {
    out += detail::text_service_levels(a, width);
  }
  if (!a.group_by.empty() && options.groups && !a.groups.empty()) {
    out += detail::text_groups(a, width);
  }
  if (!a.warnings.empty()) {
    out += "\nWarnings\n";
    for (const auto& w : a.warnings) {
      out += detail::wrap(w.message, width, "  - ", "    ");
    }
  }
  if (options.key) {
    out += detail::text_key(a, width);
  }
  return out;
}

} // namespace detail

ETHOS_DECL std::string text_report(unaudited<assessment> a, const text_report_options& options) {
  return detail::assessment_text(a.get(), options);
}

} // namespace ethos
