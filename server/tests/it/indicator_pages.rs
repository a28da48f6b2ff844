//! `/indicators/<code>`: rendered whole on the server for any unit, drilling down and back up;
//! bad codes, periods and ranges get a clear page, never a 500.

use crate::common;

use crate::common::running::start;

async fn an_indicator_page_shows_the_history_the_table_and_the_provinces_ranked() {
    let app = start().await;
    let (_, html) = app.page("/indicators/EXPORT_VALUE", None).await;
    assert!(
        html.contains("data-testid=\"chart\""),
        "the chart is in the HTML"
    );
    assert!(html.contains("Kim ngạch xuất khẩu hàng hóa"));
    // 24 periods by default, a year ago beside each, the 34 provinces ranked.
    let table = html.split("data-testid=\"periods\"").nth(1).unwrap();
    let table = table.split("</table>").next().unwrap();
    let months = app
        .store
        .observations(&app::store::ObservationQuery {
            indicator: Some("EXPORT_VALUE".into()),
            unit: Some("VN".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    assert!(months >= 6);
    assert_eq!(
        table.matches("<tr data-period=").count(),
        months.min(24),
        "every month of the demo, up to 24"
    );
    let ranking = html.split("data-testid=\"ranking\"").nth(1).unwrap();
    assert_eq!(ranking.matches("data-unit=").count(), 34);
    // Best first (exports: higher is better): Hồ Chí Minh City leads.
    let first = ranking.split("data-unit=\"").nth(1).unwrap();
    assert!(first.starts_with("79\""), "{}", &first[..40]);
    // A ranking row drills into the province, keeping the indicator; so does its map tile.
    assert!(html.contains("href=\"/indicators/EXPORT_VALUE?unit=79\""));
    let map = html
        .split("data-testid=\"tilemap\"")
        .nth(1)
        .expect("a map of the provinces");
    let map = map.split("</nav>").next().unwrap();
    assert_eq!(
        map.matches("class=\"province good").count(),
        34,
        "every tile coloured"
    );
    assert!(map.contains("href=\"/indicators/EXPORT_VALUE?unit=79\""));

    let (_, hanoi) = app
        .page("/indicators/EXPORT_VALUE?unit=01&order=name", None)
        .await;
    assert!(hanoi.contains("Thành phố Hà Nội"));
    assert!(
        hanoi.contains("href=\"/indicators/EXPORT_VALUE?unit=VN\""),
        "the breadcrumb goes back up to the nation"
    );
    let ranking = hanoi.split("data-testid=\"ranking\"").nth(1).unwrap();
    let first = ranking.split("data-unit=\"").nth(1).unwrap();
    assert!(
        first.starts_with("91\""),
        "An Giang first by name: {}",
        &first[..40]
    );

    // A range in the address is kept by every link.
    let (_, ranged) = app
        .page(
            "/indicators/EXPORT_VALUE?unit=VN&from=2026-01&to=2026-06",
            None,
        )
        .await;
    let table = ranged.split("data-testid=\"periods\"").nth(1).unwrap();
    let table = table.split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr data-period=").count(), 6);
    assert!(
        ranged
            .contains("href=\"/indicators/EXPORT_VALUE?unit=01&amp;from=2026-01&amp;to=2026-06\"")
    );

    // Indicator cards on a unit's page drill into the indicator.
    let (_, unit) = app.page("/units/01", None).await;
    assert!(unit.contains("href=\"/indicators/EXPORT_VALUE?unit=01\""));
}

async fn bad_codes_periods_and_ranges_get_a_clear_page() {
    let app = start().await;
    for (path, status, expected) in [
        ("/indicators/NO_SUCH", 404, "Không có chỉ tiêu"),
        ("/indicators/EXPORT_VALUE?unit=99", 404, "Không có đơn vị"),
        (
            "/indicators/EXPORT_VALUE?unit=%3Cscript%3E",
            422,
            "&lt;script&gt;",
        ),
        ("/indicators/EXPORT_VALUE?from=2026-13", 422, "from"),
        ("/indicators/EXPORT_VALUE?from=2026-Q1", 422, "periodicity"),
        (
            "/indicators/EXPORT_VALUE?from=1000-01&to=2026-01",
            422,
            "20",
        ),
        (
            "/indicators/EXPORT_VALUE?from=2026-06&to=2026-01",
            422,
            "from",
        ),
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains(expected), "{path}: {expected}");
        assert!(
            !body.contains("<script>"),
            "{path}: markup is shown as text"
        );
    }
}

/// The rows of the `<tbody>` of the table marked `testid`.
fn rows<'a>(html: &'a str, testid: &str) -> Vec<&'a str> {
    let table = html
        .split(&format!("data-testid=\"{testid}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no {testid} table"));
    let body = table.split("<tbody>").nth(1).unwrap();
    let body = body.split("</tbody>").next().unwrap();
    body.split("<tr").skip(1).collect()
}

