#pragma once
// Who may connect: the ZeroMQ authentication protocol (ZAP, RFC 27) answered from an
// allowlist of CURVE public keys. Pure: request frames in, reply frames out; the service
// moves them over its inproc ZAP socket. The user id in a 200 reply is the name of the key's
// .pub file, and it is the only prober identity the coordinator believes (a name inside a
// message's payload is for people).

#include <map>
#include <string>
#include <vector>

namespace mxsentry {

class Allowlist {
 public:
  /// Every NAME.pub in `dir` (read with read_curve_key); throws KeyError for a broken one.
  static Allowlist load(const std::string& dir);
  void add(const std::string& z85_public_key, const std::string& name);
  /// The name of an allowed key given as 32 raw bytes, or "" when not allowed.
  std::string name_of(const std::string& raw_key) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::map<std::string, std::string> names_;  ///< raw 32-byte key -> name
};

/// The reply to one ZAP request: 200 with the key's name for an allowed CURVE key; 400 for an
/// unknown key, another mechanism or a domain other than `domain`; 500 for a malformed request.
std::vector<std::string> zap_reply(const std::vector<std::string>& request, const Allowlist& allowlist,
                                   const std::string& domain);

}  // namespace mxsentry
