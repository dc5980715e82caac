// Runs work in a forked child process, so that whatever it does to its process (libbinaryen prints "Fatal"
// and calls exit(), a failed assert aborts, a bug crashes) ends only the child; the parent gets a value back.
#ifndef FAASMJS_ASYNCIFY_ISOLATED_RUN_H
#define FAASMJS_ASYNCIFY_ISOLATED_RUN_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "result.h"

namespace faasmjs::asyncify {

struct IsolatedOutput {
  std::vector<std::uint8_t> bytes;
  std::string log;  // what the child printed on stderr, and on stdout unless it was inherited
};

enum class ChildStdout { Captured, Inherited };

// On failure the error says how the child ended ("exited with status 1", "killed by signal 6 (Aborted)")
// followed by the first line it printed, or the work's own error message.
Result<IsolatedOutput> runIsolated(const std::function<Result<std::vector<std::uint8_t>>()>& work,
                                   ChildStdout childStdout = ChildStdout::Captured);

}  // namespace faasmjs::asyncify

#endif
