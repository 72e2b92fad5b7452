// mxsentry-test-impairment-relay: a UDP relay between a loopback address a prober asks and a
// responder behind it, that drops, delays, duplicates and reorders datagrams in both
// directions, from a seed. It stands in for `tc netem` where the kernel has none (the fault
// tests use netem when they can). Every datagram and what became of it is logged, one line
// each, so a test can count the faults it met and the queries the prober sent:
//
//   <microseconds since start> <up|down> <in|drop|send> <arrival number> <DNS ID> <qname> <copy> <late>
//
// Times are the kernel's receive timestamps (SO_TIMESTAMPNS) for datagrams from the prober,
// so that a test can measure the prober's rate without this loop's own delays in it, and
// the wall clock for the rest. `up` is prober -> responder, `down` the way back; `copy` is 1 or 2 (a duplicate) on `send`
// lines, 0 elsewhere; `late` is 1 when a datagram that arrived later went out first (it was
// overtaken: reordered). The last lines, starting with '#', sum each direction up.
//
// One thread, one ppoll() loop; only 127.0.0.0/8 is ever talked to. Each prober socket (address
// and port) gets a socket of its own towards the responder, so that replies find their way back.
// Stops after --max-seconds, or on SIGTERM/SIGINT.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <time.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impairment.hpp"
#include "responder_sockets.hpp"
#include "stop_signals.hpp"

namespace {

using namespace mxsentry::test_relay;
using mxsentry::test_responder::is_loopback;
using mxsentry::test_responder::throw_errno;
using mxsentry::test_responder::to_string;
using mxsentry::test_responder::UniqueFd;
using Clock = std::chrono::steady_clock;

constexpr const char* kProgram = "mxsentry-test-impairment-relay";
constexpr std::size_t kMaxFlows = 1024;  // prober sockets; more are dropped (and logged)

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int signo) { g_signal = signo; }

struct Options {
  sockaddr_in listen{};
  sockaddr_in upstream{};
  Impairment impairment;
  std::uint64_t seed = 1;
  double max_seconds = 60;
  std::string log_path;
};

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: %s --listen 127.0.0.1:PORT --upstream 127.0.0.1:PORT --log FILE\n"
               "          [--seed N] [--loss P] [--duplicate P] [--reorder P]\n"
               "          [--delay-ms MS] [--jitter-ms MS] [--reorder-ms MS] [--max-seconds N]\n"
               "  Relays UDP between the two loopback addresses (PORT 0 in --listen picks one),\n"
               "  applying the same faults, drawn from the seed, in both directions. Prints\n"
               "  'ready PORT' once listening; logs every datagram to FILE.\n",
               kProgram);
}

std::optional<sockaddr_in> parse_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string host(text.substr(0, colon));
  unsigned port = 0;
  const auto digits = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port > 65535) return std::nullopt;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1 || !is_loopback(a)) return std::nullopt;
  return a;
}

bool parse_number(const char* text, double low, double high, double& out) {
  if (text == nullptr) return false;
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (*end != '\0' || !(v >= low && v <= high)) return false;
  out = v;
  return true;
}

std::optional<int> parse_args(int argc, char** argv, Options& opt) {
  bool listen = false, upstream = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    double number = 0;
    auto bad = [&](const char* what) {
      std::fprintf(stderr, "%s: %s needs %s\n", kProgram, argv[i], what);
      return 2;
    };
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    }
    ++i;  // every other option takes a value
    if (arg == "--listen" || arg == "--upstream") {
      const auto a = v ? parse_address(v) : std::nullopt;
      if (!a) return bad("a loopback IPV4:PORT");
      (arg == "--listen" ? opt.listen : opt.upstream) = *a;
      (arg == "--listen" ? listen : upstream) = true;
    } else if (arg == "--log") {
      if (v == nullptr) return bad("a file");
      opt.log_path = v;
    } else if (arg == "--seed") {
      if (!parse_number(v, 0, 1e15, number)) return bad("a whole number");
      opt.seed = static_cast<std::uint64_t>(number);
    } else if (arg == "--max-seconds") {
      if (!parse_number(v, 0.001, 3600, number)) return bad("seconds in (0, 3600]");
      opt.max_seconds = number;
    } else if (arg == "--loss" || arg == "--duplicate" || arg == "--reorder") {
      if (!parse_number(v, 0, 1, number)) return bad("a probability in [0, 1]");
      (arg == "--loss" ? opt.impairment.loss : arg == "--duplicate" ? opt.impairment.duplicate
                                                                   : opt.impairment.reorder) = number;
    } else if (arg == "--delay-ms" || arg == "--jitter-ms" || arg == "--reorder-ms") {
      if (!parse_number(v, 0, 10'000, number)) return bad("milliseconds in [0, 10000]");
      (arg == "--delay-ms" ? opt.impairment.delay_ms : arg == "--jitter-ms" ? opt.impairment.jitter_ms
                                                                            : opt.impairment.reorder_ms) =
          static_cast<int>(number);
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n", kProgram, argv[i - 1]);
      usage(stderr);
      return 2;
    }
  }
  if (!listen || !upstream || opt.log_path.empty()) {
    std::fprintf(stderr, "%s: --listen, --upstream and --log are required\n", kProgram);
    return 2;
  }
  return std::nullopt;
}

