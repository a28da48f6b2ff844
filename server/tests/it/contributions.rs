//! What moved the number, on SQLite and PostgreSQL: the national change of a summed figure
//! split into the provinces' parts, which add up to it exactly, in JSON, in CSV and on the
//! indicator page; a province's revision moves its part and the nation's change together; a
//! figure the owner reports keeps what the provinces do not explain as the rest. A weighted
//! mean's change splits into each unit's value and weight, and adds up the same way. Bad
//! parameters are refused with the reason.

use crate::common::TestPg;
use crate::common::running::{Running, start, start_with};
use serde_json::Value;

async fn get(app: &Running, query: &str) -> (u16, String) {
    let res = app
        .http
        .get(format!("{}/api/v1/contributions?{query}", app.base))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn parts(app: &Running, query: &str) -> Value {
    let (s, body) = get(app, query).await;
    assert_eq!(s, 200, "{query}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Millionths, as the parts are added up.
fn micro(v: &Value) -> i128 {
    (v.as_f64().unwrap_or_else(|| panic!("a number: {v}")) * 1e6).round() as i128
}

/// The parts and the rest add up to the change, to the millionth; each part is its member's own
/// change; the largest comes first.
fn assert_adds_up(c: &Value) {
    let members = c["members"].as_array().unwrap();
    let total: i128 = members.iter().map(|m| micro(&m["change"])).sum::<i128>() + micro(&c["rest"]);
    assert_eq!(total, micro(&c["change"]), "{c}");
    assert_eq!(
        micro(&c["change"]),
        micro(&c["after"]) - micro(&c["before"]),
        "{c}"
    );
    for m in members {
        let own = m["after"].as_f64().unwrap_or(0.0) - m["before"].as_f64().unwrap_or(0.0);
        assert!((own - m["change"].as_f64().unwrap()).abs() < 1e-6, "{m}");
    }
    let sizes: Vec<i128> = members.iter().map(|m| micro(&m["change"]).abs()).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {sizes:?}"
    );
}

async fn the_parts_add_up_to_the_national_change(app: &Running) {
    // Exports: the national figure is the provinces' sum, computed by the store.
    let c = parts(app, "indicator=EXPORT_VALUE").await;
    assert_eq!(c["unit"], "VN");
    assert_eq!(
        c["members"].as_array().unwrap().len(),
        34,
        "the 34 provinces"
    );
    assert_eq!(micro(&c["rest"]), 0, "a computed sum has no rest: {c}");
    assert_adds_up(&c);
    let (from, to) = (
        c["from"].as_str().unwrap().to_string(),
        c["to"].as_str().unwrap().to_string(),
    );

    // Hà Nội's latest month revised up by 5,000: its part grows by that, so does the nation's
    // change, and it leads the list.
    let hanoi = c["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["unit"] == "01")
        .unwrap()
        .clone();
    let token = app.api_token(&["01"]).await;
    let revised = hanoi["after"].as_f64().unwrap() + 5000.0;
    app.ingest(
        &token,
        serde_json::json!([{"indicator": "EXPORT_VALUE", "unit": "01", "period": to, "value": revised}]),
    )
    .await;
    let after = parts(app, &format!("indicator=EXPORT_VALUE&from={from}&to={to}")).await;
    assert_adds_up(&after);
    assert_eq!(after["members"][0]["unit"], "01", "{after}");
    assert_eq!(
        micro(&after["members"][0]["change"]) - micro(&hanoi["change"]),
        5_000_000_000
    );
    assert_eq!(
        micro(&after["change"]) - micro(&c["change"]),
        5_000_000_000,
        "the nation moved by Hà Nội's revision"
    );

    // The budget's revenue: the owner's national figure holds central revenue, which no
    // province reports: that part is the rest, and everything still adds up.
    let budget = parts(app, "indicator=BUDGET_REVENUE").await;
    assert_ne!(micro(&budget["rest"]), 0, "{budget}");
    assert_adds_up(&budget);

    // Two periods apart, as the API allows.
    let months = parts(
        app,
        &format!("indicator=EXPORT_VALUE&from={}&to={to}", {
            let p = app::model::Period::parse(&from).unwrap();
            p.prev().prev().to_string()
        }),
    )
    .await;
    assert_adds_up(&months);

    // The CSV: one line per province and the rest; its parts add up to the change.
    let (s, csv) = get(
        app,
        &format!("indicator=EXPORT_VALUE&from={from}&to={to}&format=csv"),
    )
    .await;
    assert_eq!(s, 200, "{csv}");
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = head.iter().position(|h| *h == "contribution").unwrap();
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    assert_eq!(rows.len(), 35, "34 provinces and the rest: {csv}");
    let total: i128 = rows
        .iter()
        .map(|r| (r[col].parse::<f64>().unwrap() * 1e6).round() as i128)
        .sum();
    assert_eq!(total, micro(&after["change"]));

    // The indicator page shows the parts, Hà Nội first, and the overview's national change
    // is one tap from them.
    let (_, page) = app.page("/indicators/EXPORT_VALUE", None).await;
    let section = page
        .split("data-testid=\"contributions\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no contributions section"));
    assert!(section.contains("Đóng góp vào thay đổi"), "{section}");
    let first_row = section.split("<tr data-unit=").nth(1).unwrap();
    assert!(first_row.starts_with("\"01\""), "{first_row}");
    assert!(first_row.contains("Hà Nội"), "{first_row}");
    let (_, overview) = app.page("/", None).await;
    assert!(
        overview.contains("href=\"/indicators/EXPORT_VALUE?unit=VN#contributions\""),
        "the card's change leads to its parts"
    );
    // A figure that is not made from its units' has no such link nor section.
    let (_, cpi) = app.page("/indicators/CPI_YOY", None).await;
    assert!(!cpi.contains("data-testid=\"contributions\""));
}

/// A weighted mean's parts: each is its value's piece and its weight's piece; the shares are
/// the members' weights over their total; the parts are the members' own mean's change, and
/// with the rest (the owner's figure against that mean) they add up to the change exactly.
fn assert_mean_adds_up(c: &Value) {
    let members = c["members"].as_array().unwrap();
    assert!(!members.is_empty(), "{c}");
    let total: i128 = members.iter().map(|m| micro(&m["change"])).sum::<i128>() + micro(&c["rest"]);
    assert_eq!(total, micro(&c["change"]), "{c}");
    for m in members {
        assert_eq!(
            micro(&m["value_part"]) + micro(&m["weight_part"]),
            micro(&m["change"]),
            "{m}"
        );
        assert!(m["points"].is_null(), "{m}");
    }
    // The members' mean, from their own values and weights.
    let mean = |value: &str, weight: &str| {
        let counted: Vec<(f64, f64)> = members
            .iter()
            .filter_map(|m| Some((m[value].as_f64()?, m[weight].as_f64()?)))
            .collect();
        let w: f64 = counted.iter().map(|(_, w)| w).sum();
        counted.iter().map(|(v, x)| v * x).sum::<f64>() / w
    };
    let (before, after) = (
        mean("before", "weight_before"),
        mean("after", "weight_after"),
    );
    assert!((before - c["members_before"].as_f64().unwrap()).abs() < 1e-9);
    assert!((after - c["members_after"].as_f64().unwrap()).abs() < 1e-9);
    let explained: f64 = members.iter().map(|m| m["change"].as_f64().unwrap()).sum();
    assert!(
        (explained - (after - before)).abs() < 1e-4,
        "the parts are the members' mean's change: {explained} against {}",
        after - before
    );
    let shares: f64 = members
        .iter()
        .filter_map(|m| m["share_after"].as_f64())
        .sum();
    assert!((shares - 100.0).abs() < 1e-6, "{shares}");
}

async fn a_weighted_mean_splits_into_values_and_weights(app: &Running) {
    // The share of dossiers handled online, weighed by the dossiers each unit received.
    let c = parts(app, "indicator=ONLINE_DOSSIERS").await;
    assert_eq!(c["weight"]["code"], "DOSSIERS_RECEIVED", "{c}");
    assert_eq!(
        c["members"].as_array().unwrap().len(),
        34 + 17,
        "provinces and ministries"
    );
    assert_mean_adds_up(&c);
    // The owner reports the mean to one decimal: what is left is its rounding.
    assert!(micro(&c["rest"]).abs() <= 100_000, "{}", c["rest"]);
    assert!(c["percent"].is_null());
    let (from, to) = (
        c["from"].as_str().unwrap().to_string(),
        c["to"].as_str().unwrap().to_string(),
    );
    let member = |c: &Value, unit: &str| {
        c["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["unit"] == unit)
            .unwrap()
            .clone()
    };
    // Hà Nội's dossiers received this month revised to five times as many: its share grows,
    // its part is mostly of its share, and the owner's figure, as reported, is unchanged, so
    // the rest takes the difference.
    let hanoi = member(&c, "01");
    let token = app.api_token(&["01"]).await;
    let more = hanoi["weight_after"].as_f64().unwrap() * 5.0;
    app.ingest(
        &token,
        serde_json::json!([{"indicator": "DOSSIERS_RECEIVED", "unit": "01", "period": to, "value": more}]),
    )
    .await;
    let after = parts(
        app,
        &format!("indicator=ONLINE_DOSSIERS&from={from}&to={to}"),
    )
    .await;
    assert_mean_adds_up(&after);
    assert_eq!(micro(&after["change"]), micro(&c["change"]));
    let revised = member(&after, "01");
    assert!(
        revised["share_after"].as_f64().unwrap() > hanoi["share_after"].as_f64().unwrap() * 2.0,
        "{revised}"
    );
    assert_eq!(revised["weight_after"].as_f64(), Some(more));
    let moved = micro(&revised["weight_part"]) - micro(&hanoi["weight_part"]);
    assert_ne!(moved, 0, "{revised}");
    assert_ne!(micro(&after["rest"]), micro(&c["rest"]));

    // A province against its communes, where communes report.
    let communes = parts(app, "indicator=ONLINE_DOSSIERS&unit=01").await;
    assert_eq!(communes["unit"], "01");
    assert!(communes["members"].as_array().unwrap().len() > 50);
    assert_mean_adds_up(&communes);

    // Unemployment, weighed by the labour force, quarter on quarter.
    let jobs = parts(app, "indicator=UNEMPLOYMENT").await;
    assert_eq!(jobs["weight"]["code"], "LABOUR_FORCE");
    assert_mean_adds_up(&jobs);

    // The CSV has both pieces; the page shows them and names the weight.
    let (s, csv) = get(
        app,
        &format!("indicator=ONLINE_DOSSIERS&from={from}&to={to}&format=csv"),
    )
    .await;
    assert_eq!(s, 200);
    let head: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for column in [
        "weight_before",
        "weight_after",
        "share_after",
        "value_part",
        "weight_part",
    ] {
        assert!(head.contains(&column), "{column} in {head:?}");
    }
    let (_, page) = app.page("/indicators/ONLINE_DOSSIERS", None).await;
    let section = page
        .split("data-testid=\"contributions\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no contributions section"));
    for words in [
        "Do giá trị",
        "Do tỷ trọng",
        "theo trọng số là Số hồ sơ thủ tục hành chính tiếp nhận",
        "data-testid=\"weight-part\"",
    ] {
        assert!(section.contains(words), "{words}");
    }
}

/// A CSV line's fields, as the csv crate reads them (a name may be quoted).
fn csv_fields(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    r.records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect()
}

async fn contributions_on_sqlite() {
    let app = start().await;
    the_parts_add_up_to_the_national_change(&app).await;
    a_weighted_mean_splits_into_values_and_weights(&app).await;
}

async fn contributions_on_postgres() {
    let pg = TestPg::create("contributions").await;
    let app = start_with(Some(&pg.url), |_| {}).await;
    the_parts_add_up_to_the_national_change(&app).await;
    a_weighted_mean_splits_into_values_and_weights(&app).await;
    app.store.close().await;
}

/// No indicator, an unknown one, a figure that is not a sum, a unit with nothing below that
/// reports it, a period of the wrong kind, a first period after the last: each refused with
/// its reason in both languages.
async fn bad_parameters_are_refused_with_the_reason() {
    let app = start().await;
    for (query, status, says) in [
        ("", 400, "cần indicator"),
        ("indicator=NOPE", 404, "không có chỉ tiêu"),
        (
            "indicator=EDOCS_SHARE",
            422,
            "chưa ghi chỉ tiêu làm trọng số",
        ),
        ("indicator=GDP_GROWTH", 422, "không phải là tổng"),
        (
            "indicator=EXPORT_VALUE&unit=01",
            422,
            "không có đơn vị cấp dưới",
        ),
        ("indicator=EXPORT_VALUE&unit=ZZZ", 404, "không có đơn vị"),
        ("indicator=EXPORT_VALUE&unit=%3Cb%3E", 422, "unit"),
        (
            "indicator=EXPORT_VALUE&to=2026-Q2",
            422,
            "không phải kỳ tháng",
        ),
        (
            "indicator=EXPORT_VALUE&from=2026-09&to=2026-03",
            422,
            "phải trước kỳ cuối",
        ),
        (
            "indicator=EXPORT_VALUE&from=2026-09&to=2026-09",
            422,
            "phải trước kỳ cuối",
        ),
        ("indicator=EXPORT_VALUE&to=2026-13", 422, "to"),
    ] {
        let (s, body) = get(&app, query).await;
        assert_eq!(s, status, "{query}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{query}: {body}"));
        let error = v["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{query}: {error}");
        assert!(error.contains('('), "with the English after: {error}");
    }
}

crate::harness::tests![
    tokio contributions_on_sqlite,
    postgres contributions_on_postgres,
    tokio bad_parameters_are_refused_with_the_reason,
];
