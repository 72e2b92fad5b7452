// Builds the (mis)replies of mxsentry-test-responder. Well-formed messages are built with
// ldns; the malformed ones are made by patching the bytes of a well-formed one.
#include "responder_behaviours.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

// <stdbool.h> must come before ldns, or ldns defines bool/true/false as macros.
#include <stdbool.h>
#include <ldns/ldns.h>

namespace mxsentry::test_responder {
namespace {

using namespace std::chrono_literals;
using Wire = std::vector<std::uint8_t>;

struct PktFree {
  void operator()(ldns_pkt* p) const noexcept { ldns_pkt_free(p); }
};
struct RrFree {
  void operator()(ldns_rr* r) const noexcept { ldns_rr_free(r); }
};
struct RdfFree {
  void operator()(ldns_rdf* r) const noexcept { ldns_rdf_deep_free(r); }
};
struct MallocFree {
  void operator()(void* p) const noexcept { std::free(p); }
};
using Pkt = std::unique_ptr<ldns_pkt, PktFree>;
using Rr = std::unique_ptr<ldns_rr, RrFree>;
using Rdf = std::unique_ptr<ldns_rdf, RdfFree>;

constexpr std::array<std::pair<std::string_view, Behaviour>, 23> kBehaviours{{
    {"ok", Behaviour::ok},
    {"wrongid", Behaviour::wrongid},
    {"wrongport", Behaviour::wrongport},
    {"wrongname", Behaviour::wrongname},
    {"wrongtype", Behaviour::wrongtype},
    {"noquestion", Behaviour::noquestion},
    {"garbage", Behaviour::garbage},
    {"garbageonly", Behaviour::garbageonly},
    {"compressloop", Behaviour::compressloop},
    {"truncated", Behaviour::truncated},
    {"trailing", Behaviour::trailing},
    {"twoopt", Behaviour::twoopt},
    {"tc", Behaviour::tc},
    {"tcclose", Behaviour::tcclose},
    {"silent", Behaviour::silent},
    {"slow", Behaviour::slow},
    {"dropfirst", Behaviour::dropfirst},
    {"twice", Behaviour::twice},
    {"servfail", Behaviour::servfail},
    {"refused", Behaviour::refused},
    {"cname", Behaviour::cname},
    {"echo-count", Behaviour::echo_count},
    {"numbered", Behaviour::numbered},
}};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_wire_name(const ldns_rdf* name) {
  const auto* data = ldns_rdf_data(name);
  std::string key(reinterpret_cast<const char*>(data), ldns_rdf_size(name));
  std::transform(key.begin(), key.end(), key.begin(), ascii_lower);
  return key;
}

std::string to_text(char* malloced) {
  std::unique_ptr<char, MallocFree> guard(malloced);
  return malloced ? std::string(malloced) : std::string("?");
}

// A dname made of `label` followed by all of `name` except its first label.
Rdf replace_first_label(const ldns_rdf* name, std::string_view label) {
  const auto* data = ldns_rdf_data(name);
  const std::size_t size = ldns_rdf_size(name);
  const std::size_t first = (size > 0) ? std::size_t{data[0]} + 1 : 0;  // 0 for the root
  Wire out;
  out.push_back(static_cast<std::uint8_t>(label.size()));
  out.insert(out.end(), label.begin(), label.end());
  out.insert(out.end(), data + std::min(first, size), data + size);
  if (label.empty() || label.size() > 63 || out.size() > 255) {
    throw std::runtime_error("name too long to rewrite");
  }
  Rdf rdf{ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, out.size(), out.data())};
  if (!rdf) throw std::bad_alloc();
  return rdf;
}

// The second label of `name` read as a number (numbered.N....), or 0.
unsigned second_label_number(const ldns_rdf* name) {
  const auto* data = ldns_rdf_data(name);
  const std::size_t size = ldns_rdf_size(name);
  if (size == 0 || data[0] == 0 || std::size_t{data[0]} + 1 >= size) return 0;
  const std::size_t at = std::size_t{data[0]} + 1;
  unsigned n = 0;
  for (std::size_t k = 0; k < data[at] && at + 1 + k < size && n < 1'000'000; ++k) {
    const auto c = data[at + 1 + k];
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string first_label(const ldns_rdf* name) {
  const auto* data = ldns_rdf_data(name);
  if (ldns_rdf_size(name) == 0 || data[0] == 0) return {};
  return std::string(reinterpret_cast<const char*>(data + 1), data[0]);
}

// An RR "<owner> <ttl> IN <type_and_rdata>"; the owner is copied byte for byte so that
// the case of the query name (0x20 randomisation) is kept.
Rr make_rr(const ldns_rdf* owner, std::uint32_t ttl, const std::string& type_and_rdata) {
  const std::string text = "owner. " + std::to_string(ttl) + " IN " + type_and_rdata;
  ldns_rr* raw = nullptr;
  if (ldns_rr_new_frm_str(&raw, text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK) {
    throw std::runtime_error("ldns cannot parse RR: " + text);
  }
  Rr rr{raw};
  Rdf old_owner{ldns_rr_owner(rr.get())};
  ldns_rr_set_owner(rr.get(), ldns_rdf_clone(owner));
  return rr;
}

void push(ldns_pkt* pkt, ldns_pkt_section section, Rr rr) {
  if (!ldns_pkt_push_rr(pkt, section, rr.get())) throw std::bad_alloc();
  (void)rr.release();  // now owned by the packet
}

// An A or AAAA record whose address ends in `last` (127.0.0.<last> or ::<last>).
Rr address_rr(const ldns_rdf* owner, ldns_rr_type type, std::uint8_t last, std::uint32_t ttl) {
  std::array<char, 16> hex{};
  std::snprintf(hex.data(), hex.size(), "%x", unsigned{last});
  if (type == LDNS_RR_TYPE_AAAA) return make_rr(owner, ttl, std::string("AAAA ::") + hex.data());
  return make_rr(owner, ttl, "A 127.0.0." + std::to_string(last));
}

struct Query {
  Pkt pkt;
  const ldns_rdf* qname = nullptr;  // owned by pkt
  ldns_rr_type qtype = LDNS_RR_TYPE_A;
  ldns_rr_class qclass = LDNS_RR_CLASS_IN;
};

std::optional<Query> parse_query(std::span<const std::uint8_t> wire) {
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, wire.data(), wire.size()) != LDNS_STATUS_OK) return std::nullopt;
  Query q{Pkt{raw}};
  const ldns_rr_list* question = ldns_pkt_question(raw);
  if (ldns_pkt_qr(raw) || ldns_pkt_get_opcode(raw) != LDNS_PACKET_QUERY || !question ||
      ldns_rr_list_rr_count(question) != 1) {
    return std::nullopt;
  }
  const ldns_rr* rr = ldns_rr_list_rr(question, 0);
  q.qname = ldns_rr_owner(rr);
  q.qtype = ldns_rr_get_type(rr);
  q.qclass = ldns_rr_get_class(rr);
  if (!q.qname) return std::nullopt;
  return q;
}

enum class Answers { none, address, cname };

// What a reply looks like; the defaults give the normal answer.
struct ReplySpec {
  const ldns_rdf* qname;
  ldns_rr_type qtype;
  bool question = true;
  bool tc = false;
  std::uint8_t rcode = LDNS_RCODE_NOERROR;
  Answers answers = Answers::address;
  bool address_for_any_type = false;  // put an A record in even if qtype is not A/AAAA
  std::uint8_t last_octet = 1;
  std::uint32_t ttl = 300;
  bool force_edns = false;  // add an OPT record even if the query had none
};

ReplySpec normal(const Query& q) { return ReplySpec{.qname = q.qname, .qtype = q.qtype}; }

Wire build(const Query& q, const ReplySpec& spec) {
  Pkt pkt{ldns_pkt_new()};
  if (!pkt) throw std::bad_alloc();
  ldns_pkt* p = pkt.get();
  ldns_pkt_set_id(p, ldns_pkt_id(q.pkt.get()));
  ldns_pkt_set_qr(p, true);
  ldns_pkt_set_opcode(p, LDNS_PACKET_QUERY);
  ldns_pkt_set_rd(p, ldns_pkt_rd(q.pkt.get()));
  ldns_pkt_set_cd(p, ldns_pkt_cd(q.pkt.get()));
  ldns_pkt_set_ra(p, true);
  ldns_pkt_set_tc(p, spec.tc);
  ldns_pkt_set_rcode(p, spec.rcode);

  if (spec.question) {
    Rr question{ldns_rr_new()};
    if (!question) throw std::bad_alloc();
    ldns_rr_set_owner(question.get(), ldns_rdf_clone(spec.qname));
    ldns_rr_set_type(question.get(), spec.qtype);
    ldns_rr_set_class(question.get(), q.qclass);
    ldns_rr_set_question(question.get(), true);
    push(p, LDNS_SECTION_QUESTION, std::move(question));
  }

  const bool address_type = spec.qtype == LDNS_RR_TYPE_A || spec.qtype == LDNS_RR_TYPE_AAAA;
  if (spec.answers == Answers::address && (address_type || spec.address_for_any_type)) {
    push(p, LDNS_SECTION_ANSWER, address_rr(spec.qname, spec.qtype, spec.last_octet, spec.ttl));
  } else if (spec.answers == Answers::cname) {
    Rdf target = replace_first_label(spec.qname, "target");
    Rr cname = make_rr(spec.qname, spec.ttl, "CNAME owner.");
    Rdf old_target{ldns_rr_set_rdf(cname.get(), ldns_rdf_clone(target.get()), 0)};
    push(p, LDNS_SECTION_ANSWER, std::move(cname));
    if (address_type) {
      push(p, LDNS_SECTION_ANSWER, address_rr(target.get(), spec.qtype, 2, spec.ttl));
    }
  }

  if (ldns_pkt_edns(q.pkt.get()) || spec.force_edns) {
    ldns_pkt_set_edns_udp_size(p, 1232);
    ldns_pkt_set_edns_do(p, ldns_pkt_edns_do(q.pkt.get()));
  }

  std::uint8_t* data = nullptr;
  std::size_t size = 0;
  if (ldns_pkt2wire(&data, p, &size) != LDNS_STATUS_OK) {
    throw std::runtime_error("ldns_pkt2wire failed");
  }
  std::unique_ptr<std::uint8_t, MallocFree> guard(data);
  return Wire(data, data + size);
}

// --- byte patching of well-formed messages built above --------------------------------

std::uint16_t get16(const Wire& w, std::size_t off) {
  return static_cast<std::uint16_t>((w.at(off) << 8) | w.at(off + 1));
}
void put16(Wire& w, std::size_t off, std::uint16_t value) {
  w.at(off) = static_cast<std::uint8_t>(value >> 8);
  w.at(off + 1) = static_cast<std::uint8_t>(value & 0xff);
}

std::size_t skip_name(const Wire& w, std::size_t off) {
  for (;;) {
    const std::uint8_t len = w.at(off);
    if (len == 0) return off + 1;
    if ((len & 0xc0) == 0xc0) return off + 2;
    if (len & 0xc0) throw std::runtime_error("bad label type in own message");
    off += 1 + std::size_t{len};
  }
}

// Offsets [begin, end) of every resource record after the question section.
std::vector<std::pair<std::size_t, std::size_t>> record_spans(const Wire& w) {
  std::size_t off = 12;
  for (unsigned i = 0; i < get16(w, 4); ++i) off = skip_name(w, off) + 4;
  const unsigned records = unsigned{get16(w, 6)} + get16(w, 8) + get16(w, 10);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (unsigned i = 0; i < records; ++i) {
    const std::size_t begin = off;
    off = skip_name(w, off);
    off += 10 + std::size_t{get16(w, off + 8)};
    spans.emplace_back(begin, off);
  }
  return spans;
}

// The first answer record's owner becomes a compression pointer to itself.
Wire make_compression_loop(Wire w) {
  const auto [begin, end] = record_spans(w).at(0);
  const std::size_t owner_end = skip_name(w, begin);
  const std::array<std::uint8_t, 2> self{static_cast<std::uint8_t>(0xc0 | (begin >> 8)),
                                         static_cast<std::uint8_t>(begin & 0xff)};
  w.erase(w.begin() + static_cast<std::ptrdiff_t>(begin),
          w.begin() + static_cast<std::ptrdiff_t>(owner_end));
  w.insert(w.begin() + static_cast<std::ptrdiff_t>(begin), self.begin(), self.end());
  return w;
}

// Cut in the middle of the first answer record; the header still claims all records.
Wire cut_in_answer(Wire w) {
  const auto [begin, end] = record_spans(w).at(0);
  w.resize(begin + (end - begin) / 2);
  return w;
}

// Append a copy of the (last) OPT record and count it.
Wire duplicate_opt(Wire w) {
  const auto spans = record_spans(w);
  const auto [begin, end] = spans.at(spans.size() - 1);
  if (get16(w, skip_name(w, begin)) != LDNS_RR_TYPE_OPT) {
    throw std::runtime_error("last record is not OPT");
  }
  const Wire opt(w.begin() + static_cast<std::ptrdiff_t>(begin),
                 w.begin() + static_cast<std::ptrdiff_t>(end));
  w.insert(w.end(), opt.begin(), opt.end());
  put16(w, 10, static_cast<std::uint16_t>(get16(w, 10) + 1));
  return w;
}

Action now(Wire w) { return Action{.wire = std::move(w)}; }
Action after(std::chrono::milliseconds delay, Wire w) {
  return Action{.delay = delay, .wire = std::move(w)};
}

}  // namespace

std::optional<Behaviour> behaviour_from_label(std::string_view label) {
  std::string lower(label);
  std::transform(lower.begin(), lower.end(), lower.begin(), ascii_lower);
  for (const auto& [name, behaviour] : kBehaviours) {
    if (name == lower) return behaviour;
  }
  return std::nullopt;
}

std::string_view behaviour_name(Behaviour behaviour) {
  for (const auto& [name, b] : kBehaviours) {
    if (b == behaviour) return name;
  }
  return "?";
}

std::vector<std::uint8_t> Responder::random_bytes(std::size_t count) {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  Wire out(count);
  for (auto& b : out) b = static_cast<std::uint8_t>(byte(rng_));
  return out;
}

std::optional<Reply> Responder::respond(std::span<const std::uint8_t> query_wire,
                                        Transport transport) {
  auto parsed = parse_query(query_wire);
  if (!parsed) return std::nullopt;
  const Query& q = *parsed;

  Reply reply;
  const auto known = behaviour_from_label(first_label(q.qname));
  reply.behaviour = known.value_or(Behaviour::ok);
  reply.label_known = known.has_value();
  reply.qname = to_text(ldns_rdf2str(q.qname));
  reply.qtype = to_text(ldns_rr_type2str(q.qtype));

  // Per-name state must not grow without bound in a long run.
  if (seen_once_.size() > 100'000) seen_once_.clear();
  if (query_count_.size() > 100'000) query_count_.clear();

  auto& out = reply.actions;
  const bool udp = transport == Transport::udp;
  switch (reply.behaviour) {
    case Behaviour::ok:
      out.push_back(now(build(q, normal(q))));
      break;
    case Behaviour::wrongid: {
      Wire bad = build(q, normal(q));
      put16(bad, 0, static_cast<std::uint16_t>(get16(bad, 0) + 1));
      out.push_back(now(std::move(bad)));
      out.push_back(after(30ms, build(q, normal(q))));
      break;
    }
    case Behaviour::wrongport:
      if (udp) {
        out.push_back(Action{.from_other_port = true, .wire = build(q, normal(q))});
        out.push_back(after(30ms, build(q, normal(q))));
      } else {
        out.push_back(now(build(q, normal(q))));  // no other port to come from over TCP
      }
      break;
    case Behaviour::wrongname: {
      const Rdf other = replace_first_label(q.qname, "x" + first_label(q.qname));
      ReplySpec spec = normal(q);
      spec.qname = other.get();
      out.push_back(now(build(q, spec)));
      out.push_back(after(30ms, build(q, normal(q))));
      break;
    }
    case Behaviour::wrongtype: {
      ReplySpec spec = normal(q);
      spec.qtype = (q.qtype == LDNS_RR_TYPE_A) ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A;
      out.push_back(now(build(q, spec)));
      out.push_back(after(30ms, build(q, normal(q))));
      break;
    }
    case Behaviour::noquestion: {
      ReplySpec spec = normal(q);
      spec.question = false;
      out.push_back(now(build(q, spec)));
      out.push_back(after(30ms, build(q, normal(q))));
      break;
    }
    case Behaviour::garbage:
      out.push_back(now(random_bytes(40)));
      out.push_back(after(30ms, build(q, normal(q))));
      break;
    case Behaviour::garbageonly:
      out.push_back(now(random_bytes(40)));
      break;
    case Behaviour::compressloop:
    case Behaviour::truncated: {
      ReplySpec spec = normal(q);
      spec.address_for_any_type = true;
      Wire w = build(q, spec);
      out.push_back(now(reply.behaviour == Behaviour::compressloop
                            ? make_compression_loop(std::move(w))
                            : cut_in_answer(std::move(w))));
      break;
    }
    case Behaviour::trailing: {
      Wire w = build(q, normal(q));
      const std::array<std::uint8_t, 7> junk{0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02};
      w.insert(w.end(), junk.begin(), junk.end());
      out.push_back(now(std::move(w)));
      break;
    }
    case Behaviour::twoopt: {
      ReplySpec spec = normal(q);
      spec.force_edns = true;
      out.push_back(now(duplicate_opt(build(q, spec))));
      break;
    }
    case Behaviour::tc:
    case Behaviour::tcclose:
      if (udp) {
        ReplySpec spec = normal(q);
        spec.tc = true;
        spec.answers = Answers::none;
        out.push_back(now(build(q, spec)));
      } else if (reply.behaviour == Behaviour::tc) {
        out.push_back(now(build(q, normal(q))));
      } else {
        out.push_back(Action{.close_connection = true, .wire = {}});
      }
      break;
    case Behaviour::silent:
      break;
    case Behaviour::slow:
      out.push_back(after(400ms, build(q, normal(q))));
      break;
    case Behaviour::dropfirst: {
      std::string key = lower_wire_name(q.qname);
      key += "/" + std::to_string(q.qtype);
      if (seen_once_.insert(std::move(key)).second) break;  // first time: ignore it
      out.push_back(now(build(q, normal(q))));
      break;
    }
    case Behaviour::twice: {
      ReplySpec forged = normal(q);
      forged.last_octet = 66;
      forged.ttl = 86400;
      forged.address_for_any_type = true;
      out.push_back(now(build(q, normal(q))));
      out.push_back(after(60ms, build(q, forged)));
      break;
    }
    case Behaviour::servfail:
    case Behaviour::refused: {
      ReplySpec spec = normal(q);
      spec.answers = Answers::none;
      spec.rcode = reply.behaviour == Behaviour::servfail ? LDNS_RCODE_SERVFAIL
                                                          : LDNS_RCODE_REFUSED;
      out.push_back(now(build(q, spec)));
      break;
    }
    case Behaviour::cname: {
      ReplySpec spec = normal(q);
      spec.answers = Answers::cname;
      out.push_back(now(build(q, spec)));
      break;
    }
    case Behaviour::echo_count: {
      const unsigned count = ++query_count_[lower_wire_name(q.qname)];
      ReplySpec spec = normal(q);
      spec.last_octet = static_cast<std::uint8_t>(count % 256);
      out.push_back(now(build(q, spec)));
      break;
    }
    case Behaviour::numbered: {  // an answer of its own: which query a reply answers shows
      const unsigned n = second_label_number(q.qname);
      ReplySpec spec = normal(q);
      spec.last_octet = static_cast<std::uint8_t>(n % 256);
      spec.ttl = 1000 + n;
      out.push_back(now(build(q, spec)));
      break;
    }
  }
  return reply;
}

}  // namespace mxsentry::test_responder
