# shellcheck shell=bash
# Keys, zones and the trust-anchor files. Keys are made fresh at every `up`,
# so each lab has its own root KSK. Signing goes bottom-up: a child's DS is
# appended to its parent's zone before the parent is signed.

LAB_ALG=ECDSAP256SHA256

# lab_zone_label ORIGIN: file-name label of a zone ("." -> root).
lab_zone_label() {
  local o=${1%.}
  printf '%s' "${o:-root}"
}

# lab_sign DIR ORIGIN [ldns-signzone options...]: make a KSK and a ZSK for
# ORIGIN, sign DIR/zones/<label>.zone into <label>.zone.signed, and keep the
# KSK's DNSKEY and DS as DIR/keys/<label>.dnskey and <label>.ds.
lab_sign() {
  local dir=$1 origin=$2 label ksk zsk
  shift 2
  label=$(lab_zone_label "$origin")
  ksk=$(cd "$dir/keys" && ldns-keygen -a "$LAB_ALG" -k "$origin")
  zsk=$(cd "$dir/keys" && ldns-keygen -a "$LAB_ALG" "$origin")
  ldns-signzone "$@" -o "$origin" -f "$dir/zones/$label.zone.signed" \
    "$dir/zones/$label.zone" "$dir/keys/$zsk" "$dir/keys/$ksk"
  sed 's/[[:space:]]*;.*$//' "$dir/keys/$ksk.key" >"$dir/keys/$label.dnskey"
  sed 's/[[:space:]]*;.*$//' "$dir/keys/$ksk.ds" >"$dir/keys/$label.ds"
}

# lab_build_zones DIR: all zone files, signed where the plan says so.
lab_build_zones() {
  local dir=$1 now z k
  z=$dir/zones
  k=$dir/keys
  now=$(date +%s)
  cp "$LAB_HERE"/zones/*.zone "$z/"

  lab_sign "$dir" securemail.com. -n -t 0           # NSEC3, no salt, 0 iterations
  lab_sign "$dir" brokenmail.com. \
    -i $((now - 30 * 86400)) -e $((now - 86400))    # expired yesterday

  cat "$k/securemail.com.ds" "$k/brokenmail.com.ds" >>"$z/com.zone"
  lab_sign "$dir" com.
  lab_sign "$dir" net.

  cat "$k/com.ds" "$k/net.ds" >>"$z/root.zone"
  lab_sign "$dir" .
}

# lab_write_anchor_files DIR ROOT_ADDRESS: root.hints, root.key and root.ds, shaped like
# Debian's /usr/share/dns files but naming the lab root.
lab_write_anchor_files() {
  local dir=$1 root_addr=$2
  cat >"$dir/root.hints" <<EOF
;       Root hints of the mxsentry lab: the lab root server on loopback.
;       (Same layout as /usr/share/dns/root.hints.)
;
.                        3600000      NS    A.ROOT-SERVERS.TEST.
A.ROOT-SERVERS.TEST.     3600000      A     $root_addr
; End of file
EOF
  local tag
  tag=$(awk '{ print $4 }' "$dir/keys/root.ds")
  awk -v tag="$tag" '{ printf ". IN DNSKEY %s %s %s %s ; keytag %s\n", $4, $5, $6, $7, tag }' \
    "$dir/keys/root.dnskey" >"$dir/root.key"
  awk '{ printf ". IN DS %s %s %s %s\n", $4, $5, $6, toupper($7) }' \
    "$dir/keys/root.ds" >"$dir/root.ds"
}
