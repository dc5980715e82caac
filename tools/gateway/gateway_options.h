// faasmjs-gateway's command line: every option with its default, --help and --version; a bad option is one
// line on stderr and exit status 2.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "aot/aot_compiler.h"
#include "common/calls.h"
#include "protocol/frame_header.h"
#include "registry/function_registry.h"
#include "transport/session.h"

namespace faasmjs::gateway {

// --faasm planner=URL,upload=URL[,redis=HOST:PORT]: calls run on that Faasm cluster instead of the embedded one.
struct FaasmEndpoints {
  std::string planner;  // http://HOST:PORT, no trailing slash
  std::string upload;
  std::optional<std::string> redis;  // HOST:PORT of the Redis Faasm keeps state in (STATE_MODE=redis)
};

// The value of --faasm, or one line saying what is wrong with it.
std::expected<FaasmEndpoints, std::string> parse_faasm_endpoints(std::string_view value);

struct GatewayOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::filesystem::path web_root;
  std::filesystem::path sdk_dir;
  std::optional<std::filesystem::path> functions_dir;
  std::filesystem::path data_dir = "faasmjs-data";
  std::filesystem::path cache_dir;
  std::filesystem::path worker_binary;
  std::filesystem::path asyncify_tool;
  std::optional<std::filesystem::path> token_key_file;
  std::optional<std::filesystem::path> jwt_public_key;
  bool allow_anonymous = false;
  std::set<std::string> allow_origins;
  std::set<std::string> allow_hosts;
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
  std::set<std::string> users;
  std::chrono::seconds resume_grace{30};
  std::chrono::seconds idle_timeout{90};
  aot::CompilerOptions compiler;  // its cache_dir is cache_dir
  registry::CompileTiers compile_tiers = registry::CompileTiers::Both;
  bool watch_functions = true;
  ClusterLimits limits;
  protocol::Limits frames;
  transport::EndpointLimits endpoint;
  std::chrono::milliseconds lock_timeout{30'000};
  std::size_t max_waiting_calls = 256;
  std::optional<FaasmEndpoints> faasm;
  bool quiet = false;
};

// The options, or the exit status to leave with (0 after --help/--version, 2 on a bad option).
std::expected<GatewayOptions, int> parse_options(int argc, char** argv);

}  // namespace faasmjs::gateway
