// The `env` imports: Faasm's host interface (faasm-interfaces.md 1.2) with the browser's semantics and fault
// wording (sdk/js/host/), so that a plain .wasm behaves the same in both places. Input, output and flags are
// served here; chaining, awaiting, state and locks are host calls to the gateway (gateway_link.h), where the
// cluster's call tree and its host tier live.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "faasmjs/detail/fault_messages.hpp"
#include "worker/call_context.h"
#include "worker/gateway_link.h"
#include "worker/guest_call.h"
#include "worker/guest_memory.h"
#include "worker/host_imports.h"
#include "worker/import_guard.h"
#include "worker/state_regions.h"

namespace faasmjs::gateway::worker {

namespace {

using u32 = std::uint32_t;
using u64 = std::uint64_t;

std::string state_key(const Call& call, u32 ptr, const char* import) {
  GuestMemory guest(call, import);
  std::string key = guest.c_string(ptr, "state key");
  if (key.empty()) guest.fail(faasmjs::detail::fault_message("emptyKey"));
  return key;
}

// Guest heap for bytes the host hands over (await_call_output, mapped state): the guest's own malloc.
u32 guest_alloc(Call& call, u32 size, const char* import) {
  const u32 address = call_guest_malloc(call, size == 0 ? 1 : size);
  if (address == 0) {
    throw HostFault(std::string(import) + ": " +
                    faasmjs::detail::fault_message("mallocFailed", {{"size", std::to_string(size)}}));
  }
  return address;
}

// A state host call about one key, with the key's mapped regions published before and refreshed after.
template <class Fill>
ByteReader state_call(Call& call, const char* import, const std::string& key, Fill fill, GatewayLink& link) {
  publish_regions(call, key, import);
  link.request().str(key);
  fill(link.request());
  return link.send();
}

// A state host call whose reply carries nothing: the key, then what `fill` writes.
template <class Fill>
void keyed_state_call(Call& call, HostCall kind, const char* import, u32 key_ptr, Fill fill) {
  const std::string key = state_key(call, key_ptr, import);
  GatewayLink link(*call.channel, kind, import);
  state_call(call, import, key, fill, link);
  refresh_regions(call, key, import);
}

void no_fields(ByteWriter&) {}

u32 read_input(Call& call, u32 buffer, u32 length) {
  auto target = GuestMemory(call, "read_input").span(buffer, length, "input buffer");
  if (call.input.empty()) return 0;
  if (length == 0) return static_cast<u32>(call.input.size());
  const std::size_t count = std::min<std::size_t>(call.input.size(), length);
  std::copy_n(call.input.begin(), count, target.begin());
  return static_cast<u32>(count);
}

// The next id of the call's lease; a used-up lease is followed by one twice as long (worker_protocol.h). The
// gateway refuses a lease beyond the depth or tree limit, which fails this chain in the calling function.
u32 next_chain_id(Call& call, const char* import) {
  ChainLease& lease = call.chain_ids;
  if (lease.next == lease.end) {
    lease.size = std::clamp<u32>(lease.size * 2, 1, kMaxChainLease);
    GatewayLink link(*call.channel, HostCall::ChainIds, import);
    link.request().u32(lease.size);
    ByteReader reply = link.send();
    const u32 first = reply.u32();
    const u32 count = reply.u32();
    if (!reply.done() || count == 0 || count > lease.size || first + count < first) unreadable_reply(import);
    lease.next = first;
    lease.end = first + count;
  }
  return lease.next++;
}

u32 chain(Call& call, const std::string& function, u32 index, const std::vector<std::uint8_t>& input,
          const char* import) {
  const u32 id = next_chain_id(call, import);
  std::vector<std::uint8_t> body;
  ByteWriter out(body);
  out.u32(id);
  out.str(function);
  out.u32(index);
  out.bytes(input);
  tell_gateway(*call.channel, Op::Chain, body, import);
  return id;
}

struct Awaited {
  std::int32_t return_value = 0;
  std::vector<std::uint8_t> output;
};

// A chained call's result: passed on by an earlier Await's REPLY when it has finished since, else asked for
// (and that REPLY passes on the others that finished meanwhile).
Awaited await_result(Call& call, u32 id, bool want_output, const char* import) {
  if (auto known = call.finished_calls.find(id);
      known != call.finished_calls.end() && (!want_output || known->second.output)) {
    return {known->second.return_value, want_output ? *known->second.output : std::vector<std::uint8_t>()};
  }
  GatewayLink link(*call.channel, HostCall::Await, import);
  link.request().u32(id);
  link.request().u8(want_output ? 1 : 0);
  ByteReader reply = link.send();
  Awaited awaited{reply.i32(), want_output ? reply.bytes_copy() : std::vector<std::uint8_t>()};
  const u32 passed = reply.u32();
  for (u32 i = 0; i < passed; ++i) {
    auto finished = read_finished(reply);
    if (!finished) unreadable_reply(import);
    call.finished_calls.insert_or_assign(finished->id, std::move(*finished));
  }
  if (!reply.done()) unreadable_reply(import);
  return awaited;
}

u32 chain_ptr(Call& call, u32 index, u32 input, u32 length) {
  GuestMemory guest(call, "chain_ptr");
  auto bytes = guest.copy(input, length, "input");
  if (call.table == nullptr) guest.fail(faasmjs::detail::fault_message("noTable"));
  if (index == 0 || index >= call.table->size || call.table->data[index].func == nullptr) {
    guest.fail(faasmjs::detail::fault_message(
        "badFunctionPointer", {{"index", std::to_string(index)}, {"tableSize", std::to_string(call.table->size)}}));
  }
  return chain(call, "", index, bytes, "chain_ptr");
}

u32 await_output(Call& call, u32 id, u32 output_ptr, u32 length_ptr) {
  const char* import = "await_call_output";
  {
    GuestMemory guest(call, import);
    guest.check(output_ptr, 4, "output pointer");
    guest.check(length_ptr, 4, "output length pointer");
  }
  const Awaited awaited = await_result(call, id, true, import);
  const auto& output = awaited.output;
  const u32 return_value = static_cast<u32>(awaited.return_value);
  const u32 address = guest_alloc(call, static_cast<u32>(output.size()), import);
  // malloc may have grown memory: the guest view is made after it.
  GuestMemory guest(call, import);
  guest.write(address, output, "output");
  guest.set_u32(output_ptr, address, "output pointer");
  guest.set_u32(length_ptr, static_cast<u32>(output.size()), "output length pointer");
  return return_value;
}

u32 read_state(Call& call, u32 key_ptr, u32 buffer, u32 length) {
  const char* import = "read_state";
  const std::string key = state_key(call, key_ptr, import);
  GuestMemory(call, import).check(buffer, length, "buffer");
  if (length == 0) {
    GatewayLink link(*call.channel, HostCall::StateSize, import);
    return state_call(
               call, import, key, [](ByteWriter&) {}, link)
        .u32();
  }
  GatewayLink link(*call.channel, HostCall::StateRead, import);
  ByteReader reply = state_call(
      call, import, key, [&](ByteWriter& w) { w.u32(length); }, link);
  const auto value = reply.bytes();
  GuestMemory guest(call, import);
  if (value.size() > length) {
    guest.fail(faasmjs::detail::fault_message(
        "bufferTooSmall", {{"key", key}, {"length", std::to_string(length)}, {"size", std::to_string(value.size())}}));
  }
  guest.write(buffer, value, "buffer");
  refresh_regions(call, key, import);
  return static_cast<u32>(value.size());
}

std::vector<std::uint8_t> read_range(Call& call, const char* import, const std::string& key, u32 total, u32 offset,
                                     u32 length) {
  GatewayLink link(*call.channel, HostCall::StateReadRange, import);
  ByteReader reply = state_call(
      call, import, key,
      [&](ByteWriter& w) {
        w.u32(total);
        w.u32(offset);
        w.u32(length);
      },
      link);
  auto chunk = reply.bytes();
  return {chunk.begin(), chunk.end()};
}

void read_state_offset(Call& call, u32 key_ptr, u32 total, u32 offset, u32 buffer, u32 length) {
  const char* import = "read_state_offset";
  const std::string key = state_key(call, key_ptr, import);
  GuestMemory(call, import).check(buffer, length, "buffer");
  const auto chunk = read_range(call, import, key, total, offset, length);
  GuestMemory(call, import).write(buffer, chunk, "buffer");
  refresh_regions(call, key, import);
}

u32 map_state(Call& call, const char* import, u32 key_ptr, u32 total, u32 offset, u32 length) {
  const std::string key = state_key(call, key_ptr, import);
  auto chunk = read_range(call, import, key, total, offset, length);
  refresh_regions(call, key, import);
  if (const MappedRegion* region = find_region(call, key, offset, length)) return region->address;
  const u32 address = guest_alloc(call, length, import);
  GuestMemory(call, import).write(address, chunk, "mapped state");
  call.regions.push_back(MappedRegion{key, total, offset, length, address, std::move(chunk)});
  return address;
}

void write_state(Call& call, HostCall kind, const char* import, u32 key_ptr, u32 total, u32 offset, u32 data,
                 u32 length) {
  const std::string key = state_key(call, key_ptr, import);
  auto bytes = GuestMemory(call, import).copy(data, length, "data");
  GatewayLink link(*call.channel, kind, import);
  state_call(
      call, import, key,
      [&](ByteWriter& w) {
        if (kind == HostCall::StateWriteRange) {
          w.u32(total);
          w.u32(offset);
        }
        w.bytes(bytes);
      },
      link);
  refresh_regions(call, key, import);
}

void read_appended(Call& call, u32 key_ptr, u32 buffer, u32 length, u32 count) {
  const char* import = "read_appended_state";
  const std::string key = state_key(call, key_ptr, import);
  GuestMemory(call, import).check(buffer, length, "buffer");
  if (static_cast<std::int32_t>(count) < 0) {
    GuestMemory(call, import)
        .fail(faasmjs::detail::fault_message(
            "negativeLength",
            {{"what", "element count"}, {"length", std::to_string(static_cast<std::int32_t>(count))}}));
  }
  GatewayLink link(*call.channel, HostCall::StateReadAppended, import);
  ByteReader reply = state_call(
      call, import, key, [&](ByteWriter& w) { w.u32(count); }, link);
  const u32 elements = reply.u32();
  std::vector<std::uint8_t> joined;
  for (u32 i = 0; i < elements; ++i) {
    auto element = reply.bytes();
    joined.insert(joined.end(), element.begin(), element.end());
  }
  GuestMemory guest(call, import);
  if (joined.size() > length) {
    guest.fail(faasmjs::detail::fault_message("appendedTooBig", {{"key", key},
                                                                 {"count", std::to_string(elements)},
                                                                 {"bytes", std::to_string(joined.size())},
                                                                 {"length", std::to_string(length)}}));
  }
  guest.write(buffer, joined, "buffer");
}

void unlock(Call& call, HostCall kind, const char* import, u32 key_ptr, bool exclusive) {
  const std::string key = state_key(call, key_ptr, import);
  GatewayLink link(*call.channel, kind, import);
  ByteReader reply = state_call(
      call, import, key, [&](ByteWriter& w) { w.u8(exclusive ? 1 : 0); }, link);
  if (reply.u8() == 0) {
    GuestMemory(call, import)
        .fail(faasmjs::detail::fault_message("notLocked", {{"key", key}, {"mode", exclusive ? "write" : "read"}}));
  }
  refresh_regions(call, key, import);
}

[[noreturn]] void cxx_exception(const char* import) {
  throw HostFault(std::string(import) + ": " + faasmjs::detail::fault_message("cxxException"));
}

}  // namespace

}  // namespace faasmjs::gateway::worker

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::worker;

