#include "integration/child_process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mxsentry::test {

namespace {

// `env` is made before fork(): between fork and exec only async-signal-safe calls.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  execve(args[0], args.data(), envp.data());
  std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
  _exit(127);
}

// Waits for the child up to timeout_ms; kills it if it is still there. Returns its status.
int reap(pid_t pid, int timeout_ms) {
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

std::string child_failure(int status, const std::string& err) {
  for (const char* report : {"ERROR: LeakSanitizer", "ERROR: AddressSanitizer", "runtime error:"})
    if (err.find(report) != std::string::npos) return std::string("its stderr has a sanitizer report (") + report + ")";
  if (status < 0 || !WIFSIGNALED(status)) return {};
  const int signal = WTERMSIG(status);
  if (signal == SIGTERM || signal == SIGINT || signal == SIGKILL) return {};
  return std::string("it ended on signal ") + std::to_string(signal) + " (" + strsignal(signal) +
         (signal == SIGABRT ? "; a sanitizer's report aborts, see its stderr above" : "") + ")";
}

std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  bool asan_options = false;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    if (entry.rfind("ASAN_OPTIONS=", 0) == 0) {
      asan_options = true;
      if (entry.find("abort_on_error=") == std::string::npos)
        entry += entry.size() > 13 ? ":abort_on_error=1" : "abort_on_error=1";
    }
    env.push_back(std::move(entry));
  }
  if (!asan_options) env.emplace_back("ASAN_OPTIONS=abort_on_error=1");  // a plain build ignores it
  return env;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const std::vector<std::string> env = child_environment();
  argv0_ = argv.empty() ? std::string() : argv[0];
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    if (!stderr_path.empty()) dup2(open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), STDERR_FILENO);
    exec_child(argv, env);
  }
  close(fds[1]);
  stdout_fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    const std::string failure = stop();
    // A failure of the running test, not an exception: this may run while one unwinds.
    if (!failure.empty()) FAIL_CHECK(argv0_ << ": " << failure);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::string ChildProcess::stop(int timeout_ms) {
  if (pid_ <= 0) return {};
  kill(pid_, SIGTERM);
  kill(pid_, SIGCONT);  // a child a test stopped (SIGSTOP) takes the SIGTERM too
  const int status = reap(pid_, timeout_ms);
  pid_ = -1;
  return child_failure(status);
}

int ChildProcess::wait_exit(int timeout_ms) {
  int status = reap(pid_, timeout_ms);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ChildProcess::read_line(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (auto nl = buffered_.find('\n'); nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("child printed no line in time");
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[512];
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("child closed its output");
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
}

CommandResult run_command(const std::vector<std::string>& argv, int timeout_ms) {
  TempDir dir;
  std::string out_path = dir.path() + "/out", err_path = dir.path() + "/err";
  const std::vector<std::string> env = child_environment();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = open("/dev/null", O_RDONLY);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    dup2(in, STDIN_FILENO);
    exec_child(argv, env);
  }
  int status = reap(pid, timeout_ms);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  // A sanitizer's report fails the test even where it only looks at the output.
  if (const std::string failure = child_failure(status, result.err); !failure.empty())
    FAIL_CHECK(argv[0] << ": " << failure << "\n" << result.err);
  return result;
}

TempDir::TempDir() {
  char pattern[] = "/tmp/mxsentry-test-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  std::string path = path_ + "/" + name;
  std::ofstream(path) << content;
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mxsentry::test
