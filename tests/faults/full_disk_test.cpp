// The coordinator's database on a file system that fills up during a sweep: a 3 MB tmpfs in
// a mount namespace of the test's own, filled by a file until the kernel says ENOSPC, then
// emptied again. The coordinator must say so (its log and `status`), keep the results it took
// from the prober in memory, keep every row it had committed, stay up, and write everything,
// once, when space returns.
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "integration/sweep_deployment.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {

/// A small tmpfs at `path`, seen only by this process and the programs it starts.
class SmallDisk {
 public:
  SmallDisk(const std::string& path, const std::string& size) : path_(path) {
    REQUIRE(::mkdir(path.c_str(), 0700) == 0);
    // Needs root (CI and the lab run as root): a mount namespace of the test's own, its
    // mounts private so that nothing here reaches the machine's.
    INFO("unshare/mount: " << std::strerror(errno));
    REQUIRE(::unshare(CLONE_NEWNS) == 0);
    REQUIRE(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
    REQUIRE(::mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, ("size=" + size).c_str()) == 0);
  }
  ~SmallDisk() { ::umount2(path_.c_str(), MNT_DETACH); }

  /// Writes `name` until the file system is full; returns the bytes written.
  std::size_t fill(const std::string& name) {
    int fd = ::open((path_ + "/" + name).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    std::vector<char> chunk(4096, 'x');
    std::size_t written = 0;
    int error = 0;
    while (true) {
      ssize_t n = ::write(fd, chunk.data(), chunk.size());
      if (n <= 0) {
        error = errno;
        break;
      }
      written += static_cast<std::size_t>(n);
    }
    ::close(fd);
    CHECK(error == ENOSPC);
    return written;
  }
  void remove(const std::string& name) { REQUIRE(::unlink((path_ + "/" + name).c_str()) == 0); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST_CASE("lab full disk: results wait in memory while the database's disk is full, and are written once when space returns",
          "[lab][faults]") {
  Deployment d(25640);
  SmallDisk disk(d.dir().path() + "/disk", "3m");
  d.set_db(disk.path() + "/coordinator.sqlite");
  const std::string log = d.dir().path() + "/coordinator.log";
  d.log_coordinator_to(log);
  d.start_coordinator();

  // A first sweep, done while there is room: its rows are committed.
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  auto first = d.start_sweep();
  check_exactly_once(d, first, d.wait_complete(first));

  // A second sweep, planned with no prober connected; then the disk fills up.
  d.stop_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().empty(); }, 10000, "vp1 is gone");
  auto second = d.start_sweep();
  const std::string truth_noted = "sweep " + std::to_string(second) + ": ";
  Deployment::wait_for([&] { return read_file(log).find(truth_noted) != std::string::npos; }, 30000,
                       "the second sweep's truth is looked up (and stored)");
  const std::size_t filler = disk.fill("filler");
  INFO("filler: " << filler << " bytes");
  CHECK(filler > 0);

  // Its results come and cannot be written: said in the log and in status, kept, retried.
  d.start_prober("vp1");
  Deployment::wait_for(
      [&] {
        auto writer = d.status()["writer"];
        return writer.value("failures", 0) >= 3 && writer.value("backlog", 0) > 0;
      },
      60000, "results refused by the full disk, and kept waiting");
  json writer = d.status()["writer"];
  INFO(writer.dump());
  CHECK(writer["last_error"].get<std::string>().find("full") != std::string::npos);
  CHECK(d.sweep(second)["results"] == 0);
  CHECK(d.sweep(second)["state"] != "complete");  // its judging waits for them
  const std::string text = read_file(log);
  INFO(text);
  CHECK(text.find("results not written yet") != std::string::npos);
  CHECK(text.find("database or disk is full") != std::string::npos);
  // What was committed before stays, readable while the disk is full.
  CHECK(d.verdicts(first).size() == 14 * 9);
  CHECK(::kill(d.coordinator_pid(), 0) == 0);

  // Space returns: everything kept is written once, the sweep judged, the first one untouched.
  disk.remove("filler");
  check_exactly_once(d, second, d.wait_complete(second));
  check_exactly_once(d, first, d.sweep(first));
  writer = d.status()["writer"];
  CHECK(writer["backlog"] == 0);
  CHECK(writer.count("last_error") == 0);
  CHECK(read_file(log).find("results written again") != std::string::npos);
  WARN("full disk: filler " << filler << " bytes, writer " << writer.dump());
}
