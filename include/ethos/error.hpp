// ethos/error.hpp: ethos::error, the one base of every exception the library throws.
#pragma once

#include <stdexcept>
#include <string>

namespace ethos {

/// Base of all exceptions thrown by ethos; catch this to handle any ethos failure.
/// The message always names the place (file, line, item, respondent ...) and the reason.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

} // namespace ethos
