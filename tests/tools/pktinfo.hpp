#pragma once
// IP_PKTINFO for a UDP socket bound to 0.0.0.0 that answers as many loopback addresses: the
// address a datagram was sent to, and a reply sent from that address. Shared by the bench
// responder and the resolver farm.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <optional>

namespace mxsentry::test {

/// Room for one IP_PKTINFO control message, aligned for cmsghdr.
union PktinfoControl {
  cmsghdr align;
  std::uint8_t bytes[CMSG_SPACE(sizeof(in_pktinfo))];
};

/// The address a received datagram was sent to, or nullopt when IP_PKTINFO is missing.
inline std::optional<in_addr> pktinfo_destination(msghdr& h) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return info.ipi_addr;
    }
  }
  return std::nullopt;
}

/// Makes the outgoing message `o` leave from `source` (the address that was queried).
inline void pktinfo_set_source(msghdr& o, PktinfoControl& ctl, in_addr source) {
  o.msg_control = ctl.bytes;
  o.msg_controllen = sizeof ctl.bytes;
  cmsghdr* c = CMSG_FIRSTHDR(&o);
  c->cmsg_level = IPPROTO_IP;
  c->cmsg_type = IP_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
  in_pktinfo info{};
  info.ipi_spec_dst = source;
  info.ipi_addr = source;
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
}

}  // namespace mxsentry::test
