#include "protocol/stored_matched.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "protocol/codec_parts.h"

namespace mxsentry::protocol {

std::optional<std::string> encode_stored_matched(const MatchedResult& m, std::int64_t base_ms) {
  std::int64_t delta = 0;
  if (__builtin_sub_overflow(m.time_ms, base_ms, &delta)) return std::nullopt;
  msgpack::sbuffer buffer;
  Packer p(buffer);
  const bool uniform = !m.ttls.empty() && std::all_of(m.ttls.begin(), m.ttls.end(),
                                                      [&](std::uint32_t t) { return t == m.ttls.front(); });
  // The tail, up to its last field that is not the usual value.
  std::size_t tail = 0;
  if (m.attempts != 1) tail = 1;
  if (m.transport != Transport::udp) tail = 2;
  if (!m.authority.empty()) tail = 3;
  if (m.edns.present && m.edns.version != 0) tail = 4;
  p.pack_array(static_cast<std::uint32_t>(6 + tail));
  p.pack(m.answer_set);
  if (uniform) {
    p.pack(m.ttls.front());
  } else {
    p.pack_array(static_cast<std::uint32_t>(m.ttls.size()));
    for (std::uint32_t ttl : m.ttls) p.pack(ttl);
  }
  p.pack(flag_bits(m.flags));
  if (m.edns.present)
    p.pack(std::uint32_t{m.edns.udp_size} * 2 + (m.edns.do_bit ? 1 : 0));
  else
    p.pack_nil();
  const double rtt_ms = std::isfinite(m.rtt_ms) ? std::clamp(m.rtt_ms, 0.0, 4.0e6) : 0.0;  // ~67 min at most
  p.pack(static_cast<std::uint32_t>(std::llround(rtt_ms * 1000.0)));  // whole microseconds
  p.pack(delta);
  if (tail >= 1) p.pack(m.attempts);
  if (tail >= 2) p.pack(static_cast<int>(m.transport));
  if (tail >= 3) pack_records(p, m.authority);
  if (tail >= 4) p.pack(m.edns.version);
  return std::string(buffer.data(), buffer.size());
}

MatchedResult decode_stored_matched(std::string_view bytes, std::uint32_t task_index, std::int64_t base_ms,
                                    const std::function<std::size_t(std::uint32_t)>& records_in_set,
                                    const Limits& limits) {
  msgpack::object_handle handle = unpack_bounded(bytes, "stored result", limits);
  Reader r(handle.get(), "stored result", limits);
  auto f = r.array(10);
  if (f.size() < 6) r.fail("expected 6 to 10 elements");
  MatchedResult m;
  m.task_index = task_index;
  m.answer_set = f[0].integer<std::uint32_t>();
  if (f[1].is_array()) {
    for (const auto& item : f[1].array(limits.max_records)) m.ttls.push_back(item.integer<std::uint32_t>());
  } else {
    std::size_t count = records_in_set(m.answer_set);
    if (count > limits.max_records) f[1].fail("a set of more than " + std::to_string(limits.max_records) + " records");
    m.ttls.assign(count, f[1].integer<std::uint32_t>());
  }
  m.flags = read_flags(f[2]);
  if (f[3].present()) {
    auto word = f[3].integer<std::uint32_t>();
    if (word > 0x1ffff) f[3].fail("out of range");
    m.edns = Edns{true, static_cast<std::uint16_t>(word / 2), 0, (word & 1) != 0};
  }
  m.rtt_ms = static_cast<double>(f[4].integer<std::uint32_t>()) / 1000.0;
  auto delta = f[5].integer<std::int64_t>();
  if ((delta > 0 && base_ms > std::numeric_limits<std::int64_t>::max() - delta) ||
      (delta < 0 && base_ms < std::numeric_limits<std::int64_t>::min() - delta))
    f[5].fail("out of range");
  m.time_ms = base_ms + delta;
  m.attempts = f.size() > 6 ? f[6].integer<int>() : 1;
  if (f.size() > 7) m.transport = read_transport(f[7]);
  if (f.size() > 8) m.authority = read_records(f[8]);
  if (f.size() > 9) m.edns.version = f[9].integer<std::uint8_t>();
  return m;
}

}  // namespace mxsentry::protocol
