//! The storage interface the pages and server functions need. The server crate implements it
//! for SQLite and PostgreSQL (`server/src/store/`); both pass the same tests.

use crate::model::auth::{RoleGrant, TokenKind};
use crate::model::meeting::{Meeting, MeetingQuery};
use crate::model::report::{Report, ReportState};
use crate::model::task::{Task, TaskQuery};
use crate::model::{Indicator, NewObservation, Observation, Period, Revision, Source, Unit};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub type SharedStore = Arc<dyn Store>;

/// Called after every commit that gave out a seq (values, layouts…): the live stream's bus
/// reads what was committed. Set once, by the server, when the stream starts.
pub type CommitHook = Arc<dyn Fn() + Send + Sync>;

/// What the store could not do, said in the person's language; the database's own error, when
/// it was the cause, is kept as the [`std::error::Error::source`] (for the logs and the command
/// line; a screen shows only the message).
#[derive(Debug)]
pub enum StoreError {
    Unavailable(Detail),
    WriteRefused(Detail),
    Conflict(Detail),
    Other(Detail),
}

impl StoreError {
    pub fn unavailable(message: impl Into<String>) -> Self {
        StoreError::Unavailable(Detail::new(message))
    }
    pub fn write_refused(message: impl Into<String>) -> Self {
        StoreError::WriteRefused(Detail::new(message))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        StoreError::Conflict(Detail::new(message))
    }
    pub fn other(message: impl Into<String>) -> Self {
        StoreError::Other(Detail::new(message))
    }

    /// An error nothing says better than its cause, which it keeps.
    pub fn because(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::other(cause.to_string()).caused_by(cause)
    }

    /// The same error, caused by `cause`.
    pub fn caused_by(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.detail_mut().cause = Some(Box::new(cause));
        self
    }

    fn detail(&self) -> &Detail {
        match self {
            StoreError::Unavailable(d)
            | StoreError::WriteRefused(d)
            | StoreError::Conflict(d)
            | StoreError::Other(d) => d,
        }
    }

    fn detail_mut(&mut self) -> &mut Detail {
        match self {
            StoreError::Unavailable(d)
            | StoreError::WriteRefused(d)
            | StoreError::Conflict(d)
            | StoreError::Other(d) => d,
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            StoreError::Unavailable(_) => {
                "cơ sở dữ liệu không truy cập được (database unavailable)"
            }
            StoreError::WriteRefused(_) => "cơ sở dữ liệu từ chối ghi (database refused the write)",
            StoreError::Conflict(_) => "đã tồn tại (already exists)",
            StoreError::Other(_) => "lỗi cơ sở dữ liệu (database error)",
        };
        write!(f, "{what}: {}", self.detail())
    }
}

/// The source is the cause itself (the message is already in the error's own text).
impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.detail()
            .cause
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

