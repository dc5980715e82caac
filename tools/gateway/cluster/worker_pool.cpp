#include "cluster/worker_pool.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "cluster/call_trace.h"
#include "cluster/worker_process.h"
#include "common/byte_io.h"

namespace faasmjs::gateway {

std::uint64_t new_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

}  // namespace faasmjs::gateway

namespace faasmjs::gateway::cluster {

namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;
using worker::HostCall;

std::uint32_t micros(Clock::duration d) {
  return static_cast<std::uint32_t>(std::min<long long>(
      std::chrono::duration_cast<std::chrono::microseconds>(d).count(), 0xFFFFFFFFll));
}

struct CallRecord;

// The calls of one tree (a top-level call and everything it chained, transitively): the ids its guests see.
struct Tree {
  std::uint32_t next_id = 0;
  std::map<std::uint32_t, std::weak_ptr<CallRecord>> calls;
};

struct CallRecord {
  CallId id = new_id();
  state::LockOwner lock_owner = new_id() | (1ull << 63);
  std::uint32_t tree_id = 0;
  CallRequest request;
  CallDone done;
  std::shared_ptr<Tree> tree;
  std::weak_ptr<CallRecord> parent;
  std::vector<std::shared_ptr<CallRecord>> children;
  Clock::time_point submitted = Clock::now();
  Clock::time_point started{};
  Clock::duration executed{};
  pid_t worker = 0;
  bool queued = false;
  bool function_done = false;
  bool finished = false;
  bool cancelled = false;
  std::size_t pending_children = 0;
  CallResult result;
  std::string warnings;  // host-side notes for the call's stderr (an await of an unknown id)
  std::string trace_json;
};

using Record = std::shared_ptr<CallRecord>;

class Pool final : public Cluster {
 public:
  explicit Pool(ClusterOptions options) : options_(std::move(options)) {
    workers_ = options_.limits.workers != 0 ? options_.limits.workers
                                            : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  }

  ~Pool() override {
    std::vector<Record> live;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (auto& [id, weak] : all_) {
        if (auto record = weak.lock()) live.push_back(record);
      }
    }
    for (auto& record : live) cancel(record->id);
    changed_.notify_all();
    for (auto& slot : slots_) slot.join();
  }

  Expected<CallId> submit(CallRequest request, CallDone done) override {
    if (options_.registry.find(request.function) == nullptr) {
      return fail(ErrorCode::UnknownFunction, "no function named '" + request.function + "' is registered");
    }
    auto record = std::make_shared<CallRecord>();
    record->request = std::move(request);
    record->done = std::move(done);
    record->tree = std::make_shared<Tree>();
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(ErrorCode::Internal, "the cluster is shutting down");
    all_[record->id] = record;
    enqueue(record);
    return record->id;
  }

  bool cancel(CallId id) override {
    std::vector<CallDone> callbacks;
    std::vector<std::pair<CallDone, CallResult>> finished;
    {
      std::lock_guard lock(mutex_);
      auto found = all_.find(id);
      if (found == all_.end()) return false;
      auto record = found->second.lock();
      if (!record || record->finished) return false;
      cancel_subtree(record, finished);
    }
    for (auto& [done, result] : finished) done(std::move(result));
    changed_.notify_all();
    return true;
  }

  std::size_t workers() const override { return workers_; }

 private:
  // --- scheduling (all under mutex_) ---

  void enqueue(const Record& record) {
    record->queued = true;
    queue_.push_back(record);
    spawn_slot_if_needed();
    changed_.notify_all();
  }

  // A slot without a run token could not start anything: slots (and their processes) are made only for calls
  // that can run now, so a burst of 2000 calls makes no more slots than there are tokens.
  void spawn_slot_if_needed() {
    if (idle_slots_ == 0 && !queue_.empty() && running_ < workers_ && slots_.size() < options_.max_processes &&
        !stopping_) {
      ++idle_slots_;  // counted idle from birth, so that a burst of submissions makes one slot, not many
      slots_.emplace_back([this] { slot_loop(); });
    }
  }

