//! `dieuhanh backup` of a running server while values keep arriving, then `dieuhanh restore`
//! into an empty database, on SQLite and on PostgreSQL: every value the backup holds, and only
//! those, comes back, with the attachments; restoring over a database is refused.

use crate::common;
use crate::common::TestPg;
use crate::common::running::{Running, start_with};
use app::model::UnitKind;
use app::model::indicator::Periodicity;
use app::store::ObservationQuery;
use reqwest::header::{AUTHORIZATION, COOKIE};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

fn cli(args: &[&str], database_url: &str, attachments: &Path) -> (bool, String) {
    let out = common::cli(database_url)
        .args(args)
        .env("DIEUHANH_ATTACHMENTS_DIR", attachments)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn everything(app: &Running) -> Vec<app::model::Observation> {
    app.store
        .observations(&ObservationQuery::default())
        .await
        .unwrap()
}

/// `source` is the running server's DATABASE_URL; `target` an empty one to restore into.
async fn backup_while_writing_then_restore(source: &str, target: &str) {
    let folder = tempfile::tempdir().unwrap();
    let files = folder.path().join("attachments");
    let restored_files = folder.path().join("restored-attachments");
    let app = start_with(Some(source), |s| s.attachments_dir = files.clone()).await;

    let office = app.cookie_for("vanphong").await;
    let pdf = b"%PDF-1.7 bien ban phien hop".to_vec();
    let uploaded: Value = app
        .http
        .post(format!("{}/api/v1/attachments", app.base))
        .query(&[("name", "Biên bản.pdf")])
        .header("origin", &app.base)
        .header(COOKIE, &office)
        .body(pdf.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let attachment = uploaded["id"].as_i64().expect("uploaded");

    // A reporting system keeps writing new values, one month each, during the backup.
    let token = app.api_token(&["01"]).await;
    let stop = Arc::new(AtomicBool::new(false));
    let catalogue = server::catalogue::Catalogue::load();
    let keys: Vec<(String, u32)> = catalogue
        .indicators
        .iter()
        // A derived indicator is computed, never sent.
        .filter(|i| {
            i.periodicity == Periodicity::Monthly
                && i.is_reported_by(UnitKind::Province)
                && !i.is_derived()
        })
        .flat_map(|i| (0..1400).map(move |m| (i.code.clone(), m)))
        .collect();
    let writer = {
        let (http, base, stop) = (app.http.clone(), app.base.clone(), stop.clone());
        tokio::spawn(async move {
            // New keys only (months of 1901–2017, before the demo's history), so that no value is revised meanwhile.
            let mut batches = 0;
            for chunk in keys.chunks(50) {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let rows: Vec<Value> = chunk
                    .iter()
                    .map(|(i, m)| {
                        json!({"indicator": i, "unit": "01",
                               "period": format!("{}-{:02}", 1901 + m / 12, m % 12 + 1), "value": *m as f64})
                    })
                    .collect();
                let res = http
                    .post(format!("{base}/api/v1/observations"))
                    .header(AUTHORIZATION, format!("Bearer {token}"))
                    .json(&json!({ "observations": rows }))
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                assert_eq!(status, 200, "{}", res.text().await.unwrap_or_default());
                batches += 1;
            }
            batches
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = everything(&app).await;

    let to = folder.path().join("backup");
    let to_text = to.display().to_string();
    let args = ["backup", "--to", to_text.as_str()];
    let (ok, said) = tokio::task::spawn_blocking({
        let (source, files, to_text) = (source.to_string(), files.clone(), to_text.clone());
        move || cli(&["backup", "--to", to_text.as_str()], &source, &files)
    })
    .await
    .unwrap();
    assert!(ok, "{said}");
    assert!(said.contains("1 attachments"), "{said}");
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    let after = everything(&app).await;
    assert!(
        after.len() > before.len(),
        "writes went on during the backup ({written} batches)"
    );
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(to.join("backup.json")).unwrap()).unwrap();
    let seq = manifest["seq"].as_i64().unwrap();

    // The same folder again is refused: a backup never overwrites another.
    let (ok, said) = cli(&args, source, &files);
    assert!(!ok && said.contains("không trống"), "{said}");

    let (ok, said) = cli(&["restore", "--from", &to_text], target, &restored_files);
    assert!(ok, "{said}");
    let restored = start_with(Some(target), |s| s.attachments_dir = restored_files.clone()).await;
    let expected: Vec<_> = after.iter().filter(|o| o.seq <= seq).cloned().collect();
    assert!(
        before.iter().all(|o| expected.contains(o)),
        "everything stored before the backup began is in it"
    );
    assert_eq!(
        everything(&restored).await,
        expected,
        "exactly the values of the snapshot, each with its revision, source and seq"
    );
    assert_eq!(restored.store.current_seq().await.unwrap(), seq);
    let bytes = restored
        .http
        .get(format!("{}/attachments/{attachment}", restored.base))
        .header(COOKIE, restored.cookie_for("lanhdao").await)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), pdf.as_slice(), "the attachment came back");

    // Restoring over a database that has data is refused and changes nothing.
    let (ok, said) = cli(&["restore", "--from", &to_text], source, &files);
    assert!(!ok && said.contains("đã có cơ sở dữ liệu"), "{said}");
    assert_eq!(everything(&app).await.len(), after.len());
    let (ok, said) = cli(
        &["restore", "--from", &folder.path().display().to_string()],
        target,
        &restored_files,
    );
    assert!(!ok && said.contains("không phải là bản sao lưu"), "{said}");
}

async fn a_sqlite_backup_taken_while_writing_restores_every_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| -> PathBuf { dir.path().join(name) };
    backup_while_writing_then_restore(
        &format!("sqlite://{}", path("live.db").display()),
        &format!("sqlite://{}", path("restored/again.db").display()),
    )
    .await;
}

async fn a_postgres_backup_taken_while_writing_restores_every_value() {
    let source = TestPg::create("backup_src").await;
    let target = TestPg::create("backup_dst").await;
    backup_while_writing_then_restore(&source.url, &target.url).await;
}

crate::harness::tests![
    tokio a_sqlite_backup_taken_while_writing_restores_every_value,
    postgres a_postgres_backup_taken_while_writing_restores_every_value,
];
