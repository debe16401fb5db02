# Builds and runs tests/consumer against ethos in one of four ways (run by ctest):
#   MODE=install           install the build tree BUILD_TREE into WORK/prefix
#   MODE=find_package      configure the consumer with find_package(ethos 0.1 REQUIRED)
#   MODE=find_package_json the same with COMPONENTS json (ethos::json)
#   MODE=pkg_config        configure the consumer with pkg-config (ethos.pc)
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
if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${prefix}")
  run(${CMAKE_COMMAND} --install "${BUILD_TREE}" --prefix "${prefix}")
  foreach(f include/ethos/ethos.hpp share/ethos/cmake/ethos-config.cmake share/ethos/cmake/ethos-config-version.cmake
            share/ethos/cmake/ethos-targets.cmake share/ethos/cmake/ethos-json-targets.cmake
            include/ethos/io/json.hpp share/pkgconfig/ethos.pc bin/ethos-assess
            share/ethos/examples/service_culture_audit.json share/ethos/examples/sample_survey.csv)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "install did not produce ${f}")
    endif()
  endforeach()
  return()
endif()

set(build "${WORK}/build-${MODE}")
file(REMOVE_RECURSE "${build}")
set(args -S "${CONSUMER_SOURCE}" -B "${build}" -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX} -DETHOS_CONSUMER_MODE=${MODE})
if(MODE MATCHES "^find_package")
  # Only the temporary prefix may provide ethos: an ethos installed elsewhere must not be picked up.
  list(APPEND args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
elseif(MODE STREQUAL "pkg_config")
  set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND args -DETHOS_SOURCE=${ETHOS_SOURCE})
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
run(${CMAKE_COMMAND} ${args})
run(${CMAKE_COMMAND} --build "${build}")
run("${build}/ethos_consumer")
