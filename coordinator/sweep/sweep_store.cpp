#include "coordinator/sweep/sweep_store.h"

#include <map>
#include <optional>
#include <stdexcept>

#include "coordinator/sweep/sweep_schema.h"
#include "protocol/dns/codes.h"
#include "protocol/message_codec.h"
#include "protocol/stored_matched.h"
#include "results/record_json.h"

namespace mxsentry {

SweepStore::SweepStore(const std::string& path) : db_(path, sweep_schema()) {}

std::uint64_t SweepStore::create_sweep(const std::string& name, const std::string& assignment, const SweepPlan& plan,
                                       std::int64_t now_ms, const SweepSettings& settings) {
  Transaction transaction(db_);
  Statement sweep(db_,
                  "INSERT INTO sweeps (name, assignment, created_ms, per_resolver_qps, timeout_ms, retries, deadline_ms, "
                  "priority, probers, digest_k0, digest_k1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sweep.bind(1, name).bind(2, assignment).bind(3, now_ms).bind(4, settings.per_resolver_qps)
      .bind(5, std::int64_t{settings.timeout_ms}).bind(6, std::int64_t{settings.retries})
      .bind(7, settings.deadline_ms).bind(8, std::int64_t{settings.priority}).bind(9, settings.probers)
      .bind(10, static_cast<std::int64_t>(settings.digest_key.k0)).bind(11, static_cast<std::int64_t>(settings.digest_key.k1))
      .run();
  auto sweep_id = static_cast<std::uint64_t>(db_.last_insert_id());
  const auto id = static_cast<std::int64_t>(sweep_id);
  Statement resolver(db_, "INSERT INTO sweep_resolvers (sweep_id, idx, address) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < plan.space.resolvers.size(); ++i)
    resolver.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, plan.space.resolvers[i]).run();
  Statement question(db_, "INSERT INTO sweep_questions (sweep_id, idx, qname, qtype) VALUES (?, ?, ?, ?)");
  for (std::size_t i = 0; i < plan.space.questions.size(); ++i)
    question.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, plan.space.questions[i].qname)
        .bind(4, std::int64_t{plan.space.questions[i].qtype}).run();
  insert_units(sweep_id, plan.units, false);
  transaction.commit();
  return sweep_id;
}

std::shared_ptr<TaskSpace> SweepStore::task_space(std::uint64_t sweep) {
  std::vector<std::string> resolvers;
  // A gap in the indices (a damaged file) would shift every later task to the wrong input.
  auto damaged = [sweep](const char* what) {
    return std::runtime_error("sweep " + std::to_string(sweep) + ": its stored " + what + " have gaps");
  };
  Statement r(db_, "SELECT idx, address FROM sweep_resolvers WHERE sweep_id = ? ORDER BY idx");
  r.bind(1, static_cast<std::int64_t>(sweep));
  while (r.step()) {
    if (r.integer(0) != static_cast<std::int64_t>(resolvers.size())) throw damaged("resolvers");
    resolvers.push_back(r.text(1));
  }
  std::vector<Question> questions;
  Statement q(db_, "SELECT idx, qname, qtype FROM sweep_questions WHERE sweep_id = ? ORDER BY idx");
  q.bind(1, static_cast<std::int64_t>(sweep));
  while (q.step()) {
    if (q.integer(0) != static_cast<std::int64_t>(questions.size())) throw damaged("questions");
    questions.push_back(Question{q.text(1), static_cast<std::uint16_t>(q.integer(2))});
  }
  return std::make_shared<TaskSpace>(std::move(resolvers), std::move(questions));
}

void SweepStore::insert_units(std::uint64_t sweep, const std::vector<UnitPlan>& units, bool reask) {
  Statement unit(db_, "INSERT INTO units (sweep_id, owner, reask, resolver_first, resolver_count, task_first, task_count) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  Statement task(db_, "INSERT INTO tasks VALUES (?, ?, ?, ?, ?)");
  for (const auto& plan : units) {
    unit.bind(1, static_cast<std::int64_t>(sweep));
    if (plan.owner)
      unit.bind(2, *plan.owner);
    else
      unit.bind_null(2);
    unit.bind(3, std::int64_t{reask}).bind(4, std::int64_t{plan.range.resolver_first})
        .bind(5, std::int64_t{plan.range.resolver_count}).bind(6, static_cast<std::int64_t>(plan.range.task_first))
        .bind(7, std::int64_t{plan.task_count()}).run();
    auto unit_id = db_.last_insert_id();
    if (plan.range.resolver_count > 0) continue;
    for (const auto& t : plan.tasks)
      task.bind(1, unit_id).bind(2, std::int64_t{t.index}).bind(3, t.resolver).bind(4, t.qname)
          .bind(5, std::int64_t{t.qtype}).run();
  }
}

void SweepStore::add_reask_units(std::uint64_t sweep, const std::vector<UnitPlan>& units) {
  Transaction transaction(db_);
  insert_units(sweep, units, true);
  transaction.commit();
}

bool SweepStore::has_reask_units(std::uint64_t sweep) {
  Statement query(db_, "SELECT 1 FROM units WHERE sweep_id = ? AND reask = 1 LIMIT 1");
  query.bind(1, static_cast<std::int64_t>(sweep));
  bool found = false;
  while (query.step()) found = true;
  return found;
}

std::size_t SweepStore::add_results(const std::vector<StoredResult>& results) { return write_batch(results, {}); }

std::size_t SweepStore::write_batch(const std::vector<StoredResult>& results,
                                    const std::vector<std::uint64_t>& done_units) {
  Transaction transaction(db_);
  Statement insert(db_, "INSERT OR IGNORE INTO results (unit_id, idx, vantage, observation, not_asked, compact) "
                       "VALUES (?, ?, ?, ?, ?, ?)");
  // A compact result's time is kept as a difference from its sweep's start.
  Statement started(db_, "SELECT s.created_ms FROM units u JOIN sweeps s ON s.id = u.sweep_id WHERE u.id = ?");
  std::map<std::uint64_t, std::int64_t> base_of_unit;
  auto base_ms = [&](std::uint64_t unit) {
    auto [it, fresh] = base_of_unit.try_emplace(unit, 0);
    if (fresh) {
      started.bind(1, static_cast<std::int64_t>(unit));
      while (started.step()) it->second = started.integer(0);
    }
    return it->second;
  };
  std::size_t added = 0;
  std::map<std::uint64_t, std::size_t> added_to_unit;  ///< units.results grows with each batch
  for (const auto& r : results) {
    std::optional<std::string> stored;
    if (r.matched) stored = protocol::encode_stored_matched(*r.matched, base_ms(r.unit));
    const CompactForm form = stored ? CompactForm::stored : r.matched ? CompactForm::wire : CompactForm::full;
    if (!stored) stored = r.matched ? protocol::encode_matched(*r.matched) : protocol::encode_observation(r.observation);
    insert.bind(1, static_cast<std::int64_t>(r.unit)).bind(2, std::int64_t{r.task}).bind(3, r.vantage)
        .bind_blob(4, *stored).bind(6, static_cast<std::int64_t>(form));
    if (r.observation.not_asked)
      insert.bind(5, std::string_view(to_string(*r.observation.not_asked)));
    else
      insert.bind_null(5);
    insert.run();
    if (db_.changes() == 0) continue;  // the task had its result already
    ++added;
    ++added_to_unit[r.unit];
  }
  Statement count(db_, "UPDATE units SET results = results + ? WHERE id = ?");
  for (const auto& [unit, n] : added_to_unit)
    count.bind(1, static_cast<std::int64_t>(n)).bind(2, static_cast<std::int64_t>(unit)).run();
  Statement done(db_, "UPDATE units SET done = 1 WHERE id = ?");
  for (auto unit : done_units) done.bind(1, static_cast<std::int64_t>(unit)).run();
  transaction.commit();
  return added;
}

void SweepStore::mark_unit_done(std::uint64_t unit) {
  Statement done(db_, "UPDATE units SET done = 1 WHERE id = ?");
  done.bind(1, static_cast<std::int64_t>(unit)).run();
}

void SweepStore::set_resolver_asns(std::uint64_t sweep, const std::map<std::string, std::uint32_t>& asns) {
  Transaction transaction(db_);
  Statement insert(db_, "INSERT OR REPLACE INTO sweep_resolver_asns (sweep_id, resolver, asn) VALUES (?, ?, ?)");
  for (const auto& [resolver, asn] : asns)
    insert.bind(1, static_cast<std::int64_t>(sweep)).bind(2, resolver).bind(3, std::int64_t{asn}).run();
  transaction.commit();
}

std::map<std::string, std::uint32_t> SweepStore::resolver_asns(std::uint64_t sweep) {
  std::map<std::string, std::uint32_t> asns;
  Statement select(db_, "SELECT resolver, asn FROM sweep_resolver_asns WHERE sweep_id = ?");
  select.bind(1, static_cast<std::int64_t>(sweep));
  while (select.step()) asns.emplace(select.text(0), static_cast<std::uint32_t>(select.integer(1)));
  return asns;
}

void SweepStore::set_sweep_state(std::uint64_t sweep, const std::string& state) {
  Statement update(db_, "UPDATE sweeps SET state = ? WHERE id = ?");
  update.bind(1, state).bind(2, static_cast<std::int64_t>(sweep)).run();
}

std::vector<StoredUnit> SweepStore::open_units(std::optional<std::uint64_t> sweep) {
  // One sweep's (a sweep just planned) or every running sweep's (a restart).
  const std::string only = sweep ? " AND u.sweep_id = " + std::to_string(*sweep) : "";
  const std::string open = " JOIN units u ON u.id = t.unit_id JOIN sweeps s ON s.id = u.sweep_id "
                           "WHERE s.state = 'running' AND u.done = 0" + only;
  std::vector<StoredUnit> out;
  std::map<std::uint64_t, std::size_t> at;
  Statement units(db_, ("SELECT u.id, u.sweep_id, u.owner, u.reask, u.resolver_first, u.resolver_count, u.task_first, "
                        "u.task_count FROM units u JOIN sweeps s ON s.id = u.sweep_id "
                        "WHERE s.state = 'running' AND u.done = 0" + only + " ORDER BY u.id").c_str());
  while (units.step()) {
    StoredUnit u;
    u.id = static_cast<std::uint64_t>(units.integer(0));
    u.sweep = static_cast<std::uint64_t>(units.integer(1));
    if (!units.is_null(2)) u.owner = units.text(2);
    u.reask = units.integer(3) != 0;
    u.range = TaskRange{static_cast<std::uint32_t>(units.integer(4)), static_cast<std::uint32_t>(units.integer(5)),
                        static_cast<std::uint64_t>(units.integer(6)), static_cast<std::uint32_t>(units.integer(7))};
    at[u.id] = out.size();
    out.push_back(std::move(u));
  }
  // Listed tasks (re-ask units, units of sweeps planned before ranges).
  Statement tasks(db_, ("SELECT t.unit_id, t.idx, t.resolver, t.qname, t.qtype FROM tasks t" + open +
                        " ORDER BY t.unit_id, t.idx").c_str());
  while (tasks.step()) {
    auto it = at.find(static_cast<std::uint64_t>(tasks.integer(0)));
    if (it == at.end()) continue;
    out[it->second].tasks.push_back(protocol::WorkTask{static_cast<std::uint32_t>(tasks.integer(1)), tasks.text(2),
                                                      tasks.text(3), static_cast<std::uint16_t>(tasks.integer(4))});
  }
  Statement done(db_, ("SELECT t.unit_id, t.idx FROM results t" + open + " ORDER BY t.unit_id, t.idx").c_str());
  while (done.step()) {
    auto it = at.find(static_cast<std::uint64_t>(done.integer(0)));
    if (it != at.end()) out[it->second].tasks_done.push_back(static_cast<std::uint32_t>(done.integer(1)));
  }
  return out;
}

namespace {

const char* sweep_query =
    "SELECT s.id, s.name, s.assignment, s.state, s.created_ms, s.per_resolver_qps, s.timeout_ms, s.retries, "
    "s.deadline_ms, s.priority, s.probers, s.digest_k0, s.digest_k1, "
    // The measurement's own units, tasks and results; the re-asked ones are counted apart.
    "(SELECT count(*) FROM units u WHERE u.sweep_id = s.id AND u.reask = 0), "
    "(SELECT count(*) FROM units u WHERE u.sweep_id = s.id AND u.reask = 0 AND u.done = 1), "
    "(SELECT coalesce(sum(u.task_count), 0) FROM units u WHERE u.sweep_id = s.id AND u.reask = 0), "
    // Each unit counts its results (schema version 8): a status request sums the units, it
    // does not count the results' rows (a second for a few million on the service's thread).
    "(SELECT coalesce(sum(u.results), 0) FROM units u WHERE u.sweep_id = s.id AND u.reask = 0), "
    "(SELECT coalesce(sum(u.results), 0) FROM units u WHERE u.sweep_id = s.id AND u.reask = 1) "
    "FROM sweeps s";

StoredSweep read_sweep(const Statement& row) {
  StoredSweep s;
  s.id = static_cast<std::uint64_t>(row.integer(0));
  s.name = row.text(1);
  s.assignment = row.text(2);
  s.state = row.text(3);
  s.created_ms = row.integer(4);
  s.settings.per_resolver_qps = row.real(5);
  s.settings.timeout_ms = static_cast<std::uint32_t>(row.integer(6));
  s.settings.retries = static_cast<std::uint32_t>(row.integer(7));
  s.settings.deadline_ms = row.integer(8);
  s.settings.priority = static_cast<int>(row.integer(9));
  s.settings.probers = row.text(10);
  s.settings.digest_key.k0 = static_cast<std::uint64_t>(row.integer(11));
  s.settings.digest_key.k1 = static_cast<std::uint64_t>(row.integer(12));
  s.units = static_cast<std::uint64_t>(row.integer(13));
  s.units_done = static_cast<std::uint64_t>(row.integer(14));
  s.tasks = static_cast<std::uint64_t>(row.integer(15));
  s.results = static_cast<std::uint64_t>(row.integer(16));
  s.reasked = static_cast<std::uint64_t>(row.integer(17));
  return s;
}

}  // namespace

std::optional<StoredSweep> SweepStore::sweep(std::uint64_t id) {
  Statement query(db_, (std::string(sweep_query) + " WHERE s.id = ?").c_str());
  query.bind(1, static_cast<std::int64_t>(id));
  std::optional<StoredSweep> out;
  while (query.step()) out = read_sweep(query);
  if (out) out->not_asked = not_asked_counts(out->id);
  return out;
}

std::vector<StoredSweep> SweepStore::sweeps() {
  Statement query(db_, (std::string(sweep_query) + " ORDER BY s.id").c_str());
  std::vector<StoredSweep> out;
  while (query.step()) out.push_back(read_sweep(query));
  for (auto& s : out) s.not_asked = not_asked_counts(s.id);
  return out;
}

std::map<std::string, std::uint64_t> SweepStore::not_asked_counts(std::uint64_t sweep) {
  // The measurement's own results, as `results` counts them.
  Statement query(db_, "SELECT r.not_asked, count(*) FROM results r JOIN units u ON u.id = r.unit_id "
                       "WHERE u.sweep_id = ? AND u.reask = 0 AND r.not_asked IS NOT NULL GROUP BY r.not_asked");
  query.bind(1, static_cast<std::int64_t>(sweep));
  std::map<std::string, std::uint64_t> out;
  while (query.step()) out[query.text(0)] = static_cast<std::uint64_t>(query.integer(1));
  return out;
}

void SweepStore::set_answer_sets(std::uint64_t sweep, const AnswerSets& sets) {
  Transaction transaction(db_);
  Statement clear(db_, "DELETE FROM sweep_answers WHERE sweep_id = ?");
  clear.bind(1, static_cast<std::int64_t>(sweep)).run();
  Statement insert(db_, "INSERT INTO sweep_answers VALUES (?, ?, ?, ?, ?, ?)");
  std::string records;
  for (const auto& [question, list] : sets)
    for (std::size_t i = 0; i < list.size(); ++i) {
      records.clear();
      append_records_json(records, list[i].records);
      insert.bind(1, static_cast<std::int64_t>(sweep)).bind(2, question.qname).bind(3, std::int64_t{question.qtype})
          .bind(4, static_cast<std::int64_t>(i)).bind(5, std::int64_t{list[i].rcode}).bind(6, records).run();
    }
  transaction.commit();
}

AnswerSets SweepStore::answer_sets(std::uint64_t sweep) {
  Statement query(db_,
                  "SELECT qname, qtype, rcode, records FROM sweep_answers WHERE sweep_id = ? ORDER BY qname, qtype, idx");
  query.bind(1, static_cast<std::int64_t>(sweep));
  AnswerSets out;
  while (query.step()) {
    protocol::AnswerSet set;
    set.rcode = static_cast<int>(query.integer(2));
    set.records = parse_records_json(query.text(3));
    out[Question{query.text(0), static_cast<std::uint16_t>(query.integer(1))}].push_back(std::move(set));
  }
  return out;
}

std::optional<std::int64_t> SweepStore::last_started_ms(const std::string& name) {
  Statement query(db_, "SELECT created_ms FROM sweeps WHERE name = ? ORDER BY id DESC LIMIT 1");
  query.bind(1, name);
  std::optional<std::int64_t> out;
  while (query.step()) out = query.integer(0);
  return out;
}

std::vector<StoredResult> SweepStore::results(std::uint64_t sweep) {
  std::vector<StoredResult> out;
  for_each_result(sweep, [&](StoredResult&& r) { out.push_back(std::move(r)); });
  return out;
}

void SweepStore::for_each_result(std::uint64_t sweep, const std::function<void(StoredResult&&)>& visit) {
  visit_results(sweep, false, visit);
}

void SweepStore::for_each_full_result(std::uint64_t sweep, const std::function<void(StoredResult&&)>& visit) {
  visit_results(sweep, true, visit);
}

void SweepStore::visit_results(std::uint64_t sweep, bool full_only, const std::function<void(StoredResult&&)>& visit) {
  visit_results_where(sweep, ResultFilter{full_only}, [&](StoredResult&& r, const StoredJudgment*) { visit(std::move(r)); });
}

void SweepStore::for_each_reask_result(std::uint64_t sweep, const std::function<void(StoredResult&&)>& visit) {
  visit_results_where(sweep, ResultFilter{false, true}, [&](StoredResult&& r, const StoredJudgment*) { visit(std::move(r)); });
}

void SweepStore::visit_results_where(std::uint64_t sweep, const ResultFilter& filter,
                                     const std::function<void(StoredResult&&, const StoredJudgment*)>& visit) {
  const bool full_only = filter.full_only, judgments = filter.judgments;
  const std::set<VerdictClass>* classes = filter.classes;
  // Compact results are rebuilt from the task they answer and the sweep's answer sets, which
  // are read (once) when the first one comes; a task of a range from the sweep's inputs.
  std::optional<AnswerSets> sets;
  std::shared_ptr<TaskSpace> space;
  protocol::DigestKey key{};
  std::int64_t base_ms = 0;
  auto sets_of = [&](const Question& asked) -> const std::vector<protocol::AnswerSet>& {
    if (!sets) {
      sets = answer_sets(sweep);
      if (auto s = this->sweep(sweep)) key = s->settings.digest_key, base_ms = s->created_ms;
    }
    auto question = sets->find(asked);
    if (question == sets->end())
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": a stored compact result names no answer set");
    return question->second;
  };
  // Each answer set put in digest order once, not once per result that names it.
  std::map<const protocol::AnswerSet*, protocol::OrderedAnswerSet> ordered;
  auto rebuild = [&](StoredResult& r, CompactForm form, std::string_view blob, const Question& question,
                     std::uint32_t index, const std::optional<Endpoint>& resolver) {
    const auto& list = sets_of(question);
    auto set_size = [&](std::uint32_t i) { return i < list.size() ? list[i].records.size() : 0; };
    r.matched = form == CompactForm::stored ? protocol::decode_stored_matched(blob, index, base_ms, set_size)
                                            : protocol::decode_matched(blob);
    if (!resolver || r.matched->answer_set >= list.size())
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": a stored compact result names no answer set");
    const protocol::AnswerSet& set = list[r.matched->answer_set];
    auto [at, fresh] = ordered.try_emplace(&set);
    if (fresh) at->second = protocol::order_answer_set(set, key);
    r.observation = protocol::rebuild_observation(*r.matched, question.qname, question.qtype, *resolver, at->second);
  };
  auto rebuild_of_range = [&](StoredResult& r, CompactForm form, std::string_view blob, const TaskRange& range) {
    if (!space) space = task_space(sweep);
    if (!range_fits(*space, range) || r.task >= range.task_count)
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": a stored unit's range is outside its inputs");
    // The range's resolver parsed once with the sweep's inputs, not from its text per result.
    rebuild(r, form, blob, space->questions[range.question_index(r.task)], r.task,
            space->endpoints[range.resolver_index(r.task)]);
  };
  const std::string columns =
      "SELECT r.unit_id, r.idx, r.vantage, r.observation, u.reask, r.compact, t.resolver, t.qname, t.qtype, "
      "u.resolver_first, u.resolver_count, u.task_first, u.task_count";
  const std::string tasks = "LEFT JOIN tasks t ON u.resolver_count = 0 AND t.unit_id = r.unit_id AND t.idx = r.idx ";
  std::string sql;
  if (classes) {
    // Only the judged results of some classes, from the class index, each result by its key;
    // and the re-ask results, which take the verdict of the answer they asked again.
    std::string in;
    for (VerdictClass c : *classes) in += (in.empty() ? "" : ",") + std::to_string(static_cast<int>(c));
    sql = columns + ", j.verdict, j.confidence, j.evidence, j.overrides FROM sweep_judgments j "
          "JOIN results r ON r.unit_id = j.unit_id AND r.idx = j.idx JOIN units u ON u.id = r.unit_id " + tasks +
          "WHERE j.sweep_id = ?1 AND j.verdict IN (" + in + ") AND (?2 = 0 OR r.compact = 0) UNION ALL " + columns +
          ", NULL, NULL, NULL, NULL FROM results r JOIN units u ON u.id = r.unit_id " + tasks +
          "WHERE u.sweep_id = ?1 AND u.reask = 1 AND (?2 = 0 OR r.compact = 0) ORDER BY 1, 2";
  } else {
    sql = columns + (judgments ? ", j.verdict, j.confidence, j.evidence, j.overrides " : " ") +
          "FROM results r JOIN units u ON u.id = r.unit_id " + tasks;
    if (judgments) sql += "LEFT JOIN sweep_judgments j ON j.sweep_id = ?1 AND j.unit_id = r.unit_id AND j.idx = r.idx ";
    sql += std::string("WHERE u.sweep_id = ?1 AND (?2 = 0 OR r.compact = 0) ") + (filter.reask_only ? "AND u.reask = 1 " : "") +
           "ORDER BY r.unit_id, r.idx";
  }
  Statement query(db_, sql.c_str());
  query.bind(1, static_cast<std::int64_t>(sweep)).bind(2, std::int64_t{full_only ? 1 : 0});
  const bool joined = classes || judgments;
  StoredJudgment judgment;
  while (query.step()) {
    StoredResult r;
    r.unit = static_cast<std::uint64_t>(query.integer(0));
    r.task = static_cast<std::uint32_t>(query.integer(1));
    r.vantage = query.text(2);
    r.reask = query.integer(4) != 0;
    const TaskRange range{static_cast<std::uint32_t>(query.integer(9)), static_cast<std::uint32_t>(query.integer(10)),
                          static_cast<std::uint64_t>(query.integer(11)), static_cast<std::uint32_t>(query.integer(12))};
    const auto form = static_cast<CompactForm>(query.integer(5));
    if (form == CompactForm::full) {
      r.observation = protocol::decode_observation(query.blob(3));
    } else if (form != CompactForm::wire && form != CompactForm::stored) {
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": a stored result of an unknown form");
    } else if (range.resolver_count > 0) {
      rebuild_of_range(r, form, query.blob(3), range);
    } else if (!query.is_null(6)) {
      rebuild(r, form, query.blob(3), Question{query.text(7), static_cast<std::uint16_t>(query.integer(8))}, r.task,
              Endpoint::parse(query.text(6)));
    } else {
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": a stored compact result without its task");
    }
    const bool judged = joined && !query.is_null(13);
    if (judged) {
      const std::int64_t code = query.integer(13);  // a number outside the classes stays one (stored_verdict refuses it)
      judgment.verdict = static_cast<VerdictClass>(code >= 0 && code <= 255 ? code : -1);
      judgment.confidence_millis = query.integer(14);
      judgment.evidence = query.blob(15);
      judgment.overrides = query.is_null(16) ? "" : query.text(16);
    }
    visit(std::move(r), judged ? &judgment : nullptr);
  }
}

std::vector<std::pair<std::string, std::uint16_t>> SweepStore::questions(std::uint64_t sweep) {
  Statement query(db_,
                  "SELECT qname, qtype FROM sweep_questions WHERE sweep_id = ?1 UNION "
                  "SELECT t.qname, t.qtype FROM tasks t JOIN units u ON u.id = t.unit_id "
                  "WHERE u.sweep_id = ?1 ORDER BY 1, 2");
  query.bind(1, static_cast<std::int64_t>(sweep));
  std::vector<std::pair<std::string, std::uint16_t>> out;
  while (query.step()) out.emplace_back(query.text(0), static_cast<std::uint16_t>(query.integer(1)));
  return out;
}

}  // namespace mxsentry
