-- The hub's append-only log. seq is assigned by the hub (head + 1) inside the
-- appending transaction, never by AUTOINCREMENT, so a rolled-back append leaves
-- no gap and the numbering survives restarts.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  mutation_id TEXT,
  payload TEXT NOT NULL CHECK (json_valid(payload))
) STRICT;

-- Every mutation the hub decided, keyed by the client-made id: a mutation sent
-- twice gets the first answer back and takes effect once.
CREATE TABLE mutations (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  -- canonical JSON of { type, payload }, to spot an id reused for another action
  request TEXT NOT NULL,
  answer TEXT NOT NULL CHECK (json_valid(answer)),
  decided_at TEXT NOT NULL
) STRICT;

-- Small named values: the hub's id, the log's tail, the simulator's saved state.
CREATE TABLE hub_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- The oldest seq still kept. Retention and snapshots (later) move it forward.
INSERT INTO hub_meta (key, value) VALUES ('tail', '1');
