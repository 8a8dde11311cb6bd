-- Schema 12 (issue 9, decision 0032): alerts raised by this console's own rule engine.

-- 'danger' | 'maintenance' for a message from a console's rule engine
-- (sender watchfloor-console:<id>, parameter WF-KIND); NULL for everyone else's.
ALTER TABLE alerts ADD COLUMN edge_kind TEXT CHECK (edge_kind IS NULL OR edge_kind IN ('danger', 'maintenance'));

-- This console's own raised messages (a local table: kept through a snapshot rebuild).
-- Its alerts row (received_seq 0 until the hub's entry replaces it) is written with it and
-- with its outbox row, in one transaction. `rule_key` "<asset>/<sensor>:<rule>[:<level>]"
-- names what a later Cancel clears; `open` until then. `duplicate_of`: the hub folded the
-- report into that alert (its own, or another console's) instead of appending it.
CREATE TABLE edge_alerts (
  alert_id     TEXT PRIMARY KEY,
  rule_key     TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('danger', 'maintenance')),
  msg_type     TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Cancel')),
  open         INTEGER NOT NULL CHECK (open IN (0, 1)),
  cap          TEXT NOT NULL,
  source       TEXT NOT NULL,
  mutation_id  TEXT NOT NULL,
  duplicate_of TEXT,
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX edge_alerts_open ON edge_alerts (rule_key) WHERE open = 1;
CREATE INDEX edge_alerts_mutation ON edge_alerts (mutation_id);
