# The gateway's folders are layered: a folder includes only its own headers and those of folders in lower
# layers, never one in its own layer or above (docs/gateway.md, "Layers"). Backends and the transport share a
# layer so that sessions reach a backend only through common/backend.h, and a backend (cluster/, faasm/)
# cannot be reached around that interface. The files at the top of tools/gateway (main.cpp and its options)
# wire everything and may include anything; no folder may include them.
#
#   cmake -DGATEWAY_DIR=<tools/gateway> -P layering.cmake   (ctest gateway.layering)
#
# Lists every offending include and library link and fails, or prints how many it checked.
set(layers
  "common"
  "auth protocol state aot"
  "registry worker"
  "cluster faasm transport")

if(NOT IS_DIRECTORY "${GATEWAY_DIR}")
  message(FATAL_ERROR "GATEWAY_DIR is not a folder: '${GATEWAY_DIR}'")
endif()

set(rank 0)
foreach(layer IN LISTS layers)
  math(EXPR rank "${rank} + 1")
  string(REPLACE " " ";" folders "${layer}")
  foreach(folder IN LISTS folders)
    set(rank_of_${folder} ${rank})
  endforeach()
endforeach()

set(problems "")
file(GLOB entries LIST_DIRECTORIES true RELATIVE "${GATEWAY_DIR}" "${GATEWAY_DIR}/*")
foreach(entry IN LISTS entries)
  if(IS_DIRECTORY "${GATEWAY_DIR}/${entry}" AND NOT DEFINED rank_of_${entry})
    list(APPEND problems "tools/gateway/${entry}/ is in no layer: add it to the table in layering.cmake")
  endif()
endforeach()

set(checked 0)
file(GLOB_RECURSE sources RELATIVE "${GATEWAY_DIR}" "${GATEWAY_DIR}/*.h" "${GATEWAY_DIR}/*.hpp"
     "${GATEWAY_DIR}/*.cpp" "${GATEWAY_DIR}/*.c" "${GATEWAY_DIR}/*.in")
foreach(source IN LISTS sources)
  if(NOT source MATCHES "^([^/]+)/")
    continue()
  endif()
  set(folder "${CMAKE_MATCH_1}")
  if(NOT DEFINED rank_of_${folder})
    continue()
  endif()
  file(STRINGS "${GATEWAY_DIR}/${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]+\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" included "${line}")
    math(EXPR checked "${checked} + 1")
    if(included MATCHES "^([^/]+)/")
      set(target "${CMAKE_MATCH_1}")
      if(target STREQUAL folder OR NOT DEFINED rank_of_${target})
        continue()  # its own folder, or not the gateway's (wabt/...)
      endif()
      if(NOT rank_of_${target} LESS rank_of_${folder})
        list(APPEND problems "tools/gateway/${source}: #include \"${included}\": ${folder}/ (layer \
${rank_of_${folder}}) may not include ${target}/ (layer ${rank_of_${target}})")
      endif()
    elseif(EXISTS "${GATEWAY_DIR}/${included}" AND NOT EXISTS "${GATEWAY_DIR}/${folder}/${included}")
      list(APPEND problems "tools/gateway/${source}: #include \"${included}\": ${folder}/ may not include the \
gateway's top-level files")
    endif()
  endforeach()
endforeach()

# The same rule for the libraries each folder's CMakeLists.txt builds: a folder's library links only libraries
# of lower layers (executables, such as faasmjs-gateway in transport/, may link anything).
set(library_folder_faasmjs_gateway_common common)
foreach(entry IN LISTS entries)
  if(EXISTS "${GATEWAY_DIR}/${entry}/CMakeLists.txt")
    file(READ "${GATEWAY_DIR}/${entry}/CMakeLists.txt" cmake_text_${entry})
    string(REGEX MATCHALL "add_library\\([ \t\n]*faasmjs_gateway_[a-z_]+" defined "${cmake_text_${entry}}")
    foreach(definition IN LISTS defined)
      string(REGEX REPLACE ".*(faasmjs_gateway_[a-z_]+)" "\\1" library "${definition}")
      set(library_folder_${library} ${entry})
    endforeach()
  endif()
endforeach()
foreach(entry IN LISTS entries)
  if(NOT DEFINED cmake_text_${entry} OR NOT DEFINED rank_of_${entry})
    continue()
  endif()
  string(REGEX MATCHALL "target_link_libraries\\([^)]*\\)" calls "${cmake_text_${entry}}")
  foreach(call IN LISTS calls)
    string(REGEX MATCHALL "faasmjs_gateway_[a-z_]+" libraries "${call}")
    list(POP_FRONT libraries linking)
    if(NOT call MATCHES "^target_link_libraries\\([ \t\n]*${linking}[ \t\n]" OR
       NOT library_folder_${linking} STREQUAL entry)
      continue()  # an executable's links, or another folder's library
    endif()
    foreach(library IN LISTS libraries)
      math(EXPR checked "${checked} + 1")
      set(target "${library_folder_${library}}")
      if(target STREQUAL "" OR target STREQUAL entry)
        continue()
      endif()
      if(NOT rank_of_${target} LESS rank_of_${entry})
        list(APPEND problems "tools/gateway/${entry}/CMakeLists.txt: ${linking} links ${library}: ${entry}/ (layer \
${rank_of_${entry}}) may not depend on ${target}/ (layer ${rank_of_${target}})")
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  foreach(problem IN LISTS problems)
    message(NOTICE "${problem}")
  endforeach()
  list(LENGTH problems count)
  message(FATAL_ERROR "${count} layering violation(s) in tools/gateway")
endif()
message(STATUS "tools/gateway layering: ${checked} includes and links checked, none reaches a folder in its own \
layer or above")
