// Typed state: every state header at once.
//
// Section map
//   state/key.hpp         Key: size, existence, pushes, partial pushes, locks
//   state/lock.hpp        ReadLock, WriteLock (RAII)
//   state/value.hpp       Value<T>: a whole value through its Codec
//   state/array.hpp       Array<T>: a fixed-length array, whole, by ranges or mapped
//   state/append_log.hpp  AppendLog<T>: an append-only log in the global tier
#ifndef FAASMJS_STATE_HPP
#define FAASMJS_STATE_HPP

#include "faasmjs/state/append_log.hpp"
#include "faasmjs/state/array.hpp"
#include "faasmjs/state/key.hpp"
#include "faasmjs/state/lock.hpp"
#include "faasmjs/state/value.hpp"

#endif  // FAASMJS_STATE_HPP
