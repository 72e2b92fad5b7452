// ProbePlan: the order of tasks in fanout and spread modes, type overrides, name normalisation,
// and a name source failing mid-stream.

#include <catch2/catch.hpp>

#include "tests/unit/test_support.h"

#include <optional>
#include <string>
#include <vector>

#include "coordinator/probe/probe_plan.h"
#include "protocol/dns/endpoint.h"
#include "targets/list_error.h"
#include "targets/name_list.h"

using mxsentry::Endpoint;
using mxsentry::NameEntry;
using mxsentry::NameVectorSource;
using mxsentry::ProbeMode;
using mxsentry::ProbePlan;
using mxsentry::Task;

namespace {

constexpr std::uint16_t A = 1, MX = 15, AAAA = 28, TXT = 16;

using mxsentry::test::ep;

const std::vector<Endpoint>& three_resolvers() {
  static const std::vector<Endpoint> r = {*Endpoint::parse("192.0.2.1"), *Endpoint::parse("192.0.2.2"),
                                          *Endpoint::parse("[2001:db8::3]:5353")};
  return r;
}

NameEntry entry(std::string name, std::optional<std::uint16_t> qtype = std::nullopt, std::size_t line = 0) {
  return NameEntry{std::move(name), qtype, line};
}

struct Expected {
  std::string qname;
  std::uint16_t qtype;
  std::size_t resolver;  ///< index into the resolver list
};

std::vector<Task> drain(ProbePlan& plan, std::size_t limit = 10000) {
  std::vector<Task> tasks;
  while (auto t = plan.next()) {
    tasks.push_back(*t);
    REQUIRE(tasks.size() <= limit);
  }
  return tasks;
}

void check_tasks(const std::vector<Task>& tasks, const std::vector<Expected>& expected,
                 const std::vector<Endpoint>& resolvers) {
  REQUIRE(tasks.size() == expected.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    INFO("task " << i);
    CHECK(tasks[i].index == i);
    CHECK(tasks[i].qname == expected[i].qname);
    CHECK(tasks[i].qtype == expected[i].qtype);
    CHECK(tasks[i].resolver == resolvers[expected[i].resolver]);
    CHECK(tasks[i].recursion_desired);
  }
}

// A source that yields some entries, then throws, and counts how often it was asked.
class FailingSource final : public mxsentry::NameSource {
 public:
  std::optional<NameEntry> next() override {
    ++calls;
    if (calls == 1) return entry("a.example", std::nullopt, 1);
    if (calls == 2) return entry("b.example", MX, 2);
    throw mxsentry::ListError("names.txt", 3, "unknown record type 'BOGUS'");
  }
  int calls = 0;
};

class CountingSource final : public mxsentry::NameSource {
 public:
  std::optional<NameEntry> next() override {
    ++calls;
    return std::nullopt;
  }
  int calls = 0;
};

}  // namespace

TEST_CASE("ProbePlan fanout: name, then type, then every resolver innermost", "[plan]") {
  const auto& resolvers = three_resolvers();
  NameVectorSource names({entry("a.example"), entry("b.example")});
  ProbePlan plan(resolvers, names, {A, AAAA}, ProbeMode::fanout);
  auto tasks = drain(plan);
  check_tasks(tasks,
              {
                  {"a.example.", A, 0},    {"a.example.", A, 1},    {"a.example.", A, 2},
                  {"a.example.", AAAA, 0}, {"a.example.", AAAA, 1}, {"a.example.", AAAA, 2},
                  {"b.example.", A, 0},    {"b.example.", A, 1},    {"b.example.", A, 2},
                  {"b.example.", AAAA, 0}, {"b.example.", AAAA, 1}, {"b.example.", AAAA, 2},
              },
              resolvers);
  CHECK(plan.planned() == 12);
  CHECK(plan.error().empty());
  CHECK_FALSE(plan.next().has_value());  // stays finished
  CHECK(plan.planned() == 12);
}

