// Structured values as bytes, through cereal's portable binary format, without streams and without throwing.
//
// Section map
//   1. BytesOutputArchive    appends to a Bytes buffer; byte-for-byte cereal::PortableBinaryOutputArchive
//   2. CheckedInputArchive   reads a ByteView; malformed input marks the archive failed instead of throwing
//   3. cereal hooks          arithmetic, binary data, size tags (checked), variants (checked)
//   4. serialize, deserialize
//
// Why not cereal's own portable archives: they read and write std::iostreams, which pull iostream into every
// function binary, and they throw cereal::Exception on a short read, which traps in a function built without
// exceptions. These two archives keep the wire format (a leading endianness byte, then little-endian data
// with 64-bit sizes), so a value written by cereal::PortableBinaryOutputArchive anywhere decodes here.
//
// What "checked" covers: running out of bytes, a container size larger than the bytes left (so a forged size
// cannot make the decoder allocate gigabytes), an out-of-range std::variant index, a dangling shared_ptr
// reference, a bad endianness byte and trailing bytes. Polymorphic pointers and std::bitset are not
// checked: cereal still throws (a trap) on malformed data for those, so keep them out of values that cross
// a trust boundary.
//
// Ownership: an archive borrows the buffer it reads or appends to.
#ifndef FAASMJS_SERIALIZATION_HPP
#define FAASMJS_SERIALIZATION_HPP

#include "faasmjs/bytes.hpp"
#include "faasmjs/config.hpp"
#include "faasmjs/error.hpp"

#if !FAASMJS_WITH_CEREAL
#error "faasmjs/serialization.hpp needs cereal (Debian: libcereal-dev); FAASMJS_WITH_CEREAL is 0"
#endif

#include <algorithm>
#include <bit>
#include <cereal/cereal.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/memory.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/tuple.hpp>
#include <cereal/types/unordered_map.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>

namespace faasmjs {

namespace detail {

constexpr bool native_little_endian = std::endian::native == std::endian::little;

template <std::size_t ElementSize>
void reverse_each(std::uint8_t* data, std::size_t size) noexcept {
  for (std::size_t i = 0; i + ElementSize <= size; i += ElementSize) {
    std::reverse(data + i, data + i + ElementSize);
  }
}

}  // namespace detail

// 1.
class BytesOutputArchive : public cereal::OutputArchive<BytesOutputArchive, cereal::AllowEmptyClassElision> {
 public:
  explicit BytesOutputArchive(Bytes& out) : OutputArchive(this), out_(out) {
    // cereal's endianness flag: 1 = the data that follows is little-endian.
    out_.push_back(1);
  }

  template <std::size_t ElementSize>
  void saveBinary(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    const std::size_t start = out_.size();
    out_.insert(out_.end(), bytes, bytes + size);
    if constexpr (!detail::native_little_endian) {
      detail::reverse_each<ElementSize>(out_.data() + start, size);
    }
  }

 private:
  Bytes& out_;
};

// 2.
class CheckedInputArchive : public cereal::InputArchive<CheckedInputArchive, cereal::AllowEmptyClassElision> {
 public:
  explicit CheckedInputArchive(ByteView in) : InputArchive(this), in_(in) {
    if (in_.empty()) {
      fail("empty input: expected at least the endianness byte");
    } else if (in_[0] > 1) {
      fail("first byte " + std::to_string(in_[0]) + " is not a cereal portable binary endianness flag");
    } else {
      swap_ = (in_[0] == 1) != detail::native_little_endian;
      position_ = 1;
    }
  }

  // After a failure every further read yields zeros and sizes of 0, so decoding runs to its end quickly
  // and without allocating; only the first failure is reported.
  template <std::size_t ElementSize>
  void loadBinary(void* data, std::size_t size) {
    if (size == 0) {
      return;
    }
    auto* bytes = static_cast<std::uint8_t*>(data);
    if (!failed_ && size > remaining()) {
      fail("needed " + std::to_string(size) + " bytes at offset " + std::to_string(position_) + " but only " +
           std::to_string(remaining()) + " remain");
    }
    if (failed_) {
      std::memset(bytes, 0, size);
      return;
    }
    std::memcpy(bytes, in_.data() + position_, size);
    position_ += size;
    if (swap_) {
      detail::reverse_each<ElementSize>(bytes, size);
    }
  }

  // Every element of a container takes at least one byte (empty classes aside), so a size above the bytes
  // left is malformed, and refusing it bounds what a decoder may allocate by the input's size.
  void check_size(std::uint64_t& size) {
    if (!failed_ && size > remaining()) {
      fail("container size " + std::to_string(size) + " at offset " + std::to_string(position_) + " exceeds the " +
           std::to_string(remaining()) + " bytes left");
    }
    if (failed_) {
      size = 0;
    }
  }

  void fail(std::string reason) {
    if (!failed_) {
      failed_ = true;
      reason_ = std::move(reason);
    }
  }

  std::size_t remaining() const noexcept { return in_.size() - position_; }

