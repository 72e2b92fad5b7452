#include "loopback_recorder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <deque>
#include <stdexcept>
#include <unordered_map>

namespace mxsentry::test {

namespace {

using Clock = std::chrono::steady_clock;

struct Held {
  Clock::time_point due;
  sockaddr_in to;
  std::vector<std::uint8_t> reply;
  std::string question;
};

// The question of a query (lower-cased name and type) and its end; false when the packet is
// not a query with one uncompressed question.
bool read_question(const std::uint8_t* p, std::size_t n, std::string& question, std::size_t& end) {
  if (n < 12 || (p[2] & 0x80) || p[4] != 0 || p[5] != 1) return false;
  std::size_t at = 12;
  question.clear();
  while (true) {
    if (at >= n) return false;
    const std::uint8_t length = p[at];
    if (length > 63 || at + 1 + length > n) return false;
    question.push_back(static_cast<char>(length));
    for (std::size_t i = 0; i < length; ++i)
      question.push_back(static_cast<char>(std::tolower(p[at + 1 + i])));
    at += 1 + length;
    if (length == 0) break;
  }
  if (at + 4 > n) return false;
  question.push_back(static_cast<char>(p[at]));
  question.push_back(static_cast<char>(p[at + 1]));
  end = at + 4;
  return true;
}

// NOERROR with one A record (127.0.0.1) for the question.
std::vector<std::uint8_t> answer(const std::uint8_t* query, std::size_t question_end) {
  std::vector<std::uint8_t> r(query, query + question_end);
  r[2] = static_cast<std::uint8_t>(0x80 | (query[2] & 0x01));  // QR, RD as asked
  r[3] = 0x80;                                                 // RA, NOERROR
  r[6] = 0, r[7] = 1;                                          // one answer
  r[8] = r[9] = r[10] = r[11] = 0;                             // nothing else (no OPT)
  const std::uint8_t record[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1};
  r.insert(r.end(), std::begin(record), std::end(record));
  return r;
}

}  // namespace

LoopbackRecorder::LoopbackRecorder(int hold_ms) : hold_ms_(hold_ms) {
  fd_ = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket");
  int size = 8 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) throw std::runtime_error("bind");
  socklen_t length = sizeof address;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { run(); });
}

LoopbackRecorder::~LoopbackRecorder() {
  stop();
  if (fd_ >= 0) close(fd_);
}

void LoopbackRecorder::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void LoopbackRecorder::run() {
  std::deque<Held> held;  // the hold is constant: due times are in arrival order
  std::unordered_map<std::string, int> held_questions;
  std::uint8_t buffer[4096];
  while (!stop_) {
    const auto now = Clock::now();
    while (!held.empty() && held.front().due <= now) {
      Held& h = held.front();
      sendto(fd_, h.reply.data(), h.reply.size(), 0, reinterpret_cast<sockaddr*>(&h.to), sizeof h.to);
      if (--held_questions[h.question] == 0) held_questions.erase(h.question);
      held.pop_front();
    }
    int wait_ms = 50;
    if (!held.empty())
      wait_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(held.front().due - now).count()) + 1;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) continue;
    sockaddr_in from{};
    socklen_t from_length = sizeof from;
    const ssize_t n = recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n <= 0) continue;
    RecordedQuery q;
    std::size_t end = 0;
    if (!read_question(buffer, static_cast<std::size_t>(n), q.question, end)) {
      ++unparsable;
      continue;
    }
    q.id = static_cast<std::uint16_t>(buffer[0] << 8 | buffer[1]);
    q.source_port = ntohs(from.sin_port);
    if (held_questions[q.question]++ > 0) ++twice_outstanding;
    held.push_back({Clock::now() + std::chrono::milliseconds(hold_ms_), from, answer(buffer, end), q.question});
    queries.push_back(std::move(q));
  }
}

}  // namespace mxsentry::test
