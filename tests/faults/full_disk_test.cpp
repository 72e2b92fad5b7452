// The coordinator's database on a file system that fills up during a sweep: a 3 MB tmpfs in
// a mount namespace of the test's own, filled by a file until the kernel says ENOSPC, then
// emptied again. The coordinator must say so (its log and `status`), keep the results it took
// from the prober in memory, keep every row it had committed, stay up, and write everything,
// once, when space returns. The same for a sweep's verdicts: a judging the full disk refuses
// is tried again (with backoff) until space returns, the sweep judging meanwhile, not failed.
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

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("lab full disk: verdicts the full disk refuses are judged again until space returns, then written once",
          "[lab][faults]") {
  Deployment d(25644);
  SmallDisk disk(d.dir().path() + "/disk", "3m");
  d.set_db(disk.path() + "/coordinator.sqlite");
  const std::string log = d.dir().path() + "/coordinator.log";
  d.log_coordinator_to(log);
  // Flagged answers wait longer than the test to be asked again: after the first judging the
  // sweep waits with every result stored and nothing to write, until vp1 leaves.
  const std::string thresholds = d.dir().write("thresholds.toml", "[reask]\ndelay_ms = 600000\n");
  d.start_coordinator(20000, "thresholds = \"" + thresholds + "\"\n");
  d.start_prober("vp1");
  Deployment::wait_for([&] { return d.prober_names().size() == 1; }, 10000, "vp1 is connected");
  const auto id = d.start_sweep();
  Deployment::wait_for([&] { return d.sweep(id)["state"] == "re-asking"; }, 90000,
                       "the first judging is done, the flagged answers wait to be asked again");
  json s = d.sweep(id);
  INFO(s.dump());
  REQUIRE(s["results"] == s["tasks"]);  // every result written before the disk fills

  // The disk fills; vp1 leaves, so its re-asks are given up (no other prober) and the final
  // judging writes the verdicts: refused.
  const std::size_t filler = disk.fill("filler");
  INFO("filler: " << filler << " bytes");
  CHECK(filler > 0);
  d.stop_prober("vp1");
  Deployment::wait_for(
      [&] {
        s = d.sweep(id);
        return s["state"] == "failed" || s["state"] == "complete" ||
               (s.contains("judging_retry") && s["judging_retry"].value("failures", 0) >= 3);
      },
      60000, "the final judging refused three times (1 s, 2 s, 4 s apart)");
  INFO(s.dump());
  REQUIRE(s["state"] == "judging");  // not failed: waiting to write
  CHECK(s["judging_retry"]["last_error"].get<std::string>().find("database or disk is full") != std::string::npos);
  CHECK(s["judging_retry"]["next_ms"].get<std::int64_t>() > 0);
  auto shown = run_command({MXSENTRY_BINARY, "status", "--control", d.control()}, 8000);
  CHECK(shown.exit_code == 0);
  CHECK(shown.out.find("verdicts waiting to be written") != std::string::npos);
  std::string text = read_file(log);
  const std::string refused = "sweep " + std::to_string(id) + ": verdicts not written yet";
  CHECK(occurrences(text, refused) == 1);  // once per streak, not once per try
  CHECK(text.find("sweep " + std::to_string(id) + ": not judged") == std::string::npos);
  CHECK(::kill(d.coordinator_pid(), 0) == 0);

  // Space returns: the next try writes every verdict once, and the sweep completes.
  const auto at = text.find(refused);
  const std::string refused_line = at == std::string::npos ? "" : text.substr(at, text.find('\n', at) - at);
  WARN("full disk, verdicts: filler " << filler << " bytes; " << refused_line << "; retry " << s["judging_retry"].dump());
  disk.remove("filler");
  check_exactly_once(d, id, d.wait_complete(id, 120000));
  CHECK_FALSE(d.sweep(id).contains("judging_retry"));
  text = read_file(log);
  INFO(text);
  CHECK(occurrences(text, refused) == 1);
  CHECK(text.find("sweep " + std::to_string(id) + ": the database takes its verdicts again") != std::string::npos);
  CHECK(text.find("sweep " + std::to_string(id) + " complete with " + std::to_string(14 * 9) + " verdicts") !=
        std::string::npos);
}
