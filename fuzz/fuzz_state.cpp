// fuzz/fuzz_state.cpp: libFuzzer target for the accumulators' binary state (io/state.hpp). Any bytes must either
// decode or be refused with an ethos::error. A state that decodes must encode back to exactly the same bytes (the
// format has one spelling per state), merge with itself, and go through every statistic without another exception.
//
// Random bytes rarely carry a correct CRC-32C, which would keep the fuzzer at the checksum. So every input is also
// tried with its last four bytes replaced by the right checksum: that reaches the payload's checks.
#include <ethos/error.hpp>
#include <ethos/io/state.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace {

void same_bytes(const std::vector<std::uint8_t>& written, std::span<const std::uint8_t> read) {
  if (written.size() != read.size() || !std::equal(written.begin(), written.end(), read.begin())) {
    std::abort();
  }
}

void try_likert(std::span<const std::uint8_t> bytes) {
  std::optional<ethos::likert_accumulator> acc;
  try {
    acc.emplace(ethos::decode_likert_state(bytes, "fuzz.state"));
  } catch (const ethos::error&) {
    return; // refused with a message: the expected outcome for most inputs
  }
  same_bytes(ethos::encode_state(*acc), bytes);
  (void)acc->moments();
  (void)ethos::reliability(*acc);
  if (acc->config().groups > 0) {
    (void)ethos::agreement(*acc);
    (void)ethos::icc(*acc);
  }
  ethos::likert_accumulator twice = *acc;
  try {
    twice.merge(*acc);
  } catch (const ethos::error&) {
    return; // more rows than one accumulator holds: refused, not wrapped
  }
  if (twice.rows() != 2 * acc->rows()) {
    std::abort();
  }
}

void try_moments(std::span<const std::uint8_t> bytes) {
  try {
    const auto m = ethos::decode_moments_state(bytes, "fuzz.state");
    same_bytes(ethos::encode_state(m), bytes);
    (void)m.summary();
  } catch (const ethos::error&) {
  }
}

void try_nps(std::span<const std::uint8_t> bytes) {
  try {
    const auto c = ethos::decode_nps_state(bytes, "fuzz.state");
    same_bytes(ethos::encode_state(c), bytes);
  } catch (const ethos::error&) {
  }
}

void try_all(std::span<const std::uint8_t> bytes) {
  try {
    (void)ethos::peek_state_kind(bytes, "fuzz.state");
  } catch (const ethos::error&) {
  }
  try_likert(bytes);
  try_moments(bytes);
  try_nps(bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try_all(bytes);
  if (size >= 24) {
    std::vector<std::uint8_t> fixed(data, data + size);
    const std::uint32_t crc = ethos::crc32c(std::span<const std::uint8_t>(fixed).first(size - 4));
    for (std::size_t i = 0; i < 4; ++i) {
      fixed[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    }
    try_all(fixed);
  }
  return 0;
}
