# shellcheck shell=bash disable=SC2034  # the arrays are used by the scripts that source this
# The lab's address plan: who listens where, and why. Sourced by `lab` and
# `check-scenarios`. Everything is IPv4 loopback, port 53.
#
# Each role becomes a line in DIR/lab.env: role "validating-rogue" gives
# LAB_VALIDATING_ROGUE=<address>.

# Authoritative servers, one NSD process each.
#   role | address | zones (origin=file in DIR/zones, space-separated) | what it does
LAB_NSD=(
  "root|127.53.0.1|.=root.zone.signed test.=test.zone|root zone, signed (its KSK is the trust anchor); test."
  "tld|127.53.1.1|com.=com.zone.signed net.=net.zone.signed|com. and net., signed"
  "securemail-ns1|127.53.2.1|securemail.com.=securemail.com.zone.signed|securemail.com, signed (NSEC3)"
  "securemail-ns2|127.53.2.2|securemail.com.=securemail.com.zone.signed|securemail.com, same zone"
  "plainmail-ns1|127.53.3.1|plainmail.net.=plainmail.net.zone|plainmail.net, unsigned"
  "geomail-ns1|127.53.4.1|geomail.com.=geomail.com.ns1.zone|geomail.com, mx -> 127.53.202.1"
  "geomail-ns2|127.53.4.2|geomail.com.=geomail.com.ns2.zone|geomail.com, mx -> 127.53.202.2 (disagrees)"
  "brokenmail|127.53.5.1|brokenmail.com.=brokenmail.com.zone.signed|brokenmail.com, expired RRSIGs; lame for lamemail.net"
  "rogue|127.53.66.1|securemail.com.=rogue-securemail.com.zone plainmail.net.=rogue-plainmail.net.zone|FORGED securemail.com and plainmail.net"
)

# Resolvers, one Unbound process each (role settings: lib/configs.sh).
#   role | address | what it does
LAB_UNBOUND=(
  "honest|127.53.10.1|non-validating, iterates from the lab root"
  "validating|127.53.10.2|validating (lab trust anchor)"
  "poisoned|127.53.10.3|non-validating; securemail.com, plainmail.net -> rogue"
  "validating-rogue|127.53.10.4|validating; same rogue (securemail bogus, plainmail forged)"
  "pinned|127.53.10.5|non-validating; geomail.com only via 127.53.4.2"
  "ttl-raiser|127.53.10.6|non-validating; cache-min-ttl 7200"
  "refusing|127.53.10.7|answers REFUSED to everyone"
)

# Addresses where nothing listens, on purpose.
#   role | address | what it stands for
LAB_DEAD=(
  "securemail-ns3|127.53.2.3|third NS of securemail.com, unreachable"
  "plainmail-ns2|127.53.3.2|second NS of plainmail.net, unreachable"
  "unreachable-2|127.53.10.98|resolver that never answers"
  "unreachable|127.53.10.99|resolver that never answers"
)

# Names worth probing (name [type]) and the mail domains.
LAB_NAMES=(
  "mx1.securemail.com" "mx1.securemail.com AAAA" "mx2.securemail.com"
  "mail.securemail.com" "securemail.com MX"
  "mx.plainmail.net" "mx.plainmail.net AAAA" "ns1.plainmail.net" "plainmail.net MX"
  "mx.geomail.com" "geomail.com MX"
  "mx.brokenmail.com" "brokenmail.com MX"
  "www.lamemail.net"
)
LAB_DOMAINS=(securemail.com plainmail.net geomail.com brokenmail.com)

# lab_env_key ROLE -> LAB_ROLE (upper case, '-' -> '_')
lab_env_key() {
  local k=${1^^}
  printf 'LAB_%s' "${k//-/_}"
}

# lab_addr ROLE: the address of a role.
lab_addr() {
  local row
  for row in "${LAB_NSD[@]}" "${LAB_UNBOUND[@]}" "${LAB_DEAD[@]}"; do
    [[ ${row%%|*} == "$1" ]] && { row=${row#*|}; printf '%s' "${row%%|*}"; return 0; }
  done
  return 1
}
