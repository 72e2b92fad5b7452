#include "tests/tools/farm_options.hpp"

#include "tests/tools/farm_answers.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace mxsentry::farm {

namespace {

template <typename T>
std::optional<T> parse_unsigned(const std::string& text, T max) {
  unsigned long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > max) return std::nullopt;
  return static_cast<T>(v);
}

std::optional<double> parse_share(const std::string& text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v < 0 || v > 1)
    return std::nullopt;
  return v;
}

std::optional<std::uint32_t> parse_loopback(const std::string& text) {
  in_addr a{};
  if (::inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
  const std::uint32_t host = ntohl(a.s_addr);
  if (host >> 24 != 127) return std::nullopt;
  return host;
}


// [first, first + count) within 127.0.0.0/8 and clear of the lab's /16.
std::string check_range(const char* what, std::uint32_t first, std::uint32_t count) {
  const std::uint64_t last = std::uint64_t{first} + count - 1;
  if (last >> 24 != 127) return std::string(what) + " run past 127.255.255.255";
  if (first <= 0x7f35ffffu && last >= 0x7f350000u) return std::string(what) + " overlap 127.53.0.0/16 (the lab's)";
  return {};
}

}  // namespace

std::string farm_usage() {
  return "usage: mxsentry-resolver-farm --port P [--resolvers FIRST_ADDR COUNT] [--auth FIRST_ADDR]\n"
         "       [--auth-port P] [--seed N] [--mix NAME=F,...] [--zone NAME] [--zones K] [--names N]\n"
         "       [--geo-share F] [--forged-share F] [--ground-truth FILE] [--root-hints FILE]\n"
         "       [--names-file FILE] [--max-seconds N]\n"
         "  --resolvers A N   answer as N resolvers at A, A+1, ... (default 127.60.0.1 1000, N <= 65000)\n"
         "  --auth A          the authoritative servers at A (the root), then each zone's ns1 and\n"
         "                    ns2: zone k's at A+1+2k and A+2+2k (default 127.61.0.1, all in A's /16);\n"
         "                    --auth-port P their port (default: --port)\n"
         "  --mix             shares of honest, poisoned, cdn, geo, slow, lossy, servfail, refused,\n"
         "                    silent, ratelimit (default " +
         std::string(default_mix) +
         ")\n"
         "  --zone, --names   the names are h0.ZONE .. h<N-1>.ZONE (default mailhost.test., 1000)\n"
         "  --zones K         spread them over K zones, each with its own two servers: name i is\n"
         "                    h<i>.z<k>.ZONE with k = i mod K, z<k>.ZONE delegated by the root\n"
         "                    (default 1: the one zone ZONE; K <= N, K <= 10000)\n"
         "  --geo-share F     names the zone's second server answers differently (default 0.1)\n"
         "  --forged-share F  names each poisoned resolver forges (default 0.05)\n"
         "  --ground-truth    write every resolver's behaviour and forgeries there at start\n"
         "  --root-hints      write a root hints file naming the farm's root server there\n"
         "  --names-file      write every name there, one a line (a sweep's target list)\n"
         "  --max-seconds N   stop after N seconds (default 120); SIGTERM/SIGINT stop it too\n"
         "Only loopback addresses outside 127.53.0.0/16; prints 'ready' (or 'ready P' for --port 0)\n"
         "once bound and a stats line on stderr at the end.\n";
}