TEST_CASE("ProbePlan spread: resolvers take turns across names and types", "[plan]") {
  const auto& resolvers = three_resolvers();
  NameVectorSource names({entry("a.example"), entry("b.example"), entry("c.example")});
  ProbePlan plan(resolvers, names, {A, AAAA}, ProbeMode::spread);
  auto tasks = drain(plan);
  check_tasks(tasks,
              {
                  {"a.example.", A, 0},
                  {"a.example.", AAAA, 1},
                  {"b.example.", A, 2},
                  {"b.example.", AAAA, 0},
                  {"c.example.", A, 1},
                  {"c.example.", AAAA, 2},
              },
              resolvers);
  CHECK(plan.planned() == 6);
  CHECK(plan.error().empty());
}

TEST_CASE("ProbePlan spread with one type and more names than resolvers", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1"), ep("192.0.2.2")};
  NameVectorSource names({entry("n1.example"), entry("n2.example"), entry("n3.example"), entry("n4.example"),
                          entry("n5.example")});
  ProbePlan plan(resolvers, names, {MX}, ProbeMode::spread);
  check_tasks(drain(plan),
              {{"n1.example.", MX, 0},
               {"n2.example.", MX, 1},
               {"n3.example.", MX, 0},
               {"n4.example.", MX, 1},
               {"n5.example.", MX, 0}},
              resolvers);
}

TEST_CASE("ProbePlan: a type on the name's line replaces the default types", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1"), ep("192.0.2.2")};
  SECTION("fanout") {
    NameVectorSource names({entry("a.example"), entry("b.example", TXT), entry("c.example")});
    ProbePlan plan(resolvers, names, {A, MX}, ProbeMode::fanout);
    check_tasks(drain(plan),
                {{"a.example.", A, 0},
                 {"a.example.", A, 1},
                 {"a.example.", MX, 0},
                 {"a.example.", MX, 1},
                 {"b.example.", TXT, 0},
                 {"b.example.", TXT, 1},
                 {"c.example.", A, 0},
                 {"c.example.", A, 1},
                 {"c.example.", MX, 0},
                 {"c.example.", MX, 1}},
                resolvers);
  }
  SECTION("spread") {
    NameVectorSource names({entry("a.example"), entry("b.example", TXT), entry("c.example")});
    ProbePlan plan(resolvers, names, {A, MX}, ProbeMode::spread);
    check_tasks(drain(plan),
                {{"a.example.", A, 0},
                 {"a.example.", MX, 1},
                 {"b.example.", TXT, 0},
                 {"c.example.", A, 1},
                 {"c.example.", MX, 0}},
                resolvers);
  }
}

TEST_CASE("ProbePlan normalises names to presentation format with the trailing dot", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1")};
  NameVectorSource names({entry("example.com"), entry("example.org."), entry("Mixed.Case.Example"), entry("."),
                          entry("a\\.b.example"), entry("\\065\\066.example."), entry("sp\\032ace.example")});
  ProbePlan plan(resolvers, names, {A}, ProbeMode::fanout);
  auto tasks = drain(plan);
  REQUIRE(tasks.size() == 7);
  CHECK(tasks[0].qname == "example.com.");
  CHECK(tasks[1].qname == "example.org.");
  CHECK(tasks[2].qname == "Mixed.Case.Example.");  // case is kept
  CHECK(tasks[3].qname == ".");
  CHECK(tasks[4].qname == "a\\.b.example.");
  CHECK(tasks[5].qname == "AB.example.");
  CHECK(tasks[6].qname == "sp\\032ace.example.");
  for (std::size_t i = 0; i < tasks.size(); ++i) CHECK(tasks[i].index == i);
}

