// chain_worker: counts the words and letters of a sentence; `chain` calls it by name.
//
// Input and output are structured values (text_stats.hpp); a malformed input makes the call fail with
// "decode_failed: ..." as its output, without this code seeing it.
#include <cctype>
#include <faasmjs/faasmjs.hpp>

#include "text_stats.hpp"

namespace {

TextStats count(const Sentence& sentence) {
  TextStats stats;
  bool in_word = false;
  for (const char c : sentence.text) {
    const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
    stats.letters += letter ? 1 : 0;
    stats.words += (letter && !in_word) ? 1 : 0;
    in_word = letter;
  }
  return stats;
}

}  // namespace

FAASMJS_MAIN(count)
