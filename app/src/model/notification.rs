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
    /// A task given to the unit (its officers).
    TaskAssigned,
    /// A task due within 3 working days and not done (the lead unit's officers).
    TaskDue,
    /// A task past its deadline and not done (the lead unit's officers and approvers).
    TaskOverdue,
    /// An extension of a task's deadline granted or refused (the lead unit and the
    /// secretariat).
    ExtensionDecided,
    /// A leader or the secretariat asks the unit to explain a figure (its officers).
    ExplanationAsked,
    /// The unit answered (the person who asked).
    ExplanationAnswered,
    /// The answer is late (the unit's officers and the person who asked).
    ExplanationOverdue,
    /// A brief's draft composed by the schedule (the secretariat), or a brief marked final (the
    /// leaders and the secretariat).
    BriefReady,
    /// A value of a figure the person follows past an administrator's threshold, or far from
    /// its history (the person who follows it).
    FigureAlert,
}

impl NotifyKind {
    pub const ALL: [NotifyKind; 13] = [
        NotifyKind::ReportDue,
        NotifyKind::ReportOverdue,
        NotifyKind::ReportWaiting,
        NotifyKind::ReportReturned,
        NotifyKind::TaskAssigned,
        NotifyKind::TaskDue,
        NotifyKind::TaskOverdue,
        NotifyKind::ExtensionDecided,
        NotifyKind::ExplanationAsked,
        NotifyKind::ExplanationAnswered,
        NotifyKind::ExplanationOverdue,
        NotifyKind::BriefReady,
        NotifyKind::FigureAlert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotifyKind::ReportDue => "report_due",
            NotifyKind::ReportOverdue => "report_overdue",
            NotifyKind::ReportWaiting => "report_waiting",
            NotifyKind::ReportReturned => "report_returned",
            NotifyKind::TaskAssigned => "task_assigned",
            NotifyKind::TaskDue => "task_due",
            NotifyKind::TaskOverdue => "task_overdue",
            NotifyKind::ExtensionDecided => "extension_decided",
            NotifyKind::ExplanationAsked => "explanation_asked",
            NotifyKind::ExplanationAnswered => "explanation_answered",
            NotifyKind::ExplanationOverdue => "explanation_overdue",
            NotifyKind::BriefReady => "brief_ready",
            NotifyKind::FigureAlert => "figure_alert",
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
            NotifyKind::TaskAssigned => "Nhiệm vụ được giao",
            NotifyKind::TaskDue => "Nhiệm vụ sắp đến hạn",
            NotifyKind::TaskOverdue => "Nhiệm vụ quá hạn",
            NotifyKind::ExtensionDecided => "Quyết định gia hạn nhiệm vụ",
            NotifyKind::ExplanationAsked => "Yêu cầu giải trình",
            NotifyKind::ExplanationAnswered => "Giải trình đã được trả lời",
            NotifyKind::ExplanationOverdue => "Giải trình quá hạn",
            NotifyKind::BriefReady => "Báo cáo phiên họp đã sẵn sàng",
            NotifyKind::FigureAlert => "Cảnh báo về số liệu đang theo dõi",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            NotifyKind::ReportDue => "Report due soon",
            NotifyKind::ReportOverdue => "Report overdue",
            NotifyKind::ReportWaiting => "Report waiting for approval",
            NotifyKind::ReportReturned => "Report returned",
            NotifyKind::TaskAssigned => "Task assigned",
            NotifyKind::TaskDue => "Task due soon",
            NotifyKind::TaskOverdue => "Task overdue",
            NotifyKind::ExtensionDecided => "Extension decided",
            NotifyKind::ExplanationAsked => "Explanation requested",
            NotifyKind::ExplanationAnswered => "Explanation answered",
            NotifyKind::ExplanationOverdue => "Explanation overdue",
            NotifyKind::BriefReady => "Meeting brief ready",
            NotifyKind::FigureAlert => "Alert on a figure you follow",
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

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Immediately, Delivery::Digest, Delivery::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Immediately => "immediately",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// Vietnamese, then English.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Immediately => "Gửi ngay (at once)",
            Delivery::Digest => "Gộp vào thư hằng ngày (daily digest)",
            Delivery::Off => "Không gửi thư (no e-mail)",
        }
    }
}

/// A person's choices, by kind; a kind not named is sent at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NotifyPrefs(pub BTreeMap<NotifyKind, Delivery>);

impl NotifyPrefs {
    pub fn of(&self, kind: NotifyKind) -> Delivery {
        self.0.get(&kind).copied().unwrap_or_default()
    }

