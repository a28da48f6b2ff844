//! Targets and plans (mục tiêu, kế hoạch): set by file while the server runs, on SQLite and
//! PostgreSQL, announced on the live stream, audited line by line, changed and taken away the
//! same way; a file that breaks the rules changes nothing.

use crate::common::live::Live;
use crate::common::running::start_with;
use crate::common::{TestPg, catalogue_export, catalogue_import, refused_whole_and_round_trip};
use serde_json::json;

const HEADER: &str = "indicator,unit,period,target,target_max\n";

async fn targets_go_in_by_file_and_come_back_out(database: Option<&str>) {
    let app = start_with(database, |_| {}).await;
    let url = database
        .map(str::to_string)
        .unwrap_or_else(|| format!("sqlite://{}", app.data_dir().join("s.db").display()));
    let watcher = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &watcher).await;
    ws.subscribe(&["catalogue"]).await;

    // Hà Nội's GRDP growth for 2030 as a range with a quarterly plan; Hồ Chí Minh City's as
    // one value; the nation's exports for 2026 (the demo sets the provinces' GRDP for its year
    // and the year before, never 2030).
    let file = format!(
        "{HEADER}GRDP_GROWTH,01,2030,8.3,8.5\nGRDP_GROWTH,01,2030-Q1,7.2,\nGRDP_GROWTH,01,2030-Q2,7.6,\n\
         GRDP_GROWTH,79,2030,8.5,\nEXPORT_VALUE,VN,2026,470000,\n"
    );
    let out = catalogue_import(&url, &file);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("5 mới, 0 thay đổi"), "{said}");
    let m = ws.next_within(5).await.expect("a catalogue notice");
    assert_eq!(m["topic"], "catalogue", "{m}");
    assert_eq!(
        m["data"]["changed_targets"],
        json!([
            "GRDP_GROWTH/01/2030",
            "GRDP_GROWTH/01/2030-Q1",
            "GRDP_GROWTH/01/2030-Q2",
            "GRDP_GROWTH/79/2030",
            "EXPORT_VALUE/VN/2026"
        ]),
        "{m}"
    );
    let exported = catalogue_export(&url, &["targets"]);
    assert!(exported.starts_with(HEADER), "{exported}");
    assert!(
        exported.contains("EXPORT_VALUE,VN,2026,470000,\n"),
        "{exported}"
    );
    assert!(
        exported.contains(
            "-Q4,8,\nGRDP_GROWTH,01,2030,8.3,8.5\nGRDP_GROWTH,01,2030-Q1,7.2,\nGRDP_GROWTH,01,2030-Q2,7.6,\nGRDP_GROWTH,04,"
        ),
        "Hà Nội's 2030 after the demo's years, year then plan, before Cao Bằng's: {exported}"
    );
    // The open-data address gives the same file.
    let res = app
        .http
        .get(format!("{}/api/v1/catalogue/targets.csv", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), exported);

    // A change and a removal, each audited with what it was.
    let out = catalogue_import(
        &url,
        &format!("{HEADER}GRDP_GROWTH,79,2030,8.0,\nGRDP_GROWTH,01,2030-Q2,,\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let audit = app
        .store
        .audit_entries(&app::store::AuditQuery {
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    let target = |action: &str, key: &str| {
        audit
            .iter()
            .find(|a| a.entry.action == action && a.entry.target.as_deref() == Some(key))
            .unwrap_or_else(|| panic!("{action} {key} in the audit log"))
            .entry
            .clone()
    };
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.entry.action == "catalogue.target.create")
            .count(),
        5 + 2 * 34 * 5,
        "the demo's targets (two years of 34 provinces, a year and four quarters each) and these"
    );
    // The lines as the file writes them (PostgreSQL keeps them as jsonb, spaced its own way).
    let cell = |json: Option<String>| {
        serde_json::from_str::<serde_json::Value>(&json.expect("recorded")).unwrap()["target"]
            .clone()
    };
    let changed = target("catalogue.target.update", "GRDP_GROWTH/79/2030");
    assert_eq!(cell(changed.before), json!("8.5"));
    assert_eq!(cell(changed.after), json!("8"));
    let removed = target("catalogue.target.retire", "GRDP_GROWTH/01/2030-Q2");
    assert_eq!(cell(removed.before), json!("7.6"));
    assert_eq!(cell(removed.after), json!(""));
    let exported = catalogue_export(&url, &["targets"]);
    assert!(!exported.contains("2030-Q2"), "{exported}");
    assert!(exported.contains("GRDP_GROWTH,79,2030,8,\n"), "{exported}");
}

async fn targets_on_sqlite() {
    targets_go_in_by_file_and_come_back_out(None).await;
}

async fn targets_on_postgres() {
    let db = TestPg::create("targets").await;
    targets_go_in_by_file_and_come_back_out(Some(&db.url)).await;
}

/// A target for a unit that does not report the indicator, a plan off the indicator's
/// periods, a value outside its valid range, a range that runs downwards: refused whole, by
/// line, and nothing changes.
async fn a_bad_targets_file_is_refused_whole() {
    let app = start_with(None, |_| {}).await;
    let url = format!("sqlite://{}", app.data_dir().join("s.db").display());
    refused_whole_and_round_trip(
        &url,
        "targets",
        &format!(
            "{HEADER}GRDP_GROWTH,VN,2026,8,\nGRDP_GROWTH,01,2026-03,7,\nONLINE_DOSSIERS,01,2026,120,\n\
             GRDP_GROWTH,79,2026,9,8\nGRDP_GROWTH,01,2026,9,\n"
        ),
        &[
            "dòng 2, cột unit: Toàn quốc không báo cáo chỉ tiêu GRDP_GROWTH",
            "dòng 3, cột period: Kế hoạch theo kỳ của chỉ tiêu",
            "dòng 4, cột target: Mục tiêu 120 nằm ngoài giới hạn",
            "dòng 5, cột target_max: Khoảng mục tiêu 9–8",
        ],
    );
}

/// The demo's GRDP targets (Hà Nội: 8 % for the year, planned 7.4, 7.6, 7.8 and 8 by quarter):
/// Hà Nội's card and its indicator page say where it stands, as the model judges its latest
/// value (from the open-data API) against the plan of that quarter; the nation, which has no
/// GRDP figure, says none.
async fn a_province_says_where_it_stands_against_its_plan() {
    use app::model::target::{AT_RISK_WITHIN_DEFAULT, Goal, standing_of};
    use app::model::{GoodDirection, Period};
    let app = start_with(None, |_| {}).await;
    let body: serde_json::Value = app
        .http
        .get(format!(
            "{}/api/v1/observations?indicator=GRDP_GROWTH&unit=01",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let latest = body["observations"]
        .as_array()
        .and_then(|o| o.last())
        .unwrap_or_else(|| panic!("Hà Nội's GRDP: {body}"));
    let value = latest["value"].as_f64().unwrap();
    let period = Period::parse(latest["period"].as_str().unwrap()).unwrap();
    let Period::Quarter(year, q) = period else {
        panic!("a quarter: {period}")
    };
    let plan = [7.4, 7.6, 7.8, 8.0][usize::from(q) - 1];
    let expected = standing_of(
        value,
        Goal::value(plan),
        GoodDirection::Up,
        AT_RISK_WITHIN_DEFAULT,
    );
    let quarter = ["I", "II", "III", "IV"][usize::from(q) - 1];
    // The open data says the same of each value: the year's target, the quarter's plan, and the
    // standing judged on the values up to it; the years without targets say none.
    assert_eq!(
        (
            &latest["target"],
            &latest["target_max"],
            &latest["plan"],
            &latest["standing"]
        ),
        (
            &json!(8.0),
            &json!(null),
            &json!(plan),
            &json!(expected.as_str())
        ),
        "{latest}"
    );
    let rows = body["observations"].as_array().unwrap();
    assert!(rows.iter().all(|o| o["standing"].is_string()), "{body}");
    // Hà Nội has no export target: its exports say none.
    let exports: serde_json::Value = app
        .http
        .get(format!(
            "{}/api/v1/observations?indicator=EXPORT_VALUE&unit=01&limit=3",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let exports = exports["observations"].as_array().unwrap();
    assert!(
        !exports.is_empty()
            && exports.iter().all(|o| {
                [&o["target"], &o["target_max"], &o["plan"], &o["standing"]]
                    .iter()
                    .all(|v| v.is_null())
            }),
        "{exports:?}"
    );
    let csv = app
        .http
        .get(format!(
            "{}/api/v1/observations?indicator=GRDP_GROWTH&unit=01&format=csv",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("indicator,unit,period,value,revision,source,status,simulated,updated_at,target,target_max,plan,standing,usual_low,usual_high,year_to_date,year_to_date_last_year\n"),
        "{csv}"
    );
    let last = csv.lines().last().unwrap();
    assert!(
        last.ends_with(&format!(",8,,{plan},{},,,,", expected.as_str())),
        "{last}"
    );

    let (_, page) = app.page("/units/01", None).await;
    let card = page
        .split("data-indicator=\"GRDP_GROWTH\"")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .unwrap_or_else(|| panic!("Hà Nội's GRDP card: {page}"));
    assert!(
        card.contains(&format!("data-standing=\"{}\"", expected.as_str())),
        "{value} against {plan}: {card}"
    );
    let basis = format!(
        "Kế hoạch Quý {quarter}/{year}: {}",
        app::model::format::number_vi(plan, 2)
    );
    assert!(card.contains(&basis), "{basis} in {card}");
    let (_, page) = app.page("/indicators/GRDP_GROWTH?unit=01", None).await;
    assert!(
        page.contains(&format!("data-standing=\"{}\"", expected.as_str())),
        "{page}"
    );
    // The nation reports no GRDP and has no target for it: no standing on its card.
    let (_, page) = app.page("/units/VN", None).await;
    let card = page
        .split("data-indicator=\"GRDP_GROWTH\"")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .unwrap_or_default();
    assert!(!card.contains("data-testid=\"standing\""), "{card}");
}

/// The scorecard (`/scorecard`): the 34 provinces against the indicators with targets this
/// year (the demo's GRDP growth), each cell standing as that province's card says, units off
/// track first, each cell a link to the province's indicator page. Sorted by a column, chosen
/// columns kept in order, unknown codes dropped; the ministries have no targets and say so.
async fn the_scorecard_lists_the_provinces_worst_first() {
    let app = start_with(None, |_| {}).await;
    let (_, page) = app.page("/scorecard", None).await;
    let table = page
        .split("data-testid=\"scorecard\"")
        .nth(1)
        .unwrap_or_else(|| panic!("a scorecard: {page}"));
    assert!(table.contains("data-code=\"GRDP_GROWTH\""), "{table}");
    let rows: Vec<(&str, &str)> = table
        .split("<tr data-unit=\"")
        .skip(1)
        .map(|row| {
            let unit = row.split('"').next().unwrap();
            let standing = row
                .split("data-standing=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("none");
            (unit, standing)
        })
        .collect();
    assert_eq!(rows.len(), 34, "{rows:?}");
    // Red first: the standings never get better going down the table.
    let rank = |s: &str| match s {
        "off_track" => 0,
        "at_risk" => 1,
        "on_track" => 2,
        "cannot_judge" => 3,
        _ => 4,
    };
    assert!(
        rows.windows(2).all(|w| rank(w[0].1) <= rank(w[1].1)),
        "{rows:?}"
    );
    // Each cell says what the province's own page says.
    for (unit, standing) in rows.iter().step_by(11) {
        let (_, card) = app.page(&format!("/units/{unit}"), None).await;
        let card = card
            .split("data-indicator=\"GRDP_GROWTH\"")
            .nth(1)
            .and_then(|rest| rest.split("</article>").next())
            .unwrap_or_default();
        assert!(
            card.contains(&format!("data-standing=\"{standing}\"")),
            "{unit}: {standing} in {card}"
        );
        assert!(
            table.contains(&format!("href=\"/indicators/GRDP_GROWTH?unit={unit}\"")),
            "{unit}"
        );
    }

    // Chosen columns in the order asked, an unknown one dropped; sorted by the second.
    let (_, page) = app
        .page(
            "/scorecard?indicators=IIP_YOY,NOPE,GRDP_GROWTH&sort=GRDP_GROWTH",
            None,
        )
        .await;
    let heads: Vec<&str> = page
        .split("<th scope=\"col\" ")
        .skip(1)
        .filter_map(|h| h.split("data-code=\"").nth(1))
        .map(|h| h.split('"').next().unwrap())
        .collect();
    assert_eq!(heads, ["IIP_YOY", "GRDP_GROWTH"], "{page}");
    assert!(
        page.contains("aria-sort=\"descending\" data-code=\"GRDP_GROWTH\""),
        "{page}"
    );
    // A year no plan is for reads as this year, with no error.
    let (_, page) = app.page("/scorecard?year=262143", None).await;
    assert!(page.contains("data-testid=\"scorecard\""), "{page}");
    // The ministries have no targets: the page says so rather than showing an empty table.
    let (_, page) = app.page("/scorecard?level=ministries", None).await;
    assert!(page.contains("data-testid=\"no-columns\""), "{page}");
}

/// The wall's "at risk" panel: the provinces' figures off track, then at risk, each worst
/// first, as many as a screen holds; the first is the scorecard's first row.
async fn the_wall_lists_what_is_off_track_worst_first() {
    let app = start_with(None, |_| {}).await;
    let leader = app.cookie_for("lanhdao").await;
    let wall = app.demo_wall.clone().expect("the demo's wall");
    let id = wall
        .trim_start_matches("/wall/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (status, body) = app
        .call("wall_steering", Some(&leader), &[("display", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let steering: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows = steering["at_risk"].as_array().expect("rows");
    assert!(!rows.is_empty() && rows.len() <= 12, "{steering}");
    let key = |r: &serde_json::Value| {
        let rank = match r["cell"]["standing"].as_str() {
            Some("off_track") => 0,
            Some("at_risk") => 1,
            other => panic!("only what is off track or at risk: {other:?}"),
        };
        (rank, -r["cell"]["gap"].as_f64().unwrap())
    };
    assert!(
        rows.windows(2).all(|w| key(&w[0]) <= key(&w[1])),
        "{steering}"
    );
    let (_, page) = app.page("/scorecard", None).await;
    let first = page
        .split("data-testid=\"scorecard\"")
        .nth(1)
        .and_then(|t| t.split("<tr data-unit=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .unwrap();
    assert_eq!(rows[0]["unit"], first, "{steering}");
}

crate::harness::tests![
    tokio targets_on_sqlite,
    postgres targets_on_postgres,
    tokio a_bad_targets_file_is_refused_whole,
    tokio a_province_says_where_it_stands_against_its_plan,
    tokio the_scorecard_lists_the_provinces_worst_first,
    tokio the_wall_lists_what_is_off_track_worst_first,
];
