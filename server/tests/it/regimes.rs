//! Reporting regimes as data: an administrator adds a regime while the centre runs, and open
//! screens hear of it; the officers it names owe its reports from the day it is in force, on
//! their desk and in its own form, while others do not; an approved report locks only the
//! values it carries (SQLite and PostgreSQL). A bad regimes file is refused whole, by line, and
//! the file goes out and comes back unchanged.

use crate::common::live::Live;
use crate::common::running::{Running, start, start_with};
use crate::common::{TestPg, catalogue_export, refused_whole_and_round_trip};
use app::model::report::EntryForm;
use reqwest::StatusCode;
use serde_json::{Value, json};

const PILOT: &str = "BL-THI-DIEM";
const PILOT_NAME: &str = "Báo cáo thí điểm bán lẻ và doanh nghiệp hằng tháng";

/// The regimes page's form for the pilot regime: Hà Nội and Hồ Chí Minh City report retail
/// sales and new enterprises monthly, in force from `from`.
fn pilot(from: &str) -> Vec<(&'static str, String)> {
    vec![
        ("new", "1".into()),
        ("code", PILOT.into()),
        ("name_vi", PILOT_NAME.into()),
        (
            "name_en",
            "Monthly retail and enterprise pilot report".into(),
        ),
        (
            "legal_basis",
            "Quyết định thí điểm của Văn phòng Chính phủ".into(),
        ),
        ("periodicity", "monthly".into()),
        ("kinds", "province".into()),
        ("units", "01|79".into()),
        ("cutoff_day", "14".into()),
        ("deadline_working_days", "2".into()),
        ("indicators", "RETAIL_SALES|NEW_ENTERPRISES".into()),
        ("in_force_from", from.into()),
    ]
}

async fn post(
    app: &Running,
    endpoint: &str,
    cookie: &str,
    form: &[(&str, String)],
) -> (StatusCode, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(endpoint, Some(cookie), &pairs).await
}

