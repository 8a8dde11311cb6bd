-- What the hub needs to decide alert mutations: which alerts exist and who
-- acknowledged them first. Rebuilt here from the log, so a hub whose log was
-- written before this table existed decides the same way.
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  received_seq INTEGER NOT NULL,
  ack_seq INTEGER,
  -- the Actor (JSON) whose acknowledgement the hub accepted
  ack_by TEXT CHECK (ack_by IS NULL OR json_valid(ack_by)),
  ack_at TEXT
) STRICT;

INSERT INTO alerts (id, received_seq)
SELECT json_extract(payload, '$.alertId'), min(seq)
FROM events
WHERE type = 'alert.received'
GROUP BY json_extract(payload, '$.alertId');

UPDATE alerts
SET (ack_seq, ack_by, ack_at) = (
  SELECT e.seq, json_extract(e.payload, '$.by'), e.at
  FROM events e
  WHERE e.type = 'alert.acknowledged' AND json_extract(e.payload, '$.alertId') = alerts.id
  ORDER BY e.seq
  LIMIT 1
);
