#include "protocol/dns/wire_name.h"

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

}  // namespace mxsentry::wire