extern "C" {

u32 Z_envZ___faasm_read_input(Z_env_instance_t* env, u32 buffer, u32 length) {
  return guarded(call_of(env), [&] { return read_input(call_of(env), buffer, length); });
}

void Z_envZ___faasm_write_output(Z_env_instance_t* env, u32 ptr, u32 length) {
  guarded(call_of(env),
          [&] { call_of(env).output = GuestMemory(call_of(env), "write_output").copy(ptr, length, "output"); });
}

u32 Z_envZ___faasm_chain_name(Z_env_instance_t* env, u32 name, u32 input, u32 length) {
  return guarded(call_of(env), [&] {
    Call& call = call_of(env);
    GuestMemory guest(call, "chain_name");
    const std::string function = guest.c_string(name, "function name");
    auto bytes = guest.copy(input, length, "input");
    if (function.empty()) guest.fail(faasmjs::detail::fault_message("emptyName"));
    return chain(call, function, 0, bytes, "chain_name");
  });
}

u32 Z_envZ___faasm_chain_ptr(Z_env_instance_t* env, u32 index, u32 input, u32 length) {
  return guarded(call_of(env), [&] { return chain_ptr(call_of(env), index, input, length); });
}

u32 Z_envZ___faasm_await_call(Z_env_instance_t* env, u32 id) {
  return guarded(call_of(env),
                 [&] { return static_cast<u32>(await_result(call_of(env), id, false, "await_call").return_value); });
}

u32 Z_envZ___faasm_await_call_output(Z_env_instance_t* env, u32 id, u32 output_ptr, u32 length_ptr) {
  return guarded(call_of(env), [&] { return await_output(call_of(env), id, output_ptr, length_ptr); });
}

u32 Z_envZ___faasm_conf_flag(Z_env_instance_t* env, u32 key) {
  return guarded(call_of(env), [&] {
    const std::string name = GuestMemory(call_of(env), "conf_flag").c_string(key, "flag name");
    return name == "ALWAYS_ON" ? 1u : 0u;
  });
}

// A diagnostics hook that means nothing outside Faasm's own test suite.
void Z_envZ___faasm_backtrace(Z_env_instance_t*, u32) {}

// Faasm's hook (faasm src/wasm/host_interface_test.cpp): test 1 throws from the host, as a migrated call does;
// every other number is an unrecognised test, which throws too. Either way the call fails.
void Z_envZ___faasm_host_interface_test(Z_env_instance_t* env, u32 test) {
  guarded(call_of(env), [&] {
    throw HostFault(
        "host_interface_test: " +
        (test == 1 ? faasmjs::detail::fault_message("exceptionPropagation")
                   : faasmjs::detail::fault_message("unknownHostInterfaceTest",
                                                    {{"test", std::to_string(static_cast<std::int32_t>(test))}})));
  });
}

u32 Z_envZ___faasm_read_state(Z_env_instance_t* env, u32 key, u32 buffer, u32 length) {
  return guarded(call_of(env), [&] { return read_state(call_of(env), key, buffer, length); });
}

u32 Z_envZ___faasm_read_state_ptr(Z_env_instance_t* env, u32 key, u32 total) {
  return guarded(call_of(env), [&] { return map_state(call_of(env), "read_state_ptr", key, total, 0, total); });
}

void Z_envZ___faasm_read_state_offset(Z_env_instance_t* env, u32 key, u32 total, u32 offset, u32 buffer, u32 length) {
  guarded(call_of(env), [&] { read_state_offset(call_of(env), key, total, offset, buffer, length); });
}

u32 Z_envZ___faasm_read_state_offset_ptr(Z_env_instance_t* env, u32 key, u32 total, u32 offset, u32 length) {
  return guarded(call_of(env),
                 [&] { return map_state(call_of(env), "read_state_offset_ptr", key, total, offset, length); });
}

void Z_envZ___faasm_write_state(Z_env_instance_t* env, u32 key, u32 data, u32 length) {
  guarded(call_of(env),
          [&] { write_state(call_of(env), HostCall::StateWrite, "write_state", key, 0, 0, data, length); });
}

void Z_envZ___faasm_write_state_offset(Z_env_instance_t* env, u32 key, u32 total, u32 offset, u32 data, u32 length) {
  guarded(call_of(env), [&] {
    write_state(call_of(env), HostCall::StateWriteRange, "write_state_offset", key, total, offset, data, length);
  });
}

// WAVM's semantics (Faasm's WAMR host does not link this import): the whole file at `path` in the runtime
// root (as Faasm masks it, not a shared file) becomes the key's local value, pushed by a later push_state;
// returns its length. A file that does not exist, or an empty one (Faasm cannot make a value of size 0),
// fails the call as Faasm's host exceptions do.
u32 Z_envZ___faasm_write_state_from_file(Z_env_instance_t* env, u32 key, u32 path) {
  return guarded(call_of(env), [&]() -> u32 {
    Call& call = call_of(env);
    const std::string name = state_key(call, key, "write_state_from_file");
    GuestMemory guest(call, "write_state_from_file");
    const std::string file = guest.c_string(path, "file path");
    auto bytes = call.files->read_file(file);
    if (!bytes) guest.fail("couldn't open file " + file);
    if (bytes->empty()) guest.fail("must specify size for creating key-value " + call.user + "_" + name);
    GatewayLink link(*call.channel, HostCall::StateWrite, "write_state_from_file");
    state_call(
        call, "write_state_from_file", name, [&](ByteWriter& w) { w.bytes(*bytes); }, link);
    refresh_regions(call, name, "write_state_from_file");
    return static_cast<u32>(bytes->size());
  });
}

void Z_envZ___faasm_flag_state_dirty(Z_env_instance_t* env, u32 key, u32 total) {
  guarded(call_of(env), [&] {
    keyed_state_call(call_of(env), HostCall::StateFlagDirty, "flag_state_dirty", key, [&](ByteWriter& w) {
      w.u32(total);
      w.u32(0);
      w.u32(total);
    });
  });
}

void Z_envZ___faasm_flag_state_offset_dirty(Z_env_instance_t* env, u32 key, u32 total, u32 offset, u32 length) {
  guarded(call_of(env), [&] {
    keyed_state_call(call_of(env), HostCall::StateFlagDirty, "flag_state_offset_dirty", key, [&](ByteWriter& w) {
      w.u32(total);
      w.u32(offset);
      w.u32(length);
    });
  });
}

void Z_envZ___faasm_push_state(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env), [&] { keyed_state_call(call_of(env), HostCall::StatePush, "push_state", key, no_fields); });
}

