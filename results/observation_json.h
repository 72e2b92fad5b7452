#pragma once
// Observations as JSON lines, the format `mxsentry probe` writes.

#include <optional>
#include <string>
#include <string_view>

#include "prober/core/observation.h"
#include "protocol/dns/codes.h"
#include "prober/core/observation_renderer.h"
#include "results/buffered_output.h"

namespace mxsentry {

/// Appends the rcode as a JSON value: its quoted mnemonic, or null when there was none (-1).
void append_rcode_json(std::string& out, int rcode);

/// Appends one observation as a JSON object followed by a newline.
void append_observation_json(std::string& out, const Observation& observation);

/// The same in two parts (head + tail == append_observation_json). The head ends with
/// "attempts" and depends only on what is fixed once an answer is accepted; the tail
/// (unsolicited, extra_responses, error, task and the newline) reads only those fields.
void append_observation_json_head(std::string& out, const Observation& observation);
void append_observation_json_tail(std::string& out, const Observation& observation);

/// Where a probe's observations go: JSON lines for programs, a table for people.
class ObservationWriter {
 public:
  virtual ~ObservationWriter() = default;
  virtual void write(const Observation& observation) = 0;
  /// Flushes and closes; throws std::runtime_error on any write error so far.
  virtual void close() = 0;
};

/// One JSON object a line. Also a renderer for the engine, which then renders each answer
/// when it arrives and hands over finished lines.
class JsonlWriter final : public ObservationWriter, public ObservationRenderer {
 public:
  /// path "-" is standard output. Throws std::runtime_error if the file cannot be created.
  explicit JsonlWriter(const std::string& path) : out_(path) {}
  void write(const Observation& observation) override {
    append_observation_json(out_.buffer(), observation);
    ++written_;
    out_.maybe_flush();
  }
  void render_head(std::string& out, const Observation& observation) override {
    append_observation_json_head(out, observation);
  }
  void render_tail(std::string& out, const Observation& observation) override {
    append_observation_json_tail(out, observation);
  }
  void emit(std::string_view line) override {
    out_.buffer().append(line);
    ++written_;
    out_.maybe_flush();
  }
  void close() override { out_.close(); }
  std::size_t written() const { return written_; }

 private:
  BufferedOutput out_;
  std::size_t written_ = 0;
};

}  // namespace mxsentry
