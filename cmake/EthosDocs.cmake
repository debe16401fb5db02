# The 'docs' target: the HTML API reference of the public headers, made by Doxygen from docs/Doxyfile into
# <build>/docs/html. ETHOS_DOCS_WARNINGS_AS_ERRORS=ON (the CI presets) fails the build on any Doxygen warning, an
# undocumented public entity among them.
find_package(Doxygen QUIET)
option(ETHOS_DOCS_WARNINGS_AS_ERRORS "Fail the docs target on Doxygen warnings" ${ETHOS_WARNINGS_AS_ERRORS})
if(DOXYGEN_FOUND)
  if(ETHOS_DOCS_WARNINGS_AS_ERRORS)
    set(_werror FAIL_ON_WARNINGS)
  else()
    set(_werror NO)
  endif()
  add_custom_target(
    docs
    COMMAND ${CMAKE_COMMAND} -E env ETHOS_DOCS_OUT=${PROJECT_BINARY_DIR}/docs ETHOS_VERSION=${PROJECT_VERSION}
            ETHOS_DOCS_WERROR=${_werror} ${DOXYGEN_EXECUTABLE} docs/Doxyfile
    COMMAND ${CMAKE_COMMAND} -E echo "API reference: ${PROJECT_BINARY_DIR}/docs/html/index.html"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Doxygen: the API reference"
    VERBATIM)
else()
  add_custom_target(
    docs
    COMMAND ${CMAKE_COMMAND} -E echo "The API reference needs Doxygen (Debian: apt-get install doxygen)"
    COMMAND ${CMAKE_COMMAND} -E false
    VERBATIM)
endif()
