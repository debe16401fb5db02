// ethos/detail/path.hpp: what the file readers' overloads accept as a path without including <filesystem>
// (std::filesystem::path, or any type whose string() gives a std::string).
#pragma once

#include <string>

namespace ethos::detail {

template <class Path>
concept path_like = requires(const Path& p) {
  std::string(p.string());
};

} // namespace ethos::detail
