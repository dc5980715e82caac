// pi: a Monte Carlo estimate of pi split over chained calls, the kind of work worth offloading.
//
// Input: "<workers> <samples per worker>" (text, both optional; default "8 40000000"). Each worker is this
// binary's `count_hits`, forked by pointer with its own seed; it draws points in the unit square and returns
// how many fall inside the quarter circle. The caller joins them and outputs the estimate.
//
// The generator (splitmix64) and the in-circle test use integers only, so the estimate is bit-for-bit the
// same natively, in any wasm engine and on Faasm.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <faasmjs/faasmjs.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Job {
  std::uint64_t seed = 0;
  std::uint64_t samples = 0;

  template <class Archive>
  void serialize(Archive& archive) {
    archive(seed, samples);
  }
};

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A point is two 31-bit coordinates; inside when x² + y² <= (2^31)², exact in 64 bits.
std::uint64_t count_hits(const Job& job) {
  std::uint64_t state = job.seed;
  std::uint64_t hits = 0;
  for (std::uint64_t i = 0; i < job.samples; i++) {
    const std::uint64_t bits = splitmix64(state);
    const std::uint64_t x = bits & 0x7fffffffULL;
    const std::uint64_t y = (bits >> 32) & 0x7fffffffULL;
    hits += (x * x + y * y <= (1ULL << 62)) ? 1 : 0;
  }
  return hits;
}

faasmjs::Result<std::uint64_t> parse_count(std::string_view text, std::uint64_t fallback, const char* what) {
  if (text.empty()) {
    return fallback;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) {
    return faasmjs::Error(faasmjs::Errc::invalid_argument,
                          std::string(what) + " must be a positive integer, got '" + std::string(text) + "'");
  }
  return value;
}

faasmjs::Result<std::string> estimate(const std::string& input) {
  const std::size_t space = input.find(' ');
  const std::string_view text(input);
  FAASMJS_TRY_ASSIGN(const std::uint64_t workers, parse_count(text.substr(0, space), 8, "workers"));
  FAASMJS_TRY_ASSIGN(
      const std::uint64_t samples,
      parse_count(space == std::string::npos ? std::string_view() : text.substr(space + 1), 40'000'000, "samples"));
  if (workers > 1024) {
    return faasmjs::Error(faasmjs::Errc::invalid_argument, "at most 1024 workers");
  }

  std::vector<Job> jobs;
  for (std::uint64_t w = 0; w < workers; w++) {
    jobs.push_back({0x5eed0000ULL + w, samples});
  }
  auto calls = faasmjs::fork_all<count_hits>(jobs);
  FAASMJS_TRY_ASSIGN(const std::vector<std::uint64_t> hits, faasmjs::join(calls));

  std::uint64_t inside = 0;
  for (const std::uint64_t h : hits) {
    inside += h;
  }
  const double pi = 4.0 * static_cast<double>(inside) / static_cast<double>(workers * samples);
  char line[128];
  std::snprintf(line, sizeof line, "Pi estimate from %llu x %llu samples: %.6f (error %.6f)",
                static_cast<unsigned long long>(workers), static_cast<unsigned long long>(samples), pi,
                std::fabs(pi - 3.14159265358979));
  return std::string(line);
}

}  // namespace

FAASMJS_MAIN(estimate)
