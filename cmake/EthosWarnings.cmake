# The warning flags of what this project compiles itself (the compiled library, tests, examples, benchmarks).
# Never applied to the INTERFACE targets: consumers choose their own flags. Warnings are errors only with
# ETHOS_WARNINGS_AS_ERRORS=ON (the CI presets); a user's plain build reports them and goes on. The code is meant to be
# free of them anyway, with g++ 12 and clang++ 14 at -O0, -O2 and -O3.
function(ethos_strict_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion)
    if(ETHOS_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(ETHOS_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string concatenation at -O2/-O3
    # (GCC bug 105651); the code it points at is the standard library's, not ours.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
