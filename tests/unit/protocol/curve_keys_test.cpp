// Key pairs on disk: written once, private to root, read back, and broken files named.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "protocol/curve_keys.h"
#include "tests/unit/temp_file.h"

using namespace mxsentry;

TEST_CASE("curve keys: a pair is written, read back, and never overwritten", "[protocol]") {
  char dir[] = "/tmp/mxsentry-keys-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string base = std::string(dir) + "/vp1";
  CurveKeyPair keys = generate_curve_keys();
  CHECK(keys.public_key.size() == 40);
  CHECK(keys.public_key != keys.secret_key);
  write_curve_keys(base, keys);
  CHECK(read_curve_key(base + ".pub") == keys.public_key);
  CHECK(read_curve_key(base + ".key") == keys.secret_key);
  struct stat st {};
  REQUIRE(stat((base + ".key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_THROWS_WITH(write_curve_keys(base, generate_curve_keys()), base + ".pub: exists; not overwritten");
  CHECK(read_curve_key(base + ".key") == keys.secret_key);
  std::remove((base + ".pub").c_str());
  std::remove((base + ".key").c_str());
  rmdir(dir);
}

TEST_CASE("curve keys: broken key files are named", "[protocol]") {
  mxsentry::test::TempFile short_key("# comment\nabc\n");
  CHECK_THROWS_WITH(read_curve_key(short_key.path()), short_key.path() + ": not a CURVE key (40 Z85 characters)");
  mxsentry::test::TempFile two("# c\n" + std::string(40, '0') + "\n" + std::string(40, '0') + "\n");
  CHECK_THROWS_WITH(read_curve_key(two.path()), two.path() + ": more than one key");
  mxsentry::test::TempFile bad_z85(std::string(39, '0') + "\"\n");
  CHECK_THROWS_WITH(read_curve_key(bad_z85.path()), bad_z85.path() + ": not a CURVE key (bad Z85)");
  CHECK_THROWS_WITH(read_curve_key("/nonexistent/x.pub"), "/nonexistent/x.pub: cannot read the key file");
}
