// Chained calls, typed handles, typed entry points and fork-join, under every chaining mode of the host.
#include <doctest/doctest.h>

#include <cstdint>
#include <faasmjs/chain.hpp>
#include <faasmjs/entry.hpp>
#include <faasmjs/fork_join.hpp>
#include <faasmjs/state.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "fixtures.hpp"

using faasmjs::Bytes;
using faasmjs::Errc;
using faasmjs::Result;
using faasmjs::Status;

namespace {

struct Range {
  std::int64_t from = 0;
  std::int64_t to = 0;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(from, to);
  }
};

std::int64_t sum_range(const Range& range) {
  std::int64_t sum = 0;
  for (std::int64_t i = range.from; i < range.to; i++) {
    sum += i;
  }
  return sum;
}

Result<std::string> shout(const std::string& text) {
  if (text.empty()) {
    return faasmjs::Error(Errc::invalid_argument, "nothing to shout");
  }
  return text + "!";
}

Status record(const std::int32_t& value) { return faasmjs::state::AppendLog<std::int32_t>{"recorded"}.append(value); }

std::string constant() { return "constant"; }

int raw_echo() {
  faasmjs::set_output(faasmjs::input_bytes());
  return 0;
}

int fail_with_three() {
  faasmjs::set_output("three went wrong");
  return 3;
}

// 255 ASCII bytes, then two-byte characters: the 256-byte cut of a failure message falls inside one.
int fail_with_long_text() {
  std::string text(255, 'x');
  for (int i = 0; i < 10; i++) {
    text += "\xc3\xa9";
  }
  faasmjs::set_output(text);
  return 2;
}

int write_then_return() {
  const faasmjs::state::Value<std::int32_t> value{"from_callee"};
  if (!value.set(11) || !value.push()) {
    return 1;
  }
  return 0;
}

// A callee that chains and awaits its own callee.
std::int64_t nested(const std::int64_t& depth) {
  if (depth == 0) {
    return 0;
  }
  auto inner = faasmjs::fork<nested>(depth - 1);
  return 1 + inner.get().value_or(-100);
}

}  // namespace

