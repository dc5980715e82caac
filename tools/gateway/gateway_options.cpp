#include "gateway_options.h"

#include <getopt.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace faasmjs::gateway {

namespace fs = std::filesystem;

namespace {

constexpr char kUsage[] = R"(Usage: faasmjs-gateway [options]

Serves a web app, the faasm.js SDK and the faasmjs.v1 WebSocket endpoint on one port, with an embedded
single-node cluster that runs the same function binaries as the browser (docs/gateway.md).

Options:
  -p, --port N            port to listen on, 0 for any free one (default 8080)
      --host ADDR         address to listen on (default 127.0.0.1)
  -w, --web-root DIR      the web app served at / (default: the demo, examples/webapp)
      --sdk DIR           the SDK served at /sdk/ (default: the source tree's sdk/, installed: share/faasmjs/sdk)
  -f, --functions DIR     register every NAME.wasm in DIR (with NAME.async.wasm and NAME.manifest.json)
  -d, --data DIR          state, uploaded functions and the compile cache (default ./faasmjs-data)
      --cache DIR         the compile cache (default DATA/aot-cache)
      --cache-max MIB     the compile cache's size; least recently used modules go first (default 1024)
      --compile-timeout S  a compile's time limit, checks, wasm2c and cc together (default 300)
      --compile-memory MIB  the address space of each compiler process (default 2048)
      --workers N         calls running at once (default: one per core)
      --call-timeout MS   a call's execution time limit; INVOKE may ask for less, never more (default 60000)
      --memory-limit MIB  a call's linear memory limit (default 1024)
      --token TEXT        clients must present TEXT in HELLO (default: none)
      --users A,B         the only users allowed (default: any well-formed user name)
      --max-frame BYTES   the largest WebSocket frame accepted (default 4194304)
      --resume-grace S    how long a dropped session waits for its client (default 30)
      --idle-timeout S    close sockets silent this long; clients PING every 15 s (default 90)
      --worker PATH       the worker executable (default: faasmjs-worker beside this one)
      --asyncify PATH     the asyncify tool, for uploads (default: faasmjs-asyncify beside this one, else the build's)
  -q, --quiet             log only errors
  -h, --help              print this help and exit
  -V, --version           print the version and exit
)";

fs::path beside_this(const char* name) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return self.parent_path() / name;
}

// Installed programs sit together in bin/; in a build tree the asyncify tool has a folder of its own.
fs::path default_tool(const char* name, const char* build_path) {
  const fs::path beside = beside_this(name);
  return fs::exists(beside) ? beside : fs::path(build_path);
}

fs::path default_dir(const fs::path& installed, const char* source) {
  return fs::is_directory(installed) ? installed : fs::path(source);
}

std::optional<long long> number(const char* text, long long low, long long high) {
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || value < low || value > high) return std::nullopt;
  return value;
}

}  // namespace

