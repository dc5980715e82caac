// The import-section reader (faasm/wasm_imports.h) on modules written byte by byte, malformed ones included, and
// the WAMR check (faasm/wamr_imports.h) on them and on the project's own clang builds of the examples: the ones
// the fixture ran on Faasm link whole, `state` and `faasm_compat` lack exactly what Faasm's WAMR lacks. And the
// relation to the worker's list (common/host_imports.h): every __faasm_* import the worker provides is linked by
// WAMR with the worker's signature or is one of the WAVM-only imports, and every other one (WASI, __wasi_fd_dup,
// the C++ exception entry points) links. And the
// state function of the Faasm suites (functions/wamr_state.cpp) links whole.
#include "faasm/wamr_imports.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"
#include "common/host_imports.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::faasm;

namespace {

using Bytes = std::vector<std::uint8_t>;

void leb(Bytes& out, std::uint32_t value) {
  do {
    std::uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(byte | (value ? 0x80 : 0));
  } while (value);
}

void name(Bytes& out, const std::string& text) {
  leb(out, static_cast<std::uint32_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

Bytes section(std::uint8_t id, const Bytes& body) {
  Bytes out{id};
  leb(out, static_cast<std::uint32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes module(const std::vector<Bytes>& sections) {
  Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// "ii:i" → a function type's bytes.
Bytes func_type(const std::string& signature) {
  auto type = [](char c) -> std::uint8_t {
    switch (c) {
      case 'i':
        return 0x7f;
      case 'I':
        return 0x7e;
      case 'f':
        return 0x7d;
      default:
        return 0x7c;
    }
  };
  const auto colon = signature.find(':');
  Bytes out{0x60};
  leb(out, static_cast<std::uint32_t>(colon));
  for (std::size_t i = 0; i < colon; ++i) out.push_back(type(signature[i]));
  leb(out, static_cast<std::uint32_t>(signature.size() - colon - 1));
  for (std::size_t i = colon + 1; i < signature.size(); ++i) out.push_back(type(signature[i]));
  return out;
}

struct Import {
  std::string module;
  std::string name;
  std::string signature;
};

// A module importing each function with its own type, plus a memory and a global import (skipped by the reader).
Bytes importing(const std::vector<Import>& imports) {
  Bytes types, list;
  leb(types, static_cast<std::uint32_t>(imports.size()));
  leb(list, static_cast<std::uint32_t>(imports.size() + 2));
  name(list, "env");
  name(list, "memory");
  list.insert(list.end(), {0x02, 0x01, 0x01, 0x10});  // memory, limits min 1 max 16
  for (std::size_t i = 0; i < imports.size(); ++i) {
    const Bytes type = func_type(imports[i].signature);
    types.insert(types.end(), type.begin(), type.end());
    name(list, imports[i].module);
    name(list, imports[i].name);
    list.push_back(0x00);
    leb(list, static_cast<std::uint32_t>(i));
  }
  name(list, "env");
  name(list, "g");
  list.insert(list.end(), {0x03, 0x7f, 0x00});  // an immutable i32 global
  return module({section(0, {4, 'n', 'o', 't', 'e'}), section(1, types), section(2, list)});
}

FunctionImport as_import(std::string_view module_name, std::string_view field, std::string_view signature) {
  FunctionImport import{std::string(module_name), std::string(field), {}, {}};
  const auto colon = signature.find(':');
  for (std::size_t i = 0; i < signature.size(); ++i) {
    if (i == colon) continue;
    const std::uint8_t type = signature[i] == 'I' ? 0x7e : 0x7f;
    (i < colon ? import.params : import.results).push_back(type);
  }
  return import;
}

std::string malformed(const Bytes& wasm) {
  auto read = read_function_imports(wasm);
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code == ErrorCode::BadWasm);
  return read.error().message;
}

std::span<const std::uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_SUITE("wamr_imports") {
  TEST_CASE("the reader lists function imports with their types, past custom sections and other imports") {
    const Bytes wasm = importing({{"env", "__faasm_read_input", "ii:i"},
                                  {"wasi_snapshot_preview1", "fd_write", "iiii:i"},
                                  {"env", "clock", ":I"}});
    auto imports = read_function_imports(wasm);
    REQUIRE_MESSAGE(imports.has_value(), imports.error().message);
    REQUIRE(imports->size() == 3);
    CHECK((*imports)[0].module == "env");
    CHECK((*imports)[0].name == "__faasm_read_input");
    CHECK(signature_text((*imports)[0]) == "ii:i");
    CHECK(signature_text((*imports)[1]) == "iiii:i");
    CHECK(signature_text((*imports)[2]) == ":I");
    CHECK(missing_on_wamr(*imports).empty());
  }

  TEST_CASE("a module without an import section imports nothing") {
    auto imports = read_function_imports(module({section(1, {0x00}), section(10, {0x00})}));
    REQUIRE(imports.has_value());
    CHECK(imports->empty());
  }

  TEST_CASE("malformed modules are one line saying what is wrong and where") {
    CHECK(malformed({}).find("does not start with \\0asm") != std::string::npos);
    CHECK(malformed({'n', 'o', 't', ' ', 'w', 'a', 's', 'm'}).find("does not start with \\0asm") != std::string::npos);
    CHECK(malformed({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}).find("version is not 1") != std::string::npos);
    // A section longer than the module.
    Bytes overrun = module({});
    overrun.insert(overrun.end(), {0x02, 0x20, 0x01});
    CHECK(malformed(overrun).find("ends inside a section (at byte 10)") != std::string::npos);
    // A count whose LEB128 never ends.
    CHECK(malformed(module({section(2, {0xff, 0xff, 0xff, 0xff, 0xff, 0x01})})).find("longer than 5 bytes") !=
          std::string::npos);
    // An import naming a type that does not exist.
    Bytes list;
    leb(list, 1);
    name(list, "env");
    name(list, "f");
    list.insert(list.end(), {0x00, 0x05});
    CHECK(malformed(module({section(1, {0x00}), section(2, list)})).find("names type 5 of 0") != std::string::npos);
    // An unknown import kind, and a name running past its section.
    list.back() = 0x00;
    list[list.size() - 2] = 0x09;
    CHECK(malformed(module({section(2, list)})).find("unknown kind 9") != std::string::npos);
    Bytes cut;
    leb(cut, 1);
    leb(cut, 40);
    cut.insert(cut.end(), {'e', 'n', 'v'});
    CHECK(malformed(module({section(2, cut)})).find("ends inside an import's module name") != std::string::npos);
    // The check names the function and keeps the reader's line.
    auto checked = check_wamr_imports("junk", bytes_of("garbage!"));
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().message == "junk: not a well-formed WebAssembly module: it does not start with \\0asm");
  }

  TEST_CASE("WAMR's resolution: unknown names, signatures that do not fit, the '_' retry, WAMR's own libraries") {
    const Bytes wasm = importing({{"env", "__faasm_write_state_offset", "iiiii:"},
                                  {"env", "__faasm_read_input", "i:i"},
                                  {"env", "no_such_import", ":"},
                                  {"env", "_getpid", ":i"},
                                  {"env", "memcpy", "iii:i"},
                                  {"wasi_snapshot_preview1", "sock_accept", "iii:i"},
                                  {"wasi_unstable", "fd_write", "iiii:i"},
                                  {"wasi_snapshot_preview1", "fd_write", "iiii:"}});
    auto imports = read_function_imports(wasm);
    REQUIRE(imports.has_value());
    const auto missing = missing_on_wamr(*imports);
    CHECK(missing == std::vector<std::string>{"env.__faasm_write_state_offset",
                                              "env.__faasm_read_input (imported as i:i, which WAMR has as ($i)i)",
                                              "env.no_such_import",
                                              "wasi_snapshot_preview1.fd_write (imported as iiii:, which WAMR has as "
                                              "(i*i*)i)"});
    auto checked = check_wamr_imports("mixed", wasm);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == ErrorCode::BadWasm);
    CHECK(
        checked.error().message.starts_with("mixed cannot run on Faasm: its WAMR backend lacks "
                                            "env.__faasm_write_state_offset, env.__faasm_read_input"));
  }

  TEST_CASE("the worker's imports: every __faasm_* one links on WAMR or is WAVM-only, every other one links") {
    std::size_t linked = 0, wavm_only = 0;
    for (const auto& host : kHostImports) {
      const FunctionImport import = as_import(host.module, host.name, host.signature);
      const WamrLookup found = wamr_lookup(host.module, host.name, import);
      const bool listed_wavm_only = std::ranges::find(kWavmOnlyImports, host.name) != kWavmOnlyImports.end();
      if (host.module == "wasi_snapshot_preview1") {
        CHECK_MESSAGE(found.links, host.name);
      } else if (host.name.starts_with("__faasm_")) {
        CHECK_MESSAGE(found.links != listed_wavm_only, host.name << " links: " << found.links);
        (found.links ? linked : wavm_only) += 1;
      } else {
        CHECK_MESSAGE(found.links, host.name);
      }
    }
    for (auto name : kWavmOnlyImports)
      CHECK_MESSAGE(!wamr_lookup("env", name, as_import("env", name, "i:")).found, name);
    CHECK(linked == 14);
    CHECK(wavm_only == 15);  // the worker provides 15 of the 22 imports only WAVM has
  }

  TEST_CASE("the project's clang builds: what the fixture ran on Faasm links, state and faasm_compat lack its calls") {
    const std::string dir = testing::required("FAASMJS_FUNCTIONS_DIR");
    for (const char* runnable : {"hello", "echo", "chain", "chain_worker", "blocking_indirect", "pi"}) {
      auto checked = check_wamr_imports(runnable, bytes_of(testing::readFile(dir + "/" + runnable + ".wasm")));
      CHECK_MESSAGE(checked.has_value(), runnable << ": " << (checked ? "" : checked.error().message));
    }
    auto state = check_wamr_imports("state", bytes_of(testing::readFile(dir + "/state.wasm")));
    REQUIRE_FALSE(state.has_value());
    for (const char* lacking :
         {"__faasm_write_state_offset", "__faasm_push_state_partial", "__faasm_read_state_offset_ptr",
          "__faasm_flag_state_offset_dirty", "__faasm_lock_state_write", "__faasm_unlock_state_write",
          "__faasm_clear_appended_state"}) {
      CHECK_MESSAGE(state.error().message.find(std::string("env.") + lacking) != std::string::npos, lacking);
    }
    auto compat = check_wamr_imports("faasm_compat", bytes_of(testing::readFile(dir + "/faasm_compat.wasm")));
    REQUIRE_FALSE(compat.has_value());
    CHECK(compat.error().message.find("env.__faasm_clear_appended_state") != std::string::npos);
  }

  TEST_CASE("wamr_state, the Faasm suites' state function, links whole") {
    const std::string path = testing::required("FAASMJS_FAASM_FUNCTIONS_DIR") + "/wamr_state.wasm";
    auto checked = check_wamr_imports("wamr_state", bytes_of(testing::readFile(path)));
    CHECK_MESSAGE(checked.has_value(), (checked ? "" : checked.error().message));
  }
}
