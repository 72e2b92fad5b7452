#pragma once
// CurveZMQ key pairs on disk: NAME.pub holds the public key, NAME.key the secret one (mode
// 0600), each as 40 Z85 characters on a line of its own after `#` comments. The coordinator
// admits a prober whose NAME.pub is in its allow directory; a prober trusts the coordinator
// whose .pub it was given.

#include <stdexcept>
#include <string>

namespace mxsentry {

class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CurveKeyPair {
  std::string public_key;  ///< Z85, 40 characters
  std::string secret_key;
};

/// Makes a key pair with libzmq (throws KeyError when libzmq lacks CURVE).
CurveKeyPair generate_curve_keys();
/// Why `name` cannot name a key pair (and so a prober), or empty when it can: not empty, not
/// starting with '.' (a hidden file), printable ASCII without '/'.
std::string key_name_problem(const std::string& name);
/// Writes BASE.pub and BASE.key; refuses to overwrite either, and a BASE whose last part is
/// no key name (key_name_problem: "" or "DIR/" would write hidden files). Throws KeyError.
void write_curve_keys(const std::string& base, const CurveKeyPair& keys);
/// Reads one key file (.pub or .key); throws KeyError naming the file and what is wrong.
std::string read_curve_key(const std::string& path);
/// The kinds of key file, for reading the one a flag wants.
enum class KeyKind { public_key, secret_key };
/// Reads a key file of that kind; refuses one that is the other kind (named .pub or .key, or
/// written by keygen as such): a coordinator given its own .pub as --key started "CURVE on"
/// and admitted nobody. Throws KeyError.
std::string read_curve_key(const std::string& path, KeyKind kind);

}  // namespace mxsentry
