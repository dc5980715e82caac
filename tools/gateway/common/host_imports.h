// Every import the worker provides to a function, in one list (env: every import of
// include/faasmjs/detail/host_abi.h and the C++ exception entry points; wasi_snapshot_preview1: all 46 calls of
// preview1, as the browser's sdk/js/wasi provides them). It sits below both of its readers: the AOT compiler
// (aot/module_check.cpp) refuses a binary that imports anything else (naming it, as Faasm's "Missing
// import"), and the worker (worker/host_imports.h) declares from it the symbols host_env.cpp and host_wasi.cpp
// define, with wasm2c's names and C signatures. A signature reads "params:results" with i = i32 and I = i64,
// e.g. "iii:i".
//
// X(module, name, return type, wasm signature, (C parameters after the instance), (argument names))
#pragma once

#include <array>
#include <string_view>

#define FAASMJS_WORKER_ENV_IMPORTS(X)                                                                         \
  X(env, __faasm_read_input, u32, "ii:i", (u32 buffer, u32 length), (buffer, length))                         \
  X(env, __faasm_write_output, void, "ii:", (u32 ptr, u32 length), (ptr, length))                             \
  X(env, __faasm_chain_name, u32, "iii:i", (u32 name, u32 input, u32 length), (name, input, length))          \
  X(env, __faasm_chain_ptr, u32, "iii:i", (u32 index, u32 input, u32 length), (index, input, length))         \
  X(env, __faasm_await_call, u32, "i:i", (u32 id), (id))                                                      \
  X(env, __faasm_await_call_output, u32, "iii:i", (u32 id, u32 output_ptr, u32 length_ptr),                   \
    (id, output_ptr, length_ptr))                                                                             \
  X(env, __faasm_conf_flag, u32, "i:i", (u32 key), (key))                                                     \
  X(env, __faasm_backtrace, void, "i:", (u32 depth), (depth))                                                 \
  X(env, __faasm_host_interface_test, void, "i:", (u32 test), (test))                                         \
  X(env, __wasi_fd_dup, u32, "ii:i", (u32 fd, u32 result), (fd, result))                                      \
  X(env, __faasm_read_state, u32, "iii:i", (u32 key, u32 buffer, u32 length), (key, buffer, length))          \
  X(env, __faasm_read_state_ptr, u32, "ii:i", (u32 key, u32 total), (key, total))                             \
  X(env, __faasm_read_state_offset, void, "iiiii:", (u32 key, u32 total, u32 offset, u32 buffer, u32 length), \
    (key, total, offset, buffer, length))                                                                     \
  X(env, __faasm_read_state_offset_ptr, u32, "iiii:i", (u32 key, u32 total, u32 offset, u32 length),          \
    (key, total, offset, length))                                                                             \
  X(env, __faasm_write_state, void, "iii:", (u32 key, u32 data, u32 length), (key, data, length))             \
  X(env, __faasm_write_state_offset, void, "iiiii:", (u32 key, u32 total, u32 offset, u32 data, u32 length),  \
    (key, total, offset, data, length))                                                                       \
  X(env, __faasm_write_state_from_file, u32, "ii:i", (u32 key, u32 path), (key, path))                        \
  X(env, __faasm_flag_state_dirty, void, "ii:", (u32 key, u32 total), (key, total))                           \
  X(env, __faasm_flag_state_offset_dirty, void, "iiii:", (u32 key, u32 total, u32 offset, u32 length),        \
    (key, total, offset, length))                                                                             \
  X(env, __faasm_push_state, void, "i:", (u32 key), (key))                                                    \
  X(env, __faasm_push_state_partial, void, "i:", (u32 key), (key))                                            \
  X(env, __faasm_push_state_partial_mask, void, "ii:", (u32 key, u32 mask_key), (key, mask_key))              \
  X(env, __faasm_pull_state, void, "ii:", (u32 key, u32 length), (key, length))                               \
  X(env, __faasm_append_state, void, "iii:", (u32 key, u32 data, u32 length), (key, data, length))            \
  X(env, __faasm_read_appended_state, void, "iiii:", (u32 key, u32 buffer, u32 length, u32 count),            \
    (key, buffer, length, count))                                                                             \
  X(env, __faasm_clear_appended_state, void, "i:", (u32 key), (key))                                          \
  X(env, __faasm_lock_state_read, void, "i:", (u32 key), (key))                                               \
  X(env, __faasm_unlock_state_read, void, "i:", (u32 key), (key))                                             \
  X(env, __faasm_lock_state_write, void, "i:", (u32 key), (key))                                              \
  X(env, __faasm_unlock_state_write, void, "i:", (u32 key), (key))                                            \
  X(env, __cxa_allocate_exception, u32, "i:i", (u32 size), (size))                                            \
  X(env, __cxa_throw, void, "iii:", (u32 object, u32 type, u32 destructor), (object, type, destructor))

