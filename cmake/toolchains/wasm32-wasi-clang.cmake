# Toolchain: Faasm functions with clang for `wasm32-wasi` (the default).
#
# Uses the clang on PATH (Debian's clang 14 by default; set FAASMJS_CLANG to another, e.g. clang-16) with
# Debian's wasi-libc and libc++ for wasm32 (packages wasi-libc, libc++-14-dev-wasm32, libc++abi-14-dev-wasm32,
# libclang-rt-14-dev-wasm32), in a sysroot of their own. Function link flags are added per target by
# faasmjs_add_function().
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

# A wasm build sees no header of the build machine: clang's default search path for wasm32-wasi ends in
# /usr/local/include and /usr/include, where e.g. <pwd.h> would silently resolve to glibc's. The sysroot
# instead holds only Debian's wasi-libc and wasm32 libc++ (its include/wasm32-wasi and lib/wasm32-wasi link
# to them), so the search path is libc++, clang's builtin headers and wasi-libc, nothing else; cereal and
# the SDK are added per function by faasmjs_add_function(). It is made once per build tree and handed to
# CMake's try_compile projects as it is.
if(NOT DEFINED FAASMJS_WASI_SYSROOT)
  find_path(_faasmjs_wasi_libc_include stdio.h PATHS /usr/include/wasm32-wasi NO_DEFAULT_PATH REQUIRED)
  find_path(_faasmjs_wasi_libc_lib libc.a PATHS /usr/lib/wasm32-wasi NO_DEFAULT_PATH REQUIRED)
  set(FAASMJS_WASI_SYSROOT "${CMAKE_BINARY_DIR}/faasmjs-wasi-sysroot")
  file(MAKE_DIRECTORY "${FAASMJS_WASI_SYSROOT}/include" "${FAASMJS_WASI_SYSROOT}/lib")
  file(CREATE_LINK "${_faasmjs_wasi_libc_include}" "${FAASMJS_WASI_SYSROOT}/include/wasm32-wasi" SYMBOLIC)
  file(CREATE_LINK "${_faasmjs_wasi_libc_lib}" "${FAASMJS_WASI_SYSROOT}/lib/wasm32-wasi" SYMBOLIC)
endif()
set(CMAKE_SYSROOT "${FAASMJS_WASI_SYSROOT}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES FAASMJS_WASI_SYSROOT)

# What Faasm's wasi-libc fork declares behind __faasm and Debian's wasi-libc lacks (<pwd.h>, <sys/wait.h>,
# dup, pipe, getuid, F_DUPFD, ...), searched before wasi-libc; function-support/libc-extras implements it on
# WASI, and faasmjs_add_function() links it into every function.
set(_faasmjs_libc_extras_include "${_faasmjs_cmake_dir}/function-support/libc-extras/include")
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES "${_faasmjs_libc_extras_include}")
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES "${_faasmjs_libc_extras_include}")

# Faasm's own defines (faasm/cpp faasmtools/build.py), plus the emulated mmap that Faasm's fork has behind
# __faasm (faasmjs_add_function links -lwasi-emulated-mman). Mutable globals let a function export
# __stack_pointer as Faasm's link flags require; SIMD stays off because wasm2c 1.0.32, the embedded
# cluster's compiler, cannot translate it.
set(_faasmjs_wasm_flags "-mmutable-globals -D__faasm -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS")
string(APPEND _faasmjs_wasm_flags " -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_MMAN")
set(CMAKE_C_FLAGS_INIT "${_faasmjs_wasm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_faasmjs_wasm_flags}")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
