// ODR check, part two: the umbrella header again, and the program that links both units.
#include <ethos/ethos.hpp>

#include <cstdio>

const ethos::version_info* ethos_odr_version_address_a();

int main() {
  // An inline variable is one object in the whole program: both units must see the same address.
  if (ethos_odr_version_address_a() != &ethos::version) {
    std::puts("ODR check failed: the two translation units hold different copies of ethos::version");
    return 1;
  }
  std::puts("ODR check passed");
  return 0;
}
