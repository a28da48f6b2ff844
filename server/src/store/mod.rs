//! The two implementations of [`app::store::Store`]: SQLite (embedded default, one instance)
//! and PostgreSQL (production, several instances). Rules both share live here once.

pub mod postgres;
pub mod sqlite;

use crate::config::DatabaseUrl;
use app::model::auth::{Role, RoleGrant};
use app::model::display::DisplayConfig;
use app::model::{
    Indicator, NewObservation, Observation, Period, Revision, Source, Unit, UnitKind,
};
use app::store::{
    AuditEntry, AuditRecord, Change, DisplayRecord, SharedStore, StoreError, Threshold,
    TokenRecord, UserRecord,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// Why the database could not be opened. Each message names the place and the cause, so the
/// person starting the server knows what to fix.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("không tạo được thư mục dữ liệu {dir} (cannot create the data folder): {source}")]
    DataDir { dir: String, source: std::io::Error },
    #[error("không ghi được vào thư mục dữ liệu {dir} (the data folder is not writable): {source}")]
    NotWritable { dir: String, source: std::io::Error },
    #[error(
        "tệp {path} đang được một máy chủ dieuhanh khác sử dụng; dừng máy chủ đó hoặc dùng \
         DATABASE_URL khác (another dieuhanh server is using this SQLite file)"
    )]
    InUse { path: String },
    #[error(
        "tệp {path} đang được một máy chủ dieuhanh phiên bản khác sử dụng; chạy lệnh bằng tệp \
         chạy của máy chủ đó hoặc dừng máy chủ (a dieuhanh server of another version is using \
         this SQLite file: run the command with that server's binary, or stop the server)"
    )]
    OtherVersion { path: String },
    #[error("không mở được cơ sở dữ liệu {target} (cannot open the database): {source}")]
    Connect { target: String, source: sqlx::Error },
    #[error(
        "không mở được cơ sở dữ liệu {target} qua TLS: chứng chỉ của máy chủ không được tin cậy \
         hoặc không khớp tên máy; xem sslmode và sslrootcert trong DATABASE_URL (the database \
         server's TLS certificate is not trusted or does not match its name; check sslmode and \
         sslrootcert in DATABASE_URL): {source}"
    )]
    Tls { target: String, source: sqlx::Error },
    #[error("không nâng cấp được lược đồ cơ sở dữ liệu {target} (migration failed): {source}")]
    Migrate {
        target: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// Who opens the database. It matters on SQLite, where one server process owns a file (its
/// live stream and simulator run there) but a command may write beside it; on PostgreSQL every
/// process is a peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opener {
    /// The server, or a command that must have the database to itself (`migrate`): refused
    /// while another process holds a SQLite file.
    Server,
    /// A short command (`user`, `token`, `display`): writes beside a running server, whose live
    /// stream then publishes what it wrote; alone, it holds the file while it runs.
    Command,
}

/// The SQL migrations, embedded by `build.rs`: (file name, SQL) in version order.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

/// The embedded migrations of one database, read as sqlx reads a migrations folder:
/// `<version>_<description>.sql`, `-- no-transaction` on the first line to run outside one.
#[derive(Debug)]
struct Embedded(&'static [(&'static str, &'static str)]);

impl sqlx::migrate::MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<
                    Output = Result<Vec<sqlx::migrate::Migration>, sqlx::error::BoxDynError>,
                > + Send,
        >,
    > {
        Box::pin(async move {
            self.0
                .iter()
                .map(|(name, sql)| {
                    let (version, rest) = name
                        .split_once('_')
                        .ok_or_else(|| format!("migration {name}: no version"))?;
                    let description = rest.trim_end_matches(".sql").replace('_', " ");
                    Ok(sqlx::migrate::Migration::new(
                        version
                            .parse()
                            .map_err(|_| format!("migration {name}: bad version"))?,
                        description.into(),
                        sqlx::migrate::MigrationType::Simple,
                        (*sql).into(),
                        sql.starts_with("-- no-transaction"),
                    ))
                })
                .collect()
        })
    }
}

