// The smallest ethos program: prints the library version.
#include <ethos/ethos.hpp>

#include <fmt/format.h>

int main() {
  fmt::print("ethos {} is ready\n", ethos::version_string);
  return 0;
}
