// hash: FNV-1a (64-bit) over a generated buffer, round after round, each round starting from the last one's
// hash: a byte-at-a-time loop of loads, xors and multiplies, a compute kernel of the cluster-vs-native
// benchmark (tests/bench/cluster_compute.mjs). Input: "<bytes> <rounds>" (default "1048576 256"). Output: the
// sizes and the final hash.
#include <cstdio>
#include <vector>

#include "kernel_input.hpp"

namespace {

faasmjs::Result<std::string> hash_rounds(const std::string& input) {
  FAASMJS_TRY_ASSIGN(const auto sizes,
                     bench::parse_sizes<2>(input, {{{"bytes", 1 << 20, 1 << 28}, {"rounds", 256, 1'000'000}}}));
  const std::size_t bytes = sizes[0];
  const std::uint64_t rounds = sizes[1];
  std::vector<unsigned char> buffer(bytes);
  std::uint64_t state = 0xf00dULL;
  for (unsigned char& byte : buffer) {
    byte = static_cast<unsigned char>(bench::splitmix64(state) >> 56);
  }
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::uint64_t r = 0; r < rounds; r++) {
    for (const unsigned char byte : buffer) {
      hash = (hash ^ byte) * 0x100000001b3ULL;
    }
  }
  char line[96];
  std::snprintf(line, sizeof line, "hash %zu x %llu: fnv1a %016llx", bytes, static_cast<unsigned long long>(rounds),
                static_cast<unsigned long long>(hash));
  return std::string(line);
}

}  // namespace

FAASMJS_MAIN(hash_rounds)
