//! SQLite: the embedded default. One server process per database file (a lock file refuses a
//! second one: the live stream, the simulator and the checkpoints run in that process); commands
//! of the command line may write beside it, and the server's live stream reads what they wrote
//! (`live::bus`, which polls SQLite often). Reads use a small pool; writes go through a single
//! connection, which is SQLite's own model of one writer.

use super::batch::{Key, batch_codes, in_key_order, key_of, key_ranges, not_in_catalogue, plan};
use super::computed::{Put, ValueWriter};
use super::queries::Announce;
use super::rows::OBS_COLUMNS;
use super::rows::to_json;
use super::{OpenError, Opener, db_error};
use app::model::{NewObservation, Source};
use app::store::StoreError;
use async_trait::async_trait;
use chrono::Utc;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

const INSERT_CHUNK: usize = 2_000;

/// The SQLite side of the store: a pool of readers and one writer.
pub struct SqliteDb {
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

impl SqliteDb {
    pub async fn open(path: &Path, opener: Opener) -> Result<SqliteDb, OpenError> {
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
        Ok(SqliteDb {
            read,
            write,
            checkpoint,
            wrote,
            _lock: lock,
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

impl SqliteDb {
    pub(crate) fn read(&self) -> &SqlitePool {
        &self.read
    }

    /// For a single statement that writes (it waits for the one writer).
    pub(crate) fn write(&self) -> &SqlitePool {
        &self.write
    }

    /// The one way a write transaction starts: it takes the write lock at once (`IMMEDIATE`),
    /// waiting out the busy timeout for a checkpoint that holds it, rather than reading first and
    /// failing with "database is locked" when it then writes on a snapshot the checkpoint has
    /// moved past.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.write
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_error)
    }

    /// A read transaction: what it reads comes from one snapshot of the file.
    pub(crate) async fn begin_snapshot(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.read.begin().await.map_err(db_error)
    }

    /// A write with a seq was committed: the checkpointer may fold the log.
    pub(crate) fn wrote(&self) {
        self.wrote.notify_one();
    }

    pub(crate) async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
        if let Some(checkpoint) = &self.checkpoint {
            checkpoint.close().await;
        }
    }

    /// A unit's latest `per_indicator` points of each indicator (`$1` the unit), one row per
    /// indicator with its points as a JSON array (`rows::points`), and the value to bind as
    /// `$2`. Per indicator, the start of its Nth newest period is found with one
    /// index lookup, then the range is read: a window over all of a unit's history (ten years
    /// of daily values) cost tens of milliseconds per page. CROSS JOIN keeps `indicators` as
    /// the outer loop (SQLite does not reorder it). SQLite has no LATERAL. NOT INDEXED reads
    /// the rows where they are, in the primary key (an indicator's periods of one unit sit
    /// together, and within an indicator the period's text sorts as its time): through the
    /// unit index each row was a second lookup, 17 against 8 ms for 200 indicators.
    pub(crate) fn recent_sql(&self, per_indicator: usize) -> (String, i64) {
        (
            "SELECT o.indicator, json_group_array(json_array(o.period, o.value, o.simulated, o.usual_low IS NOT NULL))
             FROM indicators i
             CROSS JOIN observations o NOT INDEXED ON o.indicator = i.code AND o.unit = $1
               AND o.period >= COALESCE(
                 (SELECT x.period FROM observations x NOT INDEXED WHERE x.indicator = i.code
                  AND x.unit = $1 ORDER BY x.period DESC LIMIT 1 OFFSET $2), '')
             GROUP BY o.indicator"
                .to_string(),
            per_indicator.saturating_sub(1) as i64,
        )
    }

    /// The newest value of each pair of unit `u` and indicator `i` matching `filter`: one step
    /// of the primary key (indicator, unit, period) per pair, the period's text sorting as its
    /// start within an indicator; CROSS JOIN keeps SQLite's planner to that order. Reading the
    /// matching rows instead (a correlated MAX for each) took 1.5 s for the overview's
    /// snapshot at national scale (every value of the nation and the provinces), and 1.6 s for
    /// a commune indicator's; this takes 40 and 20 ms.
    pub(crate) fn latest_sql(&self, filter: &str) -> String {
        format!(
            "SELECT o.{} FROM units u CROSS JOIN indicators i CROSS JOIN observations o
             WHERE {filter} AND o.indicator = i.code AND o.unit = u.code
               AND o.period = (SELECT MAX(m.period) FROM observations m
                               WHERE m.indicator = i.code AND m.unit = u.code)
             ORDER BY o.indicator, o.unit",
            OBS_COLUMNS.replace(", ", ", o.")
        )
    }
}

/// Values and their revisions; the batch's end and the figures computed from it are
/// `computed::write_observations`'s.
#[async_trait]
impl ValueWriter for SqliteDb {
    type Conn = SqliteConnection;