void Z_envZ___faasm_push_state_partial(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env),
          [&] { keyed_state_call(call_of(env), HostCall::StatePushPartial, "push_state_partial", key, no_fields); });
}

void Z_envZ___faasm_push_state_partial_mask(Z_env_instance_t* env, u32 key, u32 mask_key) {
  guarded(call_of(env), [&] {
    Call& call = call_of(env);
    const char* import = "push_state_partial_mask";
    const std::string name = state_key(call, key, import);
    const std::string mask = state_key(call, mask_key, import);
    GatewayLink link(*call.channel, HostCall::StatePushPartialMask, import);
    state_call(
        call, import, name, [&](ByteWriter& w) { w.str(mask); }, link);
    refresh_regions(call, name, import);
  });
}

void Z_envZ___faasm_pull_state(Z_env_instance_t* env, u32 key, u32 length) {
  guarded(call_of(env), [&] {
    keyed_state_call(call_of(env), HostCall::StatePull, "pull_state", key, [&](ByteWriter& w) { w.u32(length); });
  });
}

void Z_envZ___faasm_append_state(Z_env_instance_t* env, u32 key, u32 data, u32 length) {
  guarded(call_of(env), [&] {
    Call& call = call_of(env);
    const char* import = "append_state";
    const std::string name = state_key(call, key, import);
    auto bytes = GuestMemory(call, import).copy(data, length, "data");
    GatewayLink link(*call.channel, HostCall::StateAppend, import);
    state_call(
        call, import, name, [&](ByteWriter& w) { w.bytes(bytes); }, link);
  });
}

