-- Schema 8 (issue 9, decision 0032): alerts raised by consoles' own telemetry rules.
--
-- alert_hazards: every alert on the log that names an asset and a sensor (a parameter
-- ...ASSET-ID and a sensor event code), keyed by its hazard "<asset>/<sensor>/<kind>", with
-- the time its active window ends. `ended` once a later Update or Cancel of the same thread
-- arrived, or when the message itself says the hazard is over (Cancel, urgency Past). A
-- console's `alert.raise` for a hazard with an active row at least as severe (and urgent) is
-- not appended again.
-- Filled by HubStore from the log (hub_meta 'edge.hazards'), so an older log is covered.
CREATE TABLE alert_hazards (
  alert_id     TEXT PRIMARY KEY,
  hazard       TEXT NOT NULL,
  sender       TEXT NOT NULL,  -- a console's own earlier messages are not what its report duplicates
  received_seq INTEGER NOT NULL,
  until_ms     INTEGER NOT NULL,
  severity_rank INTEGER NOT NULL,
  urgency_rank  INTEGER NOT NULL,
  ended        INTEGER NOT NULL DEFAULT 0 CHECK (ended IN (0, 1))
) STRICT;
CREATE INDEX alert_hazards_active ON alert_hazards (hazard, ended, received_seq);

-- A console's report that corroborated an alert already on the log instead of becoming one.
CREATE TABLE edge_reports (
  alert_id     TEXT PRIMARY KEY,   -- the console's message id "sender,identifier"
  duplicate_of TEXT NOT NULL,      -- the alert on the log it corroborates
  duplicate_seq INTEGER NOT NULL,  -- that alert's entry
  console_id   TEXT NOT NULL,
  officer      TEXT NOT NULL,
  mutation_id  TEXT NOT NULL,
  at           TEXT NOT NULL
) STRICT;
CREATE INDEX edge_reports_duplicate_of ON edge_reports (duplicate_of);
