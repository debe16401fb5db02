// Catch2 StringMakers so that failing checks print ethos values readably (labels, not numbers).
#pragma once

#include <ethos/error.hpp>
#include <ethos/framework/vocabulary.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace Catch {

template <ethos::vocabulary_enum E>
struct StringMaker<E> {
  static std::string convert(E e) {
    return std::string(ethos::key(e)) + " (" + std::to_string(static_cast<int>(e)) + ")";
  }
};

template <>
struct StringMaker<ethos::problem> {
  static std::string convert(const ethos::problem& p) { return "{" + p.where + ": " + p.what + "}"; }
};

} // namespace Catch
