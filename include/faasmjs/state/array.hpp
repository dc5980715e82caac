// A fixed-length array of trivially copyable T in one state value: whole or by element ranges, copied or
// mapped in place.
//
// Section map
//   1. Array<T>              count(), byte_size()
//   2. Whole value           read(), write(values), pull()
//   3. Element ranges        read(first, n), write(first, values)
//   4. Mapping               map(), map(first, n), flag_dirty(), flag_dirty(first, n)
//   (plus Key's size, pushes, partial pushes and locks)
//
// Layout: elements are stored as their bytes in this module's representation (little-endian on every
// wasm host), so C API functions reading the same key with faasmReadState see the same array. A range
// maps to Faasm's offset calls: only that chunk is pulled or marked dirty, and push_partial() sends only
// dirty chunks.
//
// Missing keys read as zeros, as on Faasm. Whole-value read() and write() check that the stored size is
// count() * sizeof(T) (Errc::size_mismatch); range calls trust it to keep them to one host call each, and
// the host fails the call if a range falls outside the stored value.
//
// Blocking (in a browser these suspend the function): reads and maps of chunks not yet local, pull(), and
// the size checks when the key is not yet local. Writes and dirty flags stay local.
//
// Ownership: map() returns a view of the host's copy of the value, valid for the rest of the call; writes
// through it are not marked dirty until flag_dirty().
#ifndef FAASMJS_STATE_ARRAY_HPP
#define FAASMJS_STATE_ARRAY_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"
#include "faasmjs/state/key.hpp"

namespace faasmjs::state {

template <class T>
class Array : public Key {
  static_assert(std::is_trivially_copyable_v<T>, "state::Array<T> stores T's bytes: T must be trivially copyable");

 public:
  // 1.
  Array(std::string_view name, std::size_t count) : Key(name), count_(count) {}

  std::size_t count() const noexcept { return count_; }
  std::size_t byte_size() const noexcept { return count_ * sizeof(T); }

  // 2.
  Result<std::vector<T>> read() const {
    FAASMJS_TRY_ASSIGN(const long total, checked_total());
    FAASMJS_TRY(check_stored_size());
    std::vector<T> values(count_);
    const long read = __faasm_read_state(c_str(), bytes_of(values.data()), total);
    if (read != total) {
      return Error(Errc::size_mismatch, describe() + " read " + std::to_string(read) + " bytes");
    }
    return values;
  }

  Status write(std::span<const T> values) const {
    FAASMJS_TRY_ASSIGN(const long total, checked_total());
    if (values.size() != count_) {
      return Error(Errc::invalid_argument,
                   describe() + " cannot be written with " + std::to_string(values.size()) + " elements");
    }
    FAASMJS_TRY(check_stored_size());
    __faasm_write_state(c_str(), bytes_of(values.data()), total);
    return {};
  }

  Status pull() const {
    FAASMJS_TRY_ASSIGN(const long total, checked_total());
    __faasm_pull_state(c_str(), total);
    return {};
  }

  // 3.
  Result<std::vector<T>> read(std::size_t first, std::size_t n) const {
    FAASMJS_TRY_ASSIGN(const Chunk chunk, checked_chunk(first, n));
    std::vector<T> values(n);
    if (n != 0) {
      __faasm_read_state_offset(c_str(), chunk.total, chunk.offset, bytes_of(values.data()), chunk.length);
    }
    return values;
  }

  Status write(std::size_t first, std::span<const T> values) const {
    FAASMJS_TRY_ASSIGN(const Chunk chunk, checked_chunk(first, values.size()));
    if (!values.empty()) {
      __faasm_write_state_offset(c_str(), chunk.total, chunk.offset, bytes_of(values.data()), chunk.length);
    }
    return {};
  }

  // 4.
  Result<std::span<T>> map() const {
    FAASMJS_TRY_ASSIGN(const long total, checked_total());
    return as_span(__faasm_read_state_ptr(c_str(), total), count_);
  }

  Result<std::span<T>> map(std::size_t first, std::size_t n) const {
    FAASMJS_TRY_ASSIGN(const Chunk chunk, checked_chunk(first, n));
    if (n == 0) {
      return std::span<T>{};
    }
    return as_span(__faasm_read_state_offset_ptr(c_str(), chunk.total, chunk.offset, chunk.length), n);
  }

  Status flag_dirty() const {
    FAASMJS_TRY_ASSIGN(const long total, checked_total());
    __faasm_flag_state_dirty(c_str(), total);
    return {};
  }

  Status flag_dirty(std::size_t first, std::size_t n) const {
    FAASMJS_TRY_ASSIGN(const Chunk chunk, checked_chunk(first, n));
    if (n != 0) {
      __faasm_flag_state_offset_dirty(c_str(), chunk.total, chunk.offset, chunk.length);
    }
    return {};
  }

 private:
  struct Chunk {
    long total;
    long offset;
    long length;
  };

  std::string describe() const {
    return "state array " + ::faasmjs::detail::quoted(name()) + " of " + std::to_string(count_) + " x " +
           std::to_string(sizeof(T)) + " bytes";
  }

  Result<long> checked_total() const {
    FAASMJS_TRY(valid());
    if (count_ == 0) {
      return Error(Errc::invalid_argument, describe() + " is empty (Faasm sizes keys by value)");
    }
    if (count_ > std::numeric_limits<std::size_t>::max() / sizeof(T)) {
      return Error(Errc::invalid_argument, describe() + " is too large");
    }
    return ::faasmjs::detail::abi_length(byte_size(), "state array");
  }

  Result<Chunk> checked_chunk(std::size_t first, std::size_t n) const {
    FAASMJS_TRY_ASSIGN(const long total, checked_total());
    if (first > count_ || n > count_ - first) {
      return Error(Errc::out_of_range, "elements [" + std::to_string(first) + ", " + std::to_string(first) + "+" +
                                           std::to_string(n) + ") are outside " + describe());
    }
    return Chunk{total, static_cast<long>(first * sizeof(T)), static_cast<long>(n * sizeof(T))};
  }

  Status check_stored_size() const {
    FAASMJS_TRY_ASSIGN(const std::size_t stored, size());
    if (stored != 0 && stored != byte_size()) {
      return Error(Errc::size_mismatch, describe() + " holds " + std::to_string(stored) + " bytes");
    }
    return {};
  }

  Result<std::span<T>> as_span(unsigned char* pointer, std::size_t n) const {
    if (pointer == nullptr) {
      return Error(Errc::host_error, describe() + ": the host returned no pointer");
    }
    if (reinterpret_cast<std::uintptr_t>(pointer) % alignof(T) != 0) {
      return Error(Errc::host_error, describe() + ": the host's pointer is not aligned for the element type");
    }
    return std::span<T>(reinterpret_cast<T*>(pointer), n);
  }

  static unsigned char* bytes_of(T* data) noexcept { return reinterpret_cast<unsigned char*>(data); }
  static const unsigned char* bytes_of(const T* data) noexcept { return reinterpret_cast<const unsigned char*>(data); }

  std::size_t count_;
};

}  // namespace faasmjs::state

#endif  // FAASMJS_STATE_ARRAY_HPP
