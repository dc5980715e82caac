// A stand-in for the gateway's slot that answers every host call with simple in-memory semantics, so that
// functions which chain, await and use state run in the worker without the cluster: one state value and one
// append log per key, locks that are only recorded, and chained calls run when awaited, each on a worker of
// its own one level deeper (the caller's worker is blocked in its await meanwhile). The cluster's own tests
// (tests/gateway/cluster) cover the real host tier and call tree.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/byte_io.h"
#include "worker/run_call.h"
#include "worker_harness.hpp"

namespace faasmjs::gateway::testing {

class GatewayDouble {
 public:
  // `functions`: deployed name → compiled shared object.
  GatewayDouble(std::string worker, std::map<std::string, std::filesystem::path> functions)
      : worker_(std::move(worker)), functions_(std::move(functions)) {}

  worker::RunResult run(const std::string& function, const std::string& input = "", const std::string& cmdline = "") {
    worker::RunRequest request;
    request.shared_object = functions_.at(function).string();
    request.function = function;
    request.user = "test";
    request.cmdline = cmdline;
    request.input.assign(input.begin(), input.end());
    return run_at(0, request);
  }

  std::map<std::string, std::vector<std::uint8_t>> state;
  std::map<std::string, std::vector<std::vector<std::uint8_t>>> appended;
  std::vector<worker::HostCall> asked;  // every host call, in order

 private:
  struct Pending {
    std::string function;
    std::uint32_t func_ptr;
    std::vector<std::uint8_t> input;
  };

  worker::RunResult run_at(std::size_t depth, const worker::RunRequest& request) {
    while (workers_.size() <= depth) workers_.push_back(std::make_unique<WorkerHarness>(worker_));
    return workers_[depth]->run(
        request,
        [&](worker::HostCall kind, ByteReader& in, ByteWriter& out) {
          asked.push_back(kind);
          answer(depth, kind, in, out);
        },
        [&](ByteReader& in) {
          const std::uint32_t id = in.u32();
          std::string function = in.str();
          const std::uint32_t func_ptr = in.u32();
          auto input = in.bytes_copy();
          pending_.emplace(id, Pending{function.empty() ? request.function : function, func_ptr, std::move(input)});
        });
  }

  static void refuse(ByteWriter& out, const std::string& why) {
    out.u8(0);
    out.str(why);
  }

  // The value of `key`, created with `size` zero bytes when new (as Faasm's get-or-create with a size).
  std::vector<std::uint8_t>& value(const std::string& key, std::uint32_t size) {
    auto [it, created] = state.try_emplace(key);
    if (created) it->second.resize(size);
    return it->second;
  }

  void answer(std::size_t depth, worker::HostCall kind, ByteReader& in, ByteWriter& out) {
    using worker::HostCall;
    switch (kind) {
      case HostCall::ChainIds: {
        const std::uint32_t wanted = in.u32();
        out.u8(1);
        out.u32(next_id_);
        out.u32(wanted);
        next_id_ += wanted;
        return;
      }
      case HostCall::Await: {
        const std::uint32_t id = in.u32();
        const bool want_output = in.u8() != 0;
        auto found = pending_.find(id);
        if (found == pending_.end()) return refuse(out, "no call " + std::to_string(id) + " to await");
        const Pending call = found->second;
        pending_.erase(found);
        out.u8(1);
        if (!functions_.contains(call.function)) {
          out.i32(1);
          if (want_output) out.bytes(std::string("function ") + call.function + " is not deployed");
          out.u32(0);  // no other finished calls to pass on: chained calls run only when awaited
          return;
        }
        worker::RunRequest chained;
        chained.shared_object = functions_.at(call.function).string();
        chained.function = call.function;
        chained.user = "test";
        chained.func_ptr = call.func_ptr;
        chained.input = call.input;
        const auto result = run_at(depth + 1, chained);
        out.i32(result.return_value);
        if (want_output) out.bytes(result.output);
        out.u32(0);
        return;
      }
      case HostCall::StateSize: {
        auto found = state.find(in.str());
        out.u8(1);
        out.u32(found == state.end() ? 0 : static_cast<std::uint32_t>(found->second.size()));
        return;
      }
      case HostCall::StateRead: {
        const std::string key = in.str();
        const auto& bytes = value(key, in.u32());
        out.u8(1);
        out.bytes(bytes);
        return;
      }
      case HostCall::StateReadRange: {
        const std::string key = in.str();
        const std::uint32_t total = in.u32(), offset = in.u32(), length = in.u32();
        const auto& bytes = value(key, total);
        if (std::uint64_t{offset} + length > bytes.size()) return refuse(out, "chunk outside '" + key + "'");
        out.u8(1);
        out.bytes(std::span(bytes).subspan(offset, length));
        return;
      }
      case HostCall::StateWrite: {
        const std::string key = in.str();
        state[key] = in.bytes_copy();
        out.u8(1);
        return;
      }
      case HostCall::StateWriteRange:
      case HostCall::StatePublish: {
        const std::string key = in.str();
        const std::uint32_t total = in.u32(), offset = in.u32();
        const auto data = in.bytes();
        auto& bytes = value(key, total);
        if (std::uint64_t{offset} + data.size() > bytes.size()) return refuse(out, "chunk outside '" + key + "'");
        std::copy(data.begin(), data.end(), bytes.begin() + offset);
        out.u8(1);
        return;
      }
      // One tier: dirty flags, pushes and pulls have nothing to move.
      case HostCall::StateFlagDirty:
      case HostCall::StatePush:
      case HostCall::StatePushPartial:
      case HostCall::StatePushPartialMask:
      case HostCall::StatePull:
        out.u8(1);
        return;
      case HostCall::StateAppend: {
        const std::string key = in.str();
        appended[key].push_back(in.bytes_copy());
        out.u8(1);
        return;
      }
      case HostCall::StateReadAppended: {
        const std::string key = in.str();
        const std::uint32_t count = in.u32();
        const auto& log = appended[key];
        if (count > log.size())
          return refuse(out, "'" + key + "' has only " + std::to_string(log.size()) + " elements");
        out.u8(1);
        out.u32(count);
        for (std::uint32_t i = 0; i < count; ++i) out.bytes(log[i]);
        return;
      }
      case HostCall::StateClearAppended:
        appended.erase(in.str());
        out.u8(1);
        return;
      case HostCall::StateLock: {
        const std::string key = in.str();
        locks_.insert(key + (in.u8() ? "/write" : "/read"));
        out.u8(1);
        return;
      }
      case HostCall::StateUnlock: {
        const std::string key = in.str();
        const bool released = locks_.erase(key + (in.u8() ? "/write" : "/read")) == 1;
        out.u8(1);
        out.u8(released ? 1 : 0);
        return;
      }
      // This double keeps no shared files: a call opening faasm:// is refused (files_test.cpp answers them).
      case HostCall::SharedFileRead:
      case HostCall::SharedFileWrite:
      case HostCall::SharedFileDelete:
        break;
    }
    refuse(out, "unknown host call " + std::to_string(static_cast<int>(kind)));
  }

  std::string worker_;
  std::map<std::string, std::filesystem::path> functions_;
  std::vector<std::unique_ptr<WorkerHarness>> workers_;  // one per depth of the call tree
  std::map<std::uint32_t, Pending> pending_;
  std::uint32_t next_id_ = 1;
  std::set<std::string> locks_;
};

}  // namespace faasmjs::gateway::testing
