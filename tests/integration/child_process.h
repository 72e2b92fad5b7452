#pragma once
// Starting the programs an integration test needs (responders, the mxsentry binary) and
// making sure they are gone when the test ends, pass or fail.

#include <string>
#include <vector>

#include <sys/types.h>

namespace mxsentry::test {

/// Why a child's end is a failure of the test, or empty: a crash or a sanitizer's report (a
/// signal other than the SIGTERM, SIGINT or SIGKILL a test sends; a sanitized child's report
/// aborts it, see child_environment()), or a sanitizer's report in its stderr when the test
/// has it. `status` is waitpid()'s.
std::string child_failure(int status, const std::string& err = "");

/// The environment a child is started with: the test's, with `abort_on_error=1` added to
/// ASAN_OPTIONS (unless it says otherwise), so that a leak or error report in a sanitized
/// child ends it with SIGABRT, which the test sees, rather than with an exit code (1) it may
/// take for the program's own.
std::vector<std::string> child_environment();

/// A background program whose stdout the test reads line by line. On destruction it is sent
/// SIGTERM (SIGKILL 10 s later) and, if it ended with a crash or a sanitizer's report
/// (child_failure), the running test fails: a leak in a service at its exit counts.
class ChildProcess {
 public:
  /// Its stderr goes to `stderr_path` when one is given (else the test's own).
  explicit ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// The next line of its stdout, waiting at most timeout_ms; throws on timeout or EOF.
  std::string read_line(int timeout_ms);
  pid_t pid() const { return pid_; }
  /// Waits for it to exit (killed after timeout_ms): its exit status, or -1 if it was killed.
  int wait_exit(int timeout_ms);
  /// Sends SIGTERM, waits (SIGKILL after timeout_ms) and returns child_failure() of its end;
  /// the destructor then checks nothing more.
  std::string stop(int timeout_ms = 10000);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
  std::string argv0_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs a program to completion (killed after timeout_ms) and captures its output.
CommandResult run_command(const std::vector<std::string>& argv, int timeout_ms = 60000);

/// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  /// Writes a file in the directory and returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

/// A whole file's bytes (empty when it cannot be read).
std::string read_file(const std::string& path);

}  // namespace mxsentry::test
