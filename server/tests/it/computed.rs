//! Figures computed, never typed twice: a province's changed exports move the national sum and
//! both trade balances in the same transaction, published together (on SQLite and PostgreSQL);
//! nobody may send a computed figure; a national figure its owner reports stays the owner's,
//! and the indicator page shows it beside the provinces' sum with the difference.

use crate::common::TestPg;
use crate::common::running::{Running, start, start_with};
use app::model::Period;
use app::store::ObservationQuery;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn october() -> Period {
    "2026-10".parse().unwrap()
}

/// Every value of `indicator` for October, by unit.
async fn october_values(app: &Running, indicator: &str) -> Vec<(String, f64)> {
    app.store
        .observations(&ObservationQuery {
            indicator: Some(indicator.into()),
            from: Some(october()),
            to: Some(october()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.unit, o.value))
        .collect()
}

fn of(values: &[(String, f64)], unit: &str) -> f64 {
    values
        .iter()
        .find(|(u, _)| u == unit)
        .unwrap_or_else(|| panic!("no value for {unit}"))
        .1
}

/// The provinces' sum, rounded to one decimal as the indicator keeps it.
fn provinces_sum(values: &[(String, f64)]) -> f64 {
    let sum: f64 = values
        .iter()
        .filter(|(u, _)| u.len() == 2 && u.bytes().all(|b| b.is_ascii_digit()))
        .map(|(_, v)| v)
        .sum();
    (sum * 10.0).round() / 10.0
}

async fn send(app: &Running, token: &str, rows: Value) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(reqwest::header::AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({ "observations": rows }))
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn a_changed_province_moves_the_national_sum_and_the_balances_at_once(app: Running) {
    let exports = october_values(&app, "EXPORT_VALUE").await;
    let imports = october_values(&app, "IMPORT_VALUE").await;
    // The demo's nation is computed by the store from its provinces.
    assert_eq!(of(&exports, "VN"), provinces_sum(&exports));
    let hanoi = of(&exports, "01");
    let seq_before = app.store.current_seq().await.unwrap();

    let token = app.api_token(&["01"]).await;
    let changed = ((hanoi + 477.5) * 10.0).round() / 10.0;
    let (status, body) = send(
        &app,
        &token,
        json!([{"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-10", "value": changed}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 1, "{body}");
    // The nation's exports, Hà Nội's balance and the nation's balance.
    assert_eq!(body["computed"], 3, "{body}");

    let after = october_values(&app, "EXPORT_VALUE").await;
    assert_eq!(of(&after, "01"), changed);
    assert_eq!(of(&after, "VN"), provinces_sum(&after));
    assert!(
        (of(&after, "VN") - of(&exports, "VN") - 477.5).abs() < 0.051,
        "the nation moved by Hà Nội's change"
    );
    let balances = october_values(&app, "TRADE_BALANCE").await;
    let balance = |u: &str| ((of(&after, u) - of(&imports, u)) * 10.0).round() / 10.0;
    assert_eq!(of(&balances, "01"), balance("01"));
    assert_eq!(of(&balances, "VN"), balance("VN"));

    // One transaction: the four values took consecutive seqs, the computed ones after Hà Nội's.
    let changes = app.store.changes_since(seq_before, 100).await.unwrap();
    let seqs: Vec<i64> = changes.iter().map(|c| c.seq()).collect();
    assert_eq!(
        seqs,
        (seq_before + 1..=seq_before + 4).collect::<Vec<_>>(),
        "{changes:?}"
    );
    let revisions = app
        .store
        .revisions("EXPORT_VALUE", "VN", &october())
        .await
        .unwrap();
    let last = revisions.last().unwrap();
    assert!(
        last.note.as_deref().unwrap_or("").contains("Tính tự động"),
        "{last:?}"
    );

    // A computed figure is never sent: the nation's sum, or a formula anywhere.
    let national = app.api_token(&["VN"]).await;
    let (status, body) = send(
        &app,
        &national,
        json!([{"indicator": "EXPORT_VALUE", "unit": "VN", "period": "2026-10", "value": 1.0}]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("tính tự động"), "{body}");
    let (status, body) = send(
        &app,
        &token,
        json!([{"indicator": "TRADE_BALANCE", "unit": "01", "period": "2026-10", "value": 1.0}]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("công thức"), "{body}");
    assert_eq!(
        of(&october_values(&app, "EXPORT_VALUE").await, "VN"),
        of(&after, "VN"),
        "nothing changed"
    );
}

async fn on_sqlite() {
    a_changed_province_moves_the_national_sum_and_the_balances_at_once(start().await).await;
}

async fn on_postgres() {
    let db = TestPg::create("computed").await;
    a_changed_province_moves_the_national_sum_and_the_balances_at_once(
        start_with(Some(&db.url), |_| {}).await,
    )
    .await;
}

async fn an_owners_national_figure_stays_and_its_difference_is_shown() {
    let app = start().await;
    let revenue = october_values(&app, "BUDGET_REVENUE").await;
    let national = of(&revenue, "VN");
    let sum = provinces_sum(&revenue);
    assert!(
        (national - sum).abs() > 1.0,
        "the Ministry of Finance's figure is not the provinces' sum"
    );
    let token = app.api_token(&["01"]).await;
    let (status, body) = send(
        &app,
        &token,
        json!([{"indicator": "BUDGET_REVENUE", "unit": "01", "period": "2026-10", "value": of(&revenue, "01") + 100.0}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["computed"], 0, "{body}");
    let after = october_values(&app, "BUDGET_REVENUE").await;
    assert_eq!(
        of(&after, "VN"),
        national,
        "the owner's figure is the owner's"
    );

    let (_, page) = app
        .page("/indicators/BUDGET_REVENUE?period=2026-10", None)
        .await;
    assert!(page.contains("data-testid=\"units-sum\""), "{page}");
    assert!(page.contains("chênh lệch"), "the difference is said");
    let (_, page) = app
        .page("/indicators/EXPORT_VALUE?period=2026-10", None)
        .await;
    assert!(page.contains("được tính tự động"), "a computed one says so");
}

crate::harness::tests![
    tokio on_sqlite,
    postgres on_postgres,
    tokio an_owners_national_figure_stays_and_its_difference_is_shown,
];
