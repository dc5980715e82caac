# Installs the faasm.js build in BUILD_DIR into a scratch prefix under WORK_DIR, runs it, moves it, runs it
# again, and builds the consumer project in CONSUMER_DIR against it with each installed toolchain file.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${result}): ${command}\n${output}")
  endif()
endfunction()

run("${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")

# The gateway runs from the prefix and finds what it serves there.
foreach(file bin/faasmjs-gateway bin/faasmjs-worker bin/faasmjs-asyncify bin/faasmjs share/faasmjs/sdk/js/index.js
             share/faasmjs/cli/faasmjs.js share/faasmjs/webapp/index.html)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "the install has no ${file}")
  endif()
endforeach()
execute_process(COMMAND "${prefix}/bin/faasmjs-gateway" --help OUTPUT_VARIABLE help RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT help MATCHES "share/faasmjs|--functions")
  message(FATAL_ERROR "the installed faasmjs-gateway --help failed (${result}): ${help}")
endif()

# The command line runs from the prefix on the SDK installed there, and talks to the installed gateway.
execute_process(COMMAND "${prefix}/bin/faasmjs" --version OUTPUT_VARIABLE version ERROR_VARIABLE version RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT version MATCHES "^faasmjs [0-9]")
  message(FATAL_ERROR "the installed faasmjs --version failed (${result}): ${version}")
endif()
if(WASM_DIR)
  run("${NODE}" "${CMAKE_CURRENT_LIST_DIR}/cli_roundtrip.mjs" "${prefix}" "${WASM_DIR}/examples/functions/hello.wasm")
  message(STATUS "the installed faasmjs uploaded and invoked a function through the installed gateway")
endif()

# Moved elsewhere, the prefix still runs from itself alone (relocated.mjs), and function projects build
# against it where it now is.
set(moved "${WORK_DIR}/moved")
file(RENAME "${prefix}" "${moved}")
set(prefix "${moved}")
if(WASM_DIR)
  run("${NODE}" "${CMAKE_CURRENT_LIST_DIR}/relocated.mjs" "${prefix}" "${WASM_DIR}/examples/functions/hello.wasm")
  message(STATUS "the moved prefix served its own files and ran hello")
endif()

foreach(toolchain wasm32-wasi-clang wasm32-emscripten)
  set(build "${WORK_DIR}/${toolchain}")
  run("${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${build}"
      "-DCMAKE_TOOLCHAIN_FILE=${prefix}/lib/cmake/faasmjs/toolchains/${toolchain}.cmake"
      "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
  run("${CMAKE_COMMAND}" --build "${build}")
  foreach(output greet.wasm greet.async.wasm greet.manifest.json web/greet.wasm web/greet.async.wasm)
    if(NOT EXISTS "${build}/${output}")
      message(FATAL_ERROR "${toolchain}: the consumer build did not produce ${output}")
    endif()
  endforeach()
  message(STATUS "${toolchain}: built greet.wasm against the installed package")
endforeach()
