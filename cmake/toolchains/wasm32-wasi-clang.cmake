# Toolchain: Faasm functions with clang for `wasm32-wasi` (the default).
#
# Uses the clang on PATH (Debian's clang 14 by default; set FAASMJS_CLANG to another, e.g. clang-16) with
# Debian's wasi-libc and libc++ for wasm32 (packages wasi-libc, libc++-14-dev-wasm32, libc++abi-14-dev-wasm32,
# libclang-rt-14-dev-wasm32). Function link flags are added per target by faasmjs_add_function().
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=<faasmjs>/cmake/toolchains/wasm32-wasi-clang.cmake ...

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(FAASMJS_WASM_TOOLCHAIN "clang")

# Platform/WASI.cmake lives beside the toolchains.
get_filename_component(_faasmjs_cmake_dir "${CMAKE_CURRENT_LIST_DIR}" DIRECTORY)
list(APPEND CMAKE_MODULE_PATH "${_faasmjs_cmake_dir}")

if(NOT DEFINED FAASMJS_CLANG)
  set(FAASMJS_CLANG "clang")
endif()
find_program(_faasmjs_clang NAMES "${FAASMJS_CLANG}" REQUIRED)
# clang-N pairs with clang++-N in the same directory.
get_filename_component(_faasmjs_clang_dir "${_faasmjs_clang}" DIRECTORY)
get_filename_component(_faasmjs_clang_name "${_faasmjs_clang}" NAME)
string(REPLACE "clang" "clang++" _faasmjs_clangxx_name "${_faasmjs_clang_name}")
set(CMAKE_C_COMPILER "${_faasmjs_clang}")
set(CMAKE_CXX_COMPILER "${_faasmjs_clang_dir}/${_faasmjs_clangxx_name}")
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)
set(CMAKE_ASM_COMPILER_TARGET wasm32-wasi)

# Faasm's own defines (faasm/cpp faasmtools/build.py). Mutable globals let a function export
# __stack_pointer as Faasm's link flags require; SIMD stays off because wasm2c 1.0.32, the embedded
# cluster's compiler, cannot translate it.
set(_faasmjs_wasm_flags
    "-mmutable-globals -D__faasm -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_SIGNAL")
set(CMAKE_C_FLAGS_INIT "${_faasmjs_wasm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_faasmjs_wasm_flags}")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
