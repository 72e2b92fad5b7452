#pragma once
// A DNS responder on an ephemeral loopback port, in a thread of the test, that records every
// query it gets (ID, source port, question) and answers each after a fixed hold. It counts a
// query whose question (name, case-folded, and type) arrives while an earlier query for the
// same question is still held: the engine then had that question outstanding twice at once.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace mxsentry::test {

struct RecordedQuery {
  std::uint16_t id = 0;
  std::uint16_t source_port = 0;
  std::string question;  ///< lower-cased wire name, then the type
};

class LoopbackRecorder {
 public:
  /// Binds 127.0.0.1:0; answers each query `hold_ms` after it came.
  explicit LoopbackRecorder(int hold_ms);
  ~LoopbackRecorder();
  LoopbackRecorder(const LoopbackRecorder&) = delete;
  LoopbackRecorder& operator=(const LoopbackRecorder&) = delete;

  std::uint16_t port() const { return port_; }
  /// Stops the thread; after it the results below are stable.
  void stop();

  std::vector<RecordedQuery> queries;
  std::uint64_t twice_outstanding = 0;  ///< queries that came while their twin was held
  std::uint64_t unparsable = 0;

 private:
  void run();

  int fd_ = -1;
  std::uint16_t port_ = 0;
  int hold_ms_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace mxsentry::test
