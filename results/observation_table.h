#pragma once
// Observations as an aligned text table, for people (and the demo).

#include <string>

#include "results/buffered_output.h"
#include "results/observation_json.h"

namespace mxsentry {

/// One row per observation, streamed (fixed column widths, no need to see every row first).
class TableWriter final : public ObservationWriter {
 public:
  explicit TableWriter(const std::string& path);
  void write(const Observation& observation) override;
  void close() override { out_.close(); }

 private:
  BufferedOutput out_;
};

/// The row text for one observation (without the newline); exposed for tests.
std::string table_row(const Observation& observation);
std::string table_header();

}  // namespace mxsentry
