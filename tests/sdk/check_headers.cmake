# Compiles every public header on its own with one compiler, as a warning-free translation unit:
#   cmake -DCOMPILER=<clang++|clang> -DLANGUAGE=<CXX|C> -DINCLUDE_DIR=<include/> -DWORK_DIR=<dir>
#         [-DTARGET=<triple>] -DHEADERS=<h1;h2;...> -P check_headers.cmake
# A header that needs another it does not include, or that warns, fails the check with the compiler's output.
set(flags -fsyntax-only -Wall -Wextra -Werror "-I${INCLUDE_DIR}")
if(LANGUAGE STREQUAL "C")
  list(APPEND flags -std=c99 -x c)
  set(extension c)
else()
  list(APPEND flags -std=c++20 -x c++)
  set(extension cpp)
endif()
if(TARGET)
  list(APPEND flags "--target=${TARGET}")
endif()

file(MAKE_DIRECTORY "${WORK_DIR}")
set(failed "")
foreach(header IN LISTS HEADERS)
  string(MAKE_C_IDENTIFIER "${header}" stem)
  set(source "${WORK_DIR}/${stem}.${extension}")
  file(WRITE "${source}" "#include <${header}>\n")
  execute_process(COMMAND "${COMPILER}" ${flags} "${source}" RESULT_VARIABLE result OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message("${header}:\n${output}")
    list(APPEND failed "${header}")
  endif()
endforeach()
list(LENGTH HEADERS total)
if(failed)
  message(FATAL_ERROR "headers that do not compile cleanly on their own: ${failed}")
endif()
message(STATUS "${total} headers compile cleanly on their own with ${COMPILER} ${TARGET}")
