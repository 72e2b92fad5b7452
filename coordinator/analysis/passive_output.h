#pragma once
// `mxsentry passive` output: one JSON object a line per (rrname, rrtype, rdata), or a table.

#include <string>

#include "coordinator/analysis/passive_analysis.h"

namespace mxsentry {

/// {"rrname","rrtype","rdata","verdict","confidence","evidence":[...],"sensors":[...],
///  "time_first","time_last"} (times in Unix seconds) and a newline.
void append_passive_json(std::string& out, const PassiveVerdict& verdict);
/// The table's heading line.
std::string passive_table_heading();
/// One row of the table: verdict, confidence, name, type, address, sensors, first and last seen, evidence.
void append_passive_row(std::string& out, const PassiveVerdict& verdict);

}  // namespace mxsentry
