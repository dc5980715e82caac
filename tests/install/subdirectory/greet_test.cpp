// The consumer's greet function, unit-tested natively against the SDK of the faasm.js subdirectory.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#define FAASMJS_NATIVE_HOST_IMPLEMENT
#include <faasmjs/testing/native_host.hpp>
#include <string>
#include <vector>

int greet_main();

TEST_CASE("greet greets everyone it is given") {
  auto& host = faasmjs::testing::host();
  host.reset();
  const auto input = faasmjs::encode(std::vector<std::string>{"Ada", "Grace"});
  CHECK(host.invoke(&greet_main, input).output_text() == "Hello Ada Grace");
}
