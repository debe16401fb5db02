// Side-by-side with R: `compare_r generate ROWS GROUPS FILE` writes a synthetic survey (12 constructs of 4 items,
// 5-point, ~3% missing) as CSV; `compare_r analyse FILE` computes per construct psych's raw alpha, the mean of
// multilevel's rwg.j over groups and ICC(1)/ICC(2), printing `<construct> <statistic> <value>` lines and the
// seconds spent computing (file reading excluded, as in the R script). benchmarks/compare_r.sh runs both.
// `compare_r generate-linkage UNITS FILE` writes unit-level data (8 culture predictors, one outcome) and
// `compare_r linkage FILE` fits every 3-predictor linkage model on it, printing each term's estimate and SE, as
// benchmarks/compare_r_linkage.R does with lm() (`compare_r.sh linkage UNITS`).
#include <ethos/models/linkage.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/covariance.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/reliability.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

constexpr std::size_t constructs = 12;
constexpr std::size_t items = 4;

int generate(std::size_t rows, std::size_t groups, const char* path) {
  std::ofstream out(path);
  out << "group";
  for (std::size_t c = 0; c < constructs; ++c) {
    for (std::size_t i = 0; i < items; ++i) {
      out << ",c" << c + 1 << "_" << i + 1;
    }
  }
  out << '\n';
  std::mt19937_64 rng(42);
  std::vector<double> group_effect(groups);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (auto& g : group_effect) {
    g = 0.5 * normal(rng);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t g = rng() % groups;
    out << 'g' << g + 1;
    const double person = group_effect[g] + normal(rng);
    for (std::size_t c = 0; c < constructs; ++c) {
      const double construct = normal(rng); // each construct its own factor, correlated through `person`
      for (std::size_t i = 0; i < items; ++i) {
        const double latent = 3.0 + 0.6 * person + 0.6 * construct + 0.6 * normal(rng);
        const long x = std::lround(std::min(5.0, std::max(1.0, latent)));
        out << ',';
        if (rng() % 32 != 0) {
          out << x;
        }
      }
    }
    out << '\n';
  }
  return 0;
}

struct survey_file {
  std::vector<std::vector<std::uint8_t>> columns;
  std::vector<std::uint32_t> groups;
  std::unordered_map<std::string, std::uint32_t> codes;
};

survey_file read_survey(const char* path) {
  survey_file s;
  auto& columns = s.columns;
  auto& groups = s.groups;
  auto& codes = s.codes;
  columns.resize(constructs * items);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::size_t pos = line.find(',');
    const auto [it, inserted] = codes.try_emplace(line.substr(0, pos), static_cast<std::uint32_t>(codes.size()));
    groups.push_back(it->second);
    for (auto& col : columns) {
      const std::size_t next = line.find(',', pos + 1);
      const std::string cell = line.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
      col.push_back(cell.empty() ? std::uint8_t{0xFF} : static_cast<std::uint8_t>(cell[0] - '0'));
      pos = next;
    }
  }
  return s;
}

