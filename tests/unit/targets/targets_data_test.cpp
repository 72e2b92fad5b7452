// The curated files in targets/data parse as the formats they claim, with the content promised.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "targets/domain_list.h"
#include "targets/prefix_list.h"

namespace {

// The source tree, found from this file's path (the build passes sources by absolute path).
std::string data_file(const std::string& name) {
  std::string here = __FILE__;
  auto at = here.rfind("tests/unit/targets/");
  REQUIRE(at != std::string::npos);
  return here.substr(0, at) + "targets/data/" + name;
}

bool has(const std::vector<std::string>& names, const char* name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

TEST_CASE("targets/data/mail-providers.txt is a domain list of major providers", "[targets][targets_data]") {
  auto list = mxsentry::load_domain_list(data_file("mail-providers.txt"));
  CHECK(list.duplicates == 0);
  CHECK(list.domains.size() >= 60);
  CHECK(list.domains.size() <= 100);
  for (const char* name : {"gmail.com.", "outlook.com.", "yahoo.com.", "qq.com.", "t-online.de.", "comcast.net.",
                           "web.de.", "seznam.cz.", "wp.pl.", "libero.it.", "laposte.net.", "rediffmail.com."})
    CHECK(has(list.domains, name));
}

TEST_CASE("targets/data/opt-out.example.txt holds documentation prefixes only", "[targets][targets_data]") {
  auto list = mxsentry::load_prefix_list(data_file("opt-out.example.txt"));
  CHECK(list.size() == 4);
  CHECK(list.match(*mxsentry::Endpoint::parse("192.0.2.1")) != nullptr);
  CHECK(list.match(*mxsentry::Endpoint::parse("2001:db8:1::1")) != nullptr);
  CHECK(list.match(*mxsentry::Endpoint::parse("198.51.100.1")) == nullptr);
  CHECK(list.match(*mxsentry::Endpoint::parse("8.8.8.8")) == nullptr);
  auto documentation = mxsentry::parse_prefix_list("192.0.2.0/24\n2001:db8::/32\n", "documentation");
  for (const char* address : {"192.0.2.0", "192.0.2.53", "2001:db8::", "2001:db8:53::1"})
    CHECK(documentation.match(*mxsentry::Endpoint::parse(address)) != nullptr);
}
