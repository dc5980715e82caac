// What the compute kernels of the cluster-vs-native benchmark share: their pseudo-random source and the
// parsing of their input, so that each kernel file holds only its kernel.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <faasmjs/faasmjs.hpp>
#include <string>
#include <string_view>

namespace bench {

// splitmix64: integers only, so the data each kernel generates is bit-for-bit the same natively and in wasm.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A double in [0, 1) from the top 53 bits.
inline double unit_double(std::uint64_t& state) { return static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53; }

struct Size {
  const char* name;
  std::uint64_t fallback;
  std::uint64_t max;
};

// The input's space-separated positive integers, one per size; a missing one takes its fallback.
template <std::size_t N>
faasmjs::Result<std::array<std::uint64_t, N>> parse_sizes(std::string_view input, const std::array<Size, N>& sizes) {
  std::array<std::uint64_t, N> values{};
  for (std::size_t i = 0; i < N; i++) {
    const std::size_t space = input.find(' ');
    const std::string_view text = input.substr(0, space);
    input = space == std::string_view::npos ? std::string_view() : input.substr(space + 1);
    if (text.empty()) {
      values[i] = sizes[i].fallback;
      continue;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), values[i]);
    if (error != std::errc() || end != text.data() + text.size() || values[i] == 0 || values[i] > sizes[i].max) {
      return faasmjs::Error(faasmjs::Errc::invalid_argument,
                            std::string(sizes[i].name) + " must be an integer from 1 to " +
                                std::to_string(sizes[i].max) + ", got '" + std::string(text) + "'");
    }
  }
  return values;
}

}  // namespace bench
