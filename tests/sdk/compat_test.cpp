// Faasm C API compatibility: Faasm-style sources (demos/) built through <faasm/*.h>, run in the native host.
#include <doctest/doctest.h>
#include <faasm/faasm.h>
#include <faasm/input.h>
#include <faasm/random.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "fixtures.hpp"

// The demos' entry points, renamed from `main` by the build.
int demo_chain_main(int argc, char* argv[]);
int demo_chain_named_main();
int demoNamedCallee();
int demo_chain_output_main();
int demo_state_offset_main();
int demo_state_append_main();
int demo_state_size_main();
int demo_zygote_main();
extern "C" int demo_echo_main(int argc, char* argv[]);

namespace {

int run_chain_demo() {
  char program[] = "function.wasm";
  char* argv[] = {program, nullptr};
  return demo_chain_main(1, argv);
}

int run_echo_demo() {
  char program[] = "function.wasm";
  char* argv[] = {program, nullptr};
  return demo_echo_main(1, argv);
}

}  // namespace

TEST_SUITE("compat") {
  TEST_CASE_FIXTURE(HostFixture, "chain: calls by pointer with int inputs, one nested") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    CHECK(host.invoke(&run_chain_demo).ok());
    CHECK(host.chained_calls().size() == 4);
  }

  TEST_CASE_FIXTURE(HostFixture, "chain_named: calls by name, the callee checks its input bytes") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    host.register_function("demo_named_callee", &demoNamedCallee);
    CHECK(host.invoke(&demo_chain_named_main).ok());
    CHECK(host.chained_calls().size() == 3);
  }

  TEST_CASE_FIXTURE(HostFixture, "chain_output: host-allocated outputs") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    const auto run = host.invoke(&demo_chain_output_main);
    CHECK(run.ok());
    CHECK(run.output_text() == "outputs as expected");
  }

  TEST_CASE_FIXTURE(HostFixture, "state_offset: offset writes and reads around pushes and a pull") {
    const auto run = host.invoke(&demo_state_offset_main);
    CHECK(run.ok());
    CHECK(run.output_text() == "success");
    CHECK(host.global_value("demo_state_offset") == faasmjs::Bytes{5, 5, 6, 6, 4, 5, 6});
  }

  TEST_CASE_FIXTURE(HostFixture, "state_append: two chained appenders, then one read of the log") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    CHECK(host.invoke(&demo_state_append_main).ok());
    CHECK(host.global_appended("demo_append").size() == 300);
  }

  TEST_CASE_FIXTURE(HostFixture, "state_size and shared pointers") {
    CHECK(host.invoke(&demo_state_size_main).ok());
    CHECK(host.invoke(&demo_state_size_main).return_value == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "zygote: FAASM_ZYGOTE defines the strong _faasm_zygote, run once before calls") {
    CHECK(host.invoke(&demo_zygote_main).return_value == 1);
    CHECK(host.run_zygote() == 0);
    CHECK(host.invoke(&demo_zygote_main).ok());
  }

  TEST_CASE_FIXTURE(HostFixture, "echo in C: input echoed, or Nothing to echo") {
    CHECK(host.invoke(&run_echo_demo, "hello C").output_text() == "hello C");
    CHECK(host.invoke(&run_echo_demo).output_text() == "Nothing to echo");
  }

  TEST_CASE_FIXTURE(HostFixture, "input helpers: strings, ints and int arrays without throwing") {
    CHECK(std::strcmp(faasm::getStringInput("fallback"), "fallback") == 0);
    CHECK(faasm::getIntInput() == 0);
    CHECK(faasm::getTypedInput<int>(7) == 7);

    host.set_input("  42abc");
    const char* text = faasm::getStringInput("");
    CHECK(std::strcmp(text, "  42abc") == 0);
    delete[] text;
    CHECK(faasm::getIntInput() == 42);
    host.set_input("not a number");
    CHECK(faasm::getIntInput() == 0);
    host.set_input("99999999999999");
    CHECK(faasm::getIntInput() == 0);

    int* values = faasm::parseStringToIntArray("1 -2 3 4", 3);
    CHECK(values[0] == 1);
    CHECK(values[1] == -2);
    CHECK(values[2] == 3);
    delete[] values;
    values = faasm::parseStringToIntArray("5 x", 3);
    CHECK(values[0] == 5);
    CHECK(values[1] == 0);
    CHECK(values[2] == 0);
    delete[] values;

    host.set_input(faasmjs::Bytes{1, 0, 0, 0});
    CHECK(faasm::getTypedInput<std::int32_t>(0) == 1);
    faasm::setStringOutput("out");
    CHECK(host.output_text() == "out");
  }

  TEST_CASE_FIXTURE(HostFixture, "chain batch: all chained before any await; 1 if any failed") {
    CHECK(faasmChainBatch([] { return faasm::getIntInput() == 7 ? 0 : 1; }, "7", 4) == 0);
    CHECK(host.chained_calls().size() == 4);
    CHECK(faasmChainBatch([] { return 0; }, "", 0) == 0);
    CHECK(faasmChainBatch([] { return faasm::getIntInput(); }, "2", 2) == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "state through the C API: sizes, reads, pushes, locks, appends") {
    const uint8_t value[4] = {1, 2, 3, 4};
    CHECK(faasmReadStateSize("c_key") == 0);
    faasmWriteState("c_key", value, 4);
    CHECK(faasmReadStateSize("c_key") == 4);
    faasmLockStateWrite("c_key");
    faasmUnlockStateWrite("c_key");
    faasmLockStateRead("c_key");
    faasmUnlockStateRead("c_key");
    faasmFlagStateOffsetDirty("c_key", 4, 1, 1);
    faasmPushStatePartial("c_key");
    CHECK(host.global_value("c_key") == faasmjs::Bytes{1, 2, 3, 4});
    faasmFlagStateDirty("c_key", 4);
    faasmPushState("c_key");
    CHECK(host.push_count("c_key") == 2);
    uint8_t read[4] = {};
    CHECK(faasmReadState("c_key", read, 4) == 4);
    CHECK(std::memcmp(read, value, 4) == 0);

    const uint8_t mask[4] = {0, 0, 0, 1};
    faasmWriteState("c_mask", mask, 4);
    faasmWriteStateOffset("c_key", 4, 0, value + 3, 1);
    faasmWriteStateOffset("c_key", 4, 3, value, 1);
    faasmPushStatePartialMask("c_key", "c_mask");
    CHECK(host.global_value("c_key") == faasmjs::Bytes{1, 2, 3, 1});

    faasmAppendState("c_log", value, 2);
    uint8_t appended[2] = {};
    faasmReadAppendedState("c_log", appended, 2, 1);
    CHECK(appended[1] == 2);
    faasmClearAppendedState("c_log");
    CHECK(host.global_appended("c_log").empty());
    faasmBacktrace(3);
  }

  TEST_CASE_FIXTURE(HostFixture, "random helpers stay in their ranges") {
    for (int i = 0; i < 100; i++) {
      const int value = faasm::randomInteger(3, 5);
      CHECK((value >= 3 && value <= 5));
      const float f = faasm::randomFloat();
      CHECK((f >= 0.0f && f < 1.0f));
    }
    int* range = faasm::randomIntRange(10);
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      sum += range[i];
    }
    CHECK(sum == 45);
    delete[] range;
    CHECK(faasm::randomString(12).size() == 12);
  }
}
