#pragma once
// The truth for people (a block per name) and for programs (one JSON object a line).

#include <string>

#include "coordinator/truth/truth_types.h"

namespace mxsentry {

/// One JSON object and a newline: qname, qtype, zone, rcode, answers, ttl {min,max},
/// dnssec {status,reason}, servers [...], cname_chain, error (when there is one).
void append_truth_json(std::string& out, const Truth& truth);
/// A readable block: the union, then what each server said.
void append_truth_text(std::string& out, const Truth& truth);

}  // namespace mxsentry