    /// The choices as the account form sends them: `kind=delivery` pairs separated by commas
    /// (`report_due=digest,report_waiting=off`). Every unknown kind or choice is named, in
    /// Vietnamese then English.
    pub fn read(text: &str) -> Result<NotifyPrefs, String> {
        let mut prefs = NotifyPrefs::default();
        let mut problems = Vec::new();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let shown: String = pair.chars().take(40).collect();
            match pair.split_once('=') {
                Some((kind, choice)) => match (NotifyKind::parse(kind.trim()), Delivery::parse(choice.trim())) {
                    (Some(k), Some(d)) => {
                        prefs.0.insert(k, d);
                    }
                    (None, _) => problems.push(format!("không có loại thông báo “{shown}” (no such kind)")),
                    (_, None) => problems.push(format!(
                        "“{shown}”: chọn immediately, digest hoặc off (choose immediately, digest or off)"
                    )),
                },
                None => problems.push(format!("“{shown}”: viết loại=cách gửi (write kind=choice)")),
            }
        }
        if problems.is_empty() {
            Ok(prefs)
        } else {
            Err(problems.join("; "))
        }
    }

    /// The choices as [`NotifyPrefs::read`] reads them.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|(k, d)| format!("{}={}", k.as_str(), d.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The signed-in person's own e-mail settings, as their account page shows them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MailSettings {
    pub email: Option<String>,
    pub prefs: NotifyPrefs,
}

/// A figure a person follows (theo dõi): an indicator at a unit. They are told of its alerts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Follow {
    pub user_id: i64,
    pub indicator: String,
    pub unit: String,
    pub since: chrono::DateTime<chrono::Utc>,
}

/// A followed figure as the account page lists it, with its names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowLine {
    pub indicator: String,
    pub unit: String,
    pub indicator_name: String,
    pub unit_name: String,
}

/// Figures one person may follow at most.
pub const MAX_FOLLOWS: usize = 100;

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

/// What the live stream says of a person's inbox (`inbox:<id>`): how many are unread now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxNotice {
    pub unread: i64,
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
    /// Waiting for the person's daily digest, sent in one e-mail with the others of the day.
    pub digest: bool,
}

/// The last moment, up to `now`, that the daily digest was due: `hour` o'clock in Viet Nam.
/// Notifications kept for the digest that are older than it go out in one e-mail per person;
/// newer ones wait for the next day's, so each person gets at most one digest a day.
pub fn digest_cutoff(
    now: chrono::DateTime<chrono::Utc>,
    hour: u32,
) -> chrono::DateTime<chrono::Utc> {
    let local = crate::model::vietnam_time(now);
    let today = local
        .date()
        .and_hms_opt(hour.min(23), 0, 0)
        .unwrap_or(local);
    let due = if local >= today {
        today
    } else {
        today - chrono::Duration::days(1)
    };
    (due - chrono::Duration::hours(7)).and_utc()
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
    fn the_account_form_s_choices_round_trip_and_bad_ones_are_named() {
        let prefs = NotifyPrefs::read(" report_due=digest, report_waiting=off ,").unwrap();
        assert_eq!(prefs.of(NotifyKind::ReportDue), Delivery::Digest);
        assert_eq!(prefs.of(NotifyKind::ReportWaiting), Delivery::Off);
        assert_eq!(prefs.of(NotifyKind::ReportOverdue), Delivery::Immediately);
        assert_eq!(NotifyPrefs::read(&prefs.text()), Ok(prefs));
        let e = NotifyPrefs::read("report_due=weekly,spam=off,report_due").unwrap_err();
        assert!(
            e.contains("report_due=weekly")
                && e.contains("“spam=off”")
                && e.contains("kind=choice"),
            "{e}"
        );
    }

    #[test]
    fn the_digest_is_due_at_its_hour_in_viet_nam_once_a_day() {
        let utc = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
                .unwrap()
                .and_utc()
        };
        // 07:00 in Ha Noi is 00:00 UTC.
        assert_eq!(
            digest_cutoff(utc("2026-12-05 00:30"), 7),
            utc("2026-12-05 00:00")
        );
        assert_eq!(
            digest_cutoff(utc("2026-12-04 23:59"), 7),
            utc("2026-12-04 00:00")
        );
        assert_eq!(
            digest_cutoff(utc("2026-12-05 00:00"), 7),
            utc("2026-12-05 00:00")
        );
        // 18:00 in Ha Noi is 11:00 UTC; at 10:00 UTC the last one was yesterday's.
        assert_eq!(
            digest_cutoff(utc("2026-12-05 10:00"), 18),
            utc("2026-12-04 11:00")
        );
    }

    #[test]
    fn a_server_down_is_tried_again_later_and_later() {
        let minute = chrono::Duration::minutes(1);
        assert_eq!(backoff(0, minute), minute);
        assert_eq!(backoff(3, minute), chrono::Duration::minutes(8));
        assert_eq!(backoff(40, minute), chrono::Duration::hours(6));
    }
}
