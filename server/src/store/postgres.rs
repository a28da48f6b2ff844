//! PostgreSQL: production, shared by several instances. Writers serialise on the `seq_counter`
//! row, so `seq` is handed out in commit order across instances.

use super::batch::{
    Key, Planned, batch_codes, in_key_order, key_of, key_ranges, not_in_catalogue, plan,
};
use super::computed::{Put, ValueWriter};
use super::queries::Announce;
use super::rows::OBS_COLUMNS;
use super::{OpenError, db_error};
use app::model::{NewObservation, Source};
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres, Transaction};
use std::collections::HashMap;
use std::time::Duration;

/// Rows per UNNEST statement.
const CHUNK: usize = 10_000;

/// The LISTEN/NOTIFY channel on which a committed write announces its last seq.
pub const NOTIFY_CHANNEL: &str = "dieuhanh_seq";

/// The PostgreSQL side of the store: one pool, shared by reads and writes.
pub struct PgDb {
    pool: PgPool,
}

impl PgDb {
    pub async fn open(options: &PgConnectOptions) -> Result<PgDb, OpenError> {
        let target = format!(
            "postgres://{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or("")
        );
        // One direct connection first: its error says why (refused, unknown host, no such
        // database), where the pool would only report a timeout.
        use sqlx::Connection;
        let probe = tokio::time::timeout(
            Duration::from_secs(10),
            sqlx::PgConnection::connect_with(options),
        )
        .await
        .unwrap_or(Err(sqlx::Error::PoolTimedOut))
        .map_err(|source| {
            // A certificate refused by rustls comes back as an I/O error carrying it.
            let tls = match &source {
                sqlx::Error::Tls(_) => true,
                sqlx::Error::Io(e) => e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()),
                _ => false,
            };
            let target = target.clone();
            if tls {
                OpenError::Tls { target, source }
            } else {
                OpenError::Connect { target, source }
            }
        })?;
        let _ = probe.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.clone())
            .await
            .map_err(|source| OpenError::Connect {
                target: target.clone(),
                source,
            })?;
        super::migrator(true)
            .await?
            .run(&pool)
            .await
            .map_err(|source| OpenError::Migrate { target, source })?;
        Ok(PgDb { pool })
    }
}

impl PgDb {
    pub(crate) fn read(&self) -> &PgPool {
        &self.pool
    }

    /// For a single statement that writes.
    pub(crate) fn write(&self) -> &PgPool {
        &self.pool
    }

    /// A write transaction. Writers of values and events serialise on the `seq_counter` row.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        self.pool.begin().await.map_err(db_error)
    }

    /// A read transaction at REPEATABLE READ: what it reads comes from one snapshot.
    pub(crate) async fn begin_snapshot(
        &self,
    ) -> Result<Transaction<'static, Postgres>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        Ok(tx)
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// A unit's latest `per_indicator` points of each indicator (`$1` the unit), one row per
    /// indicator with its points as a JSON array (`rows::points`), and the value to bind as
    /// `$2`: one index range scan per indicator (a window over all of a unit's history cost tens
    /// of milliseconds per page).
    pub(crate) fn recent_sql(&self, per_indicator: usize) -> (String, i64) {
        (
            "SELECT i.code, json_agg(json_build_array(o.period, o.value, o.simulated, o.usual_low IS NOT NULL))::text
             FROM indicators i
             CROSS JOIN LATERAL (SELECT period, value, simulated, usual_low FROM observations x
                                 WHERE x.unit = $1 AND x.indicator = i.code
                                 ORDER BY x.period_start DESC LIMIT $2) o
             GROUP BY i.code"
                .to_string(),
            per_indicator as i64,
        )
    }

    /// The newest value of each pair of unit `u` and indicator `i` matching `filter`: one
    /// backward step of the primary key (indicator, unit, period) per pair. DISTINCT ON over
    /// the matching rows took 8 s for the overview's snapshot at national scale and 0.7 s for
    /// a commune indicator's; this takes 80 and 45 ms.
    pub(crate) fn latest_sql(&self, filter: &str) -> String {
        format!(
            "SELECT o.{} FROM units u CROSS JOIN indicators i CROSS JOIN LATERAL (
               SELECT x.* FROM observations x WHERE x.indicator = i.code AND x.unit = u.code
               ORDER BY x.period DESC LIMIT 1) o
             WHERE {filter}
             ORDER BY o.indicator, o.unit",
            OBS_COLUMNS.replace(", ", ", o.")
        )
    }
}

/// Values and their revisions; the batch's end and the figures computed from it are
/// `computed::write_observations`'s.
#[async_trait]
impl ValueWriter for PgDb {
    type Conn = PgConnection;

