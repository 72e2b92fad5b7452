#include "results/observation_table.h"

#include <cstdio>

#include "prober/core/response_parse.h"

namespace mxsentry {

namespace {

void cell(std::string& row, const std::string& text, std::size_t width) {
  row += text;
  row.append(text.size() < width ? width - text.size() : 1, ' ');
}

std::string result_of(const Observation& o) {
  if (o.outcome != Outcome::answer) return to_string(o.outcome);
  std::string r = rcode_name(o.rcode);
  if (o.transport == Transport::tcp) r += "/tcp";
  return r;
}

}  // namespace

std::string table_header() {
  std::string row;
  cell(row, "RESOLVER", 22);
  cell(row, "QNAME", 28);
  cell(row, "TYPE", 6);
  cell(row, "RESULT", 14);
  cell(row, "FLAGS", 9);
  cell(row, "TTL", 7);
  cell(row, "RTT ms", 8);
  row += "ANSWER";
  return row;
}

std::string table_row(const Observation& o) {
  std::string row;
  cell(row, o.resolver.to_string(), 22);
  cell(row, o.qname, 28);
  cell(row, rr_type_name(o.qtype), 6);
  cell(row, result_of(o), 14);
  std::string flags;
  if (o.flags.aa) flags += "aa ";
  if (o.flags.ad) flags += "ad ";
  if (!o.rrsigs.empty()) flags += "sig ";
  if (!flags.empty()) flags.pop_back();
  cell(row, flags.empty() ? "-" : flags, 9);
  std::string ttl = "-";
  std::string answer;
  for (const auto& r : o.answers) {
    if (!answer.empty()) answer += ", ";
    if (r.type != o.qtype) answer += rr_type_name(r.type) + " ";
    answer += r.rdata;
    if (ttl == "-") ttl = std::to_string(r.ttl);
  }
  cell(row, ttl, 7);
  char rtt[32] = "-";
  if (o.outcome == Outcome::answer) std::snprintf(rtt, sizeof rtt, "%.1f", o.rtt_ms);
  cell(row, rtt, 8);
  if (answer.empty()) answer = o.error.empty() ? "-" : o.error;
  row += answer;
  for (const auto& extra : o.extra_responses) {
    row += "  [+ second answer:";
    for (const auto& r : extra.answers) row += " " + r.rdata;
    row += "]";
  }
  return row;
}

TableWriter::TableWriter(const std::string& path) : out_(path) {
  out_.buffer() += table_header();
  out_.buffer() += '\n';
}

void TableWriter::write(const Observation& observation) {
  out_.buffer() += table_row(observation);
  out_.buffer() += '\n';
  out_.flush();  // people read tables as they come; the rows are few
}

}  // namespace mxsentry
