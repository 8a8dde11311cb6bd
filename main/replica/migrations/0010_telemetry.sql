-- Schema 10 (issue 9): sensor readings, outside the log.
--
-- Readings are not events (decision 0031): they are kept at reduced resolution and
-- expire. Raw readings for the last hour; 1-minute buckets (min, sum/count for the mean,
-- max) for 7 days. Retention deletes by time, hence the index on t.
CREATE TABLE telemetry_raw (
  asset_id TEXT NOT NULL,
  sensor   TEXT NOT NULL,
  t        INTEGER NOT NULL,
  value    REAL NOT NULL,
  PRIMARY KEY (asset_id, sensor, t)
) STRICT, WITHOUT ROWID;
CREATE INDEX telemetry_raw_t ON telemetry_raw (t);

CREATE TABLE telemetry_minute (
  asset_id TEXT NOT NULL,
  sensor   TEXT NOT NULL,
  minute   INTEGER NOT NULL, -- start of the minute, ms since the epoch
  min      REAL NOT NULL,
  max      REAL NOT NULL,
  sum      REAL NOT NULL,
  count    INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (asset_id, sensor, minute)
) STRICT, WITHOUT ROWID;
CREATE INDEX telemetry_minute_minute ON telemetry_minute (minute);
