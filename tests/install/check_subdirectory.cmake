# faasm.js as a subdirectory of another project (add_subdirectory, as FetchContent does), with no faasm.js
# built or installed beforehand but the asyncify tool: natively, a unit test of a function against the
# header-only SDK, configured without the tools' dependencies (binaryen, wabt, libwebsockets, ...) being
# looked for; with the wasm toolchain file, the function built with faasmjs_add_function().
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -DASYNCIFY=... -P check_subdirectory.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
set(project "${CMAKE_CURRENT_LIST_DIR}/subdirectory")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${result}): ${command}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run("${CMAKE_COMMAND}" -S "${project}" -B "${WORK_DIR}/native" "-DFAASMJS_SOURCE=${SOURCE_DIR}")
if(EXISTS "${WORK_DIR}/native/faasmjs/tools" OR EXISTS "${WORK_DIR}/native/faasmjs/tests")
  message(FATAL_ERROR "faasm.js as a subdirectory configured its tools or tests:\n${output}")
endif()
run("${CMAKE_COMMAND}" --build "${WORK_DIR}/native")
run("${WORK_DIR}/native/greet_test")
message(STATUS "natively: the function's unit test passed against the subdirectory's SDK")

run("${CMAKE_COMMAND}" -S "${project}" -B "${WORK_DIR}/wasm" "-DFAASMJS_SOURCE=${SOURCE_DIR}"
    "-DCMAKE_TOOLCHAIN_FILE=${SOURCE_DIR}/cmake/toolchains/wasm32-wasi-clang.cmake"
    "-DFAASMJS_ASYNCIFY_EXECUTABLE=${ASYNCIFY}" -DCMAKE_BUILD_TYPE=Release)
run("${CMAKE_COMMAND}" --build "${WORK_DIR}/wasm")
foreach(output greet.wasm greet.async.wasm greet.manifest.json)
  if(NOT EXISTS "${WORK_DIR}/wasm/${output}")
    message(FATAL_ERROR "the wasm subdirectory build did not produce ${output}")
  endif()
endforeach()
message(STATUS "with the wasm toolchain: greet.wasm built through the subdirectory's faasmjs_add_function()")
