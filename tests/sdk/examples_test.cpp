// The example functions (examples/functions/), built natively and run in the native host: their outputs are
// the ones examples/functions/README.md promises (its table, read by tests/support/expected_outputs.hpp).
#include <doctest/doctest.h>

#include <cstdint>
#include <faasmjs/serialization.hpp>
#include <map>
#include <string>

#include "expected_outputs.hpp"
#include "fixtures.hpp"

// The examples' entry points, renamed from `main` by the build.
int example_hello_main();
int example_echo_main();
int example_chain_main();
int example_chain_worker_main();
int example_state_main();
int example_blocking_indirect_main();
int example_pi_main();
int example_faasm_compat_main();

TEST_SUITE("examples") {
  TEST_CASE_FIXTURE(HostFixture, "every row of the README's expected outputs") {
    const std::map<std::string, int (*)()> examples = {
        {"hello", &example_hello_main}, {"echo", &example_echo_main},
        {"chain", &example_chain_main}, {"chain_worker", &example_chain_worker_main},
        {"state", &example_state_main}, {"blocking_indirect", &example_blocking_indirect_main},
        {"pi", &example_pi_main},       {"faasm_compat", &example_faasm_compat_main}};
    for (const auto& row : faasmjs_test::expected_outputs(FAASMJS_EXAMPLES_README)) {
      const std::string input = row.input.value_or("");
      CAPTURE(row.function);
      CAPTURE(input);
      host.reset();
      for (const auto& [name, main] : examples) host.register_function(name, main);
      REQUIRE(examples.count(row.function) == 1);
      const auto run = host.invoke(examples.at(row.function), input);
      CHECK(run.return_value == row.return_value);
      CHECK(run.output_text() == row.output);
    }
  }

  TEST_CASE_FIXTURE(HostFixture, "echo: binary input") {
    const faasmjs::Bytes binary{0, 1, 255, 0};
    CHECK(host.invoke(&example_echo_main, binary).output == binary);
  }

  TEST_CASE_FIXTURE(HostFixture, "chain: fork-join by pointer and by name") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    host.register_function("chain_worker", &example_chain_worker_main);
    const auto run = host.invoke(&example_chain_main);
    CHECK(run.ok());
    CHECK(host.chained_calls().size() == 7);
  }

  TEST_CASE_FIXTURE(HostFixture, "chain: a missing worker fails the call with the reason") {
    const auto run = host.invoke(&example_chain_main);
    CHECK(run.return_value == 1);
    CHECK(run.output_text().find("call_failed: 3 of 3 chained calls failed") == 0);
  }

  TEST_CASE_FIXTURE(HostFixture, "chain_worker: malformed input is a decode error, not a trap") {
    const auto run = host.invoke(&example_chain_worker_main, "not a sentence");
    CHECK(run.return_value == 1);
    CHECK(run.output_text().find("decode_failed: input: ") == 0);
  }

  TEST_CASE_FIXTURE(HostFixture, "state") {
    const auto run = host.invoke(&example_state_main);
    CHECK(run.ok());
    CHECK(host.invoke(&example_state_main).ok());
    CHECK(host.warnings().empty());
  }

  TEST_CASE_FIXTURE(HostFixture, "blocking_indirect") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    const auto run = host.invoke(&example_blocking_indirect_main);
    CHECK(run.ok());
  }

  TEST_CASE_FIXTURE(HostFixture, "pi: one chained call per worker, and bad inputs") {
    const auto run = host.invoke(&example_pi_main, "4 100000");
    CHECK(run.ok());
    CHECK(host.chained_calls().size() == 4);
    CHECK(host.invoke(&example_pi_main, "2 0").return_value == 1);
    CHECK(host.invoke(&example_pi_main, "2000 1").output_text() == "invalid_argument: at most 1024 workers");
  }

  TEST_CASE_FIXTURE(HostFixture, "faasm_compat") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    CHECK(host.invoke(&example_faasm_compat_main, "5 10").ok());
    CHECK(host.global_appended("faasm_compat_log").size() == 2);
  }
}
