// The sweep store's verdicts (sweep_store.h): rows of their own (sweeps judged before schema
// version 9, set_verdicts), judgments beside their results with each question's expected facts
// (stored_judgment.h), and the templates of plain matches (match_verdicts.h); and every
// result read back with its verdict.
#include <map>
#include <optional>
#include <stdexcept>

#include "coordinator/analysis/verdict_output.h"
#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/sweep/sweep_schema.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/dns/codes.h"
#include "protocol/dns/names.h"

namespace mxsentry {

void SweepStore::set_verdicts(std::uint64_t sweep, const std::vector<Verdict>& verdicts) {
  Transaction transaction(db_);
  forget_verdicts(sweep);
  sweep_verdicts().insert(db_, static_cast<std::int64_t>(sweep), verdicts);
  transaction.commit();
}

void SweepStore::clear_verdicts(std::uint64_t sweep) {
  Transaction transaction(db_);
  forget_verdicts(sweep);
  transaction.commit();
}

void SweepStore::forget_verdicts(std::uint64_t sweep) {
  const auto id = static_cast<std::int64_t>(sweep);
  sweep_verdicts().erase(db_, id);
  Statement(db_, "DELETE FROM sweep_judgments WHERE sweep_id = ?").bind(1, id).run();
  Statement(db_, "DELETE FROM sweep_expected WHERE sweep_id = ?").bind(1, id).run();
  forget_match_templates(sweep);
}

void SweepStore::add_judgments(std::uint64_t sweep, std::span<const Judgment> judgments,
                               const std::vector<std::pair<Question, ExpectedFacts>>& new_facts) {
  const auto id = static_cast<std::int64_t>(sweep);
  Transaction transaction(db_);
  Statement facts(db_, "INSERT OR REPLACE INTO sweep_expected VALUES (?, ?, ?, ?)");
  for (const auto& [question, f] : new_facts)
    facts.bind(1, id).bind(2, question.qname).bind(3, std::int64_t{question.qtype}).bind(4, expected_facts_json(f)).run();
  Statement insert(db_, "INSERT OR REPLACE INTO sweep_judgments VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const auto& j : judgments) {
    insert.bind(1, id).bind(2, static_cast<std::int64_t>(j.unit)).bind(3, std::int64_t{j.task})
        .bind(4, static_cast<std::int64_t>(j.judgment.verdict)).bind(5, j.judgment.confidence_millis)
        .bind_blob(6, j.judgment.evidence);
    if (j.judgment.overrides.empty())
      insert.bind_null(7);
    else
      insert.bind(7, j.judgment.overrides);
    insert.run();
  }
  transaction.commit();
}

std::map<Question, ExpectedFacts> SweepStore::expected_facts(std::uint64_t sweep) {
  Statement query(db_, "SELECT qname, qtype, facts FROM sweep_expected WHERE sweep_id = ?");
  query.bind(1, static_cast<std::int64_t>(sweep));
  std::map<Question, ExpectedFacts> out;
  while (query.step()) {
    try {
      out.emplace(Question{query.text(0), static_cast<std::uint16_t>(query.integer(1))},
                  parse_expected_facts(query.text(2)));
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": the stored facts of " + query.text(0) + ": " +
                               e.what());
    }
  }
  return out;
}

bool SweepStore::has_verdict_rows(std::uint64_t sweep) {
  Statement query(db_, "SELECT 1 FROM sweep_verdicts WHERE sweep_id = ? LIMIT 1");
  query.bind(1, static_cast<std::int64_t>(sweep));
  return query.step();
}

void SweepStore::add_verdicts(std::uint64_t sweep, std::span<const Verdict> verdicts) {
  Transaction transaction(db_);
  sweep_verdicts().insert(db_, static_cast<std::int64_t>(sweep), verdicts);
  transaction.commit();
}

void SweepStore::forget_match_templates(std::uint64_t sweep) {
  Statement(db_, "DELETE FROM sweep_match_verdicts WHERE sweep_id = ?").bind(1, static_cast<std::int64_t>(sweep)).run();
}

