// ethos/error.hpp: ethos::error, the one base of every exception the library throws, and validation problems.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

/// Base of all exceptions thrown by ethos; catch this to handle any ethos failure.
/// The message always names the place (file, line, item, respondent ...) and the reason.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One thing wrong with an input: where it is (an element's name, an item id, a row) and why it is wrong.
struct problem {
  std::string where;
  std::string what;

  friend bool operator==(const problem&, const problem&) = default;
};

/// Thrown when validation finds problems; carries every problem found, not only the first.
class validation_error : public error {
 public:
  /// `context` says what was validated, e.g. "transaction 'Order to cash'".
  validation_error(const std::string& context, std::vector<problem> problems)
      : error(make_message(context, problems)), problems_(std::move(problems)) {}

  /// All problems, in the order they were found.
  const std::vector<problem>& problems() const noexcept { return problems_; }

 private:
  static std::string make_message(const std::string& context, const std::vector<problem>& problems) {
    std::string m =
        context + ": " + std::to_string(problems.size()) + (problems.size() == 1 ? " problem" : " problems");
    for (const auto& p : problems) {
      m += "\n  " + p.where + ": " + p.what;
    }
    return m;
  }

  std::vector<problem> problems_;
};

/// Throws validation_error when `problems` is not empty.
inline void throw_if_problems(const std::string& context, std::vector<problem> problems) {
  if (!problems.empty()) {
    throw validation_error(context, std::move(problems));
  }
}

} // namespace ethos
