#pragma once
// One passive-DNS record in the Common Output Format (draft-dulaunoy-dnsop-passive-dns-cof):
// an RRset a sensor saw, when first and last, and how often. `mxsentry export --format cof`
// writes these as JSON lines and `mxsentry import --format cof` reads any sensor's lines back.
// A sensor here is one resolver as one vantage saw it: `mxsentry:<vantage>:<resolver>`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mxsentry {

struct CofRecord {
  std::string rrname;               ///< owner name as the sensor saw it
  std::uint16_t rrtype = 0;
  std::vector<std::string> rdata;   ///< the RRset's rdata, presentation form, sorted, no duplicates
  std::int64_t time_first_ms = 0;   ///< Unix ms
  std::int64_t time_last_ms = 0;
  std::optional<std::uint64_t> count;  ///< how many times it was seen; absent when the sensor did not say
  std::string bailiwick;            ///< "" when unknown
  std::string sensor_id;            ///< "" when unknown
  std::string origin;               ///< a URI naming where it was seen ("mxsentry:sweep/3"); "" when unknown
  std::string verdict;              ///< "suspicious" or "poisoned" for forged answers; "" otherwise
  std::vector<std::string> evidence;  ///< evidence codes behind the verdict, sorted
  std::string extra;                ///< fields of an imported line this program does not know, as a JSON object; "" none

  bool operator==(const CofRecord&) const = default;
};

/// The sensor id of a resolver as a vantage sees it: "mxsentry:<vantage>:<resolver>".
std::string cof_sensor_id(std::string_view vantage, std::string_view resolver);
/// The origin URI of a run: "mxsentry:sweep/<id>" or "mxsentry:check/<id>".
std::string cof_origin(std::string_view kind, std::int64_t id);

/// Sorts and removes duplicates: the canonical form of an RRset's rdata.
void canonical_rdata(std::vector<std::string>& rdata);
/// The key of an rdata set, a JSON array of the canonical rdata (what aggregation groups by).
std::string rdata_key(const std::vector<std::string>& canonical);
/// The inverse of rdata_key; throws std::invalid_argument on other text.
std::vector<std::string> rdata_from_key(std::string_view key);

/// Appends one record as a COF JSON object and a newline. `rdata_as_string`: a record of one
/// rdata writes it as a string (for consumers that read `rdata` as one string).
void append_cof_json(std::string& out, const CofRecord& record, bool rdata_as_string = false);

/// A line that is not a COF record, and why.
struct CofLineError {
  std::string reason;
};

/// Reads one COF line from any sensor: `rdata` a string or an array of strings, `rrtype` its
/// mnemonic or number, times in Unix seconds (the `_ms` fields, when present and agreeing, give
/// the milliseconds), fields it does not know kept in `extra`.
std::variant<CofRecord, CofLineError> parse_cof_line(std::string_view line);

}  // namespace mxsentry
