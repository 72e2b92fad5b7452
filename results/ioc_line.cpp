#include "results/ioc_line.h"

#include <algorithm>

#include "results/time_text.h"

namespace mxsentry {

namespace {

// Whitespace or '#' in a name would end the field or the comment: replaced, the list is text.
std::string field_text(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') c = '_';
  return out;
}

void append_list(std::string& out, const char* label, std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  out += ' ';
  out += label;
  out += '=';
  std::size_t shown = std::min(items.size(), ioc_list_limit);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i) out += ',';
    out += field_text(items[i]);
  }
  if (items.size() > shown) out += " (+" + std::to_string(items.size() - shown) + " more)";
}

}  // namespace

std::string format_ioc_line(IocEntry entry) {
  std::string out = entry.address;
  out += " # ";
  out += entry.verdict.empty() ? "flagged" : field_text(entry.verdict);
  out += " first=" + format_utc(entry.first_ms);
  out += " last=" + format_utc(entry.last_ms);
  append_list(out, "names", std::move(entry.names));
  append_list(out, "resolvers", std::move(entry.resolvers));
  out += '\n';
  return out;
}

}  // namespace mxsentry
