#include "coordinator/truth/truth_run.h"

#include <ctime>
#include <iostream>

#include <uv.h>

#include "coordinator/truth/truth_output.h"
#include "coordinator/truth/trust_anchor.h"
#include "prober/core/random_source.h"
#include "prober/io/uv_query_driver.h"
#include "protocol/dns/dns_wire.h"

namespace mxsentry {

std::vector<Truth> find_truths(const TruthOptions& options) {
  dnssec::Validator validator;
  load_trust_anchor(validator, options.trust_anchor);
  return find_truths(options, validator);
}

std::vector<Truth> find_truths(const TruthOptions& options, dnssec::Validator& validator, const TruthFound& found) {
  std::vector<NameServer> roots = load_root_hints(options.root_hints, options.config.ipv6);
  TruthFinder finder(options.config, std::move(roots), validator,
                     [] { return static_cast<std::uint32_t>(std::time(nullptr)); });
  for (const auto& [name, type] : options.questions) finder.request(name, type);

  EngineConfig engine;
  engine.max_in_flight = 64;
  engine.per_resolver_qps = options.per_server_qps;
  engine.per_resolver_burst = 4;
  engine.timeout_ms = options.timeout_ms;
  engine.retries = options.retries;
  engine.linger_ms = 0;
  engine.udp_sockets = 8;
  SystemRandom random;
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    UvQueryDriver driver(&loop, engine, DriverOptions{}, finder, random,
                         [&finder, &found](Observation&& o) {
                           finder.deliver(std::move(o));
                           if (!found) return;
                           for (const auto& [place, truth] : finder.take_found()) found(place, truth);
                         });
    if (std::string error = driver.start(); !error.empty()) {
      uv_run(&loop, UV_RUN_DEFAULT);
      uv_loop_close(&loop);
      throw std::runtime_error(error);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  uv_loop_close(&loop);
  return finder.take_results();
}

int run_truth(const TruthOptions& options, std::ostream& out, std::ostream& err) {
  // A name no query can carry (an empty label, one over 63 octets) is the user's mistake, not
  // a truth with nothing in it.
  for (const auto& question : options.questions) {
    std::string error;
    if (!wire::name_to_wire(question.first, &error)) {
      err << "mxsentry truth: " << error << "\n";
      return 2;
    }
  }
  std::vector<Truth> truths;
  try {
    truths = find_truths(options);
  } catch (const std::exception& e) {
    err << "mxsentry truth: " << e.what() << "\n";
    return 2;
  }
  std::string text;
  bool all_answered = true;
  for (const auto& t : truths) {
    if (options.json)
      append_truth_json(text, t);
    else
      append_truth_text(text, t);
    if (t.rcode < 0) all_answered = false;
  }
  out << text << std::flush;
  return all_answered ? 0 : 1;
}

}  // namespace mxsentry
