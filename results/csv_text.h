#pragma once
// CSV as RFC 4180 has it: fields separated by commas, a field with a comma, a quote or a line
// break quoted (quotes doubled), rows ended by CRLF.

#include <string>
#include <string_view>
#include <vector>

namespace mxsentry {

void append_csv_field(std::string& out, std::string_view field);
/// Appends the fields as one row and its CRLF.
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

}  // namespace mxsentry
