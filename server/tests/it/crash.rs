//! The server process killed with SIGKILL in the middle of ingest batches, on SQLite and on
//! PostgreSQL: every batch that was answered 200 is wholly there afterwards, and no batch is
//! there in part.

use crate::common;

use crate::common::TestPg;
use app::model::UnitKind;
use app::model::indicator::Periodicity;
use app::store::ObservationQuery;
use reqwest::header::AUTHORIZATION;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MONTHS_PER_BATCH: u32 = 240;

struct Server {
    child: Child,
    base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn command(database_url: &str, dir: &std::path::Path) -> Command {
    let mut c = common::cli(database_url);
    c.env("DIEUHANH_ATTACHMENTS_DIR", dir.join("attachments"));
    c
}

async fn serve(database_url: &str, dir: &std::path::Path) -> Server {
    let port = free_port();
    let mut child = command(database_url, dir)
        .arg("serve")
        .env("DIEUHANH_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if reqwest::get(format!("{base}/readyz"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return Server { child, base };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not become ready");
}

/// One batch: one monthly provincial indicator of Hà Nội over 20 years (of 1901–2020); its
/// values name it.
fn batch(indicator: &str, block: u32, id: usize) -> serde_json::Value {
    let rows: Vec<_> = (0..MONTHS_PER_BATCH)
        .map(|i| {
            let m = block * MONTHS_PER_BATCH + i;
            json!({"indicator": indicator, "unit": "01",
                   "period": format!("{}-{:02}", 1901 + m / 12, m % 12 + 1),
                   "value": (id * 10_000 + i as usize) as f64})
        })
        .collect();
    json!({ "observations": rows })
}

async fn killed_mid_ingest_keeps_every_answered_batch_whole(database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let token = common::last_line(command(database_url, dir.path()).args([
        "token",
        "create",
        "--unit",
        "01",
        "--name",
        "Hà Nội",
    ]));

    let catalogue = server::catalogue::Catalogue::load();
    let indicators: Vec<String> = catalogue
        .indicators
        .iter()
        // A derived indicator is computed, never sent.
        .filter(|i| {
            i.periodicity == Periodicity::Monthly
                && i.is_reported_by(UnitKind::Province)
                && !i.is_derived()
        })
        .map(|i| i.code.clone())
        .collect();
    let batches: Vec<(String, u32)> = indicators
        .iter()
        .flat_map(|i| (0..6).map(move |b| (i.clone(), b)))
        .collect();

    let mut server = serve(database_url, dir.path()).await;
    let answered = Arc::new(Mutex::new(HashSet::new()));
    let next = Arc::new(Mutex::new(0usize));
    let http = reqwest::Client::new();
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (http, base, token) = (http.clone(), server.base.clone(), token.clone());
        let (answered, next, batches) = (answered.clone(), next.clone(), batches.clone());
        writers.push(tokio::spawn(async move {
            loop {
                let id = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some((indicator, block)) = batches.get(id) else {
                    return;
                };
                let res = http
                    .post(format!("{base}/api/v1/observations"))
                    .header(AUTHORIZATION, format!("Bearer {token}"))
                    .json(&batch(indicator, *block, id))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 200 => {
                        answered.lock().unwrap().insert(id);
                    }
                    Ok(r) => panic!("batch {id}: {} {}", r.status(), r.text().await.unwrap()),
                    // The server is gone: this batch's fate is what the database says.
                    Err(_) => return,
                }
            }
        }));
    }
    // Kill it once a few batches are in, with more in flight.
    for _ in 0..600 {
        if answered.lock().unwrap().len() >= 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    let sent = (*next.lock().unwrap()).min(batches.len());
    assert!(
        answered.len() >= 6 && answered.len() < batches.len(),
        "killed mid-run: {} answered",
        answered.len()
    );

    // Start again on the same database: it opens and takes writes again.
    let mut again = serve(database_url, dir.path()).await;
    let res = http
        .post(format!("{}/api/v1/observations", again.base))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({"observations": [{"indicator": &indicators[0], "unit": "01", "period": "1900-01", "value": -1.0}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    again.child.kill().unwrap();
    again.child.wait().unwrap();

    // It holds whole batches only, and every batch that was answered.
    let store = common::open(&server::config::DatabaseUrl::parse(database_url).unwrap()).await;
    let stored = store
        .observations(&ObservationQuery {
            unit: Some("01".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    store.close().await;
    let mut per_batch: HashMap<usize, u32> = HashMap::new();
    let mut after_restart = 0;
    for o in &stored {
        if o.value < 0.0 {
            after_restart += 1;
            continue;
        }
        let id = (o.value as usize) / 10_000;
        assert_eq!(
            &batches[id].0, &o.indicator,
            "a value where its batch put it"
        );
        *per_batch.entry(id).or_default() += 1;
    }
    assert_eq!(after_restart, 1);
    for id in &answered {
        assert_eq!(
            per_batch.get(id),
            Some(&MONTHS_PER_BATCH),
            "batch {id} was answered 200: all of it is stored"
        );
    }
    for (id, n) in &per_batch {
        assert_eq!(
            *n, MONTHS_PER_BATCH,
            "batch {id} is whole or absent, never half"
        );
        assert!(*id < sent);
    }
}

async fn sqlite_killed_mid_ingest_keeps_every_answered_batch_whole() {
    let dir = tempfile::tempdir().unwrap();
    killed_mid_ingest_keeps_every_answered_batch_whole(&format!(
        "sqlite://{}",
        dir.path().join("crash.db").display()
    ))
    .await;
}

async fn postgres_killed_mid_ingest_keeps_every_answered_batch_whole() {
    let db = TestPg::create("crash").await;
    killed_mid_ingest_keeps_every_answered_batch_whole(&db.url).await;
}

crate::harness::tests![
    tokio sqlite_killed_mid_ingest_keeps_every_answered_batch_whole,
    postgres postgres_killed_mid_ingest_keeps_every_answered_batch_whole,
];
