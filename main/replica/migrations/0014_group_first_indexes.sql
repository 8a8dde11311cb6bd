-- Issue 8 (decision 0037): group candidates walked in arrival order. An alert joins the group of
-- the earliest-received current alert that matches (main/replica/groups.ts); in a burst of the
-- same event or sensor every earlier alert is inside the time window, and reading them all by
-- sent time and sorting them by arrival made each new alert cost more than the one before.
-- These indexes give the current alerts of one sensor or one event type in arrival order, so
-- the first few rows usually answer; the (…, sent_ms) indexes remain for when they do not.
CREATE INDEX alerts_sensor_first ON alerts (sensor_asset, received_seq)
  WHERE sensor_asset IS NOT NULL AND lifecycle = 'current';
CREATE INDEX alerts_event_first ON alerts (lower(event), received_seq) WHERE lifecycle = 'current';
