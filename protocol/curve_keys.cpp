#include "protocol/curve_keys.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

namespace mxsentry {

namespace {

constexpr std::size_t z85_key_length = 40;

void write_new_file(const std::string& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw KeyError(path + ": " + std::strerror(errno));
  ssize_t written = ::write(fd, text.data(), text.size());
  bool ok = written == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw KeyError(path + ": could not write the key");
}

}  // namespace

CurveKeyPair generate_curve_keys() {
  std::array<char, z85_key_length + 1> public_key{}, secret_key{};
  if (zmq_curve_keypair(public_key.data(), secret_key.data()) != 0)
    throw KeyError(std::string("libzmq cannot make CURVE keys: ") + zmq_strerror(zmq_errno()));
  return CurveKeyPair{public_key.data(), secret_key.data()};
}

std::string key_name_problem(const std::string& name) {
  if (name.empty()) return "no name (DIR/NAME writes DIR/NAME.pub and DIR/NAME.key)";
  if (name[0] == '.') return "a name starting with '.' (the key files would be hidden)";
  for (unsigned char c : name)
    if (c <= 0x20 || c >= 0x7f) return "a name of printable ASCII without blanks is needed (it is the prober's name in logs)";
  return {};
}

void write_curve_keys(const std::string& base, const CurveKeyPair& keys) {
  std::string name = base.substr(base.rfind('/') == std::string::npos ? 0 : base.rfind('/') + 1);
  if (std::string problem = key_name_problem(name); !problem.empty()) throw KeyError("'" + base + "': " + problem);
  std::string pub = base + ".pub", key = base + ".key";
  if (::access(pub.c_str(), F_OK) == 0) throw KeyError(pub + ": exists; not overwritten");
  if (::access(key.c_str(), F_OK) == 0) throw KeyError(key + ": exists; not overwritten");
  write_new_file(key, "# mxsentry CurveZMQ secret key: keep it to this host\n" + keys.secret_key + "\n", 0600);
  write_new_file(pub, "# mxsentry CurveZMQ public key\n" + keys.public_key + "\n", 0644);
}

std::string read_curve_key(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw KeyError(path + ": cannot read the key file");
  std::string line, key;
  while (std::getline(in, line)) {
    // '#' is a Z85 character, but never the first of a key: as the first of a group of five
    // it would encode more than 32 bits.
    if (line.empty() || line[0] == '#') continue;
    if (!key.empty()) throw KeyError(path + ": more than one key");
    key = line;
  }
  if (key.size() != z85_key_length) throw KeyError(path + ": not a CURVE key (40 Z85 characters)");
  std::array<std::uint8_t, 32> raw{};
  if (zmq_z85_decode(raw.data(), key.c_str()) == nullptr) throw KeyError(path + ": not a CURVE key (bad Z85)");
  return key;
}

}  // namespace mxsentry

namespace mxsentry {

std::string read_curve_key(const std::string& path, KeyKind kind) {
  std::string key = read_curve_key(path);
  std::ifstream in(path);
  std::string first_line;
  std::getline(in, first_line);
  bool says_public = path.ends_with(".pub") || first_line.find("CurveZMQ public key") != std::string::npos;
  bool says_secret = path.ends_with(".key") || first_line.find("CurveZMQ secret key") != std::string::npos;
  if (kind == KeyKind::secret_key && says_public)
    throw KeyError(path + ": a public key; a secret key (NAME.key, from mxsentry keygen) is needed here");
  if (kind == KeyKind::public_key && says_secret)
    throw KeyError(path + ": a secret key; the public key (NAME.pub) is needed here, and the secret one stays on its host");
  return key;
}

}  // namespace mxsentry
