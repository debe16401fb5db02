# Target ethos_verify_headers (not part of `all`; the default CI preset builds it): every public header and every
# definition file (impl/*.ipp) compiled on its own, with ETHOS_SEPARATE_COMPILATION and the project's warnings, so
# that each includes what it uses.
#
# Why separate mode, for header-only self-containment too: a header-only header is its declarations plus its .ipp,
# and both are checked here on their own (an .ipp includes its header first). Checking each header in header-only
# mode instead compiles, for every one of ~90 headers, the definitions of everything it includes: ten minutes of
# CPU for what this does in about two. The whole test suite still builds header-only (the default preset), and the
# ODR check links two translation units that include <ethos/ethos.hpp> that way.
function(ethos_add_header_verification)
  set(dir "${PROJECT_BINARY_DIR}/verify_headers")
  set(files ${ETHOS_HEADERS} ${ETHOS_IMPL})
  if(TARGET ethos_json)
    list(APPEND files ${ETHOS_OPTIONAL_HEADERS} ${ETHOS_OPTIONAL_IMPL})
  endif()
  set(sources)
  foreach(file IN LISTS files)
    file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}/include" "${file}")
    string(MAKE_C_IDENTIFIER "${rel}" id)
    file(CONFIGURE OUTPUT "${dir}/${id}.cpp" CONTENT "#include <${rel}>\n" @ONLY)
    list(APPEND sources "${dir}/${id}.cpp")
  endforeach()
  add_library(ethos_verify_headers OBJECT EXCLUDE_FROM_ALL ${sources})
  target_compile_definitions(ethos_verify_headers PRIVATE ETHOS_SEPARATE_COMPILATION)
  # The objects are never linked or debugged: no debug information (a third of the time of the definition files),
  # and no code at all where the compiler can stop after the checks (g++ and clang++: -fsyntax-only, through a
  # launcher that leaves an empty object for the build's bookkeeping; 40% less time again).
  target_compile_options(ethos_verify_headers PRIVATE -g0)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND CMAKE_GENERATOR MATCHES "Ninja|Makefiles")
    set_target_properties(ethos_verify_headers PROPERTIES CXX_COMPILER_LAUNCHER
                                                          "${PROJECT_SOURCE_DIR}/cmake/syntax_only.sh")
  endif()
  if(TARGET ethos_json)
    target_link_libraries(ethos_verify_headers PRIVATE ethos_json)
  else()
    target_link_libraries(ethos_verify_headers PRIVATE ethos)
  endif()
  ethos_strict_warnings(ethos_verify_headers)
endfunction()
