// The CSV format of resolver catalogs (resolver_catalog.h): the header row says which column
// holds what, so any column order and extra columns work.

#include <array>

#include "targets/csv_reader.h"
#include "targets/resolver_catalog.h"
#include "targets/resolver_fields.h"

namespace mxsentry {

namespace {

struct Column {
  const char* header;
  std::optional<ResolverField> field;  ///< nullopt: the address
};

const std::array<Column, 6> known_columns = {{
    {"ip_address", std::nullopt},
    {"name", ResolverField::name},
    {"as_number", ResolverField::asn},
    {"as_org", ResolverField::as_org},
    {"country_code", ResolverField::country},
    {"kind", ResolverField::kind},
}};

constexpr std::size_t unused = static_cast<std::size_t>(-1);

std::string lower_case(std::string_view text) {
  std::string out;
  for (char c : text) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// For each known column, its index in the header (or `unused`).
std::array<std::size_t, known_columns.size()> map_header(const std::vector<std::string>& header,
                                                         const std::string& source, std::size_t line_no) {
  std::array<std::size_t, known_columns.size()> index;
  index.fill(unused);
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name = lower_case(header[i]);
    for (std::size_t k = 0; k < known_columns.size(); ++k) {
      if (name != known_columns[k].header) continue;
      if (index[k] != unused) throw ListError(source, line_no, "column '" + name + "' appears twice in the header");
      index[k] = i;
    }
  }
  if (index[0] == unused) throw ListError(source, line_no, "the CSV header has no ip_address column");
  return index;
}

}  // namespace

ResolverCatalog parse_resolver_csv(std::string_view text, const std::string& source,
                                   const ResolverListOptions& options) {
  CsvReader reader(text, source);
  auto header = reader.next();
  if (!header) return {};
  auto columns = map_header(*header, source, reader.line_no());
  CatalogBuilder catalog;
  while (auto record = reader.next()) {
    std::size_t line_no = reader.line_no();
    if (record->size() != header->size())
      throw ListError(source, line_no,
                      "expected " + std::to_string(header->size()) + " fields as in the header, got " +
                          std::to_string(record->size()));
    const std::string& address = (*record)[columns[0]];
    if (address.empty()) throw ListError(source, line_no, "empty ip_address");
    ResolverInfo info;
    info.address = parse_resolver_address(address, source, line_no, options);
    for (std::size_t k = 1; k < known_columns.size(); ++k) {
      if (columns[k] == unused) continue;
      auto error = set_resolver_field(info, *known_columns[k].field, (*record)[columns[k]], known_columns[k].header);
      if (!error.empty()) throw ListError(source, line_no, error);
    }
    catalog.add(std::move(info));
  }
  return catalog.take();
}

}  // namespace mxsentry
