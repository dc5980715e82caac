// faasmjs-module-check [--max-nesting N] IN.wasm OUT.wasm SHAPE: the compiler's checks (module_check.h) in a process of
// their own, which the gateway runs sandboxed (compile_sandbox.h) because wabt reads the untrusted upload here.
// Accepted: OUT.wasm is IN without its custom sections and with a name section of index names
// (function_names.h; what wasm2c gets), SHAPE the module's shape_text,
// exit status 0. Refused: one line on stderr, exit status 2. Anything else (a crash, a limit) is the
// gateway's to describe.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "aot/function_names.h"
#include "aot/module_check.h"
#include "aot/module_scan.h"

namespace {

bool write_all(const char* path, const char* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace faasmjs::gateway;
  aot::ModuleLimits limits;
  if (argc == 6 && std::strcmp(argv[1], "--max-nesting") == 0) {
    limits.max_nesting = std::strtoull(argv[2], nullptr, 10);
    argv += 2;
    argc -= 2;
  }
  if (argc != 4) {
    std::fputs("usage: faasmjs-module-check [--max-nesting N] IN.wasm OUT.wasm SHAPE\n", stderr);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "faasmjs-module-check: cannot read %s\n", argv[1]);
    return 1;
  }
  const std::vector<std::uint8_t> wasm{std::istreambuf_iterator<char>(in), {}};
  auto shape = aot::check_module(wasm, limits);
  if (!shape) {
    std::fprintf(stderr, "%s\n", shape.error().message.c_str());
    return 2;
  }
  const auto stripped =
      aot::with_index_names(aot::without_custom_sections(wasm), shape->function_imports, shape->defined_functions);
  const std::string text = aot::shape_text(*shape);
  if (!write_all(argv[2], reinterpret_cast<const char*>(stripped.data()), stripped.size()) ||
      !write_all(argv[3], text.data(), text.size())) {
    std::fputs("faasmjs-module-check: cannot write its answer\n", stderr);
    return 1;
  }
  return 0;
}