  // The whole input must be one value: trailing bytes usually mean the wrong type was asked for.
  Status finish() const {
    if (failed_) {
      return Error(Errc::decode_failed, reason_);
    }
    if (remaining() != 0) {
      return Error(Errc::decode_failed, std::to_string(remaining()) + " trailing bytes after the value");
    }
    return {};
  }

  // These hide cereal::InputArchive's members of the same names, which cereal's shared_ptr loader calls
  // on the concrete archive type; the base versions throw on an id never seen before.
  std::shared_ptr<void> getSharedPointer(std::uint32_t id) {
    if (id == 0) {
      return nullptr;
    }
    const auto found = shared_.find(id);
    if (found == shared_.end()) {
      fail("reference to shared pointer id " + std::to_string(id) + " that was never defined");
      return nullptr;
    }
    return found->second;
  }

  void registerSharedPointer(std::uint32_t id, std::shared_ptr<void> pointer) {
    shared_[id & ~cereal::detail::msb_32bit] = std::move(pointer);
  }

 private:
  ByteView in_;
  std::size_t position_ = 0;
  bool swap_ = false;
  bool failed_ = false;
  std::string reason_;
  std::unordered_map<std::uint32_t, std::shared_ptr<void>> shared_;
};

// 3. Found by argument-dependent lookup from cereal's dispatch, like the functions next to cereal's archives.
template <class T>
requires std::is_arithmetic_v<T>
void CEREAL_SAVE_FUNCTION_NAME(BytesOutputArchive& archive, const T& value) {
  static_assert(!std::is_floating_point_v<T> || std::numeric_limits<T>::is_iec559,
                "portable binary needs IEEE 754 floating point");
  archive.saveBinary<sizeof(T)>(std::addressof(value), sizeof(T));
}

template <class T>
requires std::is_arithmetic_v<T>
void CEREAL_LOAD_FUNCTION_NAME(CheckedInputArchive& archive, T& value) {
  static_assert(!std::is_floating_point_v<T> || std::numeric_limits<T>::is_iec559,
                "portable binary needs IEEE 754 floating point");
  archive.loadBinary<sizeof(T)>(std::addressof(value), sizeof(T));
}

template <class Archive, class T>
CEREAL_ARCHIVE_RESTRICT(CheckedInputArchive, BytesOutputArchive)
CEREAL_SERIALIZE_FUNCTION_NAME(Archive& archive, cereal::NameValuePair<T>& pair) {
  archive(pair.value);
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(BytesOutputArchive& archive, const cereal::SizeTag<T>& tag) {
  archive(tag.size);
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(CheckedInputArchive& archive, cereal::SizeTag<T>& tag) {
  std::uint64_t size = 0;
  archive(size);
  archive.check_size(size);
  tag.size = static_cast<std::remove_reference_t<T>>(size);
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(BytesOutputArchive& archive, const cereal::BinaryData<T>& data) {
  archive.saveBinary<sizeof(std::remove_pointer_t<T>)>(data.data, static_cast<std::size_t>(data.size));
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(CheckedInputArchive& archive, cereal::BinaryData<T>& data) {
  archive.loadBinary<sizeof(std::remove_pointer_t<T>)>(data.data, static_cast<std::size_t>(data.size));
}

namespace detail {
template <class... Alternatives, std::size_t... Index>
void load_alternative(CheckedInputArchive& archive, std::size_t index, std::variant<Alternatives...>& variant,
                      std::index_sequence<Index...>) {
  ((index == Index ? (variant.template emplace<Index>(), archive(std::get<Index>(variant)), void()) : void()), ...);
}
}  // namespace detail

// More specialised than cereal's generic variant loader, which throws on a bad index.
template <class... Alternatives>
void CEREAL_LOAD_FUNCTION_NAME(CheckedInputArchive& archive, std::variant<Alternatives...>& variant) {
  std::int32_t index = 0;
  archive(index);
  if (index < 0 || static_cast<std::size_t>(index) >= sizeof...(Alternatives)) {
    archive.fail("variant index " + std::to_string(index) + " is not one of the " +
                 std::to_string(sizeof...(Alternatives)) + " alternatives");
    return;
  }
  detail::load_alternative(archive, static_cast<std::size_t>(index), variant,
                           std::index_sequence_for<Alternatives...>{});
}

// 4. Encode any cereal-serialisable value; never fails.
template <class T>
Bytes serialize(const T& value) {
  Bytes out;
  BytesOutputArchive archive(out);
  archive(value);
  return out;
}

// Decode a value of type T (default-constructible) from exactly `bytes`.
template <class T>
Result<T> deserialize(ByteView bytes) {
  static_assert(std::is_default_constructible_v<T>, "deserialize<T> needs a default-constructible T");
  T value{};
  CheckedInputArchive archive(bytes);
  archive(value);
  if (Status status = archive.finish(); !status) {
    return std::move(status).error();
  }
  return value;
}

}  // namespace faasmjs

CEREAL_REGISTER_ARCHIVE(faasmjs::BytesOutputArchive)
CEREAL_REGISTER_ARCHIVE(faasmjs::CheckedInputArchive)
CEREAL_SETUP_ARCHIVE_TRAITS(faasmjs::CheckedInputArchive, faasmjs::BytesOutputArchive)

#endif  // FAASMJS_SERIALIZATION_HPP
