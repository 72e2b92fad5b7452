// mxsentry-test-responder: a DNS responder on a loopback address that misbehaves on purpose,
// so that the prober's RFC 5452 checks, retries, TCP fallback and malformed-packet handling
// can be tested. What it does for a query depends on the first label of the query name; see
// responder_behaviours.hpp and usage() below.
//
// One thread, one ppoll() loop: a UDP socket and a TCP listener on the same address and port,
// a second UDP socket (other source port) for `wrongport`, TCP connections, and a small list
// of timers for delayed replies. It only ever sends to 127.0.0.0/8 and stops by itself after
// --max-seconds, or on SIGTERM/SIGINT.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
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
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "responder_behaviours.hpp"
#include "responder_sockets.hpp"
#include "stop_signals.hpp"

namespace {

using namespace mxsentry::test_responder;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kProgram = "mxsentry-test-responder";
constexpr std::size_t kMaxConnections = 64;
constexpr auto kIdleTimeout = 10s;

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int signo) { g_signal = signo; }

// ---- command line ----------------------------------------------------------------------

struct Options {
  sockaddr_in listen{};
  double max_seconds = 120;
  bool verbose = false;
};

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: %s --listen 127.0.0.1:PORT [--max-seconds N] [--verbose]\n"
               "  Serves UDP and TCP on a loopback address (PORT 0 picks a free port) and\n"
               "  prints 'ready PORT' once listening. Exits after N seconds (default 120)\n"
               "  or on SIGTERM/SIGINT. --verbose logs every query to stderr.\n"
               "  The first label of the query name picks the behaviour:\n"
               "  ok wrongid wrongport wrongname wrongtype noquestion garbage garbageonly\n"
               "  compressloop truncated trailing twoopt tc tcclose silent slow dropfirst\n"
               "  twice servfail refused cname echo-count numbered (any other label: ok;\n"
               "  numbered.N.<zone>: an A record 127.0.0.<N mod 256>, TTL 1000 + N)\n",
               kProgram);
}

std::optional<sockaddr_in> parse_listen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string host(text.substr(0, colon));
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return std::nullopt;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) return std::nullopt;
  return a;
}

// Returns the exit code to use if parsing stops the program.
std::optional<int> parse_args(int argc, char** argv, Options& opt) {
  bool have_listen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return (i + 1 < argc) ? argv[++i] : nullptr; };
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    } else if (arg == "--verbose") {
      opt.verbose = true;
    } else if (arg == "--listen") {
      const char* v = value();
      const auto a = v ? parse_listen(v) : std::nullopt;
      if (!a) {
        std::fprintf(stderr, "%s: --listen needs IPV4:PORT, e.g. 127.0.0.1:5353\n", kProgram);
        return 2;
      }
      if (!is_loopback(*a)) {
        std::fprintf(stderr, "%s: refusing to listen on %s: not in 127.0.0.0/8\n", kProgram, v);
        return 2;
      }
      opt.listen = *a;
      have_listen = true;
    } else if (arg == "--max-seconds") {
      const char* v = value();
      char* end = nullptr;
      const double seconds = v ? std::strtod(v, &end) : 0;
      if (!v || *end != '\0' || !(seconds > 0) || seconds > 86400 * 7) {
        std::fprintf(stderr, "%s: --max-seconds needs a positive number\n", kProgram);
        return 2;
      }
      opt.max_seconds = seconds;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n", kProgram, argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (!have_listen) {
    std::fprintf(stderr, "%s: --listen is required\n", kProgram);
    usage(stderr);
    return 2;
  }
  return std::nullopt;
}

// ---- the server --------------------------------------------------------------------------

struct Connection {
  UniqueFd fd;
  sockaddr_in peer{};
  std::vector<std::uint8_t> in, out;
  Clock::time_point last_activity;
  unsigned pending_timers = 0;
  bool read_closed = false;  // peer sent FIN: finish pending replies, then close
};

