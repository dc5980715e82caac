// The values `chain` sends to `chain_worker` and gets back: shared by both sources so that both sides
// encode and decode the same types (cereal portable binary).
#ifndef FAASMJS_EXAMPLES_TEXT_STATS_HPP
#define FAASMJS_EXAMPLES_TEXT_STATS_HPP

#include <cstdint>
#include <string>

struct Sentence {
  std::string text;

  template <class Archive>
  void serialize(Archive& archive) {
    archive(text);
  }
};

struct TextStats {
  std::uint32_t words = 0;
  std::uint32_t letters = 0;

  template <class Archive>
  void serialize(Archive& archive) {
    archive(words, letters);
  }
};

#endif  // FAASMJS_EXAMPLES_TEXT_STATS_HPP
