// Network faults between the prober's engine and its resolvers: datagrams lost, delayed,
// duplicated and reordered in both directions, in a network namespace of the test's own.
// `mxsentry probe` asks two resolver addresses; each is a relay in front of one loopback
// responder. Where the kernel has netem, `tc netem` on `lo` makes the faults and the relays
// only count; where it has none (this project's machines), the relays make them from a seed.
// The relays' logs say what was done to every datagram, so the test checks the prober's
// observations against what really happened on the path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "faults/own_network.h"
#include "faults/relay_log.h"
#include "integration/child_process.h"
#include "integration/json_lines.h"

using namespace mxsentry::test;
using nlohmann::json;

namespace {


/// Where the test runs: its own network (netem or not), or the host's loopback.
struct Network {
  bool own = false;
  bool netem = false;
  std::string note;
};

/// netem's faults, when the kernel has it: the same kinds as the relay's below.
constexpr const char* netem_spec = "delay 10ms 10ms loss 10% duplicate 15% reorder 20% 50%";

const Network& network() {
  static const Network net = [] {
    Network n;
    std::string why = enter_own_network();
    n.own = why.empty();
    if (!n.own) {
      n.note = "no network of its own (" + why + "): the host's loopback, ephemeral ports";
      return n;
    }
    why = try_netem(netem_spec);
    n.netem = why.empty();
    n.note = n.netem ? std::string("netem on lo: ") + netem_spec : "no netem (" + why + "): the relay makes the faults";
    return n;
  }();
  return net;
}

struct Faults {
  double loss = 0, duplicate = 0, reorder = 0;
  int delay_ms = 0, jitter_ms = 0, reorder_ms = 0;
};

class Relay {
 public:
  Relay(const std::string& address, const std::string& upstream, const Faults& f, int seed, const TempDir& dir)
      : log_path_(dir.path() + "/relay-" + address + ".log") {
    // Under netem the kernel makes the faults; the relay only passes and counts.
    Faults use = network().netem ? Faults{} : f;
    process_.emplace(std::vector<std::string>{
        MXSENTRY_IMPAIRMENT_RELAY, "--listen", address + ":0", "--upstream", upstream, "--log", log_path_, "--seed",
        std::to_string(seed), "--loss", std::to_string(use.loss), "--duplicate", std::to_string(use.duplicate),
        "--reorder", std::to_string(use.reorder), "--delay-ms", std::to_string(use.delay_ms), "--jitter-ms",
        std::to_string(use.jitter_ms), "--reorder-ms", std::to_string(use.reorder_ms), "--max-seconds", "90"});
    std::string line = process_->read_line(5000);
    REQUIRE(line.rfind("ready ", 0) == 0);
    endpoint_ = address + ":" + line.substr(6);
  }
  const std::string& endpoint() const { return endpoint_; }
  /// Stops the relay (its log is then complete) and reads the log.
  RelayLog stop() {
    ::kill(process_->pid(), SIGTERM);
    CHECK(process_->wait_exit(5000) == 0);
    process_.reset();
    return parse_relay_log(read_file(log_path_));
  }

 private:
  std::string log_path_;
  std::optional<ChildProcess> process_;
  std::string endpoint_;
};

struct Responder {
  ChildProcess process{{MXSENTRY_TEST_RESPONDER, "--listen", "127.0.0.1:0", "--max-seconds", "90"}};
  std::string endpoint;
  Responder() {
    std::string line = process.read_line(5000);
    REQUIRE(line.rfind("ready ", 0) == 0);
    endpoint = "127.0.0.1:" + line.substr(6);
  }
};

/// numbered.1.t.example. ... numbered.N.t.example. (each answered with its own record) and
/// `silent` names that are never answered.
std::string names_file(int numbered, int silent) {
  std::string text;
  for (int n = 1; n <= numbered; ++n) text += "numbered." + std::to_string(n) + ".t.example\n";
  for (int s = 1; s <= silent; ++s) text += "silent.s" + std::to_string(s) + ".t.example\n";
  return text;
}

struct ProbeRun {
  std::vector<json> observations;
  std::string err;
};

ProbeRun probe(const std::vector<std::string>& resolvers, const std::string& names, const std::vector<std::string>& flags,
               const TempDir& dir) {
  std::string list;
  for (const auto& r : resolvers) list += r + "\n";
  std::vector<std::string> argv{MXSENTRY_BINARY, "probe", "--resolvers", dir.write("resolvers.txt", list), "--names",
                                dir.write("names.txt", names), "--allow-private", "--types", "A",
                                "--out", dir.path() + "/out.jsonl"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto r = run_command(argv, 120000);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return ProbeRun{json_lines(read_file(dir.path() + "/out.jsonl")), r.err};
}

/// The number N of numbered.N.t.example., or 0.
int number_of(const std::string& qname) {
  if (qname.rfind("numbered.", 0) != 0) return 0;
  return std::stoi(qname.substr(9));
}

/// The most queries that arrived within any `window_us` (identical datagrams once: a
/// duplicate made by netem on the way is not a query the prober sent).
std::size_t busiest_window(const RelayLog& log, std::int64_t window_us) {
  std::vector<std::int64_t> times;
  std::set<std::pair<unsigned, std::string>> seen;
  for (const auto& e : log.events)
    if (e.direction == "up" && e.event == "in" && seen.emplace(e.id, e.qname).second) times.push_back(e.t_us);
  std::size_t most = 0;
  for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
    while (j < times.size() && times[j] < times[i] + window_us) ++j;
    most = std::max(most, j - i);
  }
  return most;
}

}  // namespace

