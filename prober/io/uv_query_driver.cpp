#include "prober/io/uv_query_driver.h"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>

namespace mxsentry {

namespace {

// libuv reads up to 20 datagrams per recvmmsg when the buffer is a multiple of 64 KiB. The
// buffer is handed back to libuv only after every callback of a read returned, so one per
// thread serves all sockets.
constexpr std::size_t recv_area_size = 20 * 64 * 1024;
constexpr std::size_t max_query_size = 512;
constexpr unsigned sendmmsg_batch = 64;

char* recv_area() {
  thread_local std::unique_ptr<char[]> area(new char[recv_area_size]);
  return area.get();
}

void alloc_recv(uv_handle_t*, size_t, uv_buf_t* buf) {
  buf->base = recv_area();
  buf->len = recv_area_size;
}

void alloc_tcp(uv_handle_t*, size_t, uv_buf_t* buf) {
  thread_local char area[64 * 1024];
  buf->base = area;
  buf->len = sizeof area;
}

template <typename Handle>
void close_and_delete(Handle* h) {
  uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* closed) { delete reinterpret_cast<Handle*>(closed); });
}

}  // namespace

struct UvQueryDriver::UdpSocket {
  struct Outgoing {
    sockaddr_storage addr;
    socklen_t addr_len;
    std::uint16_t size;
    std::uint64_t handle;
    std::uint8_t data[max_query_size];
  };
  uv_udp_t handle{};
  UvQueryDriver* driver = nullptr;
  std::uint32_t index = 0;
  std::vector<Outgoing> outbox;
  bool dirty = false;
};

struct UvQueryDriver::TcpQuery {
  uv_tcp_t tcp{};
  uv_connect_t connect{};
  uv_write_t write{};
  UvQueryDriver* driver = nullptr;
  std::uint64_t handle = 0;
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> in;
  bool closed = false;
};

namespace {

struct SendRequest {
  uv_udp_send_t req{};
  std::vector<std::uint8_t> data;
  std::uint64_t handle = 0;
  void* driver = nullptr;
};

}  // namespace

UvQueryDriver::UvQueryDriver(uv_loop_t* loop, EngineConfig config, DriverOptions options, TaskFeed& feed,
                             RandomSource& random, QueryEngine::ObservationSink sink)
    : loop_(loop),
      config_([&config] {
        // The engine's wall clock is the monotonic clock shifted to Unix time.
        uv_timeval64_t tv;
        uv_gettimeofday(&tv);
        config.wall_clock_offset_us = tv.tv_sec * 1'000'000 + tv.tv_usec - static_cast<std::int64_t>(now_us());
        return config;
      }()),
      options_(options),
      feed_(feed),
      engine_(config_, *this, random, std::move(sink)) {}

UvQueryDriver::~UvQueryDriver() {
  if (started_ && !closing_) {
    shutdown();
    // Let the close callbacks run so no handle outlives this object.
    for (int i = 0; i < 4; ++i) uv_run(loop_, UV_RUN_NOWAIT);
  }
}

std::vector<UvQueryDriver::UdpSocket*>* UvQueryDriver::pool_for(int family) {
  auto& pool = family == AF_INET6 ? v6_ : v4_;
  if (pool.empty() && !closing_) {
    std::string error = open_pool(family);
    if (!error.empty()) return nullptr;
  }
  return pool.empty() ? nullptr : &pool;
}

std::string UvQueryDriver::open_pool(int family) {
  auto& pool = family == AF_INET6 ? v6_ : v4_;
  for (std::uint32_t i = 0; i < config_.udp_sockets; ++i) {
    auto* s = new UdpSocket;
    s->driver = this;
    s->index = i;
    s->handle.data = s;
    int rc = uv_udp_init_ex(loop_, &s->handle, static_cast<unsigned>(family) | UV_UDP_RECVMMSG);
    if (rc < 0) {
      delete s;
      return std::string("udp socket: ") + uv_strerror(rc);
    }
    pool.push_back(s);
    // Port 0: the kernel picks a random ephemeral port for each socket of the pool.
    sockaddr_storage any{};
    if (family == AF_INET6) {
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&any);
      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = in6addr_any;
      rc = uv_udp_bind(&s->handle, reinterpret_cast<sockaddr*>(&any), UV_UDP_IPV6ONLY);
    } else {
      auto* sin = reinterpret_cast<sockaddr_in*>(&any);
      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = htonl(INADDR_ANY);
      rc = uv_udp_bind(&s->handle, reinterpret_cast<sockaddr*>(&any), 0);
    }
    if (rc < 0) return std::string("udp bind: ") + uv_strerror(rc);
    int size = options_.socket_buffer_bytes;
    uv_recv_buffer_size(reinterpret_cast<uv_handle_t*>(&s->handle), &size);
    size = options_.socket_buffer_bytes;
    uv_send_buffer_size(reinterpret_cast<uv_handle_t*>(&s->handle), &size);
    rc = uv_udp_recv_start(&s->handle, alloc_recv, on_udp_recv);
    if (rc < 0) return std::string("udp receive: ") + uv_strerror(rc);
  }
  return {};
}