TEST_CASE("ProbePlan with no resolvers or no types plans nothing", "[plan]") {
  SECTION("no resolvers") {
    CountingSource names;
    ProbePlan plan({}, names, {A}, ProbeMode::fanout);
    CHECK_FALSE(plan.next().has_value());
    CHECK_FALSE(plan.next().has_value());
    CHECK(plan.planned() == 0);
    CHECK(plan.error().empty());
    CHECK(names.calls == 0);
  }
  SECTION("no resolvers, spread") {
    NameVectorSource names({entry("a.example")});
    ProbePlan plan({}, names, {A}, ProbeMode::spread);
    CHECK_FALSE(plan.next().has_value());
    CHECK(plan.planned() == 0);
  }
  SECTION("no types") {
    CountingSource names;
    ProbePlan plan({ep("192.0.2.1")}, names, {}, ProbeMode::fanout);
    CHECK_FALSE(plan.next().has_value());
    CHECK(names.calls == 0);
  }
  SECTION("no names") {
    CountingSource names;
    ProbePlan plan({ep("192.0.2.1")}, names, {A}, ProbeMode::fanout);
    CHECK_FALSE(plan.next().has_value());
    CHECK_FALSE(plan.next().has_value());
    CHECK(names.calls == 1);  // finished: the source is not asked again
    CHECK(plan.error().empty());
  }
}

TEST_CASE("ProbePlan: a name source failing mid-stream ends the plan with its message", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1"), ep("192.0.2.2")};
  for (ProbeMode mode : {ProbeMode::fanout, ProbeMode::spread}) {
    INFO((mode == ProbeMode::fanout ? "fanout" : "spread"));
    FailingSource names;
    ProbePlan plan(resolvers, names, {A}, mode);
    auto tasks = drain(plan);
    if (mode == ProbeMode::fanout) {
      check_tasks(tasks, {{"a.example.", A, 0}, {"a.example.", A, 1}, {"b.example.", MX, 0}, {"b.example.", MX, 1}},
                  resolvers);
    } else {
      check_tasks(tasks, {{"a.example.", A, 0}, {"b.example.", MX, 1}}, resolvers);
    }
    CHECK(plan.error() == "names.txt:3: unknown record type 'BOGUS'");
    CHECK(plan.planned() == tasks.size());
    CHECK(names.calls == 3);
    CHECK_FALSE(plan.next().has_value());
    CHECK(names.calls == 3);  // not asked again after the failure
  }
}

TEST_CASE("ProbePlan: an invalid name in the source ends the plan with the reason", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1")};
  NameVectorSource names({entry("good.example"), entry("bad..example"), entry("never.example")});
  ProbePlan plan(resolvers, names, {A}, ProbeMode::fanout);
  auto tasks = drain(plan);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].qname == "good.example.");
  CHECK(plan.error().rfind("bad name 'bad..example': ", 0) == 0);
  CHECK_FALSE(plan.next().has_value());
}

TEST_CASE("ProbePlan is lazy: it reads a name only when its tasks are needed", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1"), ep("192.0.2.2")};
  FailingSource names;
  ProbePlan plan(resolvers, names, {A}, ProbeMode::fanout);
  CHECK(names.calls == 0);
  REQUIRE(plan.next().has_value());
  CHECK(names.calls == 1);
  REQUIRE(plan.next().has_value());
  CHECK(names.calls == 1);
  REQUIRE(plan.next().has_value());
  CHECK(names.calls == 2);
  CHECK(plan.error().empty());
}

// Once asked twice: the same name on two lines (in any spelling or case), or a type given twice.
TEST_CASE("ProbePlan: a (name, type) given twice is asked once", "[plan]") {
  const std::vector<Endpoint> resolvers = {ep("192.0.2.1"), ep("192.0.2.2")};
  NameVectorSource names({entry("a.example"), entry("A.Example."), entry("b.example", MX), entry("a.example", MX),
                          entry("b.example", MX), entry("b.example"), entry("\\097.example", A)});
  ProbePlan plan(resolvers, names, {A, MX, A}, ProbeMode::fanout);
  check_tasks(drain(plan),
              {{"a.example.", A, 0},
               {"a.example.", A, 1},
               {"a.example.", MX, 0},
               {"a.example.", MX, 1},
               {"b.example.", MX, 0},
               {"b.example.", MX, 1},
               {"b.example.", A, 0},
               {"b.example.", A, 1}},
              resolvers);
  // Skipped: a's second A; all three of A.Example.; a MX; b MX again; b's MX and second A;
  // \\097.example (a.example) A.
  CHECK(plan.duplicates() == 1 + 3 + 1 + 1 + 2 + 1);
}
