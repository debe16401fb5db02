# With -DETHOS_SEPARATE_COMPILATION, the umbrella headers (and the nlohmann-free JSON header) must include no Boost
# header at all (Boost.Math is the definitions', Boost.Hana only records.hpp's), nor nlohmann_json, nor a definition
# file (impl/*.ipp), nor the standard headers a tenth of a second each that only the definitions need.
# Run by ctest: cmake -DCXX=... -DINCLUDE=<include dir> -DWORK=<dir> -P check_separate.cmake
file(MAKE_DIRECTORY "${WORK}")
set(headers ethos/ethos.hpp ethos/io.hpp ethos/io/json.hpp ethos/report.hpp ethos/org/organisation.hpp ethos/stats.hpp
            ethos/models.hpp)
foreach(h IN LISTS headers)
  string(MAKE_C_IDENTIFIER "${h}" id)
  set(tu "${WORK}/${id}.cpp")
  file(WRITE "${tu}" "#include <${h}>\nint main() {}\n")
  execute_process(COMMAND ${CXX} -std=c++20 -DETHOS_SEPARATE_COMPILATION -I${INCLUDE} -H -fsyntax-only ${tu}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${h} does not compile with ETHOS_SEPARATE_COMPILATION:\n${err}")
  endif()
  string(REGEX MATCHALL "[^\n]*(boost/|nlohmann/|/impl/[a-z_]+\\.ipp|/(fstream|sstream|random|memory|cmath|unordered_map|map|functional)\n)" bad "${err}\n")
  if(bad)
    list(JOIN bad "\n" bad)
    message(FATAL_ERROR "${h} with ETHOS_SEPARATE_COMPILATION includes what only the compiled library needs:\n${bad}")
  endif()
  message(STATUS "${h}: light")
endforeach()
