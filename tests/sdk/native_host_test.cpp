// The native host's raw ABI, call by call, against Faasm's semantics (faasm-interfaces.md section 1.2).
#include <doctest/doctest.h>
#include <faasmjs/detail/host_abi.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "fixtures.hpp"

using faasmjs::Bytes;
using faasmjs::testing::HostFault;

namespace {

const unsigned char* data(const char* text) { return reinterpret_cast<const unsigned char*>(text); }

int write_twice() {
  __faasm_write_output("first", 5);
  __faasm_write_output("second", 6);
  return 0;
}

int push_missing_key() {
  __faasm_push_state("never_written");
  return 0;
}

}  // namespace

TEST_SUITE("native_host") {
  TEST_CASE_FIXTURE(HostFixture, "read_input: size query, truncation, and 0 without input") {
    std::array<unsigned char, 8> buffer{};
    CHECK(__faasm_read_input(buffer.data(), 0) == 0);
    CHECK(__faasm_read_input(buffer.data(), 8) == 0);
    host.set_input("hello");
    CHECK(__faasm_read_input(buffer.data(), 0) == 5);
    CHECK(__faasm_read_input(buffer.data(), 3) == 3);
    CHECK(std::memcmp(buffer.data(), "hel", 3) == 0);
    CHECK(__faasm_read_input(buffer.data(), 8) == 5);
  }

  TEST_CASE_FIXTURE(HostFixture, "write_output: the last write wins; invocations have their own output") {
    const auto run = host.invoke(&write_twice);
    CHECK(run.output_text() == "second");
    CHECK(host.output().empty());
  }

  TEST_CASE_FIXTURE(HostFixture, "read_state: size 0 for a missing key, zeros and the length for a missing read") {
    CHECK(__faasm_read_state("missing", nullptr, 0) == 0);
    std::array<unsigned char, 4> buffer{9, 9, 9, 9};
    CHECK(__faasm_read_state("missing", buffer.data(), 4) == 4);
    CHECK(buffer == std::array<unsigned char, 4>{0, 0, 0, 0});
    // The read created the key on this host with that size.
    CHECK(__faasm_read_state("missing", nullptr, 0) == 4);
    CHECK(host.local_value("missing") == Bytes(4, 0));
    CHECK_FALSE(host.global_value("missing").has_value());
  }

  TEST_CASE_FIXTURE(HostFixture, "a key's size is fixed on a host: other sizes are host faults") {
    __faasm_write_state("fixed", data("abcd"), 4);
    std::array<unsigned char, 2> small{};
    CHECK_THROWS_WITH_AS(__faasm_read_state("fixed", small.data(), 2),
                         "read_state: buffer of 2 bytes is smaller than the 4 bytes of state key 'fixed' on this host",
                         HostFault);
    CHECK_THROWS_AS(__faasm_write_state("fixed", data("abcdef"), 6), HostFault);
    std::array<unsigned char, 8> large{};
    CHECK(__faasm_read_state("fixed", large.data(), 8) == 4);
    CHECK_THROWS_AS(__faasm_write_state("empty", data(""), 0), HostFault);
    CHECK(host.faults().size() == 3);
  }

  TEST_CASE_FIXTURE(HostFixture, "host_interface_test fails the call for every test number, as on Faasm") {
    CHECK_THROWS_WITH_AS(__faasm_host_interface_test(1),
                         "host_interface_test: the host threw FunctionMigratedException (Migrating MPI rank), as "
                         "Faasm's exception propagation test does",
                         HostFault);
    CHECK_THROWS_WITH_AS(__faasm_host_interface_test(0), "host_interface_test: unrecognised host interface test 0",
                         HostFault);
    CHECK(host.faults().size() == 2);
  }

  TEST_CASE_FIXTURE(HostFixture, "a global value larger than the local size cannot be read into it") {
    host.set_global_value("big", "0123456789");
    std::array<unsigned char, 4> buffer{};
    CHECK_THROWS_AS(__faasm_read_state("big", buffer.data(), 4), HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "offset calls: chunks inside the value only") {
    __faasm_write_state_offset("chunks", 8, 2, data("xy"), 2);
    std::array<unsigned char, 8> buffer{};
    __faasm_read_state_offset("chunks", 8, 0, buffer.data(), 8);
    CHECK(std::memcmp(buffer.data(), "\0\0xy\0\0\0\0", 8) == 0);
    CHECK_THROWS_AS(__faasm_read_state_offset("chunks", 8, 6, buffer.data(), 4), HostFault);
    CHECK_THROWS_AS(__faasm_write_state_offset("chunks", 8, -1, data("a"), 1), HostFault);
    CHECK_THROWS_AS(__faasm_read_state_offset_ptr("chunks", 8, 9, 0), HostFault);
    CHECK_THROWS_AS(__faasm_flag_state_offset_dirty("chunks", 8, 4, 5), HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "a chunk past the end of a shorter global value reads as zeros") {
    host.set_global_value("short", "ab");
    std::array<unsigned char, 2> tail{9, 9};
    __faasm_read_state_offset("short", 6, 4, tail.data(), 2);
    CHECK(tail == std::array<unsigned char, 2>{0, 0});
    std::array<unsigned char, 6> whole{};
    CHECK(__faasm_read_state("short", whole.data(), 6) == 6);
    CHECK(std::memcmp(whole.data(), "ab\0\0\0\0", 6) == 0);
    CHECK(host.faults().empty());
  }

  TEST_CASE_FIXTURE(HostFixture, "read_state_ptr: one stable pointer per key and host, shared by its calls") {
    __faasm_write_state("shared", data("\0\0\0\0\0\0\0"), 7);
    unsigned char* a = __faasm_read_state_ptr("shared", 7);
    unsigned char* b = __faasm_read_state_ptr("shared", 7);
    CHECK(a == b);
    CHECK(__faasm_read_state_offset_ptr("shared", 7, 2, 3) == a + 2);
    std::memset(a, 5, 7);
    const auto reader = host.invoke([] {
      const unsigned char* view = __faasm_read_state_ptr("shared", 7);
      return view[6] == 5 ? 0 : 1;
    });
    CHECK(reader.ok());
    CHECK_THROWS_AS(__faasm_read_state_ptr("shared", 8), HostFault);
    host.move_to_new_host();
    CHECK(__faasm_read_state_ptr("shared", 7) != a);
    CHECK(a[0] == 5);
  }

  TEST_CASE_FIXTURE(HostFixture, "push sends only when dirty; pull of a missing global value keeps the local copy") {
    __faasm_write_state("counted", data("ab"), 2);
    __faasm_push_state("counted");
    __faasm_push_state("counted");
    __faasm_push_state_partial("counted");
    CHECK(host.push_count("counted") == 1);
    __faasm_flag_state_dirty("counted", 2);
    __faasm_push_state_partial("counted");
    CHECK(host.push_count("counted") == 2);

    __faasm_write_state("local_only", data("zz"), 2);
    __faasm_pull_state("local_only", 2);
    CHECK(host.local_value("local_only") == bytes_of("zz"));
  }

  TEST_CASE_FIXTURE(
      HostFixture,
      "push and partial mask need the key on this host and a mask of its size; only a new key needs a size") {
    CHECK_THROWS_AS(__faasm_push_state("nowhere"), HostFault);
    CHECK_THROWS_AS(__faasm_push_state_partial("nowhere"), HostFault);
    __faasm_write_state("value", data("abcd"), 4);
    __faasm_write_state("mask", data("\1\1"), 2);
    CHECK_THROWS_AS(__faasm_push_state_partial_mask("value", "mask"), HostFault);
    CHECK_THROWS_WITH_AS(__faasm_pull_state("fresh", 0), "pull_state: state key 'fresh' needs a positive size, got 0",
                         HostFault);
    // A key the host has keeps its size, whatever a later call passes (Faasm's State::getKV).
    host.set_global_value("value", "wxyz");
    __faasm_pull_state("value", 0);
    CHECK(host.local_value("value") == bytes_of("wxyz"));
    CHECK_THROWS_AS(__faasm_read_state(nullptr, nullptr, 0), HostFault);
    CHECK_THROWS_AS(__faasm_read_state("", nullptr, 0), HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "append logs: concatenated elements, a buffer too small faults") {
    __faasm_append_state("log", data("ab"), 2);
    __faasm_append_state("log", data("cde"), 3);
    std::array<unsigned char, 5> buffer{};
    __faasm_read_appended_state("log", buffer.data(), 5, 2);
    CHECK(std::memcmp(buffer.data(), "abcde", 5) == 0);
    CHECK_THROWS_AS(__faasm_read_appended_state("log", buffer.data(), 4, 2), HostFault);
    __faasm_clear_appended_state("log");
    CHECK(host.global_appended("log").empty());
    __faasm_read_appended_state("log", buffer.data(), 5, 2);
  }

  TEST_CASE_FIXTURE(HostFixture, "locks: shared readers, one writer, unlock without lock faults") {
    __faasm_lock_state_read("k");
    __faasm_lock_state_read("k");
    CHECK_THROWS_AS(__faasm_lock_state_write("k"), HostFault);
    __faasm_unlock_state_read("k");
    __faasm_unlock_state_read("k");
    __faasm_lock_state_write("k");
    CHECK_THROWS_AS(__faasm_lock_state_read("k"), HostFault);
    // A lock is no value: the key has none on this host until a sized call, which sizes it.
    CHECK_FALSE(host.local_value("k").has_value());
    CHECK_THROWS_AS(__faasm_push_state("k"), HostFault);
    __faasm_write_state("k", data("abc"), 3);
    CHECK(__faasm_read_state("k", nullptr, 0) == 3);
    __faasm_unlock_state_write("k");
    CHECK_THROWS_WITH_AS(__faasm_unlock_state_write("k"),
                         "unlock_state_write: state key 'k' is not write-locked by this host", HostFault);
    CHECK_THROWS_AS(__faasm_unlock_state_read("never"), HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "await_call_output hands over a malloc'd copy of the output") {
    const unsigned id = __faasm_chain_ptr(&write_twice, nullptr, 0);
    char* output = nullptr;
    int length = -1;
    CHECK(__faasm_await_call_output(id, &output, &length) == 0);
    REQUIRE(output != nullptr);
    CHECK(std::string(output, static_cast<std::size_t>(length)) == "second");
    std::free(output);
    CHECK(__faasm_await_call(id) == 0);

    const unsigned quiet = __faasm_chain_ptr([] { return 0; }, nullptr, 0);
    CHECK(__faasm_await_call_output(quiet, &output, &length) == 0);
    CHECK(length == 0);
    std::free(output);
    CHECK_THROWS_AS(__faasm_chain_name("", nullptr, 0), HostFault);
    CHECK_THROWS_AS(__faasm_chain_ptr(nullptr, nullptr, 0), HostFault);
    CHECK_THROWS_AS(__faasm_chain_name("f", nullptr, 4), HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "a host fault inside an invocation fails that call with return value 1") {
    const auto run = host.invoke(&push_missing_key);
    CHECK(run.return_value == 1);
    CHECK(run.output_text() == "host fault: push_state: state key 'never_written' has no value on this host");
    CHECK(host.faults().size() == 1);

    const unsigned id = __faasm_chain_ptr(&push_missing_key, nullptr, 0);
    CHECK(__faasm_await_call(id) == 1);
    CHECK(host.chained_calls()[0].result.return_value == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "invoke by name; an unknown name is a failed call") {
    host.register_function("twice", &write_twice);
    CHECK(host.invoke("twice").output_text() == "second");
    const auto unknown = host.invoke("nobody", "x");
    CHECK(unknown.return_value == 1);
    CHECK(unknown.output_text() == "no function named 'nobody' is registered with the native host");
  }

  TEST_CASE_FIXTURE(HostFixture, "conf flags: ALWAYS_ON, ALWAYS_OFF, configured and unknown") {
    CHECK(__faasm_conf_flag("ALWAYS_ON") == 1);
    CHECK(__faasm_conf_flag("ALWAYS_OFF") == 0);
    CHECK(__faasm_conf_flag("PYTHON_PRELOAD") == 0);
    host.set_conf_flag("PYTHON_PRELOAD", 1);
    CHECK(__faasm_conf_flag("PYTHON_PRELOAD") == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "write_state_from_file stores a file's bytes and returns its length") {
    const std::string path = "faasmjs_native_host_state_file.bin";
    {
      std::ofstream file(path, std::ios::binary);
      file << "file bytes";
    }
    CHECK(__faasm_write_state_from_file("from_file", path.c_str()) == 10);
    CHECK(host.local_value("from_file") == bytes_of("file bytes"));
    std::remove(path.c_str());
    CHECK_THROWS_AS(__faasm_write_state_from_file("from_file", "/nonexistent/faasmjs"), HostFault);
  }

  TEST_CASE_FIXTURE(HostFixture, "reset forgets state, calls, registry and diagnostics") {
    __faasm_write_state("k", data("v"), 1);
    __faasm_push_state("k");
    __faasm_append_state("log", data("v"), 1);
    host.register_function("f", &write_twice);
    (void)__faasm_chain_name("f", nullptr, 0);
    CHECK_THROWS_AS(__faasm_push_state("nowhere"), HostFault);
    host.move_to_new_host();
    host.reset();
    CHECK_FALSE(host.global_value("k").has_value());
    CHECK_FALSE(host.local_value("k").has_value());
    CHECK(host.global_appended("log").empty());
    CHECK(host.chained_calls().empty());
    CHECK(host.faults().empty());
    CHECK(host.current_host() == 0);
    CHECK(host.invoke("f").return_value == 1);
  }
}
