#pragma once
// Observations as JSON lines, the format `mxsentry probe` writes.

#include <cstdio>
#include <string>

#include "prober/core/observation.h"

namespace mxsentry {

/// Mnemonic of a response code ("NOERROR", "SERVFAIL", "RCODE23").
std::string rcode_name(int rcode);

/// Appends one observation as a JSON object followed by a newline.
void append_observation_json(std::string& out, const Observation& observation);

/// Buffers JSON lines and writes them to a file or standard output; reports write errors
/// (a full disk must not lose observations silently).
class JsonlWriter {
 public:
  /// path "-" is standard output. Throws std::runtime_error if the file cannot be created.
  explicit JsonlWriter(const std::string& path);
  ~JsonlWriter();
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;

  void write(const Observation& observation);
  /// Flushes and closes; throws std::runtime_error on any write error so far.
  void close();
  std::size_t written() const { return written_; }

 private:
  void flush_buffer();
  std::string path_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool failed_ = false;
  std::string buffer_;
  std::size_t written_ = 0;
};

}  // namespace mxsentry
