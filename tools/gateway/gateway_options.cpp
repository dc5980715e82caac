#include "gateway_options.h"

#include <getopt.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "auth/origin_policy.h"

namespace faasmjs::gateway {

namespace fs = std::filesystem;

namespace {

constexpr char kUsage[] = R"(Usage: faasmjs-gateway [options]
       faasmjs-gateway token --user NAME [--role invoke|upload|admin] [--ttl 1h] --key-file FILE

Serves a web app, the faasm.js SDK and the faasmjs.v1 WebSocket endpoint on one port, with an embedded
single-node cluster that runs the same function binaries as the browser, or in front of a Faasm cluster
(--faasm; docs/gateway.md).

Options:
  -p, --port N            port to listen on, 0 for any free one (default 8080)
      --host ADDR         address to listen on (default 127.0.0.1)
  -w, --web-root DIR      the web app served at / (default: the demo, examples/webapp)
      --sdk DIR           the SDK served at /sdk/ (default: the source tree's sdk/, installed: share/faasmjs/sdk)
  -f, --functions DIR     register every NAME.wasm in DIR (with NAME.async.wasm and NAME.manifest.json);
                          one added, rebuilt or removed later is registered, compiled and swapped in for
                          new calls, or unregistered
      --no-watch          do not watch --functions after start
  -d, --data DIR          state, uploaded functions and the compile cache (default ./faasmjs-data)
      --cache DIR         the compile cache (default DATA/aot-cache)
      --cache-max MIB     the compile cache's size; least recently used modules go first (default 1024)
      --compile-timeout S  a compile's time limit, checks, wasm2c and cc together (default 300)
      --compile-memory MIB  the address space of each compiler process (default 2048)
      --tiers both|quick|optimised
                          which compiles make a function's machine code: both (the quick tier, tcc, makes
                          it ready in milliseconds, and the optimised one, cc -O2, serves the calls that
                          start once it is built), quick only, or optimised only (default both)
      --workers N         calls running at once (default: one per core)
      --call-timeout MS   a call's execution time limit; INVOKE may ask for less, never more (default 60000)
      --memory-limit MIB  a call's linear memory limit, 1-4096; 4096 is Faasm's 4 GiB - 64 KiB (default 1024)
      --token-key-file F  verify HELLO's tokens with the key in F (at least 32 bytes; mint tokens with
                          `faasmjs-gateway token`); the token's user is the client's user
      --jwt-public-key F  also accept JWTs signed with the PEM public key in F (Ed25519: EdDSA, RSA:
                          RS256), from a login provider; "sub" is the user, "role" the role
      --allow-anonymous   let clients in without a token, as the user HELLO names (role upload)
      --allow-origin URL  browser pages of this origin may connect, besides the gateway's own (repeatable)
      --allow-host NAME   a name (NAME or NAME:PORT) clients may reach the gateway by, besides IP addresses
                          and localhost: for a reverse proxy or DNS name (repeatable)
      --tls-cert FILE     serve https:// and wss:// with this PEM certificate (chain), with --tls-key
      --tls-key FILE      the certificate's PEM private key
      --users A,B         the only users allowed (default: any well-formed user name)
      --max-frame BYTES   the largest WebSocket frame accepted (default 4194304)
      --max-reply-buffer BYTES
                          replies waiting for one client that does not read them; beyond this its socket
                          is closed, its session kept (default 335544320)
      --state-quota BYTES the bytes of state values one user may hold, written over the wire (default 1073741824)
      --max-upload-bytes BYTES
                          the largest module one UPLOAD may carry, at most maxBody (default 67108864)
      --uploads-per-minute N
                          UPLOADs one user may make in any minute (default 30)
      --max-output BYTES  a call's output, stdout and stderr together; more fails the call (default 67108864)
      --max-chain-depth N how deep chained calls may nest (default 64)
      --max-tree-calls N  calls in one call tree: a call and all it chained, transitively (default 10000)
      --max-user-calls N  calls of one user running or queued at once; an INVOKE beyond is refused
                          (default 10000)
      --max-waiting-calls N
                          calls waiting (await, lock) in their worker processes at once; a wait beyond
                          fails (default 256)
      --lock-timeout MS   how long a state lock request may wait (default 30000)
      --max-connections N WebSocket connections at once (default 16384)
      --max-connections-per-address N
                          WebSocket connections from one remote address (default 4096)
      --max-sessions N    sessions at once, attached or waiting for a resume (default 16384)
      --max-sessions-per-user N
                          sessions of one user (default 4096)
      --hello-timeout S   close sockets that have not said HELLO this long after connecting (default 10)
      --resume-grace S    how long a dropped session waits for its client (default 30)
      --idle-timeout S    close sockets silent this long; clients PING every 15 s (default 90)
      --faasm planner=URL,upload=URL[,redis=HOST:PORT]
                          run calls on a Faasm cluster instead of the embedded one: URL of faabric's
                          planner and of faasm's upload server (http://HOST:PORT), and the Redis Faasm
                          keeps state in; functions are uploaded there per user, the gateway polls the
                          planner for results (docs/gateway.md, "In front of Faasm")
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

// PREFIX of an installed PREFIX/bin/faasmjs-gateway.
fs::path own_prefix() { return beside_this(".").parent_path().parent_path(); }

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

std::expected<FaasmEndpoints, std::string> parse_faasm_endpoints(std::string_view value) {
  const std::string shape = "it takes planner=URL,upload=URL[,redis=HOST:PORT], got '" + std::string(value) + "'";
  FaasmEndpoints endpoints;
  auto url = [&](std::string_view key, std::string_view text) -> std::expected<std::string, std::string> {
    while (text.ends_with('/')) text.remove_suffix(1);
    std::string_view rest = text;
    if (rest.starts_with("http://")) {
      rest.remove_prefix(7);
    } else if (rest.starts_with("https://")) {
      rest.remove_prefix(8);
    } else {
      return std::unexpected(std::string(key) + "= needs an http:// or https:// URL, got '" + std::string(text) + "'");
    }
    if (rest.empty() || rest.find_first_of("/?# ") != std::string_view::npos)
      return std::unexpected(std::string(key) + "= needs a URL of a host and port only (http://HOST:PORT), got '" +
                             std::string(text) + "'");
    return std::string(text);
  };
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    const std::string_view item = value.substr(start, comma - start);
    start = comma + 1;
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) return std::unexpected(shape);
    const std::string_view key = item.substr(0, equals), text = item.substr(equals + 1);
    if (key == "planner" || key == "upload") {
      std::string& slot = key == "planner" ? endpoints.planner : endpoints.upload;
      if (!slot.empty()) return std::unexpected(std::string(key) + "= is given twice");
      auto parsed = url(key, text);
      if (!parsed) return std::unexpected(parsed.error());
      slot = std::move(*parsed);
    } else if (key == "redis") {
      if (endpoints.redis) return std::unexpected("redis= is given twice");
      const std::size_t colon = text.rfind(':');
      const auto port = colon == std::string_view::npos ? std::nullopt
                                                        : number(std::string(text.substr(colon + 1)).c_str(), 1, 65535);
      if (colon == 0 || !port) return std::unexpected("redis= needs HOST:PORT, got '" + std::string(text) + "'");
      endpoints.redis = std::string(text);
    } else {
      return std::unexpected("unknown key '" + std::string(key) + "': " + shape);
    }
  }
  if (endpoints.planner.empty() || endpoints.upload.empty())
    return std::unexpected("planner= and upload= are both needed: " + shape);
  return endpoints;
}

