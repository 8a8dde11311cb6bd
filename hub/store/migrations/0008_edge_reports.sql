-- Hub schema 8 (issue 9, draft): console-raised alerts (alert.raise) and their dedupe.
CREATE TABLE edge_reports (
  alert_id     TEXT PRIMARY KEY,
  duplicate_of TEXT
) STRICT;
