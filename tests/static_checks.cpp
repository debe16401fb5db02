// Compile-time tests: this translation unit holds only static_asserts; building it is the test.
#include <ethos/ethos.hpp>

#include <ethos/detail/text.hpp>

namespace {

static_assert(ethos::version.major == ETHOS_VERSION_MAJOR);
static_assert(ethos::version.minor == ETHOS_VERSION_MINOR);
static_assert(ethos::version.patch == ETHOS_VERSION_PATCH);
static_assert(ethos::version_string == "0.1.0");

static_assert(ethos::detail::trim("  voice \t") == "voice");
static_assert(ethos::detail::trim(" \n ").empty());
static_assert(ethos::detail::iequals("Voice of the Customer", "voice OF the customer"));
static_assert(!ethos::detail::iequals("voice", "voices"));
static_assert(ethos::detail::ascii_lower('Q') == 'q' && ethos::detail::ascii_lower('_') == '_');

} // namespace
