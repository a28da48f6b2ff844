//! SQLite: the embedded default. One server process per database file (a lock file refuses a
//! second one: the live stream, the simulator and the checkpoints run in that process); commands
//! of the command line may write beside it, and the server's live stream reads what they wrote
//! (`live::bus`, which polls SQLite often). Reads use a small pool; writes go through a single
//! connection, which is SQLite's own model of one writer.

use super::{
    AuditRow, CHANGE_COLUMNS, DisplayRow, IndicatorRow, Key, ObservationRow, OpenError, Opener,
    REVISION_COLUMNS, RevisionRow, TOKEN_COLUMNS, ThresholdRow, TokenRow, UnitRow, UserRow,
    conflict_or, db_error, display_record, merge_changes, plan, reported_by_text,
};
use app::model::meeting::{Meeting, MeetingQuery};
use app::model::report::{Report, ReportState};
use app::model::task::{Task, TaskQuery};
use app::model::{Indicator, NewObservation, Observation, Period, Revision, Source, Unit};
use app::store::{
    AttachmentRecord, AuditEntry, AuditQuery, AuditRecord, Change, DisplayRecord, LatestScope,
    NewToken, NewUser, ObservationQuery, Snapshot, Store, StoreError, StoreOutcome, Threshold,
    TokenRecord, UserRecord,
};
use async_trait::async_trait;
use chrono::DateTime;
use chrono::Utc;
use sqlx::SqliteConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Rows per multi-row INSERT: 11 bound values each, under SQLite's 32,766-variable limit.
const INSERT_CHUNK: usize = 2_000;

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    /// Its own connection, folding the write-ahead log into the database file beside the writer
    /// (see [`checkpoints`]); poked after each write with a seq, and each second for the rest.
    /// None beside a server, which checkpoints its file itself.
    checkpoint: Option<SqlitePool>,
    wrote: std::sync::Arc<tokio::sync::Notify>,
    // Held for the life of the store: the OS releases the lock when the process ends, however it
    // ends. (A command beside the server keeps the file open without the lock.)
    _lock: File,
    commit_hook: std::sync::OnceLock<app::store::CommitHook>,
}

/// Files and folders this open created, removed again if the open fails.
struct Created(Vec<PathBuf>, bool);

impl Created {
    fn keep(mut self) {
        self.1 = true;
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        if self.1 {
            return;
        }
        for p in self.0.iter().rev() {
            let _ = if p.is_dir() {
                std::fs::remove_dir(p)
            } else {
                std::fs::remove_file(p)
            };
        }
    }
}

impl SqliteStore {
    pub async fn open(path: &Path, opener: Opener) -> Result<SqliteStore, OpenError> {
        let mut created = Created(Vec::new(), false);
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir_text = dir.display().to_string();

        // Create missing folders one by one, so a failed open can remove exactly what it made.
        let mut missing = Vec::new();
        let mut d = Some(dir);
        while let Some(p) = d.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            missing.push(p.to_path_buf());
            d = p.parent();
        }
        for p in missing.into_iter().rev() {
            std::fs::create_dir(&p).map_err(|source| OpenError::DataDir {
                dir: dir_text.clone(),
                source,
            })?;
            created.0.push(p);
        }

        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let lock_existed = lock_path.exists();
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| OpenError::NotWritable {
                dir: dir_text.clone(),
                source,
            })?;
        if !lock_existed {
            created.0.push(lock_path.clone());
        }
        // A command finding the file held writes beside the server that holds it.
        let beside = match (lock.try_lock(), opener) {
            (Ok(()), _) => false,
            (Err(_), Opener::Command) => true,
            (Err(_), Opener::Server) => {
                return Err(OpenError::InUse {
                    path: path.display().to_string(),
                });
            }
        };

        let db_existed = path.exists();
        // Beside a server the files are its own, never removed here.
        if !db_existed && !beside {
            for suffix in ["", "-wal", "-shm"] {
                created
                    .0
                    .push(PathBuf::from(format!("{}{suffix}", path.display())));
            }
        }
        let target = path.display().to_string();
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // SQLite's own page cache is 2 MB by default: a 10,000-row batch touches more pages
            // of the values and their indexes than that, and read them back through a system
            // call each (docs/performance.md, "Ingest"). 64 MB per connection, used as needed.
            .pragma("cache_size", "-65536");
        let connect = |max, opts: SqliteConnectOptions| {
            let target = target.clone();
            async move {
                SqlitePoolOptions::new()
                    .max_connections(max)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
                    .map_err(|source| OpenError::Connect { target, source })
            }
        };
        // The writer never checkpoints; see `checkpoints`.
        let write = connect(
            1,
            options
                .clone()
                .pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES),
        )
        .await?;
        if beside {
            // The server migrated the file; a command of another version must not write to it.
            let applied: Vec<i64> = sqlx::query_scalar(
                "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
            )
            .fetch_all(&write)
            .await
            .map_err(|source| OpenError::Connect {
                target: target.clone(),
                source,
            })?;
            let mut ours: Vec<i64> = super::migrator(false)
                .await?
                .iter()
                .map(|m| m.version)
                .collect();
            ours.sort_unstable();
            if applied != ours {
                write.close().await;
                return Err(OpenError::OtherVersion {
                    path: path.display().to_string(),
                });
            }
        } else {
            super::migrator(false)
                .await?
                .run(&write)
                .await
                .map_err(|source| OpenError::Migrate {
                    target: target.clone(),
                    source,
                })?;
        }
        let read = connect(4, options.clone().read_only(true)).await?;
        let wrote = std::sync::Arc::new(tokio::sync::Notify::new());
        let checkpoint = if beside {
            None
        } else {
            let pool = connect(1, options).await?;
            tokio::spawn(checkpoints(pool.clone(), wrote.clone()));
            Some(pool)
        };
        created.keep();
        Ok(SqliteStore {
            read,
            write,
            checkpoint,
            wrote,
            _lock: lock,
            commit_hook: std::sync::OnceLock::new(),
        })
    }
}

