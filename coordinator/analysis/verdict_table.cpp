#include "coordinator/analysis/verdict_table.h"

#include "coordinator/analysis/verdict_output.h"
#include "protocol/dns/codes.h"

namespace mxsentry {

VerdictTable::VerdictTable(std::string table, std::string owner_column, std::string owner_table)
    : table_(std::move(table)), owner_column_(std::move(owner_column)), owner_table_(std::move(owner_table)) {}

std::string VerdictTable::ddl() const {
  return "CREATE TABLE IF NOT EXISTS " + table_ + " (\n  " + owner_column_ + " INTEGER NOT NULL REFERENCES " +
         owner_table_ +
         "(id), vantage TEXT NOT NULL, resolver TEXT NOT NULL,\n"
         "  qname TEXT NOT NULL, qtype TEXT NOT NULL, verdict TEXT NOT NULL, confidence REAL NOT NULL,\n"
         "  json TEXT NOT NULL, PRIMARY KEY (" + owner_column_ + ", vantage, resolver, qname, qtype));\n"
         "CREATE INDEX IF NOT EXISTS " + table_ + "_by_class ON " + table_ + " (verdict);\n";
}

void VerdictTable::rebuild(SqliteDb& db, std::string_view old_columns) const {
  // SQLite cannot change a column's type in place: move the old table aside, copy, drop it.
  const std::string old = table_ + "_old";
  db.exec(("DROP INDEX IF EXISTS " + table_ + "_by_class").c_str());
  db.exec(("ALTER TABLE " + table_ + " RENAME TO " + old).c_str());
  db.exec(ddl().c_str());
  db.exec(("INSERT INTO " + table_ + " SELECT " + std::string(old_columns) + " FROM " + old).c_str());
  db.exec(("DROP TABLE " + old).c_str());
}

void VerdictTable::insert(SqliteDb& db, std::int64_t owner, std::span<const Verdict> verdicts) const {
  Statement insert(db, ("INSERT OR REPLACE INTO " + table_ + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)").c_str());
  for (const auto& v : verdicts) {
    const std::string json = verdict_json_line(v);
    insert.bind(1, owner).bind(2, v.vantage).bind(3, v.resolver.to_string()).bind(4, v.qname)
        .bind(5, rr_type_name(v.qtype)).bind(6, std::string_view(to_string(v.verdict))).bind(7, v.confidence)
        .bind(8, json).run();
  }
}

void VerdictTable::erase(SqliteDb& db, std::int64_t owner) const {
  Statement clear(db, ("DELETE FROM " + table_ + " WHERE " + owner_column_ + " = ?").c_str());
  clear.bind(1, owner).run();
}

std::vector<std::string> VerdictTable::lines(SqliteDb& db, std::int64_t owner) const {
  Statement query(db, ("SELECT json FROM " + table_ + " WHERE " + owner_column_ +
                       " = ? ORDER BY resolver, qname, qtype, vantage").c_str());
  query.bind(1, owner);
  std::vector<std::string> out;
  while (query.step()) out.push_back(query.text(0));
  return out;
}

}  // namespace mxsentry
