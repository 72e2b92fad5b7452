#include "protocol/zap_policy.h"

#include <array>
#include <filesystem>

#include <zmq.h>

#include "protocol/curve_keys.h"

namespace mxsentry {

Allowlist Allowlist::load(const std::string& dir) {
  Allowlist list;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw KeyError(dir + ": " + ec.message());
  for (const auto& entry : it) {
    if (entry.path().extension() != ".pub") continue;
    // The file's name is the prober's name in logs and status: none empty, none unprintable.
    if (std::string problem = key_name_problem(entry.path().stem().string()); !problem.empty())
      throw KeyError(entry.path().string() + ": " + problem);
    list.add(read_curve_key(entry.path().string()), entry.path().stem().string());
  }
  return list;
}

void Allowlist::add(const std::string& z85_public_key, const std::string& name) {
  std::array<std::uint8_t, 32> raw{};
  if (z85_public_key.size() != 40 || zmq_z85_decode(raw.data(), z85_public_key.c_str()) == nullptr)
    throw KeyError(name + ": not a CURVE public key");
  names_[std::string(reinterpret_cast<const char*>(raw.data()), raw.size())] = name;
}

std::string Allowlist::name_of(const std::string& raw_key) const {
  auto it = names_.find(raw_key);
  return it == names_.end() ? std::string() : it->second;
}

std::vector<std::string> zap_reply(const std::vector<std::string>& request, const Allowlist& allowlist,
                                   const std::string& domain) {
  // version, request id, domain, address, routing id, mechanism, credentials...
  if (request.size() < 6 || request[0] != "1.0")
    return {"1.0", request.size() > 1 ? request[1] : "", "500", "malformed ZAP request", "", ""};
  const std::string& id = request[1];
  if (request[2] != domain) return {"1.0", id, "400", "unknown domain", "", ""};
  if (request[5] != "CURVE" || request.size() != 7) return {"1.0", id, "400", "CURVE only", "", ""};
  std::string name = allowlist.name_of(request[6]);
  if (name.empty()) return {"1.0", id, "400", "key not on the allowlist", "", ""};
  return {"1.0", id, "200", "OK", name, ""};
}

}  // namespace mxsentry
