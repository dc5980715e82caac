#include "cluster/worker_pool.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cluster/run_tokens.h"
#include "cluster/worker_process.h"
#include "common/byte_io.h"
#include "common/call_trace.h"

namespace faasmjs::gateway::cluster {

namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;
using worker::HostCall;

// How an Await gathers its caller's finished calls (Pool::await).
constexpr std::size_t kGatherCalls = 256;
constexpr auto kGatherWait = std::chrono::milliseconds(1);
// How many calls a slot sends ahead to its worker, behind the running one (Pool::send_behind).
constexpr std::size_t kPipelined = 8;

std::uint32_t micros(Clock::duration d) {
  return static_cast<std::uint32_t>(
      std::min<long long>(std::chrono::duration_cast<std::chrono::microseconds>(d).count(), 0xFFFFFFFFll));
}

struct CallRecord;

// The calls of one tree (a top-level call and everything it chained, transitively): the ids its guests see.
struct Tree {
  Clock::time_point submitted;  // its top-level call's submission: where the timeline of its calls starts
  std::uint32_t next_id = 0;    // the last id leased
  std::size_t leased = 0;       // ids leased to its calls, chained or not yet: what counts against the tree limit
  std::map<std::uint32_t, std::weak_ptr<CallRecord>> calls;
};

// Ownership: the pool's `all_` holds every unfinished call; a parent holds its children (their traces and
// results are read when it finishes and when it awaits them); a child points back weakly.
struct CallRecord {
  CallId id = new_id();
  state::LockOwner lock_owner = new_id();
  std::uint32_t tree_id = 0;
  std::size_t depth = 0;  // 0 for a top-level call
  CallRequest request;
  CallDone done;
  std::shared_ptr<Tree> tree;
  std::weak_ptr<CallRecord> parent;
  std::vector<std::shared_ptr<CallRecord>> children;
  // Its lease of tree ids (worker_protocol.h, ChainIds): the next CHAIN must name lease_next, below lease_end.
  std::uint32_t lease_next = 0;
  std::uint32_t lease_end = 0;
  // Its chained calls that finished since its worker last heard: passed on with its next Await's REPLY.
  std::vector<std::shared_ptr<CallRecord>> unreported;
  bool awaited = false;    // a call waits for it to finish (only then does its finishing wake anyone)
  bool gathering = false;  // it waits, its awaited call finished, for more of its chained calls to pass on
  // Pipelining (Pool::send_behind): the call whose RUN was sent to this call's worker behind it, to start
  // there the moment this one's RESULT leaves; and, on that one, that its RUN is out.
  std::shared_ptr<CallRecord> behind;
  bool run_sent = false;
  Clock::time_point submitted = Clock::now();
  Clock::time_point started{};
  Clock::duration executed{};
  pid_t worker = 0;
  bool reset_instance = false;  // its worker ran it on a kept instance (worker/warm_instances.h)
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
using Finished = std::vector<std::pair<CallDone, CallResult>>;

CallResult failed(CallStatus status, std::string error) {
  CallResult result;
  result.return_value = 1;
  result.status = status;
  result.error = std::move(error);
  return result;
}

CallResult cancelled_result(const CallRecord& record) {
  return failed(CallStatus::Cancelled, record.request.function + " was cancelled");
}

void deliver(Finished& finished) {
  for (auto& [done, result] : finished) done(std::move(result));
}

class Pool final : public Backend {
 public:
  explicit Pool(ClusterOptions options)
      : options_(std::move(options)),
        tokens_(options_.limits.workers != 0 ? options_.limits.workers
                                             : std::max<std::size_t>(1, std::thread::hardware_concurrency())),
        max_processes_(std::max(options_.max_processes, tokens_.count())) {}

  ~Pool() override {
    std::vector<CallId> live;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (const auto& [id, record] : all_) live.push_back(id);
    }
    for (const CallId id : live) cancel(id);
    std::list<std::thread> threads;
    {
      // Once stopping_ is set no slot is made and none retires, so these lists no longer change.
      std::lock_guard lock(mutex_);
      threads.splice(threads.end(), slots_);
      threads.splice(threads.end(), retired_);
    }
    changed_.notify_all();
    work_.notify_all();
    for (auto& thread : threads) thread.join();
  }

  Expected<CallId> submit(CallRequest request, CallDone done) override {
    const auto function = options_.registry.find(request.function);
    if (function == nullptr) {
      return fail(ErrorCode::UnknownFunction, "no function named '" + request.function + "' is registered");
    }
    if (auto mismatch = version_mismatch(request, function->sha256())) {
      return fail(ErrorCode::VersionMismatch, *mismatch);
    }
    auto record = std::make_shared<CallRecord>();
    record->request = std::move(request);
    record->done = std::move(done);
    record->tree = std::make_shared<Tree>();
    record->tree->submitted = record->submitted;
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(ErrorCode::Internal, "the cluster is shutting down");
    auto& of_user = user_calls_[record->request.user];
    if (of_user >= options_.limits.max_user_calls) {
      return fail(ErrorCode::LimitExceeded, "user '" + record->request.user + "' has " + std::to_string(of_user) +
                                                " calls running or queued, the limit (--max-user-calls)");
    }
    ++of_user;
    all_[record->id] = record;
    enqueue(record);
    return record->id;
  }

