#pragma once
// The msgpack pieces the protocol's codecs are built from (message_codec.cpp, stored_matched.cpp):
// records, flags and EDNS packed and read, a bounded unpack, and Reader, which checks each
// value's type and range and names its path in errors. Internal to protocol/.

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <msgpack.hpp>

#include "protocol/message_codec.h"

namespace mxsentry::protocol {

using Packer = msgpack::packer<msgpack::sbuffer>;

// RTTs and delays a peer reports, in milliseconds (Reader::duration_ms): a day is far above any honest one.
constexpr double max_duration_ms = 86'400'000;

void pack_string(Packer& p, std::string_view s);
void pack_key(Packer& p, const char* key);
void pack_records(Packer& p, const std::vector<ResourceRecord>& records);
std::uint8_t flag_bits(const HeaderFlags& f);
void pack_edns(Packer& p, const Edns& e);

/// Unpacks one msgpack body, every size bounded by `limits` before anything is allocated and
/// the whole body consumed; throws ProtocolError naming `what`.
msgpack::object_handle unpack_bounded(std::string_view body, const std::string& what, const Limits& limits);

/// A path into the message for error texts: "WORK: tasks[3].qtype".
class Reader {
 public:
  Reader(const msgpack::object& o, std::string path, const Limits& limits) : o_(o), path_(std::move(path)), limits_(limits) {}

  [[noreturn]] void fail(const std::string& why) const { throw ProtocolError(path_ + ": " + why); }

  Reader field(const char* key, bool required = true) const {
    if (o_.type != msgpack::type::MAP) fail("expected a map");
    for (std::uint32_t i = 0; i < o_.via.map.size; ++i) {
      const auto& kv = o_.via.map.ptr[i];
      if (kv.key.type == msgpack::type::STR && std::string_view(kv.key.via.str.ptr, kv.key.via.str.size) == key)
        return Reader(kv.val, path_ + "." + key, limits_);
    }
    if (required) Reader(o_, path_ + "." + key, limits_).fail("missing");
    return Reader(nil_, path_ + "." + key, limits_);
  }
  bool present() const { return o_.type != msgpack::type::NIL; }
  bool is_array() const { return o_.type == msgpack::type::ARRAY; }
  /// Whether the map has `key` at all (an explicit nil included, which then fails its type check).
  bool has(const char* key) const {
    if (o_.type != msgpack::type::MAP) fail("expected a map");
    for (std::uint32_t i = 0; i < o_.via.map.size; ++i) {
      const auto& k = o_.via.map.ptr[i].key;
      if (k.type == msgpack::type::STR && std::string_view(k.via.str.ptr, k.via.str.size) == key) return true;
    }
    return false;
  }

  template <typename Int>
  Int integer() const {
    std::int64_t lo = static_cast<std::int64_t>(std::numeric_limits<Int>::min());
    if (o_.type == msgpack::type::POSITIVE_INTEGER) {
      if (o_.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) fail("out of range");
      return static_cast<Int>(o_.via.u64);
    }
    if (o_.type == msgpack::type::NEGATIVE_INTEGER) {
      if (o_.via.i64 < lo) fail("out of range");
      return static_cast<Int>(o_.via.i64);
    }
    fail("expected an integer");
  }
  double number() const {
    double v = 0;
    if (o_.type == msgpack::type::FLOAT32 || o_.type == msgpack::type::FLOAT64)
      v = o_.via.f64;
    else if (o_.type == msgpack::type::POSITIVE_INTEGER)
      v = static_cast<double>(o_.via.u64);
    else if (o_.type == msgpack::type::NEGATIVE_INTEGER)
      v = static_cast<double>(o_.via.i64);
    else
      fail("expected a number");
    if (!std::isfinite(v)) fail("not a finite number");
    return v;
  }
  /// A time span in milliseconds (an RTT, a delay after the first answer): within a day. An
  /// honest one is seconds at most; a huge one (2^64 read from an integer) would also be
  /// undefined behaviour when msgpack packs it again (it casts a double that is a whole number
  /// to uint64_t, and 2^64 passes its range check).
  double duration_ms() const {
    double v = number();
    if (v < 0 || v > max_duration_ms) fail("out of range");
    return v;
  }
  bool boolean() const {
    if (o_.type != msgpack::type::BOOLEAN) fail("expected true or false");
    return o_.via.boolean;
  }
  std::string string() const {
    if (o_.type != msgpack::type::STR) fail("expected a string");
    if (o_.via.str.size > limits_.max_string) fail("string longer than " + std::to_string(limits_.max_string));
    return std::string(o_.via.str.ptr, o_.via.str.size);
  }
  /// The array's elements, at most `max` of them, each with its index in the path.
  std::vector<Reader> array(std::size_t max) const {
    if (o_.type != msgpack::type::ARRAY) fail("expected an array");
    if (o_.via.array.size > max) fail("more than " + std::to_string(max) + " elements");
    std::vector<Reader> out;
    out.reserve(o_.via.array.size);
    for (std::uint32_t i = 0; i < o_.via.array.size; ++i)
      out.emplace_back(o_.via.array.ptr[i], path_ + "[" + std::to_string(i) + "]", limits_);
    return out;
  }
  std::vector<Reader> tuple(std::size_t size) const {
    auto items = array(size);
    if (items.size() != size) fail("expected " + std::to_string(size) + " elements");
    return items;
  }
  std::map<std::string, std::string> string_map() const {
    if (o_.type != msgpack::type::MAP) fail("expected a map");
    if (o_.via.map.size > limits_.max_map) fail("more than " + std::to_string(limits_.max_map) + " keys");
    std::map<std::string, std::string> out;
    for (std::uint32_t i = 0; i < o_.via.map.size; ++i) {
      const auto& kv = o_.via.map.ptr[i];
      out[Reader(kv.key, path_ + " key", limits_).string()] = Reader(kv.val, path_ + " value", limits_).string();
    }
    return out;
  }
  const Limits& limits() const { return limits_; }

 private:
  static inline const msgpack::object nil_{};
  const msgpack::object& o_;
  std::string path_;
  const Limits& limits_;
};

std::vector<ResourceRecord> read_records(const Reader& r);
HeaderFlags read_flags(const Reader& r);
Edns read_edns(const Reader& r);
Transport read_transport(const Reader& r);

}  // namespace mxsentry::protocol
