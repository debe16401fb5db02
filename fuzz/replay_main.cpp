// Replays fuzz inputs through a target's LLVMFuzzerTestOneInput without libFuzzer: every build runs the
// committed seed corpus this way, so a parser change that crashes on a known input fails the tests.
// Usage: ethos_fuzz_replay_<name> FILE_OR_DIRECTORY...
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", file.string().c_str());
    return 1;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

} // namespace

int main(int argc, char* argv[]) {
  std::size_t files = 0;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::directory_iterator(p)) {
        if (e.is_regular_file()) {
          failures += replay(e.path());
          ++files;
        }
      }
    } else {
      failures += replay(p);
      ++files;
    }
  }
  std::printf("replayed %zu inputs\n", files);
  // An empty corpus would make this test pass without testing anything.
  return files == 0 || failures > 0 ? 1 : 0;
}
