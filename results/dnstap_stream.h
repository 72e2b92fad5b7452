#pragma once
// A Frame Streams file of dnstap records (content type "protobuf:dnstap.Dnstap"), written by
// libfstrm's writer into a memory buffer that the caller drains (to a file or standard output):
// a START control frame when constructed, one data frame per write(), STOP at finish().

#include <string>
#include <string_view>

struct fstrm_writer;

namespace mxsentry {

inline constexpr std::string_view dnstap_content_type = "protobuf:dnstap.Dnstap";

class DnstapStream {
 public:
  /// Appends the stream's bytes to `buffer` as they are made. Throws std::runtime_error when
  /// libfstrm cannot start the stream.
  explicit DnstapStream(std::string& buffer);
  ~DnstapStream();
  DnstapStream(const DnstapStream&) = delete;
  DnstapStream& operator=(const DnstapStream&) = delete;

  /// One data frame holding `payload` (a serialized Dnstap message).
  void write(std::string_view payload);
  /// Writes the STOP frame; no write() after it.
  void finish();

 private:
  std::string& buffer_;
  fstrm_writer* writer_ = nullptr;
};

}  // namespace mxsentry
