// ethos/io/impl/results_csv.ipp: definitions of ethos/io/results_csv.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/results_csv.hpp>

#include <ethos/error.hpp>
#include <ethos/io/csv_writer.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/rollup.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

ETHOS_DECL void write_person_scores(std::ostream& out, const instrument_view& inst, const response_matrix& m,
                                    const scoring_result& scores) {
  if (scores.constructs.size() != inst.constructs.size() || scores.persons.rows() != m.rows()) {
    throw error("write_person_scores: scores for " + std::to_string(scores.constructs.size()) + " constructs and " +
                std::to_string(scores.persons.rows()) + " respondents do not match " +
                std::to_string(inst.constructs.size()) + " constructs and " + std::to_string(m.rows()) +
                " respondents");
  }
  std::vector<std::string_view> header{"id"};
  for (const auto& g : m.groups()) {
    header.push_back(g.name);
  }
  for (const auto& c : inst.constructs) {
    header.push_back(c.key);
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (header[j] == header[i]) {
        throw error("write_person_scores: column '" + std::string(header[i]) + "' would appear twice");
      }
    }
  }
  csv_writer w(out);
  w.row(header);
  const auto& ids = m.respondent_ids();
  for (std::size_t r = 0; r < m.rows(); ++r) {
    w.field(ids[r]);
    for (const auto& g : m.groups()) {
      w.field(g.label(r));
    }
    for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
      w.field(scores.persons.score(c, r));
    }
    w.end_row();
  }
}

namespace detail {

ETHOS_DECL void group_results_csv(std::ostream& out, const assessment& a) {
  if (a.group_by.empty()) {
    throw error("write_group_results: the results of '" + a.instrument_id + "' are not grouped");
  }
  csv_writer w(out);
  w.field(a.group_by).field("n").field("status");
  for (const auto& c : a.constructs) {
    for (const char* suffix : {"_n", "_mean", "_favorable", "_rwg_j"}) {
      w.field(c.summary.key + suffix);
    }
  }
  w.end_row();
  for (const auto& g : a.groups) {
    w.field(g.id).field(g.n).field(key(g.suppressed));
    for (std::size_t c = 0; c < a.constructs.size(); ++c) {
      if (g.suppressed != suppression::none) {
        w.empty().empty().empty().empty();
        continue;
      }
      const auto& x = g.constructs[c];
      if (x.status != suppression::none) {
        w.field(x.n).empty().empty().empty();
        continue;
      }
      w.field(x.n).field(x.mean).field(x.favorable).field(x.rwg_j);
    }
    w.end_row();
  }
}

ETHOS_DECL void unit_results_csv(std::ostream& out, const org_rollup& r) {
  csv_writer w(out);
  w.field("unit").field("parent").field("depth").field("respondents").field("invited").field("participation");
  for (const auto& c : r.constructs) {
    for (const char* suffix : {"_n", "_status", "_mean", "_sd", "_favorable", "_rwg_j"}) {
      w.field(c.key + suffix);
    }
  }
  w.end_row();
  for (const auto& u : r.units) {
    w.field(u.id).field(u.parent).field(u.depth).field(u.respondents);
    if (u.invited) {
      w.field(*u.invited);
    } else {
      w.empty();
    }
    w.field(u.participation);
    for (const auto& cell : u.constructs) {
      w.field(cell.n).field(key(cell.status));
      if (!cell.shown()) {
        w.empty().empty().empty().empty();
        continue;
      }
      w.field(cell.mean).field(cell.sd).field(cell.favorable).field(cell.rwg_j);
    }
    w.end_row();
  }
}

} // namespace detail

ETHOS_DECL void write_group_results(std::ostream& out, const survey_report& r) {
  detail::group_results_csv(out, r.summary);
}

ETHOS_DECL void write_group_results(std::ostream& out, unaudited<assessment> a) {
  detail::group_results_csv(out, a.get());
}

ETHOS_DECL void write_unit_results(std::ostream& out, const survey_report& r) {
  if (!r.units) {
    throw error("write_unit_results: the report of '" + r.summary.instrument_id + "' has no units section");
  }
  detail::unit_results_csv(out, *r.units);
}

ETHOS_DECL void write_unit_results(std::ostream& out, unaudited<org_rollup> r) {
  detail::unit_results_csv(out, r.get());
}

} // namespace ethos
