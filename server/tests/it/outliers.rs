//! Values far from their history (issue 25), on SQLite and PostgreSQL. The reporting system
//! sends the nation's consumer prices at ten times their usual level: the value is published as
//! sent (the source is trusted), flagged with the range its history made usual in the open data
//! (JSON and CSV), on the overview's card and in the indicator page's table, and raised once on
//! the `alerts` stream, where a screen that subscribes later still finds it in force. The
//! corrected value is usual again: the flag goes and the alert ends. An officer's form and the
//! simulator are not judged here (the officer confirmed the value with a note).

use crate::common::TestPg;
use crate::common::live::Live;
use crate::common::running::{Running, start_with};
use app::store::LatestScope;
use serde_json::{Value, json};

const PERIOD: &str = "2026-10";

async fn open_data(app: &Running) -> Value {
    let url = format!(
        "{}/api/v1/observations?indicator=CPI_YOY&unit=VN&from={PERIOD}&to={PERIOD}",
        app.base
    );
    let body: Value = app
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["observations"][0].clone()
}

async fn open_data_csv(app: &Running) -> String {
    let url = format!(
        "{}/api/v1/observations?indicator=CPI_YOY&unit=VN&from={PERIOD}&to={PERIOD}&format=csv",
        app.base
    );
    app.http
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The overview's card of the nation's CPI.
async fn card(app: &Running) -> String {
    let (_, page) = app.page("/", None).await;
    page.split("data-indicator=\"CPI_YOY\"")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .unwrap_or_else(|| panic!("the CPI card: {page}"))
        .to_string()
}

/// The indicator page's table row of the period.
async fn row(app: &Running) -> String {
    let (_, page) = app.page("/indicators/CPI_YOY?unit=VN", None).await;
    page.split(&format!("<tr data-period=\"{PERIOD}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("the {PERIOD} row: {page}"))
        .to_string()
}

/// The outlier alerts in force for a screen that subscribes to `alerts` now: its snapshot, then
/// the updates that bring it up to date (each alert's last word by series).
async fn in_force(screen: &mut Live) -> Vec<Value> {
    let snapshot = screen.subscribe(&["alerts"]).await.remove(0);
    let mut alerts: Vec<Value> = snapshot["data"].as_array().unwrap().clone();
    while let Some(m) = screen.next_within(1).await {
        alerts.push(m["data"].clone());
    }
    let mut last: Vec<Value> = Vec::new();
    for a in alerts.into_iter().filter(|a| a["kind"] == "outlier") {
        last.retain(|b| (&b["indicator"], &b["unit"]) != (&a["indicator"], &a["unit"]));
        last.push(a);
    }
    last.retain(|a| a["alert"] != "cleared");
    last
}

async fn an_unusual_value_is_published_flagged_and_alerted(database: Option<&str>) {
    let app = start_with(database, |_| {}).await;
    let statistics = app.api_token(&["VN"]).await;
    let mut screen = Live::with_token(&app, &statistics).await;
    assert!(in_force(&mut screen).await.is_empty());
    let usual = open_data(&app).await;
    assert!(
        usual["outlier"].is_null(),
        "the demo's value is usual: {usual}"
    );

    let answer = app
        .ingest(
            &statistics,
            json!([{"indicator": "CPI_YOY", "unit": "VN", "period": PERIOD, "value": 35.2}]),
        )
        .await;
    assert_eq!(answer["stored"], 1, "published as sent: {answer}");

    // Raised on the stream, once, with the range history made usual.
    let alert = loop {
        let m = screen.next().await;
        if m["topic"] == "alerts" && m["data"]["kind"] == "outlier" {
            break m["data"].clone();
        }
    };
    assert_eq!(alert["alert"], "warning", "{alert}");
    assert_eq!(
        (alert["unit"].as_str(), alert["period"].as_str()),
        (Some("VN"), Some(PERIOD))
    );
    let message = alert["message"].as_str().unwrap();
    assert!(
        message.starts_with("Số liệu bất thường: Chỉ số giá tiêu dùng")
            && message.contains("Toàn quốc")
            && message.contains("35,20")
            && message.contains("ngoài khoảng thường gặp"),
        "{message}"
    );

    // In the open data, with the usual range: the value lies outside it.
    let flagged = open_data(&app).await;
    assert_eq!(flagged["value"], 35.2);
    let (low, high) = (
        flagged["outlier"]["low"].as_f64().unwrap(),
        flagged["outlier"]["high"].as_f64().unwrap(),
    );
    assert!(
        low < high && high < 35.2 && low < usual["value"].as_f64().unwrap(),
        "{flagged}"
    );
    let csv = open_data_csv(&app).await;
    let line = csv.lines().nth(1).unwrap();
    assert!(
        line.ends_with(&format!(",{low},{high},,")),
        "the CSV's columns before the year to date (none for a rate): {line}"
    );

    // On the overview's card and in the indicator page's table.
    let c = card(&app).await;
    assert!(
        c.contains("data-testid=\"outlier\"") && c.contains("bất thường"),
        "{c}"
    );
    assert!(row(&app).await.contains("data-testid=\"outlier\""));

    // A screen that subscribes now finds it in force (in the snapshot or the updates that
    // bring it up to date), and so does a fresh read of the alerts in force.
    let mut later = Live::with_token(&app, &statistics).await;
    let alerts = in_force(&mut later).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["indicator"], "CPI_YOY");
    let flagged = app.store.latest(&LatestScope::Outliers).await.unwrap();
    assert_eq!(flagged.observations.len(), 1);
    assert_eq!(flagged.observations[0].value, 35.2);

    // The statistics office corrects it: usual again, the flag goes and the alert ends.
    let corrected = usual["value"].as_f64().unwrap() + 0.1;
    app.ingest(
        &statistics,
        json!([{"indicator": "CPI_YOY", "unit": "VN", "period": PERIOD, "value": corrected}]),
    )
    .await;
    let cleared = loop {
        let m = screen.next().await;
        if m["topic"] == "alerts" && m["data"]["kind"] == "outlier" {
            break m["data"].clone();
        }
    };
    assert_eq!(cleared["alert"], "cleared", "{cleared}");
    assert!(open_data(&app).await["outlier"].is_null());
    assert!(
        open_data_csv(&app)
            .await
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",,")
    );
    assert!(!card(&app).await.contains("data-testid=\"outlier\""));
    let mut last = Live::with_token(&app, &statistics).await;
    assert!(in_force(&mut last).await.is_empty());
    let flagged = app.store.latest(&LatestScope::Outliers).await.unwrap();
    assert!(flagged.observations.is_empty());
    // Every revision stays in the value's history.
    let revisions = app
        .store
        .revisions("CPI_YOY", "VN", &PERIOD.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        revisions.len(),
        3,
        "the demo's, the unusual one, the correction"
    );
}

async fn outliers_on_sqlite() {
    an_unusual_value_is_published_flagged_and_alerted(None).await;
}

async fn outliers_on_postgres() {
    let db = TestPg::create("outliers").await;
    an_unusual_value_is_published_flagged_and_alerted(Some(&db.url)).await;
}

crate::harness::tests![
    tokio outliers_on_sqlite,
    postgres outliers_on_postgres,
];