UniqueFd udp_socket(const sockaddr_in& bind_to) {
  UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  if (fd.get() < 0) throw_errno("socket");
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&bind_to), sizeof bind_to) != 0)
    throw_errno("bind " + to_string(bind_to));
  return fd;
}

enum Direction { up = 0, down = 1 };

/// A datagram waiting for its delay.
struct Held {
  Clock::time_point due;
  Direction direction;
  std::size_t flow;  // index into Relay::flows_
  std::uint64_t arrival;
  unsigned copy;
  std::vector<std::uint8_t> bytes;
};

struct Counts {
  std::uint64_t in = 0, dropped = 0, sent = 0, duplicated = 0, reordered = 0, late = 0;
};

class Relay {
 public:
  Relay(const Options& opt, std::FILE* log)
      : opt_(opt), log_(log), listen_(udp_socket(opt.listen)),
        impairers_{Impairer(opt.impairment, opt.seed), Impairer(opt.impairment, opt.seed + 1)},
        start_wall_(wall_now()) {
    const int on = 1;
    if (::setsockopt(listen_.get(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) throw_errno("SO_TIMESTAMPNS");
  }

  std::uint16_t port() const {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (::getsockname(listen_.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) throw_errno("getsockname");
    return ntohs(a.sin_port);
  }

  void run(Clock::time_point deadline, const sigset_t& unblocked) {
    std::vector<pollfd> fds;
    while (g_signal == 0) {
      const auto now = Clock::now();
      if (now >= deadline) break;
      send_due(now);
      fds.clear();
      fds.push_back({listen_.get(), POLLIN, 0});
      for (const auto& f : flows_) fds.push_back({f.upstream.get(), POLLIN, 0});
      auto wake = std::min(deadline, now + std::chrono::seconds(1));
      for (const auto& h : held_) wake = std::min(wake, h.due);
      const auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(std::max(wake - now, Clock::duration::zero()));
      const timespec ts{static_cast<time_t>(wait.count() / 1'000'000'000), static_cast<long>(wait.count() % 1'000'000'000)};
      if (::ppoll(fds.data(), fds.size(), &ts, &unblocked) < 0) {
        if (errno == EINTR) continue;
        throw_errno("ppoll");
      }
      if (fds[0].revents & POLLIN) read_from_probers();
      for (std::size_t i = 1; i < fds.size(); ++i)
        if (fds[i].revents & POLLIN) read_from_upstream(i - 1);
    }
    for (int d : {up, down}) {
      const Counts& c = counts_[d];
      std::fprintf(log_, "# %s in=%llu dropped=%llu sent=%llu duplicated=%llu reordered=%llu late=%llu\n",
                   d == up ? "up" : "down", ull(c.in), ull(c.dropped), ull(c.sent), ull(c.duplicated),
                   ull(c.reordered), ull(c.late));
    }
    std::fprintf(log_, "# flows=%zu refused_flows=%llu\n", flows_.size(), ull(refused_flows_));
  }

 private:
  struct Flow {
    sockaddr_in prober{};
    UniqueFd upstream;
  };
  static unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

  /// Microseconds of the wall clock since the start (the kernel's timestamps are on it).
  long long micros(const timespec& t) const {
    return (static_cast<long long>(t.tv_sec) - start_wall_.tv_sec) * 1'000'000 + (t.tv_nsec - start_wall_.tv_nsec) / 1000;
  }
  static timespec wall_now() {
    timespec t{};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return t;
  }

  void log(const timespec& t, Direction d, const char* event, std::uint64_t arrival,
           std::span<const std::uint8_t> bytes, unsigned copy, bool late) {
    const auto peek = peek_dns(bytes);
    std::fprintf(log_, "%lld %s %s %llu %u %s %u %d\n", micros(t), d == up ? "up" : "down", event, ull(arrival),
                 peek ? unsigned{peek->id} : 0u, peek ? peek->qname.c_str() : "-", copy, late ? 1 : 0);
  }

  std::optional<std::size_t> flow_of(const sockaddr_in& prober) {
    for (std::size_t i = 0; i < flows_.size(); ++i)
      if (flows_[i].prober.sin_addr.s_addr == prober.sin_addr.s_addr && flows_[i].prober.sin_port == prober.sin_port)
        return i;
    if (flows_.size() >= kMaxFlows) return std::nullopt;
    sockaddr_in any_port = opt_.upstream;  // a loopback address; the port is the kernel's
    any_port.sin_port = 0;
    Flow f{prober, udp_socket(any_port)};
    if (::connect(f.upstream.get(), reinterpret_cast<const sockaddr*>(&opt_.upstream), sizeof opt_.upstream) != 0)
      throw_errno("connect " + to_string(opt_.upstream));
    flows_.push_back(std::move(f));
    return flows_.size() - 1;
  }

  void take(Direction d, std::size_t flow, std::vector<std::uint8_t> bytes, const timespec& arrived) {
    const auto now = Clock::now();
    const std::uint64_t arrival = ++counts_[d].in;
    log(arrived, d, "in", arrival, bytes, 0, false);
    Fate fate = impairers_[d].next();
    if (fate.copies.empty()) {
      ++counts_[d].dropped;
      log(wall_now(), d, "drop", arrival, bytes, 0, false);
      return;
    }
    if (fate.reordered) ++counts_[d].reordered;
    if (fate.copies.size() > 1) ++counts_[d].duplicated;
    for (unsigned k = 0; k < fate.copies.size(); ++k)
      held_.push_back(Held{now + fate.copies[k], d, flow, arrival, k + 1, bytes});
  }

  void read_from_probers() {
    std::vector<std::uint8_t> buf(65536);
    for (int i = 0; i < 256; ++i) {
      sockaddr_in from{};
      iovec iov{buf.data(), buf.size()};
      alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
      msghdr msg{};
      msg.msg_name = &from;
      msg.msg_namelen = sizeof from;
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      const ssize_t n = ::recvmsg(listen_.get(), &msg, 0);
      if (n < 0) return;
      timespec arrived = wall_now();
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) std::memcpy(&arrived, CMSG_DATA(c), sizeof arrived);
      if (!is_loopback(from)) continue;
      const auto flow = flow_of(from);
      if (!flow) {
        ++refused_flows_;
        continue;
      }
      take(up, *flow, {buf.begin(), buf.begin() + n}, arrived);
    }
  }

  void read_from_upstream(std::size_t flow) {
    std::vector<std::uint8_t> buf(65536);
    for (int i = 0; i < 256; ++i) {
      const ssize_t n = ::recv(flows_[flow].upstream.get(), buf.data(), buf.size(), 0);
      if (n < 0) return;
      take(down, flow, {buf.begin(), buf.begin() + n}, wall_now());
    }
  }

  void send_due(Clock::time_point now) {
    // In the order they are due; among equals, in the order they came.
    std::stable_sort(held_.begin(), held_.end(), [](const Held& a, const Held& b) { return a.due < b.due; });
    std::size_t done = 0;
    for (; done < held_.size() && held_[done].due <= now; ++done) {
      const Held& h = held_[done];
      const bool late = h.arrival < highest_sent_[h.direction];
      highest_sent_[h.direction] = std::max(highest_sent_[h.direction], h.arrival);
      const Flow& f = flows_[h.flow];
      const ssize_t n = h.direction == up
                            ? ::send(f.upstream.get(), h.bytes.data(), h.bytes.size(), 0)
                            : ::sendto(listen_.get(), h.bytes.data(), h.bytes.size(), 0,
                                       reinterpret_cast<const sockaddr*>(&f.prober), sizeof f.prober);
      if (n < 0) {
        std::fprintf(stderr, "%s: send: %s\n", kProgram, std::strerror(errno));
        continue;
      }
      ++counts_[h.direction].sent;
      if (late) ++counts_[h.direction].late;
      log(wall_now(), h.direction, "send", h.arrival, h.bytes, h.copy, late);
    }
    held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(done));
  }

  const Options& opt_;
  std::FILE* log_;
  UniqueFd listen_;
  Impairer impairers_[2];
  timespec start_wall_;
  std::vector<Flow> flows_;
  std::vector<Held> held_;
  Counts counts_[2];
  std::uint64_t highest_sent_[2] = {0, 0};
  std::uint64_t refused_flows_ = 0;
};

int run_main(int argc, char** argv) {
  Options opt;
  if (const auto code = parse_args(argc, argv, opt)) return *code;
  if (const auto problem = validate(opt.impairment); !problem.empty()) {
    std::fprintf(stderr, "%s: %s\n", kProgram, problem.c_str());
    return 2;
  }
  const sigset_t unblocked = mxsentry::test_tools::block_stop_signals(on_signal);

  std::FILE* log = std::fopen(opt.log_path.c_str(), "w");
  if (log == nullptr) throw_errno("open " + opt.log_path);
  int rc = 0;
  try {
    Relay relay(opt, log);
    std::printf("ready %u\n", unsigned{relay.port()});
    std::fflush(stdout);
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(opt.max_seconds));
    relay.run(deadline, unblocked);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", kProgram, e.what());
    rc = 1;
  }
  std::fclose(log);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", kProgram, e.what());
  }
  return 1;
}
