#pragma once
// Starting the programs an integration test needs (responders, the mxsentry binary) and
// making sure they are gone when the test ends, pass or fail.

#include <string>
#include <vector>

#include <sys/types.h>

namespace mxsentry::test {

/// A background program whose stdout the test reads line by line; killed on destruction.
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

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
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

}  // namespace mxsentry::test
