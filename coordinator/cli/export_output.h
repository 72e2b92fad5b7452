#pragma once
// Where an export writes: standard output, or a file written under a temporary name beside it
// and renamed over it only once complete, so that a failed export leaves no half file and an
// older complete one stays. A path that names the database being read is refused.

#include <memory>
#include <string>

#include "results/buffered_output.h"

namespace mxsentry {

class ExportOutput {
 public:
  /// "-" is standard output. Throws std::runtime_error when `path` names `db` (or its -wal,
  /// -shm or -journal file) or the temporary file cannot be created.
  ExportOutput(const std::string& path, const std::string& db);
  /// Removes the temporary file unless commit() ran.
  ~ExportOutput();
  ExportOutput(const ExportOutput&) = delete;
  ExportOutput& operator=(const ExportOutput&) = delete;

  std::string& buffer() { return out_->buffer(); }
  void maybe_flush() { out_->maybe_flush(); }
  /// Flushes and closes, then renames the temporary file to the path; throws on any error.
  void commit();

 private:
  std::string path_, temp_;
  std::unique_ptr<BufferedOutput> out_;
  bool committed_ = false;
};

/// Whether `path` names `db` or one of its -wal, -shm or -journal files.
bool names_database(const std::string& path, const std::string& db);

}  // namespace mxsentry