  bool cancel(CallId id) override {
    Finished finished;
    {
      std::lock_guard lock(mutex_);
      auto found = all_.find(id);
      if (found == all_.end()) return false;
      const Record record = found->second;  // finishing erases it from all_ while cancel_subtree still runs
      cancel_subtree(record, finished);
    }
    changed_.notify_all();
    deliver(finished);
    return true;
  }

  std::size_t workers() const override { return tokens_.count(); }
  // The registry compiles what the workers run; nothing is kept here.
  Expected<void> accept_upload(std::string_view, std::string_view, std::span<const std::uint8_t>) override {
    return {};
  }
  Expected<void> put_shared_file(std::string_view path, std::span<const std::uint8_t> data) override {
    return options_.shared_files.put(path, data);
  }
  Expected<std::optional<Bytes>> get_shared_file(std::string_view path) override {
    return options_.shared_files.get(path);
  }

 private:
  // --- slots (all under mutex_) ---
  //
  // A slot is a thread owning one worker process (started on its first call, replaced after it died). The
  // process cap counts the slots whose call is not waiting for another call or a lock: a waiting call keeps
  // its process (its instance lives there), and counting it could leave every slot waiting on calls that no
  // slot may run (a chain deeper than the cap). So a queued call always finds a slot, or a slot that will
  // free up without waiting for anything. Slots beyond the cap retire when idle.

  void enqueue(const Record& record) {
    record->queued = true;
    queue_.push_back(record);
    spawn_slot_if_needed();
    work_.notify_one();
  }

  std::size_t unblocked_slots() const { return slots_.size() - waiting_slots_; }

  // Slots are made only for calls that can start now (a token is free), so a burst of calls makes no more
  // processes than there are tokens. Every place that frees a token either makes its own slot idle or
  // calls this.
  void spawn_slot_if_needed() {
    if (stopping_ || queue_.empty() || idle_slots_ > 0 || !tokens_.free_for_new_call() ||
        unblocked_slots() >= max_processes_) {
      return;
    }
    ++idle_slots_;  // counted idle from birth, so that a burst of submissions makes one slot, not many
    auto self = slots_.emplace(slots_.end());
    // The new thread takes mutex_ first thing, so it sees `*self` assigned.
    *self = std::thread([this, self] { slot_loop(self); });
  }

  void slot_loop(std::list<std::thread>::iterator self) {
    std::optional<WorkerProcess> process;
    std::unique_lock lock(mutex_);
    for (;;) {
      join_retired(lock);
      const bool woken = work_.wait_for(lock, options_.idle_retire, [&] {
        return stopping_ || (!queue_.empty() && tokens_.free_for_new_call()) || unblocked_slots() > max_processes_;
      });
      if (stopping_) break;
      // Idle for idle_retire: beyond one process per token (what a burst or waiting calls left), it goes.
      const bool surplus = !woken && slots_.size() > tokens_.count();
      if (!woken && !surplus) continue;
      if (surplus || queue_.empty() || !tokens_.free_for_new_call()) {
        // Or above the cap once waiting calls went on: this idle slot and its process go.
        --idle_slots_;
        retired_.splice(retired_.end(), slots_, self);
        lock.unlock();
        return;  // `process` kills its worker on the way out
      }
      Record record = queue_.front();
      queue_.pop_front();
      record->queued = false;
      --idle_slots_;
      tokens_.take_for_new_call();
      spawn_slot_if_needed();
      Finished finished = run(record, process, lock);
      // The call sent behind it is running already: it takes over the token.
      while (Record next = std::exchange(record->behind, nullptr)) {
        lock.unlock();
        deliver(finished);
        lock.lock();
        record = next;
        finished = run(record, process, lock);
      }
      // Idle before the result leaves: a caller that submits its next call the moment it has this one's
      // finds this slot (and its warm process) instead of making another.
      ++idle_slots_;
      lock.unlock();
      deliver(finished);
      lock.lock();
    }
    --idle_slots_;
  }

  // A token freed wakes one idle slot for a queued call, and every call waiting to resume (one of them gets it).
  void give_back_token() {
    tokens_.give_back(changed_);
    work_.notify_one();
  }

  // A call resuming takes a token ahead of new calls: once it has, a new call may start if one is still free.
  void take_token_to_resume(std::unique_lock<std::mutex>& lock) {
    tokens_.take_to_resume(lock, changed_, [this] { return stopping_; });
    if (tokens_.free_for_new_call()) work_.notify_one();
  }

  // Retired slots' threads have nothing left to do under mutex_: joined here with it released.
  void join_retired(std::unique_lock<std::mutex>& lock) {
    if (retired_.empty()) return;
    std::list<std::thread> done;
    done.splice(done.end(), retired_);
    lock.unlock();
    for (auto& thread : done) thread.join();
    lock.lock();
  }

  // --- running one call (the slot's thread; `lock` held on entry and exit) ---

