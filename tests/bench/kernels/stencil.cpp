// stencil: Jacobi iterations of the 5-point Laplace stencil on an n×n grid of doubles (top edge held at 1,
// the other edges at 0), a compute kernel of the cluster-vs-native benchmark (tests/bench/cluster_compute.mjs).
// Input: "<n> <iterations>" (default "256 6000"). Output: the sizes and the sum of the final grid.
#include <cstdio>
#include <utility>
#include <vector>

#include "kernel_input.hpp"

namespace {

faasmjs::Result<std::string> relax(const std::string& input) {
  FAASMJS_TRY_ASSIGN(const auto sizes,
                     bench::parse_sizes<2>(input, {{{"n", 256, 8192}, {"iterations", 6000, 100000}}}));
  const std::size_t n = sizes[0];
  const std::uint64_t iterations = sizes[1];
  std::vector<double> grid(n * n, 0.0);
  for (std::size_t j = 0; j < n; j++) {
    grid[j] = 1.0;
  }
  std::vector<double> next = grid;
  for (std::uint64_t t = 0; t < iterations; t++) {
    for (std::size_t i = 1; i + 1 < n; i++) {
      for (std::size_t j = 1; j + 1 < n; j++) {
        next[i * n + j] =
            0.25 * (grid[(i - 1) * n + j] + grid[(i + 1) * n + j] + grid[i * n + j - 1] + grid[i * n + j + 1]);
      }
    }
    std::swap(grid, next);
  }
  double sum = 0.0;
  for (const double x : grid) {
    sum += x;
  }
  char line[128];
  std::snprintf(line, sizeof line, "stencil %zu x %llu: sum %.17g", n, static_cast<unsigned long long>(iterations),
                sum);
  return std::string(line);
}

}  // namespace

FAASMJS_MAIN(relax)
