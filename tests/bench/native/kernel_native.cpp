// The compute benchmark's kernels compiled natively (with the in-process native host), the baselines of
// tests/bench/cluster_compute.mjs: the same sources (examples/functions/pi.cpp, tests/bench/kernels), the same
// input, run by the machine directly. Prints the kernel's output and the best wall time of `runs` calls in ms:
//   faasmjs_bench_native <kernel> "<input>" <runs>
#define FAASMJS_NATIVE_HOST_IMPLEMENT
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <faasmjs/testing/native_host.hpp>
#include <string>
#include <string_view>

// FAASMJS_BENCH_KERNELS is `KERNEL(pi) KERNEL(matmul) ...` (tests/bench/native/CMakeLists.txt), each kernel's
// `main` renamed bench_<kernel>_main.
#define KERNEL(name) int bench_##name##_main();
FAASMJS_BENCH_KERNELS
#undef KERNEL

namespace {

struct Kernel {
  std::string_view name;
  int (*main)();
};

#define KERNEL(name) Kernel{#name, &bench_##name##_main},
constexpr Kernel kKernels[] = {FAASMJS_BENCH_KERNELS};
#undef KERNEL

}  // namespace

int main(int argc, char** argv) {
  const auto kernel = std::find_if(std::begin(kKernels), std::end(kKernels),
                                   [&](const Kernel& k) { return argc == 4 && k.name == argv[1]; });
  if (kernel == std::end(kKernels)) {
    std::fprintf(stderr, "usage: faasmjs_bench_native <kernel> \"<input>\" <runs>; kernels:");
    for (const Kernel& k : kKernels) {
      std::fprintf(stderr, " %.*s", static_cast<int>(k.name.size()), k.name.data());
    }
    std::fprintf(stderr, "\n");
    return 2;
  }
  const int runs = std::max(1, std::atoi(argv[3]));
  double best_ms = 1e300;
  std::string output;
  for (int run = 0; run < runs; run++) {
    faasmjs::testing::host().reset();
    const auto started = std::chrono::steady_clock::now();
    const auto result = faasmjs::testing::host().invoke(kernel->main, argv[2]);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
    if (result.return_value != 0) {
      std::fprintf(stderr, "%s failed: %s\n", argv[1], std::string(result.output_text()).c_str());
      return 1;
    }
    best_ms = std::min(best_ms, took.count());
    output = result.output_text();
  }
  std::printf("%s\n%.3f\n", output.c_str(), best_ms);
  return 0;
}