  // Takes a run token: a resuming call goes before any new one.
  void acquire_token(std::unique_lock<std::mutex>& lock) {
    ++resuming_;
    changed_.wait(lock, [&] { return running_ < workers_ || stopping_; });
    --resuming_;
    ++running_;
  }

  void release_token() {
    --running_;
    changed_.notify_all();
  }

  void slot_loop() {
    std::optional<WorkerProcess> process;
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return stopping_ || (!queue_.empty() && running_ < workers_ && resuming_ == 0); });
      if (stopping_) break;
      Record record = queue_.front();
      queue_.pop_front();
      record->queued = false;
      --idle_slots_;
      ++running_;
      spawn_slot_if_needed();
      run(record, process, lock);
      ++idle_slots_;
    }
    --idle_slots_;
  }

  // --- running one call (the slot's thread; `lock` held on entry and exit) ---

  void run(const Record& record, std::optional<WorkerProcess>& process, std::unique_lock<std::mutex>& lock) {
    record->started = Clock::now();
    CallResult result = execute(record, process, lock);
    release_token();
    result.stderr_text += record->warnings;
    const std::size_t held = options_.locks.release_all(record->lock_owner);
    if (held > 0) {
      result.stderr_text += "faasm.js: " + record->request.function + " ended holding " + std::to_string(held) +
                            " state lock(s); released\n";
    }
    record->result = std::move(result);
    record->function_done = true;
    std::vector<std::pair<CallDone, CallResult>> finished;
    maybe_finish(record, finished);
    lock.unlock();
    for (auto& [done, res] : finished) done(std::move(res));
    lock.lock();
  }

  static CallResult failed(CallStatus status, std::string error) {
    CallResult result;
    result.return_value = 1;
    result.status = status;
    result.error = std::move(error);
    return result;
  }

  CallResult execute(const Record& record, std::optional<WorkerProcess>& process, std::unique_lock<std::mutex>& lock) {
    const std::string& name = record->request.function;
    if (record->cancelled) return failed(CallStatus::Cancelled, name + " was cancelled");
    lock.unlock();
    auto function = options_.registry.find(name);
    auto module = function ? function->wait_ready()
                           : Expected<aot::CompiledModule>(fail(ErrorCode::UnknownFunction, "no function named '" + name + "' is registered"));
    if (!module) {
      lock.lock();
      return failed(CallStatus::Failed, name + ": " + module.error().message);
    }
    if (!process) {
      auto started = WorkerProcess::start(options_.worker_binary);
      if (!started) {
        lock.lock();
        return failed(CallStatus::Failed, name + ": " + started.error().message);
      }
      process.emplace(std::move(*started));
    }
    Bytes run;
    ByteWriter out(run);
    out.str(module->shared_object.string());
    out.str(name);
    out.str(record->request.user);
    out.u32(record->request.func_ptr);
    out.str(record->request.cmdline);
    out.u64(options_.limits.memory_limit_bytes);
    out.bytes(record->request.input);
    lock.lock();
    if (record->cancelled) return failed(CallStatus::Cancelled, name + " was cancelled");
    record->worker = process->pid();
    running_in_[record->id] = process->pid();
    lock.unlock();
    const auto budget = timeout_of(record->request);
    CallResult result;
    if (!worker::send_message(process->channel(), worker::Op::Run, run)) {
      result = lost_worker(record, process, lock);
    } else {
      result = converse(record, process, budget, lock);
    }
    if (!lock.owns_lock()) lock.lock();
    running_in_.erase(record->id);
    return result;
  }

  std::chrono::milliseconds timeout_of(const CallRequest& request) const {
    const auto asked = request.timeout.count() > 0 ? request.timeout : options_.limits.default_timeout;
    return std::min(asked, options_.limits.max_timeout);
  }

  // The worker is gone: cancelled (we killed it), or it died.
  CallResult lost_worker(const Record& record, std::optional<WorkerProcess>& process, std::unique_lock<std::mutex>& lock) {
    const std::string how = process->reap();
    process.reset();
    if (!lock.owns_lock()) lock.lock();
    const std::string& name = record->request.function;
    if (record->cancelled) return failed(CallStatus::Cancelled, name + " was cancelled");
    return failed(CallStatus::Crashed, name + ": its worker process died (" + how + ")");
  }

  // The call's messages until its RESULT. Unlocked, but for waits and bookkeeping.
  CallResult converse(const Record& record, std::optional<WorkerProcess>& process, std::chrono::milliseconds budget,
                      std::unique_lock<std::mutex>& lock) {
    const std::string& name = record->request.function;
    for (;;) {
      const auto started = Clock::now();
      const auto deadline = started + (budget - std::chrono::duration_cast<std::chrono::milliseconds>(record->executed));
      bool timed_out = false;
      auto message = process->receive(deadline, timed_out);
      record->executed += Clock::now() - started;
      if (timed_out) {
        process->kill_and_reap();
        process.reset();
        lock.lock();
        return failed(CallStatus::TimedOut, name + " exceeded its time limit of " + std::to_string(budget.count()) + " ms");
      }
      if (!message) return lost_worker(record, process, lock);
      ByteReader in(message->body);
      if (message->op == worker::Op::Result) {
        CallResult result;
        result.return_value = in.i32();
        result.status = static_cast<CallStatus>(in.u8());
        result.error = in.str();
        auto out = in.bytes();
        result.stdout_text.assign(out.begin(), out.end());
        auto err = in.bytes();
        result.stderr_text.assign(err.begin(), err.end());
        result.output = in.bytes_copy();
        lock.lock();
        return result;
      }
      if (message->op != worker::Op::HostCall) {
        process->kill_and_reap();
        process.reset();
        lock.lock();
        return failed(CallStatus::Crashed, name + ": its worker broke the protocol");
      }
      Bytes reply;
      ByteWriter writer(reply);
      serve_host_call(record, in, writer, lock);
      if (!worker::send_message(process->channel(), worker::Op::Reply, reply)) return lost_worker(record, process, lock);
    }
  }

  // --- host calls ---

  std::string global_key(const Record& record, const std::string& key) const {
    return record->request.user + "_" + key;
  }

  void serve_host_call(const Record& record, ByteReader& in, ByteWriter& out, std::unique_lock<std::mutex>& lock) {
    const auto kind = static_cast<HostCall>(in.u8());
    auto ok = [&] { out.u8(1); };
    auto refuse = [&](const std::string& message) { out.u8(0), out.str(message); };
    auto answer = [&](const Expected<void>& done) { done ? ok() : refuse(done.error().message); };
    switch (kind) {
      case HostCall::Chain: {
        std::string function = in.str();
        const std::uint32_t func_ptr = in.u32();
        Bytes input = in.bytes_copy();
        ok();
        out.u32(chain(record, function.empty() ? record->request.function : function, func_ptr, std::move(input), lock));
        return;
      }
      case HostCall::Await: {
        const std::uint32_t id = in.u32();
        const bool want_output = in.u8() != 0;
        await(record, id, want_output, out, lock);
        return;
      }
      case HostCall::StateSize: {
        const auto size = options_.host_tier.size(global_key(record, in.str()));
        ok();
        out.u32(size);
        return;
      }
      case HostCall::StateRead: {
        const std::string key = in.str();
        auto value = options_.host_tier.read(global_key(record, key), in.u32());
        if (!value) return refuse(value.error().message);
        ok();
        out.bytes(*value);
        return;
      }
      case HostCall::StateReadRange: {
        const std::string key = in.str();
        const auto total = in.u32(), offset = in.u32(), length = in.u32();
        auto chunk = options_.host_tier.read_range(global_key(record, key), total, offset, length);
        if (!chunk) return refuse(chunk.error().message);
        ok();
        out.bytes(*chunk);
        return;
      }
      case HostCall::StateWrite: {
        const std::string key = in.str();
        return answer(options_.host_tier.write(global_key(record, key), in.bytes_copy()));
      }
      case HostCall::StateWriteRange:
      case HostCall::StatePublish: {
        const std::string key = in.str();
        const auto total = in.u32(), offset = in.u32();
        auto bytes = in.bytes_copy();
        return answer(kind == HostCall::StatePublish
                          ? options_.host_tier.publish(global_key(record, key), total, offset, std::move(bytes))
                          : options_.host_tier.write_range(global_key(record, key), total, offset, std::move(bytes)));
      }
      case HostCall::StateFlagDirty: {
        const std::string key = in.str();
        const auto total = in.u32(), offset = in.u32(), length = in.u32();
        return answer(options_.host_tier.flag_dirty(global_key(record, key), total, offset, length));
      }
      case HostCall::StatePush: return answer(options_.host_tier.push(global_key(record, in.str())));
      case HostCall::StatePushPartial: return answer(options_.host_tier.push_partial(global_key(record, in.str())));
      case HostCall::StatePushPartialMask: {
        const std::string key = in.str();
        return answer(options_.host_tier.push_partial_mask(global_key(record, key), global_key(record, in.str())));
      }
      case HostCall::StatePull: {
        const std::string key = in.str();
        return answer(options_.host_tier.pull(global_key(record, key), in.u32()));
      }
      case HostCall::StateAppend: {
        const std::string key = in.str();
        return answer(options_.global.append(global_key(record, key), in.bytes_copy()));
      }
      case HostCall::StateReadAppended: {
        const std::string key = in.str();
        auto elements = options_.global.read_appended(global_key(record, key), in.u32());
        ok();
        out.u32(static_cast<std::uint32_t>(elements.size()));
        for (const auto& element : elements) out.bytes(element);
        return;
      }
      case HostCall::StateClearAppended: return answer(options_.global.clear_appended(global_key(record, in.str())));
      case HostCall::StateLock: {
        const std::string key = in.str();
        const bool exclusive = in.u8() != 0;
        if (!wait_for_lock(record, global_key(record, key), exclusive, lock)) {
          return refuse(record->request.function + " was cancelled while waiting for a lock");
        }
        ok();
        return;
      }
      case HostCall::StateUnlock: {
        const std::string key = in.str();
        const bool exclusive = in.u8() != 0;
        ok();
        out.u8(options_.locks.unlock(global_key(record, key), exclusive, record->lock_owner) ? 1 : 0);
        return;
      }
    }
    refuse("unknown host call " + std::to_string(static_cast<int>(kind)));
  }

  std::uint32_t chain(const Record& parent, std::string function, std::uint32_t func_ptr, Bytes input,
                      std::unique_lock<std::mutex>& lock) {
    auto child = std::make_shared<CallRecord>();
    child->request = CallRequest{parent->request.user, std::move(function), func_ptr, std::move(input),
                                 parent->request.cmdline, parent->request.timeout};
    child->parent = parent;
    child->tree = parent->tree;
    const bool known = options_.registry.find(child->request.function) != nullptr;
    std::vector<std::pair<CallDone, CallResult>> finished;
    lock.lock();
    child->tree_id = ++child->tree->next_id;
    child->tree->calls[child->tree_id] = child;
    parent->children.push_back(child);
    ++parent->pending_children;
    all_[child->id] = child;
    if (parent->cancelled) {
      child->cancelled = true;
      child->result = failed(CallStatus::Cancelled, child->request.function + " was cancelled");
      child->function_done = true;
      maybe_finish(child, finished);
    } else if (!known) {
      // As the browser reports a chained call that cannot start, and Faasm's await then returns 1.
      child->result = failed(CallStatus::Failed, "chained call " + std::to_string(child->tree_id) + " (" +
                                                     child->request.function + ") failed: no function named '" +
                                                     child->request.function + "' is registered");
      child->function_done = true;
      maybe_finish(child, finished);
    } else {
      enqueue(child);
    }
    const std::uint32_t id = child->tree_id;
    lock.unlock();
    for (auto& [done, result] : finished) done(std::move(result));
    return id;
  }

  void await(const Record& record, std::uint32_t id, bool want_output, ByteWriter& out,
             std::unique_lock<std::mutex>& lock) {
    lock.lock();
    auto found = record->tree->calls.find(id);
    Record callee = found == record->tree->calls.end() ? nullptr : found->second.lock();
    if (!callee || callee == record) {
      lock.unlock();
      record->warnings += "faasm.js: await of unknown call id " + std::to_string(id) +
                          " (returns 1, as Faasm does on error)\n";
      out.u8(1);
      out.i32(1);
      if (want_output) out.bytes(Bytes());
      return;
    }
    wait_releasing_token(lock, [&] { return callee->finished || record->cancelled; });
    if (record->cancelled && !callee->finished) {
      lock.unlock();
      out.u8(0);
      out.str(record->request.function + " was cancelled while awaiting call " + std::to_string(id));
      return;
    }
    const std::int32_t return_value = callee->result.return_value;
    Bytes output = want_output ? callee->result.output : Bytes();
    lock.unlock();
    out.u8(1);
    out.i32(return_value);
    if (want_output) out.bytes(output);
  }

  bool wait_for_lock(const Record& record, const std::string& key, bool exclusive, std::unique_lock<std::mutex>& lock) {
    auto granted = std::make_shared<bool>(false);
    options_.locks.lock(key, exclusive, record->lock_owner, [this, granted] {
      std::lock_guard guard(mutex_);
      *granted = true;
      changed_.notify_all();
    });
    lock.lock();
    wait_releasing_token(lock, [&] { return *granted || record->cancelled; });
    const bool got = *granted;
    lock.unlock();
    return got;
  }

  // Waits (lock held) for `ready`, without a run token meanwhile; the time waited is not execution time.
  template <class Ready>
  void wait_releasing_token(std::unique_lock<std::mutex>& lock, Ready ready) {
    if (ready()) return;
    release_token();
    spawn_slot_if_needed();
    changed_.wait(lock, [&] { return ready() || stopping_; });
    acquire_token(lock);
  }

  // --- finishing and cancelling (under mutex_) ---

  void maybe_finish(const Record& record, std::vector<std::pair<CallDone, CallResult>>& finished) {
    if (record->finished || !record->function_done || record->pending_children > 0) return;
    record->finished = true;
    const auto queued = (record->started == Clock::time_point{} ? Clock::now() : record->started) - record->submitted;
    record->result.queued_us = micros(queued);
    record->result.run_us = micros(record->executed);
    std::vector<std::string> chained;
    for (const auto& child : record->children) chained.push_back(child->trace_json);
    record->trace_json = trace_json(TraceFields{record->request.function, record->tree_id, record->worker,
                                                record->result.queued_us, record->result.run_us,
                                                record->result.return_value, record->result.status, record->result.error},
                                    chained);
    record->result.trace_json = record->trace_json;
    all_.erase(record->id);
    changed_.notify_all();
    if (record->done) finished.emplace_back(std::move(record->done), record->result);
    if (auto parent = record->parent.lock()) {
      --parent->pending_children;
      maybe_finish(parent, finished);
    }
  }

  void cancel_subtree(const Record& record, std::vector<std::pair<CallDone, CallResult>>& finished) {
    if (record->finished) return;
    record->cancelled = true;
    for (const auto& child : record->children) cancel_subtree(child, finished);
    if (record->queued) {
      std::erase(queue_, record);
      record->queued = false;
      record->result = failed(CallStatus::Cancelled, record->request.function + " was cancelled");
      record->function_done = true;
      maybe_finish(record, finished);
    } else if (auto running = running_in_.find(record->id); running != running_in_.end()) {
      ::kill(running->second, SIGKILL);
    }
  }

  ClusterOptions options_;
  std::size_t workers_ = 1;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Record> queue_;
  std::map<CallId, std::weak_ptr<CallRecord>> all_;
  std::map<CallId, pid_t> running_in_;
  std::vector<std::thread> slots_;
  std::size_t idle_slots_ = 0;
  std::size_t running_ = 0;
  std::size_t resuming_ = 0;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<Cluster> create_cluster(ClusterOptions options) { return std::make_unique<Pool>(std::move(options)); }

}  // namespace faasmjs::gateway::cluster
