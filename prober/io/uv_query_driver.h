#pragma once
// Drives a QueryEngine with libuv: a pool of UDP sockets on random ports (recvmmsg in, one
// sendmmsg per socket per loop turn out), TCP connections for truncated answers, a timer for
// the engine's next deadline. Runs until the feed is empty and the engine idle, then closes
// every handle so that uv_run returns; an open feed (TaskFeed::open) keeps it running, woken
// by wake() from any thread, until the feed says it is finished.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <uv.h>

#include "prober/core/query_engine.h"
#include "prober/io/task_feed.h"

namespace mxsentry {

struct DriverOptions {
  int socket_buffer_bytes = 4 << 20;  ///< SO_RCVBUF / SO_SNDBUF asked for each UDP socket
  std::uint32_t progress_interval_ms = 0;  ///< 0: no progress callback
};

class UvQueryDriver final : public QueryIo {
 public:
  using TaskErrorSink = std::function<void(const Task&, const std::string&)>;
  using ProgressSink = std::function<void(const QueryEngine&)>;

  UvQueryDriver(uv_loop_t* loop, EngineConfig config, DriverOptions options, TaskFeed& feed,
                RandomSource& random, QueryEngine::ObservationSink sink);
  ~UvQueryDriver() override;
  UvQueryDriver(const UvQueryDriver&) = delete;
  UvQueryDriver& operator=(const UvQueryDriver&) = delete;

  void on_task_error(TaskErrorSink sink) { task_error_ = std::move(sink); }
  void on_progress(ProgressSink sink) { progress_ = std::move(sink); }
  /// Called on the loop's thread after each wake(), before the driver looks at the feed.
  void on_wake(std::function<void()> callback) { wake_callback_ = std::move(callback); }
  /// Observations go to `renderer` as text instead of to the sink (see
  /// observation_renderer.h); call before start().
  void set_renderer(ObservationRenderer* renderer) { engine_.set_renderer(renderer); }

  /// Starts the handles; returns an error message, or empty on success. Then call uv_run.
  std::string start();
  /// Takes no further tasks and forgets those not yet sent (waiting on a rate limit); what is
  /// in flight finishes normally. Returns how many queued tasks were forgotten.
  std::size_t stop_intake();
  /// Abandons everything now and closes the handles.
  void abort();
  /// Thread-safe: the loop runs the wake callback and looks at the feed again soon. Does
  /// nothing once the driver has closed its handles.
  void wake();

  const QueryEngine& engine() const { return engine_; }
  bool finished() const { return closing_; }

  // QueryIo
  void send_udp(std::uint64_t handle, std::uint32_t socket, const Endpoint& to,
                std::span<const std::uint8_t> message) override;
  void start_tcp(std::uint64_t handle, const Endpoint& to, std::span<const std::uint8_t> message) override;
  void cancel_tcp(std::uint64_t handle) override;

 private:
  struct UdpSocket;
  struct TcpQuery;
  struct DeferredError {
    std::uint64_t handle;
    bool tcp;
    std::string reason;
  };

  static std::uint64_t now_us() { return uv_hrtime() / 1000; }
  std::vector<UdpSocket*>* pool_for(int family);
  std::string open_pool(int family);
  void pump();
  void flush_outboxes();
  void shutdown();
  void close_tcp(TcpQuery* q);

  static void on_check(uv_check_t* handle);
  static void on_async(uv_async_t* handle);
  static void on_timer(uv_timer_t* handle);
  static void on_progress_timer(uv_timer_t* handle);
  static void on_udp_recv(uv_udp_t* handle, ssize_t nread, const uv_buf_t* buf, const sockaddr* addr,
                          unsigned flags);
  static void on_udp_sent(uv_udp_send_t* req, int status);
  static void on_tcp_connect(uv_connect_t* req, int status);
  static void on_tcp_written(uv_write_t* req, int status);
  static void on_tcp_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);

  uv_loop_t* loop_;
  EngineConfig config_;
  DriverOptions options_;
  TaskFeed& feed_;
  QueryEngine engine_;
  TaskErrorSink task_error_;
  ProgressSink progress_;

  uv_check_t* check_ = nullptr;
  uv_timer_t* timer_ = nullptr;
  uv_timer_t* progress_timer_ = nullptr;
  uv_async_t* async_ = nullptr;  ///< wake(); closed under wake_mutex_
  std::mutex wake_mutex_;
  std::function<void()> wake_callback_;
  std::vector<UdpSocket*> v4_;
  std::vector<UdpSocket*> v6_;
  std::vector<UdpSocket*> dirty_;  ///< sockets with queued datagrams
  std::unordered_map<std::uint64_t, TcpQuery*> tcp_;
  std::vector<DeferredError> deferred_;
  /// Datagrams of the recvmmsg batch being delivered (valid until libuv frees the buffer).
  std::vector<UdpDatagram> batch_;
  std::uint64_t batch_us_ = 0;
  bool feed_done_ = false;
  bool closing_ = false;
  bool started_ = false;
};

}  // namespace mxsentry