async fn a_regime_added_while_running_reaches_desks_forms_and_the_lock(app: Running) {
    let admin = app.cookie_for("quantri").await;
    let hanoi = app.cookie_for("canbo.hanoi").await;
    let token = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &token).await;
    ws.subscribe(&["catalogue"]).await;

    // In force from two months back: the months due since then are owed, not the year before.
    let today = crate::common::today();
    let from = today - chrono::Months::new(2);
    let (status, body) = post(&app, "regime_save", &admin, &pilot(&from.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Done") && body.contains(PILOT), "{body}");
    let m = ws
        .next_within(5)
        .await
        .expect("a catalogue notice within 5 s");
    assert_eq!(m["topic"], "catalogue", "{m}");
    assert!(
        m["data"]["changed_regimes"]
            .as_array()
            .unwrap()
            .contains(&json!(PILOT)),
        "{m}"
    );

    // Hà Nội's officer owes it, for the months due since it is in force and no earlier; the
    // Ministry of Finance's officer does not (the regime is the provinces').
    let (_, desk) = app.page("/entry", Some(&hanoi)).await;
    assert!(
        desk.contains(PILOT_NAME),
        "the regime by its name on Hà Nội's desk"
    );
    let owed: Vec<String> = desk
        .split("data-testid=\"owed\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap()
        .split("data-period=\"")
        .skip(1)
        .filter(|row| row.contains(&format!("data-regime=\"{PILOT}\"")))
        .map(|row| row.chars().take_while(|c| *c != '"').collect())
        .collect();
    assert!(
        (1..=3).contains(&owed.len()),
        "the months due since {from}, not a year of them: {owed:?}"
    );
    let btc = app.cookie_for("canbo.btc").await;
    let (_, other) = app.page("/entry", Some(&btc)).await;
    assert!(other.contains("data-unit=\"BTC\"") && !other.contains(PILOT_NAME));

    // Its form carries its indicators only; the unit's monthly report is another regime, and
    // a month's address without a regime says which to choose.
    let month = app::model::reporting::ReportingRules::default()
        .period_on(app::model::Periodicity::Monthly, today)
        .prev();
    let form_of = async |regime: &str| {
        app.call(
            "entry_form",
            Some(&hanoi),
            &[
                ("regime", regime),
                ("unit", "01"),
                ("period", &month.to_string()),
            ],
        )
        .await
    };
    let (status, body) = form_of(PILOT).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let form: EntryForm = serde_json::from_str(&body).unwrap();
    let codes: Vec<&str> = form
        .rows
        .iter()
        .map(|r| r.indicator.code.as_str())
        .collect();
    assert_eq!(codes, ["RETAIL_SALES", "NEW_ENTERPRISES"]);
    assert_eq!(form.regime_name_vi, PILOT_NAME);
    let (status, body) = form_of("").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(
        body.contains(PILOT) && body.contains("KTXH-THANG"),
        "{body}"
    );
    let (_, page) = app
        .page(&format!("/entry/01/{month}?regime={PILOT}"), Some(&hanoi))
        .await;
    assert!(
        page.contains(PILOT_NAME),
        "the form's page names its regime"
    );

    // Submitted and approved: the values it carries are locked against the API; another value
    // of Hà Nội for the same month is not.
    let inputs: Vec<Value> = form
        .rows
        .iter()
        .map(|r| {
            let v = r.previous.or(r.year_ago).unwrap_or(10.0);
            json!({"indicator": r.indicator.code, "value": v.to_string(), "note": ""})
        })
        .collect();
    let call = async |endpoint: &str, cookie: &str, body: Value| {
        let res = app
            .http
            .post(format!("{}/fn/{endpoint}", app.base))
            .header("origin", &app.base)
            .header("cookie", cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    };
    let (status, body) = call(
        "entry_save",
        &hanoi,
        json!({"regime": PILOT, "unit": "01", "period": month.to_string(), "version": 0, "inputs": inputs, "submit": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("saved"), "{body}");
    let approver = app.cookie_for("pheduyet.hanoi").await;
    let (status, body) = app
        .call(
            "entry_decide",
            Some(&approver),
            &[
                ("regime", PILOT),
                ("unit", "01"),
                ("period", &month.to_string()),
                ("version", "1"),
                ("decision", "approve"),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored = app
        .store
        .report(PILOT, "01", &month)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, app::model::report::ReportStatus::Approved);
    assert!(
        app.store
            .report("KTXH-THANG", "01", &month)
            .await
            .unwrap()
            .is_none(),
        "the monthly socio-economic report is another report"
    );
    let write = |indicator: &str| json!([{"indicator": indicator, "unit": "01", "period": month.to_string(), "value": 1234.0}]);
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .bearer_auth(&token)
        .json(&json!({ "observations": write("RETAIL_SALES") }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("khóa"));
    let stored = app.ingest(&token, write("EXPORT_VALUE")).await;
    assert_eq!(
        stored["stored"], 1,
        "a value the report does not carry: {stored}"
    );

    // The open data lists it; the audit log has it, before and after.
    let (_, csv) = app.page("/api/v1/catalogue/regimes.csv", None).await;
    assert!(csv.contains(&format!("{PILOT},{PILOT_NAME},")), "{csv}");
    let audit = app
        .store
        .audit_entries(&app::store::AuditQuery {
            action: Some("catalogue.regime.create".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit[0].entry.target.as_deref(), Some(PILOT));
    assert_eq!(audit[0].entry.actor, "quantri");

    // Its periodicity is fixed now that a report was made under it.
    let mut change = pilot(&from.to_string());
    change[0].1 = String::new();
    change[5].1 = "quarterly".into();
    change[10].1 = "UNEMPLOYMENT".into();
    let (_, body) = post(&app, "regime_save", &admin, &change).await;
    assert!(
        body.contains("Refused") && body.contains("không đổi được kỳ báo cáo"),
        "{body}"
    );
}

async fn a_regime_added_on_sqlite() {
    a_regime_added_while_running_reaches_desks_forms_and_the_lock(start().await).await;
}

async fn a_regime_added_on_postgres() {
    let db = TestPg::create("regimes").await;
    a_regime_added_while_running_reaches_desks_forms_and_the_lock(
        start_with(Some(&db.url), |_| {}).await,
    )
    .await;
}

async fn a_bad_regimes_file_is_refused_whole_and_a_good_one_goes_round_unchanged() {
    let app = start().await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    let before = catalogue_export(&url, &["regimes"]);
    assert!(before.starts_with("code,name_vi,name_en,legal_basis,periodicity,kinds,"));
    assert!(before.contains("KTXH-THANG,") && before.contains("GNDTC-TUAN,"));

    let bad = "code,name_vi,name_en,legal_basis,periodicity,kinds,units,cutoff_day,deadline_working_days,indicators
KTXH-THANG,Báo cáo tháng,Monthly,Nghị định 09/2019/NĐ-CP,monthly,province,,32,2,EXPORT_VALUE
MOI,Chế độ mới,New,Quyết định 1,monthly,province,99,14,2,EXPORT_VALUE
MOI,Chế độ mới lần hai,New again,Quyết định 1,monthly,province,,14,2,EXPORT_VALUE
TRONG,Chế độ trống,Empty,Quyết định 2,monthly,province,,14,2,
QUY,Chế độ quý,Quarterly,Quyết định 3,quarterly,province,,14,2,EXPORT_VALUE|HEALTH_INSURANCE
";
    refused_whole_and_round_trip(
        &url,
        "regimes",
        bad,
        &[
            "dòng 2, cột cutoff_day",
            "dòng 3, cột units: Không có đơn vị mã “99”",
            "dòng 4, cột code: Mã “MOI” đã có ở dòng 3",
            "dòng 5, cột indicators",
            "dòng 6, cột indicators: chỉ tiêu EXPORT_VALUE báo cáo theo kỳ tháng",
            "dòng 6, cột indicators: chỉ tiêu HEALTH_INSURANCE báo cáo theo kỳ năm",
        ],
    );
}

crate::harness::tests![
    tokio a_regime_added_on_sqlite,
    tokio a_regime_added_on_postgres,
    tokio a_bad_regimes_file_is_refused_whole_and_a_good_one_goes_round_unchanged,
];
