//! `POST /api/v1/observations` over HTTP: all or nothing, one error per bad row, idempotent,
//! and a token writes only for its own units.

use crate::common::running::{API_TOKEN_NAME, Running, start};
use app::store::{AuditEntry, AuditQuery, ObservationQuery};
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

async fn post(app: &Running, token: Option<&str>, body: Value) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .json(&body);
    if let Some(t) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = req.send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn count(app: &Running) -> u64 {
    app.store.count_observations().await.unwrap()
}

async fn a_good_batch_is_stored_once_and_a_changed_value_is_a_new_revision() {
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let batch = json!({"observations": [
        {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2030-01", "value": 1.0},
    ]});
    // 2030 is in the future: refused.
    let (status, body) = post(&app, Some(&t), batch).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "period");

    let batch = json!({"observations": [
        {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 1234.5},
        {"indicator": "RETAIL_SALES", "unit": "01", "period": "2026-06", "value": 99999},
    ]});
    let before = count(&app).await;
    let (status, body) = post(&app, Some(&t), batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["stored"].as_u64(), body["unchanged"].as_u64()),
        (Some(2), Some(0))
    );
    let (status, body) = post(&app, Some(&t), batch).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["stored"].as_u64(), body["unchanged"].as_u64()),
        (Some(0), Some(2)),
        "re-sending stores nothing new"
    );
    assert_eq!(
        count(&app).await,
        before,
        "the demo already had these keys: values replaced, none added"
    );

    let q = ObservationQuery {
        indicator: Some("EXPORT_VALUE".into()),
        unit: Some("01".into()),
        from: Some("2026-06".parse().unwrap()),
        to: Some("2026-06".parse().unwrap()),
        ..Default::default()
    };
    let stored = app.store.observations(&q).await.unwrap();
    assert_eq!(stored[0].value, 1234.5);
    assert_eq!(stored[0].revision, 2, "the demo value was revision 1");
    assert!(!stored[0].simulated);

    let audit = app
        .store
        .audit_entries(&AuditQuery {
            action: Some("observations_ingest".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].entry.actor, API_TOKEN_NAME);
    assert!(
        audit[1]
            .entry
            .after
            .as_deref()
            .unwrap()
            .contains("\"stored\":2")
    );
}

