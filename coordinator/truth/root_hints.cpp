#include "coordinator/truth/root_hints.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/socket.h>

#include "coordinator/truth/dns_message.h"
#include "targets/list_error.h"

namespace mxsentry {

std::vector<NameServer> parse_root_hints(const std::string& text, const std::string& source, bool ipv6) {
  std::vector<NameServer> servers;
  std::vector<std::pair<std::string, Endpoint>> addresses;
  std::istringstream in(text);
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == ';' || line[start] == '#') continue;
    ldns_rr* rr = nullptr;
    ldns_status status = ldns_rr_new_frm_str(&rr, line.c_str(), 0, nullptr, nullptr);
    if (status != LDNS_STATUS_OK || rr == nullptr)
      throw ListError(source, line_no, std::string("not a record: ") + ldns_get_errorstr_by_id(status));
    std::unique_ptr<ldns_rr, decltype(&ldns_rr_free)> owned(rr, ldns_rr_free);
    auto type = ldns_rr_get_type(rr);
    if (type == LDNS_RR_TYPE_NS && canonical_name(ldns_rr_owner(rr)) == ".") {
      servers.push_back(NameServer{canonical_name(ldns_rr_rdf(rr, 0)), {}});
    } else if (type == LDNS_RR_TYPE_A || (type == LDNS_RR_TYPE_AAAA && ipv6)) {
      Endpoint e;
      e.family = type == LDNS_RR_TYPE_A ? AF_INET : AF_INET6;
      const ldns_rdf* rdf = ldns_rr_rdf(rr, 0);
      std::memcpy(e.address.data(), ldns_rdf_data(rdf), type == LDNS_RR_TYPE_A ? 4 : 16);
      addresses.emplace_back(canonical_name(ldns_rr_owner(rr)), e);
    }
  }
  for (auto& server : servers)
    for (const auto& [name, address] : addresses)
      if (name == server.name) server.addresses.push_back(address);
  std::erase_if(servers, [](const NameServer& s) { return s.addresses.empty(); });
  if (servers.empty()) throw ListError(source + ": no root server with an address");
  return servers;
}

std::vector<NameServer> load_root_hints(const std::string& path, bool ipv6) {
  std::ifstream in(path);
  if (!in) throw ListError(path + ": cannot open the root hints");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_root_hints(text.str(), path, ipv6);
}

}  // namespace mxsentry
