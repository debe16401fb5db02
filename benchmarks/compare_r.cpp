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
      for (std::size_t i = 0; i < items; ++i) {
        const double latent = 3.0 + 0.8 * person + 0.8 * normal(rng);
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

int analyse(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::uint8_t>> columns(constructs * items);
  std::vector<std::uint32_t> groups;
  std::unordered_map<std::string, std::uint32_t> codes;
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
  if (mode == "generate-linkage" && argc == 4) {
    return generate_linkage(std::stoul(argv[2]), argv[3]);
  }
  if (mode == "linkage" && argc == 3) {
    return linkage(argv[2]);
  }
  std::fprintf(stderr, "usage: compare_r generate ROWS GROUPS FILE | analyse FILE | generate-linkage UNITS FILE | "
                       "linkage FILE\n");
  return 2;
}
