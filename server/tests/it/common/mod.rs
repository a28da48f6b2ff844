//! Helpers shared by the integration tests: throw-away SQLite files and PostgreSQL databases.
#![allow(dead_code)]

pub mod live;
pub mod running;

/// The day the test servers run on and seed their demo up to: `DIEUHANH_TEST_AS_OF`
/// (`scripts/test` runs the date-sensitive tests on a month end, a year end and the Monday
/// after a holiday too), 2026-11-22 by default. Tests take "today" from here, never from the
/// real calendar, so they pass whatever day they run on.
pub fn today() -> chrono::NaiveDate {
    match std::env::var("DIEUHANH_TEST_AS_OF") {
        Ok(day) if !day.is_empty() => chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("DIEUHANH_TEST_AS_OF={day}: {e}")),
        _ => chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    }
}

/// Certificates made with `openssl` in `dir`: a CA (`ca.crt`), the server's certificate for
/// localhost and 127.0.0.1 signed by it (`server.crt`, `server.key`), and another CA that
/// signed nothing (`other-ca.crt`).
pub fn certificates(dir: &std::path::Path) {
    let openssl = |args: &str| {
        let out = std::process::Command::new("openssl")
            .current_dir(dir)
            .args(args.split_whitespace())
            .output()
            .unwrap_or_else(|e| panic!("openssl {args}: {e}"));
        assert!(
            out.status.success(),
            "openssl {args}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=dieuhanh-test-CA",
    );
    openssl(
        "req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr -subj /CN=localhost",
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext",
    );
    openssl(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj /CN=another-CA",
    );
}

use app::store::SharedStore;
use server::config::DatabaseUrl;
use sqlx::Connection;
use std::str::FromStr;

/// The server the PostgreSQL tests use; each test makes its own database there and drops it.
pub fn postgres_admin_url() -> String {
    std::env::var("DIEUHANH_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_required() -> bool {
    matches!(
        std::env::var("DIEUHANH_REQUIRE_POSTGRES").as_deref(),
        Ok("1")
    )
}

/// Whether the test PostgreSQL answers; the harness asks before each PostgreSQL test and
/// reports it ignored with this reason when it does not. Under `DIEUHANH_REQUIRE_POSTGRES=1`
/// (CI) a missing server fails the test instead.
pub async fn postgres_answers() -> Result<(), String> {
    // Asked once per run: every PostgreSQL test would otherwise connect once more just to ask.
    static ANSWER: tokio::sync::OnceCell<Result<(), String>> = tokio::sync::OnceCell::const_new();
    let admin = postgres_admin_url();
    let answer = ANSWER
        .get_or_init(|| async {
            match sqlx::PgConnection::connect(&admin).await {
                Ok(conn) => {
                    let _ = conn.close().await;
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            }
        })
        .await;
    match answer {
        Ok(()) => Ok(()),
        Err(e) if !postgres_required() => Err(format!(
            "no PostgreSQL answers at {admin} ({e}); set DIEUHANH_TEST_POSTGRES"
        )),
        Err(e) => panic!(
            "PostgreSQL is required (DIEUHANH_REQUIRE_POSTGRES=1) but {admin} does not answer: {e}"
        ),
    }
}

/// One of PostgreSQL's server programs (`initdb`, `pg_ctl`; Debian keeps them under
/// /usr/lib/postgresql/<version>/bin), for the tests that start a PostgreSQL of their own.
/// Without them the test is skipped, or fails under `DIEUHANH_REQUIRE_POSTGRES=1` (CI).
pub fn pg_program(program: &str) -> Result<std::path::PathBuf, crate::harness::Skip> {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(program))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    match found.pop() {
        Some(path) => Ok(path),
        None if postgres_required() => panic!(
            "PostgreSQL is required (DIEUHANH_REQUIRE_POSTGRES=1) but its {program} is not under /usr/lib/postgresql"
        ),
        None => Err(crate::harness::Skip(format!(
            "no PostgreSQL server programs ({program}) under /usr/lib/postgresql"
        ))),
    }
}

/// A database of the test's own on the test PostgreSQL, dropped when this value is dropped.
pub struct TestPg {
    pub name: String,
    pub url: String,
}

impl TestPg {
    /// For tests registered as `postgres` (the harness has checked that the server answers).
    pub async fn create(test: &str) -> TestPg {
        let admin = postgres_admin_url();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("the test PostgreSQL at {admin}: {e}"));
        let name = format!(
            "dieuhanh_test_{}_{}",
            test,
            std::process::id() as u64 * 1000 + rand_suffix()
        );
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let mut url = url::Url::parse(&admin).expect("admin url");
        url.set_path(&name);
        TestPg {
            name,
            url: url.to_string(),
        }
    }

    pub fn database_url(&self) -> DatabaseUrl {
        DatabaseUrl::Postgres(sqlx::postgres::PgConnectOptions::from_str(&self.url).unwrap())
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

impl Drop for TestPg {
    fn drop(&mut self) {
        let admin = postgres_admin_url();
        let name = self.name.clone();
        // Drop from a thread of its own: Drop may run inside a runtime that is shutting down.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&mut c)
                            .await;
                }
            });
        })
        .join();
    }
}

/// The server binary's command line as an operator runs it, on `database_url`, without the
/// demo and with only warnings logged.
pub fn cli(database_url: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dieuhanh"));
    c.env("DATABASE_URL", database_url)
        .env("DIEUHANH_DEMO", "0")
        .env("RUST_LOG", "warn");
    c
}

/// `catalogue import` of `file` (written to a temporary file) against `database_url`.
pub fn catalogue_import(database_url: &str, file: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalogue.csv");
    std::fs::write(&path, file).unwrap();
    cli(database_url)
        .args(["catalogue", "import"])
        .arg(&path)
        .output()
        .unwrap()
}

/// What `catalogue export` prints (`what`: nothing for the indicators, `regimes`), which must
/// succeed.
pub fn catalogue_export(database_url: &str, what: &[&str]) -> String {
    let out = cli(database_url)
        .args(["catalogue", "export"])
        .args(what)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// `catalogue import` of `bad` against `database_url` is refused with each of `expected` (a
/// problem as printed, by line and column), and `catalogue export <what>` is as `before`;
/// then `before`, imported again, changes nothing: the file goes round unchanged.
pub fn refused_whole_and_round_trip(database_url: &str, what: &str, bad: &str, expected: &[&str]) {
    let before = catalogue_export(database_url, &[what]);
    let out = catalogue_import(database_url, bad);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for e in expected {
        assert!(said.contains(e), "{e} in:\n{said}");
    }
    assert_eq!(
        catalogue_export(database_url, &[what]),
        before,
        "nothing changed"
    );
    let out = catalogue_import(database_url, &before);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("0 mới, 0 thay đổi"), "{said}");
}

/// Runs a command of [`cli`] that must succeed and answers the last line it printed (where
/// every command prints its result); fails the test with what it said otherwise.
pub fn last_line(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

/// The server binary on a new SQLite file in `dir` (no demo), on a free port; answers the
/// process and its address, which it prints on stdout once it listens.
pub fn spawn_binary(dir: &std::path::Path) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dieuhanh"))
        .arg("serve")
        .current_dir(dir)
        .env("DIEUHANH_LISTEN", "127.0.0.1:0")
        .env("DATABASE_URL", "sqlite://data/dieuhanh.db")
        .env("DIEUHANH_DEMO", "0")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("dieuhanh: ")
        .expect("address line")
        .to_string();
    (child, address)
}

pub async fn open(url: &DatabaseUrl) -> SharedStore {
    server::store::open(url).await.expect("open store")
}
