//! PostgreSQL over TLS, against a PostgreSQL of the test's own: started with `ssl=on`, a
//! certificate authority and a server certificate the test makes with `openssl`, and a
//! `pg_hba.conf` that refuses every connection without TLS (so a connection that works went
//! over TLS). `sslmode=require` connects, the live listener included; `verify-full` with the
//! right `sslrootcert` connects and with another CA is refused with a clear message; a
//! `sslrootcert` that does not exist is named before anything is opened.

use crate::common;
use crate::harness::Skip;

use server::config::Settings;
use server::startup::Application;
use sqlx::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn is_root() -> bool {
    static ROOT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ROOT.get_or_init(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    })
}

/// PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

struct OwnPg {
    dir: tempfile::TempDir,
    port: u16,
    pg_ctl: PathBuf,
}

impl OwnPg {
    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    fn other_ca(&self) -> PathBuf {
        self.dir.path().join("other-ca.crt")
    }

    fn url(&self, host: &str, database: &str, query: &str) -> String {
        format!(
            "postgres://postgres@{host}:{}/{database}?{query}",
            self.port
        )
    }

    /// Skipped when this machine has no PostgreSQL server programs and PostgreSQL is not
    /// required (CI requires it).
    fn start() -> Result<OwnPg, Skip> {
        let initdb = common::pg_program("initdb")?;
        let pg_ctl = common::pg_program("pg_ctl")?;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        common::certificates(d);
        let data = d.join("data");
        if is_root() {
            run(Command::new("chmod").arg("755").arg(d));
            run(Command::new("chown")
                .arg("postgres")
                .arg(d.join("server.key")));
            std::fs::create_dir(&data).unwrap();
            run(Command::new("chown").arg("postgres").arg(&data));
        }
        run(Command::new("chmod").arg("600").arg(d.join("server.key")));
        run(as_server_user(&initdb)
            .args([
                "--auth=trust",
                "--username=postgres",
                "--no-locale",
                "--encoding=UTF8",
                "-D",
            ])
            .arg(&data));
        // TLS or nothing, over TCP.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\n\
             hostssl all all 127.0.0.1/32 trust\n\
             hostnossl all all 127.0.0.1/32 reject\n",
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // The socket and the log in the data folder: the one folder the server's user owns.
        let options = format!(
            "-p {port} -k {data} -c listen_addresses=127.0.0.1 -c ssl=on \
             -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key -c fsync=off",
            dir = d.display(),
            data = data.display()
        );
        run(as_server_user(&pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(data.join("server.log"))
            .args(["-w", "-o", &options, "start"]));
        Ok(OwnPg { dir, port, pg_ctl })
    }
}

impl Drop for OwnPg {
    fn drop(&mut self) {
        let _ = as_server_user(&self.pg_ctl)
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

fn settings(database_url: &str) -> Result<Settings, String> {
    let vars: HashMap<&str, String> = HashMap::from([
        ("DIEUHANH_LISTEN", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", database_url.to_string()),
        ("DIEUHANH_DEMO", "0".into()),
    ]);
    Settings::from_lookup(|k| vars.get(k).cloned()).map_err(|e| e.to_string())
}

async fn build(database_url: &str) -> Result<Application, String> {
    Application::build(settings(database_url)?)
        .await
        .map_err(|e| e.to_string())
}

async fn postgres_over_tls_require_verify_full_and_the_listener() -> Result<(), Skip> {
    let pg = OwnPg::start()?;
    let ca = pg.ca().display().to_string();
    let other = pg.other_ca().display().to_string();

    // Without TLS this server lets nobody in (so what works below went over TLS).
    let refused = build(&pg.url("127.0.0.1", "postgres", "sslmode=disable")).await;
    let Err(message) = refused else {
        panic!("a connection without TLS was let in")
    };
    assert!(message.contains("không mở được cơ sở dữ liệu"), "{message}");

    let mut admin =
        sqlx::PgConnection::connect(&pg.url("127.0.0.1", "postgres", "sslmode=require"))
            .await
            .expect("sslmode=require connects");
    sqlx::query("CREATE DATABASE dieuhanh")
        .execute(&mut admin)
        .await
        .unwrap();

    // sslmode=require: the server starts, migrates, answers; its listener is on TLS too.
    let app = build(&pg.url("127.0.0.1", "dieuhanh", "sslmode=require"))
        .await
        .expect("sslmode=require");
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until(std::future::pending()));
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let listener_ssl: bool = loop {
        let row: Option<bool> = sqlx::query_scalar(
            "SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
             WHERE a.application_name = 'dieuhanh-listener' AND a.datname = 'dieuhanh'",
        )
        .fetch_optional(&mut admin)
        .await
        .unwrap();
        if let Some(ssl) = row {
            break ssl;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the live listener did not connect within 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(listener_ssl, "the listener's connection is not TLS");
    let plain: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
         WHERE a.datname = 'dieuhanh' AND NOT s.ssl",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert_eq!(plain, 0);

    // verify-full: the server's name and its certificate's chain to the CA given are checked.
    let app = build(&pg.url(
        "localhost",
        "dieuhanh",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ))
    .await
    .expect("verify-full with the CA that signed the server's certificate");
    drop(app);
    let wrong = build(&pg.url(
        "localhost",
        "dieuhanh",
        &format!("sslmode=verify-full&sslrootcert={other}"),
    ))
    .await;
    let Err(message) = wrong else {
        panic!("verify-full accepted a certificate its CA did not sign")
    };
    assert!(
        message.contains("chứng chỉ") && message.contains("sslrootcert"),
        "the refusal says what is wrong: {message}"
    );

    // A sslrootcert that does not exist: named before anything is opened.
    let missing = pg.dir.path().join("no-such-ca.crt").display().to_string();
    let err = settings(&pg.url(
        "localhost",
        "dieuhanh",
        &format!("sslmode=verify-full&sslrootcert={missing}"),
    ))
    .expect_err("a missing sslrootcert is refused");
    assert!(
        err.contains("sslrootcert") && err.contains(&missing),
        "{err}"
    );
    Ok(())
}

crate::harness::tests![
    tokio postgres_over_tls_require_verify_full_and_the_listener,
];
