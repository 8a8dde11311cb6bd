-- Schema 11 (issue 9, decision 0034): supervisors' edits of the telemetry rules, from the log.
--
-- A `telemetry.rules.changed` entry replaces one rule set, keyed by asset kind and name
-- prefix ('' for a rule set without one). The rules in force are the bundled files
-- (assets/telemetry-rules) with these rows laid over them; the newest edit per key wins.
CREATE TABLE telemetry_rules (
  asset_kind  TEXT NOT NULL,
  name_prefix TEXT NOT NULL,
  rule_set    TEXT NOT NULL CHECK (json_valid(rule_set)),
  reason      TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  -- the log seq of the entry that made this edit
  seq         INTEGER NOT NULL,
  PRIMARY KEY (asset_kind, name_prefix)
) STRICT;
