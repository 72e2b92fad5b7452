// mxsentry-export-bench-store: a coordinator's file of one sweep with N answered observations,
// written through SweepStore's own API as a sweep would leave it, for tests/bench/export-bench.
// Every task asks one of 20 names (A) at one of N/20 resolvers (documentation addresses only,
// nothing is sent anywhere). One resolver in 20 forges its answers: those results are kept in
// full with a `poisoned` verdict row; the others match the truth and are kept compact, their
// verdicts implied by the sweep's match templates, as a judged sweep keeps them.
//
//   mxsentry-export-bench-store FILE N
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "coordinator/sweep/sweep_plan.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/answer_sets.h"

using namespace mxsentry;

namespace {

constexpr std::uint32_t names = 20;
constexpr std::int64_t started_ms = 1796637600000;  // 2026-12-07T10:00:00Z

std::string resolver_address(std::uint32_t i) {
  // In 198.18.0.0/15 (the benchmarking range), from 198.18.0.1; port 53.
  ++i;
  return "198." + std::to_string(18 + (i >> 16)) + "." + std::to_string((i >> 8) & 0xff) + "." +
         std::to_string(i & 0xff);
}

bool forges(std::uint32_t resolver) { return resolver % 20 == 7; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE N\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const std::uint64_t n = std::strtoull(argv[2], nullptr, 10);
  const std::uint32_t resolvers = static_cast<std::uint32_t>((n + names - 1) / names);
  if (n == 0 || resolvers >= (1u << 17)) {
    std::fprintf(stderr, "N must be between 1 and %u\n", names << 17);
    return 2;
  }

  SweepRequest request;
  request.name = "export-bench";
  for (std::uint32_t r = 0; r < resolvers; ++r) request.resolvers.push_back(resolver_address(r));
  for (std::uint32_t q = 0; q < names; ++q) request.questions.push_back({"mx" + std::to_string(q) + ".plainmail.net.", 1});
  SweepPlan plan = plan_units(request);

  SweepStore store(path);
  SweepSettings settings;
  settings.digest_key = protocol::DigestKey{0x0123456789abcdefull, 0xfedcba9876543210ull};
  const std::uint64_t sweep = store.create_sweep(request.name, "shard", plan, started_ms, settings);
  AnswerSets sets;
  MatchTemplates templates;
  std::vector<std::vector<ResourceRecord>> truth(names);
  std::vector<std::uint64_t> digests(names);
  for (std::uint32_t q = 0; q < names; ++q) {
    const Question& question = request.questions[q];
    truth[q] = {{question.qname, 1, 3600, "198.51.100." + std::to_string(q + 1)}};
    sets[question] = {protocol::AnswerSet{0, truth[q]}};
    digests[q] = protocol::answer_set_digest(settings.digest_key, 0, truth[q]);
    Verdict t;
    t.vantage = "vp1";
    t.resolver = *Endpoint::parse(resolver_address(0));
    t.qname = question.qname;
    t.qtype = 1;
    t.verdict = VerdictClass::consistent;
    t.confidence = 1;
    t.evidence = {Evidence::match};
    t.observed = t.expected = {truth[q][0].rdata};
    t.ttl = t.expected_ttl = 3600;
    t.rcode = 0;
    templates[MatchKey{question.qname, 1, 0}] = MatchTemplate{t, 0};
  }
  store.set_answer_sets(sweep, sets);

  auto space = store.task_space(sweep);
  std::vector<StoredResult> batch;
  std::vector<std::uint64_t> done;
  std::vector<SweepStore::Judgment> forged;  // as the judging keeps them, beside their results
  std::vector<std::pair<Question, ExpectedFacts>> facts;
  std::set<Question> with_facts;
  std::uint64_t written = 0;
  std::int64_t now_ms = started_ms;
  for (const auto& unit : store.open_units(sweep)) {
    UnitPlan as_planned{unit.owner, unit.tasks, unit.range};
    std::uint32_t position = 0;
    for (const auto& task : unit_tasks(*space, as_planned)) {
      if (written == n) break;
      const std::uint32_t q = unit.range.question_index(position), r = unit.range.resolver_index(position);
      ++position;
      Observation o;
      o.resolver = *Endpoint::parse(task.resolver);
      o.qname = task.qname;
      o.qtype = task.qtype;
      o.task_index = task.index;
      o.outcome = Outcome::answer;
      o.rcode = 0;
      o.flags.rd = o.flags.ra = true;
      o.edns = Edns{true, 1232, 0, true};
      o.rtt_ms = 10 + static_cast<double>(r % 90);
      o.time_ms = now_ms += 1;
      o.attempts = 1;
      StoredResult result{unit.id, task.index, "vp1", o};
      if (forges(r)) {
        result.observation.answers = {{task.qname, 1, 86400, "203.0.113." + std::to_string(r % 250 + 1)}};
        Verdict v = templates[MatchKey{task.qname, 1, 0}].verdict;
        v.resolver = o.resolver;
        v.verdict = VerdictClass::poisoned;
        v.evidence = {Evidence::not_in_truth};
        v.observed = {result.observation.answers[0].rdata};
        v.ttl = 86400;
        const ExpectedFacts f = expected_facts(v);
        if (with_facts.insert(Question{task.qname, 1}).second) facts.emplace_back(Question{task.qname, 1}, f);
        forged.push_back(SweepStore::Judgment{unit.id, task.index, stored_judgment(v, "vp1", result.observation, f)});
      } else {
        o.answers = {{task.qname, 1, 3600 - static_cast<std::uint32_t>(r % 3600), truth[q][0].rdata}};
        result.observation = o;
        result.matched = protocol::match_answer(o, settings.digest_key, {digests[q]});
        ++templates[MatchKey{task.qname, 1, 0}].results;
      }
      batch.push_back(std::move(result));
      ++written;
    }
    done.push_back(unit.id);
    if (batch.size() >= 5000) {
      store.write_batch(batch, done);
      batch.clear();
      done.clear();
    }
  }
  store.write_batch(batch, done);
  store.clear_verdicts(sweep);
  for (std::size_t from = 0; from < forged.size(); from += 5000)
    store.add_judgments(sweep, std::span<const SweepStore::Judgment>(forged).subspan(from, std::min<std::size_t>(5000, forged.size() - from)),
                        from == 0 ? facts : std::vector<std::pair<Question, ExpectedFacts>>{});
  store.set_match_templates(sweep, templates);
  store.set_sweep_state(sweep, "complete");
  std::printf("%llu observations (%zu forged, kept in full), %u resolvers, %u names, sweep %llu\n",
              static_cast<unsigned long long>(written), forged.size(), resolvers, names,
              static_cast<unsigned long long>(sweep));
  return written == n ? 0 : 1;
}
