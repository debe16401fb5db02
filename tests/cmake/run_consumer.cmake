# Builds and runs tests/consumer against ethos in one of four ways (run by ctest):
#   MODE=install           install the build tree BUILD_TREE into WORK/prefix
#   MODE=find_package      configure the consumer with find_package(ethos 0.1 REQUIRED)
#   MODE=find_package_json the same with COMPONENTS json (ethos::json)
#   MODE=find_package_compiled the same, linking ethos::compiled (libethos.a, ETHOS_SEPARATE_COMPILATION)
#   MODE=pkg_config        configure the consumer with pkg-config (ethos.pc)
#   MODE=pkg_config_json   the same with ethos-json.pc
#   MODE=pkg_config_compiled the same with ethos-compiled.pc
#   MODE=prefix_*          any of the above against an existing install PREFIX (the README's install command)
#   MODE=add_subdirectory  configure the consumer with add_subdirectory(ETHOS_SOURCE)
cmake_minimum_required(VERSION 3.23)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

set(prefix "${WORK}/prefix")
if(MODE MATCHES "^prefix_")
  # Against an install made elsewhere (CI: the README's install command into /opt/ethos).
  string(REGEX REPLACE "^prefix_" "" MODE "${MODE}")
  set(prefix "${PREFIX}")
  set(WORK "${WORK}/installed")
endif()
if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${prefix}")
  run(${CMAKE_COMMAND} --install "${BUILD_TREE}" --prefix "${prefix}")
  foreach(f include/ethos/ethos.hpp include/ethos/stats/impl/reliability.ipp include/ethos/io/impl/json_results.ipp
            share/ethos/cmake/ethos-config.cmake share/ethos/cmake/ethos-config-version.cmake
            share/ethos/cmake/ethos-targets.cmake share/ethos/cmake/ethos-json-targets.cmake
            include/ethos/io/json.hpp share/pkgconfig/ethos.pc share/pkgconfig/ethos-json.pc
            share/pkgconfig/ethos-compiled.pc share/ethos/cmake/ethos-compiled-targets.cmake bin/ethos-assess
            share/doc/ethos/concepts.md share/doc/ethos/statistics.md share/doc/ethos/privacy.md
            share/ethos/examples/service_culture_audit.json share/ethos/examples/sample_survey.csv)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "install did not produce ${f}")
    endif()
  endforeach()
  file(GLOB_RECURSE _libs "${prefix}/lib*/libethos.a")
  if(NOT _libs)
    message(FATAL_ERROR "install did not produce libethos.a")
  endif()
  return()
endif()

set(build "${WORK}/build-${MODE}")
file(REMOVE_RECURSE "${build}")
set(args -S "${CONSUMER_SOURCE}" -B "${build}" -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX} -DETHOS_CONSUMER_MODE=${MODE})
if(MODE MATCHES "^find_package")
  # Only the temporary prefix may provide ethos: an ethos installed elsewhere must not be picked up.
  list(APPEND args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
elseif(MODE MATCHES "^pkg_config")
  set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND args -DETHOS_SOURCE=${ETHOS_SOURCE})
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
run(${CMAKE_COMMAND} ${args})
run(${CMAKE_COMMAND} --build "${build}")
run("${build}/ethos_consumer")
