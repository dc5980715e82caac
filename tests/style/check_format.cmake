# Fails, naming the files, when a C or C++ file of the repository is not as clang-format (.clang-format at the
# root) would write it. Fix with: clang-format-14 -i FILE... (or every file this lists).
#   cmake -DSOURCE_DIR=... -DCLANG_FORMAT=... -P check_format.cmake
set(files "")
foreach(dir cmake examples include sdk tests tools)
  file(GLOB_RECURSE found RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/${dir}/*.c" "${SOURCE_DIR}/${dir}/*.cpp"
       "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.hpp")
  list(APPEND files ${found})
endforeach()
list(FILTER files EXCLUDE REGEX "^tests/fuzz/corpus/")
list(LENGTH files count)
if(count EQUAL 0)
  message(FATAL_ERROR "no C or C++ file found under ${SOURCE_DIR}")
endif()
set(unformatted "")
foreach(file IN LISTS files)
  execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror "${file}" WORKING_DIRECTORY "${SOURCE_DIR}"
                  RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
  if(NOT result EQUAL 0)
    list(APPEND unformatted "${file}")
  endif()
endforeach()
if(unformatted)
  list(LENGTH unformatted bad)
  list(JOIN unformatted "\n  " listed)
  message(FATAL_ERROR "${bad} of ${count} files are not formatted as .clang-format says (clang-format-14 -i FILE):\n  ${listed}")
endif()
message(STATUS "${count} files formatted as .clang-format says")