TEST_CASE("faults: loss, delay, duplication and reordering leave every observation right", "[faults]") {
  const Network& net = network();
  WARN(net.note);
  TempDir dir;
  Responder responder;
  // Each way: 15% lost, 5-25 ms late, 20% sent twice, 20% held 60 ms more (so later ones pass).
  Faults faults{.loss = 0.15, .duplicate = 0.2, .reorder = 0.2, .delay_ms = 5, .jitter_ms = 20, .reorder_ms = 60};
  std::vector<std::unique_ptr<Relay>> relays;
  relays.push_back(std::make_unique<Relay>("127.0.0.2", responder.endpoint, faults, 1301, dir));
  relays.push_back(std::make_unique<Relay>("127.0.0.3", responder.endpoint, faults, 1302, dir));
  const int numbered = 60, silent = 4, retries = 3;
  // A reply is at most ~250 ms on its way there and back (netem: ~200 ms), well inside an
  // attempt's 800 ms: an attempt whose query and reply both got through cannot time out.
  ProbeRun run = probe({relays[0]->endpoint(), relays[1]->endpoint()}, names_file(numbered, silent),
                       {"--per-resolver-qps", "200", "--timeout-ms", "800", "--retries", std::to_string(retries),
                        "--linger-ms", "300", "--udp-sockets", "8"},
                       dir);
  std::map<std::string, RelayLog> logs;
  for (auto& r : relays) logs[r->endpoint()] = r->stop();

  // One observation per question and resolver: a duplicated reply makes no second one.
  REQUIRE(run.observations.size() == 2 * (numbered + silent));
  std::set<std::string> keys;
  for (const auto& o : run.observations) keys.insert(o["resolver"].get<std::string>() + " " + o["qname"].get<std::string>());
  CHECK(keys.size() == run.observations.size());

  std::size_t answered = 0, timed_out = 0, retried = 0, duplicate_replies_seen = 0;
  for (const auto& o : run.observations) {
    const std::string qname = o["qname"], resolver = o["resolver"];
    const RelayLog& log = logs.at(resolver);
    INFO(resolver << " " << o.dump());
    const int n = number_of(qname);
    const std::size_t replies_delivered = log.count("down", "send", qname);
    // Every attempt the prober counts is a query it sent, and no more (netem may lose one
    // before the relay sees it, or show one twice).
    if (!net.netem) CHECK(log.count("up", "in", qname) == o["attempts"].get<std::size_t>());
    if (o["attempts"].get<int>() > 1) ++retried;
    if (n == 0) {  // silent: a timeout after every attempt
      CHECK(o["outcome"] == "timeout");
      CHECK(o["attempts"] == retries + 1);
      CHECK(replies_delivered == 0);
      ++timed_out;
      continue;
    }
    if (o["outcome"] == "timeout") {
      // A timeout only when no reply came back at all; then every attempt was made.
      CHECK(o["attempts"] == retries + 1);
      if (!net.netem) CHECK(replies_delivered == 0);
      ++timed_out;
      continue;
    }
    REQUIRE(o["outcome"] == "answer");
    ++answered;
    CHECK(replies_delivered >= 1);
    if (replies_delivered > 1) ++duplicate_replies_seen;
    // The answer is this question's own, whatever order the replies came in.
    REQUIRE(o["answers"].size() == 1);
    CHECK(o["answers"][0]["rdata"] == "127.0.0." + std::to_string(n % 256));
    CHECK(o["answers"][0]["ttl"] == 1000 + n);
    // A repeat (a duplicate, or the reply to an earlier attempt) is no second answer.
    CHECK(o["extra_responses"].empty());
  }
  CHECK(answered + timed_out == run.observations.size());
  CHECK(answered >= 2 * numbered * 9 / 10);  // 4 attempts at 72% each: ~0.6% of them time out
  CHECK(retried > 0);
  CHECK(duplicate_replies_seen > 0);  // the prober did meet duplicates

  // The faults really happened, in both directions (the relay's own counts).
  std::uint64_t late = 0;
  for (const auto& [resolver, log] : logs) {
    INFO(resolver);
    if (net.netem) continue;  // the kernel's counts are below
    for (const char* dir_name : {"up", "down"}) {
      const std::string d = dir_name;
      INFO(d);
      CHECK(log.summary.at(d + ".in") == log.count(d, "in"));
      CHECK(log.summary.at(d + ".dropped") == log.count(d, "drop"));
      CHECK(log.summary.at(d + ".dropped") > 0);
      CHECK(log.summary.at(d + ".duplicated") > 0);
      CHECK(log.summary.at(d + ".reordered") > 0);
      late += log.summary.at(d + ".late");
    }
  }
  if (!net.netem) CHECK(late > 0);  // datagrams really overtaken on the way
  std::ostringstream figures;
  for (const auto& [resolver, log] : logs)
    figures << resolver << ": up in=" << log.total("up.in") << " dropped=" << log.total("up.dropped")
            << " duplicated=" << log.total("up.duplicated") << " reordered=" << log.total("up.reordered")
            << " late=" << log.total("up.late") << "; down in=" << log.total("down.in")
            << " dropped=" << log.total("down.dropped") << " duplicated=" << log.total("down.duplicated")
            << " reordered=" << log.total("down.reordered") << " late=" << log.total("down.late") << "\n";
  figures << "answered " << answered << ", timed out " << timed_out << ", retried " << retried
          << ", duplicate replies met " << duplicate_replies_seen;
  if (net.netem) figures << "\n" << netem_statistics();
  WARN(figures.str());
}

