// Every example function's plain .wasm, from both toolchains, compiled by the real compiler and run by real
// worker processes, against the expected outputs of examples/functions/README.md.
#include <doctest/doctest.h>

#include "expected_outputs.hpp"
#include "gateway_double.hpp"
#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

constexpr const char* kExamples[] = {"hello", "echo",        "chain", "chain_worker", "state", "blocking_indirect",
                                     "pi",    "faasm_compat"};

void check_examples(const fs::path& build_dir) {
  std::map<std::string, fs::path> deployed;
  for (const char* name : kExamples)
    deployed[name] = compiled(build_dir / "examples/functions" / (std::string(name) + ".wasm"));
  GatewayDouble gateway(worker_binary(), deployed);
  auto output = [&](const std::string& function, const std::string& input = "") {
    const auto result = gateway.run(function, input);
    CAPTURE(function);
    CAPTURE(input);
    CHECK(result.status == CallStatus::Finished);
    CHECK(result.return_value == 0);
    CHECK(result.error == "");
    return text(result.output);
  };
  auto failure = [&](const std::string& function, const std::string& input = "") {
    const auto result = gateway.run(function, input);
    CAPTURE(function);
    CHECK(result.status == CallStatus::Finished);
    CHECK(result.return_value == 1);
    CHECK(result.error == function + " returned 1: " + text(result.output));
    return text(result.output);
  };

  for (const auto& row : faasmjs_test::expected_outputs(FAASMJS_EXAMPLES_README)) {
    const std::string input = row.input.value_or("");
    CHECK((row.return_value == 0 ? output(row.function, input) : failure(row.function, input)) == row.output);
  }
  const std::string binary("\x00\x01\xff\x7f bytes", 10);
  CHECK(output("echo", binary) == binary);
  CHECK(failure("chain_worker", "not cereal").starts_with("decode_failed: input: "));

  // chain without chain_worker deployed: its by-name calls fail, and it says so.
  deployed.erase("chain_worker");
  GatewayDouble alone(worker_binary(), deployed);
  const auto result = alone.run("chain");
  CHECK(result.return_value == 1);
  CHECK(text(result.output).starts_with("call_failed: 3 of 3 chained calls failed; first: chained call "));
  CHECK(text(result.output).find("(chain_worker) returned 1") != std::string::npos);
}

}  // namespace

TEST_SUITE("worker.examples") {
  TEST_CASE("every example built with clang runs as examples/functions/README.md says") {
    check_examples(env_path("FAASMJS_WASM_DIR_CLANG"));
  }

  TEST_CASE("every example built with emscripten runs as examples/functions/README.md says") {
    const auto dir = optional_env_path("FAASMJS_WASM_DIR_EMSCRIPTEN");
    if (!dir) {
      MESSAGE("FAASMJS_WASM_DIR_EMSCRIPTEN is not set: the emscripten binaries were not built, skipped");
      return;
    }
    check_examples(*dir);
  }
}
