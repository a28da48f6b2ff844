//! A full disk, simulated with a file-size limit on the server process (RLIMIT_FSIZE, set as
//! it starts): writes fail with a clear error and store nothing, reads keep working, the
//! server stays up; started again with room, it takes writes and the database is whole. And a
//! database file made read-only is still served for reading, every write refused clearly.

use crate::common;
use app::model::UnitKind;
use app::model::indicator::Periodicity;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Keys no batch shares: a monthly provincial indicator of a province.
fn pairs() -> Vec<(String, String)> {
    let c = server::catalogue::Catalogue::load();
    let indicators: Vec<&String> = c
        .indicators
        .iter()
        // A derived indicator is computed, never sent.
        .filter(|i| {
            i.periodicity == Periodicity::Monthly
                && i.is_reported_by(UnitKind::Province)
                && !i.is_derived()
        })
        .map(|i| &i.code)
        .collect();
    c.units_of(UnitKind::Province)
        .flat_map(|u| {
            indicators
                .iter()
                .map(move |i| (u.code.clone(), i.to_string()))
        })
        .collect()
}

/// 1,000 new monthly values (1901 onwards) of one indicator of one province; each value names
/// its batch.
fn batch(pairs: &[(String, String)], id: usize) -> Value {
    let (unit, indicator) = &pairs[id];
    let rows: Vec<_> = (0..1000)
        .map(|m| {
            json!({"indicator": indicator, "unit": unit,
                   "period": format!("{}-{:02}", 1901 + m / 12, m % 12 + 1),
                   "value": (id * 10_000 + m) as f64})
        })
        .collect();
    json!({ "observations": rows })
}

/// Starts the binary on `url`, with a file-size limit when given; answers it and its address.
async fn serve(url: &str, file_size_limit: Option<u64>) -> (Child, String) {
    use std::os::unix::process::CommandExt;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = common::cli(url);
    cmd.arg("serve")
        .env("DIEUHANH_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(bytes) = file_size_limit {
        // SAFETY: only setrlimit, async-signal-safe, between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let l = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: libc::RLIM_INFINITY,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &l) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    }
    let mut child = cmd.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if reqwest::get(format!("{base}/readyz"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not become ready");
}

async fn a_full_disk_refuses_writes_clearly_keeps_reads_and_corrupts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("full.db");
    let url = format!("sqlite://{}", db.display());
    let pairs = pairs();
    let provinces: Vec<String> = server::catalogue::Catalogue::load()
        .units_of(UnitKind::Province)
        .flat_map(|u| ["--unit".to_string(), u.code.clone()])
        .collect();
    let token = common::last_line(
        common::cli(&url)
            .args(["token", "create", "--name", "Hệ thống báo cáo"])
            .args(&provinces),
    );

    // No file of the server may grow more than 2 MB past its present size: the disk fills up
    // after a few batches.
    let limit = size(&db) + 2 * 1024 * 1024;
    let (mut child, base) = serve(&url, Some(limit)).await;
    let http = reqwest::Client::new();
    let post = |base: String, id: usize| {
        let req = http
            .post(format!("{base}/api/v1/observations"))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .json(&batch(&pairs, id));
        async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let mut answered = Vec::new();
    let mut refused = None;
    for id in 0..60 {
        match post(base.clone(), id).await {
            (200, _) => answered.push(id),
            other => {
                refused = Some(other);
                break;
            }
        }
    }
    assert!(answered.len() >= 2, "some batches fit: {}", answered.len());
    let (status, body) = refused.expect("a write past the limit is refused");
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("từ chối ghi") && body.contains("refused the write"),
        "{body}"
    );
    // Reads go on.
    let r = http
        .get(format!(
            "{base}/api/v1/observations?indicator=BUDGET_REVENUE&unit=01"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = http.get(format!("{base}/units/01")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        http.get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server is still running"
    );

    // Room again: started anew, it takes writes.
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, base) = serve(&url, None).await;
    let (status, body) = post(base.clone(), 100).await;
    assert_eq!(status, 200, "{body}");
    answered.push(100);
    child.kill().unwrap();
    child.wait().unwrap();

    // Whole, and holding every answered batch and nothing of the refused ones.
    let pool = sqlx::SqlitePool::connect(&format!("{url}?mode=ro"))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    // The values sent: not what the store computed from them (the nation's sum, a formula).
    let values: Vec<f64> = sqlx::query_scalar(
        "SELECT o.value FROM observations o JOIN indicators i ON i.code = o.indicator
         WHERE o.unit <> 'VN' AND i.formula IS NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut per_batch: HashMap<usize, usize> = HashMap::new();
    for v in values {
        *per_batch.entry(v as usize / 10_000).or_default() += 1;
    }
    let mut stored: Vec<usize> = per_batch.keys().copied().collect();
    stored.sort();
    assert_eq!(stored, answered, "exactly the batches answered 200");
    assert!(per_batch.values().all(|n| *n == 1000), "each whole");
}

/// Takes the immutable flag off again however the test ends, so the folder can be removed.
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn set(path: &std::path::Path) -> Immutable {
        let ok = Command::new("chattr").arg("+i").arg(path).status().unwrap();
        assert!(
            ok.success(),
            "chattr +i (root on ext4) makes the file read-only even for root"
        );
        Immutable(path.to_path_buf())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

async fn a_read_only_database_file_is_served_for_reading_and_refuses_writes_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ro.db");
    let url = format!("sqlite://{}", db.display());
    let token = common::last_line(common::cli(&url).args([
        "token",
        "create",
        "--unit",
        "01",
        "--name",
        "Hà Nội",
    ]));
    let http = reqwest::Client::new();
    let write = |base: &str, value: f64| {
        http.post(format!("{base}/api/v1/observations"))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .json(&json!({"observations": [{"indicator": "BUDGET_REVENUE", "unit": "01", "period": "2026-01", "value": value}]}))
            .send()
    };
    let (mut child, base) = serve(&url, None).await;
    assert_eq!(write(&base, 4321.5).await.unwrap().status(), 200);
    // Stopped cleanly (SIGTERM), so everything is in the database file itself.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    child.wait().unwrap();

    let _guard = Immutable::set(&db);
    let (mut child, base) = serve(&url, None).await;
    let read: Value = http
        .get(format!(
            "{base}/api/v1/observations?indicator=BUDGET_REVENUE&unit=01"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["observations"][0]["value"], 4321.5, "{read}");
    assert_eq!(
        http.get(format!("{base}/units/01"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let refused = write(&base, 1.0).await.unwrap();
    assert_eq!(refused.status(), 503);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("từ chối ghi") && body.contains("readonly"),
        "{body}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

crate::harness::tests![
    tokio a_full_disk_refuses_writes_clearly_keeps_reads_and_corrupts_nothing,
    tokio a_read_only_database_file_is_served_for_reading_and_refuses_writes_clearly,
];
