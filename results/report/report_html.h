#pragma once
// A report's data as one self-contained HTML page: the summary, the flagged resolvers and
// hosts with their evidence, charts (SVG drawn here) and sortable, filterable tables.

#include <string>

#include "results/report/report_data.h"

namespace mxsentry {

/// The whole page. Every string of `data` is escaped.
std::string render_report_html(const ReportData& data);

}  // namespace mxsentry
