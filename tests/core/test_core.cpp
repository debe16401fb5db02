// Tests of the core headers: version, error and the shared text helpers.
#include <ethos/detail/text.hpp>
#include <ethos/ethos.hpp>

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("version agrees between macros and constexpr values", "[core]") {
  CHECK(ethos::version_string == std::to_string(ETHOS_VERSION_MAJOR) + "." + std::to_string(ETHOS_VERSION_MINOR) + "." +
                                     std::to_string(ETHOS_VERSION_PATCH));
}

TEST_CASE("ethos::error is a std::runtime_error carrying its message", "[core]") {
  try {
    throw ethos::error("survey.csv:3:7: not a number");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "survey.csv:3:7: not a number");
  }
}

TEST_CASE("trim removes ASCII white space at both ends only", "[core][text]") {
  using ethos::detail::trim;
  CHECK(trim("") == "");
  CHECK(trim("   ") == "");
  CHECK(trim("\t a b \r\n") == "a b");
  CHECK(trim("x") == "x");
}

TEST_CASE("iequals compares ASCII without regard to case", "[core][text]") {
  using ethos::detail::iequals;
  CHECK(iequals("", ""));
  CHECK(iequals("Take Personal Responsibility", "take personal responsibility"));
  CHECK_FALSE(iequals("blame", "blam"));
  CHECK_FALSE(iequals("blame", "shame"));
  // Non-ASCII bytes are compared as they are, never folded.
  CHECK_FALSE(iequals("\xc3\x89", "\xc3\xa9"));
}
