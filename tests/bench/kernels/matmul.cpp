// matmul: C = A·B for n×n matrices of doubles, a compute kernel of the cluster-vs-native benchmark
// (tests/bench/cluster_compute.mjs). Input: "<n>" (default 1024). Output: n and the sum of C's elements.
//
// The i-k-j loop order streams rows of B and C, the order a compiler makes fast; every sum is taken in one
// fixed order, so the output is the same to the last bit natively and in wasm.
#include <cstdio>
#include <vector>

#include "kernel_input.hpp"

namespace {

faasmjs::Result<std::string> multiply(const std::string& input) {
  FAASMJS_TRY_ASSIGN(const auto sizes, bench::parse_sizes<1>(input, {{{"n", 1024, 4096}}}));
  const std::size_t n = sizes[0];
  std::vector<double> a(n * n), b(n * n), c(n * n, 0.0);
  std::uint64_t state = 0x3a7c1ULL;
  for (double& x : a) {
    x = bench::unit_double(state) - 0.5;
  }
  for (double& x : b) {
    x = bench::unit_double(state) - 0.5;
  }
  for (std::size_t i = 0; i < n; i++) {
    for (std::size_t k = 0; k < n; k++) {
      const double aik = a[i * n + k];
      for (std::size_t j = 0; j < n; j++) {
        c[i * n + j] += aik * b[k * n + j];
      }
    }
  }
  double sum = 0.0;
  for (const double x : c) {
    sum += x;
  }
  char line[96];
  std::snprintf(line, sizeof line, "matmul %zu: sum %.17g", n, sum);
  return std::string(line);
}

}  // namespace

FAASMJS_MAIN(multiply)
