//! Targets set by the people who keep them and by the system that holds them: the targets page
//! of the secretariat (numbers as people type them, problems named by unit and period, the
//! page refused to everyone else) and `POST /api/v1/targets` for a token issued to set targets
//! (JSON and CSV, all or nothing, 403 for a token without the right or for another unit's
//! lines), on SQLite and PostgreSQL; each change audited under who made it.

use crate::common::TestPg;
use crate::common::running::{Running, call_json, start_with};
use serde_json::{Value, json};

async fn targets_csv(app: &Running) -> String {
    app.http
        .get(format!("{}/api/v1/catalogue/targets.csv", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn post(app: &Running, token: Option<&str>, body: reqwest::Body, kind: &str) -> (u16, Value) {
    let mut req = app
        .http
        .post(format!("{}/api/v1/targets", app.base))
        .header("content-type", kind)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn post_json(app: &Running, token: &str, lines: Value) -> (u16, Value) {
    let body = json!({ "targets": lines }).to_string();
    post(app, Some(token), body.into(), "application/json").await
}

async fn targets_come_in_through_the_api(database: Option<&str>) {
    let app = start_with(database, |_| {}).await;
    let before = targets_csv(&app).await;

    // A reporting system's token enters Hà Nội's figures, not its targets.
    let reporter = app.api_token(&["01"]).await;
    let line = json!([{"indicator": "GRDP_GROWTH", "unit": "01", "period": "2030", "target": 8.3}]);
    let (status, body) = post_json(&app, &reporter, line.clone()).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["line"], 1, "{body}");
    assert_eq!(body["errors"][0]["column"], "unit", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Không được đặt mục tiêu cho đơn vị 01"),
        "{body}"
    );

    // The planning system's token sets Hà Nội's range and plan, and the nation's exports.
    let planner = app.planner_token(&["VN", "01", "79"]).await;
    let (status, body) = post_json(
        &app,
        &planner,
        json!([
            {"indicator": "GRDP_GROWTH", "unit": "01", "period": "2030", "target": 8.3, "target_max": 8.5},
            {"indicator": "GRDP_GROWTH", "unit": "01", "period": "2030-Q1", "target": 7.2},
            {"indicator": "EXPORT_VALUE", "unit": "VN", "period": "2030", "target": 480000}
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"created": ["GRDP_GROWTH/01/2030", "GRDP_GROWTH/01/2030-Q1", "EXPORT_VALUE/VN/2030"],
               "changed": [], "unchanged": 0})
    );
    let csv = targets_csv(&app).await;
    for line in [
        "GRDP_GROWTH,01,2030,8.3,8.5\n",
        "GRDP_GROWTH,01,2030-Q1,7.2,\n",
        "EXPORT_VALUE,VN,2030,480000,\n",
    ] {
        assert!(csv.contains(line), "{line} in {csv}");
    }
    let audit = app
        .store
        .audit_entries(&app::store::AuditQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let row = audit
        .iter()
        .find(|a| a.entry.target.as_deref() == Some("GRDP_GROWTH/01/2030"))
        .expect("audited");
    assert_eq!(row.entry.action, "catalogue.target.create");
    assert_eq!(row.entry.actor, "Hệ thống kế hoạch thử");
    assert_eq!(row.entry.actor_kind, "token");

    // The same again changes nothing; a line for a unit it was not issued for refuses the
    // whole batch.
    let (status, body) = post_json(
        &app,
        &planner,
        json!([{"indicator": "GRDP_GROWTH", "unit": "01", "period": "2030", "target": 8.3, "target_max": 8.5}]),
    )
    .await;
    assert_eq!((status, &body["unchanged"]), (200, &json!(1)), "{body}");
    let (status, body) = post_json(
        &app,
        &planner,
        json!([
            {"indicator": "GRDP_GROWTH", "unit": "79", "period": "2030", "target": 8.0},
            {"indicator": "GRDP_GROWTH", "unit": "04", "period": "2030", "target": 7.0}
        ]),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["errors"][0]["line"], 2, "{body}");

    // As the targets file: a value outside the valid range, a plan off the indicator's
    // periods and a range that runs downwards refuse the good line with them.
    let (status, body) = post(
        &app,
        Some(&planner),
        "indicator,unit,period,target,target_max\nGRDP_GROWTH,79,2030,8,\nONLINE_DOSSIERS,01,2030,120,\n\
         GRDP_GROWTH,01,2030-05,7,\nGRDP_GROWTH,79,2031,9,8\n"
            .into(),
        "text/csv; charset=utf-8",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let lines: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [(3, "target"), (4, "period"), (5, "target_max")],
        "{body}"
    );
    // A number the file cannot read, and a period that is none.
    let (status, body) = post_json(
        &app,
        &planner,
        json!([{"indicator": "GRDP_GROWTH", "unit": "79", "period": "2030-13", "target": 8}]),
    )
    .await;
    assert_eq!(
        (status, &body["errors"][0]["column"]),
        (422, &json!("period")),
        "{body}"
    );
    let csv_now = targets_csv(&app).await;
    assert!(
        !csv_now.contains("GRDP_GROWTH,79,2030"),
        "nothing of a refused batch: {csv_now}"
    );

    // Taking a plan point away with a null target.
    let (status, body) = post_json(
        &app,
        &planner,
        json!([{"indicator": "GRDP_GROWTH", "unit": "01", "period": "2030-Q1", "target": null}]),
    )
    .await;
    assert_eq!(
        (status, &body["changed"]),
        (200, &json!(["GRDP_GROWTH/01/2030-Q1"])),
        "{body}"
    );
    assert!(!targets_csv(&app).await.contains("2030-Q1"));

    // No token, a body that is no batch, a kind that is neither.
    let (status, _) = post(&app, None, "{}".into(), "application/json").await;
    assert_eq!(status, 401);
    let (status, body) = post(
        &app,
        Some(&planner),
        "{\"targets\":3}".into(),
        "application/json",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = post(&app, Some(&planner), "x".into(), "text/plain").await;
    assert_eq!(status, 415);
    assert!(targets_csv(&app).await.len() > before.len());
}

async fn api_on_sqlite() {
    targets_come_in_through_the_api(None).await;
}

async fn api_on_postgres() {
    let db = TestPg::create("target_api").await;
    targets_come_in_through_the_api(Some(&db.url)).await;
}

/// The secretariat opens the sheet of GRDP growth for 2030, types Hà Nội's range and first
/// quarter as Vietnamese write numbers, and saves; a cell that is no number or a range that
/// runs downwards is refused, named by the province and the period, and nothing changes. A
/// leader and an officer are refused the page; the secretariat may bring a targets file but
/// not a catalogue file.
async fn the_secretariat_types_targets_on_the_sheet() {
    let app = start_with(None, |_| {}).await;
    let secretariat = app.cookie_for("vanphong").await;
    let sheet = |cookie: String| {
        let app = &app;
        async move {
            let (status, text) = app
                .call(
                    "targets_sheet",
                    Some(&cookie),
                    &[("indicator", "GRDP_GROWTH"), ("year", "2030")],
                )
                .await;
            assert_eq!(status, 200, "{text}");
            serde_json::from_str::<Value>(&text).unwrap()
        }
    };
    let first = sheet(secretariat.clone()).await;
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 34, "the provinces that report GRDP: {first}");
    let hanoi = rows.iter().find(|r| r["unit"] == "01").unwrap();
    assert_eq!(
        (&hanoi["name"], &hanoi["target"]),
        (&json!("Thành phố Hà Nội"), &json!(""))
    );
    let headings: Vec<&str> = first["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_str().unwrap())
        .collect();
    assert_eq!(headings, ["Quý 1", "Quý 2", "Quý 3", "Quý 4"]);

    let save = |cells: Value| {
        let (app, cookie) = (&app, secretariat.clone());
        async move {
            call_json(
                app,
                "targets_save",
                Some(&cookie),
                json!({"indicator": "GRDP_GROWTH", "cells": cells}),
            )
            .await
        }
    };
    let (status, body) = save(json!([
        {"unit": "01", "period": "2030", "target": "8,3", "target_max": "8,5"},
        {"unit": "01", "period": "2030-Q1", "target": "7,2", "target_max": ""},
        {"unit": "79", "period": "2030", "target": "", "target_max": ""}
    ]))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["Done"]["created"],
        json!(["GRDP_GROWTH/01/2030", "GRDP_GROWTH/01/2030-Q1"]),
        "{body}"
    );
    let again = sheet(secretariat.clone()).await;
    let hanoi = again["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "01")
        .unwrap()
        .clone();
    assert_eq!(
        (&hanoi["target"], &hanoi["target_max"], &hanoi["plan"][0]),
        (&json!("8,3"), &json!("8,5"), &json!("7,2")),
        "{hanoi}"
    );
    assert!(
        targets_csv(&app)
            .await
            .contains("GRDP_GROWTH,01,2030,8.3,8.5\n")
    );

    for (cells, says) in [
        (
            json!([{"unit": "79", "period": "2030", "target": "tám", "target_max": ""}]),
            "Hồ Chí Minh",
        ),
        (
            json!([{"unit": "79", "period": "2030", "target": "9", "target_max": "8"}]),
            "Khoảng mục tiêu 9–8",
        ),
    ] {
        let (status, body) = save(cells).await;
        assert_eq!(status, 200, "{body}");
        let message = body["Refused"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{says} in {body}");
        assert!(message.contains("2030"), "the period named: {body}");
    }
    assert!(!targets_csv(&app).await.contains("GRDP_GROWTH,79,2030"));

    // The page itself, rendered for the secretariat, holds what was typed.
    let (_, page) = app
        .page(
            "/targets?indicator=GRDP_GROWTH&year=2030",
            Some(&secretariat),
        )
        .await;
    assert!(page.contains("data-testid=\"targets-sheet\""), "{page}");
    assert!(page.contains("value=\"8,3\""), "{page}");
    let (_, scorecard) = app.page("/scorecard", Some(&secretariat)).await;
    assert!(scorecard.contains("data-testid=\"edit-targets\""));

    // Everyone else is refused; a leader's scorecard has no way in.
    for who in ["lanhdao", "canbo.hanoi"] {
        let cookie = app.cookie_for(who).await;
        let (status, _) = app
            .call(
                "targets_sheet",
                Some(&cookie),
                &[("indicator", ""), ("year", "")],
            )
            .await;
        assert_eq!(status, 403, "{who}");
        let (status, _) = call_json(
            &app,
            "targets_save",
            Some(&cookie),
            json!({"indicator": "GRDP_GROWTH", "cells": [{"unit": "01", "period": "2030", "target": "1"}]}),
        )
        .await;
        assert_eq!(status, 403, "{who}");
        let (_, scorecard) = app.page("/scorecard", Some(&cookie)).await;
        assert!(!scorecard.contains("edit-targets"), "{who}");
    }
    let (status, _) = app
        .call("targets_sheet", None, &[("indicator", ""), ("year", "")])
        .await;
    assert_eq!(status, 401);

    // The secretariat brings a targets file, not a catalogue one.
    let (status, text) = app
        .call(
            "catalogue_import",
            Some(&secretariat),
            &[(
                "text",
                "indicator,unit,period,target\nGRDP_GROWTH,79,2030,8\n",
            )],
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("GRDP_GROWTH/79/2030"), "{text}");
    let (status, text) = app
        .call(
            "catalogue_import",
            Some(&secretariat),
            &[("text", "code,name_en\nCPI_YOY,Prices\n")],
        )
        .await;
    assert_eq!(status, 403, "{text}");
}

crate::harness::tests![
    tokio api_on_sqlite,
    postgres api_on_postgres,
    tokio the_secretariat_types_targets_on_the_sheet,
];
