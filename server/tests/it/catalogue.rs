//! The catalogue changed while the centre runs: a file imported from the command line beside a
//! running server reaches its open streams, pages, API and validation without a restart (on
//! SQLite, and on PostgreSQL across two instances); a bad file is refused whole with every
//! problem by line; a retired indicator leaves lists and forms but keeps its history.

use crate::common::live::Live;
use crate::common::running::{Running, start, start_with};
use crate::common::{TestPg, catalogue_export, catalogue_import};
use reqwest::StatusCode;
use serde_json::{Value, json};

const NEW_INDICATOR: &str = "code,name_vi,name_en,field,measure,measure_vi,periodicity,rollup,good_direction,change,owner,reported_by,decimals,valid_min,valid_max
SEAFOOD_EXPORT,Kim ngạch xuất khẩu thủy sản,Seafood exports,trade,million USD,triệu USD,monthly,sum,up,percent,BNNMT,national|province,1,0,
ONLINE_DOSSIERS,Tỷ lệ hồ sơ xử lý trực tuyến toàn trình,Dossiers handled fully online,digital,% of dossiers,% hồ sơ,monthly,weighted_mean,up,points,VPCP,national|ministry|province|commune,1,0,100
";

/// Sends `rows` with `token` and answers the status and body, whatever they are.
async fn send(app: &Running, token: &str, rows: Value) -> (StatusCode, String) {
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .bearer_auth(token)
        .json(&json!({ "observations": rows }))
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn catalogue(app: &Running) -> Value {
    app.http
        .get(format!("{}/api/v1/catalogue", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Imports a new indicator and a rename on `database_url` while `served` runs, and checks what
/// its screens, API and validation see.
async fn an_import_reaches_a_running_server(writer_db: &str, served: &Running) {
    let token = served.api_token(&["01"]).await;
    let mut ws = Live::with_token(served, &token).await;
    ws.subscribe(&["catalogue"]).await;

    // Not yet in the catalogue: a value for it is refused.
    let row =
        json!([{"indicator": "SEAFOOD_EXPORT", "unit": "01", "period": "2026-10", "value": 812.5}]);
    let (status, _) = send(served, &token, row.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let out = catalogue_import(writer_db, NEW_INDICATOR);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("1 mới, 1 thay đổi"), "{said}");

    // Open screens hear of it on the live stream.
    let m = ws
        .next_within(5)
        .await
        .expect("a catalogue update within 5 s");
    assert_eq!(m["topic"], "catalogue", "{m}");
    let changed = m["data"]["changed_indicators"].as_array().unwrap();
    assert!(changed.contains(&json!("SEAFOOD_EXPORT")), "{m}");

    // The server's own validation has the new indicator: the same value is now stored.
    let stored = served.ingest(&token, row).await;
    assert_eq!(stored["stored"], 1, "{stored}");

    // The open data, the indicator's page and search have it, and the rename.
    let body = catalogue(served).await;
    let seafood = body["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "SEAFOOD_EXPORT")
        .expect("listed");
    assert_eq!(seafood["field"], "trade");
    assert!(body["units"].as_array().unwrap().len() > 3000);
    let (_, page) = served.page("/indicators/SEAFOOD_EXPORT", None).await;
    assert!(page.contains("Kim ngạch xuất khẩu thủy sản"));
    let (_, csv) = served.page("/api/v1/catalogue/indicators.csv", None).await;
    assert!(
        csv.contains("ONLINE_DOSSIERS,Tỷ lệ hồ sơ xử lý trực tuyến toàn trình,"),
        "{csv}"
    );
    let (status, found) = served.call("search", None, &[("q", "thuy san")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(found.contains("SEAFOOD_EXPORT"), "{found}");

    // Each change is audited with what it was and what it became.
    let audit = served
        .store
        .audit_entries(&app::store::AuditQuery {
            action: Some("catalogue.indicator.update".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let entry = &audit[0].entry;
    assert_eq!(entry.target.as_deref(), Some("ONLINE_DOSSIERS"));
    assert!(
        entry
            .before
            .as_deref()
            .unwrap()
            .contains("Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến")
    );
    assert!(entry.after.as_deref().unwrap().contains("toàn trình"));
}

async fn an_import_beside_a_running_sqlite_server_takes_effect_live() {
    let app = start().await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    an_import_reaches_a_running_server(&url, &app).await;
}

async fn an_import_on_postgres_reaches_every_instance() {
    let db = TestPg::create("catalogue_two").await;
    let _a = start_with(Some(&db.url), |_| {}).await;
    let b = start_with(Some(&db.url), |_| {}).await;
    an_import_reaches_a_running_server(&db.url, &b).await;
}

async fn a_bad_file_is_refused_whole_with_every_problem_by_line() {
    let app = start().await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    let before = catalogue_export(&url, &[]);
    let bad = "code,name_vi,name_en,measure,measure_vi,periodicity,rollup,good_direction,owner,reported_by,decimals,formula
FINE_ONE,Một,One,units,đơn vị,monthly,sum,up,BTC,province,0,
FINE_ONE,Hai,Two,units,đơn vị,monthly,sum,up,BTC,province,0,
ORPHAN,Ba,Three,units,đơn vị,monthly,sum,up,BKHONG,province,0,
CIRCLE,Bốn,Four,units,đơn vị,monthly,none,up,BTC,province,0,CIRCLE * 2
GHOST,Năm,Five,units,đơn vị,monthly,none,up,BTC,province,0,EXPORT_VALUE - NOWHERE
EXPORT_VALUE,Xuất khẩu,Exports,million USD,triệu USD,quarterly,sum,up,BCT,national|province,1,
";
    let out = catalogue_import(&url, bad);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "dòng 3, cột code",
        "dòng 4, cột owner",
        "dòng 5, cột formula",
        "dòng 6, cột formula",
        "dòng 7, cột periodicity",
    ] {
        assert!(said.contains(expected), "{expected} in:\n{said}");
    }
    assert!(
        said.contains("dòng 2"),
        "the duplicate names its first line:\n{said}"
    );
    assert_eq!(catalogue_export(&url, &[]), before, "nothing changed");
    // A weight that cannot weigh: not a mean, unknown, not a sum, other periods, not reported
    // by the communes that report the mean, and a weight still in use retired.
    let weights = "code,weight,retired
EXPORT_VALUE,IMPORT_VALUE,
ONLINE_DOSSIERS,NOWHERE,
ONTIME_DOSSIERS,UNEMPLOYMENT,
UNEMPLOYMENT,DOSSIERS_RECEIVED,
EDOCS_SHARE,RETAIL_SALES,
POPULATION,,2026-12-01
";
    let out = catalogue_import(&url, weights);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "dòng 2, cột weight: Chỉ chỉ tiêu bình quân gia quyền mới có trọng số",
        "dòng 3, cột weight: Không có chỉ tiêu “NOWHERE”",
        "dòng 4, cột weight: Trọng số phải là chỉ tiêu cộng tổng",
        "dòng 5, cột weight: DOSSIERS_RECEIVED báo cáo theo tháng, UNEMPLOYMENT theo quý",
        "dòng 6, cột weight: RETAIL_SALES không được cấp bộ, cơ quan ngang bộ báo cáo",
        "dòng 7, cột retired: POPULATION là trọng số của HEALTH_INSURANCE",
    ] {
        assert!(said.contains(expected), "{expected} in:\n{said}");
    }
    assert_eq!(catalogue_export(&url, &[]), before, "nothing changed");
    // An empty file and a file of another kind say so.
    assert!(!catalogue_import(&url, "").status.success());
    let other = catalogue_import(
        &url,
        "indicator,unit,period,value\nCPI_YOY,VN,2026-10,3.1\n",
    );
    // (Read as a targets file, by its header: values are not a catalogue's.)
    let said = String::from_utf8_lossy(&other.stderr);
    assert!(
        said.contains("Cột “value” không có trong tệp loại này"),
        "{said}"
    );
    assert!(!other.status.success());
}

async fn a_retired_indicator_leaves_lists_and_forms_but_keeps_its_history() {
    let app = start().await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    let (_, overview) = app.page("/", None).await;
    assert!(overview.contains("Số vụ tai nạn giao thông"));

    // The second is the demo wall's map indicator.
    let out = catalogue_import(
        &url,
        "code,retired\nTRAFFIC_ACCIDENTS,2026-11-30\nPUBINV_DISBURSED,2026-11-30\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("2 thay đổi"), "{said}");
    // The server reads the change from the database within its poll.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;

    let (_, overview) = app.page("/", None).await;
    assert!(
        !overview.contains("Số vụ tai nạn giao thông"),
        "gone from the overview"
    );
    let page = app
        .http
        .get(format!("{}/indicators/TRAFFIC_ACCIDENTS", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        StatusCode::OK,
        "its history stays at its address"
    );
    let token = app.api_token(&["01"]).await;
    let (status, body) = send(
        &app,
        &token,
        json!([{"indicator": "TRAFFIC_ACCIDENTS", "unit": "01", "period": "2026-10", "value": 3}]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("ngừng dùng"), "{body}");
    let listed = catalogue(&app).await;
    let retired = listed["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "TRAFFIC_ACCIDENTS")
        .unwrap();
    assert!(retired["retired_at"].is_string(), "{retired}");

    // The administrator sees the wall's map indicator retired, kept as it is (not silently
    // replaced by the first of the list when the layout is saved) and asked to choose another.
    let admin = app.cookie_for("quantri").await;
    let (_, html) = app.page("/admin", Some(&admin)).await;
    assert!(html.contains("data-testid=\"map-retired\""), "{html}");
    assert!(
        html.contains("value=\"PUBINV_DISBURSED\" selected"),
        "the retired map indicator stays chosen"
    );
    assert!(html.contains("PUBINV_DISBURSED (đã ngừng sử dụng)"));

    // The wall itself no longer shows the retired indicator's map, but the first in use that
    // the provinces report.
    let address = app.demo_wall.clone().expect("the demo's wall screen");
    let opened = app
        .http
        .get(format!("{}{address}", app.base))
        .send()
        .await
        .unwrap();
    let screen = crate::common::running::cookie_named(&opened, "dieuhanh_display");
    let id = address
        .trim_start_matches("/wall/")
        .split('?')
        .next()
        .unwrap();
    let (status, body) = app.call("wall", Some(&screen), &[("display", id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let wall: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(wall["config"]["map_indicator"], "PUBINV_DISBURSED");
    assert_eq!(
        wall["map_indicator"]["code"], "GRDP_GROWTH",
        "{}",
        wall["map_indicator"]
    );
    assert_eq!(wall["map"].as_array().map(Vec::len), Some(34));
}

crate::harness::tests![
    tokio an_import_beside_a_running_sqlite_server_takes_effect_live,
    postgres an_import_on_postgres_reaches_every_instance,
    tokio a_bad_file_is_refused_whole_with_every_problem_by_line,
    tokio a_retired_indicator_leaves_lists_and_forms_but_keeps_its_history,
];
