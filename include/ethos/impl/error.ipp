// ethos/impl/error.ipp: definitions of ethos/error.hpp (compiled into ethos::compiled, or included by the header in
// header-only mode).
#pragma once

#include <ethos/error.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL validation_error::validation_error(const std::string& context, std::vector<problem> problems)
    : error(make_message(context, problems)), problems_(std::move(problems)) {}

ETHOS_DECL std::string validation_error::make_message(const std::string& context,
                                                      const std::vector<problem>& problems) {
  std::string m = context + ": " + std::to_string(problems.size()) + (problems.size() == 1 ? " problem" : " problems");
  for (const auto& p : problems) {
    m += "\n  " + p.where + ": " + p.what;
  }
  return m;
}

ETHOS_DECL void throw_if_problems(const std::string& context, std::vector<problem> problems) {
  if (!problems.empty()) {
    throw validation_error(context, std::move(problems));
  }
}

} // namespace ethos
