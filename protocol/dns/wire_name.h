#pragma once
// The one reader of names in DNS messages: follows compression pointers and makes every check
// a name must pass, so that no other code walks labels or pointers by hand. ldns accepts
// forward pointers and pointers into the header; both are refused here.

#include <array>
#include <cstddef>
#include <cstdint>
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
NameError read_name(WireCursor& cursor, WireName* out);

/// Checks the name at the cursor and steps over it.
inline NameError skip_name(WireCursor& cursor) { return read_name(cursor, nullptr); }

}  // namespace mxsentry::wire
