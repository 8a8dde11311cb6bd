-- Schema 6 (issue 8, decision 0029): affected assets are computed after the apply, not in it.
--
-- An alert over a flooded district covers tens of thousands of assets at city scale; writing
-- one row per asset inside the apply transaction cost ~1 s per alert with 100 000 assets
-- (bench/FINDINGS.md). The apply now only queues the alert here; the sync engine drains the
-- queue in short transactions when no entry is waiting, newest first, and the alert detail
-- computes a queued alert at once when it is opened. The rows converge to the same set.

-- Integer keys (the alerts rowid, as alert_rtree uses; the asset rid): about a third of the
-- cost per row of two TEXT ids plus an index on the asset's id.
DROP TABLE alert_assets;
CREATE TABLE alert_assets (
  alert_rid INTEGER NOT NULL,
  asset_rid INTEGER NOT NULL,
  PRIMARY KEY (alert_rid, asset_rid)
) STRICT, WITHOUT ROWID;
CREATE INDEX alert_assets_asset ON alert_assets (asset_rid);

-- Alerts (by rowid) whose affected assets are not computed yet.
CREATE TABLE affected_pending (alert_rid INTEGER PRIMARY KEY) STRICT;

-- Existing replicas: every alert is computed again from the assets it holds.
INSERT INTO affected_pending (alert_rid) SELECT rowid FROM alerts WHERE bbox IS NOT NULL;

-- Correlation candidates (main/replica/groups.ts): current alerts of one event type within the
-- time window, instead of every alert whose box meets the new one (which grew with the replica).
CREATE INDEX alerts_group_candidates ON alerts (lower(event), sent_ms) WHERE lifecycle = 'current';
