// The check store's file across versions: a file of the release before schema versions is
// migrated with its rows kept, a new file gets the newest version, a newer file is refused.
#include <catch2/catch.hpp>

#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/check/check_store.h"
#include "tests/unit/sqlite_file.h"
#include "tests/unit/test_support.h"

using namespace mxsentry;
using mxsentry::test::SqliteFile;

namespace {

// The schema of `layout-ready`, the last release without schema versions.
const std::string layout_ready_schema = MXSENTRY_SOURCE_DIR "/tests/unit/coordinator/check/layout_ready_schema.sql";

const char* old_verdict_line =
    R"({"vantage":"local","resolver":"192.0.2.53","qname":"mail.example.","qtype":"A","verdict":"poisoned",)"
    R"("confidence":0.950,"evidence":["not-in-truth"],"observed":["203.0.113.66"],"expected":["192.0.2.25"],)"
    R"("ttl":300,"expected_ttl":300,"dnssec":"insecure","rcode":"NOERROR"})";

Verdict consistent_verdict() {
  Verdict v;
  v.vantage = "local";
  v.resolver = test::ep("192.0.2.54");
  v.qname = "example.";
  v.qtype = 15;
  v.verdict = VerdictClass::consistent;
  v.confidence = 1;
  v.evidence = {Evidence::match};
  v.dnssec = "secure";
  v.rcode = 0;
  return v;
}

}  // namespace

TEST_CASE("check store: a file from before schema versions is migrated, its rows kept", "[check][storage]") {
  SqliteFile file;
  file.exec_file(layout_ready_schema);
  file.exec(std::string("INSERT INTO checks VALUES (1, 1700000000000, 'local', 'example.');"
                        "INSERT INTO truths VALUES (1, 'mail.example.', 'A', '{}');"
                        "INSERT INTO verdicts VALUES (1, 'local', '192.0.2.53', 'mail.example.', 'A', 'poisoned', 0.95, '") +
            old_verdict_line + "');");
  REQUIRE(file.version() == 0);

  CheckStore store(file.path());
  CHECK(file.version() == 4);
  auto lines = store.verdict_lines(1);
  REQUIRE(lines == std::vector<std::string>{old_verdict_line});
  Verdict old = parse_verdict_json(lines[0]);
  CHECK(old.verdict == VerdictClass::poisoned);
  CHECK(old.observed == std::vector<std::string>{"203.0.113.66"});
  CHECK(file.rows("SELECT check_id, qtype, verdict, confidence FROM verdicts") ==
        std::vector<std::string>{"1|A|poisoned|0.95"});
  CHECK(file.rows("SELECT count(*) FROM truths") == std::vector<std::string>{"1"});

  // New checks go on beside the old one, in the same table.
  auto id = store.save({"example."}, "local", {}, {}, {consistent_verdict()});
  CHECK(id == 2);
  CHECK(file.rows("SELECT qtype, verdict FROM verdicts WHERE check_id = 2") == std::vector<std::string>{"MX|consistent"});
  CHECK(parse_verdict_json(store.verdict_lines(2).at(0)).qtype == 15);
}

TEST_CASE("check store: a new file has the newest version and the migrated shape", "[check][storage]") {
  test::check_new_file_like_migrated<CheckStore>(layout_ready_schema, 4);
  SqliteFile file;
  { CheckStore created(file.path()); }
  CHECK_THAT(file.rows("SELECT name FROM sqlite_master WHERE type = 'index'"),
             Catch::VectorContains(std::string("verdicts_by_class")) &&
                 Catch::VectorContains(std::string("cof_records_by_name")));
}

TEST_CASE("check store: a file of a newer mxsentry is refused", "[check][storage]") {
  test::check_newer_file_refused<CheckStore>(layout_ready_schema, 4);
}
