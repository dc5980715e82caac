// faasm.js C++ SDK: every public header at once.
//
// Section map
//   config.hpp          FAASMJS_* configuration macros
//   error.hpp           Errc, Error, Result<T>, Status, FAASMJS_TRY
//   bytes.hpp           Bytes, ByteView
//   codec.hpp           Codec<T>, encode, decode (text and bytes raw, other types cereal)
//   serialization.hpp   cereal archives over byte buffers, checked decoding (when cereal is available)
//   output_encoding.hpp typed outputs as UTF-8-safe bytes (encode_output, decode_output)
//   io.hpp              input, output
//   chain.hpp           Call<T>, chain by name or function pointer
//   entry.hpp           entry<F>, FAASMJS_MAIN, FAASMJS_ZYGOTE
//   fork_join.hpp       fork<F>, fork_all, chain_all, join
//   state.hpp           state::Key, Value<T>, Array<T>, AppendLog<T>, ReadLock, WriteLock
//   runtime.hpp         conf_flag, backtrace
//
// Reference: docs/sdk-reference.md. The raw ABI is in faasmjs/detail/host_abi.h; Faasm's own C API in
// <faasm/faasm.h>.
#ifndef FAASMJS_FAASMJS_HPP
#define FAASMJS_FAASMJS_HPP

#include "faasmjs/bytes.hpp"
#include "faasmjs/chain.hpp"
#include "faasmjs/codec.hpp"
#include "faasmjs/config.hpp"
#include "faasmjs/entry.hpp"
#include "faasmjs/error.hpp"
#include "faasmjs/fork_join.hpp"
#include "faasmjs/io.hpp"
#include "faasmjs/output_encoding.hpp"
#include "faasmjs/runtime.hpp"
#include "faasmjs/state.hpp"

#if FAASMJS_WITH_CEREAL
#include "faasmjs/serialization.hpp"
#endif

#endif  // FAASMJS_FAASMJS_HPP
