#include "coordinator/cli/export_sources.h"

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "coordinator/analysis/verdict_parse.h"
#include "coordinator/check/check_schema.h"
#include "coordinator/sweep/sweep_schema.h"
#include "coordinator/sweep/sweep_store.h"
#include "protocol/dns/codes.h"
#include "results/cof_table.h"
#include "results/record_json.h"
#include "results/sqlite_db.h"

namespace mxsentry {

std::optional<StoreKind> store_kind_if_any(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw std::runtime_error(path + ": no such database file");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error(path + ": " + why);
  }
  bool checks = false, sweeps = false, any = false;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &stmt, nullptr);
  std::string why = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    std::string name = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    any = true;
    checks |= name == "checks";
    sweeps |= name == "sweeps";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!why.empty()) throw std::runtime_error(path + ": " + why);
  if (checks) return StoreKind::check;
  if (sweeps) return StoreKind::coordinator;
  if (!any) return std::nullopt;
  throw std::runtime_error(path + ": neither a check file (mxsentry check --db) nor a coordinator's file");
}

StoreKind store_kind(const std::string& path) {
  auto kind = store_kind_if_any(path);
  if (!kind) throw std::runtime_error(path + ": an empty database, nothing to export");
  return *kind;
}

namespace {

bool verdict_selected(const ExportSelection& s, const Verdict* v) {
  if (s.verdicts.empty()) return true;
  return v && s.verdicts.count(to_string(v->verdict));
}

bool in_range(const ExportSelection& s, std::int64_t ms) { return ms >= s.since_ms && ms <= s.until_ms; }

// The verdict of one (run, vantage, resolver, question), looked up by the table's primary key;
// consecutive observations of one question share it, so the last one is kept.
class VerdictLookup {
 public:
  VerdictLookup(SqliteDb& db, const std::string& table, const std::string& owner)
      : query_(db, ("SELECT json FROM " + table + " WHERE " + owner +
                    " = ? AND vantage = ? AND resolver = ? AND qname = ? AND qtype = ?").c_str()) {}
  const Verdict* find(std::int64_t run, const std::string& vantage, const std::string& resolver,
                      const std::string& qname, const std::string& qtype) {
    auto key = std::make_tuple(run, vantage, resolver, qname, qtype);
    if (key == key_) return found_ ? &verdict_ : nullptr;
    key_ = key;
    query_.bind(1, run).bind(2, vantage).bind(3, resolver).bind(4, qname).bind(5, qtype);
    found_ = false;
    while (query_.step()) {
      verdict_ = parse_verdict_json(query_.text(0));
      found_ = true;
    }
    return found_ ? &verdict_ : nullptr;
  }

 private:
  Statement query_;
  std::tuple<std::int64_t, std::string, std::string, std::string, std::string> key_{-1, "", "", "", ""};
  Verdict verdict_;
  bool found_ = false;
};

// The verdicts of one check whose class is selected, read once into memory, for a selection
// of a few classes (the flagged ones, say) out of a large check: each observation is then
// looked up without asking the database, and one without such a row is skipped.
class SelectedVerdicts {
 public:
  /// nullopt when the check cannot be read so: every class selected, or more selected rows
  /// than `at_most` (memory stays bounded: some 20 MB at most).
  static std::optional<SelectedVerdicts> load(SqliteDb& db, const std::string& table, const std::string& owner,
                                              std::int64_t run, const std::set<std::string>& classes,
                                              std::int64_t at_most = 50000) {
    if (classes.empty()) return std::nullopt;
    std::string in;
    for (std::size_t i = 0; i < classes.size(); ++i) in += i ? ",?" : "?";
    const std::string where = " FROM " + table + " WHERE " + owner + " = ? AND verdict IN (" + in + ")";
    auto bind = [&](Statement& q) {
      q.bind(1, run);
      int at = 2;
      for (const auto& c : classes) q.bind(at++, c);
    };
    Statement count(db, ("SELECT count(*)" + where).c_str());
    bind(count);
    if (!count.step() || count.integer(0) > at_most) return std::nullopt;
    SelectedVerdicts out;
    Statement rows(db, ("SELECT vantage, resolver, qname, qtype, json" + where).c_str());
    bind(rows);
    while (rows.step())
      out.verdicts_.emplace(key(rows.text(0), rows.text(1), rows.text(2), rows.text(3)), parse_verdict_json(rows.text(4)));
    return out;
  }

  const Verdict* find(const std::string& vantage, const std::string& resolver, const std::string& qname,
                      const std::string& qtype) const {
    if (verdicts_.empty()) return nullptr;
    auto it = verdicts_.find(key(vantage, resolver, qname, qtype));
    return it == verdicts_.end() ? nullptr : &it->second;
  }