/// The migrator of the SQLite or the PostgreSQL schema.
pub(crate) async fn migrator(postgres: bool) -> Result<sqlx::migrate::Migrator, OpenError> {
    let list = if postgres {
        embedded::POSTGRES
    } else {
        embedded::SQLITE
    };
    sqlx::migrate::Migrator::new(Embedded(list))
        .await
        .map_err(|source| OpenError::Migrate {
            target: "(embedded migrations)".into(),
            source,
        })
}

pub async fn open(url: &DatabaseUrl) -> Result<SharedStore, OpenError> {
    open_as(url, Opener::Server).await
}

pub async fn open_as(url: &DatabaseUrl, opener: Opener) -> Result<SharedStore, OpenError> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(sqlite::SqliteStore::open(path, opener).await?),
        DatabaseUrl::Postgres(opts) => Arc::new(postgres::PgStore::open(opts).await?),
    })
}

/// The store's error for what the database answered, which it keeps as the cause.
pub(crate) fn db_error(e: sqlx::Error) -> StoreError {
    use sqlx::Error as E;
    let error = match &e {
        E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) => {
            StoreError::unavailable(e.to_string())
        }
        E::Database(d) => {
            let msg = d.message().to_string();
            // SQLITE_FULL, SQLITE_READONLY, PostgreSQL's disk_full / read_only_sql_transaction;
            // and SQLite's I/O errors (code 10 and its extended codes: a write past a quota or
            // the file-size limit fails with EFBIG, which SQLite reports as an I/O error).
            let code = d.code().map(|c| c.to_string()).unwrap_or_default();
            let sqlite_io = d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
                && code.parse::<i32>().is_ok_and(|c| c & 0xff == 10);
            if ["13", "8", "53100", "25006"].contains(&code.as_str())
                || sqlite_io
                || msg.contains("readonly")
            {
                StoreError::write_refused(msg)
            } else {
                StoreError::other(msg)
            }
        }
        other => StoreError::other(other.to_string()),
    };
    error.caused_by(e)
}

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
    }
}

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
    }
}

impl TryFrom<IndicatorRow> for Indicator {
    type Error = StoreError;
    fn try_from(r: IndicatorRow) -> Result<Indicator, StoreError> {
        use app::model::{GoodDirection, Periodicity, Rollup};
        let bad = |what: &str| StoreError::other(format!("indicator {}: bad {what}", r.code));
        Ok(Indicator {
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
        })
    }
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
            status: r.status,
            simulated: r.simulated,
            seq: r.seq,
            updated_at: r.updated_at,
        })
    }
}

/// Columns of `observation_revisions` read as an [`Observation`] (the live stream's feed).
pub(crate) const CHANGE_COLUMNS: &str = "indicator, unit, period, value, revision, source, \
     'published' AS status, simulated, seq, recorded_at AS updated_at";

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

/// Merges the two feeds of [`app::store::Store::changes_since`], each read with `limit`: keeps
/// seq order and drops what lies beyond the end of a feed that was cut at the limit (the next
/// read brings it, in order).
pub(crate) fn merge_changes(
    observations: Vec<Observation>,
    events: Vec<Change>,
    limit: u32,
) -> Vec<Change> {
    let full = |n: usize| n >= limit as usize;
    let mut cutoff = i64::MAX;
    if full(observations.len()) {
        cutoff = cutoff.min(observations.last().map_or(i64::MAX, |o| o.seq));
    }
    if full(events.len()) {
        cutoff = cutoff.min(events.last().map_or(i64::MAX, Change::seq));
    }
    let mut all: Vec<Change> = observations
        .into_iter()
        .map(Change::Observation)
        .chain(events)
        .filter(|c| c.seq() <= cutoff)
        .collect();
    all.sort_by_key(Change::seq);
    all
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
        expires_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        last_used_at: Option<DateTime<Utc>>,
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
        })
    }
}

pub(crate) const TOKEN_COLUMNS: &str =
    "id, kind, name, display_id, created_at, created_by, expires_at, revoked_at, last_used_at";