  // Runs the call to its end; what finished with it is returned, delivered by the caller outside mutex_.
  Finished run(const Record& record, std::optional<WorkerProcess>& process, std::unique_lock<std::mutex>& lock) {
    record->started = Clock::now();
    CallResult result = execute(record, process, lock);
    return_lease(record);
    record->unreported.clear();
    // The call sent behind it runs next in the same process, or, when that process is gone, goes back.
    Finished finished;
    if (!process) requeue_behind(record, finished);
    if (!record->behind) give_back_token();
    // Outside mutex_: releasing grants the lock to a waiter, whose callback takes mutex_.
    lock.unlock();
    const std::size_t held = options_.locks.release_all(record->lock_owner);
    lock.lock();
    result.stderr_text += record->warnings;
    if (held > 0) {
      // As the browser does (sdk/js/state/local-tier.js): the holds go, with a warning in the call's stderr.
      result.stderr_text += "faasm.js: " + record->request.function + " ended holding " + std::to_string(held) +
                            " state lock(s) (released)\n";
    }
    record->result = std::move(result);
    record->function_done = true;
    maybe_finish(record, finished);
    return finished;
  }

  // A call sent behind another that will not run there goes back to the front of the queue (under mutex_); a
  // call cancelled meanwhile ends, as a queued one does.
  void requeue(const Record& record, Finished& finished) {
    record->run_sent = false;
    if (record->cancelled) {
      record->result = cancelled_result(*record);
      record->function_done = true;
      maybe_finish(record, finished);
      return;
    }
    record->queued = true;
    queue_.push_front(record);
    spawn_slot_if_needed();
    work_.notify_one();
  }

  // The calls sent behind `record` go back to the queue's front, in their order (under mutex_).
  void requeue_behind(const Record& record, Finished& finished) {
    std::vector<Record> sent;
    for (Record next = std::exchange(record->behind, nullptr); next; next = std::exchange(next->behind, nullptr)) {
      sent.push_back(next);
    }
    for (auto at = sent.rbegin(); at != sent.rend(); ++at) requeue(*at, finished);
  }

  // Pipelining (lock held on entry and exit). When every token is taken, so that no other slot could start the
  // queue's next calls now, up to kPipelined of them follow the running call's RUN to this worker, each
  // `behind` the one before: the worker starts each the moment it has sent the RESULT of the one ahead,
  // without a round trip through this thread between them. Only a compiled function's call goes so. A call
  // whose RUN was sent has not started until the ones ahead of it returned: if the running one makes a host
  // call (it might wait, on a chain of its own or a lock), the worker drops the RUNs it receives while it
  // waits for the REPLY (gateway_link.cpp) and those calls go back to the queue (converse); if its process
  // ends, they go back too (run).
  void send_behind(const Record& record, WorkerProcess& process, std::unique_lock<std::mutex>& lock) {
    Record last = record;
    std::size_t ahead = 0;
    for (; last->behind; last = last->behind) ++ahead;
    while (ahead < kPipelined && !queue_.empty() && !tokens_.free_for_new_call() && !queue_.front()->cancelled) {
      Record next = queue_.front();
      queue_.pop_front();
      next->queued = false;
      next->run_sent = true;
      last->behind = next;
      lock.unlock();
      auto function = options_.registry.find(next->request.function);
      lock.lock();
      bool sent = function && compiled_.contains(function->sha256());
      if (sent) {
        lock.unlock();
        auto module = function->wait_ready();
        sent = module && process.channel().send(worker::Op::Run, run_body(*next, *module));
        lock.lock();
      }
      if (!sent) {
        Finished finished;
        requeue(std::exchange(last->behind, nullptr), finished);
        lock.unlock();
        deliver(finished);
        lock.lock();
        return;
      }
      last = next;
      ++ahead;
    }
  }

  Bytes run_body(const CallRecord& record, const aot::CompiledModule& module) const {
    return worker::encode_run({module.shared_object.string(), record.request.function, record.request.user,
                               record.request.func_ptr, record.request.cmdline, options_.limits.memory_limit_bytes,
                               record.request.input, record.request.files});
  }

  CallResult execute(const Record& record, std::optional<WorkerProcess>& process, std::unique_lock<std::mutex>& lock) {
    const std::string& name = record->request.function;
    if (record->run_sent) {
      // Its worker starts it of its own accord: cancelled meanwhile, it is stopped as a running call is.
      record->worker = process->pid();
      running_in_[record->id] = process->pid();
      if (record->cancelled) {
        lock.unlock();
        end_process(record, process, lock);
        return cancelled_result(*record);
      }
      send_behind(record, *process, lock);
      lock.unlock();
      return converse(record, process, timeout_of(record->request), lock);
    }
    if (record->cancelled) return cancelled_result(*record);
    lock.unlock();  // the registry has locks of its own: never taken under mutex_
    auto function = options_.registry.find(name);
    lock.lock();
    if (!function) return failed(CallStatus::Failed, name + ": no function named '" + name + "' is registered");
    // A reload or an upload between submit and now.
    if (auto mismatch = version_mismatch(record->request, function->sha256())) {
      return failed(CallStatus::Failed, *mismatch);
    }
    // A function still compiling may take seconds: its call waits without a token, as for an await.
    const bool compiled = compiled_.contains(function->sha256());
    if (!compiled) {
      give_back_token();
      spawn_slot_if_needed();
    }
    lock.unlock();
    auto module = function->wait_ready();
    lock.lock();
    if (!compiled) {
      if (module) compiled_.insert(function->sha256());
      take_token_to_resume(lock);
    }
    if (!module) return failed(CallStatus::Failed, name + ": " + module.error().message);

    const Bytes run = run_body(*record, *module);

    // A kept worker may have died while idle (killed from outside): it is replaced once, here.
    for (int attempt = 0;; ++attempt) {
      if (record->cancelled) return cancelled_result(*record);
      if (!process) {
        lock.unlock();
        auto started = WorkerProcess::start(options_.worker_binary);
        lock.lock();
        if (!started) {
          log("cannot start a worker: " + started.error().message);
          return failed(CallStatus::Failed, name + ": " + started.error().message);
        }
        process.emplace(std::move(*started));
        if (record->cancelled) return cancelled_result(*record);
      }
      record->worker = process->pid();
      running_in_[record->id] = process->pid();
      lock.unlock();
      if (process->channel().send(worker::Op::Run, run)) {
        lock.lock();
        send_behind(record, *process, lock);
        lock.unlock();
        break;
      }
      const std::string how = end_process(record, process, lock);
      if (record->cancelled) return cancelled_result(*record);
      if (attempt > 0) return failed(CallStatus::Crashed, name + ": its worker process died (" + how + ")");
    }
    return converse(record, process, timeout_of(record->request), lock);
  }

