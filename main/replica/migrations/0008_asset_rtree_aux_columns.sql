-- Schema 8 (issue 8): the asset R*Tree carries what the affected-asset test reads (its point,
-- whether it is a line, and the version of its document), so the candidates of an alert's box
-- come from the R*Tree alone: the join to `assets` was ~3/4 of the candidate query (bench/).
CREATE VIRTUAL TABLE asset_rtree_new USING rtree (rid, min_lat, max_lat, min_lon, max_lon, +lat, +lon, +linear, +updated_seq);
INSERT INTO asset_rtree_new (rid, min_lat, max_lat, min_lon, max_lon, lat, lon, linear, updated_seq)
SELECT r.rid, r.min_lat, r.max_lat, r.min_lon, r.max_lon, a.lat, a.lon,
       a.kind IN ('pipeline', 'bridge', 'tunnel'), a.updated_seq
  FROM asset_rtree r JOIN assets a ON a.rid = r.rid;
DROP TABLE asset_rtree;
ALTER TABLE asset_rtree_new RENAME TO asset_rtree;