void Z_envZ___faasm_read_appended_state(Z_env_instance_t* env, u32 key, u32 buffer, u32 length, u32 count) {
  guarded(call_of(env), [&] { read_appended(call_of(env), key, buffer, length, count); });
}

void Z_envZ___faasm_clear_appended_state(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env), [&] {
    keyed_state_call(call_of(env), HostCall::StateClearAppended, "clear_appended_state", key, no_fields);
  });
}

void Z_envZ___faasm_lock_state_read(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env), [&] {
    keyed_state_call(call_of(env), HostCall::StateLock, "lock_state_read", key, [](ByteWriter& w) { w.u8(0); });
  });
}

void Z_envZ___faasm_lock_state_write(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env), [&] {
    keyed_state_call(call_of(env), HostCall::StateLock, "lock_state_write", key, [](ByteWriter& w) { w.u8(1); });
  });
}

void Z_envZ___faasm_unlock_state_read(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env), [&] { unlock(call_of(env), HostCall::StateUnlock, "unlock_state_read", key, false); });
}

void Z_envZ___faasm_unlock_state_write(Z_env_instance_t* env, u32 key) {
  guarded(call_of(env), [&] { unlock(call_of(env), HostCall::StateUnlock, "unlock_state_write", key, true); });
}

u32 Z_envZ___cxa_allocate_exception(Z_env_instance_t* env, u32) {
  return guarded(call_of(env), []() -> u32 { cxx_exception("__cxa_allocate_exception"); });
}

void Z_envZ___cxa_throw(Z_env_instance_t* env, u32, u32, u32) {
  guarded(call_of(env), [] { cxx_exception("__cxa_throw"); });
}

}  // extern "C"
