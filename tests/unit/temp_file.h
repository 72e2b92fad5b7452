#pragma once
// A file under /tmp with the given contents, removed when the test ends (unit tests that read
// files: name lists, resolver lists).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

namespace mxsentry::test {

class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/mxsentry-unit-test-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = name;
    std::ofstream out(path_, std::ios::binary);
    out << contents;
    REQUIRE(out.good());
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace mxsentry::test
