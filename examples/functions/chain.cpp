// chain: fork-join over chained calls, by function pointer and by name at once.
//
// Forks `square` (a function of this same binary, chained by pointer) for 1..4 and `chain_worker` (another
// deployed function, chained by name) for three sentences. Every call is started before any is awaited, so
// in a cluster (or from a browser into a cluster) they all run concurrently; join() then awaits them all and
// hands back typed results. The output summarises them; a wrong result fails the call.
#include <cstdint>
#include <faasmjs/faasmjs.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "text_stats.hpp"

namespace {

// Runs in its own instance: everything it needs comes in as its input.
std::int64_t square(const std::int64_t& x) { return x * x; }

faasmjs::Result<std::string> fork_and_join() {
  const std::vector<std::int64_t> numbers{1, 2, 3, 4};
  const std::vector<Sentence> sentences{{"Hello Faasm"}, {"one binary, two places"}, {"fork and join"}};

  auto squares = faasmjs::fork_all<square>(numbers);
  auto counts = faasmjs::chain_all<TextStats>("chain_worker", sentences);

  FAASMJS_TRY_ASSIGN(const std::vector<std::int64_t> squared, faasmjs::join(squares));
  FAASMJS_TRY_ASSIGN(const std::vector<TextStats> stats, faasmjs::join(counts));

  const std::int64_t sum = std::accumulate(squared.begin(), squared.end(), std::int64_t{0});
  std::uint32_t words = 0;
  for (const TextStats& s : stats) {
    words += s.words;
  }
  if (sum != 30 || words != 9) {
    return faasmjs::Error(faasmjs::Errc::call_failed, "unexpected results: sum of squares " + std::to_string(sum) +
                                                          ", words " + std::to_string(words));
  }
  return "sum of squares 1..4 = " + std::to_string(sum) + "; words in 3 sentences = " + std::to_string(words);
}

}  // namespace

FAASMJS_MAIN(fork_and_join)