std::string UvQueryDriver::start() {
  if (std::string problem = validate(config_); !problem.empty()) return problem;
  started_ = true;
  check_ = new uv_check_t;
  uv_check_init(loop_, check_);
  check_->data = this;
  uv_check_start(check_, on_check);
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
  {
    std::lock_guard lock(wake_mutex_);
    async_ = new uv_async_t;
    uv_async_init(loop_, async_, on_async);
    async_->data = this;
  }
  if (progress_ && options_.progress_interval_ms > 0) {
    progress_timer_ = new uv_timer_t;
    uv_timer_init(loop_, progress_timer_);
    progress_timer_->data = this;
    uv_timer_start(progress_timer_, on_progress_timer, options_.progress_interval_ms, options_.progress_interval_ms);
  }
  // The IPv4 pool is opened at once so that a bind failure is reported before any work;
  // the IPv6 pool when the first IPv6 resolver is asked.
  if (std::string error = open_pool(AF_INET); !error.empty()) {
    shutdown();
    return error;
  }
  uv_timer_start(timer_, on_timer, 0, 0);  // first pump on the first loop turn
  return {};
}

std::size_t UvQueryDriver::stop_intake() {
  feed_done_ = true;
  std::size_t dropped = engine_.drop_queued();
  // The next pump may be planned far off (a gentle rate): pump now, so an idle engine ends.
  if (timer_ && !closing_) uv_timer_start(timer_, on_timer, 0, 0);
  return dropped;
}

void UvQueryDriver::wake() {
  std::lock_guard lock(wake_mutex_);
  if (async_) uv_async_send(async_);
}

void UvQueryDriver::abort() {
  feed_done_ = true;
  shutdown();
}

void UvQueryDriver::shutdown() {
  if (closing_) return;
  closing_ = true;
  if (check_) close_and_delete(check_);
  if (timer_) close_and_delete(timer_);
  if (progress_timer_) close_and_delete(progress_timer_);
  check_ = nullptr;
  timer_ = nullptr;
  {
    std::lock_guard lock(wake_mutex_);
    if (async_) close_and_delete(async_);
    async_ = nullptr;
  }
  progress_timer_ = nullptr;
  for (auto* pool : {&v4_, &v6_}) {
    for (UdpSocket* s : *pool) {
      uv_udp_recv_stop(&s->handle);
      uv_close(reinterpret_cast<uv_handle_t*>(&s->handle),
               [](uv_handle_t* h) { delete static_cast<UdpSocket*>(h->data); });
    }
    pool->clear();
  }
  dirty_.clear();
  for (auto& [handle, q] : tcp_) close_tcp(q);
  tcp_.clear();
}

// ---- the pump: intake, timers, sends --------------------------------------------------------

void UvQueryDriver::pump() {
  if (closing_) return;
  std::uint64_t now = now_us();
  for (auto& e : deferred_) {
    if (e.tcp)
      engine_.on_tcp_error(e.handle, e.reason, now);
    else
      engine_.on_udp_send_error(e.handle, e.reason, now);
  }
  deferred_.clear();
  // Answers handled in advance() can make a feed produce tasks (the truth iterator asks the
  // next server when a referral comes back), so pull and advance until nothing new comes.
  for (bool submitted = true; submitted;) {
    submitted = false;
    while (!feed_done_ && engine_.wants_tasks()) {
      std::optional<Task> task = feed_.next();
      if (!task) {
        if (feed_.finished()) feed_done_ = true;
        break;
      }
      if (auto error = engine_.submit(*task, now); error && task_error_) task_error_(*task, *error);
      submitted = true;
    }
    engine_.advance(now);
    if (!submitted && !feed_done_ && engine_.idle() && !feed_.open()) {
      // Nothing in flight could make more tasks: one last look, then the end.
      if (std::optional<Task> task = feed_.next()) {
        if (auto error = engine_.submit(*task, now); error && task_error_) task_error_(*task, *error);
        submitted = true;
      } else {
        feed_done_ = true;
      }
    }
  }
  flush_outboxes();
  if (feed_done_ && engine_.idle() && deferred_.empty()) {
    if (progress_) progress_(engine_);
    shutdown();
    return;
  }
  if (!deferred_.empty()) {
    uv_timer_start(timer_, on_timer, 0, 0);
  } else if (auto wake = engine_.next_wakeup_us()) {
    std::uint64_t delay_ms = *wake > now ? (*wake - now + 999) / 1000 : 0;
    uv_timer_start(timer_, on_timer, delay_ms, 0);
  } else {
    uv_timer_stop(timer_);
  }
}

