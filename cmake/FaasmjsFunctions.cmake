#[=======================================================================[.rst:
FaasmjsFunctions
----------------

Builds Faasm functions: one WebAssembly binary per function, runnable unmodified on Faasm, in the browser and
in the faasm.js gateway. Included by ``find_package(faasmjs)``; use it in a project configured with one of the
faasm.js wasm toolchain files (``toolchains/wasm32-wasi-clang.cmake``, the default, or
``toolchains/wasm32-emscripten.cmake``).

.. command:: faasmjs_add_function

  ::

    faasmjs_add_function(<name> SOURCES <src>...
                         [WEB_DIR <dir>]
                         [LIBRARIES <lib>...]
                         [ALLOW_THROW])

  Produces, in the current binary directory:

  ``<name>.wasm``
    The plain binary with Faasm's link flags: stack first, 4 MiB stack, exported ``malloc``, ``free``,
    ``__heap_base``, ``__data_end``, ``__stack_pointer``, ``__wasm_call_ctors``, ``_faasm_zygote`` and the
    function table. This is the file to upload to Faasm or the gateway, and the one the browser runs with JSPI.
  ``<name>.async.wasm``, ``<name>.manifest.json``
    The same binary after ``faasmjs-asyncify`` (for browsers without JSPI) and its manifest.

  ``SOURCES``
    The function's sources. Its entry point is ``main``, as on Faasm.
  ``WEB_DIR``
    Also copy the three files into ``<dir>`` (for instance a web app's ``public/wasm``) after each build.
  ``LIBRARIES``
    Further libraries to link (wasm static libraries or interface targets).
  ``ALLOW_THROW``
    Compile C++ with exceptions. Without it (the default) a ``throw`` in the function's own code is a
    compile error, since no Faasm host can run one; headers of system include directories (cereal's,
    libc++'s) may still contain throws.

  The target ``<name>`` builds the plain binary; ``<name>_async`` (part of ``all``) the rest.

  With ``ALLOW_THROW``, a ``throw`` compiles to calls of ``env.__cxa_allocate_exception``/``env.__cxa_throw``,
  which every faasm.js host, like Faasm, turns into a trap with a clear message: C++ exceptions are
  unavailable in Faasm functions. A function without ``main`` fails to link with a line that says to add
  ``FAASMJS_MAIN``.

Variables
^^^^^^^^^

``FAASMJS_ASYNCIFY_EXECUTABLE``
  The ``faasmjs-asyncify`` program. Set by ``find_package(faasmjs)``; may be overridden.
``FAASMJS_STACK_SIZE``
  Stack size in bytes (default 4194304, Faasm's).
#]=======================================================================]

include_guard(GLOBAL)

# Cache entries, not variables: a project that takes faasm.js as a subdirectory calls these functions from
# its own scope, where the variables of this file's (the subdirectory's) would not be seen.
set(_faasmjs_support_dir "${CMAKE_CURRENT_LIST_DIR}/function-support" CACHE INTERNAL "")
set(FAASMJS_STACK_SIZE 4194304 CACHE STRING "A function's stack size in bytes (Faasm's: 4 MiB)")

# 4 GiB minus one page: Faasm's --max-memory (faasm/cpp faasmtools/build.py).
set(_faasmjs_max_memory 4294901760 CACHE INTERNAL "")

# clang, when it finds wasm-opt, runs `wasm-opt -O<n>` on what it links, and wasm-opt drops the name section
# unless told -g: a trap would then show only wasm-function[N]. clang looks for wasm-opt in its -B
# directories first, so one holding a wrapper that adds -g keeps the names wasm-ld wrote (demangled). The
# result is the directory's -B option, empty when there is no wasm-opt (then clang runs none).
function(_faasmjs_clang_name_keeping_option out)
  set(${out} "" PARENT_SCOPE)
  find_program(FAASMJS_WASM_OPT wasm-opt)
  if(NOT FAASMJS_WASM_OPT)
    return()
  endif()
  set(dir "${CMAKE_BINARY_DIR}/faasmjs-clang-tools")
  file(CONFIGURE OUTPUT "${dir}/wasm-opt" CONTENT "#!/bin/sh\nexec \"@FAASMJS_WASM_OPT@\" -g \"$@\"\n" @ONLY)
  file(CHMOD "${dir}/wasm-opt" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                           WORLD_READ WORLD_EXECUTE)
  set(${out} "-B${dir}" PARENT_SCOPE)
endfunction()

function(_faasmjs_function_link_options out)
  set(exports malloc free __heap_base __data_end __stack_pointer __wasm_call_ctors _faasm_zygote)
  if(FAASMJS_WASM_TOOLCHAIN STREQUAL "emscripten")
    list(TRANSFORM exports PREPEND "-Wl,--export=")
    set(options
        # PRINTF_LONG_DOUBLE: printf("%Lf") at full precision, as clang's -lc-printscan-long-double.
        -sSTANDALONE_WASM -nostartfiles -sPRINTF_LONG_DOUBLE=1 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=${_faasmjs_max_memory}
        -sTOTAL_STACK=${FAASMJS_STACK_SIZE} -Wl,--stack-first ${exports}
        # The name section, which emcc's optimising wasm-opt would drop, so that traps name functions.
        --profiling-funcs
        # fcntl(F_DUPFD) as Faasm's wasi-libc fork answers it, before musl's fcntl (libc-extras/fcntl.c); open
        # on WASI, whichever archive member the link fetched first (emscripten/open.c).
        -Wl,--wrap=fcntl -Wl,--wrap=__syscall_open
        "--js-library=${_faasmjs_support_dir}/emscripten_host_imports.js"
        "--js-library=${_faasmjs_support_dir}/emscripten/wasi_imports.js")
  else()
    list(TRANSFORM exports PREPEND "--export=")
    list(JOIN exports "," exports)
    _faasmjs_clang_name_keeping_option(keep_names)
    set(options
        ${keep_names} -nostartfiles
        "-Wl,--stack-first,-z,stack-size=${FAASMJS_STACK_SIZE},--max-memory=${_faasmjs_max_memory}"
        "-Wl,--export-table,${exports}"
        "-Wl,--allow-undefined-file=${_faasmjs_support_dir}/cxx_exception_imports.txt"
        # Faasm's libraries (faasm/cpp faasmtools/build.py), less -lwasi-emulated-getpid (libc-extras
        # answers Faasm's pid) and plus the emulated mmap its wasi-libc fork builds in.
        -lc-printscan-long-double -lwasi-emulated-mman -lwasi-emulated-process-clocks -lwasi-emulated-signal
        # Debian's wasm32 libc++ carries DWARF that would make every function ~200 KiB larger; emcc
        # already strips it the same way.
        "$<$<NOT:$<CONFIG:Debug,RelWithDebInfo>>:-Wl,--strip-debug>")
  endif()
  set(${out} "${options}" PARENT_SCOPE)
endfunction()

# The SDK encodes structured values with cereal (Debian's libcereal-dev, in /usr/include). No wasm build
# searches /usr/include (the toolchains' sysroots hold only their own libc and libc++), so a directory
# holding nothing but a link to cereal adds it without exposing the rest of the build machine's headers.
function(_faasmjs_cereal_dir out)
  set(dir "${CMAKE_BINARY_DIR}/faasmjs-cereal-include")
  if(NOT EXISTS "${dir}/cereal")
    find_path(FAASMJS_CEREAL_INCLUDE_DIR cereal/cereal.hpp PATHS /usr/include /usr/local/include
              NO_CMAKE_FIND_ROOT_PATH REQUIRED)
    file(MAKE_DIRECTORY "${dir}")
    file(CREATE_LINK "${FAASMJS_CEREAL_INCLUDE_DIR}/cereal" "${dir}/cereal" SYMBOLIC)
  endif()
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

# What Faasm's wasi-libc fork provides and Debian's lacks (function-support/libc-extras; the clang
# toolchain puts its headers on the search path), one library per build tree. Emscripten's libc declares the
# same functions in its own headers; the library adds there, in function-support/emscripten, the system calls
# its standalone mode leaves to JavaScript imports, on WASI. Being a library, a function links only the members
# it uses.
function(_faasmjs_libc_extras out)
  if(NOT TARGET faasmjs_libc_extras)
    set(dir "${_faasmjs_support_dir}/libc-extras")
    set(sources "${dir}/passwd.c" "${dir}/ids.c" "${dir}/wait.c" "${dir}/pipe.c" "${dir}/dup.c" "${dir}/fcntl.c")
    if(FAASMJS_WASM_TOOLCHAIN STREQUAL "emscripten")
      set(dir "${_faasmjs_support_dir}/emscripten")
      list(APPEND sources "${dir}/preopens.c" "${dir}/open.c" "${dir}/stat.c" "${dir}/access.c" "${dir}/cwd.c"
           "${dir}/readdir.c" "${dir}/entropy.c" "${dir}/sleep.c" "${dir}/uname.c" "${dir}/mmap.c" "${dir}/names.c")
    endif()
    add_library(faasmjs_libc_extras STATIC ${sources})
    # dup.c calls the host through the one declaration of its import, include/faasmjs/detail/host_abi.h.
    target_link_libraries(faasmjs_libc_extras PRIVATE faasmjs::sdk)
  endif()
  set(${out} faasmjs_libc_extras PARENT_SCOPE)
endfunction()

function(faasmjs_add_function name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALLOW_THROW" "WEB_DIR" "SOURCES;LIBRARIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "faasmjs_add_function(${name}): unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "faasmjs_add_function(${name}): SOURCES is required")
  endif()
  if(NOT CMAKE_SYSTEM_PROCESSOR STREQUAL "wasm32" AND NOT EMSCRIPTEN)
    message(FATAL_ERROR "faasmjs_add_function(${name}): configure with a faasm.js wasm toolchain file, "
                        "e.g. -DCMAKE_TOOLCHAIN_FILE=<faasmjs>/cmake/toolchains/wasm32-wasi-clang.cmake")
  endif()
  if(NOT FAASMJS_ASYNCIFY_EXECUTABLE)
    message(FATAL_ERROR "faasmjs_add_function(${name}): FAASMJS_ASYNCIFY_EXECUTABLE is not set "
                        "(find_package(faasmjs) sets it)")
  endif()

  add_executable(${name} ${arg_SOURCES} "${_faasmjs_support_dir}/default_zygote.c"
                 "${_faasmjs_support_dir}/constructors_once.c")
  if(FAASMJS_WASM_TOOLCHAIN STREQUAL "emscripten")
    target_sources(${name} PRIVATE "${_faasmjs_support_dir}/emscripten_faasm_abi.c")
  else()
    target_sources(${name} PRIVATE "${_faasmjs_support_dir}/wasi_start.c")
  endif()
  _faasmjs_libc_extras(libc_extras)
  target_link_libraries(${name} PRIVATE ${libc_extras})
  _faasmjs_cereal_dir(cereal_dir)
  target_include_directories(${name} SYSTEM PRIVATE "${cereal_dir}")
  set_target_properties(${name} PROPERTIES SUFFIX ".wasm" RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  if(NOT arg_ALLOW_THROW)
    target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions>)
  endif()
  _faasmjs_function_link_options(link_options)
  target_link_options(${name} PRIVATE ${link_options})
  # Through sh: an installed copy of the script need not keep its executable bit.
  set_target_properties(${name} PROPERTIES RULE_LAUNCH_LINK "sh \"${_faasmjs_support_dir}/explain_link.sh\" ${name}")
  target_link_libraries(${name} PRIVATE faasmjs::sdk ${arg_LIBRARIES})

  set(plain "${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm")
  set(async "${CMAKE_CURRENT_BINARY_DIR}/${name}.async.wasm")
  set(manifest "${CMAKE_CURRENT_BINARY_DIR}/${name}.manifest.json")
  set(commands COMMAND "${FAASMJS_ASYNCIFY_EXECUTABLE}" "${plain}" --output "${async}" --manifest "${manifest}")
  if(arg_WEB_DIR)
    list(APPEND commands
         COMMAND "${CMAKE_COMMAND}" -E make_directory "${arg_WEB_DIR}"
         COMMAND "${CMAKE_COMMAND}" -E copy "${plain}" "${async}" "${manifest}" "${arg_WEB_DIR}")
  endif()
  add_custom_command(
    OUTPUT "${async}" "${manifest}"
    ${commands}
    DEPENDS ${name} "${FAASMJS_ASYNCIFY_EXECUTABLE}"
    COMMENT "faasmjs-asyncify ${name}.wasm"
    VERBATIM)
  add_custom_target(${name}_async ALL DEPENDS "${async}" "${manifest}")
endfunction()
