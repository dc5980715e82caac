// Writes the seed corpus (tests/fuzz/corpus/, by make_corpus.sh) with the real encoders and the real store:
// every message type of both protocols, chunked bodies, and the files of a store folder after each kind of
// write. Usage: fuzz_seeds CORPUS_DIR (its protocol/, worker_protocol/ and state_store/ are written).
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "protocol/frame_header.h"
#include "protocol/message_codec.h"
#include "state/global_store.h"
#include "store_files.hpp"
#include "worker/worker_protocol.h"

namespace fs = std::filesystem;
namespace protocol = faasmjs::gateway::protocol;
namespace worker = faasmjs::gateway::worker;
namespace state = faasmjs::gateway::state;
using Bytes = std::vector<std::uint8_t>;

namespace {

void write_seed(const fs::path& dir, const std::string& name, const Bytes& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes to_bytes(const std::string& text) { return {text.begin(), text.end()}; }

// One frame of the protocol target's input: u16 length, the frame.
void add_frame(Bytes& input, const Bytes& frame) {
  input.push_back(static_cast<std::uint8_t>(frame.size()));
  input.push_back(static_cast<std::uint8_t>(frame.size() >> 8));
  input.insert(input.end(), frame.begin(), frame.end());
}

void add_message(Bytes& frame, protocol::Type type, std::uint8_t flags, std::uint32_t id, const Bytes& body) {
  protocol::append_header(frame, type, flags, id, static_cast<std::uint32_t>(body.size()));
  frame.insert(frame.end(), body.begin(), body.end());
}

template <typename Variant, std::size_t... I>
void each_default_message(const fs::path& dir, const char* side, std::index_sequence<I...>) {
  (
      [&] {
        using M = std::variant_alternative_t<I, Variant>;
        Bytes frame;
        add_message(frame, M::kType, 0, 7, protocol::encode_body(M{}));
        Bytes input;
        add_frame(input, frame);
        write_seed(dir, std::string(side) + "-" + protocol::type_name(M::kType), input);
      }(),
      ...);
}

void protocol_seeds(const fs::path& dir) {
  each_default_message<protocol::ClientMessage>(
      dir, "client", std::make_index_sequence<std::variant_size_v<protocol::ClientMessage>>());
  each_default_message<protocol::ServerMessage>(
      dir, "server", std::make_index_sequence<std::variant_size_v<protocol::ServerMessage>>());
  // A session's opening: HELLO and a PING on id 0, an INVOKE and a STATE_PUSH with ranges in one frame.
  Bytes frame;
  add_message(frame, protocol::Type::Hello, 0, 0,
              protocol::encode_body(protocol::Hello{.user = "alice", .token = "t"}));
  add_message(frame, protocol::Type::Ping, 0, 0, protocol::encode_body(protocol::Ping{}));
  add_message(frame, protocol::Type::Invoke, 0, 1,
              protocol::encode_body(protocol::Invoke{.function = "echo", .cmdline = "a b", .input = to_bytes("hi")}));
  add_message(frame, protocol::Type::StatePush, 0, 2,
              protocol::encode_body(protocol::StatePush{
                  .key = "k", .size = 8, .partial = true, .ranges = {{0, to_bytes("ab")}, {6, to_bytes("é")}}}));
  Bytes input;
  add_frame(input, frame);
  write_seed(dir, "session", input);
  // A STATE_SET body in three parts over two frames, another message between them.
  const Bytes body = protocol::encode_body(protocol::StateSet{.key = "big", .value = Bytes(300, 'v')});
  Bytes first;
  add_message(first, protocol::Type::StateSet, protocol::kMore, 3, {body.begin(), body.begin() + 100});
  add_message(first, protocol::Type::Continue, protocol::kMore, 3, {body.begin() + 100, body.begin() + 200});
  Bytes second;
  add_message(second, protocol::Type::StateSize, 0, 4, protocol::encode_body(protocol::StateSize{.key = "big"}));
  add_message(second, protocol::Type::Continue, 0, 3, {body.begin() + 200, body.end()});
  Bytes chunked;
  add_frame(chunked, first);
  add_frame(chunked, second);
  write_seed(dir, "chunked", chunked);
}

// What send_message puts on the socket, read back from a socketpair.
Bytes wire(const std::vector<std::pair<worker::Op, Bytes>>& messages) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) std::perror("socketpair");
  for (const auto& [op, body] : messages) worker::send_message(fds[1], op, body);
  ::close(fds[1]);
  Bytes bytes;
  std::uint8_t buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) bytes.insert(bytes.end(), buffer, buffer + n);
  ::close(fds[0]);
  return bytes;
}

