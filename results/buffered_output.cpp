#include "results/buffered_output.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mxsentry {

BufferedOutput::BufferedOutput(const std::string& path) : path_(path) {
  if (path == "-") {
    file_ = stdout;
  } else {
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr) throw std::runtime_error(path + ": " + std::strerror(errno));
    owns_file_ = true;
  }
  buffer_.reserve(1 << 20);
}

BufferedOutput::~BufferedOutput() {
  try {
    close();
  } catch (...) {  // a destructor cannot report; call close() to see errors
  }
}

void BufferedOutput::flush() {
  if (buffer_.empty() || file_ == nullptr) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size() && !failed_) {
    failed_ = true;
    error_ = errno;
  }
  buffer_.clear();
}

void BufferedOutput::close() {
  if (file_ == nullptr) return;
  flush();
  if (std::fflush(file_) != 0 && !failed_) {
    failed_ = true;
    error_ = errno;
  }
  if (owns_file_ && std::fclose(file_) != 0 && !failed_) {
    failed_ = true;
    error_ = errno;
  }
  file_ = nullptr;
  if (failed_) throw std::runtime_error(path_ + ": write error: " + std::strerror(error_));
}

}  // namespace mxsentry
