#include "faasm/faasm_backend.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "common/call_trace.h"
#include "faasm/call_result.h"
#include "faasm/function_sync.h"
#include "faasm/planner_client.h"
#include "faasm/upload_client.h"
#include "faasm/work_pool.h"

namespace faasmjs::gateway::faasm {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kFirstPoll = 3ms;
constexpr auto kMaxPoll = 150ms;
constexpr auto kFirstRetry = 10ms;
constexpr auto kMaxRetry = 500ms;
// An upload waits for WAMR's AOT compile on the upload server (seconds for a large module, longer under load).
constexpr HttpTimeouts kUploadTimeouts{2000ms, 300'000ms};

std::int64_t epoch_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Call {
  CallId id = 0;
  CallRequest request;
  CallDone done;
  std::int32_t app_id = 0;
  std::int32_t message_id = 0;
  std::chrono::milliseconds timeout{0};
  std::int64_t submitted_us = 0;
  bool sent_once = false;  // EXECUTE_BATCH was tried: the deadline runs
  Clock::time_point deadline{};
  Clock::time_point next{};  // the next poll or retry, while waiting for the scheduler
  // Waiting: for one of this gateway's slots (FaasmBackend::waiting_); Busy: a pool has it.
  enum class Phase { Waiting, Retrying, Running, Busy } phase = Phase::Busy;
  bool holds_slot = false;  // counted in FaasmBackend::holding_
  std::chrono::microseconds poll_interval{kFirstPoll};
  std::chrono::milliseconds retry_interval{kFirstRetry};
  std::string poll_error;  // the last poll's failure; empty once a poll is answered
};

class FaasmBackend final : public Backend {
 public:
  explicit FaasmBackend(FaasmOptions options)
      : options_(std::move(options)),
        planner_(options_.planner_url, {std::min(2000ms, options_.planner_timeout), options_.planner_timeout}),
        upload_(options_.upload_url, kUploadTimeouts),
        functions_(upload_, options_.registry, options_.log),
        ids_(std::random_device{}()),
        submit_pool_(std::max<std::size_t>(1, options_.submit_threads)),
        poll_pool_(std::max<std::size_t>(1, options_.poll_threads)) {
    refresh_hosts();
    functions_.report_unrunnable();
    scheduler_ = std::thread([this] { schedule(); });
    refresher_ = std::thread([this] { refresh_loop(); });
  }

  ~FaasmBackend() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    scheduler_.join();
    refresher_.join();
    std::vector<std::shared_ptr<Call>> left;
    {
      std::lock_guard lock(mutex_);
      for (auto& [id, call] : calls_) left.push_back(call);
    }
    for (auto& call : left)
      end(call, failed(*call, CallStatus::Failed, "the gateway stopped before the call finished"));
  }

  Expected<CallId> submit(CallRequest request, CallDone done) override {
    const auto function = options_.registry.find(request.function);
    if (!function)
      return fail(ErrorCode::UnknownFunction, "no function named '" + request.function + "' in the gateway (Faasm)");
    if (auto mismatch = version_mismatch(request, function->sha256())) {
      return fail(ErrorCode::VersionMismatch, *mismatch);
    }
    // Faasm's planner API carries no files with a call, and a worker's runtime root cannot be reached from
    // outside: seeding them could only be faked.
    if (!request.files.empty()) {
      return fail(ErrorCode::BadState, "INVOKE of " + request.function + " seeds " +
                                           std::to_string(request.files.size()) +
                                           " file(s), which Faasm cannot take with a call (upload shared files "
                                           "instead and read them as faasm://PATH)");
    }
    auto call = std::make_shared<Call>();
    call->id = new_id();
    call->timeout = request.timeout.count() == 0 ? options_.limits.default_timeout
                                                 : std::min(request.timeout, options_.limits.max_timeout);
    call->request = std::move(request);
    call->done = std::move(done);
    call->submitted_us = epoch_us();
    {
      std::lock_guard lock(mutex_);
      std::size_t& of_user = user_calls_[call->request.user];
      if (of_user >= options_.limits.max_user_calls) {
        return fail(ErrorCode::LimitExceeded, "user '" + call->request.user + "' has " + std::to_string(of_user) +
                                                  " calls running or queued, the limit (--max-user-calls)");
      }
      ++of_user;
      call->app_id = fresh_id();
      call->message_id = fresh_id();
      calls_[call->id] = call;
      if (!take_slot(*call)) {
        // Waiting for a slot counts against the call's time, as waiting for Faasm's scheduler does.
        call->phase = Call::Phase::Waiting;
        call->deadline = Clock::now() + call->timeout;
        waiting_.push_back(call);
        wake_.notify_all();
        return call->id;
      }
    }
    submit_pool_.post([this, call] { send(call, true); });
    return call->id;
  }

  bool cancel(CallId id) override {
    std::shared_ptr<Call> call;
    bool sent = false;
    {
      std::lock_guard lock(mutex_);
      auto found = calls_.find(id);
      if (found == calls_.end()) return false;
      call = found->second;
      sent = call->sent_once;
    }
    const std::string what = sent ? "cancelled; Faasm cannot stop a call it "
                                    "scheduled, so it runs to its end there"
                                  : "cancelled before it was sent to Faasm";
    return end(call, failed(*call, CallStatus::Cancelled, what));
  }

  std::size_t workers() const override { return slots_.load(); }

  Expected<void> accept_upload(std::string_view user, std::string_view function,
                               std::span<const std::uint8_t> wasm) override {
    // A name the registry refuses goes nowhere: the registry's own message says why.
    if (!registry::valid_function_name(function)) return {};
    return functions_.upload(user, function, wasm);
  }
  Expected<void> put_shared_file(std::string_view path, std::span<const std::uint8_t> data) override {
    return upload_.putFile(path, {reinterpret_cast<const char*>(data.data()), data.size()});
  }
  Expected<std::optional<std::vector<std::uint8_t>>> get_shared_file(std::string_view path) override {
    auto got = upload_.getFile(path);
    if (!got) return std::unexpected(got.error());
    if (!*got) return std::optional<std::vector<std::uint8_t>>{};
    return std::optional(std::vector<std::uint8_t>((*got)->begin(), (*got)->end()));
  }

 private:
  // At most as many of this gateway's calls are sent, retried or running as the cluster has slots; the rest
  // wait here in arrival order. Without it, every call beyond the slots would retry "No available hosts" on its
  // own back-off, hundreds of requests a second that the planner and the submit threads spend instead of
  // starting the calls a freed slot could take. Other clients of the cluster take slots too: then a call that
  // holds one of these still hears "No available hosts" and retries. With the slots unknown (the planner has
  // not answered GET_AVAILABLE_HOSTS yet) nothing waits. Called with mutex_ held.
  bool take_slot(Call& call) {
    const std::size_t slots = slots_.load();
    if (slots != 0 && holding_ >= slots) return false;
    call.holds_slot = true;
    ++holding_;
    return true;
  }

  // The call no longer holds a slot (it ended): the oldest waiting call takes it. Called with mutex_ held;
  // returns the call to send.
  std::shared_ptr<Call> release_slot(Call& call) {
    if (!call.holds_slot) return nullptr;
    call.holds_slot = false;
    --holding_;
    while (!waiting_.empty()) {
      std::shared_ptr<Call> next = std::move(waiting_.front());
      waiting_.pop_front();
      if (!calls_.contains(next->id) || !take_slot(*next)) continue;
      next->phase = Call::Phase::Busy;
      return next;
    }
    return nullptr;
  }

  std::int32_t fresh_id() { return std::uniform_int_distribution<std::int32_t>(1, 0x7fffffff)(ids_); }

  // `why` names what failed; the error line names the function first, as every RESULT's does.
  CallResult failed(const Call& call, CallStatus status, const std::string& why) const {
    return failed_with(call, status, call.request.function + ": " + why);
  }

  CallResult failed_with(const Call& call, CallStatus status, std::string error) const {
    CallResult result;
    result.status = status;
    result.return_value = 1;
    result.error = std::move(error);
    result.queued_us =
        static_cast<std::uint32_t>(std::clamp<std::int64_t>(epoch_us() - call.submitted_us, 0, 0xffffffffll));
    result.trace_json = trace_json(
        {call.request.function, 0, 0, result.queued_us, 0, 0, result.queued_us, 1, status, result.error, "faasm"}, {});
    return result;
  }

  // The call's one end: false when it had ended already.
  bool end(const std::shared_ptr<Call>& call, CallResult result) {
    CallDone done;
    std::shared_ptr<Call> next;
    {
      std::lock_guard lock(mutex_);
      if (calls_.erase(call->id) == 0) return false;
      auto user = user_calls_.find(call->request.user);
      if (user != user_calls_.end() && --user->second == 0) user_calls_.erase(user);
      done = std::move(call->done);
      // Stopping, every call ends: none is sent any more.
      if (!stopping_) next = release_slot(*call);
    }
    if (next) submit_pool_.post([this, next] { send(next, true); });
    if (done) done(std::move(result));
    return true;
  }

  bool ended(const Call& call) {
    std::lock_guard lock(mutex_);
    return !calls_.contains(call.id);
  }

  // EXECUTE_BATCH, on a submit thread; the first attempt first makes the user's functions exist on Faasm.
  void send(const std::shared_ptr<Call>& call, bool first) {
    if (ended(*call)) return;
    if (first) {
      auto prepared = functions_.prepare(call->request.user, call->request.function);
      if (!prepared) {
        // FunctionSync's lines name the function already.
        end(call, failed_with(*call, CallStatus::Failed, prepared.error().message));
        return;
      }
    }
    BatchRequest batch{call->app_id, call->request.user, call->request.function, {}};
    CallMessage message;
    message.id = call->message_id;
    message.user = call->request.user;
    message.function = call->request.function;
    message.input.assign(call->request.input.begin(), call->request.input.end());
    message.cmdline = call->request.cmdline;
    message.funcPtr = static_cast<std::int32_t>(call->request.func_ptr);
    batch.messages.push_back(std::move(message));
    auto submitted = planner_.executeBatch(batch);
    const auto now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      if (!call->sent_once) {
        call->sent_once = true;
        if (call->deadline == Clock::time_point{}) call->deadline = now + call->timeout;
      }
    }
    if (!submitted) {
      end(call, failed(*call, CallStatus::Failed, submitted.error().message));
      return;
    }
    bool out_of_time = false;
    {
      std::lock_guard lock(mutex_);
      if (!calls_.contains(call->id)) return;
      if (*submitted == Submission::Accepted) {
        call->phase = Call::Phase::Running;
        call->next = now + call->poll_interval;
      } else if (now + call->retry_interval >= call->deadline) {
        out_of_time = true;
      } else {
        call->phase = Call::Phase::Retrying;
        call->next = now + call->retry_interval;
        call->retry_interval = std::min(call->retry_interval * 2, std::chrono::milliseconds(kMaxRetry));
      }
    }
    if (out_of_time) {
      end(call, no_slot(*call));
      return;
    }
    wake_.notify_all();
  }

