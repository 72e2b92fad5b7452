#include "coordinator/cli/export_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace mxsentry {

namespace {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::equivalent(a, b, ec) && !ec) return true;
  // A file that does not exist yet is compared by name.
  auto ca = fs::weakly_canonical(a, ec);
  if (ec) return a == b;
  auto cb = fs::weakly_canonical(b, ec);
  if (ec) return a == b;
  return ca == cb;
}

}  // namespace

bool names_database(const std::string& path, const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    if (same_file(path, db + suffix)) return true;
  return false;
}

ExportOutput::ExportOutput(const std::string& path, const std::string& db) : path_(path) {
  if (path == "-") {
    out_ = std::make_unique<BufferedOutput>(path);
    return;
  }
  if (names_database(path, db))
    throw std::runtime_error(path + ": is the database being exported (" + db + "); nothing written");
  temp_ = path + ".tmp." + std::to_string(::getpid());
  out_ = std::make_unique<BufferedOutput>(temp_);
}

ExportOutput::~ExportOutput() {
  if (committed_ || temp_.empty()) return;
  out_.reset();
  std::remove(temp_.c_str());
}

void ExportOutput::commit() {
  out_->close();
  if (!temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(path_ + ": cannot rename " + temp_ + " to it: " + std::strerror(errno));
  committed_ = true;
}

}  // namespace mxsentry
