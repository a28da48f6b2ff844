//! The data-quality list and the consistency of the provinces with the nation (issue 25). The
//! demo catalogue holds the provinces' GRDP growth against the nation's GDP growth within 1.5
//! points: a GDP figure 5 points below the provinces' mean flags its quarter on the GDP page
//! and in the secretariat's list, one within the tolerance does not. A value far from its
//! history is listed until a usual one follows it. The catalogue refuses a check that cannot
//! be made, by line. Only the secretariat and administrators read the list.

use crate::common::running::{Running, start};
use crate::common::{catalogue_export, catalogue_import};
use serde_json::{Value, json};

async fn list(app: &Running, cookie: &str) -> Value {
    let (status, body) = app.call("quality_list", Some(cookie), &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn grdp(list: &Value) -> Value {
    list["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["provincial"]["code"] == "GRDP_GROWTH")
        .cloned()
        .unwrap_or_else(|| panic!("the GRDP check: {list}"))
}

/// The GDP page's row of `period` in the consistency table.
async fn gdp_row(app: &Running, period: &str) -> String {
    let (_, page) = app.page("/indicators/GDP_GROWTH?unit=VN", None).await;
    let table = page
        .split("data-testid=\"consistency\" data-indicator=\"GRDP_GROWTH\"")
        .nth(1)
        .unwrap_or_else(|| panic!("the check on the GDP page: {page}"));
    table
        .split(&format!("<tr data-period=\"{period}\""))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("{period} in {table}"))
        .to_string()
}

async fn the_provinces_are_held_against_the_nation() {
    let app = start().await;
    let secretariat = app.cookie_for("vanphong").await;
    let statistics = app.api_token(&["VN"]).await;

    let before = grdp(&list(&app, &secretariat).await);
    assert_eq!(before["national"]["code"], "GDP_GROWTH");
    assert_eq!(before["within"], 1.5);
    let latest = &before["periods"][0];
    let period = latest["period"].as_str().unwrap().to_string();
    let mean = latest["provinces_mean"].as_f64().unwrap();
    assert_eq!(
        latest["provinces"], 34,
        "the provinces in force in {period}"
    );

    // Five points below the provinces' mean: flagged, on the page and in the list.
    let low = ((mean - 5.0) * 100.0).round() / 100.0;
    app.ingest(
        &statistics,
        json!([{"indicator": "GDP_GROWTH", "unit": "VN", "period": period, "value": low}]),
    )
    .await;
    let row = gdp_row(&app, &period).await;
    assert!(row.contains("data-flagged=\"true\""), "{row}");
    assert!(
        row.contains("✗ +5,00") || row.contains("✗ +4,99") || row.contains("✗ +5,01"),
        "{row}"
    );
    let now = grdp(&list(&app, &secretariat).await);
    assert_eq!(now["periods"][0]["flagged"], true);
    assert_eq!(now["periods"][0]["national"], low);

    // Within the tolerance: not flagged.
    let close = ((mean - 1.0) * 100.0).round() / 100.0;
    app.ingest(
        &statistics,
        json!([{"indicator": "GDP_GROWTH", "unit": "VN", "period": period, "value": close}]),
    )
    .await;
    assert!(
        gdp_row(&app, &period)
            .await
            .contains("data-flagged=\"false\"")
    );
    assert_eq!(
        grdp(&list(&app, &secretariat).await)["periods"][0]["flagged"],
        false
    );
    // On the GRDP page of the nation too; not on a province's page.
    let (_, page) = app.page("/indicators/GRDP_GROWTH?unit=VN", None).await;
    assert!(page.contains("data-testid=\"consistency\""));
    let (_, page) = app.page("/indicators/GDP_GROWTH?unit=01", None).await;
    assert!(!page.contains("data-testid=\"consistency\""));

    // A value far from its history is listed, with its usual range, until a usual one.
    let cpi = json!([{"indicator": "CPI_YOY", "unit": "VN", "period": "2026-10", "value": 41.5}]);
    app.ingest(&statistics, cpi).await;
    let flagged = list(&app, &secretariat).await["outliers"].clone();
    assert_eq!(flagged.as_array().unwrap().len(), 1, "{flagged}");
    assert_eq!(
        (
            flagged[0]["indicator"].as_str(),
            flagged[0]["unit"].as_str()
        ),
        (Some("CPI_YOY"), Some("VN"))
    );
    assert!(flagged[0]["usual"]["high"].as_f64().unwrap() < 41.5);
    let (_, page) = app.page("/quality", Some(&secretariat)).await;
    assert!(page.contains("data-testid=\"flagged-value\""), "{page}");
    assert!(page.contains("Chất lượng số liệu"));

    // Only the secretariat and administrators.
    let admin = app.cookie_for("quantri").await;
    list(&app, &admin).await;
    for who in ["lanhdao", "canbo.hanoi"] {
        let cookie = app.cookie_for(who).await;
        assert_eq!(
            app.call("quality_list", Some(&cookie), &[]).await.0,
            403,
            "{who}"
        );
    }
    assert_eq!(app.call("quality_list", None, &[]).await.0, 401);
}

async fn a_check_that_cannot_be_made_is_refused_by_line() {
    let app = start().await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    let before = catalogue_export(&url, &[]);
    assert!(
        before
            .lines()
            .any(|l| l.starts_with("GRDP_GROWTH,") && l.ends_with(",1.5,GDP_GROWTH,")),
        "the demo's check is in the file"
    );
    let bad = "code,consistency_within,checked_against
CPI_YOY,1,
EXPORT_VALUE,1,
IIP_YOY,-1,
GRDP_GROWTH,1.5,NOWHERE
RETAIL_SALES,,GDP_GROWTH
";
    let out = catalogue_import(&url, bad);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "dòng 2, cột consistency_within",
        "dòng 3, cột consistency_within",
        "dòng 4, cột consistency_within",
        "dòng 5, cột consistency_within",
        "dòng 6, cột checked_against",
        "Không có chỉ tiêu “NOWHERE”",
    ] {
        assert!(said.contains(expected), "{expected} in:\n{said}");
    }
    assert_eq!(catalogue_export(&url, &[]), before, "nothing changed");
    let good = catalogue_import(&url, "code,consistency_within\nIIP_YOY,2.5\n");
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(
        catalogue_export(&url, &[])
            .lines()
            .any(|l| l.starts_with("IIP_YOY,") && l.ends_with(",2.5,,"))
    );
}

crate::harness::tests![
    tokio the_provinces_are_held_against_the_nation,
    tokio a_check_that_cannot_be_made_is_refused_by_line,
];