  // EXECUTE_BATCH_STATUS, on a poll thread.
  void poll(const std::shared_ptr<Call>& call) {
    if (ended(*call)) return;
    auto status = planner_.batchStatus(call->app_id, 1);
    if (!status) {
      // The call runs on Faasm whether or not the planner answers now, and its result waits there: polled again
      // until the call's deadline rather than lost to a planner that is slow or restarting for a moment.
      {
        std::lock_guard lock(mutex_);
        if (!calls_.contains(call->id)) return;
        call->poll_error = status.error().message;
        call->poll_interval = std::min(call->poll_interval * 3 / 2, std::chrono::microseconds(kMaxPoll));
        call->phase = Call::Phase::Running;
        call->next = Clock::now() + call->poll_interval;
      }
      wake_.notify_all();
      return;
    }
    if (*status && (*status)->finished) {
      end(call,
          call_result({call->request.function, call->message_id, call->submitted_us, options_.limits.max_output_bytes},
                      **status));
      return;
    }
    {
      std::lock_guard lock(mutex_);
      if (!calls_.contains(call->id)) return;
      call->poll_error.clear();
      call->poll_interval = std::min(call->poll_interval * 3 / 2, std::chrono::microseconds(kMaxPoll));
      call->phase = Call::Phase::Running;
      call->next = Clock::now() + call->poll_interval;
    }
    wake_.notify_all();
  }

