#pragma once
// The one reader of names in DNS messages: follows compression pointers and makes every check
// a name must pass, so that no other code walks labels or pointers by hand. ldns accepts
// forward pointers and pointers into the header; both are refused here.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "protocol/dns/wire_cursor.h"

namespace mxsentry::wire {

constexpr std::size_t header_size = 12;
constexpr std::size_t max_label_octets = 63;
constexpr std::size_t max_name_octets = 255;  ///< uncompressed, with the root label
constexpr int max_pointer_hops = 64;

enum class NameError : std::uint8_t {
  none,
  truncated,          ///< a label or length octet runs past the end of the message
  pointer_cut_off,    ///< the message ends after the first octet of a pointer
  pointer_loop,       ///< a pointer to itself
  forward_pointer,    ///< a pointer to a later offset (or past the end)
  header_pointer,     ///< a pointer into the 12-octet header
  too_many_pointers,  ///< more than max_pointer_hops pointers in one name
  label_type,         ///< a length octet with 0x40 or 0x80 set (the reserved label types)
  too_long,           ///< more than max_name_octets uncompressed
};

/// The reason in words ("forward compression pointer"), as check_structure reports it.
const char* to_string(NameError error);

/// An uncompressed wire name with its root label (a buffer to reuse: no allocation).
struct WireName {
  std::array<std::uint8_t, max_name_octets> octets;
  std::size_t size = 0;
  /// The octets as text, for append_name and comparisons.
  std::string_view view() const { return {reinterpret_cast<const char*>(octets.data()), size}; }
};

/// Reads the possibly compressed name at the cursor (whose buffer is the whole message) into
/// `out`, or only checks it when `out` is null, and leaves the cursor just after the name in
/// the record. A malformed name puts the cursor in error and returns why.
// Inline: every name of every message goes through here, and with `out` null the copying
// drops out.
inline NameError read_name(WireCursor& cursor, WireName* out) {
  if (!cursor.ok()) return NameError::truncated;
  // Plain indexing with the bounds checked here: this loop is the parser's hottest, and every
  // check a name needs is in it (the cursor's per-read checks would only repeat them).
  const std::uint8_t* const p = cursor.data().data();
  const std::size_t size = cursor.data().size();
  std::size_t at = cursor.position();  // follows the pointers
  std::size_t after = 0;               // offset after the name in the record, known at the first pointer
  std::size_t octets = 1;              // the root label
  std::size_t written = 0;
  int hops = 0;
  NameError error = NameError::none;
  while (true) {
    if (at >= size) {
      error = NameError::truncated;
      break;
    }
    const std::uint8_t length = p[at];
    if (length == 0) {
      ++at;
      if (out) {
        out->octets[written++] = 0;
        out->size = written;
      }
      break;
    }
    if (length <= max_label_octets) {
      octets += 1 + std::size_t{length};
      if (octets > max_name_octets) {
        error = NameError::too_long;
        break;
      }
      if (length >= size - at) {  // the label's last octet would be at or past the end
        error = NameError::truncated;
        break;
      }
      if (out) std::memcpy(&out->octets[written], p + at, 1 + std::size_t{length});
      written += 1 + std::size_t{length};
      at += 1 + std::size_t{length};
      continue;
    }
    if ((length & 0xc0) != 0xc0) {
      error = NameError::label_type;
      break;
    }
    if (at + 1 >= size) {
      error = NameError::pointer_cut_off;
      break;
    }
    const std::size_t target = (std::size_t{length & 0x3fu} << 8) | p[at + 1];
    if (after == 0) after = at + 2;
    // Only strictly backwards: each hop then lands earlier, so the walk must end; the hop
    // limit bounds the work a chain of pointers can cost.
    if (target >= at) {
      error = target == at ? NameError::pointer_loop : NameError::forward_pointer;
      break;
    }
    if (target < header_size) {
      error = NameError::header_pointer;
      break;
    }
    if (++hops > max_pointer_hops) {
      error = NameError::too_many_pointers;
      break;
    }
    at = target;
  }
  if (error != NameError::none) {
    cursor.fail();
    return error;
  }
  cursor.seek(after != 0 ? after : at);
  return NameError::none;
}

/// Checks the name at the cursor and steps over it.
inline NameError skip_name(WireCursor& cursor) { return read_name(cursor, nullptr); }

}  // namespace mxsentry::wire