  std::chrono::milliseconds timeout_of(const CallRequest& request) const {
    const auto asked = request.timeout.count() > 0 ? request.timeout : options_.limits.default_timeout;
    return std::min(asked, options_.limits.max_timeout);
  }

  // Kills and reaps the call's worker (unlocked on entry, locked on exit). The call leaves running_in_
  // first, so that cancel() never signals a pid that was reaped and may have been reused.
  std::string end_process(const Record& record, std::optional<WorkerProcess>& process,
                          std::unique_lock<std::mutex>& lock) {
    lock.lock();
    running_in_.erase(record->id);
    lock.unlock();
    const std::string how = process->kill_and_reap();
    process.reset();
    lock.lock();
    return how;
  }

  // The worker is gone: cancelled (we killed it), or it died.
  CallResult lost_worker(const Record& record, std::optional<WorkerProcess>& process,
                         std::unique_lock<std::mutex>& lock) {
    const pid_t pid = process->pid();
    const std::string how = end_process(record, process, lock);
    if (record->cancelled) return cancelled_result(*record);
    const std::string& name = record->request.function;
    log("worker " + std::to_string(pid) + " died running " + name + ": " + how);
    return failed(CallStatus::Crashed, name + ": its worker process died (" + how + ")");
  }

  CallResult broken_protocol(const Record& record, std::optional<WorkerProcess>& process,
                             std::unique_lock<std::mutex>& lock) {
    end_process(record, process, lock);
    const std::string& name = record->request.function;
    log("a worker running " + name + " broke the protocol; killed");
    return failed(CallStatus::Crashed, name + ": its worker broke the protocol");
  }

  // The call's messages until its RESULT (unlocked on entry, locked on exit). Only the time spent waiting
  // for the worker counts as execution time: serving a host call (an await, a lock) does not.
  CallResult converse(const Record& record, std::optional<WorkerProcess>& process, std::chrono::milliseconds budget,
                      std::unique_lock<std::mutex>& lock) {
    const std::string& name = record->request.function;
    for (;;) {
      const auto started = Clock::now();
      bool timed_out = false;
      auto message = process->receive(started + budget - record->executed, timed_out);
      record->executed += Clock::now() - started;
      if (timed_out) {
        const pid_t pid = process->pid();
        end_process(record, process, lock);
        if (record->cancelled) return cancelled_result(*record);
        log("killed worker " + std::to_string(pid) + ": " + name + " ran out of time");
        return failed(CallStatus::TimedOut,
                      name + " exceeded its time limit of " + std::to_string(budget.count()) + " ms");
      }
      if (!message) return lost_worker(record, process, lock);
      ByteReader in(message->body);
      if (message->op == worker::Op::Result) {
        auto ran = worker::decode_result(message->body);
        if (!ran) return broken_protocol(record, process, lock);
        CallResult result;
        const std::size_t output_bytes = ran->output.size() + ran->stdout_text.size() + ran->stderr_text.size();
        if (output_bytes > options_.limits.max_output_bytes) {
          // Kept whole, it could not reach the client (RESULT fits maxBody) and a fan-out of them fills memory.
          result = failed(CallStatus::Failed, name + " produced " + std::to_string(output_bytes) +
                                                  " bytes of output, stdout and stderr, over the limit of " +
                                                  std::to_string(options_.limits.max_output_bytes) + " (--max-output)");
        } else {
          result.return_value = ran->return_value;
          result.status = ran->status;
          record->reset_instance = ran->reset_instance;
          result.error = std::move(ran->error);
          result.stdout_text = std::move(ran->stdout_text);
          result.stderr_text = std::move(ran->stderr_text);
          result.output = std::move(ran->output);
          // What went wrong inside a function, with its backtrace, is for its developer to see in the
          // gateway's log as well as in the result.
          if (result.status == CallStatus::Trapped || result.status == CallStatus::MemoryExceeded) log(result.error);
        }
        lock.lock();
        running_in_.erase(record->id);
        if (record->cancelled) {
          // cancel() may have signalled the worker after its RESULT left: it is not kept for the next call.
          lock.unlock();
          process->kill_and_reap();
          process.reset();
          lock.lock();
        }
        return result;
      }
      if (message->op == worker::Op::Chain) {
        if (!chain(record, in, lock)) return broken_protocol(record, process, lock);
        continue;
      }
      if (message->op == worker::Op::HostCall && record->behind) {
        // The worker drops the RUNs sent behind this call until it has this host call's REPLY (send_behind).
        Finished finished;
        lock.lock();
        requeue_behind(record, finished);
        lock.unlock();
        deliver(finished);
      }
      Bytes reply;
      ByteWriter writer(reply);
      if (message->op != worker::Op::HostCall || !serve_host_call(record, in, writer, lock)) {
        return broken_protocol(record, process, lock);
      }
      if (!process->channel().send(worker::Op::Reply, reply)) return lost_worker(record, process, lock);
    }
  }