/// The value of the first row of the ranking, as the page writes it.
fn first_ranked_value(html: &str) -> &str {
    rows(html, "ranking")[0]
        .split("<td class=\"num\">")
        .nth(2)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
}

async fn up_to_four_units_compare_on_one_chart_and_more_are_refused() {
    let app = start().await;
    let (_, html) = app
        .page("/indicators/EXPORT_VALUE?unit=01&compare=79,48", None)
        .await;
    let chips = html.split("data-testid=\"compared\"").nth(1).unwrap();
    let chips = chips.split("</ul>").next().unwrap();
    assert!(chips.contains("data-unit=\"79\"") && chips.contains("data-unit=\"48\""));
    assert!(
        html.contains("class=\"cmp-1\"") && html.contains("class=\"cmp-2\""),
        "two more lines on the chart"
    );
    // Each compared unit gets a column in the table of periods, filled.
    let first = rows(&html, "periods")[0];
    assert_eq!(
        first.matches("<td class=\"num\">").count(),
        3 + 2,
        "{first}"
    );
    // Removing one keeps the other; adding is offered while fewer than four are shown.
    assert!(html.contains("href=\"/indicators/EXPORT_VALUE?unit=01&amp;compare=48\""));
    assert!(html.contains("compare=79,48,92"), "a fourth can be added");
    let (_, full) = app
        .page("/indicators/EXPORT_VALUE?unit=01&compare=79,48,92", None)
        .await;
    assert!(!full.contains("data-testid=\"compare-add\""), "no fifth");
    // The unit itself, repeats and order do not count twice.
    let (_, same) = app
        .page("/indicators/EXPORT_VALUE?unit=01&compare=01,79,79", None)
        .await;
    assert!(same.contains("compare=79\"") || same.contains("compare=79&amp;"));
    assert!(!same.contains("class=\"cmp-2\""));

    let five = "/indicators/EXPORT_VALUE?unit=01&compare=79,48,92,31";
    let many = format!(
        "/indicators/EXPORT_VALUE?compare={}",
        (0..500)
            .map(|i| format!("{:02}", i % 100))
            .collect::<Vec<_>>()
            .join(",")
    );
    for (path, status, expected) in [
        (five, 422, "tối đa 4"),
        (many.as_str(), 422, "tối đa 4"),
        (
            "/indicators/EXPORT_VALUE?compare=77",
            422,
            "không có đơn vị",
        ),
        ("/indicators/EXPORT_VALUE?compare=%3Cb%3E", 422, "&lt;b&gt;"),
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains(expected), "{path}: {expected}");
    }
}