#define FAASMJS_WORKER_WASI_IMPORTS(X)                                                                                \
  X(wasi_snapshot_preview1, args_get, u32, "ii:i", (u32 argv, u32 buffer), (argv, buffer))                            \
  X(wasi_snapshot_preview1, args_sizes_get, u32, "ii:i", (u32 count, u32 size), (count, size))                        \
  X(wasi_snapshot_preview1, environ_get, u32, "ii:i", (u32 environ, u32 buffer), (environ, buffer))                   \
  X(wasi_snapshot_preview1, environ_sizes_get, u32, "ii:i", (u32 count, u32 size), (count, size))                     \
  X(wasi_snapshot_preview1, clock_res_get, u32, "ii:i", (u32 id, u32 resolution), (id, resolution))                   \
  X(wasi_snapshot_preview1, clock_time_get, u32, "iIi:i", (u32 id, u64 precision, u32 time), (id, precision, time))   \
  X(wasi_snapshot_preview1, fd_advise, u32, "iIIi:i", (u32 fd, u64 offset, u64 length, u32 advice),                   \
    (fd, offset, length, advice))                                                                                     \
  X(wasi_snapshot_preview1, fd_allocate, u32, "iII:i", (u32 fd, u64 offset, u64 length), (fd, offset, length))        \
  X(wasi_snapshot_preview1, fd_fdstat_set_rights, u32, "iII:i", (u32 fd, u64 base, u64 inheriting),                   \
    (fd, base, inheriting))                                                                                           \
  X(wasi_snapshot_preview1, fd_filestat_set_size, u32, "iI:i", (u32 fd, u64 size), (fd, size))                        \
  X(wasi_snapshot_preview1, fd_filestat_set_times, u32, "iIIi:i", (u32 fd, u64 atim, u64 mtim, u32 flags),            \
    (fd, atim, mtim, flags))                                                                                          \
  X(wasi_snapshot_preview1, fd_pread, u32, "iiiIi:i", (u32 fd, u32 iovs, u32 count, u64 offset, u32 read),            \
    (fd, iovs, count, offset, read))                                                                                  \
  X(wasi_snapshot_preview1, fd_pwrite, u32, "iiiIi:i", (u32 fd, u32 iovs, u32 count, u64 offset, u32 written),        \
    (fd, iovs, count, offset, written))                                                                               \
  X(wasi_snapshot_preview1, fd_renumber, u32, "ii:i", (u32 fd, u32 to), (fd, to))                                     \
  X(wasi_snapshot_preview1, path_filestat_set_times, u32, "iiiiIIi:i",                                                \
    (u32 fd, u32 lookup, u32 path, u32 length, u64 atim, u64 mtim, u32 flags),                                        \
    (fd, lookup, path, length, atim, mtim, flags))                                                                    \
  X(wasi_snapshot_preview1, path_link, u32, "iiiiiii:i",                                                              \
    (u32 old_fd, u32 lookup, u32 old_path, u32 old_length, u32 new_fd, u32 new_path, u32 new_length),                 \
    (old_fd, lookup, old_path, old_length, new_fd, new_path, new_length))                                             \
  X(wasi_snapshot_preview1, path_symlink, u32, "iiiii:i",                                                             \
    (u32 old_path, u32 old_length, u32 fd, u32 new_path, u32 new_length),                                             \
    (old_path, old_length, fd, new_path, new_length))                                                                 \
  X(wasi_snapshot_preview1, sock_accept, u32, "iii:i", (u32 fd, u32 flags, u32 result), (fd, flags, result))          \
  X(wasi_snapshot_preview1, sock_recv, u32, "iiiiii:i",                                                               \
    (u32 fd, u32 iovs, u32 count, u32 flags, u32 received, u32 out_flags),                                            \
    (fd, iovs, count, flags, received, out_flags))                                                                    \
  X(wasi_snapshot_preview1, sock_send, u32, "iiiii:i", (u32 fd, u32 iovs, u32 count, u32 flags, u32 sent),            \
    (fd, iovs, count, flags, sent))                                                                                   \
  X(wasi_snapshot_preview1, sock_shutdown, u32, "ii:i", (u32 fd, u32 how), (fd, how))                                 \
  X(wasi_snapshot_preview1, fd_write, u32, "iiii:i", (u32 fd, u32 iovs, u32 count, u32 written),                      \
    (fd, iovs, count, written))                                                                                       \
  X(wasi_snapshot_preview1, fd_read, u32, "iiii:i", (u32 fd, u32 iovs, u32 count, u32 read), (fd, iovs, count, read)) \
  X(wasi_snapshot_preview1, fd_close, u32, "i:i", (u32 fd), (fd))                                                     \
  X(wasi_snapshot_preview1, fd_seek, u32, "iIii:i", (u32 fd, u64 offset, u32 whence, u32 result),                     \
    (fd, offset, whence, result))                                                                                     \
  X(wasi_snapshot_preview1, fd_tell, u32, "ii:i", (u32 fd, u32 result), (fd, result))                                 \
  X(wasi_snapshot_preview1, fd_sync, u32, "i:i", (u32 fd), (fd))                                                      \
  X(wasi_snapshot_preview1, fd_datasync, u32, "i:i", (u32 fd), (fd))                                                  \
  X(wasi_snapshot_preview1, fd_fdstat_get, u32, "ii:i", (u32 fd, u32 stat), (fd, stat))                               \
  X(wasi_snapshot_preview1, fd_fdstat_set_flags, u32, "ii:i", (u32 fd, u32 flags), (fd, flags))                       \
  X(wasi_snapshot_preview1, fd_filestat_get, u32, "ii:i", (u32 fd, u32 stat), (fd, stat))                             \
  X(wasi_snapshot_preview1, fd_prestat_get, u32, "ii:i", (u32 fd, u32 prestat), (fd, prestat))                        \
  X(wasi_snapshot_preview1, fd_prestat_dir_name, u32, "iii:i", (u32 fd, u32 path, u32 length), (fd, path, length))    \
  X(wasi_snapshot_preview1, fd_readdir, u32, "iiiIi:i", (u32 fd, u32 buffer, u32 length, u64 cookie, u32 used),       \
    (fd, buffer, length, cookie, used))                                                                               \
  X(wasi_snapshot_preview1, path_open, u32, "iiiiiIIii:i",                                                            \
    (u32 fd, u32 lookup, u32 path, u32 length, u32 oflags, u64 base, u64 inheriting, u32 fdflags, u32 result),        \
    (fd, lookup, path, length, oflags, base, inheriting, fdflags, result))                                            \
  X(wasi_snapshot_preview1, path_filestat_get, u32, "iiiii:i", (u32 fd, u32 lookup, u32 path, u32 length, u32 stat),  \
    (fd, lookup, path, length, stat))                                                                                 \
  X(wasi_snapshot_preview1, path_create_directory, u32, "iii:i", (u32 fd, u32 path, u32 length), (fd, path, length))  \
  X(wasi_snapshot_preview1, path_remove_directory, u32, "iii:i", (u32 fd, u32 path, u32 length), (fd, path, length))  \
  X(wasi_snapshot_preview1, path_unlink_file, u32, "iii:i", (u32 fd, u32 path, u32 length), (fd, path, length))       \
  X(wasi_snapshot_preview1, path_readlink, u32, "iiiiii:i",                                                           \
    (u32 fd, u32 path, u32 length, u32 buffer, u32 buffer_length, u32 used),                                          \
    (fd, path, length, buffer, buffer_length, used))                                                                  \
  X(wasi_snapshot_preview1, path_rename, u32, "iiiiii:i",                                                             \
    (u32 fd, u32 old_path, u32 old_length, u32 new_fd, u32 new_path, u32 new_length),                                 \
    (fd, old_path, old_length, new_fd, new_path, new_length))                                                         \
  X(wasi_snapshot_preview1, poll_oneoff, u32, "iiii:i", (u32 in, u32 out, u32 count, u32 events),                     \
    (in, out, count, events))                                                                                         \
  X(wasi_snapshot_preview1, proc_exit, void, "i:", (u32 code), (code))                                                \
  X(wasi_snapshot_preview1, proc_raise, u32, "i:i", (u32 signal), (signal))                                           \
  X(wasi_snapshot_preview1, sched_yield, u32, ":i", (), ())                                                           \
  X(wasi_snapshot_preview1, random_get, u32, "ii:i", (u32 buffer, u32 length), (buffer, length))

namespace faasmjs::gateway {

struct HostImport {
  std::string_view module;
  std::string_view name;
  std::string_view signature;
};

#define FAASMJS_HOST_IMPORT(module, name, ret, signature, params, args) HostImport{#module, #name, signature},
inline constexpr std::array kHostImports{FAASMJS_WORKER_ENV_IMPORTS(FAASMJS_HOST_IMPORT)
                                             FAASMJS_WORKER_WASI_IMPORTS(FAASMJS_HOST_IMPORT)};
#undef FAASMJS_HOST_IMPORT

// The wasm signature ("ii:i") the worker provides for module.name, or empty when it provides no such import.
inline std::string_view provided_signature(std::string_view module, std::string_view name) {
  for (const auto& import : kHostImports) {
    if (import.module == module && import.name == name) return import.signature;
  }
  return {};
}

}  // namespace faasmjs::gateway