  // --- host calls (unlocked on entry and exit) ---

  std::string global_key(const Record& record, const std::string& key) const {
    return record->request.user + "_" + key;  // Faasm's keyForUser
  }

  // Answers one HOST_CALL; false when its body is malformed (nothing was done then).
  bool serve_host_call(const Record& record, ByteReader& in, ByteWriter& out, std::unique_lock<std::mutex>& lock) {
    const auto kind = static_cast<HostCall>(in.u8());
    auto ok = [&] { out.u8(1); };
    // The host tier names a key as the store keeps it ('<user>_<key>'); the function, as every other host
    // does, sees it as it named it (tests/conformance, state cases).
    auto refuse = [&](std::string message) {
      const std::string stored = "'" + record->request.user + "_";
      for (auto at = message.find(stored); at != std::string::npos; at = message.find(stored, at + 1)) {
        message.replace(at, stored.size(), "'");
      }
      out.u8(0), out.str(message);
    };
    auto answer = [&](const Expected<void>& done) { done ? ok() : refuse(done.error().message); };
    auto answer_bytes = [&](const Expected<Bytes>& bytes) {
      if (!bytes) return refuse(bytes.error().message);
      ok();
      out.bytes(*bytes);
    };
    switch (kind) {
      case HostCall::ChainIds: {
        const std::uint32_t wanted = in.u32();
        // Only its slot's thread touches a call's lease: read here without mutex_.
        if (!in.done() || wanted == 0 || wanted > worker::kMaxChainLease || record->lease_next != record->lease_end) {
          return false;
        }
        auto leased = lease_ids(record, wanted);
        if (!leased) return refuse(leased.error().message), true;
        ok();
        out.u32(record->lease_next);
        out.u32(*leased);
        return true;
      }
      case HostCall::Await: {
        const std::uint32_t id = in.u32();
        const bool want_output = in.u8() != 0;
        if (!in.done()) return false;
        await(record, id, want_output, out, lock);
        return true;
      }
      case HostCall::StateSize: {
        const std::string key = in.str();
        if (!in.done()) return false;
        auto size = options_.host_tier.size(global_key(record, key));
        if (!size) return refuse(size.error().message), true;
        ok();
        out.u32(*size);
        return true;
      }
      case HostCall::StateRead: {
        const std::string key = in.str();
        const auto length = in.u32();
        if (!in.done()) return false;
        answer_bytes(options_.host_tier.read(global_key(record, key), length));
        return true;
      }
      case HostCall::StateReadRange: {
        const std::string key = in.str();
        const auto total = in.u32(), offset = in.u32(), length = in.u32();
        if (!in.done()) return false;
        answer_bytes(options_.host_tier.read_range(global_key(record, key), total, offset, length));
        return true;
      }
      case HostCall::StateWrite: {
        const std::string key = in.str();
        auto bytes = in.bytes_copy();
        if (!in.done()) return false;
        answer(options_.host_tier.write(global_key(record, key), std::move(bytes)));
        return true;
      }
      case HostCall::StateWriteRange:
      case HostCall::StatePublish: {
        const std::string key = in.str();
        const auto total = in.u32(), offset = in.u32();
        auto bytes = in.bytes_copy();
        if (!in.done()) return false;
        answer(kind == HostCall::StatePublish
                   ? options_.host_tier.publish(global_key(record, key), total, offset, std::move(bytes))
                   : options_.host_tier.write_range(global_key(record, key), total, offset, std::move(bytes)));
        return true;
      }
      case HostCall::StateFlagDirty: {
        const std::string key = in.str();
        const auto total = in.u32(), offset = in.u32(), length = in.u32();
        if (!in.done()) return false;
        answer(options_.host_tier.flag_dirty(global_key(record, key), total, offset, length));
        return true;
      }
      case HostCall::StatePush:
      case HostCall::StatePushPartial:
      case HostCall::StateClearAppended: {
        const std::string key = global_key(record, in.str());
        if (!in.done()) return false;
        answer(kind == HostCall::StatePush          ? options_.host_tier.push(key)
               : kind == HostCall::StatePushPartial ? options_.host_tier.push_partial(key)
                                                    : options_.global.clear_appended(key));
        return true;
      }
      case HostCall::StatePushPartialMask: {
        const std::string key = in.str();
        const std::string mask = in.str();
        if (!in.done()) return false;
        answer(options_.host_tier.push_partial_mask(global_key(record, key), global_key(record, mask)));
        return true;
      }
      case HostCall::StatePull: {
        const std::string key = in.str();
        const auto length = in.u32();
        if (!in.done()) return false;
        answer(options_.host_tier.pull(global_key(record, key), length));
        return true;
      }
      case HostCall::StateAppend: {
        // HostTier keeps values; append logs live in the global store alone, as Faasm keeps them in Redis.
        const std::string key = in.str();
        auto bytes = in.bytes_copy();
        if (!in.done()) return false;
        answer(options_.global.append(global_key(record, key), std::move(bytes)));
        return true;
      }
      case HostCall::StateReadAppended: {
        const std::string key = in.str();
        const auto count = in.u32();
        if (!in.done()) return false;
        auto elements = options_.global.read_appended(global_key(record, key), count);
        if (!elements) return refuse(elements.error().message), true;
        ok();
        out.u32(static_cast<std::uint32_t>(elements->size()));
        for (const auto& element : *elements) out.bytes(element);
        return true;
      }
      case HostCall::StateLock: {
        const std::string key = in.str();
        const bool exclusive = in.u8() != 0;
        if (!in.done()) return false;
        answer(wait_for_lock(record, global_key(record, key), exclusive, lock));
        return true;
      }
      case HostCall::StateUnlock: {
        const std::string key = in.str();
        const bool exclusive = in.u8() != 0;
        if (!in.done()) return false;
        ok();
        out.u8(options_.locks.unlock(global_key(record, key), exclusive, record->lock_owner) ? 1 : 0);
        return true;
      }
      case HostCall::SharedFileRead: {
        const std::string path = in.str();
        if (!in.done()) return false;
        auto file = options_.shared_files.get(path);
        if (!file) return refuse(file.error().message), true;
        ok();
        out.u8(*file ? 1 : 0);
        out.bytes(file->value_or(Bytes{}));
        return true;
      }
      case HostCall::SharedFileWrite: {
        const std::string path = in.str();
        auto bytes = in.bytes();
        if (!in.done()) return false;
        answer(options_.shared_files.put(path, bytes));
        return true;
      }
      case HostCall::SharedFileDelete: {
        const std::string path = in.str();
        if (!in.done()) return false;
        answer(options_.shared_files.remove(path));
        return true;
      }
    }
    return false;
  }