/// The writer never folds the log into the file itself (SQLite's default, after 1,000 pages, took
/// a quarter of its time with 10,000-row batches, and when the log could not be reset for
/// readers it retried at every commit, 100 ms each): [`checkpoints`] does it on another thread.
const WRITER_CHECKPOINT_PAGES: &str = "0";
/// A log this long (256 MB of 4 KB pages) means readers kept it from being reset: the next
/// checkpoint waits for them (up to the busy timeout) and truncates it.
const WAL_LIMIT_PAGES: i64 = 65_536;

/// Folds the write-ahead log into the database file after writes (at most five times a second,
/// so that a stream of one-row writes does not become a stream of checkpoints; and each second),
/// on a connection of its own, so the single writer spends its time on values. PASSIVE never
/// waits for readers or the writer; what it cannot fold yet it folds next time.
async fn checkpoints(pool: SqlitePool, wrote: std::sync::Arc<tokio::sync::Notify>) {
    while !pool.is_closed() {
        let _ = tokio::time::timeout(Duration::from_secs(1), wrote.notified()).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let passive: Result<(i64, i64, i64), _> = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&pool)
            .await;
        let result = match passive {
            Ok((_, log, _)) if log > WAL_LIMIT_PAGES => {
                tracing::info!(pages = log, "write-ahead log long: checkpoint and truncate");
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&pool)
                    .await
                    .map(drop)
            }
            other => other.map(drop),
        };
        if let Err(e) = result {
            // A read-only or full database cannot be checkpointed; reads go on regardless.
            tracing::debug!(error = %e, "checkpoint not taken");
        }
    }
}

const OBS_COLUMNS: &str =
    "indicator, unit, period, value, revision, source, status, simulated, seq, updated_at";

