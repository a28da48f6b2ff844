//! Notifications (thông báo): what the centre tells a person who may never open the right page,
//! in their inbox and by e-mail. Each is decided once per person and `about` (what it is about
//! and which step: the due reminder, the overdue notice, each escalation), so that any number of
//! instances and restarts decide it once.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyKind {
    /// A report due within 2 working days and not sent (the unit's officers).
    ReportDue,
    /// A report past its deadline: the officers, then their approvers, then the secretariat.
    ReportOverdue,
    /// A report sent and waiting for approval (the approvers).
    ReportWaiting,
    /// A report returned by its approver (the officers).
    ReportReturned,
}

impl NotifyKind {
    pub const ALL: [NotifyKind; 4] = [
        NotifyKind::ReportDue,
        NotifyKind::ReportOverdue,
        NotifyKind::ReportWaiting,
        NotifyKind::ReportReturned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotifyKind::ReportDue => "report_due",
            NotifyKind::ReportOverdue => "report_overdue",
            NotifyKind::ReportWaiting => "report_waiting",
            NotifyKind::ReportReturned => "report_returned",
        }
    }

    pub fn parse(s: &str) -> Option<NotifyKind> {
        NotifyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            NotifyKind::ReportDue => "Báo cáo sắp đến hạn",
            NotifyKind::ReportOverdue => "Báo cáo quá hạn",
            NotifyKind::ReportWaiting => "Báo cáo chờ phê duyệt",
            NotifyKind::ReportReturned => "Báo cáo bị trả lại",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            NotifyKind::ReportDue => "Report due soon",
            NotifyKind::ReportOverdue => "Report overdue",
            NotifyKind::ReportWaiting => "Report waiting for approval",
            NotifyKind::ReportReturned => "Report returned",
        }
    }
}

/// How a person wants a kind by e-mail (the inbox has every one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    #[default]
    Immediately,
    /// Once a day, with the others of the day.
    Digest,
    Off,
}

/// A person's choices, by kind; a kind not named is sent at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NotifyPrefs(pub BTreeMap<NotifyKind, Delivery>);

impl NotifyPrefs {
    pub fn of(&self, kind: NotifyKind) -> Delivery {
        self.0.get(&kind).copied().unwrap_or_default()
    }
}

/// Where a notification's e-mail stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    /// No e-mail: no address, or the person wants none of this kind.
    None,
    /// Waiting to be sent (again, after a failure, at its next try).
    Pending,
    /// Waiting for the day's digest.
    Digest,
    Sent,
    /// Refused for good (an address the server will not take); the reason is kept.
    Failed,
}

impl MailState {
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::None => "none",
            MailState::Pending => "pending",
            MailState::Digest => "digest",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MailState> {
        [
            MailState::None,
            MailState::Pending,
            MailState::Digest,
            MailState::Sent,
            MailState::Failed,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// A notification decided for one person, before it is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewNotification {
    pub user_id: i64,
    pub kind: NotifyKind,
    /// What it is about and which step ("report/MONTHLY/01/2026-10/overdue"): one per person.
    pub about: String,
    /// Vietnamese first, English after, in both.
    pub subject: String,
    pub body: String,
    /// The page it is about, as a path ("/entry?unit=01").
    pub link: String,
    /// Where the mail goes (None: no mail) and how.
    pub mail_to: Option<String>,
    pub delivery: Delivery,
}

/// A notification as the inbox shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: NotifyKind,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
    pub mail: MailState,
    /// Why its e-mail was refused, when it was.
    pub error: Option<String>,
}

/// An e-mail waiting in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub id: i64,
    pub mail_to: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    /// Tries made before this one.
    pub attempts: i64,
}

/// What became of one try.
#[derive(Clone, Debug, PartialEq)]
pub enum MailOutcome {
    Sent,
    /// The server could not be reached or answered "try later": try again at `at`.
    Retry {
        at: chrono::DateTime<chrono::Utc>,
        error: String,
    },
    /// The server refused it for good (the address, say).
    Failed {
        error: String,
    },
}

/// The wait before try `attempts + 1`: `first`, doubling, at most six hours.
pub fn backoff(attempts: i64, first: chrono::Duration) -> chrono::Duration {
    let wait = first * (1i32 << attempts.clamp(0, 16));
    wait.min(chrono::Duration::hours(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_read_by_kind_and_default_to_at_once() {
        let prefs: NotifyPrefs = serde_json::from_str(r#"{"report_overdue":"digest"}"#).unwrap();
        assert_eq!(prefs.of(NotifyKind::ReportOverdue), Delivery::Digest);
        assert_eq!(prefs.of(NotifyKind::ReportDue), Delivery::Immediately);
        for k in NotifyKind::ALL {
            assert_eq!(NotifyKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn a_server_down_is_tried_again_later_and_later() {
        let minute = chrono::Duration::minutes(1);
        assert_eq!(backoff(0, minute), minute);
        assert_eq!(backoff(3, minute), chrono::Duration::minutes(8));
        assert_eq!(backoff(40, minute), chrono::Duration::hours(6));
    }
}
