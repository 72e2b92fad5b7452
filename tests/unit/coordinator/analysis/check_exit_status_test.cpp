// A check's exit status: flagged beats everything, and a check that compared nothing says so
// (it once exited 0, "nothing flagged", when no resolver was reached or no truth was found).
#include <catch2/catch.hpp>

#include <vector>

#include "coordinator/analysis/verdict.h"

using namespace mxsentry;

namespace {

std::vector<Verdict> verdicts_of(std::initializer_list<VerdictClass> classes) {
  std::vector<Verdict> out;
  for (VerdictClass c : classes) {
    Verdict v;
    v.verdict = c;
    out.push_back(v);
  }
  return out;
}

}  // namespace

TEST_CASE("check_exit_status: 3 when no verdict compared an answer with the truth", "[analysis][verdict]") {
  using V = VerdictClass;
  CHECK(check_exit_status(verdicts_of({})) == 3);
  CHECK(check_exit_status(verdicts_of({V::unknown, V::unknown})) == 3);
  CHECK(check_exit_status(verdicts_of({V::unreachable, V::unknown, V::not_asked})) == 3);
  CHECK(check_exit_status(verdicts_of({V::unreachable})) == 3);
}

TEST_CASE("check_exit_status: 0 when something was compared and nothing flagged, 1 when flagged", "[analysis][verdict]") {
  using V = VerdictClass;
  CHECK(check_exit_status(verdicts_of({V::unreachable, V::consistent})) == 0);
  CHECK(check_exit_status(verdicts_of({V::variation})) == 0);
  CHECK(check_exit_status(verdicts_of({V::failed, V::unknown})) == 0);  // a failure where the truth has data is a finding
  CHECK(check_exit_status(verdicts_of({V::unknown, V::suspicious})) == 1);
  CHECK(check_exit_status(verdicts_of({V::consistent, V::poisoned, V::unreachable})) == 1);
}
