//! `dieuhanh backup --to DIR` and `dieuhanh restore --from DIR`.
//!
//! A backup is a folder: the database (SQLite: a copy made by `VACUUM INTO`, one read
//! transaction, so a consistent snapshot while the server keeps writing; PostgreSQL: `pg_dump`
//! in its custom format, also one snapshot), the attachments' files, and `backup.json` saying
//! what it holds. The database is copied first and the attachments after: an attachment's file
//! is written before its row, so every attachment the snapshot names is in the copy.

use crate::config::DatabaseUrl;
use serde::{Deserialize, Serialize};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::path::{Path, PathBuf};

const MANIFEST: &str = "backup.json";
const SQLITE_FILE: &str = "dieuhanh.db";
const PG_FILE: &str = "dieuhanh.pgdump";
const ATTACHMENTS: &str = "attachments";

/// What a backup holds, written beside it and checked on restore.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub database: String,
    pub made_at: chrono::DateTime<chrono::Utc>,
    /// Values (`observations` rows) and the live stream's seq in the snapshot.
    pub values: u64,
    pub seq: i64,
    pub attachments: u64,
    pub version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "thư mục sao lưu “{0}” đã có và không trống; hãy chọn thư mục mới (the backup folder exists and is not empty; choose a new one)"
    )]
    TargetNotEmpty(String),
    #[error(
        "“{0}” không phải là bản sao lưu của dieuhanh: thiếu backup.json (not a dieuhanh backup: no backup.json)"
    )]
    NotABackup(String),
    #[error(
        "bản sao lưu là của {backup}, nhưng DATABASE_URL là {target}; hãy khôi phục vào cùng loại cơ sở dữ liệu (the backup is of {backup}, DATABASE_URL is {target})"
    )]
    WrongKind { backup: String, target: String },
    #[error(
        "đã có cơ sở dữ liệu tại {0}; khôi phục chỉ ghi vào chỗ trống, hãy chọn DATABASE_URL mới hoặc xoá nó trước (a database already exists there; restore only into an empty place)"
    )]
    TargetInUse(String),
    #[error(
        "bản sao lưu không khớp sau khi khôi phục: {0} (the restored database does not match its backup.json)"
    )]
    Mismatch(String),
    #[error("{what} thất bại (failed): {detail}")]
    Tool { what: &'static str, detail: String },
    #[error("lỗi đọc/ghi tệp (file error) {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("lỗi cơ sở dữ liệu (database error): {0}")]
    Database(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn db(e: impl std::fmt::Display) -> BackupError {
    BackupError::Database(e.to_string())
}

/// Takes a backup of the database at `database` (which may be in use by a running server) and
/// of `attachments` into the new or empty folder `to`.
pub async fn backup(
    database: &DatabaseUrl,
    database_url: &str,
    attachments: &Path,
    to: &Path,
) -> Result<Manifest, BackupError> {
    if to.exists() && std::fs::read_dir(to).map_err(io(to))?.next().is_some() {
        return Err(BackupError::TargetNotEmpty(to.display().to_string()));
    }
    std::fs::create_dir_all(to).map_err(io(to))?;
    let (values, seq) = match database {
        DatabaseUrl::Sqlite(path) => {
            let file = to.join(SQLITE_FILE);
            // Read-only: the running server holds the write lock and keeps it.
            let mut conn = SqliteConnectOptions::new()
                .filename(path)
                .read_only(true)
                .connect()
                .await
                .map_err(db)?;
            sqlx::query("VACUUM INTO ?")
                .bind(file.display().to_string())
                .execute(&mut conn)
                .await
                .map_err(db)?;
            drop(conn);
            sqlite_counts(&file).await?
        }
        DatabaseUrl::Postgres(_) => {
            // The counts and the dump come from one snapshot: this transaction exports it and
            // stays open while pg_dump reads under it.
            let pool = sqlx::PgPool::connect(database_url).await.map_err(db)?;
            let mut tx = pool.begin().await.map_err(db)?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            let counts = pg_counts(&mut tx).await?;
            let file = to.join(PG_FILE);
            run(
                "pg_dump",
                pg_tool("pg_dump", database_url)
                    .arg("--format=custom")
                    .arg("--no-owner")
                    .arg("--no-privileges")
                    .arg(format!("--snapshot={snapshot}"))
                    .arg(format!("--file={}", file.display())),
            )
            .await?;
            tx.rollback().await.map_err(db)?;
            pool.close().await;
            counts
        }
    };
    let copied = copy_files(attachments, &to.join(ATTACHMENTS))?;
    let manifest = Manifest {
        database: database.kind().into(),
        made_at: chrono::Utc::now(),
        values,
        seq,
        attachments: copied,
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(db)?;
    std::fs::write(to.join(MANIFEST), text).map_err(io(to))?;
    Ok(manifest)
}

/// Restores the backup in `from` into `database`, which must be empty (a SQLite file that does
/// not exist yet, a PostgreSQL database without tables), and its attachments into
/// `attachments`. The server must not be running on that database.
pub async fn restore(
    database: &DatabaseUrl,
    database_url: &str,
    attachments: &Path,
    from: &Path,
) -> Result<Manifest, BackupError> {
    let manifest_path = from.join(MANIFEST);
    let manifest: Manifest = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|_| BackupError::NotABackup(from.display().to_string()))?,
        Err(_) => return Err(BackupError::NotABackup(from.display().to_string())),
    };
    if manifest.database != database.kind() {
        return Err(BackupError::WrongKind {
            backup: manifest.database.clone(),
            target: database.kind().into(),
        });
    }
    let (values, seq) = match database {
        DatabaseUrl::Sqlite(path) => {
            if path.exists() {
                return Err(BackupError::TargetInUse(path.display().to_string()));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            let source = from.join(SQLITE_FILE);
            // Copied under a temporary name and renamed: a restore cut short leaves no database
            // a server would start on.
            let partial = PathBuf::from(format!("{}.restoring", path.display()));
            std::fs::copy(&source, &partial).map_err(io(&source))?;
            std::fs::rename(&partial, path).map_err(io(path))?;
            sqlite_counts(path).await?
        }
        DatabaseUrl::Postgres(_) => {
            let pool = sqlx::PgPool::connect(database_url).await.map_err(db)?;
            let tables: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
            )
            .fetch_one(&pool)
            .await
            .map_err(db)?;
            if tables > 0 {
                pool.close().await;
                return Err(BackupError::TargetInUse(database.describe()));
            }
            run(
                "pg_restore",
                pg_tool("pg_restore", database_url)
                    .arg("--no-owner")
                    .arg("--no-privileges")
                    .arg("--exit-on-error")
                    .arg("--single-transaction")
                    .arg(from.join(PG_FILE)),
            )
            .await?;
            let counts = pg_counts(&mut *pool.acquire().await.map_err(db)?).await?;
            pool.close().await;
            counts
        }
    };
    copy_files(&from.join(ATTACHMENTS), attachments)?;
    if (values, seq) != (manifest.values, manifest.seq) {
        return Err(BackupError::Mismatch(format!(
            "{values} values at seq {seq}, backup.json says {} at seq {}",
            manifest.values, manifest.seq
        )));
    }
    Ok(manifest)
}

/// `pg_dump` or `pg_restore` on `database_url`, with the password (if the address has one)
/// in the child's environment as `PGPASSWORD` instead of on its command line, where `ps` would
/// show it to every user of the machine.
fn pg_tool(program: &str, database_url: &str) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(program);
    match url::Url::parse(database_url) {
        Ok(mut url) if url.password().is_some() => {
            let password = percent_encoding::percent_decode_str(url.password().unwrap_or(""))
                .decode_utf8_lossy()
                .into_owned();
            let _ = url.set_password(None);
            cmd.env("PGPASSWORD", password)
                .arg(format!("--dbname={url}"));
        }
        _ => {
            cmd.arg(format!("--dbname={database_url}"));
        }
    }
    cmd
}

