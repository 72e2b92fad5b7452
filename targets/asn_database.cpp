#include "targets/asn_database.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "targets/mmdb_asn_database.h"
#include "targets/pfx2as_database.h"
#include "targets/text_file.h"

namespace mxsentry {

namespace {

// libmaxminddb looks for its metadata marker in the last 128 KiB of the file; so do we.
constexpr std::size_t mmdb_metadata_window = 128 * 1024;

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whether the file's tail holds the mmdb metadata marker: content decides, not the file name.
bool has_mmdb_marker(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw ListError(path + ": cannot open the ASN database (it is a directory)");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw ListError(path + ": cannot open the ASN database");
  auto size = static_cast<std::size_t>(in.tellg());
  std::size_t window = std::min(size, mmdb_metadata_window);
  std::string tail(window, '\0');
  in.seekg(static_cast<std::streamoff>(size - window));
  in.read(tail.data(), static_cast<std::streamsize>(window));
  if (!in) throw ListError(path + ": read error");
  return tail.find(mmdb_metadata_marker) != std::string::npos;
}

}  // namespace

std::unique_ptr<AsnDatabase> load_asn_database(const std::string& path) {
  if (has_mmdb_marker(path)) return open_mmdb_asn_database(path);
  if (ends_with(path, ".mmdb"))
    throw ListError(path + ": no MaxMind metadata found (a truncated or corrupt .mmdb file?)");
  std::string text = read_list_file(path, "ASN database");
  if (text.size() >= 2 && text[0] == '\x1f' && text[1] == '\x8b')
    throw ListError(path + ": the file is gzip-compressed; unpack it first (gunzip)");
  if (text.find('\0') != std::string::npos)
    throw ListError(path + ": neither pfx2as text nor a MaxMind database (binary data without mmdb metadata)");
  auto database = std::make_unique<Pfx2asDatabase>(parse_pfx2as(text, path));
  if (database->size() == 0) throw ListError(path + ": no prefixes in the pfx2as file");
  return database;
}

}  // namespace mxsentry
