-- Schema 5 (issue 6): the officers the hub signs in. Passwords are never stored, only
-- an scrypt verifier (`scrypt$N$r$p$salt$hash`, base64url; hub/roster.ts). The name is
-- the sign-in name and the name on the log, so it is unique (case-insensitive).

CREATE TABLE officers (
  name          TEXT PRIMARY KEY COLLATE NOCASE,
  position      TEXT NOT NULL,
  agency        TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('officer', 'supervisor')),
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

-- The newest handover note per console, shown to the next officer who signs in there.
CREATE TABLE handovers (
  console_id TEXT PRIMARY KEY,
  log_seq    INTEGER NOT NULL,
  doc        TEXT NOT NULL CHECK (json_valid(doc))
) STRICT;
