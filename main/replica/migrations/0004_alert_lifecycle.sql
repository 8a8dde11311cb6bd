-- Schema 4 (issue 3): where each alert stands in its Update/Cancel chain, its info
-- languages, the assets inside its areas, and its correlation group.
ALTER TABLE alerts ADD COLUMN lifecycle TEXT NOT NULL DEFAULT 'current'
  CHECK (lifecycle IN ('current', 'superseded', 'cancelled'));
ALTER TABLE alerts ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alerts ADD COLUMN affected_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN group_id TEXT;
-- the asset a sensor alarm is about (a parameter named ...ASSET-ID), for grouping
ALTER TABLE alerts ADD COLUMN sensor_asset TEXT;

-- CAP `references` as a set: one row per (Update or Cancel, message it names). Kept even
-- when the named message has not arrived yet, so an Update that comes first still
-- supersedes it when it does (shared/alerts/lifecycle.ts decides from these rows).
CREATE TABLE alert_refs (
  to_id        TEXT NOT NULL,
  from_id      TEXT NOT NULL,
  msg_type     TEXT NOT NULL CHECK (msg_type IN ('Update', 'Cancel')),
  from_sent_ms INTEGER NOT NULL,
  PRIMARY KEY (to_id, from_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX alert_refs_from ON alert_refs (from_id);

-- The assets inside each alert's areas (R*Tree on the box, exact test after).
CREATE TABLE alert_assets (
  alert_id TEXT NOT NULL,
  asset_id TEXT NOT NULL,
  PRIMARY KEY (alert_id, asset_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX alert_assets_asset ON alert_assets (asset_id);

-- Bounding box of each alert's areas, keyed by the alerts rowid: finds the alerts an asset
-- upserted later falls into, and the alerts whose areas may overlap a new one.
CREATE VIRTUAL TABLE alert_rtree USING rtree (rid, min_lat, max_lat, min_lon, max_lon);

CREATE INDEX alerts_superseded_by ON alerts (superseded_by) WHERE superseded_by IS NOT NULL;
CREATE INDEX alerts_group ON alerts (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX alerts_sensor_asset ON alerts (sensor_asset, sent_ms) WHERE sensor_asset IS NOT NULL;

-- Existing replicas: rebuild references, lifecycle, languages and boxes from the log.
-- (Affected assets and groups need exact geometry: they are computed for alerts that
-- arrive from now on; a rebuilt replica has them for all.)
INSERT OR IGNORE INTO alert_refs (to_id, from_id, msg_type, from_sent_ms)
SELECT json_extract(r.value, '$.sender') || ',' || json_extract(r.value, '$.identifier'), a.id, a.msg_type, a.sent_ms
  FROM alerts a
  JOIN events e ON e.seq = a.received_seq,
       json_each(json_extract(e.payload, '$.cap.references')) r
 WHERE a.msg_type IN ('Update', 'Cancel')
   AND json_extract(r.value, '$.sender') || ',' || json_extract(r.value, '$.identifier') <> a.id;

UPDATE alerts
   SET superseded_by = (SELECT r.from_id FROM alert_refs r WHERE r.to_id = alerts.id
                         ORDER BY r.msg_type = 'Cancel' DESC, r.from_sent_ms DESC, r.from_id DESC LIMIT 1),
       lifecycle = CASE
         WHEN EXISTS (SELECT 1 FROM alert_refs r WHERE r.to_id = alerts.id AND r.msg_type = 'Cancel') THEN 'cancelled'
         WHEN EXISTS (SELECT 1 FROM alert_refs r WHERE r.to_id = alerts.id) THEN 'superseded'
         ELSE 'current' END;

UPDATE alerts
   SET languages = (SELECT json_group_array(coalesce(json_extract(i.value, '$.language'), 'en-US'))
                      FROM events e, json_each(json_extract(e.payload, '$.cap.infos')) i
                     WHERE e.seq = alerts.received_seq)
 WHERE EXISTS (SELECT 1 FROM events e WHERE e.seq = alerts.received_seq);

INSERT INTO alert_rtree (rid, min_lat, max_lat, min_lon, max_lon)
SELECT rowid, json_extract(bbox, '$.minLat'), json_extract(bbox, '$.maxLat'),
       json_extract(bbox, '$.minLon'), json_extract(bbox, '$.maxLon')
  FROM alerts WHERE bbox IS NOT NULL;
