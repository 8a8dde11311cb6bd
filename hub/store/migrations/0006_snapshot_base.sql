-- Schema 6 (issue 5): what the log's compacted prefix still contributes to the state a
-- console rebuilds from a snapshot. compactLog moves entries below the new tail here
-- before deleting them from `events`: every entry except an asset upsert that a later
-- upsert of the same asset replaced. A snapshot as of N is these rows plus events[tail..N],
-- applied by the console in seq order through its normal apply (decision 0016).
CREATE TABLE snapshot_base (
  seq         INTEGER PRIMARY KEY,
  type        TEXT NOT NULL,
  at          TEXT NOT NULL,
  mutation_id TEXT,
  payload     TEXT NOT NULL CHECK (json_valid(payload)),
  -- the asset id of an asset.upserted entry: only its newest upsert is kept
  asset_id    TEXT
) STRICT;
CREATE INDEX snapshot_base_asset ON snapshot_base (asset_id, seq) WHERE asset_id IS NOT NULL;
