# Private: what `cmake --install` puts where, and the package config that lets another project
# `find_package(faasmjs)` and call faasmjs_add_function().
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(FAASMJS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/faasmjs")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS faasmjs_sdk EXPORT faasmjs-targets)
install(EXPORT faasmjs-targets NAMESPACE faasmjs:: DESTINATION "${FAASMJS_INSTALL_CMAKEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/cmake/FaasmjsFunctions.cmake" DESTINATION "${FAASMJS_INSTALL_CMAKEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/cmake/toolchains" "${PROJECT_SOURCE_DIR}/cmake/Platform"
                  "${PROJECT_SOURCE_DIR}/cmake/function-support"
        DESTINATION "${FAASMJS_INSTALL_CMAKEDIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/faasmjs-config.cmake.in"
                              "${PROJECT_BINARY_DIR}/faasmjs-config.cmake"
                              INSTALL_DESTINATION "${FAASMJS_INSTALL_CMAKEDIR}"
                              PATH_VARS CMAKE_INSTALL_BINDIR)
# A function project is a wasm32 build using these x86-64 tools, so the version check must not compare
# pointer sizes.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/faasmjs-config-version.cmake"
                                 COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/faasmjs-config.cmake" "${PROJECT_BINARY_DIR}/faasmjs-config-version.cmake"
        DESTINATION "${FAASMJS_INSTALL_CMAKEDIR}")
