#include "targets/mmdb_asn_database.h"

#include <maxminddb.h>

#include <cerrno>
#include <cstring>

namespace mxsentry {

namespace {

bool mentions_asn(const char* type) {
  if (type == nullptr) return false;
  for (const char* p = type; p[0] && p[1] && p[2]; ++p)
    if ((p[0] | 0x20) == 'a' && (p[1] | 0x20) == 's' && (p[2] | 0x20) == 'n') return true;
  return false;
}

class MmdbAsnDatabase final : public AsnDatabase {
 public:
  explicit MmdbAsnDatabase(const std::string& path) : path_(path) {
    int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db_);
    if (status != MMDB_SUCCESS) {
      std::string reason = MMDB_strerror(status);
      if ((status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR) && errno != 0)
        reason += std::string(" (") + std::strerror(errno) + ")";
      throw ListError(path + ": cannot open the MaxMind database: " + reason);
    }
    if (!mentions_asn(db_.metadata.database_type)) {
      std::string type = db_.metadata.database_type ? db_.metadata.database_type : "";
      MMDB_close(&db_);
      throw ListError(path + ": not an ASN database (its type is '" + type + "', expected e.g. GeoLite2-ASN)");
    }
  }
  ~MmdbAsnDatabase() override { MMDB_close(&db_); }
  MmdbAsnDatabase(const MmdbAsnDatabase&) = delete;
  MmdbAsnDatabase& operator=(const MmdbAsnDatabase&) = delete;

  std::optional<AsnInfo> lookup(const Endpoint& address) const override;

 private:
  std::optional<std::uint32_t> asn_of(MMDB_entry_s& entry) const;
  std::string org_of(MMDB_entry_s& entry) const;
  void check(int status) const {
    if (status != MMDB_SUCCESS) throw ListError(path_ + ": corrupt MaxMind database: " + MMDB_strerror(status));
  }

  std::string path_;
  MMDB_s db_{};
};

// A key the record lacks is reported as a path that does not match the data: no value, no error.
bool get_value(MMDB_entry_s& entry, MMDB_entry_data_s& data, const char* key, int& status) {
  status = MMDB_get_value(&entry, &data, key, nullptr);
  if (status == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR) {
    status = MMDB_SUCCESS;
    return false;
  }
  return status == MMDB_SUCCESS && data.has_data;
}

std::optional<std::uint32_t> MmdbAsnDatabase::asn_of(MMDB_entry_s& entry) const {
  MMDB_entry_data_s data{};
  int status = MMDB_SUCCESS;
  bool found = get_value(entry, data, "autonomous_system_number", status);
  check(status);
  if (!found) return std::nullopt;
  switch (data.type) {
    case MMDB_DATA_TYPE_UINT16: return data.uint16;
    case MMDB_DATA_TYPE_UINT32: return data.uint32;
    case MMDB_DATA_TYPE_UINT64:
      if (data.uint64 <= 0xffffffffu) return static_cast<std::uint32_t>(data.uint64);
      break;
    default: break;
  }
  throw ListError(path_ + ": autonomous_system_number is not a 32-bit number");
}

std::string MmdbAsnDatabase::org_of(MMDB_entry_s& entry) const {
  MMDB_entry_data_s data{};
  int status = MMDB_SUCCESS;
  bool found = get_value(entry, data, "autonomous_system_organization", status);
  check(status);
  if (!found || data.type != MMDB_DATA_TYPE_UTF8_STRING) return {};
  return std::string(data.utf8_string, data.data_size);
}

std::optional<AsnInfo> MmdbAsnDatabase::lookup(const Endpoint& address) const {
  if (address.family != AF_INET && address.family != AF_INET6) return std::nullopt;
  sockaddr_storage storage{};
  address.to_sockaddr(storage);
  int mmdb_error = MMDB_SUCCESS;
  auto result = MMDB_lookup_sockaddr(&db_, reinterpret_cast<const sockaddr*>(&storage), &mmdb_error);
  if (mmdb_error == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) return std::nullopt;
  check(mmdb_error);
  if (!result.found_entry) return std::nullopt;
  auto asn = asn_of(result.entry);
  if (!asn) return std::nullopt;
  AsnInfo info;
  info.asns.push_back(*asn);
  info.org = org_of(result.entry);
  // An IPv4 address in an IPv6 tree is found under ::/96, and the netmask counts those bits.
  unsigned length = result.netmask;
  if (address.family == AF_INET && db_.metadata.ip_version == 6) length = length >= 96 ? length - 96 : 0;
  info.prefix = prefix_of(address, length);
  return info;
}

}  // namespace

std::unique_ptr<AsnDatabase> open_mmdb_asn_database(const std::string& path) {
  return std::make_unique<MmdbAsnDatabase>(path);
}

}  // namespace mxsentry
