// residue: what a call finds of the calls before it in the same worker, for the tests of kept instances
// (tools/gateway/worker/warm_instances.h). It reports what it found, then leaves marks everywhere a call can:
// a static in the data segment and one in bss, a heap block it keeps a pointer to, memory grown beyond what
// malloc took, and whatever the stack held. Its constructor calls no import, so its instances are kept;
// built as residue_clock, its constructor reads the clock, so they are not.
// Input "trap" traps after leaving the marks. Output, identical for every call on a fresh or reset instance:
//   "data 7 bss 0 constructed 1 kept none memory unmarked pages P"
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

int in_data = 7;
int in_bss;
char* kept_block;
int constructed;

struct Constructed {
  Constructed() {
#ifdef RESIDUE_CONSTRUCTOR_READS_CLOCK
    if (std::time(nullptr) == 0) return;
#endif
    constructed += 1;
  }
} constructed_once;

constexpr unsigned long kBlock = 1 << 20;

constexpr char kMark = static_cast<char>(0xab);

// Whether any 4 KiB page of linear memory holds nothing but the mark an earlier call left in its heap block.
bool memory_marked() {
  const unsigned long size = __builtin_wasm_memory_size(0) * 65536;
  for (unsigned long page = 4096; page < size; page += 4096) {
    const char* bytes = reinterpret_cast<const char*>(page);
    unsigned long i = 0;
    while (i < 4096 && bytes[i] == kMark) i++;
    if (i == 4096) return true;
  }
  return false;
}

}  // namespace

int main() {
  char input[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(input), sizeof(input) - 1);
  const unsigned long pages = __builtin_wasm_memory_size(0);
  const bool marked = memory_marked();
  const std::string found = "data " + std::to_string(in_data) + " bss " + std::to_string(in_bss) + " constructed " +
                            std::to_string(constructed) + " kept " + (kept_block == nullptr ? "none" : "a block") +
                            " memory " + (marked ? "marked" : "unmarked") + " pages " + std::to_string(pages);
  __faasm_write_output(found.c_str(), static_cast<long>(found.size()));

  in_data += 1;
  in_bss += 1;
  constructed += 1;
  char* block = static_cast<char*>(std::malloc(kBlock));
  if (block != nullptr) std::memset(block, kMark, kBlock);
  kept_block = block;
  const long grown = __builtin_wasm_memory_grow(0, 4);
  if (grown > 0) std::memset(reinterpret_cast<char*>(grown * 65536), 0xcd, 4 * 65536);
  if (std::strcmp(input, "trap") == 0) __builtin_trap();
  return 0;
}
