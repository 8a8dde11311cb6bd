-- Schema 10 (issue 9, decision 0031): sensor readings, outside the log.
--
-- Readings are not events: they are kept at reduced resolution and expire. Raw readings
-- for the last hour; 1-minute buckets (min, sum and count for the mean, max) for 7 days.
-- Each sensor (asset, kind) gets a small integer key once, so the two big tables carry 8
-- bytes of key instead of two strings (7 days of the demo city's 159 sensors: 1.6 M
-- buckets). Retention deletes by time, hence the indexes on t and minute.
CREATE TABLE telemetry_sensors (
  id       INTEGER PRIMARY KEY,
  asset_id TEXT NOT NULL,
  sensor   TEXT NOT NULL,
  UNIQUE (asset_id, sensor)
) STRICT;

CREATE TABLE telemetry_raw (
  sensor_id INTEGER NOT NULL,
  t         INTEGER NOT NULL, -- the sensor's time of the reading, ms since the epoch
  value     REAL NOT NULL,
  PRIMARY KEY (sensor_id, t)
) STRICT, WITHOUT ROWID;
CREATE INDEX telemetry_raw_t ON telemetry_raw (t);

CREATE TABLE telemetry_minute (
  sensor_id INTEGER NOT NULL,
  minute    INTEGER NOT NULL, -- start of the minute, ms since the epoch
  min       REAL NOT NULL,
  max       REAL NOT NULL,
  sum       REAL NOT NULL,
  count     INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (sensor_id, minute)
) STRICT, WITHOUT ROWID;
CREATE INDEX telemetry_minute_minute ON telemetry_minute (minute);