  // Hands every due poll and retry to its pool, in rounds, and ends the calls whose time is up.
  void schedule() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      const auto now = Clock::now();
      auto next = now + 1s;
      std::vector<std::shared_ptr<Call>> polls, retries, timed_out;
      for (auto& [id, call] : calls_) {
        if (call->phase == Call::Phase::Busy) continue;
        if (call->deadline <= now) {
          timed_out.push_back(call);
        } else if (call->phase == Call::Phase::Waiting) {
          next = std::min(next, call->deadline);
        } else if (call->next <= now) {
          (call->phase == Call::Phase::Running ? polls : retries).push_back(call);
          call->phase = Call::Phase::Busy;
        } else {
          next = std::min({next, call->next, call->deadline});
        }
      }
      if (!polls.empty() || !retries.empty() || !timed_out.empty()) {
        lock.unlock();
        for (auto& call : polls) poll_pool_.post([this, call] { poll(call); });
        for (auto& call : retries) submit_pool_.post([this, call] { send(call, false); });
        for (auto& call : timed_out) end(call, timed_out_result(*call));
        lock.lock();
        continue;
      }
      wake_.wait_until(lock, next);
    }
  }

  CallResult timed_out_result(const Call& call) const {
    if (call.phase == Call::Phase::Retrying || call.phase == Call::Phase::Waiting) return no_slot(call);
    if (!call.poll_error.empty()) {
      return failed(call, CallStatus::Failed,
                    "no result within the call's timeout of " + std::to_string(call.timeout.count()) +
                        " ms: " + call.poll_error + ", polled until then; the call may still run on Faasm");
    }
    return failed(call, CallStatus::TimedOut,
                  "ran longer than its timeout of " + std::to_string(call.timeout.count()) +
                      " ms on Faasm; Faasm cannot stop it, so it runs to its end there");
  }

  CallResult no_slot(const Call& call) const {
    const std::string why =
        call.phase == Call::Phase::Waiting
            ? "this gateway's other calls held all of them"
            : planner_.endpoint().describe() + " answered \"No available hosts\" to every EXECUTE_BATCH";
    return failed(call, CallStatus::Failed,
                  "no Faasm host had a free slot within the call's timeout of " + std::to_string(call.timeout.count()) +
                      " ms (" + why + "; the cluster has " + std::to_string(slots_.load()) + " slots)");
  }

  void refresh_hosts() {
    auto hosts = planner_.availableHosts();
    if (!hosts) {
      if (!hosts_error_logged_ && options_.log) options_.log(hosts.error().message);
      hosts_error_logged_ = true;
      return;
    }
    if (hosts_error_logged_ && options_.log) options_.log(planner_.endpoint().describe() + " answers again");
    hosts_error_logged_ = false;
    std::size_t slots = 0;
    for (const auto& host : *hosts) slots += static_cast<std::size_t>(std::max(0, host.slots));
    slots_ = slots;
  }

  void refresh_loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, options_.hosts_refresh, [this] { return stopping_; })) {
      lock.unlock();
      refresh_hosts();
      lock.lock();
    }
  }

  FaasmOptions options_;
  PlannerClient planner_;
  UploadClient upload_;
  FunctionSync functions_;
  std::atomic<std::size_t> slots_ = 0;
  bool hosts_error_logged_ = false;  // refresh thread only (and the constructor, before it starts)

  std::mutex mutex_;  // everything below, and every Call's fields but its request
  std::condition_variable wake_;
  std::mt19937 ids_;
  std::map<CallId, std::shared_ptr<Call>> calls_;
  std::map<std::string, std::size_t> user_calls_;
  std::size_t holding_ = 0;                    // calls holding a slot (take_slot)
  std::deque<std::shared_ptr<Call>> waiting_;  // for a slot, oldest first; ended ones are skipped
  bool stopping_ = false;

  // Last: their threads use everything above, and are joined before it goes.
  WorkPool submit_pool_;
  WorkPool poll_pool_;
  std::thread scheduler_;
  std::thread refresher_;
};

}  // namespace

std::unique_ptr<Backend> create_faasm_backend(FaasmOptions options) {
  return std::make_unique<FaasmBackend>(std::move(options));
}

}  // namespace faasmjs::gateway::faasm
