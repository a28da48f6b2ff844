-- Wall screens. Each authenticates with a display token (api_tokens.kind = 'display',
-- api_tokens.display_id = displays.id). Layouts and playlists arrive with the wall (issue 5).
CREATE TABLE displays (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);