 private:
  static std::string key(const std::string& vantage, const std::string& resolver, const std::string& qname,
                         const std::string& qtype) {
    std::string k;
    k.reserve(vantage.size() + resolver.size() + qname.size() + qtype.size() + 3);
    k.append(vantage).append(1, '\0').append(resolver).append(1, '\0').append(qname).append(1, '\0').append(qtype);
    return k;
  }
  std::unordered_map<std::string, Verdict> verdicts_;
};

struct CheckRun {
  ExportRun run;
  std::string vantage;
};

std::vector<CheckRun> check_runs(SqliteDb& db, const ExportSelection& s) {
  if (s.sweep) throw std::runtime_error(s.db + ": --sweep needs a coordinator's file; this is a check file (use --check)");
  Statement query(db, s.check ? "SELECT id, started_ms, vantage FROM checks WHERE id = ?"
                              : "SELECT id, started_ms, vantage FROM checks ORDER BY id");
  if (s.check) query.bind(1, *s.check);
  std::vector<CheckRun> runs;
  while (query.step()) runs.push_back({{"check", query.integer(0), query.integer(1)}, query.text(2)});
  if (s.check && runs.empty()) throw std::runtime_error(s.db + ": no check " + std::to_string(*s.check));
  return runs;
}

std::vector<ExportRun> sweep_runs(SweepStore& store, const ExportSelection& s) {
  if (s.check) throw std::runtime_error(s.db + ": --check needs a check file; this is a coordinator's file (use --sweep)");
  std::vector<ExportRun> runs;
  if (s.sweep) {
    auto sweep = store.sweep(*s.sweep);
    if (!sweep) throw std::runtime_error(s.db + ": no sweep " + std::to_string(*s.sweep));
    runs.push_back({"sweep", static_cast<std::int64_t>(sweep->id), sweep->created_ms});
  } else {
    for (const auto& sweep : store.sweeps())
      runs.push_back({"sweep", static_cast<std::int64_t>(sweep.id), sweep.created_ms});
  }
  return runs;
}

// An observation of a check file, from its JSON line: what the exports write (no authority).
bool read_check_observation(const std::string& line, Observation& o) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto outcome = j.find("outcome");
  if (outcome == j.end() || *outcome != "answer") return false;
  if (auto t = j.find("time_ms"); t != j.end() && t->is_number_integer()) o.time_ms = t->get<std::int64_t>();
  auto answers = j.find("answers");
  if (answers == j.end()) return false;
  o.answers = parse_records_json(answers->dump());
  // The rest of the response, for exports that write it again (dnstap).
  if (auto rcode = j.find("rcode"); rcode != j.end() && rcode->is_string())
    o.rcode = rcode_from_name(rcode->get<std::string>()).value_or(-1);
  if (auto flags = j.find("flags"); flags != j.end() && flags->is_array()) {
    for (const auto& f : *flags) {
      if (!f.is_string()) continue;
      const std::string& name = f.get_ref<const std::string&>();
      HeaderFlags& h = o.flags;
      h.aa |= name == "aa";
      h.tc |= name == "tc";
      h.rd |= name == "rd";
      h.ra |= name == "ra";
      h.ad |= name == "ad";
      h.cd |= name == "cd";
    }
  }
  if (auto rrsigs = j.find("rrsigs"); rrsigs != j.end() && rrsigs->is_array())
    o.rrsigs = parse_records_json(rrsigs->dump());
  if (auto edns = j.find("edns"); edns != j.end() && edns->is_object()) {
    o.edns.present = true;
    o.edns.udp_size = static_cast<std::uint16_t>(edns->value("udp_size", 0));
    o.edns.version = static_cast<std::uint8_t>(edns->value("version", 0));
    o.edns.do_bit = edns->value("do", false);
  }
  if (auto rtt = j.find("rtt_ms"); rtt != j.end() && rtt->is_number()) o.rtt_ms = rtt->get<double>();
  if (auto transport = j.find("transport"); transport != j.end() && *transport == "tcp") o.transport = Transport::tcp;
  // A second, differing response (on-path injection) is an answer the resolver's path gave too.
  if (auto extras = j.find("extra_responses"); extras != j.end() && extras->is_array()) {
    for (const auto& e : *extras) {
      if (!e.is_object() || !e.contains("answers")) continue;
      ExtraResponse extra;
      extra.answers = parse_records_json(e["answers"].dump());
      if (auto rcode = e.find("rcode"); rcode != e.end() && rcode->is_string())
        extra.rcode = rcode_from_name(rcode->get<std::string>()).value_or(0);
      if (auto after = e.find("after_ms"); after != e.end() && after->is_number()) extra.after_ms = after->get<double>();
      o.extra_responses.push_back(std::move(extra));
    }
  }
  o.outcome = Outcome::answer;
  return true;
}

// The zone of a question from the check's truth, when it had one.
class ZoneLookup {
 public:
  explicit ZoneLookup(SqliteDb& db) : query_(db, "SELECT json FROM truths WHERE check_id = ? AND qname = ? AND qtype = ?") {}
  /// Looks the question up; then owner() and zone() say what the truth knew.
  void find(std::int64_t check, const std::string& qname, const std::string& qtype) {
    auto key = std::make_tuple(check, qname, qtype);
    if (key == key_) return;
    key_ = key;
    zone_.clear();
    owner_ = qname;
    query_.bind(1, check).bind(2, qname).bind(3, qtype);
    while (query_.step()) {
      auto j = nlohmann::json::parse(query_.text(0), nullptr, false);
      if (!j.is_object()) continue;
      if (j.contains("zone") && j["zone"].is_string()) zone_ = j["zone"].get<std::string>();
      // The truth's zone is that of the last name of its CNAME chain.
      if (auto chain = j.find("cname_chain"); chain != j.end() && chain->is_array() && !chain->empty() &&
                                              chain->back().is_string())
        owner_ = chain->back().get<std::string>();
    }
  }
  const std::string& owner() const { return owner_; }
  const std::string& zone() const { return zone_; }