void UvQueryDriver::send_udp(std::uint64_t handle, std::uint32_t socket, const Endpoint& to,
                             std::span<const std::uint8_t> message) {
  auto* pool = pool_for(to.family);
  if (pool == nullptr || socket >= pool->size() || message.size() > max_query_size) {
    deferred_.push_back({handle, false, pool == nullptr ? "no UDP socket for this address family" : "bad send"});
    return;
  }
  UdpSocket* s = (*pool)[socket];
  auto& out = s->outbox.emplace_back();
  out.addr_len = to.to_sockaddr(out.addr);
  out.size = static_cast<std::uint16_t>(message.size());
  out.handle = handle;
  std::memcpy(out.data, message.data(), message.size());
  if (!s->dirty) {
    s->dirty = true;
    dirty_.push_back(s);
  }
}

void UvQueryDriver::flush_outboxes() {
  mmsghdr msgs[sendmmsg_batch];
  iovec iov[sendmmsg_batch];
  for (UdpSocket* s : dirty_) {
    s->dirty = false;
    uv_os_fd_t fd;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(&s->handle), &fd) != 0) continue;
    std::size_t next = 0;
    auto& box = s->outbox;
    while (next < box.size()) {
      unsigned n = static_cast<unsigned>(std::min<std::size_t>(sendmmsg_batch, box.size() - next));
      for (unsigned i = 0; i < n; ++i) {
        auto& o = box[next + i];
        iov[i] = {o.data, o.size};
        msgs[i] = {};
        msgs[i].msg_hdr.msg_name = &o.addr;
        msgs[i].msg_hdr.msg_namelen = o.addr_len;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int sent = sendmmsg(fd, msgs, n, 0);
      if (sent > 0) {
        next += static_cast<std::size_t>(sent);
        continue;
      }
      if (sent < 0 && errno == EINTR) continue;
      if (sent == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
        // The socket buffer is full: hand the rest to libuv, which sends when writable.
        for (; next < box.size(); ++next) {
          auto& o = box[next];
          auto* req = new SendRequest;
          req->data.assign(o.data, o.data + o.size);
          req->handle = o.handle;
          req->driver = this;
          req->req.data = req;
          uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(req->data.data()), static_cast<unsigned>(req->data.size()));
          int rc = uv_udp_send(&req->req, &s->handle, &buf, 1, reinterpret_cast<sockaddr*>(&o.addr), on_udp_sent);
          if (rc < 0) {
            deferred_.push_back({o.handle, false, uv_strerror(rc)});
            delete req;
          }
        }
        break;
      }
      // This datagram cannot be sent (no route, bad address): fail its query, go on.
      deferred_.push_back({box[next].handle, false, std::strerror(errno)});
      ++next;
    }
    box.clear();
  }
  dirty_.clear();
}

// ---- TCP for truncated answers --------------------------------------------------------------

void UvQueryDriver::start_tcp(std::uint64_t handle, const Endpoint& to, std::span<const std::uint8_t> message) {
  auto* q = new TcpQuery;
  q->driver = this;
  q->handle = handle;
  q->tcp.data = q;
  q->connect.data = q;
  q->write.data = q;
  q->out.reserve(message.size() + 2);
  q->out.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  q->out.push_back(static_cast<std::uint8_t>(message.size()));
  q->out.insert(q->out.end(), message.begin(), message.end());
  uv_tcp_init(loop_, &q->tcp);
  sockaddr_storage addr;
  to.to_sockaddr(addr);
  int rc = uv_tcp_connect(&q->connect, &q->tcp, reinterpret_cast<sockaddr*>(&addr), on_tcp_connect);
  if (rc < 0) {
    deferred_.push_back({handle, true, uv_strerror(rc)});
    close_tcp(q);
    return;
  }
  tcp_[handle] = q;
}

void UvQueryDriver::cancel_tcp(std::uint64_t handle) {
  auto it = tcp_.find(handle);
  if (it == tcp_.end()) return;
  close_tcp(it->second);
  tcp_.erase(it);
}

