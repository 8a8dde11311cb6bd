-- Schema 13 (issue 6, decision 0036): who made each action still in the outbox.
--
-- An action waiting for the hub when its officer signs out must reach the hub in that
-- officer's name, not the next one's. `officer` is the maker's name key (the token's name,
-- trimmed and lower-cased) as it was when the action was committed here; the sync engine
-- sends the row with that officer's token. Rows written before this schema have none and
-- are sent as before.
ALTER TABLE outbox ADD COLUMN officer TEXT;
