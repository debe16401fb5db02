/// \file
/// \brief ethos::error, the one base of every exception the library throws, and validation problems.
#pragma once

#include <ethos/detail/config.hpp>

#include <stdexcept>
#include <string>
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
  std::string where; ///< the place: an element's name, an item id, a row
  std::string what;  ///< what is wrong there

  /// Equal when both the place and the description are.
  friend bool operator==(const problem&, const problem&) = default;
};

/// Thrown when validation finds problems; carries every problem found, not only the first.
class validation_error : public error {
 public:
  /// `context` says what was validated, e.g. "transaction 'Order to cash'".
  validation_error(const std::string& context, std::vector<problem> problems);

  /// All problems, in the order they were found.
  const std::vector<problem>& problems() const noexcept { return problems_; }

 private:
  static std::string make_message(const std::string& context, const std::vector<problem>& problems);

  std::vector<problem> problems_;
};

/// Throws validation_error when `problems` is not empty.
ETHOS_DECL void throw_if_problems(const std::string& context, std::vector<problem> problems);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/impl/error.ipp>
#endif
