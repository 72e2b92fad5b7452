// load_asn_database: which format a file is, and what it says when it is neither.

#include <catch2/catch.hpp>

#include "tests/unit/temp_file.h"

#include <cstdio>
#include <string>

#include "targets/asn_database.h"
#include "targets/list_error.h"

using mxsentry::Endpoint;
using mxsentry::ListError;
using mxsentry::load_asn_database;

namespace {

using mxsentry::test::TempFile;

std::string error_of(const std::string& path) {
  try {
    load_asn_database(path);
  } catch (const ListError& e) {
    return e.what();
  }
  FAIL("no ListError for " << path);
  return {};
}

}  // namespace

TEST_CASE("load_asn_database: pfx2as text", "[targets][asn_database]") {
  TempFile text("8.8.8.0\t24\t15169\n2001:4860::\t32\t15169\n");
  auto db = load_asn_database(text.path());
  auto google = db->lookup(*Endpoint::parse("8.8.8.8"));
  REQUIRE(google.has_value());
  CHECK(google->asns == std::vector<std::uint32_t>{15169});
  CHECK(db->lookup(*Endpoint::parse("2001:4860::1")).has_value());
  CHECK_FALSE(db->lookup(*Endpoint::parse("1.1.1.1")).has_value());
}

TEST_CASE("load_asn_database: errors name the file", "[targets][asn_database]") {
  TempFile broken("8.8.8.0\t24\t15169\n8.8.4.0\t24\n");
  CHECK(error_of(broken.path()) == broken.path() + ":2: expected 'prefix<TAB>length<TAB>asn', got '8.8.4.0\t24'");

  TempFile empty("# nothing\n");
  CHECK(error_of(empty.path()) == empty.path() + ": no prefixes in the pfx2as file");

  TempFile gzip(std::string("\x1f\x8b\x08\x00", 4) + "compressed");
  CHECK(error_of(gzip.path()) == gzip.path() + ": the file is gzip-compressed; unpack it first (gunzip)");

  TempFile binary(std::string("\x01\x02\x00\x03", 4));
  CHECK(error_of(binary.path()) ==
        binary.path() + ": neither pfx2as text nor a MaxMind database (binary data without mmdb metadata)");

  // A .mmdb without its metadata (cut short): not read as text.
  const std::string truncated = broken.path() + ".mmdb";
  {
    std::ofstream out(truncated, std::ios::binary);
    out << std::string("\x00\x00\x01\x00\x00\x02", 6);
  }
  CHECK(error_of(truncated) == truncated + ": no MaxMind metadata found (a truncated or corrupt .mmdb file?)");
  std::remove(truncated.c_str());

  const std::string missing = broken.path() + ".does-not-exist";
  CHECK(error_of(missing) == missing + ": cannot open the ASN database");
  CHECK(error_of("/") == "/: cannot open the ASN database (it is a directory)");
}
