-- Schema 7 (issue 9, decision 0034): the telemetry rule sets supervisors have edited,
-- projected from `telemetry.rules.changed` entries, so the rule for the next edit can say
-- what the level was before. Keyed by asset kind and name prefix ('' for none).
CREATE TABLE telemetry_rules (
  asset_kind  TEXT NOT NULL,
  name_prefix TEXT NOT NULL,
  rule_set    TEXT NOT NULL CHECK (json_valid(rule_set)),
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (asset_kind, name_prefix)
) STRICT;
