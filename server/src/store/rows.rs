//! The rows the queries read, as both databases return them, and their conversion into the
//! model's types (a row the model cannot hold is an error, never a panic).

use app::model::auth::{Role, RoleGrant};
use app::model::display::DisplayConfig;
use app::model::observation::{DataStatus, Usual};
use app::model::{Indicator, Observation, Period, Revision, Source, Unit, UnitKind};
use app::store::{
    AuditEntry, AuditRecord, DisplayRecord, StoreError, Threshold, TokenRecord, UserRecord,
};
use chrono::{DateTime, NaiveDate, Utc};

/// A row struct and its `sqlx::FromRow` (each field read by its name), for both databases. By
/// hand rather than sqlx's derive: the derive's feature builds a second copy of both database
/// drivers for the compiler (a minute and a half of a fresh machine's first build).
macro_rules! row {
    ($vis:vis struct $name:ident { $($fvis:vis $field:ident: $ty:ty),* $(,)? }) => {
        $vis struct $name { $($fvis $field: $ty),* }

        impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for $name
        where
            &'r str: sqlx::ColumnIndex<R>,
            $($ty: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,)*
        {
            fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
                Ok($name { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}

row! {
    pub(crate) struct UnitRow {
        code: String,
        kind: String,
        name_vi: String,
        name_en: Option<String>,
        parent: Option<String>,
        started: Option<chrono::NaiveDate>,
        ended: Option<chrono::NaiveDate>,
    }
}

/// The columns a [`UnitRow`] reads.
pub(crate) const UNIT_COLUMNS: &str = "code, kind, name_vi, name_en, parent, started, ended";

impl TryFrom<UnitRow> for Unit {
    type Error = StoreError;
    fn try_from(r: UnitRow) -> Result<Unit, StoreError> {
        Ok(Unit {
            kind: UnitKind::parse(&r.kind)
                .ok_or_else(|| StoreError::other(format!("unit {}: kind {}", r.code, r.kind)))?,
            code: r.code,
            name_vi: r.name_vi,
            name_en: r.name_en,
            parent: r.parent,
            started: r.started,
            ended: r.ended,
        })
    }
}

row! {
    pub(crate) struct IndicatorRow {
        code: String,
        name_vi: String,
        name_en: String,
        measure: String,
        measure_vi: String,
        periodicity: String,
        rollup: String,
        good_direction: String,
        owner: String,
        reported_by: String,
        target: Option<f64>,
        decimals: i16,
        field: String,
        change_kind: String,
        valid_min: Option<f64>,
        valid_max: Option<f64>,
        formula: Option<String>,
        retired_at: Option<DateTime<Utc>>,
        national_figure: String,
        year_total: bool,
        standing_by: String,
        at_risk_within: Option<f64>,
        consistency_within: Option<f64>,
        checked_against: Option<String>,
        weight: Option<String>,
    }
}

impl TryFrom<IndicatorRow> for Indicator {
    type Error = StoreError;
    fn try_from(r: IndicatorRow) -> Result<Indicator, StoreError> {
        use app::model::formula::Formula;
        use app::model::{ChangeKind, Field, GoodDirection, NationalFigure, Periodicity, Rollup};
        let bad = |what: &str| StoreError::other(format!("indicator {}: bad {what}", r.code));
        let standing_by = app::model::target::StandingBy::parse(&r.standing_by)
            .ok_or_else(|| bad("standing_by"))?;
        Ok(Indicator {
            field: Field::parse(&r.field).ok_or_else(|| bad("field"))?,
            change: ChangeKind::parse(&r.change_kind).ok_or_else(|| bad("change_kind"))?,
            valid_min: r.valid_min,
            valid_max: r.valid_max,
            formula: r
                .formula
                .as_deref()
                .map(Formula::parse)
                .transpose()
                .map_err(|_| bad("formula"))?,
            retired_at: r.retired_at,
            national: NationalFigure::parse(&r.national_figure)
                .ok_or_else(|| bad("national_figure"))?,
            periodicity: Periodicity::parse(&r.periodicity).ok_or_else(|| bad("periodicity"))?,
            rollup: Rollup::parse(&r.rollup).ok_or_else(|| bad("rollup"))?,
            good_direction: GoodDirection::parse(&r.good_direction)
                .ok_or_else(|| bad("good_direction"))?,
            reported_by: r
                .reported_by
                .split('|')
                .map(|k| UnitKind::parse(k).ok_or_else(|| bad("reported_by")))
                .collect::<Result<_, _>>()?,
            decimals: u8::try_from(r.decimals).map_err(|_| bad("decimals"))?,
            code: r.code,
            name_vi: r.name_vi,
            name_en: r.name_en,
            measure: r.measure,
            measure_vi: r.measure_vi,
            owner: r.owner,
            target: r.target,
            year_total: r.year_total,
            standing_by,
            at_risk_within: r.at_risk_within,
            consistency_within: r.consistency_within,
            checked_against: r.checked_against,
            weight: r.weight,
        })
    }
}

row! {
    pub(crate) struct RegimeRow {
        code: String,
        name_vi: String,
        name_en: String,
        legal_basis: String,
        periodicity: String,
        kinds: String,
        units: String,
        cutoff_day: i32,
        deadline_working_days: i32,
        indicators: String,
        in_force_from: Option<NaiveDate>,
        retired_at: Option<DateTime<Utc>>,
    }
}

/// A `|`-separated list as the regime columns keep it (empty: none).
fn split_list(text: &str) -> Vec<String> {
    text.split('|')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl TryFrom<RegimeRow> for app::model::regime::Regime {
    type Error = StoreError;
    fn try_from(r: RegimeRow) -> Result<Self, StoreError> {
        use app::model::Periodicity;
        use app::model::reporting::ReportingRules;
        let bad = |what: &str| StoreError::other(format!("regime {}: bad {what}", r.code));
        Ok(app::model::regime::Regime {
            periodicity: Periodicity::parse(&r.periodicity).ok_or_else(|| bad("periodicity"))?,
            kinds: split_list(&r.kinds)
                .iter()
                .map(|k| UnitKind::parse(k).ok_or_else(|| bad("kinds")))
                .collect::<Result<_, _>>()?,
            units: split_list(&r.units),
            rules: ReportingRules {
                cutoff_day: u32::try_from(r.cutoff_day).map_err(|_| bad("cutoff_day"))?,
                deadline_working_days: u32::try_from(r.deadline_working_days)
                    .map_err(|_| bad("deadline_working_days"))?,
            },
            indicators: split_list(&r.indicators),
            in_force_from: r.in_force_from,
            retired_at: r.retired_at,
            code: r.code,
            name_vi: r.name_vi,
            name_en: r.name_en,
            legal_basis: r.legal_basis,
        })
    }
}

/// An indicator's recent points as the database aggregates them, `[[period, value,
/// simulated, outlier], …]` in any order (SQLite gives the flags as 0 or 1), oldest first.
pub(crate) fn points(json: &str) -> Result<Vec<app::model::view::Point>, StoreError> {
    let bad = |why: &str| StoreError::other(format!("recent points: {why}"));
    let flag = |v: &serde_json::Value| v.as_bool().unwrap_or(v.as_i64() == Some(1));
    let rows: Vec<(String, f64, serde_json::Value, serde_json::Value)> =
        serde_json::from_str(json).map_err(|e| bad(&e.to_string()))?;
    let mut points = rows
        .into_iter()
        .map(|(period, value, simulated, outlier)| {
            Ok(app::model::view::Point {
                period: Period::parse(&period).map_err(|e| bad(&e.to_string()))?,
                value,
                simulated: flag(&simulated),
                outlier: flag(&outlier),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    points.sort_by_key(|p| p.period.start());
    Ok(points)
}

pub(crate) fn reported_by_text(i: &Indicator) -> String {
    i.reported_by
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

row! {
    pub(crate) struct ObservationRow {
        indicator: String,
        unit: String,
        period: String,
        value: f64,
        revision: i32,
        source: String,
        status: String,
        simulated: bool,
        seq: i64,
        updated_at: DateTime<Utc>,
        usual_low: Option<f64>,
        usual_high: Option<f64>,
    }
}

impl TryFrom<ObservationRow> for Observation {
    type Error = StoreError;
    fn try_from(r: ObservationRow) -> Result<Observation, StoreError> {
        Ok(Observation {
            period: Period::parse(&r.period).map_err(StoreError::because)?,
            source: Source::parse(&r.source)
                .ok_or_else(|| StoreError::other(format!("bad source {}", r.source)))?,
            indicator: r.indicator,
            unit: r.unit,
            value: r.value,
            revision: r.revision,
            status: DataStatus::parse(&r.status)
                .ok_or_else(|| StoreError::other(format!("bad status {}", r.status)))?,
            simulated: r.simulated,
            seq: r.seq,
            updated_at: r.updated_at,
            outlier: Usual::of(r.usual_low, r.usual_high),
        })
    }
}

/// Columns of `observations` read as an [`Observation`].
pub(crate) const OBS_COLUMNS: &str = "indicator, unit, period, value, revision, source, status, \
     simulated, seq, updated_at, usual_low, usual_high";

/// Columns of `observation_revisions` read as an [`Observation`] (the live stream's feed).
pub(crate) const CHANGE_COLUMNS: &str = "indicator, unit, period, value, revision, source, \
     'published' AS status, simulated, seq, recorded_at AS updated_at, usual_low, usual_high";

pub(crate) const REVISION_COLUMNS: &str =
    "indicator, unit, period, revision, value, source, note, source_ref, seq, recorded_at";

row! {
    pub(crate) struct RevisionRow {
        indicator: String,
        unit: String,
        period: String,
        revision: i32,
        value: f64,
        source: String,
        note: Option<String>,
        source_ref: Option<String>,
        seq: i64,
        recorded_at: DateTime<Utc>,
    }
}

impl TryFrom<RevisionRow> for Revision {
    type Error = StoreError;
    fn try_from(r: RevisionRow) -> Result<Revision, StoreError> {
        Ok(Revision {
            period: Period::parse(&r.period).map_err(StoreError::because)?,
            source: Source::parse(&r.source)
                .ok_or_else(|| StoreError::other(format!("bad source {}", r.source)))?,
            indicator: r.indicator,
            unit: r.unit,
            revision: r.revision,
            value: r.value,
            note: r.note,
            source_ref: r.source_ref,
            seq: r.seq,
            recorded_at: r.recorded_at,
        })
    }
}

/// A display row: id, name, created_by, config JSON (NULL: the default).
pub(crate) type DisplayRow = (i64, String, String, Option<String>);

pub(crate) fn display_record((id, name, created_by, config): DisplayRow) -> DisplayRecord {
    let config = match config.as_deref().map(serde_json::from_str::<DisplayConfig>) {
        None => DisplayConfig::default(),
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            // Written by this program only, so this means a newer version wrote it.
            tracing::warn!(display = id, error = %e, "unreadable display config; showing the default");
            DisplayConfig::default()
        }
    };
    DisplayRecord {
        id,
        name,
        created_by,
        config,
    }
}

row! {
    pub(crate) struct ThresholdRow {
        indicator: String,
        target: Option<f64>,
        warning: Option<f64>,
        critical: Option<f64>,
    }
}

impl From<ThresholdRow> for Threshold {
    fn from(r: ThresholdRow) -> Threshold {
        Threshold {
            indicator: r.indicator,
            target: r.target,
            warning: r.warning,
            critical: r.critical,
        }
    }
}

row! {
    pub(crate) struct UserRow {
        pub id: i64,
        pub username: String,
        pub display_name: String,
        pub password_hash: String,
        pub disabled: bool,
    }
}

impl UserRow {
    pub fn with_roles(
        self,
        roles: Vec<(String, Option<String>)>,
    ) -> Result<UserRecord, StoreError> {
        let roles = roles
            .into_iter()
            .map(|(r, unit)| {
                Role::parse(&r)
                    .map(|role| RoleGrant { role, unit })
                    .ok_or_else(|| StoreError::other(format!("bad role {r}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(UserRecord {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            password_hash: self.password_hash,
            disabled: self.disabled,
            roles,
        })
    }
}

row! {
    pub(crate) struct AuditRow {
        id: i64,
        at: DateTime<Utc>,
        actor: String,
        actor_kind: String,
        role: Option<String>,
        unit: Option<String>,
        action: String,
        target: Option<String>,
        address: Option<String>,
        before: Option<String>,
        after: Option<String>,
    }
}

impl From<AuditRow> for AuditRecord {
    fn from(r: AuditRow) -> AuditRecord {
        AuditRecord {
            id: r.id,
            at: r.at,
            entry: AuditEntry {
                actor: r.actor,
                actor_kind: r.actor_kind,
                role: r.role,
                unit: r.unit,
                action: r.action,
                target: r.target,
                address: r.address,
                before: r.before,
                after: r.after,
            },
        }
    }
}

row! {
    pub(crate) struct TokenRow {
        pub id: i64,
        kind: String,
        name: String,
        display_id: Option<i64>,
        created_at: DateTime<Utc>,
        created_by: String,
        pub expires_at: Option<DateTime<Utc>>,
        pub revoked_at: Option<DateTime<Utc>>,
        pub last_used_at: Option<DateTime<Utc>>,
        sets_targets: bool,
    }
}

impl TokenRow {
    /// The record, or an error for a kind this version does not know.
    pub fn with_units(self, units: Vec<String>) -> Result<TokenRecord, StoreError> {
        let kind = app::model::auth::TokenKind::parse(&self.kind)
            .ok_or_else(|| StoreError::other(format!("token {}: kind {}", self.id, self.kind)))?;
        Ok(TokenRecord {
            id: self.id,
            kind,
            name: self.name,
            units,
            display_id: self.display_id,
            created_at: self.created_at,
            created_by: self.created_by,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
            last_used_at: self.last_used_at,
            sets_targets: self.sets_targets,
        })
    }
}

pub(crate) const TOKEN_COLUMNS: &str = "id, kind, name, display_id, created_at, created_by, \
     expires_at, revoked_at, last_used_at, sets_targets";

/// A report as stored in `reports.body`.
/// A stored report from its row: the JSON body, under the regime its column names (reports
/// stored before regimes were data have none in their body).
pub(crate) fn report_from_row(
    regime: String,
    body: &str,
) -> Result<app::model::report::Report, StoreError> {
    let report: app::model::report::Report = serde_json::from_str(body).map_err(|e| {
        StoreError::other(format!(
            "báo cáo lưu không đọc được (stored report unreadable): {e}"
        ))
    })?;
    Ok(app::model::report::Report { regime, ..report })
}

/// A report's state as the `reports` columns hold it.
pub(crate) fn report_state(
    regime: String,
    unit: String,
    period: Period,
    status: &str,
    submitted_at: Option<DateTime<Utc>>,
) -> Result<app::model::report::ReportState, StoreError> {
    Ok(app::model::report::ReportState {
        regime,
        unit,
        period,
        status: app::model::report::ReportStatus::parse(status)
            .ok_or_else(|| StoreError::other(format!("unknown report status {status}")))?,
        submitted_at,
    })
}

/// A record kept whole as JSON beside its id and version (a meeting, a task, an explanation
/// request) from its row; `what` names it in the error ("phiên họp", "meeting").
fn versioned<T: serde::de::DeserializeOwned>(
    (id, version, body): (i64, i64, String),
    what: (&str, &str),
    set: impl FnOnce(&mut T, i64, i64),
) -> Result<T, StoreError> {
    let mut record: T = serde_json::from_str(&body).map_err(|e| {
        StoreError::other(format!(
            "{} {id} không đọc được (stored {} unreadable): {e}",
            what.0, what.1
        ))
    })?;
    set(&mut record, id, version);
    Ok(record)
}

pub(crate) fn brief_record_from_row(
    (id, version, revision, record): (i64, i64, i64, String),
) -> Result<app::brief::model::BriefRecord, StoreError> {
    versioned(
        (id, version, record),
        ("báo cáo", "brief"),
        |r: &mut app::brief::model::BriefRecord, id, v| {
            r.id = id;
            r.version = v;
            r.revision = revision;
        },
    )
}

pub(crate) fn meeting_from_row(
    row: (i64, i64, String),
) -> Result<app::model::meeting::Meeting, StoreError> {
    versioned(
        row,
        ("phiên họp", "meeting"),
        |m: &mut app::model::meeting::Meeting, id, v| {
            m.id = id;
            m.version = v;
        },
    )
}

pub(crate) fn task_from_row(row: (i64, i64, String)) -> Result<app::model::task::Task, StoreError> {
    versioned(
        row,
        ("nhiệm vụ", "task"),
        |t: &mut app::model::task::Task, id, v| {
            t.id = id;
            t.version = v;
        },
    )
}

pub(crate) fn explanation_from_row(
    row: (i64, i64, String),
) -> Result<app::model::explanation::ExplanationRequest, StoreError> {
    versioned(
        row,
        ("yêu cầu giải trình", "explanation request"),
        |r: &mut app::model::explanation::ExplanationRequest, id, v| {
            r.id = id;
            r.version = v;
        },
    )
}

pub(crate) fn note_from_row(row: (i64, i64, String)) -> Result<app::model::note::Note, StoreError> {
    versioned(
        row,
        ("ghi chú", "note"),
        |n: &mut app::model::note::Note, id, v| {
            n.id = id;
            n.version = v;
        },
    )
}

pub(crate) fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::because)
}

/// What the `tasks` topic says of a stored task.
pub(crate) fn task_notice(id: i64, t: &app::model::task::Task) -> Result<String, StoreError> {
    to_json(&app::model::task::TaskNotice {
        id,
        lead: t.lead.clone(),
        version: t.version + 1,
    })
}

pub(crate) fn changed_meanwhile(what: &str, id: i64) -> StoreError {
    StoreError::conflict(format!(
        "{what} {id} đã được người khác thay đổi (changed by someone else)"
    ))
}

pub(crate) fn attachment_from_row(
    (id, sha256, name, content_type, size, uploaded_by): (i64, String, String, String, i64, String),
) -> app::store::AttachmentRecord {
    app::store::AttachmentRecord {
        attachment: app::model::attachment::Attachment {
            id,
            name,
            size: size.max(0) as u64,
            content_type,
        },
        sha256,
        uploaded_by,
    }
}

/// A notification as read: id, kind, subject, body, link, created, read, mail state, error.
pub(crate) type NotificationRow = (
    i64,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    bool,
    String,
    Option<String>,
);

pub(crate) fn notification_from_row(
    (id, kind, subject, body, link, created_at, read, mail, error): NotificationRow,
) -> Result<app::model::notification::Notification, StoreError> {
    use app::model::notification::{MailState, Notification, NotifyKind};
    Ok(Notification {
        id,
        kind: NotifyKind::parse(&kind)
            .ok_or_else(|| StoreError::other(format!("unknown notification kind {kind}")))?,
        subject,
        body,
        link,
        created_at,
        read,
        mail: MailState::parse(&mail)
            .ok_or_else(|| StoreError::other(format!("unknown mail state {mail}")))?,
        error,
    })
}
