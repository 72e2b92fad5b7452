#pragma once
// What one observation contributes to an export: a COF row per RRset of its answer section
// (or per rdata, for consumers that want `rdata` as one string), and the addresses of its
// A/AAAA records that the truth did not have (the forged ones, for an IOC list).

#include <cstdint>
#include <string>
#include <vector>

#include "prober/core/observation.h"
#include "results/cof_record.h"

namespace mxsentry {

/// What a row carries besides the records themselves.
struct CofSighting {
  std::string sensor_id;
  std::string origin;
  std::int64_t time_ms = 0;
  std::string bailiwick_owner;        ///< the name whose zone is known: its records get `bailiwick`
  std::string bailiwick;              ///< that zone; "" when unknown
  std::string verdict;                ///< set only for suspicious and poisoned answers
  std::vector<std::string> evidence;  ///< the evidence codes of that verdict
};

/// One row (count 1, first = last = time) per (owner, type) of `answers`, rdata sorted; with
/// `per_rdata`, one row per rdata instead. Rows in owner, type and rdata order.
std::vector<CofRecord> cof_rows(const std::vector<ResourceRecord>& answers, const CofSighting& sighting,
                                bool per_rdata);

/// One answer section of an observation and when it arrived.
struct TimedAnswers {
  const std::vector<ResourceRecord>* answers;
  std::int64_t time_ms;
};

/// Every answer section an observation holds: the accepted response's at its time, then each
/// further, differing response's (an on-path injection) at the time it arrived.
std::vector<TimedAnswers> timed_answers(const Observation& observation);

struct ForgedAddress {
  std::string address;
  std::string rrname;
};

/// The A and AAAA rdata of `answers` that are not in `expected` (the truth's rdata), once each.
std::vector<ForgedAddress> forged_addresses(const std::vector<ResourceRecord>& answers,
                                            const std::vector<std::string>& expected);

}  // namespace mxsentry
