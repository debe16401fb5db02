# Fails when a Catch2 test name would break catch_discover_tests: CMake splits the discovered names as a list,
# and a '[', ']' or ';' in a name merges every later test into one entry that runs none of them.
# (Catch2 v2 exits with the number of tests listed, so the output is checked, not the exit code.)
execute_process(COMMAND ${TESTS} --list-test-names-only OUTPUT_VARIABLE names)
if(NOT names MATCHES "[a-z]")
  message(FATAL_ERROR "${TESTS} --list-test-names-only listed no tests")
endif()
string(REPLACE "\n" "|" lines "${names}")
string(REGEX MATCHALL "[^|]*[][;][^|]*" bad "${lines}")
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "test names with '[', ']' or ';' break ctest discovery; rename:\n  ${bad}")
endif()
message(STATUS "test names are safe for ctest discovery")
