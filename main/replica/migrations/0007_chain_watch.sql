-- Schema 7 (issue 6): the console's check of the hub's activity-log hash chain.
--
-- The replica re-checks every activity-log and audit entry it applies (shared/audit/chain.ts)
-- against the link before it. The newest link it has checked and the first break it found are
-- kept here, so the check goes on across restarts and an integrity alarm stays raised until
-- the replica is rebuilt from a hub whose chain is whole.
CREATE TABLE chain_watch (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  -- the newest entry whose link was checked (null: none yet; the first one seen is the anchor)
  last_seq    INTEGER,
  last_chain  TEXT,
  -- the first break: { seq, entryId, reason, at } as JSON, null while the chain is whole
  alarm       TEXT CHECK (alarm IS NULL OR json_valid(alarm))
) STRICT;
INSERT INTO chain_watch (id) VALUES (1);
