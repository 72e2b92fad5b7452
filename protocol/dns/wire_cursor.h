#pragma once
// A bounded read cursor over a DNS message (in the manner of Knot's wire_ctx): every read is
// checked against the end, and a read that does not fit sets a sticky error instead of reading.
// Once in error the cursor stays where it was and every further read yields zero, so a parser
// can read a whole record and check ok() once at the end.

#include <cstddef>
#include <cstdint>
#include <span>

namespace mxsentry::wire {

class WireCursor {
 public:
  /// A cursor over `data` (the whole message, so that compression pointers can be followed),
  /// at `position`; a position past the end is an error.
  explicit WireCursor(std::span<const std::uint8_t> data, std::size_t position = 0) noexcept
      : data_(data),
        position_(position <= data.size() ? position : data.size()),
        limit_(position <= data.size() ? data.size() : position_),
        error_(position > data.size()) {}

  /// Offset of the next octet to read.
  std::size_t position() const noexcept { return position_; }
  /// Octets left after the position (none once in error).
  std::size_t remaining() const noexcept { return limit_ - position_; }
  /// The whole buffer the cursor reads.
  std::span<const std::uint8_t> data() const noexcept { return data_; }
  /// False once any read, skip or seek did not fit, or fail() was called.
  bool ok() const noexcept { return !error_; }
  /// Marks the content as broken (a check of the caller's failed); sticky like a short read.
  void fail() noexcept { set_error(); }

  /// Next octet (0 on error).
  std::uint8_t read_u8() noexcept {
    if (!take(1)) return 0;
    return data_[position_++];
  }
  /// Next 16-bit big-endian value (0 on error).
  std::uint16_t read_u16() noexcept {
    if (!take(2)) return 0;
    const std::uint8_t* p = &data_[position_];
    position_ += 2;
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
  }
  /// Next 32-bit big-endian value (0 on error).
  std::uint32_t read_u32() noexcept {
    if (!take(4)) return 0;
    const std::uint8_t* p = &data_[position_];
    position_ += 4;
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
  }
  /// The next `n` octets, in place (empty on error).
  std::span<const std::uint8_t> read_bytes(std::size_t n) noexcept {
    if (!take(n)) return {};
    const std::span<const std::uint8_t> out = data_.subspan(position_, n);
    position_ += n;
    return out;
  }
  /// Steps over `n` octets.
  void skip(std::size_t n) noexcept {
    if (take(n)) position_ += n;
  }
  /// Moves to `position` (at most the end), as a compression pointer does.
  void seek(std::size_t position) noexcept {
    if (error_) return;
    if (position > data_.size()) {
      set_error();
      return;
    }
    position_ = position;
  }

 private:
  // True when `n` more octets can be read; otherwise sets the error. An error pulls the limit
  // down to the position, so that this one comparison also refuses every read after it.
  bool take(std::size_t n) noexcept {
    if (n > limit_ - position_) {
      set_error();
      return false;
    }
    return true;
  }
  void set_error() noexcept {
    error_ = true;
    limit_ = position_;
  }

  std::span<const std::uint8_t> data_;
  std::size_t position_;
  std::size_t limit_;  // data_.size(), or position_ once in error
  bool error_;
};

}  // namespace mxsentry::wire
