//! Every page kind of the drill-down, rendered whole on the server with the full demo history
//! (10 years of monthly data for every unit that reports), from the nation to a commune.

use crate::common;

use crate::common::running::start_with;

async fn every_page_kind_renders_with_ten_years_of_history() {
    let app = start_with(None, |s| s.demo_settings.years = 10).await;
    for (path, expected) in [
        ("/", "Tổng quan quốc gia"),
        ("/units/BTC", "Bộ Tài chính"),
        ("/units/01", "Thành phố Hà Nội"),
        ("/units/00070", "Phường Hoàn Kiếm"),
        (
            "/indicators/EXPORT_VALUE?unit=VN",
            "Xếp hạng tỉnh, thành phố",
        ),
        (
            "/indicators/PUBINV_DISBURSED?unit=BTC",
            "Xếp hạng bộ, cơ quan",
        ),
        ("/indicators/ONLINE_DOSSIERS?unit=01", "Xếp hạng xã, phường"),
        ("/indicators/ONLINE_DOSSIERS?unit=00070", "Phường Hoàn Kiếm"),
        (
            "/indicators/EXPORT_VALUE?unit=01&compare=79,48,92",
            "class=\"cmp-3\"",
        ),
        (
            "/indicators/CPI_YOY?unit=VN&rev=2026-10",
            "data-testid=\"history\"",
        ),
        ("/search?q=ha+noi", "data-code=\"01\""),
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains(expected), "{path}: {expected}");
        assert!(
            html.contains("data-testid=\"simulated-banner\"") || path.starts_with("/search"),
            "{path}"
        );
    }
    // Ten years of months up to the last complete one, every one in the table.
    let months = server::demo::periods(app::model::Periodicity::Monthly, common::today(), 10);
    assert!(months.len() >= 119, "ten years of months: {}", months.len());
    let (first, last) = (months.first().unwrap(), months.last().unwrap());
    let (_, html) = app
        .page(
            &format!("/indicators/EXPORT_VALUE?unit=01&from={first}&to={last}"),
            None,
        )
        .await;
    let table = html.split("data-testid=\"periods\"").nth(1).unwrap();
    let table = table.split("</tbody>").next().unwrap();
    assert_eq!(table.matches("<tr data-period=").count(), months.len());
}

crate::harness::tests![
    tokio every_page_kind_renders_with_ten_years_of_history,
];
