// MaxMind-format ASN databases, on small .mmdb files that tests/tools/make-test-mmdb writes at
// build time: lookups in IPv6 and IPv4 trees, the network reported, records without a number,
// and errors for other kinds of database and for corrupt files.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include "tests/unit/temp_file.h"

#include <fstream>
#include <sstream>
#include <string>

#include "targets/asn_database.h"
#include "targets/list_error.h"
#include "targets/mmdb_asn_database.h"

#ifndef MXSENTRY_TEST_MMDB_DIR
#error "MXSENTRY_TEST_MMDB_DIR is set by tests/tools/CMakeLists.txt"
#endif

using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::load_asn_database;

namespace {

using Asns = std::vector<std::uint32_t>;
using mxsentry::test::TempFile;

// The files are built with the unit tests; a missing one fails the test (never skips it).
std::string test_mmdb(const char* name) {
  std::string path = std::string(MXSENTRY_TEST_MMDB_DIR) + "/" + name;
  INFO("built by tests/tools/make-test-mmdb (needs libmaxmind-db-writer-perl, see scripts/install-deps)");
  REQUIRE(std::ifstream(path).good());
  return path;
}

std::string contents_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

using mxsentry::test::ep;

}  // namespace

TEST_CASE("mmdb: GeoLite2-ASN records in an IPv6 tree", "[targets][mmdb]") {
  auto db = load_asn_database(test_mmdb("asn.mmdb"));
  auto google = db->lookup(ep("8.8.8.8"));
  REQUIRE(google.has_value());
  CHECK(google->asns == Asns{15169});
  CHECK(google->org == "Google LLC");
  CHECK(google->prefix.to_string() == "8.8.8.0/24");
  CHECK(db->lookup(ep("1.1.1.1:5353"))->asns == Asns{13335});
  CHECK(db->lookup(ep("1.1.1.1"))->org == "Cloudflare, Inc.");

  // The database's own network: the /11 was split around the more specific /16.
  auto telekom = db->lookup(ep("80.130.1.1"));
  REQUIRE(telekom.has_value());
  CHECK(telekom->asns == Asns{3320});
  CHECK(telekom->prefix.to_string() == "80.128.0.0/12");
  CHECK(db->lookup(ep("80.156.7.7"))->asns == Asns{64600});
  CHECK(db->lookup(ep("80.156.7.7"))->prefix.to_string() == "80.156.0.0/16");

  CHECK(db->lookup(ep("2.241.0.1"))->org == "Telefónica Germany");
  CHECK(db->lookup(ep("92.223.84.1"))->asns == Asns{4200000000u});
  CHECK_FALSE(db->lookup(ep("185.1.1.1")).has_value());  // a record without a number
  CHECK_FALSE(db->lookup(ep("9.9.9.9")).has_value());
  CHECK_FALSE(db->lookup(Endpoint{}).has_value());

  auto v6 = db->lookup(ep("2001:4860:4860::8888"));
  REQUIRE(v6.has_value());
  CHECK(v6->asns == Asns{15169});
  CHECK(v6->prefix.to_string() == "2001:4860::/32");
  CHECK(db->lookup(ep("2003:e0::1"))->prefix.to_string() == "2003::/19");
  CHECK_FALSE(db->lookup(ep("2606:4700::1111")).has_value());
}

TEST_CASE("mmdb: an IPv4-only tree answers IPv4 and nothing for IPv6", "[targets][mmdb]") {
  auto db = load_asn_database(test_mmdb("asn-v4.mmdb"));
  auto google = db->lookup(ep("8.8.8.8"));
  REQUIRE(google.has_value());
  CHECK(google->asns == Asns{15169});
  CHECK(google->prefix.to_string() == "8.8.8.0/24");
  CHECK_FALSE(db->lookup(ep("2001:4860:4860::8888")).has_value());
}

TEST_CASE("mmdb: detected by content, whatever the file is called", "[targets][mmdb]") {
  TempFile renamed(contents_of(test_mmdb("asn.mmdb")));  // no .mmdb extension
  auto db = load_asn_database(renamed.path());
  CHECK(db->lookup(ep("8.8.8.8"))->asns == Asns{15169});
}

TEST_CASE("mmdb: another kind of database or a corrupt file is a clear error", "[targets][mmdb]") {
  const std::string country = test_mmdb("country.mmdb");
  CHECK_THROWS_WITH(load_asn_database(country),
                    country + ": not an ASN database (its type is 'GeoLite2-Country', expected e.g. GeoLite2-ASN)");

  // The metadata marker with garbage around it.
  TempFile garbage(std::string(100, 'x') + std::string(mxsentry::mmdb_metadata_marker) + "garbage");
  CHECK_THROWS_WITH(load_asn_database(garbage.path()),
                    Catch::StartsWith(garbage.path() + ": cannot open the MaxMind database: "));

  // A search tree that points nowhere: opened fine, found broken at the first lookup.
  std::string bytes = contents_of(test_mmdb("asn.mmdb"));
  for (std::size_t i = 0; i < 6; ++i) bytes[i] = '\xff';
  TempFile broken_tree(bytes);
  auto db = load_asn_database(broken_tree.path());
  CHECK_THROWS_WITH(db->lookup(ep("8.8.8.8")), Catch::StartsWith(broken_tree.path() + ": corrupt MaxMind database: "));
  CHECK_THROWS_AS(db->lookup(ep("2001:4860::1")), ListError);
}
