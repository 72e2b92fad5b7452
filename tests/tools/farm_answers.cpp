#include "tests/tools/farm_answers.hpp"

#include <algorithm>

namespace mxsentry::farm {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Plan negative(std::uint8_t rcode, Owner owner, bool authoritative, std::uint32_t zone = 0) {
  Plan p;
  p.zone = zone;
  p.respond = true;
  p.rcode = rcode;
  p.authoritative = authoritative;
  p.content = Content::negative;
  p.owner = owner;
  return p;
}

Plan with_addresses(const AnswerSet& set, std::uint16_t qtype) {
  Plan p;
  p.respond = true;
  p.addresses = set;
  p.content = qtype == type_a || qtype == type_aaaa ? Content::addresses : Content::negative;
  return p;
}

}  // namespace

NameClass classify(const ZoneModel& model, std::string_view name) {
  if (name == ".") return {NameClass::root};
  if (const auto place = zone_place(model, name)) {
    NameClass c{NameClass::other_in_zone, 0, place->zone};
    if (place->prefix.empty()) {
      c.kind = NameClass::apex;
    } else if (place->prefix == "ns1." || place->prefix == "ns2.") {
      c.kind = NameClass::server;
      c.index = place->prefix[2] == '1' ? 0 : 1;
    } else if (const auto index = name_index(model, name)) {
      c.kind = NameClass::host;
      c.index = *index;
    }
    return c;
  }
  const std::string_view base = model.zone;
  if (name == base || (ends_with(base, name) && base[base.size() - name.size() - 1] == '.')) return {NameClass::above_zone};
  return {NameClass::outside};
}

std::uint32_t auth_server_count(const ZoneModel& model) { return 1 + 2 * std::max<std::uint32_t>(model.zones, 1); }

std::uint32_t auth_offset(std::uint32_t zone, std::uint8_t index) { return 1 + 2 * zone + index; }

std::optional<AuthServer> auth_server(const ZoneModel& model, std::uint32_t offset) {
  if (offset >= auth_server_count(model)) return std::nullopt;
  if (offset == 0) return AuthServer::root_server();
  return AuthServer::of_zone((offset - 1) / 2, static_cast<std::uint8_t>((offset - 1) % 2));
}

Plan authority_plan(const ZoneModel& model, AuthServer server, NameClass name, std::uint16_t qtype) {
  Plan p;
  p.respond = true;
  p.authoritative = true;
  if (server.root) {
    switch (name.kind) {
      case NameClass::root:
        p.owner = Owner::root;
        p.content = qtype == type_soa ? Content::apex_soa : qtype == type_ns ? Content::apex_ns : Content::negative;
        return p;
      case NameClass::above_zone: return negative(rcode_noerror, Owner::root, true);  // an empty non-terminal
      case NameClass::outside: return negative(rcode_nxdomain, Owner::root, true);
      default:
        // The DS of a zone is the parent's to answer: none (the zones are unsigned).
        if (name.kind == NameClass::apex && qtype == type_ds) return negative(rcode_noerror, Owner::root, true);
        p.authoritative = false;
        p.content = Content::referral;
        p.zone = name.zone;
        return p;
    }
  }
  const bool in_zone = name.kind == NameClass::apex || name.kind == NameClass::server ||
                       name.kind == NameClass::host || name.kind == NameClass::other_in_zone;
  if (!in_zone || name.zone != server.zone) {
    Plan refused;
    refused.respond = true;
    refused.rcode = rcode_refused;  // not our zone
    return refused;
  }
  p.zone = server.zone;
  switch (name.kind) {
    case NameClass::apex:
      p.content = qtype == type_soa ? Content::apex_soa : qtype == type_ns ? Content::apex_ns : Content::negative;
      return p;
    case NameClass::server:
      p.content = qtype == type_a ? Content::server_address : Content::negative;
      p.server = static_cast<std::uint8_t>(name.index);
      return p;
    case NameClass::host: {
      Plan answer = with_addresses(true_answer(model, name.index, server.index == 1), qtype);
      answer.authoritative = true;
      answer.zone = server.zone;
      return answer;
    }
    default: return negative(rcode_nxdomain, Owner::zone, true, server.zone);
  }
}

Plan resolver_plan(const ZoneModel& model, const ResolverProfile& profile, std::uint32_t resolver, NameClass name,
                   std::uint16_t qtype, std::uint64_t now_ms, std::uint64_t random, RateWindow& window) {
  Plan p;
  switch (profile.behaviour) {
    case Behaviour::silent: return p;
    case Behaviour::servfail:
    case Behaviour::refused:
      p.respond = true;
      p.recursion_available = true;
      p.rcode = profile.behaviour == Behaviour::servfail ? rcode_servfail : rcode_refused;
      return p;
    case Behaviour::lossy:
      if (random % 1000 < profile.loss_permille) return p;
      break;
    case Behaviour::ratelimit: {
      const auto second = static_cast<std::uint32_t>(now_ms / 1000);
      if (window.second != second) window = RateWindow{second, 0};
      if (++window.count > profile.rate_per_second) {
        if (!profile.refuse_over_rate) return p;
        p.respond = true;
        p.recursion_available = true;
        p.rcode = rcode_refused;
        return p;
      }
      break;
    }
    default: break;
  }

  // What the resolver has for the name: from the zone's first server, except as below.
  if (name.kind == NameClass::host) {
    const std::uint32_t host = name.index;
    switch (profile.behaviour) {
      case Behaviour::poisoned:
        p = with_addresses(forges(model, resolver, host) ? forged_answer(model, resolver, host, now_ms / 1000)
                                                         : true_answer(model, host, false),
                           qtype);
        break;
      case Behaviour::cdn: p = with_addresses(cdn_answer(model, resolver, host), qtype); break;
      case Behaviour::geo: p = with_addresses(true_answer(model, host, true), qtype); break;
      default: p = with_addresses(true_answer(model, host, false), qtype); break;
    }
    p.zone = name.zone;  // a NODATA answer's SOA is its zone's
  } else {
    const bool at_root = name.kind == NameClass::root || name.kind == NameClass::above_zone ||
                         name.kind == NameClass::outside;
    const AuthServer ns1 = AuthServer::of_zone(name.zone, 0);
    p = authority_plan(model, at_root ? AuthServer::root_server() : ns1, name, qtype);
    if (p.content == Content::referral) p = authority_plan(model, ns1, name, qtype);  // resolved
  }
  p.authoritative = false;
  p.recursion_available = true;
  if (profile.behaviour == Behaviour::slow) p.delay_ms = profile.delay_ms;
  return p;
}

}  // namespace mxsentry::farm