 private:
  Statement query_;
  std::tuple<std::int64_t, std::string, std::string> key_{-1, "", ""};
  std::string zone_, owner_;
};

}  // namespace

void for_each_run_observation(const ExportSelection& s, StoreKind kind,
                              const std::function<void(const RunObservation&)>& visit) {
  static const std::string no_zone;
  if (kind == StoreKind::check) {
    SqliteDb db(s.db, check_schema());
    VerdictLookup verdicts(db, "verdicts", "check_id");
    ZoneLookup zones(db);
    Statement query(db, "SELECT resolver, qname, qtype, json FROM observations WHERE check_id = ? ORDER BY task");
    for (const auto& run : check_runs(db, s)) {
      auto selected = SelectedVerdicts::load(db, "verdicts", "check_id", run.run.id, s.verdicts);
      query.bind(1, run.run.id);
      while (query.step()) {
        std::string resolver = query.text(0), qname = query.text(1), qtype = query.text(2);
        const Verdict* v = selected ? selected->find(run.vantage, resolver, qname, qtype) : nullptr;
        if (selected && v == nullptr) continue;  // not a selected class: not even parsed
        Observation o;
        if (!read_check_observation(query.text(3), o) || !in_range(s, o.time_ms)) continue;
        if (!selected) v = verdicts.find(run.run.id, run.vantage, resolver, qname, qtype);
        if (!verdict_selected(s, v)) continue;
        o.qname = qname;
        o.qtype = rr_type_from_name(qtype).value_or(0);
        // The resolver as the store wrote it names the sensor; Observation keeps it parsed.
        o.resolver = Endpoint::parse(resolver).value_or(Endpoint{});
        zones.find(run.run.id, qname, qtype);
        visit(RunObservation{run.run, run.vantage, o, v, zones.owner(), zones.zone()});
      }
    }
    return;
  }
  SweepStore store(s.db);
  std::set<VerdictClass> classes;
  for (const auto& name : s.verdicts)
    if (auto c = verdict_class_from_string(name)) classes.insert(*c);
  if (!s.verdicts.empty() && classes.empty()) return;  // only names of no class: nothing is selected
  for (const auto& run : sweep_runs(store, s)) {
    store.for_each_judged_result(static_cast<std::uint64_t>(run.id), classes, [&](StoredResult&& r, const Verdict* v) {
      const Observation& o = r.observation;
      if (o.outcome != Outcome::answer || !in_range(s, o.time_ms)) return;
      visit(RunObservation{run, r.vantage, o, v, no_zone, no_zone});
    });
  }
}

void for_each_run_verdict(const ExportSelection& s, StoreKind kind,
                          const std::function<void(const ExportRun&, const Verdict&, const std::string&)>& visit,
                          bool lines) {
  auto each = [&](SqliteDb& db, const std::string& table, const std::string& owner, const ExportRun& run) {
    if (!in_range(s, run.started_ms)) return;
    Statement query(db, ("SELECT json FROM " + table + " WHERE " + owner +
                         " = ? ORDER BY resolver, qname, qtype, vantage").c_str());
    query.bind(1, run.id);
    while (query.step()) {
      std::string line = query.text(0);
      Verdict v = parse_verdict_json(line);
      if (verdict_selected(s, &v)) visit(run, v, line);
    }
  };
  if (kind == StoreKind::check) {
    SqliteDb db(s.db, check_schema());
    for (const auto& run : check_runs(db, s)) each(db, "verdicts", "check_id", run.run);
    return;
  }
  SweepStore store(s.db);
  for (const auto& run : sweep_runs(store, s)) {
    if (!in_range(s, run.started_ms)) continue;
    auto row = [&](const std::string& line) {
      Verdict v = parse_verdict_json(line);
      if (verdict_selected(s, &v)) visit(run, v, line);
    };
    if (lines) {
      store.for_each_verdict_line(static_cast<std::uint64_t>(run.id), row);
      continue;
    }
    static const std::string no_line;
    store.for_each_verdict(static_cast<std::uint64_t>(run.id), row, [&](const Verdict& v) {
      if (verdict_selected(s, &v)) visit(run, v, no_line);
    });
  }
}

void for_each_imported_record(const ExportSelection& s, StoreKind kind, const std::function<void(CofRecord&&)>& visit) {
  if (kind != StoreKind::check || s.check) return;
  SqliteDb db(s.db, check_schema());
  for_each_cof_row(db, s.since_ms, s.until_ms, [&](CofRecord&& r) {
    if (!s.verdicts.empty() && !s.verdicts.count(r.verdict)) return;
    visit(std::move(r));
  });
}

}  // namespace mxsentry
