// Small helpers shared by the tests: looking for a validation problem, capturing an exception's message.
#pragma once

#include <ethos/error.hpp>

#include <exception>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace ethos_test {

/// Values a test feeds in to see them refused.
inline constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inf_value = std::numeric_limits<double>::infinity();

/// True when some problem's `where` contains `where` and its `what` contains `what`.
inline bool has_problem(const std::vector<ethos::problem>& ps, std::string_view where, std::string_view what) {
  for (const auto& p : ps) {
    if (p.where.find(where) != std::string::npos && p.what.find(what) != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// The message of the exception `f` throws, or "(no exception)".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

} // namespace ethos_test
