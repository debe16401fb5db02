// ODR check, part one: the umbrella header in a first translation unit.
#include <ethos/ethos.hpp>

const ethos::version_info* ethos_odr_version_address_a() { return &ethos::version; }