async fn bad_rows_are_each_reported_and_nothing_is_stored() {
    let app = start().await;
    let t = app.api_token(&["01", "79"]).await;
    let before = count(&app).await;
    let (status, body) = post(
        &app,
        Some(&t),
        json!({"observations": [
            {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 1.0},
            {"indicator": "NO_SUCH", "unit": "01", "period": "2026-06", "value": 1.0},
            {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-Q2", "value": 1.0},
            {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-13", "value": 1.0},
            {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": "12"},
            {"indicator": "GDP_GROWTH", "unit": "01", "period": "2026-Q2", "value": 1.0},
            {"unit": "01", "period": "2026-06", "value": 1.0},
            "not an object",
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let errors: Vec<(u64, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["index"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        (1, "indicator"),
        (2, "period"),
        (3, "period"),
        (4, "value"),
        (5, "unit"),
        (6, "indicator"),
        (7, "row"),
    ] {
        assert!(
            errors.contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {errors:?}"
        );
    }
    assert!(
        !errors.iter().any(|(i, _)| *i == 0),
        "the good row has no error"
    );
    assert!(
        body["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("không có chỉ tiêu")
    );
    assert_eq!(count(&app).await, before);

    let malformed = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body("{\"observations\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let (status, _) = post(&app, Some(&t), json!({"rows": []})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let many: Vec<Value> = (0..10_001).map(|_| json!({"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 1.0})).collect();
    let (status, body) = post(&app, Some(&t), json!({ "observations": many })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body["error"].as_str().unwrap().contains("10000"));
    assert_eq!(count(&app).await, before);
}

async fn a_token_writes_only_for_its_units_and_unauthenticated_or_revoked_senders_write_nothing() {
    let app = start().await;
    let hanoi = app.api_token(&["01"]).await;
    let before = count(&app).await;
    let batch = json!({"observations": [
        {"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 5.0},
        {"indicator": "EXPORT_VALUE", "unit": "79", "period": "2026-06", "value": 5.0},
    ]});
    let (status, body) = post(&app, Some(&hanoi), batch.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["errors"][0]["index"], 1);
    assert_eq!(body["errors"][0]["field"], "unit");
    let (status, _) = post(&app, None, batch.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(&app, Some("dh_wrong"), batch.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let id = app.store.tokens().await.unwrap()[0].id;
    app.store
        .revoke_token(id, &AuditEntry::system("token_revoke", "t"))
        .await
        .unwrap();
    let one = json!({"observations": [{"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 5.0}]});
    let (status, _) = post(&app, Some(&hanoi), one).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A signed-in person's cookie is not an API credential.
    let cookie = app.cookie_for("canbo.hanoi").await;
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header("origin", &app.base)
        .header("cookie", cookie)
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let q = ObservationQuery {
        indicator: Some("EXPORT_VALUE".into()),
        unit: Some("01".into()),
        from: Some("2026-06".parse().unwrap()),
        to: Some("2026-06".parse().unwrap()),
        ..Default::default()
    };
    assert_ne!(
        app.store.observations(&q).await.unwrap()[0].value,
        5.0,
        "nothing written"
    );
    assert_eq!(count(&app).await, before);
}

async fn published_values_are_open_data_in_json_and_csv() {
    let app = start().await;
    let url = format!(
        "{}/api/v1/observations?indicator=CPI_YOY&unit=VN&from=2026-01&to=2026-03",
        app.base
    );
    let res = app.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let rows = body["observations"].as_array().unwrap();
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["2026-01", "2026-02", "2026-03"]);
    for field in [
        "indicator",
        "unit",
        "period",
        "value",
        "revision",
        "source",
        "status",
        "updated_at",
    ] {
        assert!(!rows[0][field].is_null(), "{field}");
    }
    assert_eq!(rows[0]["simulated"], true);

    let csv = app
        .http
        .get(format!("{url}&format=csv"))
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "indicator,unit,period,value,revision,source,status,simulated,updated_at,target,target_max,plan,standing,usual_low,usual_high,year_to_date,year_to_date_last_year"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("CPI_YOY,VN,2026-01,"));

    // A long answer comes in pages that together are the whole answer, in order, each
    // saying where the next begins; the last says nothing.
    let all_url = format!("{}/api/v1/observations?indicator=CPI_YOY", app.base);
    let all: Value = app
        .http
        .get(&all_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all = all["observations"].as_array().unwrap().clone();
    assert!(all.len() > 6, "{}", all.len());
    let mut paged = Vec::new();
    let mut next_url = Some(format!("{all_url}&limit=3"));
    let mut pages = 0;
    while let Some(url) = next_url.take() {
        let res = app.http.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let link = res
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_string());
        let body: Value = res.json().await.unwrap();
        let page = body["observations"].as_array().unwrap();
        assert!(page.len() <= 3);
        paged.extend(page.iter().cloned());
        pages += 1;
        if let Some(next) = body["next"].as_str() {
            let link = link.expect("a full page links to the next");
            assert!(link.ends_with("; rel=\"next\""), "{link}");
            assert!(link.contains("limit=3"), "{link}");
            let path = link.trim_start_matches('<').split('>').next().unwrap();
            assert!(
                path.contains(&format!("after={}", next.replace('~', "%7E"))),
                "{path}"
            );
            next_url = Some(format!("{}{path}", app.base));
        } else {
            assert!(link.is_none());
        }
    }
    assert_eq!(
        pages,
        all.len().div_ceil(3) + usize::from(all.len().is_multiple_of(3))
    );
    assert_eq!(paged, all);
    // Without an indicator or a unit: the first page of everything.
    let res = app
        .http
        .get(format!("{}/api/v1/observations?limit=5", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["observations"].as_array().unwrap().len(), 5);
    assert!(body["next"].is_string());

    for bad in [
        "?unit=V N",
        "?indicator=CPI_YOY&from=2026-13",
        "?indicator=CPI_YOY&to=yesterday",
        "?limit=0",
        "?limit=10001",
        "?after=CPI_YOY~01",
        "?after=CPI_YOY~01~2026-13",
    ] {
        let res = app
            .http
            .get(format!("{}/api/v1/observations{bad}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

async fn post_csv(app: &Running, token: &str, body: &str) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header("content-type", "text/csv; charset=utf-8")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn csv_batches_go_through_the_same_rules_and_keep_their_notes_in_the_history() {
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let before = count(&app).await;
    // A bad CSV: every bad line reported, nothing stored.
    let (status, body) = post_csv(
        &app,
        &t,
        "indicator,unit,period,value\nEXPORT_VALUE,01,2026-06,\"1,5\"\nEXPORT_VALUE,01,2026-13,2\nEXPORT_VALUE,01\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, vec![(0, "value"), (1, "period"), (2, "row")]);
    assert!(
        body["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("dấu chấm")
    );
    let (status, body) = post_csv(&app, &t, "indicator;unit;period;value\n").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(count(&app).await, before);

    // A good one, with a note and a reference, in its own column order.
    let (status, body) = post_csv(
        &app,
        &t,
        "unit,indicator,period,value,note,source_ref\n01,EXPORT_VALUE,2026-06,4321.5,\"Sở Công Thương điều chỉnh; <b>DROP TABLE</b>\",CV-123/SCT\n",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 1);
    let history = app
        .store
        .revisions(
            "EXPORT_VALUE",
            "01",
            &app::model::Period::parse("2026-06").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "the demo value and the correction");
    let last = history.last().unwrap();
    assert_eq!(last.value, 4321.5);
    assert_eq!(last.source, app::model::Source::Api);
    assert_eq!(
        last.note.as_deref(),
        Some("Sở Công Thương điều chỉnh; <b>DROP TABLE</b>")
    );
    assert_eq!(last.source_ref.as_deref(), Some("CV-123/SCT"));

    // Unknown fields, strings for numbers and numbers too big for a float are refused.
    let (status, body) = post(
        &app,
        Some(&t),
        json!({"observations": [{"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 1.0, "colour": "red"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    let huge = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body(r#"{"observations":[{"indicator":"EXPORT_VALUE","unit":"01","period":"2026-06","value":1e400}]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::BAD_REQUEST);
    let wrong_type = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {t}"))
        .header("content-type", "application/xml")
        .body("<observations/>")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(count(&app).await, before);
}

async fn the_rest_contract_is_served_as_openapi_and_the_history_is_open_data() {
    let app = start().await;
    let spec: Value = app
        .http
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = &spec["paths"];
    for (path, method) in [
        ("/api/v1/observations", "post"),
        ("/api/v1/observations", "get"),
        ("/api/v1/observations/revisions", "get"),
        ("/api/v1/whoami", "get"),
        ("/readyz", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} in the spec"
        );
    }
    let post_responses = &paths["/api/v1/observations"]["post"]["responses"];
    for status in ["200", "400", "401", "403", "413", "415", "422"] {
        assert!(
            post_responses[status].is_object(),
            "POST documents {status}"
        );
    }
    let observation = &spec["components"]["schemas"]["Observation"]["properties"];
    for field in [
        "indicator",
        "unit",
        "period",
        "value",
        "revision",
        "source",
        "status",
        "updated_at",
    ] {
        assert!(observation[field].is_object(), "Observation.{field}");
    }

    let t = app.api_token(&["01"]).await;
    let (status, _) = post(
        &app,
        Some(&t),
        json!({"observations": [{"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 1.5, "note": "sửa lỗi nhập"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let history: Value = app
        .http
        .get(format!(
            "{}/api/v1/observations/revisions?indicator=EXPORT_VALUE&unit=01&period=2026-06",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let revisions = history["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0]["source"], "demo");
    assert_eq!(revisions[1]["source"], "api");
    assert_eq!(revisions[1]["note"], "sửa lỗi nhập");
    let bad = app
        .http
        .get(format!(
            "{}/api/v1/observations/revisions?indicator=EXPORT_VALUE&unit=01&period=2026-13",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

async fn oversized_bodies_and_batches_are_refused_with_the_limit_and_nothing_stored() {
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let before = count(&app).await;
    // 10 MB of JSON.
    let padding = "x".repeat(10 * 1024 * 1024);
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body(format!(r#"{{"observations":[],"pad":"{padding}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("5 MB"), "{body}");
    // 100,000 CSV rows (under 5 MB): over the row limit.
    let mut csv = String::from("indicator,unit,period,value\n");
    for _ in 0..100_000 {
        csv.push_str("EXPORT_VALUE,01,2026-06,1\n");
    }
    let (status, body) = post_csv(&app, &t, &csv).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body["error"].as_str().unwrap().contains("10000"));
    assert_eq!(count(&app).await, before);
    // The server is still there for everyone else.
    let (status, _) = post(
        &app,
        Some(&t),
        json!({"observations": [{"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06", "value": 2.0}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

crate::harness::tests![
    tokio a_good_batch_is_stored_once_and_a_changed_value_is_a_new_revision,
    tokio bad_rows_are_each_reported_and_nothing_is_stored,
    tokio a_token_writes_only_for_its_units_and_unauthenticated_or_revoked_senders_write_nothing,
    tokio published_values_are_open_data_in_json_and_csv,
    tokio csv_batches_go_through_the_same_rules_and_keep_their_notes_in_the_history,
    tokio the_rest_contract_is_served_as_openapi_and_the_history_is_open_data,
    tokio oversized_bodies_and_batches_are_refused_with_the_limit_and_nothing_stored,
];
