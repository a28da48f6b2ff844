//! The store behind [`app::store::Store`], on SQLite (embedded default, one instance) or
//! PostgreSQL (production, several instances). A query is written once, in `queries.rs`; what
//! only one engine does is in `sqlite.rs` or `postgres.rs`; the rules of a batch of values in
//! `batch.rs`; the rows read back and their conversion in `rows.rs`.
//!
//! To add a table: a migration for each database (`migrations/{sqlite,postgres}/`), the
//! method on the trait (`app/src/store.rs`), its body in `queries.rs`, its row in `rows.rs`.

// `on!` is defined before the modules that use it.
/// Runs `$body` with `$db` bound to the store's engine: the body is written once and compiled
/// once per engine, with that engine's concrete pool and transaction types (so sqlx checks
/// every bind against each database's own types).
macro_rules! on {
    ($store:ident, |$db:ident| $body:expr) => {
        match &$store.engine {
            $crate::store::Engine::Sqlite($db) => $body,
            $crate::store::Engine::Postgres($db) => $body,
        }
    };
}

mod batch;
mod computed;
pub mod postgres;
mod queries;
mod rows;
pub mod sqlite;

use crate::config::DatabaseUrl;
use app::store::{CommitHook, SharedStore, StoreError};
use std::sync::{Arc, OnceLock};

/// The store: one [`app::store::Store`] over either database (`queries.rs`).
pub struct SqlStore {
    engine: Engine,
    commit_hook: OnceLock<CommitHook>,
}

/// The database behind a [`SqlStore`], with what only that engine does.
pub(crate) enum Engine {
    Sqlite(sqlite::SqliteDb),
    Postgres(postgres::PgDb),
}

impl SqlStore {
    fn new(engine: Engine) -> SqlStore {
        SqlStore {
            engine,
            commit_hook: OnceLock::new(),
        }
    }

    /// Tells the live stream that something with a seq was committed.
    fn committed(&self) {
        if let Engine::Sqlite(db) = &self.engine {
            db.wrote();
        }
        if let Some(hook) = self.commit_hook.get() {
            hook();
        }
    }
}

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
    let engine = match url {
        DatabaseUrl::Sqlite(path) => Engine::Sqlite(sqlite::SqliteDb::open(path, opener).await?),
        DatabaseUrl::Postgres(opts) => Engine::Postgres(postgres::PgDb::open(opts).await?),
    };
    Ok(Arc::new(SqlStore::new(engine)))
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

/// A unique-constraint violation becomes [`StoreError::Conflict`].
pub(crate) fn conflict_or(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::conflict(what.to_string()).caused_by(e)
        }
        _ => db_error(e),
    }
}