  // Leases `record` up to `wanted` more ids of its tree (how many), or says why the tree may not grow: the
  // limits a chain is held to, checked here, since the CHAINs of a lease need no reply.
  Expected<std::uint32_t> lease_ids(const Record& record, std::uint32_t wanted) {
    const auto& limits = options_.limits;
    if (record->depth + 1 > limits.max_chain_depth) {
      return fail(ErrorCode::LimitExceeded, record->request.function + " may not chain: the call would be " +
                                                std::to_string(record->depth + 1) + " chains deep, over the limit of " +
                                                std::to_string(limits.max_chain_depth) + " (--max-chain-depth)");
    }
    std::lock_guard guard(mutex_);
    Tree& tree = *record->tree;
    // Its calls and the ids leased for more; the top-level call is one more.
    const std::size_t calls = tree.leased + 1;
    if (calls >= limits.max_tree_calls) {
      return fail(ErrorCode::LimitExceeded, record->request.function + " may not chain: its call tree has " +
                                                std::to_string(calls) + " calls, the limit (--max-tree-calls)");
    }
    const auto count = static_cast<std::uint32_t>(std::min<std::size_t>(wanted, limits.max_tree_calls - calls));
    record->lease_next = tree.next_id + 1;
    record->lease_end = record->lease_next + count;
    tree.next_id += count;
    tree.leased += count;
    return count;
  }

  // What `record` leased and did not chain goes back to its tree (under mutex_): the tree limit counts calls.
  void return_lease(const Record& record) {
    Tree& tree = *record->tree;
    const std::uint32_t unused = record->lease_end - record->lease_next;
    tree.leased -= unused;
    if (tree.next_id == record->lease_end - 1 && unused > 0) tree.next_id = record->lease_next - 1;
    record->lease_next = record->lease_end = 0;
  }

  // A CHAIN (unlocked on entry and exit): the next id of the parent's lease, or false (the protocol broken).
  bool chain(const Record& parent, ByteReader& in, std::unique_lock<std::mutex>& lock) {
    const std::uint32_t id = in.u32();
    std::string function = in.str();
    const std::uint32_t func_ptr = in.u32();
    Bytes input = in.bytes_copy();
    if (!in.done()) return false;
    if (function.empty()) function = parent->request.function;
    auto child = std::make_shared<CallRecord>();
    child->depth = parent->depth + 1;
    child->request = CallRequest{parent->request.user,    std::move(function),     func_ptr, std::move(input),
                                 parent->request.cmdline, parent->request.timeout, {}};
    child->parent = parent;
    child->tree = parent->tree;
    const bool known = options_.registry.find(child->request.function) != nullptr;
    Finished finished;
    lock.lock();
    if (id != parent->lease_next || id >= parent->lease_end) {
      lock.unlock();
      return false;
    }
    ++parent->lease_next;
    child->tree_id = id;
    child->tree->calls[id] = child;
    parent->children.push_back(child);
    ++parent->pending_children;
    all_[child->id] = child;
    if (parent->cancelled) {
      child->cancelled = true;
      child->result = cancelled_result(*child);
      child->function_done = true;
      maybe_finish(child, finished);
    } else if (!known) {
      // As the browser reports a chained call that cannot start, and Faasm's await then returns 1.
      child->result =
          failed(CallStatus::Failed, "chained call " + std::to_string(child->tree_id) + " (" + child->request.function +
                                         ") failed: no function named '" + child->request.function + "' is registered");
      child->function_done = true;
      maybe_finish(child, finished);
    } else {
      enqueue(child);
    }
    lock.unlock();
    deliver(finished);
    return true;
  }