    async fn put_values(
        &self,
        tx: &mut PgConnection,
        batch: &[NewObservation],
        source: Source,
        after: Option<i64>,
    ) -> Result<Put, StoreError> {
        let last_seq: i64 = match after {
            Some(seq) => seq,
            None => {
                // The foreign keys, once per batch: every code the batch names is in the catalogue. Before
                // the counter's lock, which other writers wait for: the check does not depend on it.
                let (indicators, units) = batch_codes(batch);
                let missing: Option<String> = sqlx::query_scalar(
                "SELECT c FROM UNNEST($1::text[]) c WHERE NOT EXISTS (SELECT 1 FROM indicators WHERE code = c)
                 UNION ALL
                 SELECT c FROM UNNEST($2::text[]) c WHERE NOT EXISTS (SELECT 1 FROM units WHERE code = c)
                 LIMIT 1",
            )
            .bind(&indicators)
            .bind(&units)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
                if let Some(code) = missing {
                    return Err(not_in_catalogue(&code));
                }
                // Taking the counter row's lock serialises writers: every transaction that wrote
                // before us has committed by the time we read, and none can commit a seq between ours.
                sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1 FOR UPDATE")
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
        for chunk in key_ranges(batch, &keys).chunks(CHUNK) {
            // One primary-key range per run of periods, not one probe per key: under the lock,
            // where every writer waits. Not a prepared statement: planned each time with the arrays
            // and the table as they are, never with a plan kept from when the table was small.
            let rows: Vec<(String, String, String, f64, i32)> = sqlx::query_as(
            "SELECT o.indicator, o.unit, o.period, o.value, o.revision
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[]) AS k(i, u, lo, hi)
             JOIN observations o ON o.indicator = k.i AND o.unit = k.u AND o.period BETWEEN k.lo AND k.hi",
        )
        .persistent(false)
        .bind(chunk.iter().map(|r| r.indicator).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.unit).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.from).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.to).collect::<Vec<_>>())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
            existing.extend(rows.into_iter().map(|(i, u, p, v, r)| ((i, u, p), (v, r))));
        }

        let (planned, unchanged) = plan(batch, &keys, &existing, last_seq);
        let now = Utc::now();
        // Under the lock the lookup above is the truth: a key it did not find is new (revision 1,
        // as `plan` numbers it) and goes in by a plain INSERT, which skips the conflict check that
        // ON CONFLICT pays on every row (a seventh of the time of a batch of new values).
        let (new, changed): (Vec<&Planned>, Vec<&Planned>) = in_key_order(&planned)
            .into_iter()
            .partition(|p| p.revision == 1);
        for (rows, upsert) in [(new, false), (changed, true)] {
            for chunk in rows.chunks(CHUNK) {
                write_values(tx, chunk, source, now, upsert).await?;
            }
        }
        for chunk in planned.chunks(CHUNK) {
            sqlx::query(
            "INSERT INTO observation_revisions (seq, indicator, unit, period, revision, value, source, simulated, note, source_ref, recorded_at, usual_low, usual_high)
             SELECT q, i, u, p, r, v, $6, $7, n, s, $8, lo, hi
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[], $9::float8[], $10::text[], $11::text[], $12::float8[], $13::float8[])
               AS k(q, i, u, p, r, v, n, s, lo, hi)",
        )
        .bind(chunk.iter().map(|p| p.seq).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.obs.indicator.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.obs.unit.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.period.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.revision).collect::<Vec<_>>())
        .bind(source.as_str())
        .bind(source.is_simulated())
        .bind(now)
        .bind(chunk.iter().map(|p| p.obs.value).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.obs.note.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.obs.source_ref.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.obs.outlier.map(|u| u.low)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.obs.outlier.map(|u| u.high)).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        }
        Ok(Put::of(&planned, unchanged, last_seq))
    }
}

/// Writes the latest values of `rows`: inserted, or with `upsert` replacing the stored ones.
async fn write_values(
    tx: &mut PgConnection,
    rows: &[&Planned<'_>],
    source: Source,
    now: DateTime<Utc>,
    upsert: bool,
) -> Result<(), StoreError> {
    // One statement text, with or without the clause that replaces a stored value.
    macro_rules! insert {
        ($($tail:literal)?) => {
            concat!(
                "INSERT INTO observations (indicator, unit, period, period_start, value, revision, source, status, simulated, seq, updated_at, usual_low, usual_high)
                 SELECT i, u, p, s, v, r, $7, 'published', $8, q, $9, lo, hi
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::date[], $5::float8[], $6::int[], $10::bigint[], $11::float8[], $12::float8[])
                   AS k(i, u, p, s, v, r, q, lo, hi)"
                $(, $tail)?
            )
        };
    }
    let sql = if upsert {
        insert!(
            " ON CONFLICT (indicator, unit, period) DO UPDATE SET value = excluded.value,
               revision = excluded.revision, source = excluded.source, status = excluded.status,
               simulated = excluded.simulated, seq = excluded.seq, updated_at = excluded.updated_at,
               usual_low = excluded.usual_low, usual_high = excluded.usual_high"
        )
    } else {
        insert!()
    };
    sqlx::query(sql)
        .bind(
            rows.iter()
                .map(|p| p.obs.indicator.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|p| p.obs.unit.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.period.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|p| p.obs.period.start())
                .collect::<Vec<NaiveDate>>(),
        )
        .bind(rows.iter().map(|p| p.obs.value).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.revision).collect::<Vec<_>>())
        .bind(source.as_str())
        .bind(source.is_simulated())
        .bind(now)
        .bind(rows.iter().map(|p| p.seq).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|p| p.obs.outlier.map(|u| u.low))
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|p| p.obs.outlier.map(|u| u.high))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Tells every instance's listener that `seq` is committed, when (and only if) the transaction
/// commits; the payload is only the seq, and listeners read the rows themselves.
#[async_trait]
impl Announce for PgConnection {
    async fn announce(&mut self, seq: i64) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(NOTIFY_CHANNEL)
            .bind(seq.to_string())
            .execute(&mut *self)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