struct Timer {
  Clock::time_point due;
  bool tcp = false;
  std::uint64_t conn_id = 0;  // TCP
  sockaddr_in to{};           // UDP
  bool from_other_port = false;
  std::vector<std::uint8_t> wire;
};

class Server {
 public:
  Server(Sockets sockets, bool verbose) : s_(std::move(sockets)), verbose_(verbose) {}

  void run(Clock::time_point deadline, const sigset_t& unblocked);

 private:
  void on_udp_readable();
  void on_accept();
  void on_conn_readable(std::uint64_t id);
  void on_conn_writable(std::uint64_t id);
  void handle_query(std::span<const std::uint8_t> query, Transport transport,
                    const sockaddr_in& from, std::uint64_t conn_id);
  void send_udp(const sockaddr_in& to, bool from_other_port, std::span<const std::uint8_t> w);
  void send_tcp(std::uint64_t id, std::span<const std::uint8_t> w);
  void flush(std::uint64_t id);
  void close_conn(std::uint64_t id);
  void fire_timers(Clock::time_point now);
  void close_idle(Clock::time_point now);
  void maybe_finish(std::uint64_t id);

  Sockets s_;
  bool verbose_;
  Responder responder_;
  std::map<std::uint64_t, Connection> conns_;
  std::uint64_t next_conn_id_ = 1;
  std::vector<Timer> timers_;
};

void Server::run(Clock::time_point deadline, const sigset_t& unblocked) {
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> fd_conn;  // connection id for fds[3...]
  while (g_signal == 0) {
    auto now = Clock::now();
    if (now >= deadline) break;
    fire_timers(now);
    close_idle(now);

    fds.clear();
    fd_conn.clear();
    fds.push_back({s_.udp.get(), POLLIN, 0});
    fds.push_back({s_.udp_other.get(), POLLIN, 0});
    fds.push_back({s_.tcp.get(), static_cast<short>(conns_.size() < kMaxConnections ? POLLIN : 0), 0});
    for (const auto& [id, c] : conns_) {
      short events = c.read_closed ? 0 : POLLIN;
      if (!c.out.empty()) events |= POLLOUT;
      fds.push_back({c.fd.get(), events, 0});
      fd_conn.push_back(id);
    }

    auto wake = std::min(deadline, now + 1s);
    for (const auto& t : timers_) wake = std::min(wake, t.due);
    const auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::max(wake - now, Clock::duration::zero()));
    const timespec ts{static_cast<time_t>(wait.count() / 1'000'000'000),
                      static_cast<long>(wait.count() % 1'000'000'000)};
    if (::ppoll(fds.data(), fds.size(), &ts, &unblocked) < 0) {
      if (errno == EINTR) continue;
      throw_errno("ppoll");
    }

    if (fds[0].revents & POLLIN) on_udp_readable();
    if (fds[1].revents & POLLIN) {  // nobody should talk to the second socket: discard
      std::uint8_t sink[512];
      while (::recv(s_.udp_other.get(), sink, sizeof sink, 0) >= 0) {
      }
    }
    if (fds[2].revents & POLLIN) on_accept();
    for (std::size_t i = 0; i < fd_conn.size(); ++i) {
      const short re = fds[i + 3].revents;
      if (re & (POLLIN | POLLHUP | POLLERR)) on_conn_readable(fd_conn[i]);
      if (re & POLLOUT) on_conn_writable(fd_conn[i]);
    }
  }
  if (g_signal != 0) std::fprintf(stderr, "%s: signal %d, exiting\n", kProgram, int{g_signal});
}

void Server::on_udp_readable() {
  std::vector<std::uint8_t> buf(65536);
  for (int i = 0; i < 256; ++i) {  // bounded, so TCP and timers are not starved
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(s_.udp.get(), buf.data(), buf.size(), 0,
                                 reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        std::fprintf(stderr, "%s: recvfrom: %s\n", kProgram, std::strerror(errno));
      }
      return;
    }
    if (!is_loopback(from)) continue;  // never talk to anything outside 127/8
    handle_query({buf.data(), static_cast<std::size_t>(n)}, Transport::udp, from, 0);
  }
}

void Server::on_accept() {
  for (;;) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    UniqueFd fd{::accept4(s_.tcp.get(), reinterpret_cast<sockaddr*>(&peer), &len,
                          SOCK_NONBLOCK | SOCK_CLOEXEC)};
    if (fd.get() < 0) return;
    if (!is_loopback(peer) || conns_.size() >= kMaxConnections) continue;  // closes it
    const auto id = next_conn_id_++;
    auto& c = conns_[id];
    c.fd = std::move(fd);
    c.peer = peer;
    c.last_activity = Clock::now();
    if (verbose_) std::fprintf(stderr, "tcp %s connected (#%llu)\n", to_string(peer).c_str(),
                               static_cast<unsigned long long>(id));
  }
}

