#include "coordinator/check/check_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/check/check_store.h"
#include "coordinator/check/check_targets.h"
#include "coordinator/check/mail_targets.h"
#include "coordinator/judging/judge.h"
#include "coordinator/judging/reverify_truths.h"
#include "coordinator/truth/trust_anchor.h"
#include "prober/io/observe.h"
#include "coordinator/truth/truth_run.h"
#include "targets/asn_database.h"
#include "targets/domain_list.h"
#include "targets/ioc_list.h"
#include "targets/name_list.h"
#include "targets/opt_out.h"
#include "targets/resolver_catalog.h"

namespace mxsentry {

namespace {

/// Everything read from files before any packet is sent: bad input stops the check early.
struct CheckInputs {
  AnalysisConfig config;
  std::vector<ResolverInfo> resolvers;
  std::unique_ptr<AsnDatabase> asn_db;
  std::unique_ptr<PrefixList> ioc;
  std::vector<std::uint16_t> host_types;
};

CheckInputs read_inputs(const CheckOptions& options, std::ostream& err) {
  CheckInputs in;
  if (!options.thresholds_path.empty()) in.config = load_analysis_config(options.thresholds_path);
  if (options.reask_delay_ms >= 0) in.config.reask_delay_ms = static_cast<std::uint32_t>(options.reask_delay_ms);
  ResolverCatalog catalog = load_resolver_catalog(options.resolvers_path, ResolverListOptions{options.allow_private});
  in.resolvers = std::move(catalog.resolvers);
  // The opt-out lists are honoured before anything else: a listed resolver is never asked.
  OptOut opt_out = OptOut::load(options.opt_out_paths);
  std::size_t opted_out = std::erase_if(in.resolvers, [&](const ResolverInfo& r) { return opt_out.covers(r.address); });
  if (opted_out > 0) err << "mxsentry check: " << opted_out << " resolvers skipped: they opted out\n";
  if (in.resolvers.empty()) throw ListError(options.resolvers_path + ": no resolvers left to ask");
  if (!options.asn_db_path.empty()) in.asn_db = load_asn_database(options.asn_db_path);
  if (!options.ioc_path.empty()) in.ioc = std::make_unique<PrefixList>(load_ioc_list(options.ioc_path));
  in.host_types = parse_type_list(options.types);
  for (const auto& d : options.domains) {
    std::string why;
    if (!parse_domain(d, &why)) throw ListError(why);
  }
  return in;
}

EngineConfig engine_config(const CheckOptions& options) {
  EngineConfig config;
  config.max_in_flight = options.concurrency;
  config.per_resolver_qps = options.per_resolver_qps;
  config.timeout_ms = options.timeout_ms;
  config.retries = options.retries;
  config.linger_ms = options.linger_ms;
  config.udp_sockets = 8;
  return config;
}

void write_human_report(std::ostream& out, const std::vector<DomainTargets>& domains,
                        const std::vector<Verdict>& verdicts, std::size_t resolvers) {
  for (const auto& d : domains) {
    std::vector<const Verdict*> mine;
    for (const auto& v : verdicts) {
      auto owners = domains_of(Question{v.qname, v.qtype}, domains);
      if (std::find(owners.begin(), owners.end(), d.domain) != owners.end()) mine.push_back(&v);
    }
    out << d.domain << "  MX: " << d.mx_hosts.size() << " hosts, NS: " << d.ns_hosts.size() << " hosts; "
        << format_counts(count_verdicts(mine)) << "\n";
    if (!d.error.empty()) out << "  no authoritative answer: " << d.error << "\n";
  }
  std::vector<const Verdict*> all;
  for (const auto& v : verdicts) all.push_back(&v);
  out << "\n" << verdicts.size() << " verdicts over " << resolvers << " resolvers: " << format_counts(count_verdicts(all))
      << "\n";
  std::string table = format_verdict_table(verdicts);
  if (!table.empty()) out << "\n" << table;
}

}  // namespace

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  auto say = [&](const std::string& line) {
    if (options.progress) err << "mxsentry check: " << line << std::endl;
  };
  CheckInputs in;
  try {
    in = read_inputs(options, err);
  } catch (const std::exception& e) {
    err << "mxsentry check: " << e.what() << "\n";
    return 2;
  }
  try {
    dnssec::Validator validator;
    load_trust_anchor(validator, options.trust_anchor);
    TruthOptions truth_options;
    truth_options.root_hints = options.root_hints;
    truth_options.trust_anchor = options.trust_anchor;

    // 1. The domains' MX and NS from their authoritative servers, then their hosts' addresses.
    say("asking the authoritative servers about the MX and NS of " + std::to_string(options.domains.size()) +
        " domains and their hosts' addresses");
    MailTargets targets = find_mail_targets(options.domains, in.host_types, truth_options, validator);
    std::vector<DomainTargets>& domains = targets.domains;
    std::vector<Question>& questions = targets.questions;
    std::map<Question, Truth>& truths = targets.truths;

    // 2. Every resolver asked every question.
    std::vector<Task> tasks;
    for (const auto& q : questions)
      for (const auto& r : in.resolvers) tasks.push_back(Task{r.address, q.qname, q.qtype});
    say("asking " + std::to_string(in.resolvers.size()) + " resolvers " + std::to_string(questions.size()) +
        " questions (" + std::to_string(tasks.size()) + " queries)");
    EngineConfig engine = engine_config(options);
    std::vector<Observation> observations = observe(tasks, engine);

    // 3. Every answer judged against the truth, with the resolvers' own ASes from their tags.
    ResolverAsns resolver_asns = tagged_asns(in.resolvers);
    Judge judge(JudgingInputs{&in.config, &truths, &validator, &resolver_asns, in.asn_db.get(), in.ioc.get()});
    for (const auto& o : observations) judge.add(options.vantage, o);

    // 4. Verification before a final verdict: the authoritative servers again, then the
    //    flagged resolvers again after a delay (a cache counts its TTL down; an injector does not).
    std::set<Question> unmatched_questions = judge.unmatched_questions();
    if (!unmatched_questions.empty()) {
      say("asking the authoritative servers again about " + std::to_string(unmatched_questions.size()) +
          " questions with unmatched answers");
      judge.set_reverified(reverify_truths(truths, unmatched_questions, truth_options, validator));
    }
    std::vector<std::size_t> flagged = judge.flagged();
    if (!flagged.empty() && in.config.reask_delay_ms > 0) {
      say("asking " + std::to_string(flagged.size()) + " flagged answers again in " +
          std::to_string(in.config.reask_delay_ms) + " ms");
      std::this_thread::sleep_for(std::chrono::milliseconds(in.config.reask_delay_ms));
      std::vector<Task> again;
      for (std::size_t i : flagged) again.push_back(Task{observations[i].resolver, observations[i].qname, observations[i].qtype});
      std::vector<Observation> second = observe(again, engine);
      for (std::size_t k = 0; k < flagged.size(); ++k) judge.add_second_answer(flagged[k], second[k]);
    }

    // 5. The final verdicts.
    std::vector<Verdict> verdicts = judge.verdicts();

    if (!options.db_path.empty()) {
      CheckStore store(options.db_path);
      store.save(options.domains, options.vantage, observations, truths, verdicts);
    }
    if (options.json) {
      std::string text;
      for (const auto& v : verdicts) append_verdict_json(text, v);
      out << text << std::flush;
    } else {
      write_human_report(out, domains, verdicts, in.resolvers.size());
      out << std::flush;
    }
    int status = check_exit_status(verdicts);
    if (status == 3)
      err << "mxsentry check: nothing was checked: no answer could be compared with the truth (every verdict is "
             "unknown, unreachable or not-asked)\n";
    return status;
  } catch (const std::exception& e) {
    err << "mxsentry check: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace mxsentry
