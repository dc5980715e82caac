// The native host's side of the conformance suite: the driver (driver/conformance_driver.c, its main renamed
// conformance_driver_main) against the in-process host of faasmjs/testing/native_host.hpp, spoken to by
// runners/hosts.mjs over stdin and stdout, one line each way:
//
//   in:  HEX            run one call of the driver with these input bytes (a script) on the current host
//        (empty line)   a new case: forget all state, calls and diagnostics
//   out: RETURN HEX_OUTPUT HEX_FAULT   the call's return value, its output, and the fault that ended it (or -)
//
// The driver is registered under its cluster name, so that the scripts chain it by name as on every host.
#define FAASMJS_NATIVE_HOST_IMPLEMENT
#include <cstdio>
#include <faasmjs/testing/native_host.hpp>
#include <iostream>
#include <string>

extern "C" int conformance_driver_main(void);

namespace {

std::string hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

bool unhex(const std::string& text, faasmjs::Bytes& out) {
  auto value = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  if (text.size() % 2 != 0) return false;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = value(text[i]);
    const int low = value(text[i + 1]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return true;
}

void new_case() {
  auto& host = faasmjs::testing::host();
  host.reset();
  host.set_chain_execution(faasmjs::testing::ChainExecution::when_awaited);
  host.register_function("conformance_driver", conformance_driver_main);
}

}  // namespace

int main() {
  new_case();
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) {
      new_case();
      continue;
    }
    faasmjs::Bytes input;
    if (!unhex(line, input)) {
      std::fprintf(stderr, "conformance_native: input line is not hex: %s\n", line.c_str());
      return 2;
    }
    auto& host = faasmjs::testing::host();
    const std::size_t faults_before = host.faults().size();
    const faasmjs::testing::Invocation result = host.invoke("conformance_driver", faasmjs::testing::Input(input));
    const bool faulted = host.faults().size() > faults_before;
    std::cout << result.return_value << ' ' << (result.output.empty() ? "-" : hex(faasmjs::as_chars(result.output)))
              << ' ' << (faulted ? hex(host.faults()[faults_before]) : "-") << std::endl;
  }
  return 0;
}