void Server::on_conn_readable(std::uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  std::uint8_t chunk[16384];
  const ssize_t n = ::recv(it->second.fd.get(), chunk, sizeof chunk, 0);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) close_conn(id);
    return;
  }
  Connection& c = it->second;
  c.last_activity = Clock::now();
  if (n == 0) {
    if (c.read_closed) {  // hang-up reported again: the peer is gone altogether
      close_conn(id);
      return;
    }
    c.read_closed = true;
    maybe_finish(id);
    return;
  }
  c.in.insert(c.in.end(), chunk, chunk + n);
  // Handle every complete length-prefixed message; keep the rest for the next read.
  std::size_t used = 0;
  for (;;) {
    auto cur = conns_.find(id);  // a reply (tcclose) may have closed the connection
    if (cur == conns_.end()) return;
    const auto& in = cur->second.in;
    if (in.size() - used < 2) break;
    const std::size_t len = (std::size_t{in[used]} << 8) | in[used + 1];
    if (in.size() - used - 2 < len) break;
    const std::vector<std::uint8_t> query(in.begin() + static_cast<std::ptrdiff_t>(used + 2),
                                          in.begin() + static_cast<std::ptrdiff_t>(used + 2 + len));
    used += 2 + len;
    handle_query(query, Transport::tcp, cur->second.peer, id);
  }
  auto cur = conns_.find(id);
  if (cur != conns_.end()) {
    cur->second.in.erase(cur->second.in.begin(),
                         cur->second.in.begin() + static_cast<std::ptrdiff_t>(used));
  }
}

void Server::on_conn_writable(std::uint64_t id) { flush(id); }

void Server::handle_query(std::span<const std::uint8_t> query, Transport transport,
                          const sockaddr_in& from, std::uint64_t conn_id) {
  std::optional<Reply> reply;
  try {
    reply = responder_.respond(query, transport);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: cannot answer a query from %s: %s\n", kProgram,
                 to_string(from).c_str(), e.what());
    return;
  }
  const bool tcp = transport == Transport::tcp;
  if (!reply) {
    if (verbose_) std::fprintf(stderr, "%s %s: unparsable query ignored (%zu bytes)\n",
                               tcp ? "tcp" : "udp", to_string(from).c_str(), query.size());
    return;
  }
  if (verbose_) {
    std::fprintf(stderr, "%s %s: %s %s -> %s%s, %zu action(s)\n", tcp ? "tcp" : "udp",
                 to_string(from).c_str(), reply->qname.c_str(), reply->qtype.c_str(),
                 std::string(behaviour_name(reply->behaviour)).c_str(),
                 reply->label_known ? "" : " (unknown label)", reply->actions.size());
  }
  const auto now = Clock::now();
  for (auto& action : reply->actions) {
    if (action.close_connection) {
      if (tcp) close_conn(conn_id);
      return;
    }
    if (action.delay > 0ms) {
      Timer t{.due = now + action.delay, .tcp = tcp, .conn_id = conn_id, .to = from,
              .from_other_port = action.from_other_port, .wire = std::move(action.wire)};
      if (tcp) {
        auto it = conns_.find(conn_id);
        if (it == conns_.end()) return;
        ++it->second.pending_timers;
      }
      timers_.push_back(std::move(t));
    } else if (tcp) {
      send_tcp(conn_id, action.wire);
    } else {
      send_udp(from, action.from_other_port, action.wire);
    }
  }
}

