// mxsentry-bench-responder: a fast loopback DNS responder for benchmarks.
//
// Answers every well-formed query: A queries with "<qname> 300 IN A 127.0.0.1", any other
// type with an empty NOERROR answer, plus an OPT record (UDP 1232, DO copied) when the query
// had one. recvmmsg/sendmmsg in batches of 64, replies built in place in the receive buffer,
// no allocation and no ldns per packet.
//
// With --any-loopback it binds 0.0.0.0 with IP_PKTINFO, answers queries sent to any
// 127.x.y.z and sends each reply from the address that was queried, so one socket can stand
// in for thousands of loopback resolvers. Every packet whose source or destination is not in
// 127.0.0.0/8 is dropped. Stops after --max-seconds or on SIGTERM/SIGINT, then prints
// "answered N dropped M" on stderr.
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tests/tools/pktinfo.hpp"
#include "tests/tools/unique_fd.hpp"

namespace {

constexpr const char* kProgram = "mxsentry-bench-responder";
constexpr unsigned kBatch = 64;
constexpr std::size_t kMaxQuery = 2048;        // larger datagrams are dropped
constexpr std::size_t kAnswerRoom = 16 + 11;   // one A record + one OPT record
constexpr std::size_t kBufSize = kMaxQuery + kAnswerRoom;

std::atomic<bool> g_stop{false};

using mxsentry::test_responder::UniqueFd;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

bool is_loopback(in_addr a) { return (ntohl(a.s_addr) >> 24) == 127; }

// ---- building the answer in place ------------------------------------------------------

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline void put16(std::uint8_t* p, unsigned v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

// Offset just past the name at `off`, or 0 if it is malformed or runs past `len`.
// Compression pointers are accepted only if `allow_pointer` (never in the question).
inline std::size_t skip_name(const std::uint8_t* p, std::size_t off, std::size_t len,
                             bool allow_pointer) {
  std::size_t name_len = 1;
  while (off < len) {
    const std::uint8_t l = p[off];
    if (l == 0) return off + 1;
    if ((l & 0xc0) == 0xc0 && allow_pointer) return off + 2 <= len ? off + 2 : 0;
    if (l > 63) return 0;
    name_len += 1 + std::size_t{l};
    if (name_len > 255) return 0;
    off += 1 + std::size_t{l};
  }
  return 0;
}

// Turns the query in buf[0, len) into the answer; returns its length, or 0 to drop it.
// buf must have room for len + kAnswerRoom bytes.
std::size_t make_answer(std::uint8_t* p, std::size_t len) {
  if (len < 12 || len > kMaxQuery) return 0;
  if ((p[2] & 0x80) != 0 || (p[2] & 0x78) != 0) return 0;  // a response, or not QUERY
  if (get16(p + 4) != 1) return 0;
  const unsigned an = get16(p + 6), ns = get16(p + 8), ar = get16(p + 10);

  std::size_t off = skip_name(p, 12, len, false);
  if (off == 0 || off + 4 > len) return 0;
  const std::uint16_t qtype = get16(p + off);
  off += 4;
  const std::size_t question_end = off;

  // Look for an OPT record in the additional section (after any answer/authority records).
  bool opt = false, do_bit = false;
  for (unsigned i = 0; i < an + ns + ar; ++i) {
    off = skip_name(p, off, len, true);
    if (off == 0 || off + 10 > len) return 0;
    const std::size_t rdlen = get16(p + off + 8);
    if (i >= an + ns && get16(p + off) == 41) {
      opt = true;
      do_bit = (p[off + 6] & 0x80) != 0;
    }
    off += 10 + rdlen;
    if (off > len) return 0;
  }

  p[2] = static_cast<std::uint8_t>(0x80 | (p[2] & 0x01));  // QR, RD copied; AA=TC=0
  p[3] = static_cast<std::uint8_t>(0x80 | (p[3] & 0x10));  // RA, CD copied; NOERROR
  off = question_end;
  const bool answer = qtype == 1;
  if (answer) {
    static constexpr std::uint8_t kA[16] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x01, 0x2c,
                                            0,    4,    127, 0, 0, 1};
    std::memcpy(p + off, kA, sizeof kA);
    off += sizeof kA;
  }
  if (opt) {
    const std::uint8_t rr[11] = {0, 0, 41, 0x04, 0xd0, 0, 0,
                                 static_cast<std::uint8_t>(do_bit ? 0x80 : 0), 0, 0, 0};
    std::memcpy(p + off, rr, sizeof rr);
    off += sizeof rr;
  }
  put16(p + 6, answer ? 1 : 0);
  put16(p + 8, 0);
  put16(p + 10, opt ? 1 : 0);
  return off;
}

// ---- one worker: one socket, one thread ---------------------------------------------------


struct Worker {
  UniqueFd fd;
  bool pktinfo = false;
  std::uint64_t answered = 0;
  std::uint64_t dropped = 0;
  std::string error;

