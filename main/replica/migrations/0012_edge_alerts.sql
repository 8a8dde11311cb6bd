-- Schema 12 (issue 9, draft): alerts raised by this console's own rule engine.
-- edge_kind: 'danger' | 'maintenance' for a console-raised alert (sender watchfloor-console:<id>), NULL otherwise.
ALTER TABLE alerts ADD COLUMN edge_kind TEXT CHECK (edge_kind IS NULL OR edge_kind IN ('danger', 'maintenance'));