async fn run(what: &'static str, cmd: &mut tokio::process::Command) -> Result<(), BackupError> {
    let out = cmd.output().await.map_err(|e| BackupError::Tool {
        what,
        detail: format!("{e} (is PostgreSQL's client installed?)"),
    })?;
    if !out.status.success() {
        return Err(BackupError::Tool {
            what,
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(())
}

async fn sqlite_counts(file: &Path) -> Result<(u64, i64), BackupError> {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(db)?;
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(db)?;
    if ok != "ok" {
        return Err(BackupError::Mismatch(format!("integrity_check: {ok}")));
    }
    let (values, seq): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM observations), (SELECT value FROM seq_counter WHERE id = 1)",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(db)?;
    Ok((values as u64, seq))
}

async fn pg_counts(conn: &mut sqlx::PgConnection) -> Result<(u64, i64), BackupError> {
    let (values, seq): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM observations), (SELECT value FROM seq_counter WHERE id = 1)",
    )
    .fetch_one(conn)
    .await
    .map_err(db)?;
    Ok((values as u64, seq))
}

/// Copies the files of `from` (one level: attachments are stored flat, named by their hash)
/// into `to`, keeping files already there. Answers how many `from` holds.
fn copy_files(from: &Path, to: &Path) -> Result<u64, BackupError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    let entries = match std::fs::read_dir(from) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(from)(e)),
    };
    let mut n = 0;
    for entry in entries {
        let entry = entry.map_err(io(from))?;
        // Dot files are uploads still being written (see attachments::write_once).
        if !entry.file_type().map_err(io(from))?.is_file()
            || entry.file_name().to_string_lossy().starts_with('.')
        {
            continue;
        }
        let target = to.join(entry.file_name());
        if !target.exists() {
            std::fs::copy(entry.path(), &target).map_err(io(&target))?;
        }
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(cmd: &tokio::process::Command) -> Vec<String> {
        cmd.as_std()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    fn env(cmd: &tokio::process::Command, name: &str) -> Option<String> {
        cmd.as_std()
            .get_envs()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.map(|v| v.to_string_lossy().into_owned()))
    }

    #[test]
    fn the_password_goes_to_the_tools_environment_never_their_command_line() {
        let cmd = pg_tool(
            "pg_dump",
            "postgres://dieuhanh:m%E1%BA%ADt%40kh%E1%BA%A9u@db.internal:5432/dieuhanh?sslmode=require",
        );
        let line = args(&cmd).join(" ");
        assert!(!line.contains("kh"), "{line}");
        assert_eq!(
            line,
            "--dbname=postgres://dieuhanh@db.internal:5432/dieuhanh?sslmode=require"
        );
        assert_eq!(env(&cmd, "PGPASSWORD").as_deref(), Some("mật@khẩu"));
        // Without a password nothing is added.
        let cmd = pg_tool("pg_restore", "postgres://postgres@127.0.0.1:5432/x");
        assert_eq!(
            args(&cmd),
            ["--dbname=postgres://postgres@127.0.0.1:5432/x"]
        );
        assert_eq!(env(&cmd, "PGPASSWORD"), None);
    }
}
