#pragma once
// The one JSON form of a resource record, as `mxsentry probe` prints it and README documents:
// {"name":"a.example.","type":"A","ttl":300,"rdata":"192.0.2.1"}. Probe output, truth output
// and both stores write records only through here, so a record reads the same everywhere.

#include <string>
#include <string_view>
#include <vector>

#include "prober/core/observation.h"

namespace mxsentry {

/// Appends one record as a JSON object; without "rdata" when `with_rdata` is false.
void append_record_json(std::string& out, const ResourceRecord& record, bool with_rdata = true);
/// Appends records as a JSON array of append_record_json objects.
void append_records_json(std::string& out, const std::vector<ResourceRecord>& records, bool with_rdata = true);
/// Reads an array written by append_records_json (a missing "rdata" reads as empty);
/// throws std::invalid_argument saying what is wrong.
std::vector<ResourceRecord> parse_records_json(std::string_view text);

}  // namespace mxsentry