std::expected<GatewayOptions, int> parse_options(int argc, char** argv) {
  GatewayOptions options;
  const fs::path share = beside_this("").parent_path() / "share" / "faasmjs";
  options.web_root = default_dir(share / "webapp", FAASMJS_SOURCE_DIR "/examples/webapp");
  options.sdk_dir = default_dir(share / "sdk", FAASMJS_SOURCE_DIR "/sdk");
  options.worker_binary = beside_this("faasmjs-worker");
  options.asyncify_tool = default_tool("faasmjs-asyncify", FAASMJS_ASYNCIFY_BUILD_PATH);
  // docs/protocol.md: INVOKE's timeoutMs is clipped to --call-timeout, which is also the default.
  options.limits.max_timeout = options.limits.default_timeout;
  std::optional<fs::path> cache;
  enum : int { kHost = 256, kSdk, kCache, kWorkers, kTimeout, kMemory, kToken, kUsers, kMaxFrame, kGrace, kIdle, kWorker, kAsyncify,
               kCacheMax, kCompileTimeout, kCompileMemory };
  static const option long_options[] = {
      {"port", required_argument, nullptr, 'p'},       {"host", required_argument, nullptr, kHost},
      {"web-root", required_argument, nullptr, 'w'},   {"sdk", required_argument, nullptr, kSdk},
      {"functions", required_argument, nullptr, 'f'},  {"data", required_argument, nullptr, 'd'},
      {"cache", required_argument, nullptr, kCache},   {"workers", required_argument, nullptr, kWorkers},
      {"call-timeout", required_argument, nullptr, kTimeout}, {"memory-limit", required_argument, nullptr, kMemory},
      {"token", required_argument, nullptr, kToken},   {"users", required_argument, nullptr, kUsers},
      {"max-frame", required_argument, nullptr, kMaxFrame}, {"resume-grace", required_argument, nullptr, kGrace},
      {"idle-timeout", required_argument, nullptr, kIdle},
      {"worker", required_argument, nullptr, kWorker}, {"asyncify", required_argument, nullptr, kAsyncify},
      {"cache-max", required_argument, nullptr, kCacheMax}, {"compile-timeout", required_argument, nullptr, kCompileTimeout},
      {"compile-memory", required_argument, nullptr, kCompileMemory},
      {"quiet", no_argument, nullptr, 'q'},            {"help", no_argument, nullptr, 'h'},
      {"version", no_argument, nullptr, 'V'},          {nullptr, 0, nullptr, 0},
  };
  auto bad = [](const std::string& message) {
    std::fprintf(stderr, "faasmjs-gateway: %s (see --help)\n", message.c_str());
    return std::unexpected(2);
  };
  opterr = 0;
  int option = 0;
  while ((option = getopt_long(argc, argv, ":p:w:f:d:qhV", long_options, nullptr)) != -1) {
    const std::string name = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    auto as_number = [&](long long low, long long high) { return number(optarg, low, high); };
    switch (option) {
      case 'p': {
        auto port = as_number(0, 65535);
        if (!port) return bad("--port needs a port number from 0 to 65535, got '" + std::string(optarg) + "'");
        options.port = static_cast<int>(*port);
        break;
      }
      case kHost: options.host = optarg; break;
      case 'w': options.web_root = optarg; break;
      case kSdk: options.sdk_dir = optarg; break;
      case 'f': options.functions_dir = fs::path(optarg); break;
      case 'd': options.data_dir = optarg; break;
      case kCache: cache = fs::path(optarg); break;
      case kWorkers: {
        auto workers = as_number(1, 1024);
        if (!workers) return bad("--workers needs a number from 1 to 1024");
        options.limits.workers = static_cast<std::size_t>(*workers);
        break;
      }
      case kTimeout: {
        auto ms = as_number(1, 86'400'000);
        if (!ms) return bad("--call-timeout needs milliseconds, from 1");
        options.limits.default_timeout = options.limits.max_timeout = std::chrono::milliseconds(*ms);
        break;
      }
      case kMemory: {
        auto mib = as_number(1, 4095);
        if (!mib) return bad("--memory-limit needs MiB from 1 to 4095");
        options.limits.memory_limit_bytes = static_cast<std::uint64_t>(*mib) << 20;
        break;
      }
      case kToken: options.token = optarg; break;
      case kUsers: {
        std::stringstream list(optarg);
        for (std::string user; std::getline(list, user, ',');) {
          if (!user.empty()) options.users.insert(user);
        }
        break;
      }
      case kMaxFrame: {
        auto bytes = as_number(64 * 1024, 256ll << 20);
        if (!bytes) return bad("--max-frame needs bytes from 65536 to 268435456");
        options.frames.max_frame = static_cast<std::size_t>(*bytes);
        options.frames.chunk_size = std::min<std::size_t>(options.frames.chunk_size, options.frames.max_frame - 1024);
        break;
      }
      case kGrace: {
        auto seconds = as_number(0, 86'400);
        if (!seconds) return bad("--resume-grace needs seconds");
        options.resume_grace = std::chrono::seconds(*seconds);
        break;
      }
      case kIdle: {
        auto seconds = as_number(1, 86'400);
        if (!seconds) return bad("--idle-timeout needs seconds, from 1");
        options.idle_timeout = std::chrono::seconds(*seconds);
        break;
      }
      case kWorker: options.worker_binary = optarg; break;
      case kAsyncify: options.asyncify_tool = optarg; break;
      case kCacheMax: {
        auto mib = as_number(1, 1 << 30);
        if (!mib) return bad("--cache-max needs MiB, from 1");
        options.compiler.cache_max_bytes = static_cast<std::uint64_t>(*mib) << 20;
        break;
      }
      case kCompileTimeout: {
        auto seconds = as_number(1, 86'400);
        if (!seconds) return bad("--compile-timeout needs seconds from 1 to 86400");
        options.compiler.compile_timeout = std::chrono::seconds(*seconds);
        break;
      }
      case kCompileMemory: {
        auto mib = as_number(64, 1 << 20);
        if (!mib) return bad("--compile-memory needs MiB, from 64");
        options.compiler.compile_memory_bytes = static_cast<std::uint64_t>(*mib) << 20;
        break;
      }
      case 'q': options.quiet = true; break;
      case 'h': std::fputs(kUsage, stdout); return std::unexpected(0);
      case 'V': std::puts("faasmjs-gateway " FAASMJS_VERSION); return std::unexpected(0);
      case ':': return bad("option " + name + " needs a value");
      default: return bad("unknown option " + name);
    }
  }
  if (optind < argc) return bad(std::string("unexpected argument '") + argv[optind] + "'");
  options.cache_dir = cache.value_or(options.data_dir / "aot-cache");
  options.compiler.cache_dir = options.cache_dir;
  if (!fs::exists(options.worker_binary)) return bad("no worker at " + options.worker_binary.string() + " (--worker)");
  return options;
}

}  // namespace faasmjs::gateway