/// A unique-constraint violation becomes [`StoreError::Conflict`].
pub(crate) fn conflict_or(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::conflict(what.to_string()).caused_by(e)
        }
        _ => db_error(e),
    }
}

pub(crate) type Key = (String, String, String);

pub(crate) fn key_of(o: &NewObservation) -> Key {
    (o.indicator.clone(), o.unit.clone(), o.period.to_string())
}

/// One run of a batch's keys: an indicator and unit with consecutive periods `from..=to`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct KeyRange<'a> {
    pub indicator: &'a str,
    pub unit: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

/// The batch's keys as index ranges, for looking up what is stored under them: each run of
/// consecutive periods of one indicator and unit is one range of the primary key. Every stored
/// row in a range is a key of the batch (the periods between `from` and `to` are all in it), so
/// nothing more is read than the keys; a batch of months of a few provinces is a few hundred
/// ranges instead of 10,000 probes, and a batch of one period per unit is one range per key, as
/// before. Periods of one kind print in the same width, so their text orders as their dates.
/// `keys[i]` is `key_of(&batch[i])`.
pub(crate) fn key_ranges<'a>(batch: &'a [NewObservation], keys: &'a [Key]) -> Vec<KeyRange<'a>> {
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]));
    order.dedup_by(|a, b| keys[*a] == keys[*b]);
    let mut ranges: Vec<KeyRange> = Vec::new();
    let mut last: Option<usize> = None;
    for i in order {
        let (indicator, unit, period) = &keys[i];
        let follows = last.is_some_and(|l| {
            keys[l].0 == *indicator
                && keys[l].1 == *unit
                && batch[l].period.next() == batch[i].period
                && keys[l].2.len() == period.len()
        });
        match ranges.last_mut() {
            Some(run) if follows => run.to = period,
            _ => ranges.push(KeyRange {
                indicator,
                unit,
                from: period,
                to: period,
            }),
        }
        last = Some(i);
    }
    ranges
}

/// The distinct indicator and unit codes of a batch, sorted: what the store checks against the
/// catalogue once per batch, in place of a foreign-key lookup per row (migration 0011).
pub(crate) fn batch_codes(batch: &[NewObservation]) -> (Vec<&str>, Vec<&str>) {
    let mut indicators: Vec<&str> = batch.iter().map(|o| o.indicator.as_str()).collect();
    let mut units: Vec<&str> = batch.iter().map(|o| o.unit.as_str()).collect();
    for v in [&mut indicators, &mut units] {
        v.sort_unstable();
        v.dedup();
    }
    (indicators, units)
}

/// A code the batch names that the catalogue does not hold. The validation in front of the
/// store refuses such rows with a 422 first; reaching this is a defect, and nothing is written.
pub(crate) fn not_in_catalogue(code: &str) -> StoreError {
    StoreError::other(format!(
        "mã không có trong danh mục (code not in the catalogue): {code}"
    ))
}

/// The planned values in the order of `observations`' key (indicator, unit, period). A batch
/// arrives in any order (the reporting system sends a month of every unit at a time); inserted
/// in key order, consecutive rows land on the same pages of the B-tree instead of all over it,
/// 7-13 % less work for the writer (docs/performance.md, "Ingest"). Seqs are already assigned.
pub(crate) fn in_key_order<'p, 'a>(planned: &'p [Planned<'a>]) -> Vec<&'p Planned<'a>> {
    let mut sorted: Vec<&Planned> = planned.iter().collect();
    sorted.sort_unstable_by(|a, b| {
        (&a.obs.indicator, &a.obs.unit, &a.period).cmp(&(&b.obs.indicator, &b.obs.unit, &b.period))
    });
    sorted
}

/// A value the batch will write, with its revision and seq.
pub(crate) struct Planned<'a> {
    pub obs: &'a NewObservation,
    pub period: String,
    pub revision: i32,
    pub seq: i64,
}

