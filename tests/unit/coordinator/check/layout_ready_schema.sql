-- The check store's schema at tag layout-ready (0085f20), the last release before
-- schema versions, verbatim: unit tests make a file of version 0 from it.
CREATE TABLE IF NOT EXISTS checks (
  id INTEGER PRIMARY KEY, started_ms INTEGER NOT NULL, vantage TEXT NOT NULL, domains TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
  check_id INTEGER NOT NULL REFERENCES checks(id), task INTEGER NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (check_id, task));
CREATE TABLE IF NOT EXISTS truths (
  check_id INTEGER NOT NULL REFERENCES checks(id), qname TEXT NOT NULL, qtype TEXT NOT NULL,
  json TEXT NOT NULL, PRIMARY KEY (check_id, qname, qtype));
CREATE TABLE IF NOT EXISTS verdicts (
  check_id INTEGER NOT NULL REFERENCES checks(id), vantage TEXT NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype TEXT NOT NULL, verdict TEXT NOT NULL, confidence REAL NOT NULL,
  json TEXT NOT NULL, PRIMARY KEY (check_id, vantage, resolver, qname, qtype));
CREATE INDEX IF NOT EXISTS verdicts_by_class ON verdicts (verdict);
