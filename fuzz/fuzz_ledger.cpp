// fuzz/fuzz_ledger.cpp: libFuzzer target for the release ledger reader (ethos.ledger/1). Any bytes must either
// load or be refused with an ethos::error. A ledger that loads must write back to text that loads to the same text,
// and its cells must go into a release and through the audit without any other exception.
#include <ethos/error.hpp>
#include <ethos/org/release.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<ethos::release_ledger> loaded;
  try {
    loaded.emplace(ethos::release_ledger::parse(text, "fuzz.ledger"));
  } catch (const ethos::error&) {
    return 0; // refused with a message: the expected outcome for most inputs
  }
  // Outside the try: what the reader accepted, the writer and a re-read must keep exactly.
  const std::string written = loaded->str();
  const auto again = ethos::release_ledger::parse(written, "rewritten.ledger");
  if (again.str() != written) {
    std::abort();
  }
  ethos::release r;
  loaded->add_to(r);
  if (r.cells.size() != loaded->cells()) {
    std::abort();
  }
  (void)ethos::audit_release(r, 3, 100'000);
  return 0;
}