impl SqliteStore {
    /// The one way a write transaction starts: it takes the write lock at once (`IMMEDIATE`),
    /// waiting out the busy timeout for a checkpoint that holds it, rather than reading first and
    /// failing with "database is locked" when it then writes on a snapshot the checkpoint has
    /// moved past.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        self.write
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_error)
    }

    /// Tells the live stream that something with a seq was committed.
    fn committed(&self) {
        self.wrote.notify_one();
        if let Some(hook) = self.commit_hook.get() {
            hook();
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn on_commit(&self, hook: app::store::CommitHook) {
        let _ = self.commit_hook.set(hook);
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn seed_catalogue(
        &self,
        units: &[Unit],
        indicators: &[Indicator],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (i, u) in units.iter().enumerate() {
            sqlx::query(
                "INSERT INTO units (code, kind, name_vi, name_en, parent, sort_order) VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name_vi = excluded.name_vi,
                   name_en = excluded.name_en, parent = excluded.parent, sort_order = excluded.sort_order",
            )
            .bind(&u.code)
            .bind(u.kind.as_str())
            .bind(&u.name_vi)
            .bind(&u.name_en)
            .bind(&u.parent)
            .bind(i as i64)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        for (n, i) in indicators.iter().enumerate() {
            sqlx::query(
                "INSERT INTO indicators (code, name_vi, name_en, measure, measure_vi, periodicity, rollup, good_direction,
                   owner, reported_by, target, decimals, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                   measure = excluded.measure, measure_vi = excluded.measure_vi, periodicity = excluded.periodicity, rollup = excluded.rollup,
                   good_direction = excluded.good_direction, owner = excluded.owner,
                   reported_by = excluded.reported_by, target = excluded.target,
                   decimals = excluded.decimals, sort_order = excluded.sort_order",
            )
            .bind(&i.code)
            .bind(&i.name_vi)
            .bind(&i.name_en)
            .bind(&i.measure)
            .bind(&i.measure_vi)
            .bind(i.periodicity.as_str())
            .bind(i.rollup.as_str())
            .bind(i.good_direction.as_str())
            .bind(&i.owner)
            .bind(reported_by_text(i))
            .bind(i.target)
            .bind(i.decimals as i64)
            .bind(n as i64)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)
    }

    async fn unit(&self, code: &str) -> Result<Option<Unit>, StoreError> {
        sqlx::query_as::<_, UnitRow>(
            "SELECT code, kind, name_vi, name_en, parent FROM units WHERE code = ?",
        )
        .bind(code)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?
        .map(Unit::try_from)
        .transpose()
    }

    async fn children(&self, code: &str) -> Result<Vec<Unit>, StoreError> {
        sqlx::query_as::<_, UnitRow>(
            "SELECT code, kind, name_vi, name_en, parent FROM units WHERE parent = ? ORDER BY sort_order",
        )
        .bind(code)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Unit::try_from)
        .collect()
    }

    async fn indicators(&self) -> Result<Vec<Indicator>, StoreError> {
        sqlx::query_as::<_, IndicatorRow>(
            // An admin's target overrides the catalogue's.
            "SELECT i.code, i.name_vi, i.name_en, i.measure, i.measure_vi, i.periodicity, i.rollup, i.good_direction,
                    i.owner, i.reported_by, COALESCE(t.target, i.target) AS target, i.decimals
             FROM indicators i LEFT JOIN indicator_thresholds t ON t.indicator = i.code ORDER BY i.sort_order",
        )
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Indicator::try_from)
        .collect()
    }

    async fn recent_observations(
        &self,
        unit: &str,
        per_indicator: usize,
    ) -> Result<Vec<Observation>, StoreError> {
        sqlx::query_as::<_, ObservationRow>(&format!(
            // Per indicator, find the start of its Nth newest period with one index lookup,
            // then read the range: a window over all of a unit's history (ten years of daily
            // values) cost tens of milliseconds per page.
            // CROSS JOIN keeps `indicators` as the outer loop (SQLite does not reorder it).
            "SELECT {OBS_COLUMNS} FROM indicators i
             CROSS JOIN observations o ON o.unit = ?1 AND o.indicator = i.code
               AND o.period_start >= COALESCE(
                 (SELECT x.period_start FROM observations x WHERE x.unit = ?1 AND x.indicator = i.code
                  ORDER BY x.period_start DESC LIMIT 1 OFFSET ?2), '0000-00-00')
             ORDER BY o.indicator, o.period_start DESC"
        ))
        .bind(unit)
        .bind(per_indicator.saturating_sub(1) as i64)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Observation::try_from)
        .collect()
    }

    async fn observations(&self, q: &ObservationQuery) -> Result<Vec<Observation>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {OBS_COLUMNS} FROM observations WHERE 1 = 1"
        ));
        if let Some(i) = &q.indicator {
            b.push(" AND indicator = ").push_bind(i.clone());
        }
        if let Some(u) = &q.unit {
            b.push(" AND unit = ").push_bind(u.clone());
        }
        if let Some(p) = &q.parent {
            b.push(" AND unit IN (SELECT code FROM units WHERE parent = ")
                .push_bind(p.clone())
                .push(")");
        }
        if let Some(f) = &q.from {
            b.push(" AND period_start >= ")
                .push_bind(f.start().to_string());
        }
        if let Some(t) = &q.to {
            b.push(" AND period_start <= ")
                .push_bind(t.end().to_string());
        }
        b.push(" ORDER BY indicator, unit, period_start");
        b.build_query_as::<ObservationRow>()
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Observation::try_from)
            .collect()
    }

    async fn store_observations(
        &self,
        batch: &[NewObservation],
        source: Source,
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError> {
        if batch.is_empty() {
            return Ok(StoreOutcome::default());
        }
        // The write pool has one connection, so this transaction is the only writer.
        let mut tx = self.begin_write().await?;
        let outcome = write_observations(&mut tx, batch, source, audit).await?;
        tx.commit().await.map_err(db_error)?;
        if outcome.last_seq.is_some() {
            self.committed();
        }
        Ok(outcome)
    }

    async fn count_observations(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations")
            .fetch_one(&self.read)
            .await
            .map_err(db_error)?;
        Ok(n as u64)
    }

    async fn revisions(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
    ) -> Result<Vec<Revision>, StoreError> {
        sqlx::query_as::<_, RevisionRow>(&format!(
            "SELECT {REVISION_COLUMNS} FROM observation_revisions
             WHERE indicator = ? AND unit = ? AND period = ? ORDER BY revision"
        ))
        .bind(indicator)
        .bind(unit)
        .bind(period.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Revision::try_from)
        .collect()
    }

    async fn changes_since(&self, seq: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let observations = sqlx::query_as::<_, ObservationRow>(&format!(
            "SELECT {CHANGE_COLUMNS} FROM observation_revisions WHERE seq > ? ORDER BY seq LIMIT ?"
        ))
        .bind(seq)
        .bind(limit as i64)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Observation::try_from)
        .collect::<Result<Vec<_>, _>>()?;
        let events: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT seq, topic, payload FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(seq)
        .bind(limit as i64)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        let events = events
            .into_iter()
            .map(|(seq, topic, payload)| Change::Event {
                seq,
                topic,
                payload,
            })
            .collect();
        Ok(merge_changes(observations, events, limit))
    }

    async fn latest(&self, scope: &LatestScope) -> Result<Snapshot, StoreError> {
        let (filter, bind) = match scope {
            LatestScope::NationalAndProvinces => (
                "o.unit IN (SELECT code FROM units WHERE kind IN ('national', 'province'))",
                None,
            ),
            LatestScope::Unit(u) => ("o.unit = ?", Some(u)),
            LatestScope::Indicator(i) => ("o.indicator = ?", Some(i)),
        };
        // One read transaction: the seq and the rows come from the same snapshot of the file.
        let mut tx = self.read.begin().await.map_err(db_error)?;
        let seq: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        let sql = format!(
            "SELECT o.{} FROM observations o WHERE {filter}
               AND o.period_start = (SELECT MAX(m.period_start) FROM observations m
                                     WHERE m.unit = o.unit AND m.indicator = o.indicator)
             ORDER BY o.indicator, o.unit",
            OBS_COLUMNS.replace(", ", ", o.")
        );
        let mut q = sqlx::query_as::<_, ObservationRow>(&sql);
        if let Some(b) = bind {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&mut *tx).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(Snapshot {
            seq,
            observations: rows
                .into_iter()
                .map(Observation::try_from)
                .collect::<Result<_, _>>()?,
        })
    }

    async fn current_seq(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
            .fetch_one(&self.read)
            .await
            .map_err(db_error)
    }

    async fn thresholds(&self) -> Result<Vec<Threshold>, StoreError> {
        Ok(sqlx::query_as::<_, ThresholdRow>(
            "SELECT indicator, target, warning, critical FROM indicator_thresholds ORDER BY indicator",
        )
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Threshold::from)
        .collect())
    }

    async fn set_threshold(&self, t: &Threshold, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if t.target.is_none() && t.warning.is_none() && t.critical.is_none() {
            sqlx::query("DELETE FROM indicator_thresholds WHERE indicator = ?")
                .bind(&t.indicator)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        } else {
            sqlx::query(
                "INSERT INTO indicator_thresholds (indicator, target, warning, critical, updated_at, updated_by)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (indicator) DO UPDATE SET target = excluded.target, warning = excluded.warning,
                   critical = excluded.critical, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(&t.indicator)
            .bind(t.target)
            .bind(t.warning)
            .bind(t.critical)
            .bind(Utc::now())
            .bind(&audit.actor)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn report(&self, unit: &str, period: &Period) -> Result<Option<Report>, StoreError> {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM reports WHERE unit = ? AND period = ?")
                .bind(unit)
                .bind(period.to_string())
                .fetch_optional(&self.read)
                .await
                .map_err(db_error)?;
        body.map(|b| super::report_from_json(&b)).transpose()
    }

    async fn report_states(&self, period: &Period) -> Result<Vec<ReportState>, StoreError> {
        let rows: Vec<(String, String, Option<DateTime<Utc>>)> =
            sqlx::query_as("SELECT unit, status, submitted_at FROM reports WHERE period = ?")
                .bind(period.to_string())
                .fetch_all(&self.read)
                .await
                .map_err(db_error)?;
        rows.into_iter()
            .map(|(unit, status, at)| super::report_state(unit, *period, &status, at))
            .collect()
    }

    async fn reports_of(&self, unit: &str, limit: u32) -> Result<Vec<Report>, StoreError> {
        let bodies: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM reports WHERE unit = ? ORDER BY updated_at DESC LIMIT ?",
        )
        .bind(unit)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        bodies.iter().map(|b| super::report_from_json(b)).collect()
    }

    async fn save_report(
        &self,
        report: &Report,
        expected: i64,
        publish: &[NewObservation],
        audit: &AuditEntry,
    ) -> Result<StoreOutcome, StoreError> {
        let stored = Report {
            version: expected + 1,
            ..report.clone()
        };
        let body = serde_json::to_string(&stored).map_err(StoreError::because)?;
        let mut tx = self.begin_write().await?;
        // The same seven values either way; an update also names the version it replaces.
        let query = if expected == 0 {
            sqlx::query(
                "INSERT INTO reports (unit, period, status, version, submitted_at, updated_at, body)
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit, period) DO NOTHING",
            )
        } else {
            sqlx::query(
                "UPDATE reports SET status = ?3, version = ?4, submitted_at = ?5, updated_at = ?6, body = ?7
                 WHERE unit = ?1 AND period = ?2 AND version = ?8",
            )
        }
        .bind(&stored.unit)
        .bind(stored.period.to_string())
        .bind(stored.status.as_str())
        .bind(stored.version)
        .bind(stored.submitted_at)
        .bind(stored.updated_at)
        .bind(&body);
        let written = if expected == 0 {
            query
        } else {
            query.bind(expected)
        }
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if written.rows_affected() == 0 {
            return Err(StoreError::conflict(format!(
                "báo cáo {} kỳ {} đã được người khác thay đổi (changed by someone else)",
                stored.unit, stored.period
            )));
        }
        let outcome = if publish.is_empty() {
            insert_audit(&mut tx, audit).await?;
            StoreOutcome::default()
        } else {
            write_observations(&mut tx, publish, Source::Form, audit).await?
        };
        // Screens that count reports (the wall) hear of every change of state.
        let state =
            serde_json::to_string(&ReportState::of(&stored)).map_err(StoreError::because)?;
        log_change(&mut tx, "reports", &state).await?;
        tx.commit().await.map_err(db_error)?;
        self.committed();
        Ok(outcome)
    }

    async fn meeting(&self, id: i64) -> Result<Option<Meeting>, StoreError> {
        let row: Option<(i64, i64, String)> =
            sqlx::query_as("SELECT id, version, body FROM meetings WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.read)
                .await
                .map_err(db_error)?;
        row.map(super::meeting_from_row).transpose()
    }

    async fn meetings(&self, q: &MeetingQuery) -> Result<Vec<Meeting>, StoreError> {
        let from = q.from.map(|d| d.and_time(chrono::NaiveTime::MIN));
        let until =
            q.to.and_then(|d| d.succ_opt())
                .map(|d| d.and_time(chrono::NaiveTime::MIN));
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, version, body FROM meetings
             WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR starts_at >= ?2)
               AND (?3 IS NULL OR starts_at < ?3)
             ORDER BY starts_at, id",
        )
        .bind(q.kind.map(|k| k.as_str()))
        .bind(from)
        .bind(until)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        rows.into_iter().map(super::meeting_from_row).collect()
    }

    async fn save_meeting(
        &self,
        meeting: &Meeting,
        tasks: &[Task],
        audit: &AuditEntry,
    ) -> Result<(i64, Vec<i64>), StoreError> {
        let body = super::to_json(meeting)?;
        let mut tx = self.begin_write().await?;
        let id = if meeting.id == 0 {
            sqlx::query_scalar(
                "INSERT INTO meetings (kind, starts_at, version, updated_at, body)
                 VALUES (?, ?, 1, ?, ?) RETURNING id",
            )
            .bind(meeting.kind.as_str())
            .bind(meeting.starts_at)
            .bind(Utc::now())
            .bind(&body)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?
        } else {
            let written = sqlx::query(
                "UPDATE meetings SET kind = ?, starts_at = ?, version = version + 1, updated_at = ?,
                 body = ? WHERE id = ? AND version = ?",
            )
            .bind(meeting.kind.as_str())
            .bind(meeting.starts_at)
            .bind(Utc::now())
            .bind(&body)
            .bind(meeting.id)
            .bind(meeting.version)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            if written.rows_affected() == 0 {
                return Err(super::changed_meanwhile("phiên họp", meeting.id));
            }
            meeting.id
        };
        let mut ids = Vec::with_capacity(tasks.len());
        for t in tasks {
            ids.push(write_task(&mut tx, t, Some(id)).await?);
        }
        // A new meeting's audit row names the id it was given.
        let audit = AuditEntry {
            target: Some(format!("meeting:{id}")),
            ..audit.clone()
        };
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        self.committed();
        Ok((id, ids))
    }

    async fn task(&self, id: i64) -> Result<Option<Task>, StoreError> {
        let row: Option<(i64, i64, String)> =
            sqlx::query_as("SELECT id, version, body FROM tasks WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.read)
                .await
                .map_err(db_error)?;
        row.map(super::task_from_row).transpose()
    }

    async fn tasks(&self, q: &TaskQuery) -> Result<Vec<Task>, StoreError> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, version, body FROM tasks
             WHERE (?1 IS NULL OR lead_unit = ?1) AND (?2 IS NULL OR meeting_id = ?2)
             ORDER BY id",
        )
        .bind(q.lead.as_deref())
        .bind(q.meeting)
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        rows.into_iter().map(super::task_from_row).collect()
    }

    async fn save_tasks(&self, tasks: &[Task], audit: &AuditEntry) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(tasks.len());
        for t in tasks {
            ids.push(write_task(&mut tx, t, t.source.meeting()).await?);
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)?;
        self.committed();
        Ok(ids)
    }

    async fn add_attachment(
        &self,
        a: &AttachmentRecord,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (sha256, name, content_type, size, uploaded_by, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&a.sha256)
        .bind(&a.attachment.name)
        .bind(&a.attachment.content_type)
        .bind(a.attachment.size as i64)
        .bind(&a.uploaded_by)
        .bind(Utc::now())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let audit = AuditEntry {
            target: Some(format!("attachment:{id}")),
            ..audit.clone()
        };
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(id)
    }

    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRecord>, StoreError> {
        let row: Option<(i64, String, String, String, i64, String)> = sqlx::query_as(
            "SELECT id, sha256, name, content_type, size, uploaded_by FROM attachments WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?;
        Ok(row.map(super::attachment_from_row))
    }

    async fn reporting_calendar(
        &self,
    ) -> Result<app::model::reporting::ReportingCalendar, StoreError> {
        use app::model::reporting::{Holiday, ReportingCalendar, ReportingRules};
        let (cutoff_day, deadline_working_days): (i64, i64) = sqlx::query_as(
            "SELECT cutoff_day, deadline_working_days FROM reporting_rules WHERE id = 1",
        )
        .fetch_one(&self.read)
        .await
        .map_err(db_error)?;
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT day, name FROM holidays ORDER BY day")
                .fetch_all(&self.read)
                .await
                .map_err(db_error)?;
        let holidays = rows
            .into_iter()
            .map(|(day, name)| {
                chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .map(|day| Holiday { day, name })
                    .map_err(|e| StoreError::other(format!("holiday {day}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ReportingCalendar {
            rules: ReportingRules {
                cutoff_day: cutoff_day as u32,
                deadline_working_days: deadline_working_days as u32,
            },
            holidays,
        })
    }

    async fn set_reporting_rules(
        &self,
        rules: &app::model::reporting::ReportingRules,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE reporting_rules SET cutoff_day = ?, deadline_working_days = ?, updated_at = ?, updated_by = ? WHERE id = 1",
        )
        .bind(rules.cutoff_day as i64)
        .bind(rules.deadline_working_days as i64)
        .bind(Utc::now())
        .bind(&audit.actor)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn set_holiday(
        &self,
        day: chrono::NaiveDate,
        name: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        match name {
            Some(name) => sqlx::query(
                "INSERT INTO holidays (day, name, updated_at, updated_by) VALUES (?, ?, ?, ?)
                 ON CONFLICT (day) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at,
                   updated_by = excluded.updated_by",
            )
            .bind(day.format("%Y-%m-%d").to_string())
            .bind(name)
            .bind(Utc::now())
            .bind(&audit.actor),
            None => sqlx::query("DELETE FROM holidays WHERE day = ?")
                .bind(day.format("%Y-%m-%d").to_string()),
        }
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.read)
            .await
            .map_err(db_error)
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.write)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(&user.password_hash)
        .bind(Utc::now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, &user.username))?;
        for g in &user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role, unit) VALUES (?, ?, ?)")
                .bind(id)
                .bind(g.role.as_str())
                .bind(&g.unit)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(id)
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query_as::<_, UserRow>(
            "SELECT id, username, display_name, password_hash, disabled FROM users WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?;
        match row {
            Some(r) => Ok(Some(with_roles(&self.read, r).await?)),
            None => Ok(None),
        }
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
        address: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(Utc::now())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(Utc::now())
            .bind(expires_at)
            .bind(address)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query_as::<_, UserRow>(
            "SELECT u.id, u.username, u.display_name, u.password_hash, u.disabled
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?;
        match row {
            Some(r) => Ok(Some(with_roles(&self.read, r).await?)),
            None => Ok(None),
        }
    }

    async fn end_session(
        &self,
        token_hash: &str,
        all: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let sql = if all {
            "DELETE FROM sessions WHERE user_id = (SELECT user_id FROM sessions WHERE token_hash = ?)"
        } else {
            "DELETE FROM sessions WHERE token_hash = ?"
        };
        sqlx::query(sql)
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_audit(&mut tx, entry).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT id, at, actor, actor_kind, role, unit, action, target, address, before, after FROM audit_log WHERE 1 = 1",
        );
        if let Some(a) = &q.actor {
            b.push(" AND actor = ").push_bind(a.clone());
        }
        if let Some(a) = &q.action {
            b.push(" AND action = ").push_bind(a.clone());
        }
        b.push(" ORDER BY id DESC LIMIT ")
            .push_bind(q.limit.clamp(1, 1000) as i64);
        Ok(b.build_query_as::<AuditRow>()
            .fetch_all(&self.read)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn set_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET disabled = ? WHERE id = ?")
            .bind(disabled)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let rows = sqlx::query_as::<_, UserRow>(
            "SELECT id, username, display_name, password_hash, disabled FROM users ORDER BY username",
        )
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(with_roles(&self.read, r).await?);
        }
        Ok(out)
    }

    async fn create_token(&self, t: &NewToken, audit: &AuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (kind, name, token_hash, display_id, created_at, created_by, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(t.kind.as_str())
        .bind(&t.name)
        .bind(&t.token_hash)
        .bind(t.display_id)
        .bind(Utc::now())
        .bind(&t.created_by)
        .bind(t.expires_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, "token"))?;
        for u in &t.units {
            sqlx::query("INSERT INTO api_token_units (token_id, unit) VALUES (?, ?)")
                .bind(id)
                .bind(u)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(id)
    }

    async fn token_by_hash(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        let row = sqlx::query_as::<_, TokenRow>(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await
        .map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        let live = row.revoked_at.is_none() && row.expires_at.is_none_or(|e| e > now);
        if live
            && row
                .last_used_at
                .is_none_or(|t| now - t > chrono::Duration::seconds(60))
        {
            sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                .bind(now)
                .bind(row.id)
                .execute(&self.write)
                .await
                .map_err(db_error)?;
        }
        let units = token_units(&self.read, row.id).await?;
        Ok(Some(row.with_units(units)?))
    }

    async fn revoke_token(&self, id: i64, audit: &AuditEntry) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected()
                == 1;
        if done {
            insert_audit(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(done)
    }

    async fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = sqlx::query_as::<_, TokenRow>(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id DESC"
        ))
        .fetch_all(&self.read)
        .await
        .map_err(db_error)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let units = token_units(&self.read, r.id).await?;
            out.push(r.with_units(units)?);
        }
        Ok(out)
    }

    async fn create_display(
        &self,
        name: &str,
        token: &NewToken,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO displays (name, created_at, created_by) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(Utc::now())
        .bind(&token.created_by)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, name))?;
        sqlx::query(
            "INSERT INTO api_tokens (kind, name, token_hash, display_id, created_at, created_by, expires_at)
             VALUES ('display', ?, ?, ?, ?, ?, ?)",
        )
        .bind(&token.name)
        .bind(&token.token_hash)
        .bind(id)
        .bind(Utc::now())
        .bind(&token.created_by)
        .bind(token.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(id)
    }

    async fn display(&self, id: i64) -> Result<Option<DisplayRecord>, StoreError> {
        let row: Option<DisplayRow> =
            sqlx::query_as("SELECT id, name, created_by, config FROM displays WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.read)
                .await
                .map_err(db_error)?;
        Ok(row.map(display_record))
    }

    async fn displays(&self) -> Result<Vec<DisplayRecord>, StoreError> {
        let rows: Vec<DisplayRow> =
            sqlx::query_as("SELECT id, name, created_by, config FROM displays ORDER BY id")
                .fetch_all(&self.read)
                .await
                .map_err(db_error)?;
        Ok(rows.into_iter().map(display_record).collect())
    }

    async fn set_display_config(
        &self,
        id: i64,
        config: &app::model::display::DisplayConfig,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let json = serde_json::to_string(config).map_err(StoreError::because)?;
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query("UPDATE displays SET config = ? WHERE id = ?")
            .bind(&json)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        log_change(&mut tx, &format!("display:{id}"), &json).await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error)?;
        self.committed();
        Ok(true)
    }

    async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
        if let Some(checkpoint) = &self.checkpoint {
            checkpoint.close().await;
        }
    }
}

