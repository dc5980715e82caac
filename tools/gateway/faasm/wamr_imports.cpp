#include "faasm/wamr_imports.h"

namespace faasmjs::gateway::faasm {

namespace {

struct WamrNative {
  std::string_view name;
  std::string_view signature;
};

// The tables, copied from the sources the fixture builds (../shared/faasm/sources: faasm 53281098, WAMR b684e6f).
// Within a module, Faasm's are registered after WAMR's own, and WAMR searches the last registered first.

// faasm src/wamr/*.cpp, module env (wasm::initialiseWAMRNatives). __faasm_push_state is registered twice, as ($) and
// (*): both take one i32, so one row stands for both.
constexpr WamrNative kFaasmEnv[] = {
    {"MPI_Abort", "(ii)i"},
    {"MPI_Allgather", "(*i**i**)i"},
    {"MPI_Allgatherv", "(*i**ii**)i"},
    {"MPI_Allreduce", "(**i***)i"},
    {"MPI_Alltoall", "(*i**i**)i"},
    {"MPI_Alltoallv", "(*ii**ii**)i"},
    {"MPI_Barrier", "(*)i"},
    {"MPI_Bcast", "(*i*i*)i"},
    {"MPI_Cart_create", "(*iiii*)i"},
    {"MPI_Cart_get", "(*i***)i"},
    {"MPI_Cart_rank", "(***)i"},
    {"MPI_Cart_shift", "(*ii**)i"},
    {"MPI_Comm_dup", "(**)i"},
    {"MPI_Comm_free", "(*)i"},
    {"MPI_Comm_rank", "(**)i"},
    {"MPI_Comm_size", "(**)i"},
    {"MPI_Comm_split", "(*ii*)i"},
    {"MPI_Finalize", "()i"},
    {"MPI_Gather", "(*i**i*i*)i"},
    {"MPI_Get_count", "(***)i"},
    {"MPI_Get_processor_name", "(*i)i"},
    {"MPI_Get_version", "(**)i"},
    {"MPI_Init", "(ii)i"},
    {"MPI_Irecv", "(*i*ii**)i"},
    {"MPI_Isend", "(*i*ii**)i"},
    {"MPI_Op_create", "(*ii)i"},
    {"MPI_Op_free", "(*)i"},
    {"MPI_Probe", "(ii**)i"},
    {"MPI_Recv", "(*i*ii**)i"},
    {"MPI_Reduce", "(**i**i*)i"},
    {"MPI_Reduce_scatter", "(**i***)i"},
    {"MPI_Request_free", "(*)i"},
    {"MPI_Rsend", "(*i*ii*)i"},
    {"MPI_Scan", "(**i***)i"},
    {"MPI_Scatter", "(*i**i*i*)i"},
    {"MPI_Send", "(*i*ii*)i"},
    {"MPI_Sendrecv", "(*i*ii*i*ii**)i"},
    {"MPI_Type_commit", "(*)i"},
    {"MPI_Type_contiguous", "(i**)i"},
    {"MPI_Type_free", "(*)i"},
    {"MPI_Type_size", "(**)i"},
    {"MPI_Wait", "(*i)i"},
    {"MPI_Waitall", "(i**)i"},
    {"MPI_Waitany", "(i*i*)i"},
    {"MPI_Wtime", "()F"},
    {"__cxa_allocate_exception", "(i)i"},
    {"__cxa_throw", "(iii)"},
    {"__faasm_append_state", "(**i)"},
    {"__faasm_await_call", "(i)i"},
    {"__faasm_await_call_output", "(i**)i"},
    {"__faasm_chain_name", "($$i)i"},
    {"__faasm_chain_ptr", "(i$i)i"},
    {"__faasm_host_interface_test", "(i)"},
    {"__faasm_migrate_point", "(ii)"},
    {"__faasm_pull_state", "(*i)"},
    {"__faasm_push_state", "($)"},
    {"__faasm_read_appended_state", "(**ii)"},
    {"__faasm_read_input", "($i)i"},
    {"__faasm_read_state", "($$i)i"},
    {"__faasm_read_state_ptr", "($i)i"},
    {"__faasm_s3_add_key_bytes", "($$*~i)i"},
    {"__faasm_s3_get_key_bytes", "($$**i)i"},
    {"__faasm_s3_get_num_buckets", "()i"},
    {"__faasm_s3_get_num_keys", "($)i"},
    {"__faasm_s3_get_num_keys_with_prefix", "($$)i"},
    {"__faasm_s3_list_buckets", "(**)"},
    {"__faasm_s3_list_keys", "($**)"},
    {"__faasm_s3_list_keys_with_prefix", "($$**)"},
    {"__faasm_sm_critical_local", "()"},
    {"__faasm_sm_critical_local_end", "()"},
    {"__faasm_sm_reduce", "(iiii)"},
    {"__faasm_write_output", "($i)"},
    {"__faasm_write_state", "($$i)"},
    {"__kmpc_barrier", "(ii)"},
    {"__kmpc_critical", "(iii)"},
    {"__kmpc_end_critical", "(iii)"},
    {"__kmpc_end_master", "(ii)"},
    {"__kmpc_end_reduce", "(iii)"},
    {"__kmpc_end_reduce_nowait", "(iii)"},
    {"__kmpc_end_single", "(ii)"},
    {"__kmpc_flush", "(i)"},
    {"__kmpc_for_static_fini", "(ii)"},
    {"__kmpc_for_static_init_4", "(iii****ii)"},
    {"__kmpc_for_static_init_8", "(iii****II)"},
    {"__kmpc_fork_call", "(iiii)"},
    {"__kmpc_global_thread_num", "(i)i"},
    {"__kmpc_master", "(ii)i"},
    {"__kmpc_push_num_threads", "(iii)"},
    {"__kmpc_reduce", "(iiiiiii)i"},
    {"__kmpc_reduce_nowait", "(iiiiiii)i"},
    {"__kmpc_single", "(ii)i"},
    {"__sbrk", "(i)i"},
    {"__tless_get_attestation_jwt", "(**)"},
    {"__tless_get_mrenclave", "(*i)"},
    {"__tless_is_enabled", "()i"},
    {"__wasi_fd_dup", "(i*)i"},
    {"dlclose", "(*)i"},
    {"dlopen", "($i)i"},
    {"dlsym", "(*$)i"},
    {"dup", "(i)i"},
    {"getpid", "()i"},
    {"getpwnam", "(i)i"},
    {"getrlimit", "(ii)i"},
    {"mmap", "(iiiiiI)i"},
    {"munmap", "(ii)i"},
    {"omp_get_max_threads", "()i"},
    {"omp_get_num_threads", "()i"},
    {"omp_get_thread_num", "()i"},
    {"omp_get_wtime", "()F"},
    {"omp_set_num_threads", "(i)"},
    {"popen", "(ii)i"},
    {"pthread_cond_broadcast", "(i)i"},
    {"pthread_cond_destroy", "(i)i"},
    {"pthread_cond_init", "(ii)i"},
    {"pthread_cond_signal", "(i)i"},
    {"pthread_cond_wait", "(ii)i"},
    {"pthread_create", "(iiii)i"},
    {"pthread_equal", "(ii)i"},
    {"pthread_exit", "(i)"},
    {"pthread_join", "(i*)i"},
    {"pthread_mutex_destroy", "(i)i"},
    {"pthread_mutex_init", "(ii)i"},
    {"pthread_mutex_lock", "(i)i"},
    {"pthread_mutex_unlock", "(i)i"},
    {"pthread_mutexattr_destroy", "(i)i"},
    {"pthread_mutexattr_init", "(i)i"},
    {"pthread_once", "(ii)i"},
    {"sendfile", "(iiii)i"},
    {"shm_open", "($ii)i"},
    {"signal", "(ii)i"},
    {"syscall", "(ii)i"},
    {"system", "(i)i"},
    {"tempnam", "(ii)i"},
};

// faasm src/wamr/{env,filesystem,timing}.cpp, module wasi_snapshot_preview1.
constexpr WamrNative kFaasmWasi[] = {
    {"args_get", "(**)i"},
    {"args_sizes_get", "(**)i"},
    {"clock_time_get", "(iI*)i"},
    {"environ_get", "(**)i"},
    {"environ_sizes_get", "(**)i"},
    {"fd_allocate", "(iII)i"},
    {"fd_close", "(i)i"},
    {"fd_fdstat_get", "(i*)i"},
    {"fd_fdstat_set_flags", "(ii)i"},
    {"fd_fdstat_set_rights", "(iII)i"},
    {"fd_filestat_get", "(i*)i"},
    {"fd_filestat_set_size", "(iI)i"},
    {"fd_pread", "(i*iI*)i"},
    {"fd_prestat_dir_name", "(i*~)i"},
    {"fd_prestat_get", "(i*)i"},
    {"fd_pwrite", "(i*iI*)i"},
    {"fd_read", "(i*i*)i"},
    {"fd_readdir", "(i*~I*)i"},
    {"fd_seek", "(iIi*)i"},
    {"fd_sync", "(i)i"},
    {"fd_tell", "(i*)i"},
    {"fd_write", "(i*i*)i"},
    {"path_create_directory", "(i*~)i"},
    {"path_filestat_get", "(ii*~*)i"},
    {"path_filestat_set_times", "(ii*~IIi)i"},
    {"path_link", "(ii*~i*~)i"},
    {"path_open", "(ii*~iIIi*)i"},
    {"path_readlink", "(i*~*~*)i"},
    {"path_remove_directory", "(i*~)i"},
    {"path_rename", "(i*~i*~)i"},
    {"path_symlink", "(*~i*~)i"},
    {"path_unlink_file", "(i*~)i"},
    {"poll_oneoff", "(**i*)i"},
    {"proc_exit", "(i)"},
    {"random_get", "(*~)i"},
};

// WAMR core/iwasm/libraries/libc-builtin/libc_builtin_wrapper.c, module env.
constexpr WamrNative kWamrLibcBuiltin[] = {
    {"printf", "($*)i"},
    {"sprintf", "($$*)i"},
    {"snprintf", "(*~$*)i"},
    {"puts", "($)i"},
    {"putchar", "(i)i"},
    {"memcmp", "(**~)i"},
    {"memcpy", "(**~)i"},
    {"memmove", "(**~)i"},
    {"memset", "(*ii)i"},
    {"strchr", "($i)i"},
    {"strcmp", "($$)i"},
    {"strcpy", "(*$)i"},
    {"strlen", "($)i"},
    {"strncmp", "(**~)i"},
    {"strncpy", "(**~)i"},
    {"malloc", "(i)i"},
    {"realloc", "(ii)i"},
    {"calloc", "(ii)i"},
    {"strdup", "($)i"},
    {"_strdup", "($)i"},
    {"free", "(*)"},
    {"atoi", "($)i"},
    {"exit", "(i)"},
    {"strtol", "($*i)i"},
    {"strtoul", "($*i)i"},
    {"memchr", "(*ii)i"},
    {"strncasecmp", "($$i)i"},
    {"strspn", "($$)i"},
    {"strcspn", "($$)i"},
    {"strstr", "($$)i"},
    {"isupper", "(i)i"},
    {"isalpha", "(i)i"},
    {"isspace", "(i)i"},
    {"isgraph", "(i)i"},
    {"isprint", "(i)i"},
    {"isdigit", "(i)i"},
    {"isxdigit", "(i)i"},
    {"tolower", "(i)i"},
    {"toupper", "(i)i"},
    {"isalnum", "(i)i"},
    {"emscripten_memcpy_big", "(**~)i"},
    {"abort", "(i)"},
    {"abortStackOverflow", "(i)"},
    {"nullFunc_X", "(i)"},
    {"__cxa_allocate_exception", "(i)i"},
    {"__cxa_begin_catch", "(*)"},
    {"__cxa_throw", "(**i)"},
    {"clock_gettime", "(i*)i"},
    {"clock", "()I"},
    {"print", "()"},
    {"print_i32", "(i)"},
    {"print_i64", "(I)"},
    {"print_i32_f32", "(if)"},
    {"print_f64_f64", "(FF)"},
    {"print_f32", "(f)"},
    {"print_f64", "(F)"},
};

// WAMR core/iwasm/libraries/libc-wasi/libc_wasi_wrapper.c, modules wasi_snapshot_preview1 and wasi_unstable.
constexpr WamrNative kWamrLibcWasi[] = {
    {"args_get", "(**)i"},
    {"args_sizes_get", "(**)i"},
    {"clock_res_get", "(i*)i"},
    {"clock_time_get", "(iI*)i"},
    {"environ_get", "(**)i"},
    {"environ_sizes_get", "(**)i"},
    {"fd_prestat_get", "(i*)i"},
    {"fd_prestat_dir_name", "(i*~)i"},
    {"fd_close", "(i)i"},
    {"fd_datasync", "(i)i"},
    {"fd_pread", "(i*iI*)i"},
    {"fd_pwrite", "(i*iI*)i"},
    {"fd_read", "(i*i*)i"},
    {"fd_renumber", "(ii)i"},
    {"fd_seek", "(iIi*)i"},
    {"fd_tell", "(i*)i"},
    {"fd_fdstat_get", "(i*)i"},
    {"fd_fdstat_set_flags", "(ii)i"},
    {"fd_fdstat_set_rights", "(iII)i"},
    {"fd_sync", "(i)i"},
    {"fd_write", "(i*i*)i"},
    {"fd_advise", "(iIIi)i"},
    {"fd_allocate", "(iII)i"},
    {"path_create_directory", "(i*~)i"},
    {"path_link", "(ii*~i*~)i"},
    {"path_open", "(ii*~iIIi*)i"},
    {"fd_readdir", "(i*~I*)i"},
    {"path_readlink", "(i*~*~*)i"},
    {"path_rename", "(i*~i*~)i"},
    {"fd_filestat_get", "(i*)i"},
    {"fd_filestat_set_times", "(iIIi)i"},
    {"fd_filestat_set_size", "(iI)i"},
    {"path_filestat_get", "(ii*~*)i"},
    {"path_filestat_set_times", "(ii*~IIi)i"},
    {"path_symlink", "(*~i*~)i"},
    {"path_unlink_file", "(i*~)i"},
    {"path_remove_directory", "(i*~)i"},
    {"poll_oneoff", "(**i*)i"},
    {"proc_exit", "(i)"},
    {"proc_raise", "(i)i"},
    {"random_get", "(*~)i"},
    {"sock_accept", "(ii*)i"},
    {"sock_addr_local", "(i*)i"},
    {"sock_addr_remote", "(i*)i"},
    {"sock_addr_resolve", "($$**i*)i"},
    {"sock_bind", "(i*)i"},
    {"sock_close", "(i)i"},
    {"sock_connect", "(i*)i"},
    {"sock_get_broadcast", "(i*)i"},
    {"sock_get_keep_alive", "(i*)i"},
    {"sock_get_linger", "(i**)i"},
    {"sock_get_recv_buf_size", "(i*)i"},
    {"sock_get_recv_timeout", "(i*)i"},
    {"sock_get_reuse_addr", "(i*)i"},
    {"sock_get_reuse_port", "(i*)i"},
    {"sock_get_send_buf_size", "(i*)i"},
    {"sock_get_send_timeout", "(i*)i"},
    {"sock_get_tcp_fastopen_connect", "(i*)i"},
    {"sock_get_tcp_keep_idle", "(i*)i"},
    {"sock_get_tcp_keep_intvl", "(i*)i"},
    {"sock_get_tcp_no_delay", "(i*)i"},
    {"sock_get_tcp_quick_ack", "(i*)i"},
    {"sock_get_ip_multicast_loop", "(ii*)i"},
    {"sock_get_ip_multicast_ttl", "(i*)i"},
    {"sock_get_ip_ttl", "(i*)i"},
    {"sock_get_ipv6_only", "(i*)i"},
    {"sock_listen", "(ii)i"},
    {"sock_open", "(iii*)i"},
    {"sock_recv", "(i*ii**)i"},
    {"sock_recv_from", "(i*ii**)i"},
    {"sock_send", "(i*ii*)i"},
    {"sock_send_to", "(i*ii**)i"},
    {"sock_set_broadcast", "(ii)i"},
    {"sock_set_keep_alive", "(ii)i"},
    {"sock_set_linger", "(iii)i"},
    {"sock_set_recv_buf_size", "(ii)i"},
    {"sock_set_recv_timeout", "(iI)i"},
    {"sock_set_reuse_addr", "(ii)i"},
    {"sock_set_reuse_port", "(ii)i"},
    {"sock_set_send_buf_size", "(ii)i"},
    {"sock_set_send_timeout", "(iI)i"},
    {"sock_set_tcp_fastopen_connect", "(ii)i"},
    {"sock_set_tcp_keep_idle", "(ii)i"},
    {"sock_set_tcp_keep_intvl", "(ii)i"},
    {"sock_set_tcp_no_delay", "(ii)i"},
    {"sock_set_tcp_quick_ack", "(ii)i"},
    {"sock_set_ip_multicast_loop", "(iii)i"},
    {"sock_set_ip_multicast_ttl", "(ii)i"},
    {"sock_set_ip_add_membership", "(i*i)i"},
    {"sock_set_ip_drop_membership", "(i*i)i"},
    {"sock_set_ip_ttl", "(ii)i"},
    {"sock_set_ipv6_only", "(ii)i"},
    {"sock_shutdown", "(ii)i"},
    {"sched_yield", "()i"},
};

struct Module {
  std::string_view name;
  std::array<std::span<const WamrNative>, 2> tables;  // in WAMR's search order; an empty span ends the list
};

const std::array<Module, 3>& modules() {
  static const std::array<Module, 3> all{{
      {"env", {std::span<const WamrNative>(kFaasmEnv), std::span<const WamrNative>(kWamrLibcBuiltin)}},
      {"wasi_snapshot_preview1", {std::span<const WamrNative>(kFaasmWasi), std::span<const WamrNative>(kWamrLibcWasi)}},
      {"wasi_unstable", {std::span<const WamrNative>(kWamrLibcWasi), std::span<const WamrNative>()}},
  }};
  return all;
}

const WamrNative* find_in(std::span<const WamrNative> table, std::string_view name) {
  for (const auto& native : table) {
    if (native.name == name) return &native;
  }
  return nullptr;
}

// WAMR's check_symbol_signature (core/iwasm/common/wasm_native.c), over our value type bytes: a parameter matches its
// letter (F f64, f f32, I i64, i i32); an i32 also matches '*' (a pointer, which may take the next i32 as its length
// with '~') and '$' (a string); only the first result is compared, and nothing may follow it.
bool fits(std::string_view signature, const FunctionImport& import) {
  auto letter_of = [](std::uint8_t type) -> char {
    switch (type) {
      case 0x7c:
        return 'F';
      case 0x7d:
        return 'f';
      case 0x7e:
        return 'I';
      case 0x7f:
        return 'i';
      default:
        return '\0';
    }
  };
  if (signature.size() < 2 || signature.front() != '(') return false;
  std::size_t p = 1;
  const auto& params = import.params;
  if (signature.size() - p < params.size() + 1) return false;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const char sig = signature[p++];
    if (letter_of(params[i]) == sig && sig != '\0') continue;
    if (params[i] != 0x7f) return false;
    if (sig == '*') {
      if (i + 1 < params.size() && params[i + 1] == 0x7f && p < signature.size() && signature[p] == '~') {
        ++i;
        ++p;
      }
    } else if (sig != '$') {
      return false;
    }
  }
  if (p >= signature.size() || signature[p++] != ')') return false;
  if (!import.results.empty()) {
    if (p >= signature.size() || letter_of(import.results.front()) != signature[p]) return false;
    ++p;
  }
  return p == signature.size();
}

}  // namespace

