#include "tests/tools/farm_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "tests/tools/pktinfo.hpp"

namespace mxsentry::farm {

namespace {

constexpr unsigned batch = 64;
constexpr std::size_t max_query = 1232;  // larger datagrams are dropped
constexpr std::size_t buffer_size = max_query + max_reply_growth;
constexpr std::size_t delay_slots = 8192;  // slow replies in flight at once; more are dropped
constexpr std::size_t slot_bytes = 768;
constexpr std::uint64_t poll_ms = 5;  // how late a delayed reply may go out, at most (about)

bool is_loopback(std::uint32_t host_order) { return host_order >> 24 == 127; }

struct Parked {
  std::uint16_t length = 0;
  sockaddr_in peer{};
  in_addr source{};
  std::array<std::uint8_t, slot_bytes> bytes{};
};

class Server {
 public:
  Server(int fd, const FarmScope& scope, std::uint64_t start_ms, FarmStats& stats)
      : fd_(fd), scope_(scope), start_ms_(start_ms), stats_(stats),
        context_{scope.zone, scope.first_auth, "a.farm-root."},
        windows_(scope.resolvers ? scope.profiles->size() : 0),
        parked_(std::make_unique<std::array<Parked, delay_slots>>()) {
    due_.reserve(delay_slots);
    free_.reserve(delay_slots);
    for (std::size_t i = delay_slots; i > 0; --i) free_.push_back(static_cast<std::uint32_t>(i - 1));
    for (unsigned i = 0; i < batch; ++i) {
      in_msgs_[i].msg_hdr.msg_name = &peers_[i];
      in_msgs_[i].msg_hdr.msg_iov = &in_iov_[i];
      in_msgs_[i].msg_hdr.msg_iovlen = 1;
      in_iov_[i] = {bufs_[i].data(), max_query};
    }
  }

  std::string run(std::atomic<bool>& stop) {
    while (!stop.load(std::memory_order_relaxed)) {
      send_due();
      for (unsigned i = 0; i < batch; ++i) {
        msghdr& h = in_msgs_[i].msg_hdr;
        h.msg_namelen = sizeof(sockaddr_in);
        h.msg_control = in_ctl_[i].bytes;
        h.msg_controllen = sizeof in_ctl_[i].bytes;
        h.msg_flags = 0;
      }
      const int n = ::recvmmsg(fd_, in_msgs_.data(), batch, MSG_WAITFORONE, nullptr);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
        stop = true;
        return std::string("recvmmsg: ") + std::strerror(errno);
      }
      const std::uint64_t now = steady_ms() - start_ms_;
      unsigned out = 0;
      for (int i = 0; i < n; ++i) {
        if (handle(static_cast<unsigned>(i), now, out)) ++out;
      }
      send(out_msgs_.data(), out);
    }
    return {};
  }