  static bool is_ancestor(const Record& maybe_ancestor, const Record& of) {
    for (auto up = of->parent.lock(); up; up = up->parent.lock()) {
      if (up == maybe_ancestor) return true;
    }
    return false;
  }

  void await(const Record& record, std::uint32_t id, bool want_output, ByteWriter& out,
             std::unique_lock<std::mutex>& lock) {
    lock.lock();
    auto found = record->tree->calls.find(id);
    Record callee = found == record->tree->calls.end() ? nullptr : found->second.lock();
    // The call itself or one of its ancestors cannot finish before this call does: waiting would never end,
    // so such an id is as unknown as one never chained.
    if (!callee || callee == record || is_ancestor(callee, record)) {
      lock.unlock();
      record->warnings += "faasm.js [" + record->request.function + "]: await of unknown call id " +
                          std::to_string(id) + " (returns 1, as Faasm does on error)\n";
      out.u8(1);
      out.i32(1);
      if (want_output) out.bytes(Bytes());
      out.u32(0);
      return;
    }
    if (!callee->finished && waiting_is_full()) {
      lock.unlock();
      out.u8(0);
      out.str(record->request.function + " may not wait for call " + std::to_string(id) + ": " + waiting_full_text());
      return;
    }
    // Once the awaited call finished, the caller waits a little longer, while more of its calls finish, so
    // that its worker hears of them in this REPLY rather than in an Await round trip each (a fork-join awaiting
    // in order would otherwise race its calls, one round trip and one run token per call or two). It goes on
    // at kGatherWait at the latest, at once when none of its calls still runs, or when kGatherCalls wait to be
    // passed on.
    callee->awaited = true;
    std::optional<Clock::time_point> gathered_by;
    wait_releasing_token(
        lock,
        [&] {
          if (record->cancelled) return true;
          if (!callee->finished) return false;
          if (record->pending_children == 0 || record->unreported.size() >= kGatherCalls) return true;
          if (!gathered_by) gathered_by = Clock::now() + kGatherWait;
          record->gathering = Clock::now() < *gathered_by;
          return !record->gathering;
        },
        &gathered_by);
    record->gathering = false;
    if (!callee->finished) {
      lock.unlock();
      out.u8(0);
      out.str(record->request.function + " was cancelled while awaiting call " + std::to_string(id));
      return;
    }
    out.u8(1);
    out.i32(callee->result.return_value);
    if (want_output) out.bytes(callee->result.output);
    pass_on_finished(record, out);
    lock.unlock();
  }

  // The REPLY's list of the caller's chained calls that finished since its last Await (under mutex_), with
  // the small outputs, up to kPassedOutputsPerReply of them.
  void pass_on_finished(const Record& record, ByteWriter& out) {
    out.u32(static_cast<std::uint32_t>(record->unreported.size()));
    std::size_t passed_bytes = 0;
    for (const auto& child : record->unreported) {
      const Bytes& output = child->result.output;
      const bool with_output =
          output.size() <= worker::kPassedOutputBytes && passed_bytes + output.size() <= worker::kPassedOutputsPerReply;
      if (with_output) passed_bytes += output.size();
      worker::write_finished(
          out, {child->tree_id, child->result.return_value, with_output ? std::optional<Bytes>(output) : std::nullopt});
    }
    record->unreported.clear();
  }

  // A lock wait counts as execution time: it ends at the call's time limit at the latest.
  Expected<void> wait_for_lock(const Record& record, const std::string& key, bool exclusive,
                               std::unique_lock<std::mutex>& lock) {
    const std::string& name = record->request.function;
    const auto budget = timeout_of(record->request);
    const auto started = Clock::now();
    // StateLocks runs `done` inside lock() (at once), later on the releasing thread or on its timer thread,
    // never with mutex_ held by this pool (run() releases outside it).
    auto outcome = std::make_shared<std::optional<Expected<void>>>();
    lock.lock();
    // With no process left for another waiting call, the lock is granted at once or refused.
    const bool full = waiting_is_full();
    std::string refusal = full ? name + " may not wait for a lock on '" + key + "': " + waiting_full_text()
                               : name + " exceeded its time limit of " + std::to_string(budget.count()) +
                                     " ms waiting for a lock on '" + key + "'";
    lock.unlock();
    options_.locks.lock(
        key, exclusive, record->lock_owner,
        [this, outcome](Expected<void> done) {
          std::lock_guard guard(mutex_);
          *outcome = std::move(done);
          changed_.notify_all();
        },
        full ? started : started + std::max(Clock::duration::zero(), budget - record->executed), std::move(refusal));
    lock.lock();
    wait_releasing_token(lock, [&] { return outcome->has_value() || record->cancelled; });
    record->executed += Clock::now() - started;
    Expected<void> result = outcome->has_value()
                                ? std::move(**outcome)
                                : fail(ErrorCode::Internal, name + " was cancelled while waiting for a lock");
    lock.unlock();
    return result;
  }

