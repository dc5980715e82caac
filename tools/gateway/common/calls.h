// The call vocabulary every layer of the gateway shares: what a session or a chaining call asks a backend to
// run (CallRequest), what comes back (CallResult, with RESULT's CallStatus), and the limits a backend applies.
// It lives here, below protocol/, worker/ and the backends, so that none of them depends on another for it;
// common/backend.h is the interface a backend implements with it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faasmjs::gateway {

// Ids of calls, sessions and lock owners come from one process-wide counter, so they never collide.
inline std::uint64_t new_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

// A file written into the host's file system before a call runs (INVOKE's seeded files).
struct CallFile {
  std::string path;
  std::vector<std::uint8_t> data;
  bool operator==(const CallFile&) const = default;
};

struct CallRequest {
  std::string user;            // state namespace
  std::string function;        // registered name
  std::uint32_t func_ptr = 0;  // 0: _start; else a table entry (Faasm's chain by pointer)
  std::vector<std::uint8_t> input;
  std::string cmdline;
  std::chrono::milliseconds timeout{0};  // 0: the backend's default; clipped to its maximum
  std::vector<CallFile> files;           // seeded before it runs (its own, not the calls it chains)
  std::string sha256;  // the version of the function the caller has (hex); empty: whichever is registered
};

// Why a call may not run on the registered binary `registered_sha256`, if it may not: the caller holds another
// version of the function (a page that loaded it before a rebuild or an upload), whose function pointers and
// results are not this one's.
inline std::optional<std::string> version_mismatch(const CallRequest& request, std::string_view registered_sha256) {
  if (request.sha256.empty() || request.sha256 == registered_sha256) return std::nullopt;
  return request.function + ": the caller has version " + request.sha256.substr(0, 12) + " of it, the gateway " +
         std::string(registered_sha256.substr(0, 12)) +
         " (rebuilt or uploaded since the caller loaded it): reload the page, or call it by name only";
}

// Values are the wire protocol's RESULT status (docs/protocol.md).
enum class CallStatus : std::uint8_t {
  Finished = 0,
  Trapped = 1,
  TimedOut = 2,
  MemoryExceeded = 3,
  Cancelled = 4,
  Crashed = 5,
  Failed = 6,
};

struct CallResult {
  std::int32_t return_value = 0;  // 1 for every status but Finished, as Faasm reports a failed call
  CallStatus status = CallStatus::Finished;
  std::string error;  // empty when Finished; else one line naming the function
  std::uint32_t queued_us = 0;
  std::uint32_t run_us = 0;
  std::string trace_json;  // {"where":"cluster","worker":N,"function":...,"chained":[...]}
  std::string stdout_text;
  std::string stderr_text;
  std::vector<std::uint8_t> output;
};

using CallId = std::uint64_t;
using CallDone = std::function<void(CallResult)>;

// The largest memory limit a call may have: Faasm's FAASM_WASM_MAX_MEMORY, 4 GiB - 64 KiB (65535 pages of
// 64 KiB), what Faasm's toolchain links functions with (--max-memory=4294901760).
inline constexpr std::uint64_t kMaxCallMemoryBytes = 65535ull * 65536;

// The limits a backend applies to the calls it runs (--workers, --timeout, ... in gateway_options.cpp).
struct ClusterLimits {
  std::size_t workers = 0;  // calls running at once; 0: one per core
  std::chrono::milliseconds default_timeout{60'000};
  std::chrono::milliseconds max_timeout{600'000};
  std::uint64_t memory_limit_bytes = 1ull << 30;  // per call: linear memory beyond this ends the call
  // Per call: output, stdout and stderr together beyond this fail the call (RESULT must fit maxBody).
  std::size_t max_output_bytes = 64u << 20;
  // Per call tree (a call and everything it chained): a chain beyond these fails, against a chain bomb.
  std::size_t max_chain_depth = 64;
  std::size_t max_tree_calls = 10'000;
  // Per user: calls submitted (INVOKE) and not finished; a submit beyond is refused.
  std::size_t max_user_calls = 10'000;
};

}  // namespace faasmjs::gateway
