# Builds each case of cases/ with a wasm toolchain and checks what the build said. A case lists, in lines
# `// expect: <regex>`, what its build's output must match; a case without any must build (and so proves that
# the build is sound, so that the failures of the others come from their mistakes).
#   cmake -DSOURCE_DIR=<faasm.js> -DTOOLCHAIN=<file> -DASYNCIFY=<faasmjs-asyncify> -DWORK_DIR=<dir>
#         -P check_diagnostics.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}" -B "${WORK_DIR}" -G Ninja "-DFAASMJS_SOURCE=${SOURCE_DIR}"
          "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}" "-DFAASMJS_ASYNCIFY_EXECUTABLE=${ASYNCIFY}" -DCMAKE_BUILD_TYPE=Release
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the cases failed:\n${output}")
endif()

file(GLOB cases "${CMAKE_CURRENT_LIST_DIR}/cases/*.cpp")
set(failures "")
foreach(source IN LISTS cases)
  get_filename_component(name "${source}" NAME_WE)
  file(STRINGS "${source}" expectations REGEX "^// expect: ")
  list(TRANSFORM expectations REPLACE "^// expect: " "")
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}" --target ${name}_async
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT expectations)
    if(result EQUAL 0)
      message(STATUS "${name}: builds")
    else()
      string(APPEND failures "${name} should build but failed:\n${output}\n")
    endif()
    continue()
  endif()
  if(result EQUAL 0)
    string(APPEND failures "${name} built, but a build error was expected\n")
    continue()
  endif()
  foreach(expected IN LISTS expectations)
    if(NOT output MATCHES "${expected}")
      string(APPEND failures "${name}: the build's output does not match `${expected}`:\n${output}\n")
    endif()
  endforeach()
  message(STATUS "${name}: refused, saying what the case expects")
endforeach()
if(failures)
  message(FATAL_ERROR "${failures}")
endif()
