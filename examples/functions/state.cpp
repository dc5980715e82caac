// state: every kind of typed state, with Faasm's local/global tiers made visible.
//
//   Value<Settings>       a whole structured value: set (local), push (global), pull, get
//   Array<std::int32_t>   a fixed-length array: whole write, a range write + partial push, a mapped element
//   AppendLog<Event>      an append-only log in the global tier
//   WriteLock             RAII exclusive lock around a read-modify-write
//
// Writes only touch this host's copy until pushed; a pull replaces the copy with the global value. The
// output lists what was read back; any mismatch fails the call.
#include <cstdint>
#include <faasmjs/faasmjs.hpp>
#include <string>
#include <vector>

namespace {

struct Settings {
  std::string mode;
  std::uint32_t replicas = 0;

  template <class Archive>
  void serialize(Archive& archive) {
    archive(mode, replicas);
  }
};

struct Event {
  std::uint32_t step;
  std::int32_t delta;
};

faasmjs::Status expect(bool condition, const std::string& what) {
  return condition ? faasmjs::ok() : faasmjs::Error(faasmjs::Errc::host_error, "state example: " + what);
}

faasmjs::Result<std::string> run() {
  using namespace faasmjs::state;

  const Value<Settings> settings{"example_settings"};
  FAASMJS_TRY(settings.set({"fast", 3}));
  FAASMJS_TRY(settings.push());
  FAASMJS_TRY(settings.pull());
  FAASMJS_TRY_ASSIGN(const Settings read_back, settings.get());
  FAASMJS_TRY(expect(read_back.mode == "fast" && read_back.replicas == 3, "settings read back differ"));

  const Array<std::int32_t> counters{"example_counters", 8};
  FAASMJS_TRY(counters.write(std::vector<std::int32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  FAASMJS_TRY(counters.push());
  // Only elements 2 and 3 are dirty, so only they travel.
  FAASMJS_TRY(counters.write(2, std::vector<std::int32_t>{20, 30}));
  FAASMJS_TRY(counters.push_partial());
  {
    FAASMJS_TRY_ASSIGN(const WriteLock lock, counters.lock_write());
    FAASMJS_TRY_ASSIGN(const std::span<std::int32_t> mapped, counters.map(7, 1));
    mapped[0] += 100;
    FAASMJS_TRY(counters.flag_dirty(7, 1));
    FAASMJS_TRY(counters.push_partial());
  }
  FAASMJS_TRY(counters.pull());
  FAASMJS_TRY_ASSIGN(const std::vector<std::int32_t> values, counters.read());
  FAASMJS_TRY(expect(values == std::vector<std::int32_t>{0, 1, 20, 30, 4, 5, 6, 107}, "counters read back differ"));

  const AppendLog<Event> log{"example_log"};
  FAASMJS_TRY(log.clear());
  FAASMJS_TRY(log.append(std::vector<Event>{{1, +5}, {2, -2}, {3, +4}}));
  FAASMJS_TRY_ASSIGN(const std::vector<Event> events, log.read(3));
  std::int32_t total = 0;
  for (const Event& event : events) {
    total += event.delta;
  }
  FAASMJS_TRY(expect(total == 7, "log deltas add up to " + std::to_string(total)));

  return "settings " + read_back.mode + "/" + std::to_string(read_back.replicas) +
         "; counters[2..3] = " + std::to_string(values[2]) + "," + std::to_string(values[3]) +
         "; counters[7] = " + std::to_string(values[7]) + "; log total = " + std::to_string(total);
}

}  // namespace

FAASMJS_MAIN(run)
