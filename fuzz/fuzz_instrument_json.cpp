// fuzz/fuzz_instrument_json.cpp: libFuzzer target for the instrument JSON reader (schema ethos.instrument/1).
// Any bytes must either load or be refused with an ethos::error; anything else escaping, a crash or a leak is
// a finding. An input that loads must also survive a write and a re-read unchanged, which checks the writer
// against everything the reader accepts.
#include <ethos/io/json.hpp>
#include <ethos/io/json_value.hpp> // to_json (io/json.hpp has it in header-only mode only)

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<ethos::instrument> loaded;
  try {
    loaded.emplace(ethos::parse_instrument(text, "fuzz.json"));
  } catch (const ethos::error&) {
    return 0; // refused with a message: the expected outcome for most inputs
  }
  // Outside the try: an accepted instrument that the writer or a re-read refuses is a bug, so let it escape.
  const std::string written = ethos::instrument_to_json_string(*loaded);
  const ethos::instrument again = ethos::parse_instrument(written, "rewritten.json");
  if (ethos::to_json(again) != ethos::to_json(*loaded) || ethos::instrument_to_json_string(again) != written) {
    std::abort();
  }
  return 0;
}