TEST_SUITE("chain") {
  TEST_CASE_FIXTURE(HostFixture, "chain by pointer: raw bytes in, typed output back") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    auto call = faasmjs::chain<std::string>(&raw_echo, "ping");
    CHECK(call.started());
    CHECK(call.target() == "function pointer");
    const auto text = call.get();
    REQUIRE(text.ok());
    CHECK(*text == "ping");
    REQUIRE(host.chained_calls().size() == 1);
    CHECK(host.chained_calls()[0].input == bytes_of("ping"));
  }

  TEST_CASE_FIXTURE(HostFixture, "chain by name through the registry") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    host.register_function("shout", &faasmjs::entry<shout>);
    auto call = faasmjs::chain<std::string>("shout", "hey");
    CHECK(call.target() == "shout");
    CHECK(*call.get() == "hey!");
    CHECK(host.chained_calls()[0].function == "shout");
  }

  TEST_CASE_FIXTURE(HostFixture, "reply() gives the raw answer and is awaited once") {
    auto call = faasmjs::chain(&fail_with_three);
    const auto reply = call.reply();
    REQUIRE(reply.ok());
    CHECK(reply->return_value == 3);
    CHECK_FALSE(reply->ok());
    CHECK(reply->output_text() == "three went wrong");
    CHECK(call.reply()->return_value == 3);
  }

  TEST_CASE_FIXTURE(HostFixture, "a non-zero return is call_failed, with the callee's output in the message") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    auto call = faasmjs::chain<std::string>(&fail_with_three);
    const auto result = call.get();
    REQUIRE_FALSE(result);
    CHECK(result.error().code() == Errc::call_failed);
    CHECK(result.error().message() ==
          "chained call " + std::to_string(call.id()) + " (function pointer) returned 3: three went wrong");

    auto quiet = faasmjs::chain<void>(&fail_with_three);
    CHECK(quiet.get().error().message().find("returned 3") != std::string::npos);
    CHECK(quiet.get().error().message().find("returned 3") != std::string::npos);
    CHECK(quiet.reply()->output_text() == "three went wrong");
  }

  TEST_CASE_FIXTURE(HostFixture, "a long failure output is cut on a character boundary") {
    auto call = faasmjs::chain<std::string>(&fail_with_long_text);
    const std::string message = call.get().error().message();
    CHECK(message == "chained call " + std::to_string(call.id()) +
                         " (function pointer) returned 2: " + std::string(255, 'x') + "...");
  }

  TEST_CASE_FIXTURE(HostFixture, "under Faasm's failed-output rule the message carries Faasm's text") {
    host.set_failed_output(faasmjs::testing::FailedOutput::faasm_message);
    auto call = faasmjs::chain<std::string>(&fail_with_three);
    CHECK(call.get().error().message().find("Call failed (return value=3)") != std::string::npos);
  }

  TEST_CASE_FIXTURE(HostFixture, "an unknown name fails the call, not the caller") {
    auto call = faasmjs::chain<std::string>("nobody");
    const auto result = call.get();
    REQUIRE_FALSE(result);
    CHECK(result.error().code() == Errc::call_failed);
    CHECK(result.error().message().find("no function named 'nobody'") != std::string::npos);
  }

  TEST_CASE_FIXTURE(HostFixture, "an output that is not a T is decode_failed") {
    auto call = faasmjs::chain<std::int64_t>(&raw_echo, "abc");
    const auto result = call.get();
    REQUIRE_FALSE(result);
    CHECK(result.error().code() == Errc::decode_failed);
    CHECK(result.error().message().find("output of chained call") == 0);
  }

  TEST_CASE_FIXTURE(HostFixture, "refused chains never reach the host") {
    auto empty = faasmjs::chain<std::string>("");
    auto with_nul = faasmjs::chain<std::string>(std::string_view("a\0b", 3));
    auto null_pointer = faasmjs::chain<std::string>(faasmjs::FunctionPtr{nullptr});
    for (auto* call : {&empty, &with_nul, &null_pointer}) {
      CHECK_FALSE(call->started());
      CHECK(call->get().error().code() == Errc::invalid_argument);
      CHECK(call->reply().error().code() == Errc::invalid_argument);
    }
    auto refused_void = faasmjs::chain<void>("");
    CHECK(refused_void.get().error().code() == Errc::invalid_argument);
    CHECK(host.chained_calls().empty());
  }

  TEST_CASE_FIXTURE(HostFixture, "awaiting an id the host never issued answers 1, as Faasm does on error") {
    faasmjs::Call<void> bogus(999, "bogus");
    CHECK(bogus.get().error().code() == Errc::call_failed);
    REQUIRE(host.warnings().size() == 1);
    CHECK(host.warnings()[0].find("unknown call id 999") != std::string::npos);
  }

  TEST_CASE_FIXTURE(HostFixture, "state pushed by a callee is visible after awaiting it, on any host") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    auto call = faasmjs::chain<void>(&write_then_return);
    REQUIRE(call.get().ok());
    const faasmjs::state::Value<std::int32_t> value{"from_callee"};
    REQUIRE(value.pull().ok());
    CHECK(*value.get() == 11);
  }

  TEST_CASE_FIXTURE(HostFixture, "when awaited, a callee has not run before its await") {
    host.set_chain_execution(faasmjs::testing::ChainExecution::when_awaited);
    auto call = faasmjs::chain<void>(&write_then_return);
    CHECK_FALSE(host.global_value("from_callee").has_value());
    REQUIRE(call.get().ok());
    CHECK(host.global_value("from_callee").has_value());
  }

  TEST_CASE_FIXTURE(HostFixture, "calls never awaited still run before invoke returns") {
    host.set_chain_execution(faasmjs::testing::ChainExecution::when_awaited);
    const auto run = host.invoke([] {
      (void)faasmjs::chain<void>(&write_then_return);
      return 0;
    });
    CHECK(run.ok());
    CHECK(host.chained_calls().at(0).finished);
    CHECK(host.global_value("from_callee").has_value());
  }

  TEST_CASE_FIXTURE(HostFixture, "a callee may chain and await in turn") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    auto call = faasmjs::fork<nested>(std::int64_t{5});
    CHECK(*call.get() == 5);
    CHECK(host.chained_calls().size() == 6);
  }

  TEST_CASE_FIXTURE(HostFixture, "runaway recursion is stopped by the host's depth limit") {
    auto call = faasmjs::fork<nested>(std::int64_t{1000});
    const auto result = call.get();
    CHECK(result.ok());
    CHECK(*result < 1000);
    CHECK(host.faults().front().find("chain depth exceeds") != std::string::npos);
  }
}

