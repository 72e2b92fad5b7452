#pragma once
// Response codes and record types by name, both ways, spelled as the project writes them
// everywhere (JSON, tables, stores, names files).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mxsentry {

/// Mnemonic of a response code ("NOERROR", "SERVFAIL", "RCODE23").
std::string rcode_name(int rcode);
/// The inverse of rcode_name; nullopt for text it never writes.
std::optional<int> rcode_from_name(std::string_view name);

/// Mnemonic of an RR type ("A", "AAAA", "TYPE65280").
std::string rr_type_name(std::uint16_t type);
/// Appends the mnemonic without allocating for known types.
void append_rr_type_name(std::string& out, std::uint16_t type);
/// RR type code of a mnemonic ("aaaa" works too); nullopt when unknown.
std::optional<std::uint16_t> rr_type_from_name(std::string_view name);

}  // namespace mxsentry