async fn every_revision_of_a_value_is_shown_on_request_with_its_source() {
    use app::model::{NewObservation, Period, Source};
    use app::store::AuditEntry;
    let app = start().await;
    let period = Period::parse("2026-10").unwrap();
    let revised = NewObservation {
        indicator: "EXPORT_VALUE".into(),
        unit: "01".into(),
        period,
        value: 4321.5,
        note: Some("Số liệu chính thức <b>đã điều chỉnh</b>".into()),
        source_ref: Some("Báo cáo 123/BC-UBND".into()),
        outlier: None,
    };
    app.store
        .store_observations(&[revised], Source::Api, &AuditEntry::system("test", "01"))
        .await
        .unwrap();
    let (_, plain) = app.page("/indicators/EXPORT_VALUE?unit=01", None).await;
    assert!(
        !plain.contains("data-testid=\"history\""),
        "only on request"
    );
    assert!(
        plain.contains("rev=2026-10#history"),
        "each period offers its history"
    );

    let (_, html) = app
        .page("/indicators/EXPORT_VALUE?unit=01&rev=2026-10", None)
        .await;
    let history = rows(&html, "history");
    assert_eq!(history.len(), 2, "the demo value and the correction");
    assert!(
        history[0].contains("4.321,5"),
        "newest first: {}",
        history[0]
    );
    assert!(history[0].contains("Hệ thống báo cáo quốc gia"));
    assert!(history[0].contains("Báo cáo 123/BC-UBND"));
    assert!(
        history[0].contains("&lt;b&gt;đã điều chỉnh&lt;/b&gt;"),
        "markup in a note is text"
    );
    assert!(history[1].contains("Lịch sử mô phỏng"));

    let res = app
        .http
        .get(format!(
            "{}/indicators/EXPORT_VALUE?unit=01&rev=2026-Q3",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
}

async fn a_province_ranks_its_communes_and_a_commune_leads_back_up() {
    let app = start().await;
    let (_, html) = app.page("/indicators/ONLINE_DOSSIERS?unit=01", None).await;
    assert!(html.contains("Xếp hạng xã, phường · Thành phố Hà Nội"));
    let ranking = rows(&html, "ranking");
    assert_eq!(ranking.len(), 126, "the 126 communes and wards of Hà Nội");
    assert!(html.contains("href=\"/indicators/ONLINE_DOSSIERS?unit=00070\""));

    let (_, commune) = app
        .page("/indicators/ONLINE_DOSSIERS?unit=00070", None)
        .await;
    assert!(commune.contains("Phường Hoàn Kiếm"));
    let crumbs = commune.split("class=\"breadcrumb\"").nth(1).unwrap();
    let crumbs = crumbs.split("</nav>").next().unwrap();
    assert!(crumbs.contains("href=\"/indicators/ONLINE_DOSSIERS?unit=VN\""));
    assert!(crumbs.contains("href=\"/indicators/ONLINE_DOSSIERS?unit=01\""));
    // The commune among its peers, marked.
    let ranking = rows(&commune, "ranking");
    assert_eq!(ranking.len(), 126);
    assert_eq!(
        ranking
            .iter()
            .filter(|r| r.contains("class=\"here\""))
            .count(),
        1
    );
    // Its own page lists the indicators communes report.
    let (_, unit) = app.page("/units/00070", None).await;
    assert!(unit.contains("href=\"/indicators/ONLINE_DOSSIERS?unit=00070\""));
}

async fn search_finds_units_and_indicators_without_diacritics_and_by_code() {
    let app = start().await;
    for q in ["ha+noi", "H%C3%A0+N%E1%BB%99i", "HA+NOI", "01"] {
        let (_, html) = app.page(&format!("/search?q={q}"), None).await;
        let hits = html
            .split("data-testid=\"hits\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{q}: no hits"));
        let first = hits.split("data-code=\"").nth(1).unwrap();
        assert!(first.starts_with("01\""), "{q}: {}", &first[..20]);
    }
    let (_, html) = app.page("/search?q=hoan+kiem", None).await;
    assert!(
        html.contains("href=\"/units/00070\""),
        "communes too, with their province"
    );
    let (_, html) = app.page("/search?q=EXPORT_VALUE", None).await;
    assert!(html.contains("href=\"/indicators/EXPORT_VALUE?unit=VN\""));
    let (_, html) = app.page("/search?q=xuat+khau", None).await;
    assert!(html.contains("data-code=\"EXPORT_VALUE\""));

    let res = app
        .http
        .get(format!(
            "{}/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("data-testid=\"no-hits\""));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
}

async fn what_is_on_screen_downloads_as_csv_and_as_an_image() {
    let app = start().await;
    let get = |path: &str| app.http.get(format!("{}{path}", app.base)).send();
    let res = get("/indicators/EXPORT_VALUE/data.csv?unit=01&from=2026-01&to=2026-06&compare=79")
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("EXPORT_VALUE-01.csv")
    );
    let body = res.text().await.unwrap();
    let body = body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "indicator,unit,unit_name,period,value,year_ago,simulated,recomputed,explanations,notes"
    );
    assert_eq!(
        lines.len(),
        1 + 6 + 6,
        "six months of Hà Nội and of Hồ Chí Minh City"
    );
    assert!(lines[1].starts_with("EXPORT_VALUE,01,Thành phố Hà Nội,2026-01,"));
    assert!(
        lines[1].ends_with(",false,,"),
        "not recomputed, not asked about, no note: {}",
        lines[1]
    );

    let res = get("/indicators/EXPORT_VALUE/ranking.csv?period=2026-10&order=name")
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 1 + 34);
    assert!(
        lines[1].starts_with("1,EXPORT_VALUE,91,An Giang,2026-10,"),
        "{}",
        lines[1]
    );

    let res = get("/indicators/EXPORT_VALUE/chart.svg?unit=01&compare=79")
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("a well-formed SVG document");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(svg.contains("Kim ngạch xuất khẩu hàng hóa · Thành phố Hà Nội"));
    assert!(
        svg.contains("class=\"cmp-1\""),
        "the compared unit is drawn"
    );
    assert!(svg.contains("DỮ LIỆU MÔ PHỎNG"));

    for (path, status) in [
        ("/indicators/NO_SUCH/data.csv", 404),
        (
            "/indicators/EXPORT_VALUE/chart.svg?from=1000-01&to=2026-01",
            422,
        ),
        (
            "/indicators/EXPORT_VALUE/ranking.csv?unit=%3Cscript%3E",
            422,
        ),
    ] {
        let res = get(path).await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{path}");
        assert!(res.text().await.unwrap().len() < 300);
    }
}