  std::array<std::array<std::uint8_t, kBufSize>, kBatch> bufs{};
  std::array<sockaddr_in, kBatch> peers{};
  std::array<mxsentry::test::PktinfoControl, kBatch> in_ctl{}, out_ctl{};
  std::array<iovec, kBatch> in_iov{}, out_iov{};
  std::array<mmsghdr, kBatch> in_msgs{}, out_msgs{};

  void run() {
    for (unsigned i = 0; i < kBatch; ++i) {
      in_msgs[i].msg_hdr.msg_name = &peers[i];
      in_msgs[i].msg_hdr.msg_iov = &in_iov[i];
      in_msgs[i].msg_hdr.msg_iovlen = 1;
      in_iov[i] = {bufs[i].data(), kMaxQuery};
    }
    while (!g_stop.load(std::memory_order_relaxed)) {
      for (unsigned i = 0; i < kBatch; ++i) {
        msghdr& h = in_msgs[i].msg_hdr;
        h.msg_namelen = sizeof(sockaddr_in);
        h.msg_control = pktinfo ? in_ctl[i].bytes : nullptr;
        h.msg_controllen = pktinfo ? sizeof in_ctl[i].bytes : 0;
        h.msg_flags = 0;
      }
      // SO_RCVTIMEO makes this return now and then so the stop flag is seen.
      const int n = ::recvmmsg(fd.get(), in_msgs.data(), kBatch, MSG_WAITFORONE, nullptr);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
        error = std::string("recvmmsg: ") + std::strerror(errno);
        g_stop = true;
        return;
      }
      unsigned out = 0;
      for (int i = 0; i < n; ++i) {
        msghdr& h = in_msgs[i].msg_hdr;
        const sockaddr_in& peer = peers[i];
        std::optional<in_addr> dst;
        if (pktinfo) dst = mxsentry::test::pktinfo_destination(h);
        const bool ok = (h.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) == 0 &&
                        h.msg_namelen == sizeof(sockaddr_in) && peer.sin_family == AF_INET &&
                        is_loopback(peer.sin_addr) && (!pktinfo || (dst && is_loopback(*dst)));
        const std::size_t len = ok ? make_answer(bufs[i].data(), in_msgs[i].msg_len) : 0;
        if (len == 0) {
          ++dropped;
          continue;
        }
        msghdr& o = out_msgs[out].msg_hdr;
        out_iov[out] = {bufs[i].data(), len};
        o.msg_name = &peers[i];
        o.msg_namelen = sizeof(sockaddr_in);
        o.msg_iov = &out_iov[out];
        o.msg_iovlen = 1;
        o.msg_flags = 0;
        if (pktinfo) {  // reply from the address that was queried
          mxsentry::test::pktinfo_set_source(o, out_ctl[out], *dst);
        } else {
          o.msg_control = nullptr;
          o.msg_controllen = 0;
        }
        ++out;
      }
      for (unsigned done = 0; done < out;) {
        const int sent = ::sendmmsg(fd.get(), out_msgs.data() + done, out - done, 0);
        if (sent < 0) {
          if (errno == EINTR) continue;
          ++dropped;  // skip the message that failed (full buffer, timeout, ...)
          ++done;
          continue;
        }
        answered += static_cast<unsigned>(sent);
        done += static_cast<unsigned>(sent);
      }
    }
  }
};

// ---- setup -----------------------------------------------------------------------------

struct Options {
  std::uint16_t port = 0;
  bool have_port = false;
  in_addr bind{htonl(INADDR_LOOPBACK)};
  bool bind_given = false;
  bool any_loopback = false;
  unsigned threads = 1;
  double max_seconds = 120;
};

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: %s --port P [--bind 127.0.0.1 | --any-loopback] [--threads N]\n"
               "       [--max-seconds N]\n"
               "  --bind ADDR      loopback address to serve (default 127.0.0.1)\n"
               "  --any-loopback   serve every 127.x.y.z on port P; replies come from the\n"
               "                   address that was queried\n"
               "  --threads N      N threads, each with its own SO_REUSEPORT socket\n"
               "  --max-seconds N  exit after N seconds (default 120)\n"
               "  Prints 'ready' once bound ('ready P' if --port 0 picked the port);\n"
               "  on exit prints 'answered N dropped M' on stderr.\n",
               kProgram);
}

template <typename T>
bool parse_uint(const char* text, T& value, T max) {
  if (!text) return false;
  unsigned long v = 0;
  const std::string_view s(text);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v > max) return false;
  value = static_cast<T>(v);
  return true;
}