  // Whether another waiting call would keep one process too many (under mutex_).
  bool waiting_is_full() const { return waiting_slots_ >= options_.max_waiting; }
  std::string waiting_full_text() const {
    return std::to_string(waiting_slots_) +
           " calls already wait in their worker processes, the limit (--max-waiting-calls)";
  }

  // Waits (lock held) for `ready` without a run token meanwhile, as a waiting slot (see slots above).
  // `until`, once `ready` has set it, bounds the wait as well.
  template <class Ready>
  void wait_releasing_token(std::unique_lock<std::mutex>& lock, Ready ready,
                            const std::optional<Clock::time_point>* until = nullptr) {
    if (ready()) return;
    give_back_token();
    ++waiting_slots_;
    spawn_slot_if_needed();
    while (!ready() && !stopping_) {
      if (until != nullptr && *until) {
        changed_.wait_until(lock, **until);
      } else {
        changed_.wait(lock);
      }
    }
    --waiting_slots_;
    work_.notify_all();  // idle slots may now be above the cap
    take_token_to_resume(lock);
  }

  // --- finishing and cancelling (under mutex_) ---

  void maybe_finish(const Record& record, Finished& finished) {
    if (record->finished || !record->function_done || record->pending_children > 0) return;
    record->finished = true;
    if (record->cancelled && record->result.status != CallStatus::Cancelled) {
      // Cancelled after its function returned, while calls it chained still ran: the call as a whole was
      // stopped. What it printed stays.
      CallResult cancelled = cancelled_result(*record);
      cancelled.stdout_text = std::move(record->result.stdout_text);
      cancelled.stderr_text = std::move(record->result.stderr_text);
      record->result = std::move(cancelled);
    }
    const auto queued = (record->started == Clock::time_point{} ? Clock::now() : record->started) - record->submitted;
    record->result.queued_us = micros(queued);
    record->result.run_us = micros(record->executed);
    std::vector<std::string> chained;
    for (const auto& child : record->children) chained.push_back(child->trace_json);
    record->trace_json = trace_json(TraceFields{record->request.function,
                                                record->tree_id,
                                                record->worker,
                                                record->result.queued_us,
                                                record->result.run_us,
                                                micros(record->submitted - record->tree->submitted),
                                                micros(Clock::now() - record->tree->submitted),
                                                record->result.return_value,
                                                record->result.status,
                                                record->result.error,
                                                {},
                                                {},
                                                record->reset_instance,
                                                record->request.func_ptr},
                                    chained);
    record->result.trace_json = record->trace_json;
    if (record->awaited) changed_.notify_all();
    if (record->done) finished.emplace_back(std::move(record->done), record->result);
    if (auto parent = record->parent.lock()) {
      if (!parent->function_done) parent->unreported.push_back(record);
      --parent->pending_children;
      if (parent->gathering && (parent->pending_children == 0 || parent->unreported.size() == kGatherCalls)) {
        changed_.notify_all();
      }
      maybe_finish(parent, finished);
    } else if (auto user = user_calls_.find(record->request.user); user != user_calls_.end() && --user->second == 0) {
      user_calls_.erase(user);
    }
    all_.erase(record->id);  // last: `record` may be the map's own reference
  }

  void cancel_subtree(const Record& record, Finished& finished) {
    if (record->finished) return;
    record->cancelled = true;
    for (const auto& child : record->children) cancel_subtree(child, finished);
    if (record->queued) {
      std::erase(queue_, record);
      record->queued = false;
      record->result = cancelled_result(*record);
      record->function_done = true;
      maybe_finish(record, finished);
    } else if (auto running = running_in_.find(record->id); running != running_in_.end()) {
      ::kill(running->second, SIGKILL);
    }
    // Otherwise it waits (woken by changed_), starts (and sees `cancelled`), or waits for its children.
  }

  void log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  ClusterOptions options_;
  RunTokens tokens_;
  const std::size_t max_processes_;
  std::mutex mutex_;
  std::condition_variable changed_;  // calls waiting for their chained calls, a lock or a token to resume
  std::condition_variable work_;     // idle slots: woken one per call or token there is, so not all at once
  std::deque<Record> queue_;
  std::map<CallId, Record> all_;                   // every unfinished call
  std::map<CallId, pid_t> running_in_;             // the worker of each call that has one, until it is reaped
  std::set<std::string> compiled_;                 // sha256s of functions known to be compiled
  std::map<std::string, std::size_t> user_calls_;  // unfinished submitted calls, by user
  std::list<std::thread> slots_;
  std::list<std::thread> retired_;
  std::size_t idle_slots_ = 0;
  std::size_t waiting_slots_ = 0;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<Backend> create_cluster(ClusterOptions options) { return std::make_unique<Pool>(std::move(options)); }

}  // namespace faasmjs::gateway::cluster
