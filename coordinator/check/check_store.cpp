#include "coordinator/check/check_store.h"

#include <chrono>

#include "coordinator/check/check_schema.h"
#include "coordinator/truth/truth_output.h"
#include "prober/core/response_parse.h"
#include "results/observation_json.h"

namespace mxsentry {

namespace {

std::string line_without_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

CheckStore::CheckStore(const std::string& path) : db_(path, check_schema()) {}

std::int64_t CheckStore::save(const std::vector<std::string>& domains, const std::string& vantage,
                              const std::vector<Observation>& observations, const std::map<Question, Truth>& truths,
                              const std::vector<Verdict>& verdicts) {
  Transaction transaction(db_);
  std::string domain_list;
  for (const auto& d : domains) domain_list += (domain_list.empty() ? "" : " ") + d;
  std::int64_t started = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
  Statement check(db_, "INSERT INTO checks (started_ms, vantage, domains) VALUES (?, ?, ?)");
  check.bind(1, started).bind(2, vantage).bind(3, domain_list).run();
  std::int64_t id = db_.last_insert_id();

  Statement obs(db_, "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?)");
  std::string json;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const Observation& o = observations[i];
    json.clear();
    append_observation_json(json, o);
    obs.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, o.resolver.to_string()).bind(4, o.qname)
        .bind(5, rr_type_name(o.qtype)).bind(6, line_without_newline(json)).run();
  }
  Statement truth(db_, "INSERT INTO truths VALUES (?, ?, ?, ?)");
  for (const auto& [q, t] : truths) {
    json.clear();
    append_truth_json(json, t);
    truth.bind(1, id).bind(2, q.qname).bind(3, rr_type_name(q.qtype)).bind(4, line_without_newline(json)).run();
  }
  check_verdicts().insert(db_, id, verdicts);
  transaction.commit();
  return id;
}

std::vector<std::string> CheckStore::verdict_lines(std::int64_t check) { return check_verdicts().lines(db_, check); }

}  // namespace mxsentry
