// mxsentry-ingest-bench: what compact results (DESIGN section 3) save at the coordinator. The
// same batches of answers are encoded as full observations and as matched results, then
// decoded and (for the compact ones) rebuilt, as the coordinator does for every RESULTS
// message. Prints bytes per result and results per second for both, and their ratios. Pure
// CPU: no sockets.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "protocol/answer_sets.h"
#include "protocol/message_codec.h"

using namespace mxsentry;
using Clock = std::chrono::steady_clock;

namespace {

/// Typical answers of mail hosts: one or two A records, an AAAA, a name that does not exist.
std::vector<Observation> sample_answers() {
  auto base = [](const std::string& qname, std::uint16_t qtype, int rcode, std::vector<ResourceRecord> answers) {
    Observation o;
    o.resolver = *Endpoint::parse("198.51.100.53");
    o.qname = qname;
    o.qtype = qtype;
    o.outcome = Outcome::answer;
    o.rcode = rcode;
    o.flags.rd = o.flags.ra = true;
    o.answers = std::move(answers);
    o.edns = Edns{true, 1232, 0, true};
    o.rtt_ms = 23.75;
    o.time_ms = 1'795'745'764'000;
    o.attempts = 1;
    return o;
  };
  return {base("mx1.mail.example.com.", 1, 0, {{"mx1.mail.example.com.", 1, 287, "192.0.2.10"}}),
          base("mx2.mail.example.com.", 1, 0,
               {{"mx2.mail.example.com.", 1, 300, "192.0.2.20"}, {"mx2.mail.example.com.", 1, 300, "192.0.2.21"}}),
          base("mx1.mail.example.com.", 28, 0, {{"mx1.mail.example.com.", 28, 3600, "2001:db8::10"}}),
          base("ns1.example.net.", 1, 0, {{"ns1.example.net.", 1, 86400, "203.0.113.53"}})};
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t batches = argc > 1 ? std::stoul(argv[1]) : 2000;
  constexpr std::size_t per_batch = 500;
  protocol::DigestKey key = protocol::random_digest_key();
  std::vector<Observation> samples = sample_answers();
  std::vector<protocol::WorkTask> tasks;
  std::vector<protocol::AnswerSet> sets;
  std::vector<std::uint64_t> digests;
  for (const auto& o : samples) {
    tasks.push_back(protocol::WorkTask{0, o.resolver.to_string(), o.qname, o.qtype});
    sets.push_back(protocol::AnswerSet{o.rcode, o.answers});
    digests.push_back(protocol::answer_set_digest(key, o.rcode, o.answers));
  }

  protocol::Results full, compact;
  full.unit = compact.unit = 1;
  for (std::size_t i = 0; i < per_batch; ++i) {
    Observation o = samples[i % samples.size()];
    o.task_index = i;
    full.observations.push_back(o);
    compact.matched.push_back(*protocol::match_answer(o, key, {digests[i % samples.size()]}));
    compact.matched.back().answer_set = 0;
  }
  protocol::Frames full_frames = protocol::encode(full), compact_frames = protocol::encode(compact);

  std::size_t checksum = 0;
  auto start = Clock::now();
  for (std::size_t b = 0; b < batches; ++b) {
    auto results = std::get<protocol::Results>(protocol::decode(full_frames.type, full_frames.body));
    checksum += results.observations.size();
  }
  double full_s = seconds_since(start);
  start = Clock::now();
  for (std::size_t b = 0; b < batches; ++b) {
    auto results = std::get<protocol::Results>(protocol::decode(compact_frames.type, compact_frames.body));
    for (const auto& m : results.matched) {
      std::size_t which = m.task_index % samples.size();
      Observation o = protocol::rebuild_observation(m, tasks[which], samples[which].resolver, sets[which], key);
      checksum += o.answers.size() > 0;
    }
  }
  double compact_s = seconds_since(start);

  double n = static_cast<double>(batches * per_batch);
  double full_bytes = static_cast<double>(full_frames.body.size()) / per_batch;
  double compact_bytes = static_cast<double>(compact_frames.body.size()) / per_batch;
  std::printf("results: %zu (batches of %zu), checksum %zu\n", batches * per_batch, per_batch, checksum);
  std::printf("full:    %6.1f bytes/result  %10.0f results/s decoded\n", full_bytes, n / full_s);
  std::printf("compact: %6.1f bytes/result  %10.0f results/s decoded and rebuilt\n", compact_bytes, n / compact_s);
  std::printf("ratio:   %.2fx fewer bytes, %.2fx the ingest rate\n", full_bytes / compact_bytes, full_s / compact_s);
  return 0;
}