    async fn put_values(
        &self,
        tx: &mut SqliteConnection,
        batch: &[NewObservation],
        source: Source,
        after: Option<i64>,
    ) -> Result<Put, StoreError> {
        let last_seq: i64 = match after {
            Some(seq) => seq,
            None => {
                check_codes(tx, batch).await?;
                sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_error)?
            }
        };
        if batch.is_empty() {
            return Ok(Put::of(&[], 0, last_seq));
        }
        let keys: Vec<Key> = batch.iter().map(key_of).collect();
        let mut existing: HashMap<Key, (f64, i32)> = HashMap::new();
        for chunk in key_ranges(batch, &keys).chunks(10_000) {
            // One primary-key range per run of periods rather than one probe per key.
            let ranges: Vec<[&str; 4]> = chunk
                .iter()
                .map(|r| [r.indicator, r.unit, r.from, r.to])
                .collect();
            let json = to_json(&ranges)?;
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
        for chunk in in_key_order(&planned).chunks(INSERT_CHUNK) {
            let mut b = QueryBuilder::<Sqlite>::new("INSERT INTO observations (indicator, unit, period, period_start, value, revision, source, status, simulated, seq, updated_at, usual_low, usual_high) ".to_string());
            b.push_values(chunk, |mut row, p| {
                row.push_bind(&p.obs.indicator)
                    .push_bind(&p.obs.unit)
                    .push_bind(&p.period)
                    .push_bind(p.obs.period.start().to_string())
                    .push_bind(p.obs.value)
                    .push_bind(p.revision)
                    .push_bind(source.as_str())
                    .push_bind(app::model::observation::DataStatus::Published.as_str())
                    .push_bind(source.is_simulated())
                    .push_bind(p.seq)
                    .push_bind(now)
                    .push_bind(p.obs.outlier.map(|u| u.low))
                    .push_bind(p.obs.outlier.map(|u| u.high));
            });
            b.push(
                " ON CONFLICT (indicator, unit, period) DO UPDATE SET value = excluded.value,
              revision = excluded.revision, source = excluded.source, status = excluded.status,
              simulated = excluded.simulated, seq = excluded.seq, updated_at = excluded.updated_at,
              usual_low = excluded.usual_low, usual_high = excluded.usual_high",
            );
            b.build().execute(&mut *tx).await.map_err(db_error)?;
        }
        for chunk in planned.chunks(INSERT_CHUNK) {
            let mut b = QueryBuilder::<Sqlite>::new(
                "INSERT INTO observation_revisions (seq, indicator, unit, period, revision, value, source, simulated, note, source_ref, recorded_at, usual_low, usual_high) ",
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
                    .push_bind(now)
                    .push_bind(p.obs.outlier.map(|u| u.low))
                    .push_bind(p.obs.outlier.map(|u| u.high));
            });
            b.build().execute(&mut *tx).await.map_err(db_error)?;
        }
        Ok(Put::of(&planned, unchanged, last_seq))
    }
}

/// The foreign keys, once per batch: every code the batch names is in the catalogue.
async fn check_codes(
    tx: &mut SqliteConnection,
    batch: &[NewObservation],
) -> Result<(), StoreError> {
    let (indicators, units) = batch_codes(batch);
    let missing: Option<String> = sqlx::query_scalar(
        "SELECT k.value FROM json_each(?1) k WHERE NOT EXISTS (SELECT 1 FROM indicators WHERE code = k.value)
         UNION ALL
         SELECT k.value FROM json_each(?2) k WHERE NOT EXISTS (SELECT 1 FROM units WHERE code = k.value)
         LIMIT 1",
    )
    .bind(to_json(&indicators)?)
    .bind(to_json(&units)?)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    if let Some(code) = missing {
        return Err(not_in_catalogue(&code));
    }

    Ok(())
}

/// Nothing to tell: the one server on a SQLite file polls it (`live::bus`).
#[async_trait]
impl Announce for SqliteConnection {
    async fn announce(&mut self, _seq: i64) -> Result<(), StoreError> {
        Ok(())
    }
}
