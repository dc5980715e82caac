// The pi example compiled natively (with the in-process native host), the baseline of the cluster's
// compute benchmark (tests/bench/cluster_compute.mjs): the same source, the same input, run by the machine
// directly. Prints the example's output and the best wall time of `runs` calls in ms:
//   pi_native "<workers> <samples>" <runs>
#define FAASMJS_NATIVE_HOST_IMPLEMENT
#include <faasmjs/testing/native_host.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int example_pi_main();

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: pi_native \"<workers> <samples>\" <runs>\n");
        return 2;
    }
    const int runs = std::max(1, std::atoi(argv[2]));
    double best_ms = 1e300;
    std::string output;
    for (int run = 0; run < runs; run++) {
        faasmjs::testing::host().reset();
        const auto started = std::chrono::steady_clock::now();
        const auto result = faasmjs::testing::host().invoke(&example_pi_main, argv[1]);
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        if (result.return_value != 0) {
            std::fprintf(stderr, "pi failed: %s\n", std::string(result.output_text()).c_str());
            return 1;
        }
        best_ms = std::min(best_ms, took.count());
        output = result.output_text();
    }
    std::printf("%s\n%.3f\n", output.c_str(), best_ms);
    return 0;
}
