// Writes a synthetic survey of any size in the bundled Service Culture Audit's columns, for benchmarks and scale
// tests (see survey_generator.hpp for what it holds). The same options give the same bytes on every machine.
//
//     ethos_generate_survey --rows 1000000 --teams 20000 --departments 20 --seed 1 big.csv
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>

#include "survey_generator.hpp"

namespace {

constexpr std::string_view usage =
    "usage: ethos_generate_survey --rows N --teams T --departments D [--seed S] OUT.csv\n"
    "  writes N respondents in T teams of D departments (T >= D >= 1) to OUT.csv\n";

bool parse_count(std::string_view s, std::uint64_t& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

} // namespace

int main(int argc, char* argv[]) {
  ethos_examples::survey_shape shape;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::uint64_t* target = a == "--rows"          ? &shape.rows
                            : a == "--teams"       ? &shape.teams
                            : a == "--departments" ? &shape.departments
                            : a == "--seed"        ? &shape.seed
                                                   : nullptr;
    if (target != nullptr) {
      if (i + 1 >= argc || !parse_count(argv[i + 1], *target)) {
        std::fprintf(stderr, "ethos_generate_survey: %s needs a whole number\n%s", argv[i], usage.data());
        return 2;
      }
      ++i;
    } else if (a == "--help" || a == "-h") {
      std::fputs(usage.data(), stdout);
      return 0;
    } else if (a.starts_with("-") || !out_path.empty()) {
      std::fprintf(stderr, "ethos_generate_survey: unexpected argument '%s'\n%s", argv[i], usage.data());
      return 2;
    } else {
      out_path = a;
    }
  }
  if (shape.rows == 0 || shape.departments == 0 || shape.departments > 99 || shape.teams < shape.departments ||
      shape.teams > 99999 || out_path.empty()) {
    std::fprintf(stderr, "ethos_generate_survey: give --rows >= 1, --departments 1..99, --teams D..99999 and OUT\n%s",
                 usage.data());
    return 2;
  }
  std::FILE* f = std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "ethos_generate_survey: cannot open %s for writing\n", out_path.c_str());
    return 1;
  }
  ethos_examples::generate_survey(shape, [&](std::string_view line) { std::fwrite(line.data(), 1, line.size(), f); });
  const bool ok = std::fflush(f) == 0 && std::ferror(f) == 0;
  if (std::fclose(f) != 0 || !ok) {
    std::fprintf(stderr, "ethos_generate_survey: writing %s failed\n", out_path.c_str());
    return 1;
  }
  return 0;
}
