//! Lũy kế (issue 25), on SQLite and PostgreSQL: a figure counted over the year (the nation's
//! budget revenue) is summed from January to its latest month, against the same months of last
//! year, alike in the open data (JSON and CSV, on whatever page the value falls) and on the
//! nation's card; a new month arriving through the API moves both. A rate has none.

use crate::common::running::{Running, start_with};
use crate::common::{TestPg, catalogue_import};
use app::model::i18n::Lang;
use serde_json::{Value, json};

const CODE: &str = "BUDGET_REVENUE";

/// The open data's values of the nation's budget revenue within `from`..=`to`, and `extra`.
async fn open_data(app: &Running, from: &str, to: &str, extra: &str) -> Vec<Value> {
    let url = format!(
        "{}/api/v1/observations?indicator={CODE}&unit=VN&from={from}&to={to}{extra}",
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
    body["observations"].as_array().unwrap().clone()
}

/// The overview's card of `code`.
async fn card(app: &Running, code: &str) -> String {
    let (_, page) = app.page("/", None).await;
    page.split(&format!("data-indicator=\"{code}\""))
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .unwrap_or_else(|| panic!("the {code} card: {page}"))
        .to_string()
}

/// The sum of `values` of `year` up to month `upto`.
fn sum(values: &[Value], year: i32, upto: u32) -> f64 {
    values
        .iter()
        .filter(|o| {
            let p = o["period"].as_str().unwrap();
            p.starts_with(&format!("{year}-")) && p[5..].parse::<u32>().unwrap() <= upto
        })
        .map(|o| o["value"].as_f64().unwrap())
        .sum()
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64()
        .is_some_and(|a| (a - b).abs() < 1e-6 * b.abs().max(1.0))
}

async fn the_year_is_summed_to_date(database: Option<&str>) {
    // Two years of history: last year's same months to compare with.
    let app = start_with(database, |s| s.demo_settings.years = 2).await;
    let all = open_data(&app, "2025-01", "2026-12", "").await;
    assert_eq!(all[0]["period"], "2025-01");
    let latest = all.last().unwrap().clone();
    let period = latest["period"].as_str().unwrap().to_string();
    assert!(period.starts_with("2026-"), "{latest}");
    let month: u32 = period[5..].parse().unwrap();
    assert!(month >= 2, "the demo reaches past January: {period}");

    // Every month of 2026 carries the running sum, and last year's same months.
    for o in all
        .iter()
        .filter(|o| o["period"].as_str().unwrap() < "2026")
    {
        let m: u32 = o["period"].as_str().unwrap()[5..].parse().unwrap();
        assert!(close(&o["year_to_date"], sum(&all, 2025, m)), "{o}");
    }
    for o in all
        .iter()
        .filter(|o| o["period"].as_str().unwrap() > "2026")
    {
        let m: u32 = o["period"].as_str().unwrap()[5..].parse().unwrap();
        assert!(close(&o["year_to_date"], sum(&all, 2026, m)), "{o}");
        assert!(
            close(&o["year_to_date_last_year"], sum(&all, 2025, m)),
            "{o}"
        );
    }
    // A page that begins in the middle of the year, two values long, knows the months before it.
    let page = open_data(&app, "2026-06", "2026-12", "&limit=2").await;
    assert_eq!(page.len(), 2);
    assert_eq!(page[1]["period"], "2026-07");
    assert!(close(&page[1]["year_to_date"], sum(&all, 2026, 7)));
    let url = format!(
        "{}/api/v1/observations?indicator={CODE}&unit=VN&from={period}&to={period}&format=csv",
        app.base
    );
    let csv = app
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",year_to_date,year_to_date_last_year"),
        "{csv}"
    );
    let fields: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let n = fields.len();
    assert!(
        close(
            &json!(fields[n - 2].parse::<f64>().unwrap()),
            sum(&all, 2026, month)
        ) && close(
            &json!(fields[n - 1].parse::<f64>().unwrap()),
            sum(&all, 2025, month)
        ),
        "{csv}"
    );

    // The nation's card says it as a report would, with the change on last year's same months.
    let before = sum(&all, 2026, month);
    let last = sum(&all, 2025, month);
    let words = format!(
        "Lũy kế {month} tháng năm 2026: {} tỷ đồng ({}% so với cùng kỳ)",
        Lang::Vi.number(before, 0),
        Lang::Vi.signed((before - last) / last * 100.0, 1)
    );
    let c = card(&app, CODE).await;
    assert!(
        c.contains("data-testid=\"year-to-date\"") && c.contains(&words),
        "{words} on: {c}"
    );
    // A rate is not summed.
    assert!(!card(&app, "CPI_YOY").await.contains("year-to-date"));
    let cpi = format!(
        "{}/api/v1/observations?indicator=CPI_YOY&unit=VN&from=2026-01",
        app.base
    );
    let cpi: Value = app
        .http
        .get(cpi)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(cpi["observations"][0]["year_to_date"].is_null(), "{cpi}");

    // The wall's tile says it too; with a national target for the year, its standing as well
    // (judged on the year to date), read again with the steering panel.
    let wall = app.demo_wall.clone().expect("the demo's wall");
    let wall = wall.split('?').next().unwrap().to_string();
    let leader = app.cookie_for("lanhdao").await;
    let tile = |html: String| {
        html.split(&format!("data-testid=\"tile\" data-indicator=\"{CODE}\""))
            .nth(1)
            .and_then(|rest| rest.split("</article>").next())
            .unwrap_or_else(|| panic!("the {CODE} tile: {html}"))
            .to_string()
    };
    let t = tile(app.page(&wall, Some(&leader)).await.1);
    // One line on the tile, the whole sentence in its title.
    assert!(
        t.contains(&words)
            && t.contains(&format!(
                ">Lũy kế {month} tháng: {} ({}%)<",
                Lang::Vi.number(before, 0),
                Lang::Vi.signed((before - last) / last * 100.0, 1)
            )),
        "{t}"
    );
    assert!(!t.contains("tile-standing"), "no target yet: {t}");
    let url = database
        .map(str::to_string)
        .unwrap_or_else(|| format!("sqlite://{}", app.data_dir().join("s.db").display()));
    let out = catalogue_import(
        &url,
        &format!(
            "indicator,unit,period,target,target_max\n{CODE},VN,2026,{},\n",
            last * 1.1
        ),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The running server learns of the file from the store's notice: ask until it has.
    let mut t = String::new();
    for _ in 0..50 {
        t = tile(app.page(&wall, Some(&leader)).await.1);
        if t.contains("tile-standing") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        t.contains("data-testid=\"tile-standing\"") && t.contains("Mục tiêu năm 2026: "),
        "{t}"
    );

    // The next month arrives from the ministry's system: the sum moves on by its value.
    let next = format!("2026-{:02}", month + 1);
    let value = latest["value"].as_f64().unwrap();
    let finance = app.api_token(&["VN"]).await;
    let answer = app
        .ingest(
            &finance,
            json!([{"indicator": CODE, "unit": "VN", "period": next, "value": value}]),
        )
        .await;
    assert_eq!(answer["stored"], 1, "{answer}");
    let now = open_data(&app, &next, &next, "").await;
    assert!(close(&now[0]["year_to_date"], before + value), "{now:?}");
    // The page reads through the recent values the bus refreshes after the commit (on
    // PostgreSQL, from its notice): ask until it has.
    let expected = format!(
        "Lũy kế {} tháng năm 2026: {}",
        month + 1,
        Lang::Vi.number(before + value, 0)
    );
    let mut c = String::new();
    for _ in 0..50 {
        c = card(&app, CODE).await;
        if c.contains(&expected) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(c.contains(&expected), "{c}");
}

async fn year_to_date_on_sqlite() {
    the_year_is_summed_to_date(None).await;
}

async fn year_to_date_on_postgres() {
    let db = TestPg::create("year_to_date").await;
    the_year_is_summed_to_date(Some(&db.url)).await;
}

crate::harness::tests![
    tokio year_to_date_on_sqlite,
    postgres year_to_date_on_postgres,
];