std::optional<int> parse_args(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const char* v = (i + 1 < argc) ? argv[i + 1] : nullptr;
    auto bad = [&](const char* what) {
      std::fprintf(stderr, "%s: %s needs %s\n", kProgram, argv[i], what);
      return 2;
    };
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    } else if (arg == "--any-loopback") {
      opt.any_loopback = true;
      continue;
    } else if (arg == "--port") {
      if (!parse_uint<std::uint16_t>(v, opt.port, 65535)) return bad("a port number");
      opt.have_port = true;
    } else if (arg == "--threads") {
      if (!parse_uint<unsigned>(v, opt.threads, 64) || opt.threads == 0) return bad("1..64");
    } else if (arg == "--bind") {
      if (!v || ::inet_pton(AF_INET, v, &opt.bind) != 1) return bad("an IPv4 address");
      if (!is_loopback(opt.bind)) {
        std::fprintf(stderr, "%s: refusing to bind %s: not in 127.0.0.0/8\n", kProgram, v);
        return 2;
      }
      opt.bind_given = true;
    } else if (arg == "--max-seconds") {
      char* end = nullptr;
      opt.max_seconds = v ? std::strtod(v, &end) : 0;
      if (!v || *end != '\0' || !(opt.max_seconds > 0) || opt.max_seconds > 7 * 86400) {
        return bad("a positive number");
      }
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n", kProgram, argv[i]);
      usage(stderr);
      return 2;
    }
    ++i;  // the option's value
  }
  if (!opt.have_port) {
    std::fprintf(stderr, "%s: --port is required\n", kProgram);
    return 2;
  }
  if (opt.any_loopback && opt.bind_given) {
    std::fprintf(stderr, "%s: --bind and --any-loopback exclude each other\n", kProgram);
    return 2;
  }
  return std::nullopt;
}

UniqueFd open_socket(const Options& opt, std::uint16_t port, bool first) {
  UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (fd.get() < 0) fail("socket");
  const int one = 1;
  if (opt.threads > 1 && ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    fail("SO_REUSEPORT");
  }
  const int bufsize = 4 << 20;
  for (int name : {SO_RCVBUF, SO_SNDBUF}) {  // best effort; capped by net.core.*mem_max
    ::setsockopt(fd.get(), SOL_SOCKET, name, &bufsize, sizeof bufsize);
  }
  const timeval tick{0, 100'000};  // blocking calls wake up every 100 ms to see the stop flag
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof tick);

  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (opt.any_loopback) {
    if (::setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) fail("IP_PKTINFO");
    // Only loopback traffic can then reach the socket at all (needs CAP_NET_RAW; the
    // per-packet address checks apply either way).
    const char lo[] = "lo";
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, lo, sizeof lo) != 0 && first) {
      std::fprintf(stderr, "%s: note: SO_BINDTODEVICE lo failed (%s); relying on address checks\n",
                   kProgram, std::strerror(errno));
    }
    a.sin_addr.s_addr = htonl(INADDR_ANY);
  } else {
    a.sin_addr = opt.bind;
  }
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    char text[INET_ADDRSTRLEN] = "?";
    ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    fail(std::string("bind ") + text + ":" + std::to_string(port));
  }
  return fd;
}

int run_main(int argc, char** argv) {
  Options opt;
  if (const auto code = parse_args(argc, argv, opt)) return *code;

  // Stop signals are blocked in every thread and taken synchronously by the main thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  if (::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) != 0) fail("pthread_sigmask");
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(opt.max_seconds));

  std::vector<std::unique_ptr<Worker>> workers;
  std::uint16_t port = opt.port;
  for (unsigned i = 0; i < opt.threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->fd = open_socket(opt, port, i == 0);
    w->pktinfo = opt.any_loopback;
    if (port == 0) {
      sockaddr_in a{};
      socklen_t len = sizeof a;
      if (::getsockname(w->fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) fail("getsockname");
      port = ntohs(a.sin_port);
    }
    workers.push_back(std::move(w));
  }
  if (opt.port == 0) {
    std::printf("ready %u\n", unsigned{port});
  } else {
    std::printf("ready\n");
  }
  std::fflush(stdout);

  std::vector<std::thread> threads;
  struct JoinAll {  // also on an exception while starting threads
    std::vector<std::thread>& threads;
    ~JoinAll() {
      g_stop = true;
      for (auto& t : threads) t.join();
    }
  } join_all{threads};
  for (auto& w : workers) threads.emplace_back([&worker = *w] { worker.run(); });

  int signo = 0;
  while (!g_stop.load()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    const timespec tick{0, 100'000'000};  // also look at g_stop (a worker may have failed)
    signo = ::sigtimedwait(&stop_signals, nullptr, &tick);
    if (signo > 0) break;
  }
  g_stop = true;
  for (auto& t : threads) t.join();
  threads.clear();

  std::uint64_t answered = 0, dropped = 0;
  int code = 0;
  for (const auto& w : workers) {
    answered += w->answered;
    dropped += w->dropped;
    if (!w->error.empty()) {
      std::fprintf(stderr, "%s: error: %s\n", kProgram, w->error.c_str());
      code = 1;
    }
  }
  if (signo > 0) std::fprintf(stderr, "%s: signal %d, exiting\n", kProgram, signo);
  std::fprintf(stderr, "answered %llu dropped %llu\n", static_cast<unsigned long long>(answered),
               static_cast<unsigned long long>(dropped));
  return code;
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