async fn with_roles(pool: &SqlitePool, row: UserRow) -> Result<UserRecord, StoreError> {
    let roles: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT role, unit FROM user_roles WHERE user_id = ? ORDER BY role, unit")
            .bind(row.id)
            .fetch_all(pool)
            .await
            .map_err(db_error)?;
    row.with_roles(roles)
}

/// Inserts a new task (id 0) or updates one still at its version, and announces it on `tasks`.
async fn write_task(
    tx: &mut SqliteConnection,
    t: &Task,
    meeting: Option<i64>,
) -> Result<i64, StoreError> {
    let mut stored = t.clone();
    if let (app::model::task::TaskSource::Conclusion { meeting: m, .. }, Some(id)) =
        (&mut stored.source, meeting)
    {
        *m = id;
    }
    let body = super::to_json(&stored)?;
    let deadline = t.dates().deadline_in_force();
    let id = if t.id == 0 {
        sqlx::query_scalar(
            "INSERT INTO tasks (lead_unit, meeting_id, assigned_on, deadline, done_on, version,
             updated_at, body) VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
        )
        .bind(&t.lead)
        .bind(meeting)
        .bind(t.assigned_on)
        .bind(deadline)
        .bind(t.done_on)
        .bind(Utc::now())
        .bind(&body)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?
    } else {
        let written = sqlx::query(
            "UPDATE tasks SET lead_unit = ?, deadline = ?, done_on = ?, version = version + 1,
             updated_at = ?, body = ? WHERE id = ? AND version = ?",
        )
        .bind(&t.lead)
        .bind(deadline)
        .bind(t.done_on)
        .bind(Utc::now())
        .bind(&body)
        .bind(t.id)
        .bind(t.version)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if written.rows_affected() == 0 {
            return Err(super::changed_meanwhile("nhiệm vụ", t.id));
        }
        t.id
    };
    log_change(tx, "tasks", &super::task_notice(id, t)?).await?;
    Ok(id)
}