std::expected<GatewayOptions, int> parse_options(int argc, char** argv) {
  GatewayOptions options;
  // Installed, the gateway is PREFIX/bin/faasmjs-gateway and serves PREFIX/share/faasmjs, wherever PREFIX
  // was moved to; in a build tree there is no such folder, and the source tree's are served.
  const fs::path share = own_prefix() / "share" / "faasmjs";
  options.web_root = default_dir(share / "webapp", FAASMJS_SOURCE_DIR "/examples/webapp");
  options.sdk_dir = default_dir(share / "sdk", FAASMJS_SOURCE_DIR "/sdk");
  options.worker_binary = beside_this("faasmjs-worker");
  options.asyncify_tool = default_tool("faasmjs-asyncify", FAASMJS_ASYNCIFY_BUILD_PATH);
  // docs/protocol.md: INVOKE's timeoutMs is clipped to --call-timeout, which is also the default.
  options.limits.max_timeout = options.limits.default_timeout;
  std::optional<fs::path> cache;
  enum : int {
    kHost = 256,
    kSdk,
    kCache,
    kWorkers,
    kTimeout,
    kMemory,
    kTokenKey,
    kJwt,
    kAnonymous,
    kOrigin,
    kAllowHost,
    kTlsCert,
    kTlsKey,
    kUsers,
    kMaxFrame,
    kGrace,
    kIdle,
    kWorker,
    kAsyncify,
    kCacheMax,
    kCompileTimeout,
    kCompileMemory,
    kTiers,
    kNoWatch,
    kMaxOutput,
    kChainDepth,
    kTreeCalls,
    kWaitingCalls,
    kLockTimeout,
    kConnections,
    kPerAddress,
    kSessions,
    kPerUser,
    kHelloTimeout,
    kReplyBuffer,
    kStateQuota,
    kUserCalls,
    kUploadBytes,
    kUploadsPerMinute,
    kFaasm
  };
  static const option long_options[] = {
      {"port", required_argument, nullptr, 'p'},
      {"host", required_argument, nullptr, kHost},
      {"web-root", required_argument, nullptr, 'w'},
      {"sdk", required_argument, nullptr, kSdk},
      {"functions", required_argument, nullptr, 'f'},
      {"data", required_argument, nullptr, 'd'},
      {"cache", required_argument, nullptr, kCache},
      {"workers", required_argument, nullptr, kWorkers},
      {"call-timeout", required_argument, nullptr, kTimeout},
      {"memory-limit", required_argument, nullptr, kMemory},
      {"token-key-file", required_argument, nullptr, kTokenKey},
      {"jwt-public-key", required_argument, nullptr, kJwt},
      {"allow-anonymous", no_argument, nullptr, kAnonymous},
      {"allow-origin", required_argument, nullptr, kOrigin},
      {"allow-host", required_argument, nullptr, kAllowHost},
      {"tls-cert", required_argument, nullptr, kTlsCert},
      {"tls-key", required_argument, nullptr, kTlsKey},
      {"users", required_argument, nullptr, kUsers},
      {"max-frame", required_argument, nullptr, kMaxFrame},
      {"resume-grace", required_argument, nullptr, kGrace},
      {"idle-timeout", required_argument, nullptr, kIdle},
      {"worker", required_argument, nullptr, kWorker},
      {"asyncify", required_argument, nullptr, kAsyncify},
      {"cache-max", required_argument, nullptr, kCacheMax},
      {"compile-timeout", required_argument, nullptr, kCompileTimeout},
      {"compile-memory", required_argument, nullptr, kCompileMemory},
      {"tiers", required_argument, nullptr, kTiers},
      {"no-watch", no_argument, nullptr, kNoWatch},
      {"max-output", required_argument, nullptr, kMaxOutput},
      {"max-chain-depth", required_argument, nullptr, kChainDepth},
      {"max-tree-calls", required_argument, nullptr, kTreeCalls},
      {"max-waiting-calls", required_argument, nullptr, kWaitingCalls},
      {"lock-timeout", required_argument, nullptr, kLockTimeout},
      {"max-connections", required_argument, nullptr, kConnections},
      {"max-connections-per-address", required_argument, nullptr, kPerAddress},
      {"max-sessions", required_argument, nullptr, kSessions},
      {"max-sessions-per-user", required_argument, nullptr, kPerUser},
      {"hello-timeout", required_argument, nullptr, kHelloTimeout},
      {"max-reply-buffer", required_argument, nullptr, kReplyBuffer},
      {"state-quota", required_argument, nullptr, kStateQuota},
      {"max-user-calls", required_argument, nullptr, kUserCalls},
      {"max-upload-bytes", required_argument, nullptr, kUploadBytes},
      {"uploads-per-minute", required_argument, nullptr, kUploadsPerMinute},
      {"faasm", required_argument, nullptr, kFaasm},
      {"quiet", no_argument, nullptr, 'q'},
      {"help", no_argument, nullptr, 'h'},
      {"version", no_argument, nullptr, 'V'},
      {nullptr, 0, nullptr, 0},
  };
  auto bad = [](const std::string& message) {
    std::fprintf(stderr, "faasmjs-gateway: %s (see --help)\n", message.c_str());
    return std::unexpected(2);
  };
  for (int i = 1; i < argc; ++i) {
    // getopt would take it for an abbreviation of --token-key-file; a shared secret on the command line
    // was visible to every user in ps.
    if (std::string_view(argv[i]) == "--token" || std::string_view(argv[i]).starts_with("--token=")) {
      return bad(
          "--token is gone (a secret in ps): clients present signed tokens, verified with --token-key-file FILE");
    }
  }
  auto long_name = [&](int value) {
    for (const auto& entry : long_options) {
      if (entry.name != nullptr && entry.val == value) return std::string("--") + entry.name;
    }
    return std::string();
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
      case kHost:
        options.host = optarg;
        break;
      case 'w':
        options.web_root = optarg;
        break;
      case kSdk:
        options.sdk_dir = optarg;
        break;
      case 'f':
        options.functions_dir = fs::path(optarg);
        break;
      case 'd':
        options.data_dir = optarg;
        break;
      case kCache:
        cache = fs::path(optarg);
        break;
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
        // 4096 stands for Faasm's maximum, FAASM_WASM_MAX_MEMORY: 65535 pages, 4 GiB less one page.
        auto mib = as_number(1, 4096);
        if (!mib) return bad("--memory-limit needs MiB from 1 to 4096 (4096: Faasm's maximum, 4 GiB - 64 KiB)");
        options.limits.memory_limit_bytes = std::min(static_cast<std::uint64_t>(*mib) << 20, kMaxCallMemoryBytes);
        break;
      }
      case kTokenKey:
        options.token_key_file = fs::path(optarg);
        break;
      case kJwt:
        options.jwt_public_key = fs::path(optarg);
        break;
      case kAnonymous:
        options.allow_anonymous = true;
        break;
      case kOrigin: {
        auto origin = auth::normal_origin(optarg);
        if (!origin)
          return bad("--allow-origin needs an origin like https://app.example:8443, got '" + std::string(optarg) + "'");
        options.allow_origins.insert(*origin);
        break;
      }
      case kAllowHost: {
        auto host = auth::normal_host(optarg);
        if (!host)
          return bad("--allow-host needs a host name, optionally with :PORT, got '" + std::string(optarg) + "'");
        options.allow_hosts.insert(*host);
        break;
      }
      case kTlsCert:
        options.tls_cert = fs::path(optarg);
        break;
      case kTlsKey:
        options.tls_key = fs::path(optarg);
        break;
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
      case kMaxOutput:
      case kChainDepth:
      case kTreeCalls:
      case kWaitingCalls:
      case kConnections:
      case kPerAddress:
      case kSessions:
      case kPerUser:
      case kReplyBuffer:
      case kStateQuota:
      case kUserCalls:
      case kUploadsPerMinute: {
        // A count (or bytes) from 1: every one of these limits exists to be finite.
        const bool bytes = option == kMaxOutput || option == kReplyBuffer || option == kStateQuota;
        auto count = as_number(1, bytes ? 1ll << 50 : 1'000'000'000ll);
        if (!count) return bad(long_name(option) + " needs a number from 1");
        const auto value = static_cast<std::size_t>(*count);
        if (option == kMaxOutput) options.limits.max_output_bytes = value;
        if (option == kChainDepth) options.limits.max_chain_depth = value;
        if (option == kTreeCalls) options.limits.max_tree_calls = value;
        if (option == kWaitingCalls) options.max_waiting_calls = value;
        if (option == kConnections) options.endpoint.max_connections = value;
        if (option == kPerAddress) options.endpoint.max_connections_per_address = value;
        if (option == kSessions) options.endpoint.max_sessions = value;
        if (option == kPerUser) options.endpoint.max_sessions_per_user = value;
        if (option == kReplyBuffer) options.frames.max_queued = value;
        if (option == kStateQuota) options.frames.state_quota = value;
        if (option == kUserCalls) options.limits.max_user_calls = value;
        if (option == kUploadsPerMinute) options.endpoint.uploads_per_minute = value;
        break;
      }
      case kUploadBytes: {
        // An upload is one body: one over maxBody is refused before it is whole.
        auto bytes = as_number(1, static_cast<long long>(options.frames.max_body));
        if (!bytes)
          return bad("--max-upload-bytes needs bytes, from 1 to maxBody (" + std::to_string(options.frames.max_body) +
                     ")");
        options.endpoint.max_upload_bytes = static_cast<std::size_t>(*bytes);
        break;
      }
      case kLockTimeout: {
        auto ms = as_number(1, 86'400'000);
        if (!ms) return bad("--lock-timeout needs milliseconds, from 1");
        options.lock_timeout = std::chrono::milliseconds(*ms);
        break;
      }
      case kHelloTimeout: {
        auto seconds = as_number(1, 86'400);
        if (!seconds) return bad("--hello-timeout needs seconds, from 1");
        options.endpoint.hello_timeout = std::chrono::seconds(*seconds);
        break;
      }
      case kFaasm: {
        auto endpoints = parse_faasm_endpoints(optarg);
        if (!endpoints) return bad("--faasm: " + endpoints.error());
        options.faasm = std::move(*endpoints);
        break;
      }
      case kWorker:
        options.worker_binary = optarg;
        break;
      case kAsyncify:
        options.asyncify_tool = optarg;
        break;
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
      case kTiers: {
        const std::string_view tiers = optarg;
        if (tiers == "both") {
          options.compile_tiers = registry::CompileTiers::Both;
        } else if (tiers == "quick") {
          options.compile_tiers = registry::CompileTiers::QuickOnly;
        } else if (tiers == "optimised") {
          options.compile_tiers = registry::CompileTiers::OptimisedOnly;
        } else {
          return bad("--tiers is both, quick or optimised");
        }
        break;
      }
      case kNoWatch:
        options.watch_functions = false;
        break;
      case 'q':
        options.quiet = true;
        break;
      case 'h':
        std::fputs(kUsage, stdout);
        return std::unexpected(0);
      case 'V':
        std::puts("faasmjs-gateway " FAASMJS_VERSION);
        return std::unexpected(0);
      case ':':
        return bad("option " + name + " needs a value");
      default:
        return bad("unknown option " + name);
    }
  }
  if (optind < argc) return bad(std::string("unexpected argument '") + argv[optind] + "'");
  if (!options.token_key_file && !options.jwt_public_key && !options.allow_anonymous) {
    return bad(
        "clients need a way in: pass --token-key-file FILE (tokens from `faasmjs-gateway token`), --jwt-public-key "
        "FILE, or --allow-anonymous");
  }
  if (options.tls_cert.has_value() != options.tls_key.has_value()) return bad("--tls-cert and --tls-key go together");
  // Absolute from here on: a worker confined to the compile cache cannot ask for its working directory, so a
  // relative path handed to it would fail every call.
  options.data_dir = fs::absolute(options.data_dir).lexically_normal();
  options.cache_dir = fs::absolute(cache.value_or(options.data_dir / "aot-cache")).lexically_normal();
  options.compiler.cache_dir = options.cache_dir;
  if (!options.faasm && !fs::exists(options.worker_binary))
    return bad("no worker at " + options.worker_binary.string() + " (--worker)");
  return options;
}

}  // namespace faasmjs::gateway