int analyse(const char* path) {
  const auto s = read_survey(path);
  const auto& columns = s.columns;
  const auto& groups = s.groups;
  const auto& codes = s.codes;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::array<double, 4>> results;
  for (std::size_t c = 0; c < constructs; ++c) {
    ethos::likert_accumulator acc(ethos::likert_config(items, 1, 5, codes.size()));
    std::array<const std::uint8_t*, items> cols{};
    for (std::size_t i = 0; i < items; ++i) {
      cols[i] = columns[c * items + i].data();
    }
    acc.add(cols, groups.size(), groups);
    const auto rel = ethos::reliability(acc);
    std::vector<std::optional<double>> rwg_j;
    for (const auto& a : ethos::agreement(acc)) {
      rwg_j.push_back(a.rwg_j);
    }
    const auto summary = ethos::summarize_agreement(rwg_j);
    const auto icc = ethos::icc(acc);
    results.push_back(
        {rel.alpha.value_or(-1), summary.mean.value_or(-1), icc.icc1.value_or(-1), icc.icc2.value_or(-1)});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (std::size_t c = 0; c < constructs; ++c) {
    std::printf("c%zu alpha %.17g\nc%zu rwg_j_mean %.17g\nc%zu icc1 %.17g\nc%zu icc2 %.17g\n", c + 1, results[c][0],
                c + 1, results[c][1], c + 1, results[c][2], c + 1, results[c][3]);
  }
  std::printf("seconds %.6f\n", seconds);
  return 0;
}

// The CFA of the 12 constructs (lavaan's cfa) and configural, metric and scalar invariance across the groups (in order
// of first appearance, as lavaan orders them): accumulation (one pass of exact sums, per group) timed apart from the
// fitting. Prints `<model> <measure> <value>` lines and the seconds of the fitting; each phase's on stderr.
int cfa(const char* path) {
  const auto s = read_survey(path);
  const std::size_t p = constructs * items;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<const std::uint8_t*> cols;
  for (const auto& c : s.columns) {
    cols.push_back(c.data());
  }
  ethos::covariance_accumulator all(p, 1, 5);
  all.add(cols, s.groups.size());
  // Per group: the rows gathered a block at a time into the group's accumulator.
  std::vector<ethos::covariance_accumulator> per(s.codes.size(), ethos::covariance_accumulator(p, 1, 5));
  {
    constexpr std::size_t block = 4096;
    std::vector<std::vector<std::uint8_t>> buf(s.codes.size(), std::vector<std::uint8_t>(p * block));
    std::vector<std::size_t> held(s.codes.size(), 0);
    const auto flush = [&](std::size_t g) {
      std::vector<const std::uint8_t*> bc;
      for (std::size_t j = 0; j < p; ++j) {
        bc.push_back(buf[g].data() + j * block);
      }
      per[g].add(bc, held[g]);
      held[g] = 0;
    };
    for (std::size_t r = 0; r < s.groups.size(); ++r) {
      const auto g = s.groups[r];
      for (std::size_t j = 0; j < p; ++j) {
        buf[g][j * block + held[g]] = s.columns[j][r];
      }
      if (++held[g] == block) {
        flush(g);
      }
    }
    for (std::size_t g = 0; g < per.size(); ++g) {
      if (held[g] > 0) {
        flush(g);
      }
    }
  }
  const auto t1 = std::chrono::steady_clock::now();
  ethos::factor_structure model;
  model.items = p;
  for (std::size_t c = 0; c < constructs; ++c) {
    model.factors.emplace_back();
    for (std::size_t i = 0; i < items; ++i) {
      model.factors.back().push_back(c * items + i);
    }
  }
  const auto fit =
      ethos::confirmatory_factor_analysis(all.covariance(), static_cast<std::size_t>(all.complete()), model);
  const auto t2 = std::chrono::steady_clock::now();
  std::vector<ethos::sample_moments> groups(s.codes.size());
  for (const auto& [label, g] : s.codes) {
    groups[g] = {label, static_cast<std::size_t>(per[g].complete()), per[g].covariance(), per[g].means()};
  }
  const auto inv = ethos::measurement_invariance(groups, model);
  const auto t3 = std::chrono::steady_clock::now();
  const auto put = [](const char* name, const ethos::cfa_fit& f) {
    std::printf("%s chisq %.17g\n%s cfi %.17g\n%s rmsea %.17g\n%s srmr %.17g\n", name, f.chisq, name, f.cfi, name,
                f.rmsea.value_or(-1), name, f.srmr);
  };
  if (!fit.fit || !inv.configural.fit || !inv.metric.fit || !inv.scalar.fit) {
    std::fprintf(stderr, "cfa: a model did not fit: %s%s\n", fit.reason.c_str(), inv.reading.c_str());
    return 1;
  }
  put("cfa", *fit.fit);
  put("configural", *inv.configural.fit);
  put("metric", *inv.metric.fit);
  put("scalar", *inv.scalar.fit);
  const auto sec = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  // The fitting (what the ratio compares: lavaan's time includes its own sample statistics), then each phase.
  std::printf("seconds %.6f\n", sec(t1, t3));
  std::fprintf(stderr,
               "ethos phases: accumulate %.6f cfa %.6f invariance %.6f (%zu rows, %llu complete, cfa %zu steps)\n",
               sec(t0, t1), sec(t1, t2), sec(t2, t3), s.groups.size(), static_cast<unsigned long long>(all.complete()),
               fit.iterations);
  return 0;
}

constexpr std::size_t linkage_predictors = 8;

int generate_linkage(std::size_t units, const char* path) {
  std::ofstream out(path);
  out << "unit";
  for (std::size_t j = 0; j < linkage_predictors; ++j) {
    out << ",x" << j + 1;
  }
  out << ",y\n";
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  char cell[32];
  for (std::size_t u = 0; u < units; ++u) {
    out << 'u' << u + 1;
    const double common = normal(rng);
    double y = 60.0;
    for (std::size_t j = 0; j < linkage_predictors; ++j) {
      const double x = 3.5 + 0.3 * common + 0.3 * normal(rng);
      y += static_cast<double>(j % 3) * x;
      std::snprintf(cell, sizeof cell, ",%.17g", x);
      out << cell;
    }
    std::snprintf(cell, sizeof cell, ",%.17g\n", y + 2.0 * normal(rng));
    out << cell;
  }
  return 0;
}

int linkage(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> ids;
  std::vector<std::vector<double>> x(linkage_predictors);
  std::vector<double> y;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string cell;
    std::getline(row, cell, ',');
    ids.push_back(cell);
    for (auto& col : x) {
      std::getline(row, cell, ',');
      col.push_back(std::stod(cell));
    }
    std::getline(row, cell, ',');
    y.push_back(std::stod(cell));
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<ethos::linear_fit> fits;
  for (std::size_t a = 0; a < linkage_predictors; ++a) {
    for (std::size_t b = a + 1; b < linkage_predictors; ++b) {
      for (std::size_t c = b + 1; c < linkage_predictors; ++c) {
        ethos::regression_data d;
        d.outcome = "y";
        for (std::size_t j : {a, b, c}) {
          d.predictors.push_back("x" + std::to_string(j + 1));
          d.x.push_back(x[j]);
        }
        d.y = y;
        d.ids = ids;
        fits.push_back(ethos::fit_ols(d));
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t m = 0;
  for (const auto& f : fits) {
    ++m;
    for (const auto& t : f.terms) {
      std::printf("m%zu_%s estimate %.17g\nm%zu_%s se %.17g\n", m, t.name.c_str(), t.estimate, m, t.name.c_str(),
                  t.standard_error);
    }
    std::printf("m%zu r_squared %.17g\n", m, f.r_squared);
  }
  std::printf("seconds %.6f\n", seconds);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "generate" && argc == 5) {
    return generate(std::stoul(argv[2]), std::stoul(argv[3]), argv[4]);
  }
  if (mode == "analyse" && argc == 3) {
    return analyse(argv[2]);
  }
  if (mode == "cfa" && argc == 3) {
    return cfa(argv[2]);
  }
  if (mode == "generate-linkage" && argc == 4) {
    return generate_linkage(std::stoul(argv[2]), argv[3]);
  }
  if (mode == "linkage" && argc == 3) {
    return linkage(argv[2]);
  }
  std::fprintf(stderr, "usage: compare_r generate ROWS GROUPS FILE | analyse FILE | cfa FILE | generate-linkage UNITS "
                       "FILE | linkage FILE\n");
  return 2;
}
