#pragma once
// The outcome of a DNSSEC check: a status as Unbound's sec_status, with the reason.

#include <string>

namespace mxsentry::dnssec {

enum class Status { secure, insecure, bogus, indeterminate };

/// "secure", "insecure", "bogus", "indeterminate".
const char* to_string(Status status);

struct Verdict {
  Status status = Status::indeterminate;
  std::string reason;              ///< why, for bogus / insecure / indeterminate (notes on secure)
  bool wildcard_expanded = false;  ///< secure through a wildcard RRSIG: holds only given a proof that the name does not exist
};

}  // namespace mxsentry::dnssec
