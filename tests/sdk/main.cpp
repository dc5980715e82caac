// The SDK test program: doctest's runner and the one native host every test talks to.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#define FAASMJS_NATIVE_HOST_IMPLEMENT
#include <faasmjs/testing/native_host.hpp>
