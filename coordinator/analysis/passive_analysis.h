#pragma once
// The seed study's passive method (docs/detection.md, "Passive analysis"): for one name and
// type, the A/AAAA records many passive-DNS sensors saw, compared with each other rather than
// with an authoritative truth. An address that some sensors saw while others, at the same time,
// saw the name without it is a minority answer; CDNs (their changes spread evenly over the
// sensors, their addresses in the same networks), geo-DNS (stable groups of sensors) and a
// renumbering (every sensor switching once, at about the same time) are told apart from a
// forgery by the same evidence codes and weights active checks use. Pure: lookups come in as
// functions, times as data.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/analysis/analysis_config.h"
#include "coordinator/analysis/verdict.h"
#include "protocol/dns/endpoint.h"
#include "targets/prefix_list.h"

namespace mxsentry {

/// One sensor's record of the name: an RRset (addresses) seen over [first_ms, last_ms].
struct PassiveRecord {
  std::string sensor;
  std::vector<std::string> rdata;
  std::int64_t first_ms = 0;
  std::int64_t last_ms = 0;
};

/// Every record of one (name, type) the input holds.
struct PassiveName {
  std::string rrname;
  std::uint16_t rrtype = 0;
  std::vector<PassiveRecord> records;
};

struct PassiveContext {
  const AnalysisConfig* config = nullptr;
  /// The origin ASes of an address; empty when unknown. Optional: no same-asn / asn-mismatch without it.
  std::function<std::vector<std::uint32_t>(const Endpoint&)> asns_of;
  const PrefixList* ioc = nullptr;  ///< optional
  /// The authoritative addresses of the name and type, when the store holds an active truth for it.
  std::optional<std::vector<std::string>> truth;
  std::int64_t switch_window_ms = 86'400'000;  ///< a renumbering: every sensor switched within this
  double even_share = 0.5;  ///< even-spread: at least this share of the name's sensors saw its answer change
};

/// The verdict on one (rrname, rrtype, rdata).
struct PassiveVerdict {
  std::string rrname;
  std::uint16_t rrtype = 0;
  std::string rdata;
  VerdictClass verdict = VerdictClass::unknown;
  double confidence = 0;
  std::vector<Evidence> evidence;
  std::vector<std::string> sensors;  ///< the sensors that saw it, sorted
  std::int64_t first_ms = 0;
  std::int64_t last_ms = 0;

  bool flagged() const { return verdict == VerdictClass::suspicious || verdict == VerdictClass::poisoned; }
};

/// A verdict for every address of the name's records, in address order.
std::vector<PassiveVerdict> analyse_passive_name(const PassiveName& name, const PassiveContext& context);

}  // namespace mxsentry
