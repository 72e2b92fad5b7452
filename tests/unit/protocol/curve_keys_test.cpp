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

TEST_CASE("curve keys: keygen of an empty name or DIR/ is refused, not written as hidden files", "[protocol]") {
  char dir[] = "/tmp/mxsentry-keys-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  CurveKeyPair keys = generate_curve_keys();
  CHECK_THROWS_WITH(write_curve_keys(std::string(dir) + "/", keys), Catch::Contains("no name"));
  CHECK_THROWS_WITH(write_curve_keys("", keys), Catch::Contains("no name"));
  CHECK_THROWS_WITH(write_curve_keys(std::string(dir) + "/.vp1", keys), Catch::Contains("hidden"));
  CHECK_THROWS_WITH(write_curve_keys(std::string(dir) + "/vp\n1", keys), Catch::Contains("printable"));
  struct stat st {};
  CHECK(stat((std::string(dir) + "/.pub").c_str(), &st) != 0);  // nothing written
  CHECK(rmdir(dir) == 0);                                       // the directory is still empty
}

TEST_CASE("curve keys: key_name_problem", "[protocol]") {
  CHECK(key_name_problem("vp1").empty());
  CHECK(key_name_problem("nl-ams.probe_2").empty());
  CHECK_FALSE(key_name_problem("").empty());
  CHECK_FALSE(key_name_problem(".x").empty());
  CHECK_FALSE(key_name_problem("a b").empty());
  CHECK_FALSE(key_name_problem("a\x1b[31m").empty());
  CHECK_FALSE(key_name_problem("caf\xC3\xA9").empty());
}

TEST_CASE("curve keys: a public key where a secret one is needed is refused, and the reverse", "[protocol]") {
  char dir[] = "/tmp/mxsentry-keys-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string base = std::string(dir) + "/coordinator";
  CurveKeyPair keys = generate_curve_keys();
  write_curve_keys(base, keys);
  CHECK(read_curve_key(base + ".key", KeyKind::secret_key) == keys.secret_key);
  CHECK(read_curve_key(base + ".pub", KeyKind::public_key) == keys.public_key);
  CHECK_THROWS_WITH(read_curve_key(base + ".pub", KeyKind::secret_key), Catch::Contains("a public key"));
  CHECK_THROWS_WITH(read_curve_key(base + ".key", KeyKind::public_key), Catch::Contains("a secret key"));
  // Renamed, keygen's first line still tells.
  std::string renamed = std::string(dir) + "/server-key";
  REQUIRE(std::rename((base + ".pub").c_str(), renamed.c_str()) == 0);
  CHECK_THROWS_WITH(read_curve_key(renamed, KeyKind::secret_key), Catch::Contains("a public key"));
  CHECK(read_curve_key(renamed, KeyKind::public_key) == keys.public_key);
  std::remove(renamed.c_str());
  std::remove((base + ".key").c_str());
  rmdir(dir);
}