void worker_protocol_seeds(const fs::path& dir) {
  Bytes ready;
  for (int i = 0; i < 4; ++i) ready.push_back(static_cast<std::uint8_t>(1234 >> (8 * i)));
  const Bytes run = worker::encode_run({.shared_object = "/cache/echo.so",
                                        .function = "echo",
                                        .user = "alice",
                                        .func_ptr = 0,
                                        .cmdline = "a b",
                                        .memory_limit_bytes = 1u << 30,
                                        .input = to_bytes("input")});
  const Bytes result = worker::encode_result({.return_value = 3,
                                              .status = faasmjs::gateway::CallStatus::Finished,
                                              .error = "",
                                              .stdout_text = "out",
                                              .stderr_text = "err",
                                              .output = to_bytes("output")});
  Bytes host_call{static_cast<std::uint8_t>(worker::HostCall::StateRead), 1, 0, 'k', 8, 0, 0, 0};
  Bytes reply{1, 8, 0, 0, 0, 'v', 'a', 'l', 'u', 'e', '!', '!', '!'};
  write_seed(dir, "run", wire({{worker::Op::Run, run}}));
  write_seed(dir, "result", wire({{worker::Op::Result, result}}));
  write_seed(dir, "call",
             wire({{worker::Op::Ready, ready},
                   {worker::Op::Run, run},
                   {worker::Op::HostCall, host_call},
                   {worker::Op::Reply, reply},
                   {worker::Op::Result, result}}));
}

// The files of a real store folder after `writes`, packed as the state_store target reads them.
template <typename Writes>
void store_seed(const fs::path& dir, const std::string& name, Writes writes, std::size_t torn = 0) {
  const fs::path folder = fs::temp_directory_path() / ("faasmjs-seeds-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  {
    auto store = state::GlobalStore::open(folder);
    if (!store) return std::perror("GlobalStore::open");
    writes(**store);
  }
  Bytes input;
  for (const auto& [sub, kind] : {std::pair{"values", faasmjs::fuzz::StoreFileKind::Value},
                                  std::pair{"logs", faasmjs::fuzz::StoreFileKind::Log}}) {
    std::vector<fs::path> paths;
    for (const auto& item : fs::directory_iterator(folder / sub)) paths.push_back(item.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      Bytes bytes{std::istreambuf_iterator<char>(in), {}};
      if (path == paths.back() && torn < bytes.size()) bytes.resize(bytes.size() - torn);
      const auto file_kind = path.extension() == ".patch" ? faasmjs::fuzz::StoreFileKind::Patch : kind;
      faasmjs::fuzz::pack_store_file(input, file_kind, bytes);
    }
  }
  fs::remove_all(folder);
  write_seed(dir, name, input);
}

void state_store_seeds(const fs::path& dir) {
  store_seed(dir, "set", [](state::GlobalStore& store) { (void)store.set("alice_k", to_bytes("value")); });
  const auto patched = [](state::GlobalStore& store) {
    (void)store.set("alice_v", Bytes(64, 'x'));
    (void)store.push("alice_v", 80, {{4, to_bytes("abc")}});
    (void)store.push_partial("alice_v", 90, {{85, to_bytes("zz")}});
    (void)store.push("alice_v", 40, {});
  };
  store_seed(dir, "patched", patched);
  store_seed(dir, "patched-torn", patched, 3);
  const auto appended = [](state::GlobalStore& store) {
    (void)store.append("bob_log", to_bytes("one"));
    (void)store.append("bob_log", to_bytes("two"));
    (void)store.append("bob_log", {});
  };
  store_seed(dir, "appended", appended);
  store_seed(dir, "appended-torn", appended, 2);
  store_seed(dir, "long-key", [](state::GlobalStore& store) {
    const std::string key = "carol_" + std::string(120, 'q');
    (void)store.set(key, to_bytes("long"));
    (void)store.push_partial(key, 10, {{1, to_bytes("L")}});
    (void)store.append(key, to_bytes("entry"));
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds CORPUS_DIR\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  protocol_seeds(corpus / "protocol");
  worker_protocol_seeds(corpus / "worker_protocol");
  state_store_seeds(corpus / "state_store");
  return 0;
}
