// mxsentry-resolver-farm: one process that answers as up to 65,000 loopback DNS resolvers
// with a reproducible mix of behaviours (honest, poisoned, CDN-like, geo-split, slow, lossy,
// SERVFAIL, REFUSED, silent, rate-limiting), and as the authoritative servers of the zones
// they resolve (one by default, K with --zones K, each on two servers of its own), so that
// mxsentry's truth finder can learn the truth from the root down. Its ground truth file says
// which resolver does what, for scoring verdicts.
//
// Where the truth comes from. The truth finder iterates from root hints, and every address it
// learns (root hints, glue, name server lookups) is an Endpoint with port 53: neither the
// root hints format nor any option of mxsentry, mxsentry-coordinator or the truth finder can
// name another port. So the farm serves the root (--auth A) and each zone's ns1 and ns2
// (zone k's on A+1+2k and A+2+2k) on --auth-port, which defaults to --port; for mxsentry to
// use them that port must be 53.
// The farm refuses port 53 except inside a private network namespace (its own loopback,
// `unshare --net`), where it cannot meet the lab's servers on 127.53.0.0/16 or anything
// else on the host: tests/bench/sweep-bench runs the whole deployment there. The other ways
// (a lab NSD serving a generated copy of the zone; a test-only authoritative-port setting of
// the truth finder) are described in tests/bench/sweep-bench's header.
//
// Every packet whose source or destination is not in 127.0.0.0/8 is ignored; the farm stops
// after --max-seconds or on SIGTERM/SIGINT and prints one stats line on stderr.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/tools/farm_options.hpp"
#include "tests/tools/farm_profile.hpp"
#include "tests/tools/farm_server.hpp"

namespace {

constexpr const char* program = "mxsentry-resolver-farm";

using namespace mxsentry::farm;

// True when this process has a network namespace of its own: not the one pid 1 has or, where
// pid 1's cannot be read (a container), one with no interface but the loopback.
bool in_private_network_namespace() {
  char mine[64] = {}, init[64] = {};
  const ssize_t a = ::readlink("/proc/self/ns/net", mine, sizeof mine - 1);
  const ssize_t b = ::readlink("/proc/1/ns/net", init, sizeof init - 1);
  if (a > 0 && b > 0) return std::string(mine) != std::string(init);
  std::ifstream devices("/proc/self/net/dev");  // this namespace's interfaces (sysfs may show the host's)
  std::string line;
  bool only_loopback = devices.good();
  for (int n = 0; std::getline(devices, line); ++n) {
    const auto colon = line.find(':');
    if (n < 2 || colon == std::string::npos) continue;  // two header lines
    const auto start = line.find_first_not_of(' ');
    if (line.substr(start, colon - start) != "lo") only_loopback = false;
  }
  return only_loopback;
}

void write_file(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot write");
  fill(out);
  out.flush();
  if (!out) throw std::runtime_error(path + ": write failed");
}

struct Socket {
  mxsentry::test_responder::UniqueFd fd;
  FarmScope scope;
  FarmStats stats;
  std::string error;
};

int run_main(int argc, char** argv) {
  FarmOptions options;
  const ParseResult parsed = parse_farm_options(std::vector<std::string>(argv + 1, argv + argc), options);
  if (parsed.kind == ParseResult::help) {
    std::fputs(farm_usage().c_str(), stdout);
    return 0;
  }
  if (parsed.kind == ParseResult::error) {
    std::fprintf(stderr, "%s: %s\n%s", program, parsed.message.c_str(), farm_usage().c_str());
    return 2;
  }
  if ((options.port == 53 || options.auth_port == 53) && !in_private_network_namespace()) {
    std::fprintf(stderr, "%s: port 53 only inside a private network namespace (unshare --net)\n", program);
    return 2;
  }

  const auto profiles = draw_profiles(options.mix, options.resolver_count, options.zone.seed);
  if (!options.ground_truth_path.empty())
    write_file(options.ground_truth_path,
               [&](std::ostream& out) { write_ground_truth(out, options.zone, options.mix, profiles, options.first_resolver); });
  if (!options.names_path.empty())
    write_file(options.names_path, [&](std::ostream& out) { write_names(out, options.zone); });
  if (!options.root_hints_path.empty())
    write_file(options.root_hints_path, [&](std::ostream& out) { out << root_hints_text(options); });

  sigset_t stop_signals;  // blocked everywhere, taken by the main thread
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  if (::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) != 0) throw std::runtime_error("pthread_sigmask");

  // One socket when both sides share the port, else one each (each on its own thread).
  std::vector<std::unique_ptr<Socket>> sockets;
  FarmScope scope{true, true, options.first_resolver, options.first_auth, &profiles, &options.zone};
  auto add = [&](std::uint16_t port, bool resolvers, bool authority) {
    auto s = std::make_unique<Socket>();
    s->fd = open_farm_socket(port);
    s->scope = scope;
    s->scope.resolvers = resolvers;
    s->scope.authority = authority;
    sockets.push_back(std::move(s));
  };
  std::uint16_t port = options.port;
  if (options.auth_port == options.port) {
    add(options.port, true, true);
  } else {
    add(options.port, true, false);
    add(options.auth_port, false, true);
  }
  if (port == 0) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (::getsockname(sockets[0]->fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("getsockname");
    port = ntohs(a.sin_port);
    std::printf("ready %u\n", unsigned{port});
  } else {
    std::printf("ready\n");
  }
  std::fflush(stdout);

  const std::uint64_t start = steady_ms();
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(options.max_seconds));
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  struct JoinAll {  // also when starting a thread throws
    std::vector<std::thread>& threads;
    std::atomic<bool>& stop;
    ~JoinAll() {
      stop = true;
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } join_all{threads, stop};
  for (auto& s : sockets)
    threads.emplace_back([&, socket = s.get()] { socket->error = serve(socket->fd.get(), socket->scope, start, stop, socket->stats); });

  int signo = 0;
  while (!stop.load()) {
    if (std::chrono::steady_clock::now() >= deadline) break;
    const timespec tick{0, 100'000'000};  // also looks at the stop flag (a socket may have failed)
    signo = ::sigtimedwait(&stop_signals, nullptr, &tick);
    if (signo > 0) break;
  }
  stop = true;
  for (auto& t : threads) t.join();
  threads.clear();

  FarmStats total;
  int code = 0;
  for (const auto& s : sockets) {
    total.add(s->stats);
    if (!s->error.empty()) {
      std::fprintf(stderr, "%s: error: %s\n", program, s->error.c_str());
      code = 1;
    }
  }
  if (signo > 0) std::fprintf(stderr, "%s: signal %d, exiting\n", program, signo);
  std::fprintf(stderr, "%s: queries %llu answered %llu authoritative %llu dropped %llu delayed %llu ignored %llu\n",
               program, static_cast<unsigned long long>(total.queries), static_cast<unsigned long long>(total.answered),
               static_cast<unsigned long long>(total.authoritative), static_cast<unsigned long long>(total.dropped),
               static_cast<unsigned long long>(total.delayed), static_cast<unsigned long long>(total.ignored));
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", program, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: unknown error\n", program);
  }
  return 1;
}
