// Target ranking: in-degree over distinct domains, MX and NS roles, order, canonical names, and
// the name-list text it writes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "targets/name_list.h"
#include "targets/target_ranking.h"

using mxsentry::DomainHosts;
using mxsentry::format_ranked_hosts;
using mxsentry::rank_hosts;
using mxsentry::RankedHost;

namespace {

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("rank_hosts: in-degree counts distinct domains, MX and NS alike", "[targets][target_ranking]") {
  std::vector<DomainHosts> input = {
      {"a.example", {"mx.shared.example", "mx2.a.example"}, {"ns1.dns.example", "ns2.dns.example"}},
      {"b.example", {"MX.Shared.Example."}, {"ns1.dns.example"}},
      {"c.example", {"mx.shared.example"}, {"mx.shared.example"}},  // one host, both roles: one domain
      {"B.example.", {"mx.shared.example"}, {}},                    // b.example again
  };
  auto ranked = rank_hosts(input);
  REQUIRE(ranked.size() == 4);
  CHECK(ranked[0].name == "mx.shared.example.");
  CHECK(ranked[0].in_degree == 3);
  CHECK(ranked[0].domains == Names{"a.example.", "b.example.", "c.example."});
  CHECK(ranked[0].mx);
  CHECK(ranked[0].ns);
  CHECK(ranked[1].name == "ns1.dns.example.");
  CHECK(ranked[1].in_degree == 2);
  CHECK(ranked[1].domains == Names{"a.example.", "b.example."});
  CHECK_FALSE(ranked[1].mx);
  CHECK(ranked[1].ns);
  // Equal in-degree: by name.
  CHECK(ranked[2].name == "mx2.a.example.");
  CHECK(ranked[2].in_degree == 1);
  CHECK(ranked[2].mx);
  CHECK_FALSE(ranked[2].ns);
  CHECK(ranked[3].name == "ns2.dns.example.");
  CHECK(ranked[3].in_degree == 1);
}

TEST_CASE("rank_hosts: empty input, domains without hosts, the null MX", "[targets][target_ranking]") {
  CHECK(rank_hosts({}).empty());
  CHECK(rank_hosts({{"nomail.example", {}, {}}}).empty());
  auto ranked = rank_hosts({{"nomail.example", {"."}, {"ns.example"}}, {"x.example", {""}, {}}});
  REQUIRE(ranked.size() == 1);  // "." (RFC 7505) and "" are no hosts
  CHECK(ranked[0].name == "ns.example.");
}

TEST_CASE("rank_hosts: order is by in-degree, then name, whatever the input order", "[targets][target_ranking]") {
  std::vector<DomainHosts> input;
  for (int i = 0; i < 5; ++i) input.push_back({"d" + std::to_string(i) + ".example", {"z.example"}, {}});
  input.push_back({"d0.example", {"b.example", "a.example"}, {}});
  input.push_back({"d1.example", {"b.example"}, {}});
  auto ranked = rank_hosts(input);
  Names order;
  for (const auto& host : ranked) order.push_back(host.name);
  CHECK(order == Names{"z.example.", "b.example.", "a.example."});
  std::reverse(input.begin(), input.end());
  auto again = rank_hosts(input);
  REQUIRE(again.size() == ranked.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    CHECK(again[i].name == ranked[i].name);
    CHECK(again[i].domains == ranked[i].domains);
  }
}

TEST_CASE("format_ranked_hosts: a name list with the ranking in comments", "[targets][target_ranking]") {
  auto ranked = rank_hosts({
      {"a.example", {"mx.shared.example"}, {"ns.shared.example"}},
      {"b.example", {"mx.shared.example"}, {"mx.shared.example"}},
  });
  CHECK(format_ranked_hosts(ranked) ==
        "# in-degree 2 (mx,ns): a.example., b.example.\n"
        "mx.shared.example. A\n"
        "mx.shared.example. AAAA\n"
        "# in-degree 1 (ns): a.example.\n"
        "ns.shared.example. A\n"
        "ns.shared.example. AAAA\n");
  CHECK(format_ranked_hosts({}).empty());

  // What it writes is what `probe --names` reads.
  std::string text = format_ranked_hosts(ranked);
  std::vector<mxsentry::NameEntry> entries;
  std::size_t line_no = 0, start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (auto entry = mxsentry::parse_name_line(text.substr(start, end - start), "ranked.txt", ++line_no))
      entries.push_back(*entry);
    start = end + 1;
  }
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].name == "mx.shared.example.");
  CHECK(entries[0].qtype == std::uint16_t{1});
  CHECK(entries[1].qtype == std::uint16_t{28});
  CHECK(entries[3].name == "ns.shared.example.");
}

TEST_CASE("format_ranked_hosts: a host of many domains names ten of them", "[targets][target_ranking]") {
  std::vector<DomainHosts> input;
  for (int i = 0; i < 12; ++i) input.push_back({"d" + std::to_string(10 + i) + ".example", {"mx.big.example"}, {}});
  auto text = format_ranked_hosts(rank_hosts(input));
  CHECK(text ==
        "# in-degree 12 (mx): d10.example., d11.example., d12.example., d13.example., d14.example., "
        "d15.example., d16.example., d17.example., d18.example., d19.example., ... (2 more)\n"
        "mx.big.example. A\n"
        "mx.big.example. AAAA\n");
}