WamrLookup wamr_lookup(std::string_view module, std::string_view name, const FunctionImport& import) {
  for (const auto& candidate : modules()) {
    if (candidate.name != module) continue;
    for (const auto& table : candidate.tables) {
      const WamrNative* native = find_in(table, name);
      if (!native && name.starts_with('_')) native = find_in(table, name.substr(1));
      if (native) return {true, fits(native->signature, import), native->signature};
    }
  }
  return {};
}

std::vector<std::string> missing_on_wamr(const std::vector<FunctionImport>& imports) {
  std::vector<std::string> missing;
  for (const auto& import : imports) {
    const WamrLookup found = wamr_lookup(import.module, import.name, import);
    if (found.links) continue;
    std::string what = import.module + "." + import.name;
    if (found.found)
      what +=
          " (imported as " + signature_text(import) + ", which WAMR has as " + std::string(found.wamr_signature) + ")";
    missing.push_back(std::move(what));
  }
  return missing;
}

Expected<void> check_wamr_imports(std::string_view function, std::span<const std::uint8_t> wasm) {
  auto imports = read_function_imports(wasm);
  if (!imports) return fail(ErrorCode::BadWasm, std::string(function) + ": " + imports.error().message);
  const auto missing = missing_on_wamr(*imports);
  if (missing.empty()) return {};
  std::string list;
  for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
  return fail(ErrorCode::BadWasm, std::string(function) + " cannot run on Faasm: its WAMR backend lacks " + list);
}

}  // namespace faasmjs::gateway::faasm
