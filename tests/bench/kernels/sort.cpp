// sort: std::sort of n pseudo-random 32-bit integers from a fixed seed, a compute kernel of the
// cluster-vs-native benchmark (tests/bench/cluster_compute.mjs). Input: "<n>" (default 4000000). Output: n and
// a checksum of the sorted sequence (each value weighted by its position, so that order counts).
//
// Each side sorts with its own standard library (libstdc++ natively, wasi-libc++ in wasm): the same source,
// as a user's function would be, though not the same sort code.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "kernel_input.hpp"

namespace {

faasmjs::Result<std::string> sort_numbers(const std::string& input) {
  FAASMJS_TRY_ASSIGN(const auto sizes, bench::parse_sizes<1>(input, {{{"n", 4'000'000, 64'000'000}}}));
  const std::size_t n = sizes[0];
  std::vector<std::uint32_t> values(n);
  std::uint64_t state = 0x50e7ULL;
  for (std::uint32_t& v : values) {
    v = static_cast<std::uint32_t>(bench::splitmix64(state) >> 32);
  }
  std::sort(values.begin(), values.end());
  std::uint64_t checksum = 0;
  for (std::size_t i = 0; i < n; i++) {
    checksum += static_cast<std::uint64_t>(values[i]) * (i + 1);
  }
  char line[96];
  std::snprintf(line, sizeof line, "sort %zu: checksum %016llx", n, static_cast<unsigned long long>(checksum));
  return std::string(line);
}

}  // namespace

FAASMJS_MAIN(sort_numbers)