/// A [`StoreError`]'s message and what caused it.
#[derive(Debug)]
pub struct Detail {
    message: String,
    cause: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Detail {
    fn new(message: impl Into<String>) -> Self {
        Detail {
            message: message.into(),
            cause: None,
        }
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A person's account as stored (with the password hash: never sent to a screen).
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub disabled: bool,
    pub roles: Vec<RoleGrant>,
}

/// An account's e-mail address and notification choices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    pub user_id: i64,
    pub email: Option<String>,
    pub prefs: crate::model::notification::NotifyPrefs,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<RoleGrant>,
    /// Where notifications are mailed (None: the inbox only).
    pub email: Option<String>,
}

/// One row of the append-only audit log, as written. `before` and `after` are JSON text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditEntry {
    pub actor: String,
    /// `user`, `token`, `display` or `system`.
    pub actor_kind: String,
    pub role: Option<String>,
    pub unit: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub address: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl AuditEntry {
    pub fn system(action: &str, target: &str) -> AuditEntry {
        AuditEntry {
            actor: "system".into(),
            actor_kind: "system".into(),
            action: action.into(),
            target: Some(target.into()),
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub entry: AuditEntry,
}

/// A machine credential as stored (never the token itself).
#[derive(Clone, Debug, PartialEq)]
pub struct TokenRecord {
    pub id: i64,
    pub kind: TokenKind,
    pub name: String,
    pub units: Vec<String>,
    pub display_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// An API token that may also set its units' targets and plans.
    pub sets_targets: bool,
}

#[derive(Clone, Debug)]
pub struct NewToken {
    pub kind: TokenKind,
    pub name: String,
    pub token_hash: String,
    pub units: Vec<String>,
    pub display_id: Option<i64>,
    pub sets_targets: bool,
    pub created_by: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A wall screen.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DisplayRecord {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    pub config: crate::model::display::DisplayConfig,
}

/// An attachment as stored: what pages see, and where its bytes are.
#[derive(Clone, Debug, PartialEq)]
pub struct AttachmentRecord {
    pub attachment: crate::model::attachment::Attachment,
    /// Hex SHA-256 of the bytes: their file name in the attachments folder.
    pub sha256: String,
    pub uploaded_by: String,
}

/// One committed change, as the live stream reads them in seq order.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A new revision of a value.
    Observation(Observation),
    /// Anything else (a screen's layout, a task): the topic it concerns and the update's `data`
    /// as JSON text.
    Event {
        seq: i64,
        topic: String,
        payload: String,
    },
}

impl Change {
    pub fn seq(&self) -> i64 {
        match self {
            Change::Observation(o) => o.seq,
            Change::Event { seq, .. } => *seq,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub limit: u32,
}

/// What one call to [`Store::store_observations`] did, all in one transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreOutcome {
    /// Values that were new or changed (a changed value is a new revision).
    pub stored: u64,
    /// Values identical to the stored ones: nothing was written for them.
    pub unchanged: u64,
    /// Values the store computed from these in the same transaction (national sums, formulas)
    /// that changed with them.
    pub computed: u64,
    /// The highest `seq` the batch was given, when anything was stored.
    pub last_seq: Option<i64>,
}

/// Filters for reading observations; every field narrows the result.
#[derive(Clone, Debug, Default)]
pub struct ObservationQuery {
    pub indicator: Option<String>,
    pub unit: Option<String>,
    /// Only the units whose parent this is (a province's communes, the nation's provinces).
    pub parent: Option<String>,
    pub from: Option<Period>,
    pub to: Option<Period>,
    /// Only the values after this one, in the answer's order (indicator, unit, period): the
    /// next page of a long answer.
    pub after: Option<(String, String, Period)>,
    /// At most this many values.
    pub limit: Option<u32>,
    /// The values as they stood when this seq was committed: each one's latest revision at or
    /// before it (what a brief frozen at a seq reads). None: the values as they are now.
    pub as_of: Option<i64>,
}

/// Which latest values a live snapshot holds (one per indicator and unit: its newest period).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LatestScope {
    /// The nation and the provinces.
    NationalAndProvinces,
    Unit(String),
    Indicator(String),
    /// One indicator's provinces (a wall's map).
    ProvincesOf(String),
    /// The series whose newest value arrived far from its history (the alerts in force).
    Outliers,
}

/// The latest values of a scope as of `seq`: every write with a higher seq came after.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub seq: i64,
    pub observations: Vec<Observation>,
}

/// An indicator's alert thresholds and target as an admin set them (None: not set).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Threshold {
    pub indicator: String,
    pub target: Option<f64>,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
}

impl Threshold {
    /// Where `value` stands against these thresholds, in the indicator's bad direction, with
    /// the threshold it passed (`Cleared` within both); None when neither is set.
    pub fn level(
        &self,
        direction: crate::model::GoodDirection,
        value: f64,
    ) -> Option<(crate::model::live::AlertLevel, Option<f64>)> {
        use crate::model::GoodDirection;
        use crate::model::live::AlertLevel;
        let crosses = |threshold: f64| match direction {
            GoodDirection::Up => value < threshold,
            GoodDirection::Down => value > threshold,
            // Neither direction is good or bad: a threshold is a bound on the magnitude.
            _ => value.abs() > threshold.abs(),
        };
        match (self.critical, self.warning) {
            (Some(c), _) if crosses(c) => Some((AlertLevel::Critical, Some(c))),
            (_, Some(w)) if crosses(w) => Some((AlertLevel::Warning, Some(w))),
            (None, None) => None,
            _ => Some((AlertLevel::Cleared, None)),
        }
    }
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`, for logs and `/metrics`.
    fn backend(&self) -> &'static str;

    /// Succeeds when the database answers a query.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Sets the hook called after each commit that gave out a seq (the first call wins).
    fn on_commit(&self, hook: CommitHook);

    /// Inserts or replaces the given units and indicators, in the order given (parents before
    /// children): how the built-in catalogue is written into a new database.
    async fn seed_catalogue(
        &self,
        units: &[Unit],
        indicators: &[Indicator],
    ) -> Result<(), StoreError>;

    /// Every unit, in catalogue order.
    async fn units(&self) -> Result<Vec<Unit>, StoreError>;

    /// Former units and their successors, oldest first.
    async fn successions(&self) -> Result<Vec<crate::model::Succession>, StoreError>;

    /// Writes successions (replacing one of the same former code and day).
    async fn seed_successions(
        &self,
        successions: &[crate::model::Succession],
    ) -> Result<(), StoreError>;

    /// The reporting regimes, retired ones too, in the order they were created.
    async fn regimes(&self) -> Result<Vec<crate::model::regime::Regime>, StoreError>;

    /// The one write of regime changes, as [`Store::save_indicators`] is of indicators: in one
    /// transaction, inserts or replaces each regime, writes `audits` and announces `notice`.
    async fn save_regimes(
        &self,
        regimes: &[crate::model::regime::Regime],
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError>;

    /// The codes of the regimes under which at least one report was made.
    async fn regimes_with_reports(&self) -> Result<std::collections::HashSet<String>, StoreError>;

    /// The codes of the indicators that have at least one value.
    async fn indicators_with_values(&self)
    -> Result<std::collections::HashSet<String>, StoreError>;

    /// The one write of catalogue changes: in one transaction, inserts or replaces each
    /// indicator (a new one goes after the others), writes `audits`, and announces `notice`
    /// (JSON) on the live stream's `catalogue` topic with the next seq. Returns that seq.
    async fn save_indicators(
        &self,
        indicators: &[Indicator],
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError>;

    /// Writes units as [`Store::save_indicators`] writes indicators: each unit inserted or
    /// replaced (a new one after the others) with the successions it makes from the day it
    /// ends (replacing those it had after `today`; those in force are history), the audit rows
    /// and the notice, in one transaction.
    async fn save_units(
        &self,
        units: &[crate::catalogue::unit_file::UnitRecord],
        audits: &[AuditEntry],
        notice: &str,
        today: chrono::NaiveDate,
    ) -> Result<i64, StoreError>;

    /// Every target and plan point (`mục tiêu, kế hoạch`), read with the catalogue.
    async fn targets(&self) -> Result<Vec<crate::model::target::TargetRow>, StoreError>;

    /// Sets each target or plan point of `items` (takes away those without a value), with the
    /// audit rows and the catalogue's notice, in one transaction.
    async fn save_targets(
        &self,
        items: &[crate::catalogue::target_file::TargetEntry],
        audits: &[AuditEntry],
        notice: &str,
    ) -> Result<i64, StoreError>;

    /// Every note on the record not taken away, oldest day first, read with the catalogue.
    async fn notes(&self) -> Result<Vec<crate::model::note::Note>, StoreError>;

    /// Stores a new note (id 0) or its next version (if still at its `version`, else
    /// `Conflict`), with `audit` and the catalogue's notice (`changed_notes`), in one
    /// transaction. Returns its id.
    async fn save_note(
        &self,
        note: &crate::model::note::Note,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError>;

    /// Of `codes`, the units holding values: the first days of their earliest and latest
    /// periods with a value.
    async fn value_spans(
        &self,
        codes: &[String],
    ) -> Result<std::collections::HashMap<String, (chrono::NaiveDate, chrono::NaiveDate)>, StoreError>;

    async fn unit(&self, code: &str) -> Result<Option<Unit>, StoreError>;

    /// Units whose parent is `code`, in catalogue order.
    async fn children(&self, code: &str) -> Result<Vec<Unit>, StoreError>;

    /// Every indicator, in catalogue order.
    async fn indicators(&self) -> Result<Vec<Indicator>, StoreError>;

    /// For each indicator the unit reports, its latest `per_indicator` points (period, value,
    /// simulated), oldest first: what a unit's cards draw. The database gives one row per
    /// indicator, not one per value: at 200 indicators a page read 4,600 rows, and the rows,
    /// not the lookups, were most of its time.
    async fn recent_points(
        &self,
        unit: &str,
        per_indicator: usize,
    ) -> Result<Vec<(String, Vec<crate::model::view::Point>)>, StoreError>;

    /// Published values matching `query`, by indicator, unit and period.
    async fn observations(&self, query: &ObservationQuery) -> Result<Vec<Observation>, StoreError>;

    /// For each series (indicator, unit) and period, the series' latest `per_series` values
    /// before that period with their periods, newest first: the history a value arriving is
    /// judged against, and the year so far of an open-data page's first value.
    async fn values_before(
        &self,
        series: &[(String, String, Period)],
        per_series: usize,
    ) -> Result<std::collections::HashMap<(String, String), Vec<(Period, f64)>>, StoreError>;

    /// The one write path for values: in one transaction, stores each value that is new or
    /// changed (a changed one as a new revision) and gives it the next `seq`, allocated in
    /// commit order. Identical values are counted as unchanged and not written.
    /// `audit` (with the counts added by the store) is written in the same transaction.
    async fn store_observations(
        &self,
        batch: &[NewObservation],
        source: Source,
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError>;

    async fn count_observations(&self) -> Result<u64, StoreError>;

    /// Every revision of one value, oldest first, with its source, note and reference.
    async fn revisions(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
    ) -> Result<Vec<Revision>, StoreError>;

    /// The changes committed after `seq` (revisions of values and other events), in seq order,
    /// at most `limit`: the live stream's feed.
    async fn changes_since(&self, seq: i64, limit: u32) -> Result<Vec<Change>, StoreError>;

    /// The newest value of each indicator and unit in `scope`, read together with the seq they
    /// are current at.
    async fn latest(&self, scope: &LatestScope) -> Result<Snapshot, StoreError>;

    /// The highest seq committed.
    async fn current_seq(&self) -> Result<i64, StoreError>;

    /// Thresholds and targets set by admins, by indicator.
    async fn thresholds(&self) -> Result<Vec<Threshold>, StoreError>;

    /// Sets (or clears, with all None) one indicator's thresholds and target, with `audit`.
    async fn set_threshold(&self, t: &Threshold, audit: &AuditEntry) -> Result<(), StoreError>;

    /// A unit's report for a period under a regime, if one was started.
    async fn report(
        &self,
        regime: &str,
        unit: &str,
        period: &Period,
    ) -> Result<Option<Report>, StoreError>;

    /// Every stored report for `period` (of every regime), without values.
    async fn report_states(&self, period: &Period) -> Result<Vec<ReportState>, StoreError>;

    /// A unit's reports, newest period first (at most `limit`).
    async fn reports_of(&self, unit: &str, limit: u32) -> Result<Vec<Report>, StoreError>;

    /// Stores `report` as version `expected + 1` if the stored one is still version `expected`
    /// (0: none stored yet), else `Conflict`; in the same transaction publishes `publish` (an
    /// approval's values, already validated) with the source `form` as `store_observations` does,
    /// and writes the audit row.
    async fn save_report(
        &self,
        report: &Report,
        expected: i64,
        publish: &[NewObservation],
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError>;

    /// Stores `reports` that no stored report has the regime, unit and period of yet, as version 1,
    /// with one audit row, in one transaction; answers how many were new. For a history brought
    /// in before the centre serves (the demo's), so nothing is announced to screens.
    async fn import_reports(
        &self,
        reports: &[Report],
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;

    /// A meeting with its agenda, participants and conclusions.
    async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError>;

    /// The meetings matching `query`, by start time.
    async fn meetings(&self, query: &MeetingQuery) -> Result<Vec<Meeting>, StoreError>;

    /// Stores `meeting` (new when its id is 0) if the stored one is still at `meeting.version`,
    /// else `Conflict`; with it the new `tasks` its conclusion assigns (each announced on the
    /// `tasks` topic) and `audit`, in one transaction. Returns the meeting's and the tasks' ids.
    async fn save_meeting(
        &self,
        meeting: &Meeting,
        tasks: &[Task],
        audit: &AuditEntry,
    ) -> Result<(i64, Vec<i64>), StoreError>;

    async fn task(&self, id: i64) -> Result<Option<Task>, StoreError>;

    /// The tasks matching `query`, oldest first.
    async fn tasks(&self, query: &TaskQuery) -> Result<Vec<Task>, StoreError>;

    /// Stores new tasks (id 0) and changed ones (if still at their `version`, else `Conflict`),
    /// each announced on the `tasks` topic, with `audit`, in one transaction. Returns the ids.
    async fn save_tasks(&self, tasks: &[Task], audit: &AuditEntry) -> Result<Vec<i64>, StoreError>;

    async fn explanation(
        &self,
        id: i64,
    ) -> Result<Option<crate::model::explanation::ExplanationRequest>, StoreError>;

    /// The explanation requests matching `query`, newest first.
    async fn explanations(
        &self,
        query: &crate::model::explanation::ExplanationQuery,
    ) -> Result<Vec<crate::model::explanation::ExplanationRequest>, StoreError>;

    /// Stores a new request (id 0) or its next turn (if still at its `version`, else
    /// `Conflict`), announced on the `explanations` topic, with `audit`, in one transaction.
    async fn save_explanation(
        &self,
        request: &crate::model::explanation::ExplanationRequest,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError>;

    /// Every stored version of every month's brief, newest month and version first (without
    /// their figures).
    async fn briefs(&self) -> Result<Vec<crate::brief::model::BriefRecord>, StoreError>;

    /// One stored brief with its figures.
    async fn brief(
        &self,
        id: i64,
    ) -> Result<Option<(crate::brief::model::BriefRecord, crate::brief::model::Brief)>, StoreError>;

    /// Stores a brief as the month's next version (`record.id` 0), or changes a draft at its
    /// `revision` (its figures too when `brief` is given). A final version, or one changed
    /// meanwhile, is not changed: `Conflict`. With `audit`, in one transaction; returns the
    /// id and the month's version.
    async fn save_brief(
        &self,
        record: &crate::brief::model::BriefRecord,
        brief: Option<&crate::brief::model::Brief>,
        audit: &AuditEntry,
    ) -> Result<(i64, i64), StoreError>;

    /// Records an attachment whose bytes were written under their hash, with `audit`.
    async fn add_attachment(
        &self,
        a: &AttachmentRecord,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError>;

    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRecord>, StoreError>;

    /// The public holidays every regime counts working days by.
    async fn reporting_calendar(
        &self,
    ) -> Result<crate::model::reporting::ReportingCalendar, StoreError>;

    /// Adds or renames a holiday (`Some(name)`), or removes it (`None`).
    async fn set_holiday(
        &self,
        day: chrono::NaiveDate,
        name: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Small settings the program keeps in its database (for example the demo seed it holds).
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Creates an account with its roles; `audit` is written in the same transaction.
    /// A taken username is [`StoreError::Conflict`].
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, StoreError>;

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError>;

    /// Replaces a password hash and ends every session of the account, with `audit`.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Starts a session (the token's hash only) and records the sign-in, in one transaction;
    /// sessions already expired are deleted in the same transaction (no sign-in is needed to
    /// end them, and nothing should keep their hashes).
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
        address: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// The account behind an unexpired session of an enabled account.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>, StoreError>;

    /// Ends one session (`all = false`) or every session of its account (`all = true`), with `audit`.
    async fn end_session(
        &self,
        token_hash: &str,
        all: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Appends to the audit log on its own (for events that change nothing else, such as a
    /// failed sign-in).
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;

    /// Newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;

    /// Disables (or enables again) an account; disabling ends its sessions. With `audit`.
    async fn set_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Every account, by username.
    async fn users(&self) -> Result<Vec<UserRecord>, StoreError>;

    /// Each account's e-mail address and notification choices (`only` that account's).
    async fn contacts(&self, only: Option<i64>) -> Result<Vec<Contact>, StoreError>;

    /// Sets an account's e-mail address (None: none) and choices, with `audit`.
    async fn set_contact(
        &self,
        user_id: i64,
        email: Option<&str>,
        prefs: &crate::model::notification::NotifyPrefs,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// The figures followed (`only` that account's), by account, indicator and unit.
    async fn follows(
        &self,
        only: Option<i64>,
    ) -> Result<Vec<crate::model::notification::Follow>, StoreError>;

    /// Follows a figure (`on`) or stops following it; `audit` in the same transaction when
    /// that changed anything. Whether it did.
    async fn set_follow(
        &self,
        follow: &crate::model::notification::Follow,
        on: bool,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;

    /// Stores each notification not decided before (one per person and `about`: a second
    /// instance deciding the same changes nothing); the number stored.
    async fn notify(
        &self,
        items: &[crate::model::notification::NewNotification],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError>;

    /// A person's latest notifications, newest first.
    async fn inbox(
        &self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<crate::model::notification::Notification>, StoreError>;

    /// How many of a person's notifications are unread.
    async fn unread(&self, user_id: i64) -> Result<i64, StoreError>;

    /// Marks a person's notifications read (`ids`; every one when empty).
    async fn mark_read(
        &self,
        user_id: i64,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Up to `limit` e-mails due by `now` (pending, or kept for the digest and made before
    /// `digest_before`; their next try passed, claimed by no live instance), oldest first.
    async fn outbox(
        &self,
        now: DateTime<Utc>,
        digest_before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<crate::model::notification::Outgoing>, StoreError>;

    /// Claims one e-mail for instance `by` until `until`; false when another has it or it is
    /// no longer waiting.
    async fn claim_mail(
        &self,
        id: i64,
        by: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Records what became of the try instance `by` made of a claimed e-mail.
    async fn mail_done(
        &self,
        id: i64,
        by: &str,
        outcome: &crate::model::notification::MailOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Stores a token's hash with its scope; `audit` in the same transaction.
    async fn create_token(&self, token: &NewToken, audit: &AuditEntry) -> Result<i64, StoreError>;

    /// The token with this hash, whatever its state (the caller says why it is refused).
    /// A live token's last use is recorded (at most once a minute).
    async fn token_by_hash(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError>;

    /// Revokes a token; false when there is no such live token.
    async fn revoke_token(&self, id: i64, audit: &AuditEntry) -> Result<bool, StoreError>;

    /// Every token, newest first.
    async fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError>;

    /// Creates a wall screen and its display token (the hash in `token`) in one transaction.
    /// A taken name is [`StoreError::Conflict`].
    async fn create_display(
        &self,
        name: &str,
        token: &NewToken,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError>;

    async fn display(&self, id: i64) -> Result<Option<DisplayRecord>, StoreError>;

    async fn displays(&self) -> Result<Vec<DisplayRecord>, StoreError>;

    /// Replaces a screen's layout and playlist and announces it on the live stream (topic
    /// `display:<id>`, with the next seq), with `audit`, in one transaction. False: no such screen.
    async fn set_display_config(
        &self,
        id: i64,
        config: &crate::model::display::DisplayConfig,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;

    /// Closes the pool; later calls fail.
    async fn close(&self);
}