/// The one rule for what a batch writes: a value equal to the stored one is unchanged; a new
/// key is revision 1; a changed value is the next revision. When a key repeats within a batch
/// the last one wins. Seqs follow `last_seq` without gaps, in batch order.
/// `keys[i]` is `key_of(&batch[i])`, computed once by the caller (which also looks them up).
pub(crate) fn plan<'a>(
    batch: &'a [NewObservation],
    keys: &[Key],
    existing: &HashMap<Key, (f64, i32)>,
    last_seq: i64,
) -> (Vec<Planned<'a>>, u64) {
    let mut last_index: HashMap<&Key, usize> = HashMap::with_capacity(batch.len());
    for (i, key) in keys.iter().enumerate() {
        last_index.insert(key, i);
    }
    let mut planned = Vec::with_capacity(last_index.len());
    let mut unchanged = 0u64;
    let mut seq = last_seq;
    for (i, (o, key)) in batch.iter().zip(keys).enumerate() {
        if last_index.get(key) != Some(&i) {
            unchanged += 1;
            continue;
        }
        let revision = match existing.get(key) {
            Some((v, _)) if v.to_bits() == o.value.to_bits() => {
                unchanged += 1;
                continue;
            }
            Some((_, r)) => r + 1,
            None => 1,
        };
        seq += 1;
        planned.push(Planned {
            obs: o,
            period: key.2.clone(),
            revision,
            seq,
        });
    }
    (planned, unchanged)
}

/// A report as stored in `reports.body`.
fn report_from_json(body: &str) -> Result<app::model::report::Report, StoreError> {
    serde_json::from_str(body).map_err(|e| {
        StoreError::other(format!(
            "báo cáo lưu không đọc được (stored report unreadable): {e}"
        ))
    })
}

/// A report's state as the `reports` columns hold it.
fn report_state(
    unit: String,
    period: Period,
    status: &str,
    submitted_at: Option<DateTime<Utc>>,
) -> Result<app::model::report::ReportState, StoreError> {
    Ok(app::model::report::ReportState {
        unit,
        period,
        status: app::model::report::ReportStatus::parse(status)
            .ok_or_else(|| StoreError::other(format!("unknown report status {status}")))?,
        submitted_at,
    })
}

/// A stored meeting from its row: the JSON body with the id and version of its columns.
fn meeting_from_row(
    (id, version, body): (i64, i64, String),
) -> Result<app::model::meeting::Meeting, StoreError> {
    let mut m: app::model::meeting::Meeting = serde_json::from_str(&body).map_err(|e| {
        StoreError::other(format!(
            "phiên họp {id} không đọc được (stored meeting unreadable): {e}"
        ))
    })?;
    m.id = id;
    m.version = version;
    Ok(m)
}

/// A stored task from its row, as [`meeting_from_row`].
fn task_from_row(
    (id, version, body): (i64, i64, String),
) -> Result<app::model::task::Task, StoreError> {
    let mut t: app::model::task::Task = serde_json::from_str(&body).map_err(|e| {
        StoreError::other(format!(
            "nhiệm vụ {id} không đọc được (stored task unreadable): {e}"
        ))
    })?;
    t.id = id;
    t.version = version;
    Ok(t)
}

fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::because)
}

/// What the `tasks` topic says of a stored task.
fn task_notice(id: i64, t: &app::model::task::Task) -> Result<String, StoreError> {
    to_json(&app::model::task::TaskNotice {
        id,
        lead: t.lead.clone(),
        version: t.version + 1,
    })
}

fn changed_meanwhile(what: &str, id: i64) -> StoreError {
    StoreError::conflict(format!(
        "{what} {id} đã được người khác thay đổi (changed by someone else)"
    ))
}