TEST_SUITE("entry") {
  TEST_CASE_FIXTURE(HostFixture, "entry<F> decodes the input, runs F and encodes its output") {
    const auto run = host.invoke(&faasmjs::entry<sum_range>, faasmjs::serialize(Range{1, 5}));
    CHECK(run.ok());
    CHECK(*faasmjs::decode_output<std::int64_t>(run.output) == 10);
    CHECK(host.invoke(&faasmjs::entry<constant>).output_text() == "constant");
    CHECK(host.invoke(&faasmjs::entry<shout>, "go").output_text() == "go!");
  }

  TEST_CASE_FIXTURE(HostFixture, "a failed Result or Status returns 1 with the error as output") {
    const auto run = host.invoke(&faasmjs::entry<shout>, "");
    CHECK(run.return_value == 1);
    CHECK(run.output_text() == "invalid_argument: nothing to shout");
    const auto bad = host.invoke(&faasmjs::entry<record>, "");
    CHECK(bad.return_value == 1);
    CHECK(bad.output_text() == "decode_failed: input: empty input: expected at least the endianness byte");
  }

  TEST_CASE_FIXTURE(HostFixture, "a Status function has no output") {
    const auto run = host.invoke(&faasmjs::entry<record>, faasmjs::serialize(std::int32_t{4}));
    CHECK(run.ok());
    CHECK(run.output.empty());
    CHECK(host.global_appended("recorded").size() == 1);
  }

  TEST_CASE_FIXTURE(HostFixture, "exit_code maps a Status to a return value") {
    CHECK(faasmjs::exit_code(faasmjs::ok()) == 0);
    CHECK(faasmjs::exit_code(faasmjs::Error(Errc::not_found, "gone")) == 1);
    CHECK(host.output_text() == "not_found: gone");
  }
}

TEST_SUITE("fork_join") {
  TEST_CASE_FIXTURE(HostFixture, "fork_all and join: typed results in order") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    auto calls = faasmjs::fork_all<sum_range>(std::vector<Range>{{0, 10}, {10, 20}, {0, 0}});
    CHECK(calls.size() == 3);
    const auto sums = faasmjs::join(calls);
    REQUIRE(sums.ok());
    CHECK(*sums == std::vector<std::int64_t>{45, 145, 0});
  }

  TEST_CASE_FIXTURE(HostFixture, "fork converts the input to F's input type first") {
    auto call = faasmjs::fork<nested>(3);
    CHECK(*call.get() == 3);
  }

  TEST_CASE_FIXTURE(HostFixture, "chain_all by name, joined") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    host.register_function("shout", &faasmjs::entry<shout>);
    auto calls = faasmjs::chain_all<std::string>("shout", std::vector<std::string>{"a", "b"});
    CHECK(*faasmjs::join(calls) == std::vector<std::string>{"a!", "b!"});
  }

  TEST_CASE_FIXTURE(HostFixture, "join awaits every call and reports how many failed") {
    host.set_chain_execution(faasmjs::testing::ChainExecution::when_awaited);
    host.register_function("shout", &faasmjs::entry<shout>);
    auto calls = faasmjs::chain_all<std::string>("shout", std::vector<std::string>{"", "b", ""});
    const auto joined = faasmjs::join(calls);
    REQUIRE_FALSE(joined);
    CHECK(joined.error().code() == Errc::call_failed);
    CHECK(joined.error().message().find("2 of 3 chained calls failed; first: chained call 1 (shout) returned 1") == 0);
    for (const auto& call : host.chained_calls()) {
      CHECK(call.finished);
    }
  }

  TEST_CASE_FIXTURE(HostFixture, "join of Call<void> gives a Status") {
    auto calls = faasmjs::fork_all<record>(std::vector<std::int32_t>{1, 2, 3});
    CHECK(faasmjs::join(calls).ok());
    CHECK(host.global_appended("recorded").size() == 3);
    std::vector<faasmjs::Call<void>> none;
    CHECK(faasmjs::join(none).ok());
  }

  TEST_CASE_FIXTURE(HostFixture, "join of different handles gives a tuple") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    auto a = faasmjs::fork<sum_range>(Range{0, 4});
    auto b = faasmjs::fork<shout>(std::string("x"));
    auto c = faasmjs::fork<constant>();
    const auto joined = faasmjs::join(a, b, c);
    REQUIRE(joined.ok());
    CHECK(*joined == std::tuple<std::int64_t, std::string, std::string>{6, "x!", "constant"});

    auto d = faasmjs::fork<shout>(std::string());
    auto e = faasmjs::fork<constant>();
    CHECK(faasmjs::join(d, e).error().message().find("nothing to shout") != std::string::npos);
  }
}