TEST_CASE("faults: the per-resolver rate holds under retries on a lossy path", "[faults]") {
  const Network& net = network();
  WARN(net.note);
  TempDir dir;
  Responder responder;
  // 30% lost each way: about half the questions are asked again, the silent ones 4 times.
  Faults faults{.loss = 0.3, .duplicate = 0.1, .reorder = 0.1, .delay_ms = 2, .jitter_ms = 10, .reorder_ms = 30};
  Relay a("127.0.0.2", responder.endpoint, faults, 2601, dir), b("127.0.0.3", responder.endpoint, faults, 2602, dir);
  const int qps = 25, numbered = 50, silent = 10;
  ProbeRun run = probe({a.endpoint(), b.endpoint()}, names_file(numbered, silent),
                       {"--per-resolver-qps", std::to_string(qps), "--timeout-ms", "250", "--retries", "3",
                        "--linger-ms", "0", "--udp-sockets", "8"},
                       dir);
  CHECK(run.observations.size() == 2 * (numbered + silent));
  std::ostringstream figures;
  for (Relay* relay : {&a, &b}) {
    const std::string resolver = relay->endpoint();
    RelayLog log = relay->stop();
    INFO(resolver);
    std::size_t sent = log.count("up", "in");
    // Retries were made (more queries than questions): the rate is measured with them.
    CHECK(sent > static_cast<std::size_t>(numbered + silent) + 3 * silent);
    // Token bucket of one query: within any window W at most 1 + qps x W queries leave; the
    // relay sees each up to ~5 ms after it left, so the window is taken 5 ms longer.
    for (std::int64_t window_ms : {200, 1000}) {
      const std::size_t most = busiest_window(log, window_ms * 1000);
      const auto ceiling = static_cast<std::size_t>(1 + qps * (window_ms + 5) / 1000.0);
      INFO("window " << window_ms << " ms: " << most << " queries, ceiling " << ceiling);
      CHECK(most <= ceiling);
      figures << resolver << ": " << sent << " queries, busiest " << window_ms << " ms: " << most << " (ceiling "
              << ceiling << ")\n";
      // The limit was what paced them (else this would show nothing).
      if (window_ms == 1000) CHECK(most >= static_cast<std::size_t>(qps * 8 / 10));
    }
  }
  if (net.netem) figures << netem_statistics();
  WARN(figures.str());
}