fn attachment_from_row(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(i: &str, u: &str, p: &str, v: f64) -> NewObservation {
        NewObservation {
            indicator: i.into(),
            unit: u.into(),
            period: Period::parse(p).unwrap(),
            value: v,
            note: None,
            source_ref: None,
        }
    }

    #[test]
    fn plan_counts_new_changed_and_unchanged() {
        let batch = vec![
            obs("A", "01", "2026-10", 1.0),
            obs("A", "02", "2026-10", 2.0),
            obs("A", "03", "2026-10", 3.0),
        ];
        let mut existing = HashMap::new();
        existing.insert(("A".into(), "01".into(), "2026-10".into()), (1.0, 1));
        existing.insert(("A".into(), "02".into(), "2026-10".into()), (5.0, 3));
        let keys: Vec<Key> = batch.iter().map(key_of).collect();
        let (planned, unchanged) = plan(&batch, &keys, &existing, 100);
        assert_eq!(unchanged, 1);
        let got: Vec<_> = planned
            .iter()
            .map(|p| (p.obs.unit.as_str(), p.revision, p.seq))
            .collect();
        assert_eq!(got, vec![("02", 4, 101), ("03", 1, 102)]);
    }

    #[test]
    fn merged_feeds_stop_where_a_full_feed_was_cut() {
        let o = |seq: i64| Observation {
            indicator: "A".into(),
            unit: "01".into(),
            period: Period::parse("2026-10").unwrap(),
            value: 1.0,
            revision: 1,
            source: Source::Api,
            status: "published".into(),
            simulated: false,
            seq,
            updated_at: Utc::now(),
        };
        let e = |seq: i64| Change::Event {
            seq,
            topic: "display:1".into(),
            payload: "{}".into(),
        };
        // Values were cut at 4 (limit 3): the event at 7 waits for the next read.
        let merged = merge_changes(vec![o(1), o(2), o(4)], vec![e(3), e(7)], 3);
        let seqs: Vec<i64> = merged.iter().map(Change::seq).collect();
        assert_eq!(seqs, vec![1, 2, 3, 4]);
        let merged = merge_changes(vec![o(5)], vec![e(4)], 3);
        assert_eq!(
            merged.iter().map(Change::seq).collect::<Vec<_>>(),
            vec![4, 5]
        );
    }

    #[test]
    fn repeated_key_in_a_batch_keeps_the_last() {
        let batch = vec![
            obs("A", "01", "2026-10", 1.0),
            obs("A", "01", "2026-10", 2.0),
        ];
        let keys: Vec<Key> = batch.iter().map(key_of).collect();
        let (planned, unchanged) = plan(&batch, &keys, &HashMap::new(), 0);
        assert_eq!(unchanged, 1);
        assert_eq!(planned.len(), 1);
        assert_eq!(planned[0].obs.value, 2.0);
        assert_eq!(planned[0].seq, 1);
    }

    #[test]
    fn key_ranges_join_consecutive_periods_of_one_indicator_and_unit_only() {
        let batch = vec![
            obs("A", "01", "2026-03", 1.0),
            obs("A", "01", "2026-01", 1.0),
            obs("A", "01", "2026-02", 1.0),
            obs("A", "01", "2026-02", 2.0), // a repeated key is one key
            obs("A", "01", "2026-05", 1.0), // April is missing: a new range
            obs("A", "02", "2026-06", 1.0), // another unit
            obs("B", "01", "2026-06", 1.0), // another indicator
            obs("B", "01", "2026-07-01", 1.0), // a day is not the month after June
            obs("C", "01", "2025-12", 1.0), // across a year
            obs("C", "01", "2026-01", 1.0),
        ];
        let keys: Vec<Key> = batch.iter().map(key_of).collect();
        let ranges: Vec<(&str, &str, &str, &str)> = key_ranges(&batch, &keys)
            .into_iter()
            .map(|r| (r.indicator, r.unit, r.from, r.to))
            .collect();
        assert_eq!(
            ranges,
            vec![
                ("A", "01", "2026-01", "2026-03"),
                ("A", "01", "2026-05", "2026-05"),
                ("A", "02", "2026-06", "2026-06"),
                ("B", "01", "2026-06", "2026-06"),
                ("B", "01", "2026-07-01", "2026-07-01"),
                ("C", "01", "2025-12", "2026-01"),
            ]
        );
    }
}