ParseResult parse_farm_options(const std::vector<std::string>& args, FarmOptions& o) {
  o.mix = parse_mix(default_mix);
  auto error = [](std::string message) { return ParseResult{ParseResult::error, std::move(message)}; };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return ParseResult{ParseResult::help, {}};
    static const std::string_view known[] = {"--port", "--auth-port", "--resolvers", "--auth", "--seed",
                                             "--mix", "--zone", "--zones", "--names", "--geo-share", "--forged-share",
                                             "--ground-truth", "--root-hints", "--names-file",
                                             "--max-seconds"};
    if (std::find(std::begin(known), std::end(known), arg) == std::end(known))
      return error("unknown argument '" + arg + "'");
    const std::size_t values = arg == "--resolvers" ? 2 : 1;
    if (i + values >= args.size()) return error(arg + (values == 2 ? " needs two values" : " needs a value"));
    const std::string& v = args[i + 1];
    if (arg == "--port" || arg == "--auth-port") {
      const auto port = parse_unsigned<std::uint16_t>(v, 65535);
      if (!port) return error(arg + " needs a port number");
      (arg == "--port" ? o.port : o.auth_port) = *port;
      o.have_port = o.have_port || arg == "--port";
    } else if (arg == "--resolvers") {
      const auto first = parse_loopback(v);
      const auto count = parse_unsigned<std::uint32_t>(args[i + 2], max_resolvers);
      if (!first) return error("--resolvers needs a first address in 127.0.0.0/8");
      if (!count || *count == 0) return error("--resolvers needs a count from 1 to 65000");
      o.first_resolver = *first;
      o.resolver_count = *count;
    } else if (arg == "--auth") {
      const auto first = parse_loopback(v);
      if (!first) return error("--auth needs an address in 127.0.0.0/8");
      o.first_auth = *first;
    } else if (arg == "--seed") {
      const auto seed = parse_unsigned<std::uint64_t>(v, UINT64_MAX);
      if (!seed) return error("--seed needs a number");
      o.zone.seed = *seed;
    } else if (arg == "--mix") {
      try {
        o.mix = parse_mix(v);
      } catch (const std::invalid_argument& e) {
        return error(e.what());
      }
    } else if (arg == "--zone") {
      std::string zone;
      for (char c : v) zone += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (zone.empty() || zone.back() != '.') zone += '.';
      if (zone == "." || zone.size() > 200 || zone.find("..") != std::string::npos ||
          zone.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos)
        return error("--zone needs a name below the root (letters, digits, '-')");
      o.zone.zone = zone;
    } else if (arg == "--zones") {
      const auto zones = parse_unsigned<std::uint32_t>(v, max_zones);
      if (!zones || *zones == 0) return error("--zones needs a count from 1 to " + std::to_string(max_zones));
      o.zone.zones = *zones;
    } else if (arg == "--names") {
      const auto names = parse_unsigned<std::uint32_t>(v, 100'000'000);
      if (!names || *names == 0) return error("--names needs a count from 1 to 100000000");
      o.zone.names = *names;
    } else if (arg == "--geo-share" || arg == "--forged-share") {
      const auto share = parse_share(v);
      if (!share) return error(arg + " needs a fraction between 0 and 1");
      (arg == "--geo-share" ? o.zone.geo_share : o.zone.forged_share) = *share;
    } else if (arg == "--ground-truth") {
      o.ground_truth_path = v;
    } else if (arg == "--root-hints") {
      o.root_hints_path = v;
    } else if (arg == "--names-file") {
      o.names_path = v;
    } else if (arg == "--max-seconds") {
      double seconds = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
      if (ec != std::errc{} || end != v.data() + v.size() || !(seconds > 0) || seconds > 7 * 86400)
        return error("--max-seconds needs a positive number (at most a week)");
      o.max_seconds = seconds;
    } else {
      return error("unknown argument '" + arg + "'");
    }
    i += values;
  }
  if (!o.have_port) return error("--port is required");
  if (o.auth_port == 0) o.auth_port = o.port;
  if (auto bad = check_range("the resolvers", o.first_resolver, o.resolver_count); !bad.empty()) return error(bad);
  if (o.zone.zones > o.zone.names) return error("--zones cannot exceed --names (every zone holds a name)");
  const std::uint32_t auth_count = auth_server_count(o.zone);
  if (auto bad = check_range("the authoritative servers", o.first_auth, auth_count); !bad.empty()) return error(bad);
  if ((o.first_auth + auth_count - 1) >> 16 != o.first_auth >> 16)
    return error("the authoritative servers (1 + 2 per zone) run past --auth's /16");
  const std::uint64_t resolvers_end = std::uint64_t{o.first_resolver} + o.resolver_count;
  if (o.first_auth < resolvers_end && std::uint64_t{o.first_auth} + auth_count > o.first_resolver)
    return error("--auth addresses overlap the resolvers'");
  return ParseResult{};
}

std::string root_hints_text(const FarmOptions& o) {
  in_addr a{};
  a.s_addr = htonl(o.first_auth);
  char text[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &a, text, sizeof text);
  return "; mxsentry-resolver-farm: its root server (port " + std::to_string(o.auth_port) + ")\n" +
         ".                        3600000      NS    a.farm-root.\n"
         "a.farm-root.             3600000      A     " + text + "\n";
}

}  // namespace mxsentry::farm
