-- Schema 4 (issue 4): what the hub decides incident, unit, activity-log and checklist
-- mutations against. Each row keeps the entity as the shared schema's JSON (`doc`),
-- with the columns rules look up by. Followed from the log by HubStore.project; a log
-- written before this schema has none of these entries, so there is nothing to rebuild.

CREATE TABLE incidents (
  id         TEXT PRIMARY KEY,
  -- the N of INC-000N: gap-free, given when the hub accepts the opening
  number     INTEGER NOT NULL UNIQUE,
  status     TEXT NOT NULL CHECK (status IN ('open', 'active', 'contained', 'closed')),
  opened_seq INTEGER NOT NULL,
  doc        TEXT NOT NULL CHECK (json_valid(doc))
) STRICT;

-- Alerts linked to incidents (an alert may feed several; triage log entries name them).
CREATE TABLE incident_alerts (
  alert_id    TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  PRIMARY KEY (alert_id, incident_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE units (
  id          TEXT PRIMARY KEY,
  status      TEXT NOT NULL,
  incident_id TEXT,
  doc         TEXT NOT NULL CHECK (json_valid(doc))
) STRICT;
CREATE INDEX units_incident ON units (incident_id) WHERE incident_id IS NOT NULL;

-- The ICS 214 activity log, in its own gap-free order (issue 6 chains it by seq).
CREATE TABLE activity_log (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  incident_id TEXT,
  event_seq   INTEGER NOT NULL,
  doc         TEXT NOT NULL CHECK (json_valid(doc))
) STRICT;
CREATE INDEX activity_log_incident ON activity_log (incident_id, seq);

CREATE TABLE checklist_steps (
  incident_id TEXT NOT NULL,
  step_id     TEXT NOT NULL,
  ord         INTEGER NOT NULL,
  doc         TEXT NOT NULL CHECK (json_valid(doc)),
  PRIMARY KEY (incident_id, step_id)
) STRICT, WITHOUT ROWID;
