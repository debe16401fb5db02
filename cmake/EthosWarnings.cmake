# Warnings as errors for what this project compiles itself (tests, examples, benchmarks).
# Never applied to the INTERFACE target: consumers choose their own flags.
function(ethos_strict_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX /permissive-)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string concatenation at -O2/-O3
    # (GCC bug 105651); the code it points at is the standard library's, not ours.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
