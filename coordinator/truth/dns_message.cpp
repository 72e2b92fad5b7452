#include "coordinator/truth/dns_message.h"

#include <algorithm>
#include <cstring>

#include <sys/socket.h>

#include "protocol/dns/dns_wire.h"
#include "targets/domain_list.h"

namespace mxsentry {

std::optional<DnsMessage> DnsMessage::parse(std::span<const std::uint8_t> wire) {
  ldns_pkt* raw = nullptr;
  if (ldns_wire2pkt(&raw, wire.data(), wire.size()) != LDNS_STATUS_OK || raw == nullptr) {
    if (raw) ldns_pkt_free(raw);
    return std::nullopt;
  }
  DnsMessage m;
  m.packet_.reset(raw);
  return m;
}

int DnsMessage::rcode() const { return ldns_pkt_get_rcode(packet_.get()); }
bool DnsMessage::authoritative() const { return ldns_pkt_aa(packet_.get()); }

RrList DnsMessage::records(ldns_pkt_section section, std::optional<std::uint16_t> type, const std::string* owner) const {
  RrList out = dnssec::new_list();
  const ldns_rr_list* list = nullptr;
  switch (section) {
    case LDNS_SECTION_QUESTION: list = ldns_pkt_question(packet_.get()); break;
    case LDNS_SECTION_ANSWER: list = ldns_pkt_answer(packet_.get()); break;
    case LDNS_SECTION_AUTHORITY: list = ldns_pkt_authority(packet_.get()); break;
    case LDNS_SECTION_ADDITIONAL: list = ldns_pkt_additional(packet_.get()); break;
    default: return out;
  }
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    if (type && ldns_rr_get_type(rr) != *type) continue;
    if (owner && canonical_name(ldns_rr_owner(rr)) != *owner) continue;
    ldns_rr_list_push_rr(out.get(), ldns_rr_clone(rr));
  }
  return out;
}

RrList DnsMessage::signatures(ldns_pkt_section section, std::uint16_t covered, const std::string* owner) const {
  RrList sigs = records(section, LDNS_RR_TYPE_RRSIG, owner);
  RrList out = dnssec::new_list();
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(sigs.get()); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(sigs.get(), i);
    const ldns_rdf* type = ldns_rr_rrsig_typecovered(rr);
    if (type && ldns_rdf2rr_type(type) == covered) ldns_rr_list_push_rr(out.get(), ldns_rr_clone(rr));
  }
  return out;
}

std::optional<std::string> DnsMessage::referral_zone() const {
  if (rcode() != LDNS_RCODE_NOERROR || authoritative()) return std::nullopt;
  if (ldns_rr_list_rr_count(ldns_pkt_answer(packet_.get())) != 0) return std::nullopt;
  const ldns_rr_list* authority = ldns_pkt_authority(packet_.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(authority); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(authority, i);
    if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS) return canonical_name(ldns_rr_owner(rr));
  }
  return std::nullopt;
}

std::vector<std::string> DnsMessage::ns_names(const std::string& zone, ldns_pkt_section section) const {
  std::vector<std::string> names;
  RrList ns = records(section, LDNS_RR_TYPE_NS, &zone);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(ns.get()); ++i) {
    const ldns_rdf* target = ldns_rr_rdf(ldns_rr_list_rr(ns.get(), i), 0);
    if (!target) continue;
    std::string name = canonical_name(target);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<Endpoint> DnsMessage::glue(const std::string& name, bool ipv6) const {
  std::vector<Endpoint> out;
  const ldns_rr_list* additional = ldns_pkt_additional(packet_.get());
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(additional); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(additional, i);
    auto type = ldns_rr_get_type(rr);
    if (type != LDNS_RR_TYPE_A && !(ipv6 && type == LDNS_RR_TYPE_AAAA)) continue;
    if (canonical_name(ldns_rr_owner(rr)) != name) continue;
    const ldns_rdf* rdf = ldns_rr_rdf(rr, 0);
    if (!rdf) continue;
    Endpoint e;
    e.family = type == LDNS_RR_TYPE_A ? AF_INET : AF_INET6;
    std::size_t size = type == LDNS_RR_TYPE_A ? 4 : 16;
    if (ldns_rdf_size(rdf) != size) continue;
    std::memcpy(e.address.data(), ldns_rdf_data(rdf), size);
    out.push_back(e);
  }
  return out;
}

std::optional<std::string> DnsMessage::soa_owner() const {
  for (auto section : {LDNS_SECTION_ANSWER, LDNS_SECTION_AUTHORITY}) {
    RrList soa = records(section, LDNS_RR_TYPE_SOA);
    if (ldns_rr_list_rr_count(soa.get()) > 0) return canonical_name(ldns_rr_owner(ldns_rr_list_rr(soa.get(), 0)));
  }
  return std::nullopt;
}

}  // namespace mxsentry
