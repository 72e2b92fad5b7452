#include "protocol/codec_parts.h"

#include <algorithm>
#include <new>

namespace mxsentry::protocol {

void pack_string(Packer& p, std::string_view s) {
  p.pack_str(static_cast<std::uint32_t>(s.size()));
  p.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

void pack_key(Packer& p, const char* key) { pack_string(p, key); }

void pack_records(Packer& p, const std::vector<ResourceRecord>& records) {
  p.pack_array(static_cast<std::uint32_t>(records.size()));
  for (const auto& r : records) {
    p.pack_array(4);
    pack_string(p, r.name);
    p.pack(r.type);
    p.pack(r.ttl);
    pack_string(p, r.rdata);
  }
}

std::uint8_t flag_bits(const HeaderFlags& f) {
  return static_cast<std::uint8_t>(f.aa | f.tc << 1 | f.rd << 2 | f.ra << 3 | f.ad << 4 | f.cd << 5);
}

void pack_edns(Packer& p, const Edns& e) {
  p.pack_array(4), p.pack(e.present), p.pack(e.udp_size), p.pack(e.version), p.pack(e.do_bit);
}


std::vector<ResourceRecord> read_records(const Reader& r) {
  std::vector<ResourceRecord> out;
  for (const auto& item : r.array(r.limits().max_records)) {
    auto f = item.tuple(4);
    out.push_back(ResourceRecord{f[0].string(), f[1].integer<std::uint16_t>(), f[2].integer<std::uint32_t>(),
                                 f[3].string()});
  }
  return out;
}

HeaderFlags read_flags(const Reader& r) {
  auto bits = r.integer<std::uint8_t>();
  return HeaderFlags{bool(bits & 1), bool(bits & 2), bool(bits & 4), bool(bits & 8), bool(bits & 16), bool(bits & 32)};
}

Edns read_edns(const Reader& r) {
  auto edns = r.tuple(4);
  return Edns{edns[0].boolean(), edns[1].integer<std::uint16_t>(), edns[2].integer<std::uint8_t>(), edns[3].boolean()};
}

Transport read_transport(const Reader& r) {
  int transport = r.integer<int>();
  if (transport < 0 || transport > static_cast<int>(Transport::tcp)) r.fail("unknown transport");
  return static_cast<Transport>(transport);
}

namespace {

/// Counts the values of a body without building them; stops at `max`.
struct ValueCounter : msgpack::null_visitor {
  std::size_t count = 0;
  std::size_t max = 0;
  bool add() { return ++count <= max; }
  bool visit_nil() { return add(); }
  bool visit_boolean(bool) { return add(); }
  bool visit_positive_integer(std::uint64_t) { return add(); }
  bool visit_negative_integer(std::int64_t) { return add(); }
  bool visit_float32(float) { return add(); }
  bool visit_float64(double) { return add(); }
  bool visit_str(const char*, std::uint32_t) { return add(); }
  bool visit_bin(const char*, std::uint32_t) { return add(); }
  bool visit_ext(const char*, std::uint32_t) { return add(); }
  bool start_array(std::uint32_t) { return add(); }
  bool start_map(std::uint32_t) { return add(); }
};

}  // namespace

msgpack::object_handle unpack_bounded(std::string_view body, const std::string& what, const Limits& limits) {
  if (body.size() > limits.max_body_bytes)
    throw ProtocolError(what + ": body of " + std::to_string(body.size()) + " bytes is over the limit");
  // Counted first: the limits below bound each list, not how many small values a body holds.
  ValueCounter counter;
  counter.max = limits.max_values;
  std::size_t counted_to = 0;
  msgpack::parse(body.data(), body.size(), counted_to, counter);
  if (counter.count > limits.max_values)
    throw ProtocolError(what + ": more than " + std::to_string(limits.max_values) + " values in one body");
  msgpack::object_handle handle;
  std::size_t offset = 0;
  // Every size is bounded before msgpack allocates for it: a 5-byte header must not reserve
  // hundreds of megabytes. Lists hold at most max_list items, and each item a few arrays.
  msgpack::unpack_limit unpack_limits(std::max(limits.max_list, limits.max_records), limits.max_map,
                                      limits.max_string, 0, 0, limits.max_depth);
  try {
    handle = msgpack::unpack(body.data(), body.size(), offset, nullptr, nullptr, unpack_limits);
  } catch (const msgpack::unpack_error& e) {
    throw ProtocolError(what + ": malformed msgpack: " + e.what());
  } catch (const std::bad_alloc&) {
    throw ProtocolError(what + ": msgpack body asks for more memory than it may");
  }
  if (offset != body.size())
    throw ProtocolError(what + ": " + std::to_string(body.size() - offset) + " bytes after the msgpack body");
  return handle;
}

}  // namespace mxsentry::protocol