void SweepStore::set_match_templates(std::uint64_t sweep, const MatchTemplates& templates) {
  Transaction transaction(db_);
  forget_match_templates(sweep);
  Statement insert(db_, "INSERT INTO sweep_match_verdicts VALUES (?, ?, ?, ?, ?, ?)");
  for (const auto& [key, t] : templates) {
    insert.bind(1, static_cast<std::int64_t>(sweep)).bind(2, key.qname).bind(3, std::int64_t{key.qtype})
        .bind(4, std::int64_t{key.answer_set}).bind(5, verdict_json_line(t.verdict)).bind(6, static_cast<std::int64_t>(t.results)).run();
  }
  transaction.commit();
}

MatchTemplates SweepStore::match_templates(std::uint64_t sweep) {
  Statement query(db_, "SELECT qname, qtype, answer_set, json, results FROM sweep_match_verdicts WHERE sweep_id = ?");
  query.bind(1, static_cast<std::int64_t>(sweep));
  MatchTemplates out;
  while (query.step())
    out.emplace(MatchKey{query.text(0), static_cast<std::uint16_t>(query.integer(1)),
                         static_cast<std::uint32_t>(query.integer(2))},
                MatchTemplate{parse_verdict_json(query.text(3)), static_cast<std::uint64_t>(query.integer(4))});
  return out;
}

std::map<std::string, std::uint64_t> SweepStore::verdict_counts(std::uint64_t sweep) {
  const auto id = static_cast<std::int64_t>(sweep);
  std::map<std::string, std::uint64_t> out;
  Statement rows(db_, "SELECT verdict, count(*) FROM sweep_verdicts WHERE sweep_id = ? GROUP BY verdict");
  rows.bind(1, id);
  while (rows.step()) out[rows.text(0)] += static_cast<std::uint64_t>(rows.integer(1));
  Statement judged(db_, "SELECT verdict, count(*) FROM sweep_judgments WHERE sweep_id = ? GROUP BY verdict");
  judged.bind(1, id);
  while (judged.step()) {
    const std::int64_t code = judged.integer(0);
    if (code < 0 || code > static_cast<std::int64_t>(VerdictClass::not_asked))
      throw std::runtime_error("sweep " + std::to_string(sweep) + ": a stored verdict of class " + std::to_string(code) +
                               ", which names none");
    out[to_string(static_cast<VerdictClass>(code))] += static_cast<std::uint64_t>(judged.integer(1));
  }
  Statement implied(db_, "SELECT sum(results) FROM sweep_match_verdicts WHERE sweep_id = ?");
  implied.bind(1, id);
  while (implied.step())
    if (!implied.is_null(0) && implied.integer(0) > 0)
      out[std::string(to_string(VerdictClass::consistent))] += static_cast<std::uint64_t>(implied.integer(0));
  return out;
}

void SweepStore::for_each_verdict_line(std::uint64_t sweep, const std::function<void(const std::string&)>& visit) {
  for_each_verdict(sweep, visit, [&](const Verdict& v) { visit(verdict_json_line(v)); });
}

void SweepStore::for_each_verdict(std::uint64_t sweep, const std::function<void(const std::string&)>& row,
                                  const std::function<void(const Verdict&)>& rebuilt) {
  const bool rows = has_verdict_rows(sweep);
  if (rows) {
    Statement query(db_, "SELECT json FROM sweep_verdicts WHERE sweep_id = ? ORDER BY resolver, qname, qtype, vantage");
    query.bind(1, static_cast<std::int64_t>(sweep));
    while (query.step()) row(query.text(0));
  }
  // A result with a row of its own was listed above; a re-ask result is no verdict of its own.
  for_each_result_verdict(sweep, nullptr, rows, [&](StoredResult&& r, const Verdict* v, bool from_row) {
    if (v && !r.reask && !from_row) rebuilt(*v);
  });
}

