# shellcheck shell=bash
# Helpers shared by `lab` and `check-scenarios`: messages, process ownership,
# and small drill wrappers. Every query has a bounded wait.

lab_say()  { printf 'lab: %s\n' "$*"; }
lab_warn() { printf 'lab: warning: %s\n' "$*" >&2; }

# lab_now_ms: wall clock in milliseconds.
lab_now_ms() {
  local t=${EPOCHREALTIME/[.,]/}
  printf '%s' "${t:0:-3}"
}

# lab_pid_alive PID: running and not a zombie (daemons are reaped by PID 1,
# which may take a while).
lab_pid_alive() {
  local stat
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# lab_pid_owned PID DIR: the process is an nsd/unbound started with a config
# file from DIR/etc (so we never touch a daemon that is not ours). Builtins
# only: this runs for every process on the machine.
lab_pid_owned() {
  local pid=$1 dir=$2 comm args=()
  { read -r comm <"/proc/$pid/comm"; } 2>/dev/null || return 1
  [[ $comm == nsd || $comm == "nsd: "* || $comm == unbound ]] || return 1  # NSD renames its processes
  { mapfile -d '' args <"/proc/$pid/cmdline"; } 2>/dev/null || return 1
  [[ " ${args[*]} " == *" -c $dir/etc/"* ]]
}

# lab_owned_pids DIR: every live nsd/unbound process started from DIR, found by
# command line (this also catches NSD's child processes and lost pidfiles).
lab_owned_pids() {
  local dir=$1 p
  for p in /proc/[0-9]*; do
    if lab_pid_owned "${p#/proc/}" "$dir"; then printf '%s\n' "${p#/proc/}"; fi
  done
}

# dns_ask SERVER NAME [TYPE [drill options...]]: one query, at most
# LAB_DNS_TIMEOUT seconds; the full drill output is left in DNS_REPLY.
dns_ask() {
  local server=$1 name=$2 type=${3:-A}
  shift $(($# < 3 ? $# : 3))
  DNS_REPLY=$(timeout "${LAB_DNS_TIMEOUT:-3}" drill -4 "$@" "@$server" "$name" "$type" 2>&1) || true
}

# dns_rcode: rcode of the last reply (NOERROR, SERVFAIL, ...), empty if none.
dns_rcode() {
  sed -n 's/^;; ->>HEADER<<-.*rcode: \([A-Z]*\),.*/\1/p' <<<"$DNS_REPLY" | head -n 1
}

# dns_flags: header flags of the last reply, e.g. "qr rd ra ad".
dns_flags() {
  sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$DNS_REPLY" | head -n 1 | xargs
}

# dns_has_flag FLAG
dns_has_flag() { [[ " $(dns_flags) " == *" $1 "* ]]; }

# dns_answer TYPE: rdata of the answer-section records of TYPE, one a line.
dns_answer() {
  awk -v t="$1" '
    /^;; ANSWER SECTION:/ { s = 1; next }
    /^;;/                 { s = 0 }
    s && NF >= 5 && $4 == t {
      r = $5
      for (i = 6; i <= NF && $i !~ /^;/; i++) r = r " " $i   # drill appends ;{id = ...}
      print r
    }
  ' <<<"$DNS_REPLY"
}

# dns_ttl TYPE: smallest TTL among the answer-section records of TYPE.
dns_ttl() {
  awk -v t="$1" '
    /^;; ANSWER SECTION:/ { s = 1; next }
    /^;;/                 { s = 0 }
    s && NF >= 5 && $4 == t && (m == "" || $2 < m) { m = $2 }
    END { print m }
  ' <<<"$DNS_REPLY"
}
