#pragma once
// A file or standard output written through a large buffer, with every write error kept and
// reported at close (a full disk must not lose observations silently).

#include <cstdio>
#include <string>

namespace mxsentry {

class BufferedOutput {
 public:
  /// path "-" is standard output. Throws std::runtime_error if the file cannot be created.
  explicit BufferedOutput(const std::string& path);
  ~BufferedOutput();
  BufferedOutput(const BufferedOutput&) = delete;
  BufferedOutput& operator=(const BufferedOutput&) = delete;

  /// Append text here, then call maybe_flush().
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= flush_at) flush();
  }
  void flush();
  /// Flushes and closes; throws std::runtime_error on any write error so far.
  void close();

 private:
  static constexpr std::size_t flush_at = (1 << 20) - 4096;
  std::string path_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool failed_ = false;
  int error_ = 0;
  std::string buffer_;
};

}  // namespace mxsentry
