#include "results/dnstap_stream.h"

#include <sys/uio.h>

#include <stdexcept>

#include <fstrm.h>

namespace mxsentry {

namespace {

fstrm_res append_frames(void* obj, const struct iovec* iov, int iovcnt) {
  auto* buffer = static_cast<std::string*>(obj);
  for (int i = 0; i < iovcnt; ++i) buffer->append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  return fstrm_res_success;
}

fstrm_res nothing_to_do(void*) { return fstrm_res_success; }

}  // namespace

DnstapStream::DnstapStream(std::string& buffer) : buffer_(buffer) {
  fstrm_rdwr* rdwr = fstrm_rdwr_init(&buffer_);
  // A write function and no read function: a one-way stream (a file), no handshake.
  fstrm_rdwr_set_open(rdwr, nothing_to_do);
  fstrm_rdwr_set_close(rdwr, nothing_to_do);
  fstrm_rdwr_set_write(rdwr, append_frames);
  fstrm_writer_options* options = fstrm_writer_options_init();
  fstrm_writer_options_add_content_type(options, dnstap_content_type.data(), dnstap_content_type.size());
  writer_ = fstrm_writer_init(options, &rdwr);  // takes rdwr
  fstrm_writer_options_destroy(&options);
  if (rdwr != nullptr) fstrm_rdwr_destroy(&rdwr);
  if (writer_ == nullptr) throw std::runtime_error("libfstrm: cannot make a Frame Streams writer");
  if (fstrm_writer_open(writer_) != fstrm_res_success) {
    fstrm_writer_destroy(&writer_);
    throw std::runtime_error("libfstrm: cannot start the Frame Streams stream");
  }
}

DnstapStream::~DnstapStream() {
  if (writer_ != nullptr) fstrm_writer_destroy(&writer_);
}

void DnstapStream::write(std::string_view payload) {
  if (fstrm_writer_write(writer_, payload.data(), payload.size()) != fstrm_res_success)
    throw std::runtime_error("libfstrm: cannot write a frame");
}

void DnstapStream::finish() {
  if (fstrm_writer_close(writer_) != fstrm_res_success)
    throw std::runtime_error("libfstrm: cannot end the Frame Streams stream");
}

}  // namespace mxsentry
