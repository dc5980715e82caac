// Fixtures shared by the SDK test suites.
#ifndef FAASMJS_TESTS_SDK_FIXTURES_HPP
#define FAASMJS_TESTS_SDK_FIXTURES_HPP

#include <doctest/doctest.h>

#include <faasmjs/bytes.hpp>
#include <faasmjs/testing/native_host.hpp>
#include <string>
#include <string_view>

// A fresh native host per test case: empty state, no registered functions, default chaining options.
struct HostFixture {
  HostFixture() { host.reset(); }
  ~HostFixture() { host.reset(); }

  faasmjs::testing::NativeHost& host = faasmjs::testing::host();
};

inline faasmjs::Bytes bytes_of(std::string_view text) {
  const faasmjs::ByteView view = faasmjs::as_bytes(text);
  return {view.begin(), view.end()};
}

inline std::string text_of(const faasmjs::Bytes& bytes) { return std::string(faasmjs::as_chars(bytes)); }

// Every combination of when and where the native host runs chained calls; a chaining test runs under each.
#define FAASMJS_FOR_EACH_CHAIN_MODE(host)                                                                           \
  SUBCASE("run when chained, same host") {}                                                                         \
  SUBCASE("run when awaited, same host") {                                                                          \
    (host).set_chain_execution(faasmjs::testing::ChainExecution::when_awaited);                                     \
  }                                                                                                                 \
  SUBCASE("run when chained, new host") { (host).set_chain_placement(faasmjs::testing::ChainPlacement::new_host); } \
  SUBCASE("run when awaited, new host") {                                                                           \
    (host).set_chain_execution(faasmjs::testing::ChainExecution::when_awaited);                                     \
    (host).set_chain_placement(faasmjs::testing::ChainPlacement::new_host);                                         \
  }

#endif  // FAASMJS_TESTS_SDK_FIXTURES_HPP
