// Little-endian field codec shared by the wire protocol (docs/protocol.md) and the gateway ↔ worker
// protocol: u8/u16/u32/i32/u64, `str` (u16 length + UTF-8) and `bytes` (u32 length + raw). A reader never
// reads past its span: the first short read or oversized length marks it failed, later reads return zeros,
// and the caller checks ok() once at the end of a body.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faasmjs::gateway {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { little(v, 2); }
  void u32(std::uint32_t v) { little(v, 4); }
  void i32(std::int32_t v) { little(static_cast<std::uint32_t>(v), 4); }
  void u64(std::uint64_t v) { little(v, 8); }
  void raw(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void raw(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  // A `str` holds at most 65535 bytes: callers keep names and keys short (checked on input); longer text (a
  // message) is cut there, prefix and bytes alike, so the body stays well-formed.
  void str(std::string_view s) {
    const std::string_view kept = s.substr(0, 0xFFFF);
    u16(static_cast<std::uint16_t>(kept.size()));
    raw(kept);
  }
  void bytes(std::span<const std::uint8_t> b) {
    u32(static_cast<std::uint32_t>(b.size()));
    raw(b);
  }
  void bytes(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    raw(s);
  }
  // Overwrites a u32 written earlier at `at` (a length known only after the body).
  void patch_u32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  std::size_t size() const { return out_.size(); }

 private:
  void little(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t>& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(little(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(little(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(little(4)); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::uint64_t u64() { return little(8); }
  std::span<const std::uint8_t> raw(std::size_t n) {
    if (!take(n)) return {};
    auto s = in_.subspan(pos_ - n, n);
    return s;
  }
  std::string str() {
    auto s = raw(u16());
    return std::string(s.begin(), s.end());
  }
  std::span<const std::uint8_t> bytes() { return raw(u32()); }
  std::vector<std::uint8_t> bytes_copy() {
    auto s = bytes();
    return {s.begin(), s.end()};
  }

  bool ok() const { return ok_; }
  // ok() and every byte consumed: what a complete body must satisfy.
  bool done() const { return ok_ && pos_ == in_.size(); }
  std::size_t remaining() const { return ok_ ? in_.size() - pos_ : 0; }

 private:
  bool take(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    pos_ += n;
    return true;
  }
  std::uint64_t little(int n) {
    if (!take(static_cast<std::size_t>(n))) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(in_[pos_ - n + i]) << (8 * i);
    return v;
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace faasmjs::gateway
