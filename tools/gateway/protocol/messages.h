// Every message of the wire protocol faasmjs.v1 (docs/protocol.md) as a struct: one per message type, with
// its fields in wire order. `fields(m)` ties them in that order, and message_codec.h turns any of these
// structs into a body and back with one generic walk, so the field order is written down exactly once.
//
// Field types map to wire types: u8/u16/u32/i32/u64 as themselves, bool as a u8 that must be 0 or 1,
// std::string as `str`, Bytes as `bytes`, std::vector<T> as a u32 count and count × T, enums as their
// underlying integer (values outside the table are a decode error).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "common/calls.h"
#include "common/error.h"

namespace faasmjs::gateway::protocol {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint16_t kVersion = 1;
inline constexpr char kSubprotocol[] = "faasmjs.v1";

enum class Type : std::uint8_t {
  Hello = 0x01,
  Invoke = 0x02,
  Await = 0x03,
  Cancel = 0x04,
  StateSize = 0x10,
  StatePull = 0x11,
  StatePush = 0x12,
  StateSet = 0x13,
  StateAppend = 0x14,
  StateReadAppended = 0x15,
  StateClearAppended = 0x16,
  StateLock = 0x17,
  StateUnlock = 0x18,
  StateKeys = 0x19,
  Upload = 0x20,
  FileUpload = 0x21,
  FileGet = 0x22,
  Functions = 0x23,
  Ping = 0x30,
  Continue = 0x7F,
  Welcome = 0x81,
  Result = 0x82,
  Ack = 0x83,
  StateSizeIs = 0x84,
  StateValue = 0x85,
  StateAppended = 0x86,
  StateKeyList = 0x87,
  Uploaded = 0x88,
  FileData = 0x89,
  FunctionList = 0x8A,
  Pong = 0x8F,
  Error = 0xEE,
};

// STATE_PULL's length meaning "to the end of the value".
inline constexpr std::uint32_t kToEnd = 0xFFFFFFFFu;

// ---- client → server ----

struct Hello {
  static constexpr Type kType = Type::Hello;
  std::uint16_t version = kVersion;
  std::string user;
  std::string token;
  std::uint64_t session = 0;  // 0: a new session
  static auto fields(auto& m) { return std::tie(m.version, m.user, m.token, m.session); }
  bool operator==(const Hello&) const = default;
};

// A file INVOKE seeds into the host's file system before the call runs.
struct InvokeFile {
  std::string path;
  Bytes data;
  static auto fields(auto& m) { return std::tie(m.path, m.data); }
  bool operator==(const InvokeFile&) const = default;
};

struct Invoke {
  static constexpr Type kType = Type::Invoke;
  std::string function;
  std::uint32_t func_ptr = 0;
  std::string cmdline;
  std::uint32_t timeout_ms = 0;
  Bytes input;
  std::vector<InvokeFile> files;
  std::string sha256;  // the caller's version of the function, hex, or empty
  static auto fields(auto& m) {
    return std::tie(m.function, m.func_ptr, m.cmdline, m.timeout_ms, m.input, m.files, m.sha256);
  }
  bool operator==(const Invoke&) const = default;
};

struct Await {
  static constexpr Type kType = Type::Await;
  std::uint32_t call_id = 0;
  static auto fields(auto& m) { return std::tie(m.call_id); }
  bool operator==(const Await&) const = default;
};

struct Cancel {
  static constexpr Type kType = Type::Cancel;
  std::uint32_t call_id = 0;
  static auto fields(auto& m) { return std::tie(m.call_id); }
  bool operator==(const Cancel&) const = default;
};

struct StateSize {
  static constexpr Type kType = Type::StateSize;
  std::string key;
  static auto fields(auto& m) { return std::tie(m.key); }
  bool operator==(const StateSize&) const = default;
};

struct StatePull {
  static constexpr Type kType = Type::StatePull;
  std::string key;
  std::uint32_t offset = 0;
  std::uint32_t length = kToEnd;
  static auto fields(auto& m) { return std::tie(m.key, m.offset, m.length); }
  bool operator==(const StatePull&) const = default;
};

struct PushRange {
  std::uint32_t offset = 0;
  Bytes data;
  static auto fields(auto& m) { return std::tie(m.offset, m.data); }
  bool operator==(const PushRange&) const = default;
};

struct StatePush {
  static constexpr Type kType = Type::StatePush;
  std::string key;
  std::uint32_t size = 0;
  bool partial = false;
  std::vector<PushRange> ranges;
  static auto fields(auto& m) { return std::tie(m.key, m.size, m.partial, m.ranges); }
  bool operator==(const StatePush&) const = default;
};

struct StateSet {
  static constexpr Type kType = Type::StateSet;
  std::string key;
  Bytes value;
  static auto fields(auto& m) { return std::tie(m.key, m.value); }
  bool operator==(const StateSet&) const = default;
};

struct StateAppend {
  static constexpr Type kType = Type::StateAppend;
  std::string key;
  Bytes element;
  static auto fields(auto& m) { return std::tie(m.key, m.element); }
  bool operator==(const StateAppend&) const = default;
};

struct StateReadAppended {
  static constexpr Type kType = Type::StateReadAppended;
  std::string key;
  std::uint32_t count = 0;
  static auto fields(auto& m) { return std::tie(m.key, m.count); }
  bool operator==(const StateReadAppended&) const = default;
};

struct StateClearAppended {
  static constexpr Type kType = Type::StateClearAppended;
  std::string key;
  static auto fields(auto& m) { return std::tie(m.key); }
  bool operator==(const StateClearAppended&) const = default;
};

struct StateLock {
  static constexpr Type kType = Type::StateLock;
  std::string key;
  bool exclusive = false;
  static auto fields(auto& m) { return std::tie(m.key, m.exclusive); }
  bool operator==(const StateLock&) const = default;
};

struct StateUnlock {
  static constexpr Type kType = Type::StateUnlock;
  std::string key;
  bool exclusive = false;
  static auto fields(auto& m) { return std::tie(m.key, m.exclusive); }
  bool operator==(const StateUnlock&) const = default;
};

struct StateKeys {
  static constexpr Type kType = Type::StateKeys;
  std::string prefix;
  static auto fields(auto& m) { return std::tie(m.prefix); }
  bool operator==(const StateKeys&) const = default;
};

struct Upload {
  static constexpr Type kType = Type::Upload;
  std::string function;
  Bytes wasm;
  static auto fields(auto& m) { return std::tie(m.function, m.wasm); }
  bool operator==(const Upload&) const = default;
};

// A shared file, faasm://PATH to functions (PATH without the prefix).
struct FileUpload {
  static constexpr Type kType = Type::FileUpload;
  std::string path;
  Bytes data;
  static auto fields(auto& m) { return std::tie(m.path, m.data); }
  bool operator==(const FileUpload&) const = default;
};

struct FileGet {
  static constexpr Type kType = Type::FileGet;
  std::string path;
  static auto fields(auto& m) { return std::tie(m.path); }
  bool operator==(const FileGet&) const = default;
};

// The registered functions, for a command line or an operator's page; browsers load them by name.
struct Functions {
  static constexpr Type kType = Type::Functions;
  static auto fields(auto&) { return std::tie(); }
  bool operator==(const Functions&) const = default;
};

struct Ping {
  static constexpr Type kType = Type::Ping;
  Bytes payload;
  static auto fields(auto& m) { return std::tie(m.payload); }
  bool operator==(const Ping&) const = default;
};

// ---- server → client ----

struct Welcome {
  static constexpr Type kType = Type::Welcome;
  std::uint16_t version = kVersion;
  std::uint64_t session = 0;
  bool resumed = false;
  std::uint32_t max_frame = 0;
  std::uint32_t chunk_size = 0;
  std::uint32_t max_body = 0;
  std::uint32_t workers = 0;
  std::string server;
  static auto fields(auto& m) {
    return std::tie(m.version, m.session, m.resumed, m.max_frame, m.chunk_size, m.max_body, m.workers, m.server);
  }
  bool operator==(const Welcome&) const = default;
};

struct Result {
  static constexpr Type kType = Type::Result;
  std::int32_t return_value = 0;
  CallStatus status = CallStatus::Finished;
  std::string error;
  std::uint32_t queued_us = 0;
  std::uint32_t run_us = 0;
  std::string trace;
  Bytes stdout_bytes;
  Bytes stderr_bytes;
  Bytes output;
  static auto fields(auto& m) {
    return std::tie(m.return_value, m.status, m.error, m.queued_us, m.run_us, m.trace, m.stdout_bytes, m.stderr_bytes,
                    m.output);
  }
  bool operator==(const Result&) const = default;
};

struct Ack {
  static constexpr Type kType = Type::Ack;
  std::uint8_t value = 0;
  static auto fields(auto& m) { return std::tie(m.value); }
  bool operator==(const Ack&) const = default;
};

struct StateSizeIs {
  static constexpr Type kType = Type::StateSizeIs;
  std::uint32_t size = 0;
  static auto fields(auto& m) { return std::tie(m.size); }
  bool operator==(const StateSizeIs&) const = default;
};

struct StateValue {
  static constexpr Type kType = Type::StateValue;
  bool exists = false;
  std::uint32_t size = 0;
  std::uint32_t offset = 0;
  Bytes data;
  static auto fields(auto& m) { return std::tie(m.exists, m.size, m.offset, m.data); }
  bool operator==(const StateValue&) const = default;
};

struct StateAppended {
  static constexpr Type kType = Type::StateAppended;
  std::vector<Bytes> elements;
  static auto fields(auto& m) { return std::tie(m.elements); }
  bool operator==(const StateAppended&) const = default;
};

struct StateKeyList {
  static constexpr Type kType = Type::StateKeyList;
  std::vector<std::string> keys;
  static auto fields(auto& m) { return std::tie(m.keys); }
  bool operator==(const StateKeyList&) const = default;
};

struct Uploaded {
  static constexpr Type kType = Type::Uploaded;
  std::string function;
  std::string sha256;
  std::uint32_t compile_ms = 0;
  static auto fields(auto& m) { return std::tie(m.function, m.sha256, m.compile_ms); }
  bool operator==(const Uploaded&) const = default;
};

struct FileData {
  static constexpr Type kType = Type::FileData;
  bool exists = false;
  Bytes data;
  static auto fields(auto& m) { return std::tie(m.exists, m.data); }
  bool operator==(const FileData&) const = default;
};

struct FunctionEntry {
  std::string name;
  std::string sha256;
  std::uint8_t compile = 0;  // registry::CompileState: 0 compiling, 1 optimising, 2 ready, 3 failed, 4 elsewhere
  static auto fields(auto& m) { return std::tie(m.name, m.sha256, m.compile); }
  bool operator==(const FunctionEntry&) const = default;
};

struct FunctionList {
  static constexpr Type kType = Type::FunctionList;
  std::vector<FunctionEntry> functions;  // by name
  static auto fields(auto& m) { return std::tie(m.functions); }
  bool operator==(const FunctionList&) const = default;
};

struct Pong {
  static constexpr Type kType = Type::Pong;
  Bytes payload;
  static auto fields(auto& m) { return std::tie(m.payload); }
  bool operator==(const Pong&) const = default;
};

// The ERROR message (named apart from gateway::Error, the error value it is usually made from).
struct ErrorReply {
  static constexpr Type kType = Type::Error;
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  static auto fields(auto& m) { return std::tie(m.code, m.message); }
  bool operator==(const ErrorReply&) const = default;
};

using ClientMessage = std::variant<Hello, Invoke, Await, Cancel, StateSize, StatePull, StatePush, StateSet, StateAppend,
                                   StateReadAppended, StateClearAppended, StateLock, StateUnlock, StateKeys, Upload,
                                   FileUpload, FileGet, Functions, Ping>;
using ServerMessage = std::variant<Welcome, Result, Ack, StateSizeIs, StateValue, StateAppended, StateKeyList, Uploaded,
                                   FileData, FunctionList, Pong, ErrorReply>;

}  // namespace faasmjs::gateway::protocol
