-- The coordinator store's schema at tag layout-ready (0085f20), the last release before
-- schema versions, verbatim: unit tests make a file of version 0 from it.
CREATE TABLE IF NOT EXISTS sweeps (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, assignment TEXT NOT NULL CHECK (assignment IN ('all', 'shard')),
  state TEXT NOT NULL DEFAULT 'running', created_ms INTEGER NOT NULL, per_resolver_qps REAL NOT NULL,
  timeout_ms INTEGER NOT NULL, retries INTEGER NOT NULL, deadline_ms INTEGER NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0, probers TEXT NOT NULL DEFAULT '',
  digest_k0 INTEGER NOT NULL DEFAULT 0, digest_k1 INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS sweeps_by_name ON sweeps (name, id);
CREATE TABLE IF NOT EXISTS units (
  id INTEGER PRIMARY KEY, sweep_id INTEGER NOT NULL REFERENCES sweeps(id), owner TEXT,
  done INTEGER NOT NULL DEFAULT 0, reask INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS units_by_sweep ON units (sweep_id, done);
CREATE TABLE IF NOT EXISTS tasks (
  unit_id INTEGER NOT NULL REFERENCES units(id), idx INTEGER NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype INTEGER NOT NULL, PRIMARY KEY (unit_id, idx)) WITHOUT ROWID;
-- The primary key makes results idempotent: INSERT OR IGNORE keeps the first copy.
CREATE TABLE IF NOT EXISTS results (
  unit_id INTEGER NOT NULL REFERENCES units(id), idx INTEGER NOT NULL, vantage TEXT NOT NULL,
  observation BLOB NOT NULL, PRIMARY KEY (unit_id, idx)) WITHOUT ROWID;
-- The truth's answer sets per question (compact results are rebuilt from them); records as
-- JSON [[owner, type, ttl, rdata], ...].
CREATE TABLE IF NOT EXISTS sweep_answers (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), qname TEXT NOT NULL, qtype INTEGER NOT NULL,
  idx INTEGER NOT NULL, rcode INTEGER NOT NULL, records TEXT NOT NULL,
  PRIMARY KEY (sweep_id, qname, qtype, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sweep_verdicts (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), vantage TEXT NOT NULL, resolver TEXT NOT NULL,
  qname TEXT NOT NULL, qtype INTEGER NOT NULL, verdict TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (sweep_id, vantage, resolver, qname, qtype));