async fn english_is_a_switch_that_stays_and_numbers_follow_it() {
    let app = start().await;
    let res = app
        .http
        .get(format!(
            "{}/lang/en?back=%2Findicators%2FEXPORT_VALUE%3Funit%3DVN",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        common::running::location(&res),
        "/indicators/EXPORT_VALUE?unit=VN"
    );
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=en;") && cookie.contains("Max-Age=31536000"));

    let (_, html) = app
        .page("/indicators/EXPORT_VALUE?unit=VN", Some("lang=en"))
        .await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("<h1 data-testid=\"indicator-name\">Merchandise exports</h1>"));
    assert!(html.contains("Provinces ranked"));
    let value = first_ranked_value(&html);
    assert!(
        value.contains(',') && value.contains('.'),
        "1,234.5 in English: {value}"
    );
    assert!(html.contains("Oct 2026"));

    let (_, vi) = app.page("/indicators/EXPORT_VALUE?unit=VN", None).await;
    assert!(vi.contains("<html lang=\"vi\""));
    let value = first_ranked_value(&vi);
    assert!(
        value.contains('.') && value.contains(','),
        "1.234,5 in Vietnamese: {value}"
    );
    assert!(vi.contains("Tháng 10/2026"));

    let (_, overview) = app.page("/", Some("lang=en")).await;
    assert!(overview.contains("National overview"));
    // Only this site's paths are followed back.
    let res = app
        .http
        .get(format!(
            "{}/lang/vi?back=https%3A%2F%2Fevil.example%2F",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(common::running::location(&res), "/");
    let res = app
        .http
        .get(format!("{}/lang/fr", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
}

crate::harness::tests![
    tokio an_indicator_page_shows_the_history_the_table_and_the_provinces_ranked,
    tokio bad_codes_periods_and_ranges_get_a_clear_page,
    tokio up_to_four_units_compare_on_one_chart_and_more_are_refused,
    tokio every_revision_of_a_value_is_shown_on_request_with_its_source,
    tokio a_province_ranks_its_communes_and_a_commune_leads_back_up,
    tokio search_finds_units_and_indicators_without_diacritics_and_by_code,
    tokio what_is_on_screen_downloads_as_csv_and_as_an_image,
    tokio english_is_a_switch_that_stays_and_numbers_follow_it,
];
