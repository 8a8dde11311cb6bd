-- Schema 5 (issue 4): incidents, units, the ICS 214 activity log and SOP checklist steps,
-- folded from the hub's log. Written only by applyEvents; this console's own unconfirmed
-- actions stay in the outbox and are replayed over these rows (decision 0008).
-- No rebuild: a replica older than this schema could not have applied these entry types.

CREATE TABLE incidents (
  id              TEXT PRIMARY KEY,
  number          TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('open', 'active', 'contained', 'closed')),
  priority        INTEGER NOT NULL,
  opened_at       TEXT NOT NULL,
  checklist_title TEXT,
  doc             TEXT NOT NULL,
  updated_seq     INTEGER NOT NULL
) STRICT;
-- The incident board: not closed, most urgent first, oldest first.
CREATE INDEX incidents_board ON incidents (status, priority, opened_at);

CREATE TABLE units (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  status      TEXT NOT NULL,
  incident_id TEXT,
  doc         TEXT NOT NULL,
  updated_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX units_incident ON units (incident_id) WHERE incident_id IS NOT NULL;

CREATE TABLE activity_log (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  incident_id TEXT,
  event_seq   INTEGER NOT NULL,
  doc         TEXT NOT NULL
) STRICT;
CREATE INDEX activity_log_incident ON activity_log (incident_id, seq);

CREATE TABLE checklist_steps (
  incident_id TEXT NOT NULL,
  step_id     TEXT NOT NULL,
  ord         INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('open', 'done', 'na')),
  due_at      TEXT NOT NULL,
  doc         TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX checklist_steps_order ON checklist_steps (incident_id, ord);
