// Compile-cost probe: the yardstick, a translation unit that includes <fmt/format.h> and prints one number.
#include <fmt/format.h>

int main() { fmt::print("{}\n", 42); }
