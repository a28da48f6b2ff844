-- Phiên họp and nhiệm vụ. As with reports, each whole record (agenda, participants and
-- conclusions of a meeting; source, units, history of a task) is JSON in `body`, and the
-- columns beside it are what lists, filters and counts query. `version` guards each change
-- against a concurrent one. Every change also writes an audit row and, for tasks, a
-- `change_log` row on the `tasks` topic, in the same transaction.
CREATE TABLE meetings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('regular', 'thematic', 'online')),
    starts_at  TIMESTAMP NOT NULL,   -- Viet Nam's time
    version    BIGINT NOT NULL CHECK (version > 0),
    updated_at TIMESTAMPTZ NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX meetings_by_start ON meetings (starts_at);

CREATE TABLE tasks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_unit   TEXT NOT NULL REFERENCES units (code),
    meeting_id  BIGINT REFERENCES meetings (id),
    assigned_on DATE NOT NULL,
    deadline    DATE,           -- the deadline in force (an extension granted replaces it)
    done_on     DATE,
    version     BIGINT NOT NULL CHECK (version > 0),
    updated_at  TIMESTAMPTZ NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX tasks_by_lead ON tasks (lead_unit, assigned_on);
CREATE INDEX tasks_by_meeting ON tasks (meeting_id);
CREATE INDEX tasks_by_deadline ON tasks (deadline) WHERE done_on IS NULL;

-- Tài liệu đính kèm: the bytes live in the attachments folder under their SHA-256 (never under
-- the sender's file name); this row keeps the name shown, the type served and who sent it.
CREATE TABLE attachments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL
);
