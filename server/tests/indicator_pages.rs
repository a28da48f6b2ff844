//! `/indicators/<code>`: rendered whole on the server for any unit, drilling down and back up;
//! bad codes, periods and ranges get a clear page, never a 500.

mod common;

use common::running::start;

#[tokio::test]
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
        table.matches("<tr>").count(),
        1 + months.min(24),
        "a header and every month of the demo, up to 24"
    );
    let ranking = html.split("data-testid=\"ranking\"").nth(1).unwrap();
    assert_eq!(ranking.matches("data-unit=").count(), 34);
    // Best first (exports: higher is better): Hồ Chí Minh City leads.
    let first = ranking.split("data-unit=\"").nth(1).unwrap();
    assert!(first.starts_with("79\""), "{}", &first[..40]);
    // A ranking row drills into the province, keeping the indicator.
    assert!(html.contains("href=\"/indicators/EXPORT_VALUE?unit=79\""));

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
    assert_eq!(table.matches("<tr>").count(), 1 + 6);
    assert!(
        ranged
            .contains("href=\"/indicators/EXPORT_VALUE?unit=01&amp;from=2026-01&amp;to=2026-06\"")
    );

    // Indicator cards on a unit's page drill into the indicator.
    let (_, unit) = app.page("/units/01", None).await;
    assert!(unit.contains("href=\"/indicators/EXPORT_VALUE?unit=01\""));
}

#[tokio::test]
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
