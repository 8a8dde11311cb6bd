-- Schema 9 (issue 5): when this console last lost the hub, kept across restarts.
--
-- The status says "offline since <time>"; a console restarted during an outage must still
-- say when the outage began for it, not when it was restarted. Milliseconds since the epoch
-- by the workstation's clock (shown to the officer, never used for ordering); null while
-- the console is online.
ALTER TABLE meta ADD COLUMN offline_since INTEGER;
