// Tests of the core headers: version, error and the shared text helpers.
#include <ethos/detail/hash_slots.hpp>
#include <ethos/detail/parallel.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/ethos.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

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

TEST_CASE("hash_slots finds every one of 200,000 keys held elsewhere, and no absent one", "[core][hash]") {
  std::vector<std::string> keys;
  ethos::detail::hash_slots index;
  for (std::uint32_t i = 0; i < 200000; ++i) {
    keys.push_back("Dept" + std::to_string(i % 20) + "/Team" + std::to_string(i));
    index.insert(ethos::detail::hash_text(keys.back()), i);
  }
  REQUIRE(index.size() == keys.size());
  std::size_t found = 0;
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    const auto at = index.find(ethos::detail::hash_text(keys[i]), [&](std::uint32_t k) { return keys[k] == keys[i]; });
    found += at == i ? 1 : 0;
  }
  CHECK(found == keys.size());
  const std::string absent = "Dept1/Team200000";
  CHECK(index.find(ethos::detail::hash_text(absent), [&](std::uint32_t k) { return keys[k] == absent; }) ==
        ethos::detail::hash_slots::none);
  CHECK(ethos::detail::hash_slots{}.find(1, [](std::uint32_t) { return true; }) == ethos::detail::hash_slots::none);
}

TEST_CASE("hash_slots tells keys apart when all of them share one hash", "[core][hash]") {
  // Every key in the same home slot: the probe walks past the others and the equality test decides.
  ethos::detail::hash_slots index;
  const std::uint64_t same = 42;
  for (std::uint32_t i = 0; i < 3000; ++i) {
    index.insert(same, i);
  }
  for (std::uint32_t i = 0; i < 3000; i += 7) {
    CHECK(index.find(same, [&](std::uint32_t k) { return k == i; }) == i);
  }
  CHECK(index.find(same, [](std::uint32_t k) { return k == 3000; }) == ethos::detail::hash_slots::none);
  // The pair hash separates pairs that differ in either half, including swapped halves.
  CHECK(ethos::detail::hash_pair(1, 2) != ethos::detail::hash_pair(2, 1));
  CHECK(ethos::detail::hash_pair(1, 2) != ethos::detail::hash_pair(1, 3));
}

TEST_CASE("parallel_for: every task runs once, and the lowest task's exception is the one rethrown",
          "[core][parallel]") {
  for (const std::size_t threads : {0U, 1U, 2U, 3U, 64U}) {
    INFO("threads " << threads);
    std::vector<int> runs(100, 0);
    ethos::detail::parallel_for(runs.size(), threads, [&](std::size_t i) { ++runs[i]; });
    CHECK(std::count(runs.begin(), runs.end(), 1) == 100);

    // Tasks 17 and 60 throw: every task below 17 has run, and 17's message comes out, as on one thread.
    std::vector<int> after(100, 0);
    std::string message;
    try {
      ethos::detail::parallel_for(after.size(), threads, [&](std::size_t i) {
        if (i == 17 || i == 60) {
          throw ethos::error("task " + std::to_string(i));
        }
        ++after[i];
      });
    } catch (const ethos::error& e) {
      message = e.what();
    }
    CHECK(message == "task 17");
    CHECK(std::count(after.begin(), after.begin() + 17, 1) == 17);
  }
  CHECK(ethos::detail::thread_count(0, 5) >= 1);
  CHECK(ethos::detail::thread_count(8, 3) == 3);
  CHECK(ethos::detail::thread_count(2, 0) == 1);
  std::size_t none = 0;
  ethos::detail::parallel_for(0, 4, [&](std::size_t) { ++none; });
  CHECK(none == 0);
}
