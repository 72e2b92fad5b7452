#include "protocol/dns/wire_name.h"

#include <cstring>

namespace mxsentry::wire {

const char* to_string(NameError error) {
  switch (error) {
    case NameError::none: return "no error";
    case NameError::truncated: return "name runs past the end of the message";
    case NameError::pointer_cut_off: return "compression pointer cut off";
    case NameError::pointer_loop: return "compression loop";
    case NameError::forward_pointer: return "forward compression pointer";
    case NameError::header_pointer: return "compression pointer into the header";
    case NameError::too_many_pointers: return "too many compression pointers";
    case NameError::label_type: return "unsupported label type";
    case NameError::too_long: return "name longer than 255 octets";
  }
  return "unknown";
}

NameError read_name(WireCursor& cursor, WireName* out) {
  WireCursor at = cursor;  // follows the pointers; `cursor` moves only past the name in the record
  std::size_t after = 0;   // offset after the name in the record, known at the first pointer
  std::size_t octets = 1;  // the root label
  std::size_t written = 0;
  int hops = 0;
  NameError error = NameError::none;
  while (true) {
    const std::size_t here = at.position();
    const std::uint8_t length = at.read_u8();
    if (!at.ok()) {
      error = NameError::truncated;
      break;
    }
    if ((length & 0xc0) == 0xc0) {
      const std::size_t target = (std::size_t{length & 0x3fu} << 8) | at.read_u8();
      if (!at.ok()) {
        error = NameError::pointer_cut_off;
        break;
      }
      if (after == 0) after = at.position();
      // Only strictly backwards: each hop then lands earlier, so the walk must end; the hop
      // limit bounds the work a chain of pointers can cost.
      if (target >= here)
        error = target == here ? NameError::pointer_loop : NameError::forward_pointer;
      else if (target < header_size)
        error = NameError::header_pointer;
      else if (++hops > max_pointer_hops)
        error = NameError::too_many_pointers;
      if (error != NameError::none) break;
      at.seek(target);
      continue;
    }
    if (length > max_label_octets) {
      error = NameError::label_type;
      break;
    }
    if (length == 0) {
      if (out) {
        out->octets[written++] = 0;
        out->size = written;
      }
      break;
    }
    octets += 1 + std::size_t{length};
    if (octets > max_name_octets) {
      error = NameError::too_long;
      break;
    }
    const std::span<const std::uint8_t> label = at.read_bytes(length);
    if (!at.ok()) {
      error = NameError::truncated;
      break;
    }
    if (out) {
      out->octets[written] = length;
      std::memcpy(&out->octets[written + 1], label.data(), length);
      written += 1 + std::size_t{length};
    }
  }
  if (error != NameError::none) {
    cursor.fail();
    return error;
  }
  cursor.seek(after != 0 ? after : at.position());
  return NameError::none;
}

}  // namespace mxsentry::wire