void SweepStore::for_each_judged_result(std::uint64_t sweep, const std::set<VerdictClass>& classes,
                                        const std::function<void(StoredResult&&, const Verdict*)>& visit) {
  const bool rows = has_verdict_rows(sweep);
  // Only the class index can be read when no other source could give a selected class.
  const bool indexed = !classes.empty() && !rows && !classes.count(VerdictClass::consistent);
  for_each_result_verdict(sweep, indexed ? &classes : nullptr, rows, [&](StoredResult&& r, const Verdict* v, bool) {
    if (!classes.empty() && (!v || !classes.count(v->verdict))) return;
    visit(std::move(r), v);
  });
}

void SweepStore::for_each_result_verdict(
    std::uint64_t sweep, const std::set<VerdictClass>* classes, bool rows,
    const std::function<void(StoredResult&&, const Verdict*, bool from_row)>& visit) {
  const auto id = static_cast<std::int64_t>(sweep);
  const std::map<Question, ExpectedFacts> facts = expected_facts(sweep);
  const MatchTemplates templates = match_templates(sweep);
  std::optional<Statement> by_key;
  if (rows)
    by_key.emplace(db_, "SELECT json FROM sweep_verdicts WHERE sweep_id = ? AND vantage = ? AND resolver = ? "
                        "AND qname = ? AND qtype = ?");
  // A re-ask result has the verdict of the answer it asked again: flagged, and listed before it
  // (re-ask units are made after the first judging, so their ids are higher). Asked by the
  // vantage that saw it, or by another one in its place (that vantage gone): then the first
  // flagged answer of that resolver and question.
  std::map<std::string, Verdict> flagged;
  auto question_key = [](const Observation& o) {
    return o.resolver.to_string() + '\0' + canonical_name(o.qname) + '\0' + std::to_string(o.qtype);
  };
  static const ExpectedFacts no_facts;
  Verdict verdict;
  visit_results_where(sweep, ResultFilter{false, false, classes, true}, [&](StoredResult&& r, const StoredJudgment* j) {
    const Observation& o = r.observation;
    bool found = false, from_row = false;
    if (r.reask) {
      auto it = flagged.find(r.vantage + '\0' + question_key(o));
      if (it == flagged.end()) it = flagged.find(question_key(o));
      if (it != flagged.end()) verdict = it->second, found = true;
    } else if (j) {
      auto f = facts.find(Question{canonical_name(o.qname), o.qtype});
      try {
        verdict = stored_verdict(*j, r.vantage, o, f == facts.end() ? no_facts : f->second);
      } catch (const std::invalid_argument& e) {
        throw std::runtime_error("sweep " + std::to_string(sweep) + ": the stored verdict of unit " +
                                 std::to_string(r.unit) + " task " + std::to_string(r.task) + ": " + e.what());
      }
      found = true;
    }
    // A row of its own before the template: in files judged before version 9, a compact
    // result judged more than a plain match has a row, and its answer set may have a template.
    if (!found && !r.reask && by_key) {
      by_key->bind(1, id).bind(2, r.vantage).bind(3, o.resolver.to_string()).bind(4, o.qname)
          .bind(5, rr_type_name(o.qtype));
      while (by_key->step()) verdict = parse_verdict_json(by_key->text(0)), found = from_row = true;
    }
    if (!found && !r.reask && r.matched) {
      if (auto implied = implied_verdict(templates, r.vantage, o, r.matched->answer_set)) {
        verdict = std::move(*implied);
        found = true;
      }
    }
    if (found && !r.reask && verdict.flagged()) {
      flagged.insert_or_assign(r.vantage + '\0' + question_key(o), verdict);
      flagged.try_emplace(question_key(o), verdict);
    }
    visit(std::move(r), found ? &verdict : nullptr, from_row);
  });
}

std::vector<std::string> SweepStore::verdict_lines(std::uint64_t sweep) {
  std::vector<std::string> out;
  for_each_verdict_line(sweep, [&](const std::string& line) { out.push_back(line); });
  return out;
}

}  // namespace mxsentry
