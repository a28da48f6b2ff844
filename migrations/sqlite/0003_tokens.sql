-- Machine credentials. Only the SHA-256 of a token is kept; the token is shown once.
-- kind 'api': the national reporting system, scoped to units (api_token_units).
-- kind 'display': a wall screen, read-only, bound to one display (display_id, issue 5).
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('api', 'display')),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    display_id   INTEGER,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);

CREATE TABLE api_token_units (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    unit     TEXT NOT NULL REFERENCES units (code),
    PRIMARY KEY (token_id, unit)
);
