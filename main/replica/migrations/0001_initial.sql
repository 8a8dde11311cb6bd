-- Watchfloor replica, schema 1.
-- The console keeps the hub's log (events) so it can prove it equals the hub's,
-- the state folded from it (assets, alerts), and its own unconfirmed actions (outbox).

-- One row: where this replica stands.
CREATE TABLE meta (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  cursor     INTEGER NOT NULL DEFAULT 0 CHECK (cursor >= 0),
  hub_id     TEXT,
  console_id TEXT,
  hlc        TEXT
) STRICT;
INSERT INTO meta (id, cursor) VALUES (1, 0);

-- The replicated log, exactly as the hub numbered it.
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY,
  type        TEXT NOT NULL,
  at          TEXT NOT NULL,
  mutation_id TEXT,
  payload     TEXT NOT NULL
) STRICT;

-- Assets: rid is a stable integer key for the R*Tree.
CREATE TABLE assets (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  district    TEXT NOT NULL,
  criticality INTEGER NOT NULL,
  lat         REAL NOT NULL,
  lon         REAL NOT NULL,
  doc         TEXT NOT NULL,
  updated_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX assets_kind ON assets (kind);

-- Bounding box of each asset (its point, or its line for pipelines, bridges, tunnels).
CREATE VIRTUAL TABLE asset_rtree USING rtree (rid, min_lat, max_lat, min_lon, max_lon);

-- Alerts: the queue's columns flattened, the CAP message kept whole.
CREATE TABLE alerts (
  id              TEXT PRIMARY KEY,
  identifier      TEXT NOT NULL,
  sender          TEXT NOT NULL,
  sent            TEXT NOT NULL,
  sent_ms         INTEGER NOT NULL,
  status          TEXT NOT NULL,
  msg_type        TEXT NOT NULL,
  event           TEXT NOT NULL,
  headline        TEXT NOT NULL,
  severity        TEXT NOT NULL,
  severity_rank   INTEGER NOT NULL,
  urgency         TEXT NOT NULL,
  urgency_rank    INTEGER NOT NULL,
  certainty       TEXT NOT NULL,
  center_lat      REAL,
  center_lon      REAL,
  bbox            TEXT,
  received_seq    INTEGER NOT NULL,
  received_at     TEXT NOT NULL,
  ack_by          TEXT,
  ack_at          TEXT,
  ack_disposition TEXT,
  ack_note        TEXT,
  superseded_by   TEXT,
  cap             TEXT NOT NULL,
  source          TEXT NOT NULL
) STRICT;
-- The queue order: worst severity, then most urgent, then newest.
CREATE INDEX alerts_queue ON alerts (severity_rank DESC, urgency_rank DESC, sent_ms DESC, id);

-- Actions made here, in the order they were made, until the hub confirms or refuses them.
CREATE TABLE outbox (
  ord           INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,
  target        TEXT NOT NULL,
  payload       TEXT NOT NULL,
  hlc           TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'acked', 'confirmed', 'rejected')),
  error_code    TEXT,
  error_message TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  hub_seq       INTEGER,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
-- Open rows (pending/sent/acked) are what the overlay replays and the flusher sends.
CREATE INDEX outbox_open ON outbox (state, ord);
CREATE INDEX outbox_target ON outbox (target, state);
