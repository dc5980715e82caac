// The example functions (examples/functions/), built natively and run in the native host: their outputs are
// the ones examples/functions/README.md promises.
#include "fixtures.hpp"

#include <faasmjs/serialization.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

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
    TEST_CASE_FIXTURE(HostFixture, "hello") {
        CHECK(host.invoke(&example_hello_main).output_text() == "Hello Faasm!");
        CHECK(host.invoke(&example_hello_main, "Ada").output_text() == "Hello Ada!");
    }

    TEST_CASE_FIXTURE(HostFixture, "echo") {
        CHECK(host.invoke(&example_echo_main).output_text() == "Nothing to echo");
        const faasmjs::Bytes binary{0, 1, 255, 0};
        CHECK(host.invoke(&example_echo_main, binary).output == binary);
    }

    TEST_CASE_FIXTURE(HostFixture, "chain: fork-join by pointer and by name") {
        FAASMJS_FOR_EACH_CHAIN_MODE(host);
        host.register_function("chain_worker", &example_chain_worker_main);
        const auto run = host.invoke(&example_chain_main);
        CHECK(run.ok());
        CHECK(run.output_text() == "sum of squares 1..4 = 30; words in 3 sentences = 9");
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
        CHECK(run.output_text() == "settings fast/3; counters[2..3] = 20,30; counters[7] = 107; log total = 7");
        CHECK(host.invoke(&example_state_main).ok());
        CHECK(host.warnings().empty());
    }

    TEST_CASE_FIXTURE(HostFixture, "blocking_indirect") {
        FAASMJS_FOR_EACH_CHAIN_MODE(host);
        const auto run = host.invoke(&example_blocking_indirect_main);
        CHECK(run.ok());
        CHECK(run.output_text() == "chained 42 via virtual, pointer, std::function; state 7 via virtual, pointer, "
                                   "std::function");
    }

    TEST_CASE_FIXTURE(HostFixture, "pi: a small run, and bad inputs") {
        const auto run = host.invoke(&example_pi_main, "4 100000");
        CHECK(run.ok());
        CHECK(run.output_text() == "Pi estimate from 4 x 100000 samples: 3.139630 (error 0.001963)");
        CHECK(host.chained_calls().size() == 4);
        CHECK(host.invoke(&example_pi_main, "4 2000000").output_text() ==
              "Pi estimate from 4 x 2000000 samples: 3.141129 (error 0.000464)");
        CHECK(host.invoke(&example_pi_main, "four").output_text() ==
              "invalid_argument: workers must be a positive integer, got 'four'");
        CHECK(host.invoke(&example_pi_main, "2 0").return_value == 1);
        CHECK(host.invoke(&example_pi_main, "2000 1").output_text() == "invalid_argument: at most 1024 workers");
    }

    TEST_CASE_FIXTURE(HostFixture, "faasm_compat") {
        FAASMJS_FOR_EACH_CHAIN_MODE(host);
        CHECK(host.invoke(&example_faasm_compat_main).output_text() == "sum of doubles: 12");
        CHECK(host.invoke(&example_faasm_compat_main, "5 10").output_text() == "sum of doubles: 30");
        CHECK(host.global_appended("faasm_compat_log").size() == 2);
    }
}
