-- Notifications (thông báo, issue 26): what the centre tells a person, decided once (one row
-- per person and `about`, whatever the number of instances) and shown in their inbox; the
-- e-mail of it is an outbox: `pending` until an instance claims it (`claimed_until`), sends it
-- and marks it `sent`; a refusal is `failed` with its reason; a server down waits for
-- `next_try_at`. `none`: no address, or the person wants no mail of this kind.
ALTER TABLE users ADD COLUMN email TEXT;
-- Each kind's delivery as the person chose it, JSON {"report_overdue":"digest",…}; a kind not
-- named is sent at once.
ALTER TABLE users ADD COLUMN notify_prefs TEXT NOT NULL DEFAULT '{}';

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    about         TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    link          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    read_at       TEXT,
    mail          TEXT NOT NULL CHECK (mail IN ('none', 'pending', 'digest', 'sent', 'failed')),
    mail_to       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_try_at   TEXT,
    claimed_by    TEXT,
    claimed_until TEXT,
    sent_at       TEXT,
    error         TEXT,
    UNIQUE (user_id, about)
);
CREATE INDEX notifications_inbox ON notifications (user_id, id);
CREATE INDEX notifications_outbox ON notifications (next_try_at) WHERE mail = 'pending';
