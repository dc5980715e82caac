# Private: builds the wasm part of this source tree (example and test functions) as a sub-build per wasm
# toolchain, using the faasmjs-asyncify built by the native build.
#
#   faasmjs_add_wasm_build(<name> TOOLCHAIN <toolchain file>)
#
# Sets FAASMJS_WASM_BINARY_DIR_<NAME> (and, for the first build, FAASMJS_WASM_BINARY_DIR) to the sub-build's
# binary directory, where function <f> of source folder <dir> lands as <dir>/<f>.wasm.
include_guard(GLOBAL)
include(ExternalProject)

function(faasmjs_add_wasm_build name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TOOLCHAIN" "")
  set(binary_dir "${CMAKE_BINARY_DIR}/wasm-${name}")
  ExternalProject_Add(wasm-${name}
    SOURCE_DIR "${PROJECT_SOURCE_DIR}"
    BINARY_DIR "${binary_dir}"
    CMAKE_ARGS
      "-DCMAKE_TOOLCHAIN_FILE=${arg_TOOLCHAIN}"
      -DCMAKE_BUILD_TYPE=Release
      "-DFAASMJS_ASYNCIFY_EXECUTABLE=$<TARGET_FILE:faasmjs-asyncify>"
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    DEPENDS faasmjs-asyncify)
  string(TOUPPER "${name}" upper)
  set(FAASMJS_WASM_BINARY_DIR_${upper} "${binary_dir}" PARENT_SCOPE)
  if(NOT FAASMJS_WASM_BINARY_DIR)
    set(FAASMJS_WASM_BINARY_DIR "${binary_dir}" PARENT_SCOPE)
  endif()
endfunction()
