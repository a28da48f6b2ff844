//! A PostgreSQL of the test's own (initdb and pg_ctl from Debian's packages, in a temporary
//! folder, on a free port; never the machine's shared server) is stopped and started again
//! while values keep arriving: `/readyz` goes false then true, writes are refused clearly while
//! it is down, none answered 200 is lost, and a WebSocket client ends up with every update.

use crate::common;

use crate::common::live::Live;
use crate::common::running::start_with;
use crate::harness::Skip;
use app::store::ObservationQuery;
use futures_util::StreamExt;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

fn pg_bin(name: &str) -> PathBuf {
    common::pg_program(name).unwrap_or_else(|Skip(why)| panic!("{why}"))
}

/// Runs a PostgreSQL tool as the `postgres` account (the server refuses to run as root).
fn as_postgres(tool: &str, args: &[&str]) {
    let out = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(pg_bin(tool))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The test's own cluster; stopped (immediately) however the test ends.
struct OwnPostgres {
    data: String,
    port: u16,
    _dir: tempfile::TempDir,
}

impl OwnPostgres {
    fn create() -> Result<OwnPostgres, Skip> {
        common::pg_program("initdb")?;
        common::pg_program("pg_ctl")?;
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("pg");
        std::fs::create_dir(&run).unwrap();
        let chown = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&run)
            .status()
            .unwrap();
        assert!(chown.success());
        // The postgres account must reach the folder.
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let data = run.join("data").display().to_string();
        as_postgres(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = OwnPostgres {
            data,
            port,
            _dir: dir,
        };
        pg.start();
        Ok(pg)
    }

    fn start(&self) {
        let socket_dir = Path::new(&self.data)
            .parent()
            .unwrap()
            .display()
            .to_string();
        let options = format!(
            "-p {} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port
        );
        let log = format!("{}/../log", self.data);
        as_postgres(
            "pg_ctl",
            &["-D", &self.data, "-o", &options, "-l", &log, "-w", "start"],
        );
    }

    fn stop(&self) {
        as_postgres("pg_ctl", &["-D", &self.data, "-m", "fast", "-w", "stop"]);
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(pg_bin("pg_ctl"))
            .args(["-D", &self.data, "-m", "immediate", "stop"])
            .output();
    }
}

async fn ready(http: &reqwest::Client, base: &str) -> bool {
    http.get(format!("{base}/readyz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
}

async fn postgres_restarted_under_load_loses_nothing_and_clients_catch_up() -> Result<(), Skip> {
    let pg = OwnPostgres::create()?;
    let admin = sqlx::PgPool::connect(&pg.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE dieuhanh")
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let app = start_with(Some(&pg.url("dieuhanh")), |s| s.demo = false).await;
    let token = app.api_token(&["01"]).await;

    // A listening client.
    let mut live = Live::with_token(&app, &token).await;
    live.subscribe(&["unit:01"]).await;
    let mut ws = live.ws;
    let listener = tokio::spawn(async move {
        let mut values = Vec::new();
        let mut last_seq = None;
        while let Ok(Some(Ok(msg))) = tokio::time::timeout(Duration::from_secs(20), ws.next()).await
        {
            let Message::Text(t) = msg else { continue };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            match v["type"].as_str() {
                Some("update") => {
                    let seq = v["seq"].as_i64().unwrap();
                    if let Some(last) = last_seq {
                        assert_eq!(seq, last + 1, "no update skipped or repeated");
                    }
                    last_seq = Some(seq);
                    values.push(v["data"]["value"].as_f64().unwrap());
                }
                Some("snapshot") => last_seq = v["seq"].as_i64(),
                _ => {}
            }
            if values.last() == Some(&999_999.0) {
                break;
            }
        }
        values
    });

    // One value every 50 ms, each a new month, until told to stop.
    let writer = {
        let (http, base, token) = (app.http.clone(), app.base.clone(), token.clone());
        tokio::spawn(async move {
            let (mut answered, mut refused) = (Vec::new(), Vec::new());
            for m in 0..100_000u32 {
                let value = m as f64;
                let res = http
                    .post(format!("{base}/api/v1/observations"))
                    .header(AUTHORIZATION, format!("Bearer {token}"))
                    .json(&json!({"observations": [{"indicator": "BUDGET_REVENUE", "unit": "01",
                        "period": format!("{}-{:02}", 1901 + m / 12, m % 12 + 1), "value": value}]}))
                    .timeout(Duration::from_secs(15))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 200 => answered.push(value),
                    Ok(r) => {
                        refused.push((r.status().as_u16(), r.text().await.unwrap_or_default()))
                    }
                    Err(e) => refused.push((0, e.to_string())),
                }
                if answered.len() >= 40 && !refused.is_empty() {
                    return (answered, refused);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            unreachable!()
        })
    };

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(ready(&app.http, &app.base).await);
    pg.stop();
    let down = Instant::now();
    let mut saw_unready = false;
    while down.elapsed() < Duration::from_secs(10) {
        if !ready(&app.http, &app.base).await {
            saw_unready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(saw_unready, "/readyz says the database is gone");
    tokio::time::sleep(Duration::from_secs(2)).await;
    pg.start();
    let up = Instant::now();
    while !ready(&app.http, &app.base).await {
        assert!(
            up.elapsed() < Duration::from_secs(30),
            "ready again within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (answered, refused) = writer.await.unwrap();
    for (status, body) in &refused {
        assert_eq!(*status, 503, "refused as unavailable: {body}");
        assert!(body.contains("cơ sở dữ liệu"), "in words: {body}");
    }
    // The last word, written after the restart: the client has everything up to it.
    let last = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({"observations": [{"indicator": "BUDGET_REVENUE", "unit": "01", "period": "1900-01", "value": 999_999.0}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(last.status(), 200);

    let heard = listener.await.unwrap();
    assert_eq!(
        heard.last(),
        Some(&999_999.0),
        "the client heard the write after the restart"
    );
    for v in &answered {
        assert!(heard.contains(v), "the client heard {v}");
    }
    let stored: Vec<f64> = app
        .store
        .observations(&ObservationQuery {
            indicator: Some("BUDGET_REVENUE".into()),
            unit: Some("01".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.value)
        .collect();
    for v in &answered {
        assert!(stored.contains(v), "{v} was answered 200 and is stored");
    }
    Ok(())
}

crate::harness::tests![
    threads(2) postgres_restarted_under_load_loses_nothing_and_clients_catch_up,
];
