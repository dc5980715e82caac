// The WASI preview1 errno values the worker's imports answer with (typenames.witx `errno`).
#pragma once

#include <cstdint>

namespace faasmjs::gateway::worker::wasi_errno {

inline constexpr std::uint16_t kSuccess = 0;
inline constexpr std::uint16_t kBadf = 8;
inline constexpr std::uint16_t kFault = 21;
inline constexpr std::uint16_t kInval = 28;
inline constexpr std::uint16_t kIo = 29;
inline constexpr std::uint16_t kIsdir = 31;
inline constexpr std::uint16_t kNoent = 44;
inline constexpr std::uint16_t kNosys = 52;
inline constexpr std::uint16_t kNotdir = 54;
inline constexpr std::uint16_t kNotsup = 58;
inline constexpr std::uint16_t kPerm = 63;
inline constexpr std::uint16_t kSpipe = 70;

}  // namespace faasmjs::gateway::worker::wasi_errno
