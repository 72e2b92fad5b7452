#include "integration/lab_check_run.h"

#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "integration/lab_env.h"

namespace mxsentry::test {

using nlohmann::json;

const std::vector<std::string> lab_domains{"securemail.com", "plainmail.net", "geomail.com", "brokenmail.com"};

std::vector<std::string> check_command(const std::vector<std::string>& extra) {
  auto env = lab_env();
  std::vector<std::string> argv{MXSENTRY_BINARY, "check"};
  argv.insert(argv.end(), lab_domains.begin(), lab_domains.end());
  std::vector<std::string> common{"--resolvers", env["LAB_RESOLVERS_FILE"], "--root-hints", env["LAB_ROOT_HINTS"],
                                  "--trust-anchor", env["LAB_ROOT_KEY"], "--allow-private", "--timeout-ms", "2000",
                                  "--retries", "1", "--per-resolver-qps", "50", "--reask-delay-ms", "2000"};
  // A cold validating resolver needs a while for the first names (the whole chain of trust,
  // a dead name server to give up on): 2 s a try, as in the demo.
  argv.insert(argv.end(), common.begin(), common.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}


// One full check of the lab (with the AS map, the IOC list and a database), shared by the test
// cases. ctest runs each case in its own process, so the first one runs the check and leaves its
// output in the lab directory (which `lab up` clears); the others, under the same lock, read it.
const CheckRun& lab_check() {
  static CheckRun run = [] {
    auto env = lab_env();
    std::string cache = std::string(MXSENTRY_LAB_DIR) + "/check-cache";
    ::mkdir(cache.c_str(), 0755);
    int lock = ::open((cache + "/lock").c_str(), O_CREAT | O_RDWR, 0644);
    REQUIRE(lock >= 0);
    REQUIRE(::flock(lock, LOCK_EX) == 0);
    CheckRun r;
    r.db = cache + "/check.sqlite";
    if (std::ifstream(cache + "/exit").good()) {
      r.result.exit_code = std::stoi(read_file(cache + "/exit"));
      r.result.out = read_file(cache + "/out");
      r.result.err = read_file(cache + "/err");
    } else {
      std::remove(r.db.c_str());
      r.result = run_command(check_command({"--json", "--asn-db", env["LAB_ASN_DB"], "--ioc", env["LAB_IOC_FILE"],
                                            "--db", r.db}),
                             170000);
      std::ofstream(cache + "/out") << r.result.out;
      std::ofstream(cache + "/err") << r.result.err;
      std::ofstream(cache + "/exit") << r.result.exit_code;
    }
    ::close(lock);
    std::istringstream in(r.result.out);
    std::string line;
    while (std::getline(in, line)) r.verdicts.push_back(json::parse(line));
    return r;
  }();
  return run;
}

}  // namespace mxsentry::test