void Server::send_udp(const sockaddr_in& to, bool from_other_port, std::span<const std::uint8_t> w) {
  if (!is_loopback(to)) return;  // belt and braces: never send outside 127/8
  const int fd = from_other_port ? s_.udp_other.get() : s_.udp.get();
  if (::sendto(fd, w.data(), w.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
    std::fprintf(stderr, "%s: sendto %s: %s\n", kProgram, to_string(to).c_str(), std::strerror(errno));
  }
}

void Server::send_tcp(std::uint64_t id, std::span<const std::uint8_t> w) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  auto& out = it->second.out;
  out.push_back(static_cast<std::uint8_t>(w.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(w.size() & 0xff));
  out.insert(out.end(), w.begin(), w.end());
  flush(id);
}

void Server::flush(std::uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Connection& c = it->second;
  while (!c.out.empty()) {
    const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == EINTR) continue;
      close_conn(id);
      return;
    }
    c.out.erase(c.out.begin(), c.out.begin() + n);
    c.last_activity = Clock::now();
  }
  maybe_finish(id);
}

void Server::maybe_finish(std::uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  const Connection& c = it->second;
  if (c.read_closed && c.out.empty() && c.pending_timers == 0) close_conn(id);
}

void Server::close_conn(std::uint64_t id) {
  if (verbose_ && conns_.count(id)) {
    std::fprintf(stderr, "tcp #%llu closed\n", static_cast<unsigned long long>(id));
  }
  conns_.erase(id);  // ~UniqueFd closes the socket
}

void Server::fire_timers(Clock::time_point now) {
  std::vector<Timer> due;
  auto split = std::stable_partition(timers_.begin(), timers_.end(),
                                     [&](const Timer& t) { return t.due > now; });
  std::move(split, timers_.end(), std::back_inserter(due));
  timers_.erase(split, timers_.end());
  std::stable_sort(due.begin(), due.end(),
                   [](const Timer& a, const Timer& b) { return a.due < b.due; });
  for (auto& t : due) {
    if (!t.tcp) {
      send_udp(t.to, t.from_other_port, t.wire);
      continue;
    }
    auto it = conns_.find(t.conn_id);
    if (it == conns_.end()) continue;  // connection gone: drop the reply
    --it->second.pending_timers;
    send_tcp(t.conn_id, t.wire);
    maybe_finish(t.conn_id);
  }
}

void Server::close_idle(Clock::time_point now) {
  std::vector<std::uint64_t> idle;
  for (const auto& [id, c] : conns_) {
    if (now - c.last_activity > kIdleTimeout) idle.push_back(id);
  }
  for (const auto id : idle) close_conn(id);
}

int run_main(int argc, char** argv) {
  Options opt;
  if (const auto code = parse_args(argc, argv, opt)) return *code;

  // SIGTERM/SIGINT stay blocked except inside ppoll(), so they cannot be missed.
  const sigset_t unblocked = mxsentry::test_tools::block_stop_signals(on_signal);
  ::signal(SIGPIPE, SIG_IGN);

  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.max_seconds));
  Sockets sockets = open_sockets(opt.listen);
  const auto port = sockets.port;
  Server server(std::move(sockets), opt.verbose);
  std::printf("ready %u\n", unsigned{port});
  std::fflush(stdout);
  server.run(deadline, unblocked);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", kProgram, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: unknown error\n", kProgram);
  }
  return 1;
}
