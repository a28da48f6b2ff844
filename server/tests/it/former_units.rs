//! Units over time: the provinces merged on 1 July 2025 are still found by the names people
//! say and the addresses they kept, and lead to their successors, which say so; a merger an
//! administrator records ahead of its day changes nothing before it and everything from it (on
//! SQLite and PostgreSQL); a bad reorganisation file changes nothing.

use crate::common::live::Live;
use crate::common::running::{Running, location, start, start_again, start_with};
use crate::common::{TestPg, catalogue_export, catalogue_import, refused_whole_and_round_trip};
use reqwest::StatusCode;
use serde_json::json;

async fn a_former_province_leads_to_its_successor() {
    let app = start().await;
    // An old address (Bà Rịa - Vũng Tàu's 77, a code no unit uses now) goes to the successor.
    let res = app
        .http
        .get(format!("{}/units/77", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 307);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/units/79?former=77"
    );
    let (_, page) = app.page("/units/79?former=77", None).await;
    assert!(page.contains("data-testid=\"former-banner\""), "{page}");
    assert!(
        page.contains(
            "Tỉnh Bà Rịa - Vũng Tàu (mã 77), từ 01/07/2025 nay thuộc Thành phố Hồ Chí Minh"
        ),
        "the banner says where it went"
    );
    assert!(
        page.contains("Tỉnh Bình Dương (74)"),
        "and the city says what it includes"
    );

    // A former code in use again (Yên Bái's 15) is the current unit's: no redirect.
    let res = app
        .http
        .get(format!("{}/units/15", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("Lào Cai"));

    // Search by the former name, with or without diacritics, and by the abbreviations people type.
    for q in ["Kiên Giang", "kien%20giang"] {
        let (_, page) = app.page(&format!("/search?q={q}"), None).await;
        assert!(page.contains("nay thuộc An Giang"), "{q}: {page}");
        assert!(page.contains("/units/91?former=91"), "{q}");
    }
    let (_, page) = app.page("/search?q=TP.HCM", None).await;
    assert!(page.contains("href=\"/units/79\""), "{page}");
}

/// The first day of the month after next: a merger recorded ahead of its day.
fn day_ahead() -> chrono::NaiveDate {
    use app::model::{Period, Periodicity};
    Period::containing(Periodicity::Monthly, crate::common::today())
        .next()
        .next()
        .start()
}

/// Sends one value of `indicator` with `token`; the status and body, whatever they are.
async fn send_value(
    app: &Running,
    token: &str,
    (indicator, unit, period, value): (&str, &str, &str, f64),
) -> (StatusCode, String) {
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .bearer_auth(token)
        .json(&json!({ "observations": [
            {"indicator": indicator, "unit": unit, "period": period, "value": value}
        ]}))
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Sends a share of dossiers settled on time for `unit`.
async fn send(app: &Running, token: &str, unit: &str, period: &str) -> (StatusCode, String) {
    send_value(app, token, ("ONTIME_DOSSIERS", unit, period, 97.5)).await
}

/// The body of `GET path`.
async fn text(app: &Running, path: &str) -> String {
    let res = app.http.get(format!("{}{path}", app.base)).send().await;
    res.unwrap().text().await.unwrap()
}

/// An administrator records, on the units page's form, that two wards of Hà Nội merge into a
/// new one from a day ahead; until that day nothing changes but the record, and from it pages,
/// search, old addresses and the API use the new ward, while what was recorded before stays.
async fn a_merger_recorded_ahead_takes_effect_on_its_day(database: Option<&str>) {
    let app = start_with(database, |_| {}).await;
    let url = database
        .map(str::to_string)
        .unwrap_or_else(|| format!("sqlite://{}", app.data_dir().join("s.db").display()));
    let day = day_ahead();
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let admin = app.cookie_for("quantri").await;
    let watcher = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &watcher).await;
    ws.subscribe(&["catalogue"]).await;

    // A province cannot be merged on the form while its communes stay: the file is for that.
    let (_, said) = app
        .call(
            "units_merge",
            Some(&admin),
            &[
                ("former", "01"),
                ("successor", "79"),
                ("effective", &day.to_string()),
            ],
        )
        .await;
    assert!(
        said.contains("Refused") && said.contains("đơn vị trực thuộc"),
        "{said}"
    );

    let (status, said) = app
        .call(
            "units_merge",
            Some(&admin),
            &[
                ("former", "00070|00073"),
                ("successor", "99970"),
                ("name_vi", "Phường Hồ Gươm"),
                ("name_en", ""),
                ("parent", ""),
                ("effective", &day.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{said}");
    assert!(said.contains("Done") && said.contains("99970"), "{said}");
    let m = ws.next_within(5).await.expect("a catalogue notice");
    assert_eq!(m["topic"], "catalogue", "{m}");
    assert_eq!(
        m["data"]["changed_units"],
        json!(["00070", "00073", "99970"]),
        "{m}"
    );
    // A token for the reporting system that writes for the three wards.
    let token = app.api_token(&["00070", "00073", "99970"]).await;
    let audit = app
        .store
        .audit_entries(&app::store::AuditQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .filter(|a| a.entry.action.starts_with("catalogue.unit."))
        .map(|a| a.entry.action.as_str())
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert!(actions.contains(&"catalogue.unit.create"), "{actions:?}");

    // Before the day: the ward is still Hoàn Kiếm, saying what is coming; the new one is not
    // on Hà Nội's page and reports nothing yet; the former one still reports this month.
    let dmy = day.format("%d/%m/%Y").to_string();
    let (_, page) = app.page("/units/00070", None).await;
    assert!(page.contains("data-testid=\"successors\""), "{page}");
    assert!(
        page.contains(&format!("Đơn vị kết thúc từ ngày {dmy}")),
        "{page}"
    );
    assert!(page.contains("Phường Hồ Gươm"), "{page}");
    let (_, hanoi) = app.page("/units/01", None).await;
    // (The wards listed under Hà Nội carry `data-unit`.)
    assert!(hanoi.contains("data-unit=\"00070\"") && !hanoi.contains("data-unit=\"99970\""));
    let this_month = month(crate::common::today());
    let (status, said) = send(&app, &token, "00070", &this_month).await;
    assert_eq!(status, StatusCode::OK, "{said}");
    let (status, said) = send(&app, &token, "99970", &this_month).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{said}");
    assert!(said.contains(&format!("bắt đầu từ ngày {dmy}")), "{said}");
    let (status, said) = send(&app, &token, "00070", &month(day)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{said}");
    assert!(said.contains(&format!("kết thúc từ ngày {dmy}")), "{said}");

    // A count the wards report, added up by the rollup: both wards send this month's.
    let out = catalogue_import(
        &url,
        "code,name_vi,name_en,field,measure,measure_vi,periodicity,rollup,good_direction,change,owner,reported_by,decimals
WARD_HOUSEHOLDS,Số hộ gia đình,Households,society,households,hộ,monthly,sum,none,percent,VPCP,commune,0
",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = ws
        .next_within(5)
        .await
        .expect("the new indicator reaches the server");
    assert_eq!(
        m["data"]["changed_indicators"],
        json!(["WARD_HOUSEHOLDS"]),
        "{m}"
    );
    for (unit, value) in [("00070", 1200.0), ("00073", 800.0)] {
        let (status, said) =
            send_value(&app, &token, ("WARD_HOUSEHOLDS", unit, &this_month, value)).await;
        assert_eq!(status, StatusCode::OK, "{said}");
    }

    // The record is in the units file.
    let exported = catalogue_export(&url, &["units"]);
    assert!(
        exported.contains(&format!(
            "00070,commune,Phường Hoàn Kiếm,,01,,{day},99970\n"
        )),
        "{}",
        &exported[..400]
    );
    assert!(exported.contains(&format!("99970,commune,Phường Hồ Gươm,,01,{day},,\n")));

    // The day comes (the server started again with its clock a few days past it).
    let _kept = app.stop_and_keep();
    let later = start_again(&url, |s| {
        s.clock = app::clock::Clock::on(day + chrono::Days::new(3))
    })
    .await;
    let res = later
        .http
        .get(format!("{}/units/00070", later.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 307);
    assert_eq!(location(&res), "/units/99970?former=00070");
    let (_, page) = later.page("/units/99970?former=00070", None).await;
    assert!(
        page.contains(&format!(
            "Phường Hoàn Kiếm (mã 00070), từ {dmy} nay thuộc Phường Hồ Gươm"
        )),
        "{page}"
    );
    assert!(
        page.contains("href=\"/units/00070?history\""),
        "the former ward's history: {page}"
    );
    let (_, page) = later.page("/units/00070?history", None).await;
    assert!(page.contains("data-testid=\"successors\""), "{page}");
    let (_, hanoi) = later.page("/units/01", None).await;
    assert!(hanoi.contains("data-unit=\"99970\"") && !hanoi.contains("data-unit=\"00070\""));
    let (_, found) = later.page("/search?q=hoan%20kiem", None).await;
    assert!(found.contains("/units/99970?former=00070"), "{found}");
    let (status, said) = send(&later, &token, "99970", &month(day)).await;
    assert_eq!(status, StatusCode::OK, "{said}");
    let (status, _) = send(&later, &token, "00070", &month(day)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The new ward's series runs back through the two it took over, summed, and says so.
    let (status, said) = send_value(
        &later,
        &token,
        ("WARD_HOUSEHOLDS", "99970", &month(day), 2100.0),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{said}");
    let csv = text(&later, "/indicators/WARD_HOUSEHOLDS/data.csv?unit=99970").await;
    assert!(
        csv.contains(&format!(
            "99970,Phường Hồ Gươm,{this_month},2000,,false,true,,\n"
        )),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("99970,Phường Hồ Gươm,{},2100,", month(day))),
        "{csv}"
    );
    assert!(csv.trim_end().ends_with(",false,false,,"), "{csv}");
    let (_, page) = later
        .page("/indicators/WARD_HOUSEHOLDS?unit=99970", None)
        .await;
    assert!(
        page.contains("cộng số liệu của Phường Hoàn Kiếm, Phường Cửa Nam"),
        "{page}"
    );
    // Its former ward's page keeps its own.
    let csv = text(&later, "/indicators/WARD_HOUSEHOLDS/data.csv?unit=00070").await;
    assert!(
        csv.contains(&format!("00070,Phường Hoàn Kiếm,{this_month},1200,")),
        "{csv}"
    );

    // What Hoàn Kiếm reported before the day is still its own.
    let (status, _) = send(&later, &token, "00070", &this_month).await;
    assert_eq!(status, StatusCode::OK);

    // The new ward has values from its first month: its start cannot be moved past them.
    let moved = format!("code,started\n99970,{}\n", day + chrono::Days::new(31));
    let out = catalogue_import(&url, &moved);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!(
            "dòng 2, cột started: Đã có số liệu của kỳ bắt đầu ngày {dmy}"
        )),
        "{said}"
    );
}

async fn a_merger_on_sqlite() {
    a_merger_recorded_ahead_takes_effect_on_its_day(None).await;
}

async fn a_merger_on_postgres() {
    let db = TestPg::create("units").await;
    a_merger_recorded_ahead_takes_effect_on_its_day(Some(&db.url)).await;
}

/// A reorganisation file with a successor that does not exist, or a day already passed for a
/// unit with values after it, is refused whole, by line, and nothing changes; the units file
/// as exported reads back unchanged.
async fn a_bad_units_file_is_refused_whole() {
    let app = start().await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    let before = catalogue_export(&url, &["units"]);
    assert!(before.starts_with("code,kind,name_vi,name_en,parent,started,ended,successors\n"));
    let bad = "code,kind,name_vi,parent,ended,successors
00070,commune,Phường Hoàn Kiếm,01,2027-03-01,99999
00073,commune,Phường Cửa Nam,01,2026-06-01,00070
99971,commune,Phường Mới,00004,,
";
    refused_whole_and_round_trip(
        &url,
        "units",
        bad,
        &[
            "dòng 2, cột successors: không có đơn vị kế thừa mã “99999”",
            "dòng 3, cột ended: Đã có số liệu của kỳ bắt đầu ngày",
            "dòng 4, cột parent:",
        ],
    );
}

crate::harness::tests![
    tokio a_former_province_leads_to_its_successor,
    tokio a_merger_on_sqlite,
    postgres a_merger_on_postgres,
    tokio a_bad_units_file_is_refused_whole,
];
