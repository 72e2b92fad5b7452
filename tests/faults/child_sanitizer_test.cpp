// The lab and integration tests start mxsentry's programs as child processes. In the
// sanitized run (scripts/test: ASAN_OPTIONS=detect_leaks=1) a leak or an error a child reports
// must fail the test that started it, also when the test only stops it at the end: this shows
// it with a program that leaks on purpose, built like mxsentry's own (sanitized in that build).
#include <catch2/catch.hpp>

#include <csignal>

#include <sys/wait.h>

#include "integration/child_process.h"

using namespace mxsentry::test;

#ifdef MXSENTRY_SANITIZED
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif

TEST_CASE("faults: a leak reported by a child ends in a failure of the test that started it", "[faults][leaks]") {
  // A service the test stops at its end (as the lab tests stop the coordinator and probers).
  ChildProcess leaking({MXSENTRY_LEAKER, "--wait", "--leak"});
  REQUIRE(leaking.read_line(10000) == "ready");
  const std::string failure = leaking.stop();
  INFO("child_failure: " << failure);
  if (sanitized) {
    CHECK(failure.find("signal 6") != std::string::npos);  // LeakSanitizer's report aborted it
  } else {
    CHECK(failure.empty());  // no sanitizer: nothing to report
  }

  // The same program without the leak ends clean in either build.
  ChildProcess clean({MXSENTRY_LEAKER, "--wait"});
  REQUIRE(clean.read_line(10000) == "ready");
  CHECK(clean.stop().empty());
}

TEST_CASE("faults: a child's end is judged by its signal and its sanitizer reports", "[faults][leaks]") {
  auto signalled = [](int signal) { return signal & 0x7f; };  // waitpid's status for a signal
  auto exited = [](int code) { return (code & 0xff) << 8; };
  REQUIRE(WIFSIGNALED(signalled(SIGABRT)));
  REQUIRE(WIFEXITED(exited(2)));
  CHECK(child_failure(exited(0)).empty());
  CHECK(child_failure(exited(2)).empty());  // an exit code is the program's to choose
  for (int s : {SIGTERM, SIGINT, SIGKILL}) CHECK(child_failure(signalled(s)).empty());  // the test's own
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) CHECK_FALSE(child_failure(signalled(s)).empty());
  CHECK_FALSE(child_failure(exited(1), "==1==ERROR: LeakSanitizer: detected memory leaks").empty());
  CHECK_FALSE(child_failure(exited(0), "x.cpp:3:5: runtime error: signed integer overflow").empty());
  CHECK(child_failure(exited(0), "probe: 8 queries: 8 answered").empty());
}
