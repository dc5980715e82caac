# Toolchain: Faasm functions with Emscripten's `emcc` in standalone-wasm mode (the alternative).
#
# Uses Debian's emscripten (3.1.6) with its own prebuilt cache: leave EM_CACHE unset. The output is a plain
# WASI program with the same Faasm ABI as the clang toolchain's (see function-support/emscripten_faasm_abi.c).
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=<faasmjs>/cmake/toolchains/wasm32-emscripten.cmake ...

if(NOT DEFINED FAASMJS_EMSCRIPTEN_ROOT)
  find_program(_faasmjs_emcc NAMES emcc REQUIRED)
  get_filename_component(_faasmjs_emcc "${_faasmjs_emcc}" REALPATH)
  get_filename_component(FAASMJS_EMSCRIPTEN_ROOT "${_faasmjs_emcc}" DIRECTORY)
endif()
include("${FAASMJS_EMSCRIPTEN_ROOT}/cmake/Modules/Platform/Emscripten.cmake")

set(FAASMJS_WASM_TOOLCHAIN "emscripten")
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")

set(_faasmjs_wasm_flags "-mmutable-globals -D__faasm")
set(CMAKE_C_FLAGS_INIT "${_faasmjs_wasm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_faasmjs_wasm_flags}")
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
