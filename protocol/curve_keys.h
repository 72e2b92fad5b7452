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
/// Writes BASE.pub and BASE.key; refuses to overwrite either. Throws KeyError.
void write_curve_keys(const std::string& base, const CurveKeyPair& keys);
/// Reads one key file (.pub or .key); throws KeyError naming the file and what is wrong.
std::string read_curve_key(const std::string& path);

}  // namespace mxsentry