/// A change that is not a value (a screen's layout, a report's state) takes the next seq and
/// goes to `change_log`, for the bus to publish on its topic.
async fn log_change(
    tx: &mut SqliteConnection,
    topic: &str,
    payload: &str,
) -> Result<i64, StoreError> {
    // The next seq, in commit order like every other write (the row stays locked until commit).
    let seq: i64 =
        sqlx::query_scalar("UPDATE seq_counter SET value = value + 1 WHERE id = 1 RETURNING value")
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
    sqlx::query("INSERT INTO change_log (seq, topic, payload, recorded_at) VALUES (?, ?, ?, ?)")
        .bind(seq)
        .bind(topic)
        .bind(payload)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    Ok(seq)
}

/// Writes a validated batch inside the caller's transaction: values, revisions, the seq counter
/// and the audit row. The one storage of values, for the API's batches and approved reports.
async fn write_observations(
    tx: &mut SqliteConnection,
    batch: &[NewObservation],
    source: Source,
    audit: &AuditEntry,
) -> Result<StoreOutcome, StoreError> {
    let last_seq: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;

    // The foreign keys, once per batch: every code the batch names is in the catalogue.
    let (indicators, units) = super::batch_codes(batch);
    let missing: Option<String> = sqlx::query_scalar(
        "SELECT k.value FROM json_each(?1) k WHERE NOT EXISTS (SELECT 1 FROM indicators WHERE code = k.value)
         UNION ALL
         SELECT k.value FROM json_each(?2) k WHERE NOT EXISTS (SELECT 1 FROM units WHERE code = k.value)
         LIMIT 1",
    )
    .bind(super::to_json(&indicators)?)
    .bind(super::to_json(&units)?)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    if let Some(code) = missing {
        return Err(super::not_in_catalogue(&code));
    }

    let keys: Vec<Key> = batch.iter().map(super::key_of).collect();
    let mut existing: HashMap<Key, (f64, i32)> = HashMap::new();
    for chunk in super::key_ranges(batch, &keys).chunks(10_000) {
        // One primary-key range per run of periods rather than one probe per key.
        let ranges: Vec<[&str; 4]> = chunk
            .iter()
            .map(|r| [r.indicator, r.unit, r.from, r.to])
            .collect();
        let json = super::to_json(&ranges)?;
        let rows: Vec<(String, String, String, f64, i32)> = sqlx::query_as(
            "SELECT o.indicator, o.unit, o.period, o.value, o.revision
             FROM json_each(?) AS k
             JOIN observations o ON o.indicator = k.value ->> 0 AND o.unit = k.value ->> 1
               AND o.period BETWEEN k.value ->> 2 AND k.value ->> 3",
        )
        .bind(json)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        existing.extend(rows.into_iter().map(|(i, u, p, v, r)| ((i, u, p), (v, r))));
    }

    let (planned, unchanged) = plan(batch, &keys, &existing, last_seq);
    let now = Utc::now();
    for chunk in super::in_key_order(&planned).chunks(INSERT_CHUNK) {
        let mut b = QueryBuilder::<Sqlite>::new("INSERT INTO observations (indicator, unit, period, period_start, value, revision, source, status, simulated, seq, updated_at) ".to_string());
        b.push_values(chunk, |mut row, p| {
            row.push_bind(&p.obs.indicator)
                .push_bind(&p.obs.unit)
                .push_bind(&p.period)
                .push_bind(p.obs.period.start().to_string())
                .push_bind(p.obs.value)
                .push_bind(p.revision)
                .push_bind(source.as_str())
                .push_bind("published")
                .push_bind(source.is_simulated())
                .push_bind(p.seq)
                .push_bind(now);
        });
        b.push(
            " ON CONFLICT (indicator, unit, period) DO UPDATE SET value = excluded.value,
              revision = excluded.revision, source = excluded.source, status = excluded.status,
              simulated = excluded.simulated, seq = excluded.seq, updated_at = excluded.updated_at",
        );
        b.build().execute(&mut *tx).await.map_err(db_error)?;
    }
    for chunk in planned.chunks(INSERT_CHUNK) {
        let mut b = QueryBuilder::<Sqlite>::new(
            "INSERT INTO observation_revisions (seq, indicator, unit, period, revision, value, source, simulated, note, source_ref, recorded_at) ",
        );
        b.push_values(chunk, |mut row, p| {
            row.push_bind(p.seq)
                .push_bind(&p.obs.indicator)
                .push_bind(&p.obs.unit)
                .push_bind(&p.period)
                .push_bind(p.revision)
                .push_bind(p.obs.value)
                .push_bind(source.as_str())
                .push_bind(source.is_simulated())
                .push_bind(&p.obs.note)
                .push_bind(&p.obs.source_ref)
                .push_bind(now);
        });
        b.build().execute(&mut *tx).await.map_err(db_error)?;
    }
    let new_last = planned.last().map(|p| p.seq);
    if let Some(s) = new_last {
        sqlx::query("UPDATE seq_counter SET value = ? WHERE id = 1")
            .bind(s)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    let counts = format!(
        "{{\"stored\":{},\"unchanged\":{unchanged},\"source\":\"{}\"}}",
        planned.len(),
        source.as_str()
    );
    insert_audit(
        tx,
        &AuditEntry {
            after: Some(counts),
            ..audit.clone()
        },
    )
    .await?;
    Ok(StoreOutcome {
        stored: planned.len() as u64,
        unchanged,
        last_seq: new_last,
    })
}

async fn insert_audit(conn: &mut SqliteConnection, e: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, actor_kind, role, unit, action, target, address, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Utc::now())
    .bind(&e.actor)
    .bind(&e.actor_kind)
    .bind(&e.role)
    .bind(&e.unit)
    .bind(&e.action)
    .bind(&e.target)
    .bind(&e.address)
    .bind(&e.before)
    .bind(&e.after)
    .execute(conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

async fn token_units(pool: &SqlitePool, id: i64) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar("SELECT unit FROM api_token_units WHERE token_id = ? ORDER BY unit")
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(db_error)
}
