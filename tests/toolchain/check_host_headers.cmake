# Proves that a wasm build cannot see the build machine's headers: a header present in /usr/include (checked
# first, so the test cannot pass by its absence) must be "not found" when a project configured with the
# toolchain compiles a source that includes it, while a wasi-libc header compiles there.
#   cmake -DTOOLCHAIN=<file> -DHEADER=<name in /usr/include> -DWORK_DIR=<dir> -P check_host_headers.cmake
if(NOT EXISTS "/usr/include/${HEADER}")
  message(FATAL_ERROR "/usr/include/${HEADER} is missing: the check needs a header only the build machine has")
endif()

function(build_probe header out_result out_output)
  string(MAKE_C_IDENTIFIER "${header}" stem)
  set(dir "${WORK_DIR}/${stem}")
  file(REMOVE_RECURSE "${dir}")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/host_headers" -B "${dir}" -G Ninja
            "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}" "-DHEADER=${header}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(result EQUAL 0)
    execute_process(COMMAND "${CMAKE_COMMAND}" --build "${dir}"
                    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  endif()
  set(${out_result} "${result}" PARENT_SCOPE)
  set(${out_output} "${output}" PARENT_SCOPE)
endfunction()

build_probe(stdio.h result output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the probe does not build with a libc header:\n${output}")
endif()

build_probe("${HEADER}" result output)
if(result EQUAL 0)
  message(FATAL_ERROR "<${HEADER}> from the build machine's /usr/include compiled in a wasm build")
endif()
if(NOT output MATCHES "'${HEADER}' file not found")
  message(FATAL_ERROR "the build failed, but not because <${HEADER}> was not found:\n${output}")
endif()
message(STATUS "<${HEADER}> (in /usr/include) is not found by ${TOOLCHAIN}")
