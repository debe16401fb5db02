// A consumer program: includes the umbrella header and uses the library at compile and run time.
#include <ethos/ethos.hpp>

#include <cstdio>

static_assert(ethos::version.major == 0 && ethos::version.minor >= 1);

int main() {
  std::printf("ethos consumer built against ethos %.*s\n", static_cast<int>(ethos::version_string.size()),
              ethos::version_string.data());
  return 0;
}