void UvQueryDriver::close_tcp(TcpQuery* q) {
  if (q->closed) return;
  q->closed = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&q->tcp), [](uv_handle_t* h) { delete static_cast<TcpQuery*>(h->data); });
}

void UvQueryDriver::on_tcp_connect(uv_connect_t* req, int status) {
  auto* q = static_cast<TcpQuery*>(req->data);
  if (q->closed) return;
  UvQueryDriver* d = q->driver;
  if (status < 0) {
    d->tcp_.erase(q->handle);
    d->close_tcp(q);
    d->engine_.on_tcp_error(q->handle, uv_strerror(status), now_us());
    return;
  }
  uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(q->out.data()), static_cast<unsigned>(q->out.size()));
  uv_write(&q->write, reinterpret_cast<uv_stream_t*>(&q->tcp), &buf, 1, on_tcp_written);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&q->tcp), alloc_tcp, on_tcp_read);
}

void UvQueryDriver::on_tcp_written(uv_write_t* req, int status) {
  auto* q = static_cast<TcpQuery*>(req->data);
  if (q->closed || status >= 0) return;
  UvQueryDriver* d = q->driver;
  d->tcp_.erase(q->handle);
  d->close_tcp(q);
  d->engine_.on_tcp_error(q->handle, uv_strerror(status), now_us());
}

void UvQueryDriver::on_tcp_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* q = static_cast<TcpQuery*>(stream->data);
  if (q->closed) return;
  UvQueryDriver* d = q->driver;
  if (nread < 0) {
    d->tcp_.erase(q->handle);
    d->close_tcp(q);
    d->engine_.on_tcp_error(
        q->handle, nread == UV_EOF ? "connection closed before a complete answer" : uv_strerror(static_cast<int>(nread)),
        now_us());
    return;
  }
  q->in.insert(q->in.end(), buf->base, buf->base + nread);
  if (q->in.size() < 2) return;
  std::size_t length = (static_cast<std::size_t>(q->in[0]) << 8) | q->in[1];
  if (q->in.size() < 2 + length) return;
  d->tcp_.erase(q->handle);
  d->close_tcp(q);  // freed in the close callback, after this function returns
  d->engine_.on_tcp_message(q->handle, std::span<const std::uint8_t>(q->in.data() + 2, length), now_us());
}

// ---- libuv callbacks ------------------------------------------------------------------------

void UvQueryDriver::on_check(uv_check_t* handle) { static_cast<UvQueryDriver*>(handle->data)->pump(); }

void UvQueryDriver::on_timer(uv_timer_t* handle) { static_cast<UvQueryDriver*>(handle->data)->pump(); }

void UvQueryDriver::on_async(uv_async_t* handle) {
  auto* d = static_cast<UvQueryDriver*>(handle->data);
  if (d->wake_callback_) d->wake_callback_();
  d->pump();
}

void UvQueryDriver::on_progress_timer(uv_timer_t* handle) {
  auto* d = static_cast<UvQueryDriver*>(handle->data);
  if (d->progress_) d->progress_(d->engine_);
}

void UvQueryDriver::on_udp_recv(uv_udp_t* handle, ssize_t nread, const uv_buf_t* buf, const sockaddr* addr,
                                unsigned flags) {
  auto* s = static_cast<UdpSocket*>(handle->data);
  UvQueryDriver* d = s->driver;
  if (flags & UV_UDP_MMSG_FREE) {
    // The end of a recvmmsg batch: hand it to the engine in one go, before libuv reuses the
    // buffer.
    if (!d->closing_ && !d->batch_.empty()) d->engine_.on_udp_datagrams(s->index, d->batch_, d->batch_us_);
    d->batch_.clear();
    return;
  }
  if (d->closing_ || nread <= 0 || addr == nullptr) return;
  auto from = Endpoint::from_sockaddr(addr);
  if (!from) return;
  std::span<const std::uint8_t> data(reinterpret_cast<const std::uint8_t*>(buf->base), static_cast<std::size_t>(nread));
  if (flags & UV_UDP_MMSG_CHUNK) {
    if (d->batch_.empty()) d->batch_us_ = now_us();
    d->batch_.push_back(UdpDatagram{*from, data});
    return;
  }
  d->engine_.on_udp_datagram(s->index, *from, data, now_us());
}

void UvQueryDriver::on_udp_sent(uv_udp_send_t* req, int status) {
  auto* r = static_cast<SendRequest*>(req->data);
  auto* d = static_cast<UvQueryDriver*>(r->driver);
  if (status < 0 && status != UV_ECANCELED && !d->closing_) d->engine_.on_udp_send_error(r->handle, uv_strerror(status), now_us());
  delete r;
}

}  // namespace mxsentry
