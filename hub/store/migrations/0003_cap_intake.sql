-- Schema 3 (issue 3): CAP intake. The same message (sender, identifier, sent) from two
-- feeds is one alert: the first arrival appends alert.received, later ones are counted.
CREATE TABLE intake_seen (
  sender       TEXT NOT NULL,
  identifier   TEXT NOT NULL,
  sent         TEXT NOT NULL,
  alert_id     TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  -- the first source's kind and name (AlertSource)
  source       TEXT NOT NULL CHECK (json_valid(source)),
  duplicates   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (sender, identifier, sent)
) STRICT;

-- Messages already on the log (the simulator's) count as seen.
INSERT OR IGNORE INTO intake_seen (sender, identifier, sent, alert_id, seq, source)
SELECT json_extract(payload, '$.cap.sender'), json_extract(payload, '$.cap.identifier'),
       json_extract(payload, '$.cap.sent'), json_extract(payload, '$.alertId'), seq, json_extract(payload, '$.source')
  FROM events WHERE type = 'alert.received';
