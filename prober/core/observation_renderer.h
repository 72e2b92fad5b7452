#pragma once
// An optional fast path for outputs that serialise observations (JSON lines). With a renderer
// the engine renders an answer's text when it is accepted, while the parsed response is still
// in cache, and keeps only that text and a digest of the answer while the query lingers; the
// text goes out when the linger ends. Only the tail of the text (unsolicited, extra responses,
// error, task) can change during the linger, and it is rendered again only if it did.

#include <string>
#include <string_view>

#include "prober/core/observation.h"

namespace mxsentry {

class ObservationRenderer {
 public:
  virtual ~ObservationRenderer() = default;
  /// Appends the part of the text that depends only on what is fixed once an answer is
  /// accepted: everything except the fields render_tail writes.
  virtual void render_head(std::string& out, const Observation& observation) = 0;
  /// Appends the rest, which may read only `unsolicited`, `extra_responses`, `error` and
  /// `task_index` (the engine may pass an Observation whose other fields are not filled).
  virtual void render_tail(std::string& out, const Observation& observation) = 0;
  /// One finished observation's text (head + tail), in completion order.
  virtual void emit(std::string_view text) = 0;
};

}  // namespace mxsentry
