-- Schema 2: when an alert expires (CAP info.expires of its first info block), so the
-- queue can set expired alerts aside without parsing every CAP document.
ALTER TABLE alerts ADD COLUMN expires_ms INTEGER;
UPDATE alerts
   SET expires_ms = CAST(strftime('%s', json_extract(cap, '$.infos[0].expires')) AS INTEGER) * 1000
 WHERE json_extract(cap, '$.infos[0].expires') IS NOT NULL;
CREATE INDEX alerts_expiry ON alerts (expires_ms) WHERE expires_ms IS NOT NULL;