 private:
  // Builds the reply to message i into out slot `out`; false when nothing goes out now.
  bool handle(unsigned i, std::uint64_t now, unsigned out) {
    msghdr& h = in_msgs_[i].msg_hdr;
    const sockaddr_in& peer = peers_[i];
    const std::optional<in_addr> dst = test::pktinfo_destination(h);
    if ((h.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 || h.msg_namelen != sizeof(sockaddr_in) ||
        peer.sin_family != AF_INET || !is_loopback(ntohl(peer.sin_addr.s_addr)) || !dst ||
        !is_loopback(ntohl(dst->s_addr))) {
      ++stats_.ignored;
      return false;
    }
    std::uint8_t* wire = bufs_[i].data();
    const auto query = parse_query(wire, in_msgs_[i].msg_len);
    if (!query) {
      ++stats_.ignored;
      return false;
    }
    const std::uint32_t to = ntohl(dst->s_addr);
    Plan plan;
    const NameClass name = classify(*scope_.zone, query->name());
    if (scope_.resolvers && to - scope_.first_resolver < scope_.profiles->size()) {
      const std::uint32_t r = to - scope_.first_resolver;
      rng_ ^= rng_ << 13, rng_ ^= rng_ >> 7, rng_ ^= rng_ << 17;  // xorshift64
      plan = resolver_plan(*scope_.zone, (*scope_.profiles)[r], r, name, query->qtype, now, rng_, windows_[r]);
    } else if (const auto server = scope_.authority ? auth_server(*scope_.zone, to - scope_.first_auth) : std::nullopt) {
      plan = authority_plan(*scope_.zone, *server, name, query->qtype);
      ++stats_.authoritative;
    } else {
      ++stats_.ignored;
      return false;
    }
    ++stats_.queries;
    if (!plan.respond) {
      ++stats_.dropped;
      return false;
    }
    const std::size_t length = write_reply(wire, *query, plan, context_);
    if (plan.delay_ms > 0) {
      park(wire, length, peer, *dst, now + plan.delay_ms);
      return false;
    }
    msghdr& o = out_msgs_[out].msg_hdr;
    out_iov_[out] = {wire, length};
    o.msg_name = &peers_[i];
    o.msg_namelen = sizeof(sockaddr_in);
    o.msg_iov = &out_iov_[out];
    o.msg_iovlen = 1;
    o.msg_flags = 0;
    test::pktinfo_set_source(o, out_ctl_[out], *dst);
    return true;
  }

  void park(const std::uint8_t* wire, std::size_t length, const sockaddr_in& peer, in_addr source, std::uint64_t due) {
    if (free_.empty() || length > slot_bytes) {
      ++stats_.ignored;
      return;
    }
    const std::uint32_t slot = free_.back();
    free_.pop_back();
    Parked& p = (*parked_)[slot];
    p.length = static_cast<std::uint16_t>(length);
    p.peer = peer;
    p.source = source;
    std::memcpy(p.bytes.data(), wire, length);
    due_.emplace_back(due, slot);
    std::push_heap(due_.begin(), due_.end(), std::greater<>{});
    ++stats_.delayed;
  }

  void send_due() {
    if (due_.empty()) return;
    const std::uint64_t now = steady_ms() - start_ms_ + poll_ms / 2;
    while (!due_.empty() && due_.front().first <= now) {
      unsigned out = 0;
      std::array<std::uint32_t, batch> slots{};
      while (out < batch && !due_.empty() && due_.front().first <= now) {
        std::pop_heap(due_.begin(), due_.end(), std::greater<>{});
        const std::uint32_t slot = due_.back().second;
        due_.pop_back();
        Parked& p = (*parked_)[slot];
        msghdr& o = late_msgs_[out].msg_hdr;
        late_iov_[out] = {p.bytes.data(), p.length};
        o.msg_name = &p.peer;
        o.msg_namelen = sizeof(sockaddr_in);
        o.msg_iov = &late_iov_[out];
        o.msg_iovlen = 1;
        o.msg_flags = 0;
        test::pktinfo_set_source(o, late_ctl_[out], p.source);
        slots[out++] = slot;
      }
      send(late_msgs_.data(), out);
      for (unsigned k = 0; k < out; ++k) free_.push_back(slots[k]);
    }
  }

  void send(mmsghdr* msgs, unsigned count) {
    for (unsigned done = 0; done < count;) {
      const int sent = ::sendmmsg(fd_, msgs + done, count - done, 0);
      if (sent < 0) {
        if (errno == EINTR) continue;
        ++stats_.ignored;  // skip the message that failed (full buffer, timeout, ...)
        ++done;
        continue;
      }
      stats_.answered += static_cast<unsigned>(sent);
      done += static_cast<unsigned>(sent);
    }
  }

  int fd_;
  const FarmScope& scope_;
  std::uint64_t start_ms_;
  FarmStats& stats_;
  WireContext context_;
  std::vector<RateWindow> windows_;
  std::uint64_t rng_ = 0x9e3779b97f4a7c15ull;

  std::unique_ptr<std::array<Parked, delay_slots>> parked_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> due_;  // min-heap of (due ms, slot)
  std::vector<std::uint32_t> free_;

  std::array<std::array<std::uint8_t, buffer_size>, batch> bufs_{};
  std::array<sockaddr_in, batch> peers_{};
  std::array<test::PktinfoControl, batch> in_ctl_{}, out_ctl_{}, late_ctl_{};
  std::array<iovec, batch> in_iov_{}, out_iov_{}, late_iov_{};
  std::array<mmsghdr, batch> in_msgs_{}, out_msgs_{}, late_msgs_{};
};

}  // namespace

void FarmStats::add(const FarmStats& o) {
  queries += o.queries;
  answered += o.answered;
  authoritative += o.authoritative;
  dropped += o.dropped;
  delayed += o.delayed;
  ignored += o.ignored;
}

std::uint64_t steady_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

test_responder::UniqueFd open_farm_socket(std::uint16_t port) {
  auto fail = [](const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); };
  test_responder::UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (fd.get() < 0) fail("socket");
  const int one = 1;
  const int bufsize = 4 << 20;
  for (int name : {SO_RCVBUF, SO_SNDBUF}) ::setsockopt(fd.get(), SOL_SOCKET, name, &bufsize, sizeof bufsize);
  const timeval tick{0, static_cast<suseconds_t>(poll_ms * 1000)};  // wake up for delayed replies and the stop flag
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  const timeval send_tick{0, 100'000};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &send_tick, sizeof send_tick);
  if (::setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) fail("IP_PKTINFO");
  // Only loopback traffic can then reach the socket (needs CAP_NET_RAW; the per-packet
  // address checks apply either way).
  const char lo[] = "lo";
  ::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, lo, sizeof lo);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) fail("bind 0.0.0.0:" + std::to_string(port));
  return fd;
}

std::string serve(int fd, const FarmScope& scope, std::uint64_t start_ms, std::atomic<bool>& stop, FarmStats& stats) {
  auto server = std::make_unique<Server>(fd, scope, start_ms, stats);  // large: not on the stack
  return server->run(stop);
}

}  // namespace mxsentry::farm
