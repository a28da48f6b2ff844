-- People, their roles, their sessions, and the append-only audit log.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL, -- Argon2id PHC string
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- A role, scoped to a unit where the role is scoped (officer, approver).
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'secretariat', 'officer', 'approver')),
    unit    TEXT REFERENCES units (code),
    UNIQUE (user_id, role, unit)
);

-- Server-side sessions; the cookie carries a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only: nothing in the program updates or deletes these rows.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,   -- username, token name, or 'system'
    actor_kind TEXT NOT NULL,   -- user, token, display, system
    role       TEXT,
    unit       TEXT,
    action     TEXT NOT NULL,   -- e.g. sign_in, sign_in_failed, sign_out, user_create
    target     TEXT,
    address    TEXT,
    before     TEXT,            -- JSON
    after      TEXT             -- JSON
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
