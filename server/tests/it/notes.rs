//! Notes on the record (ghi chú) through the server functions the indicator page calls, on
//! SQLite and PostgreSQL: a leader notes a storm on the nation's consumer prices; the note is
//! announced on the live stream, drawn on the chart of the page and of the exported image,
//! carried in the data CSV on the months it touches only, and not shown where it does not
//! apply (another unit); a field's note reaches every indicator of the field; a correction
//! takes the next version (a stale one is 409); taking it away removes it from the chart; each
//! step is audited. Bad input is refused with its reason and changes nothing; an officer and
//! someone signed out cannot write one.

use crate::common::TestPg;
use crate::common::live::Live;
use crate::common::running::{Running, start_with};
use app::store::AuditQuery;
use serde_json::Value;

async fn save(app: &Running, cookie: Option<&str>, form: &[(&str, &str)]) -> (u16, String) {
    let (status, body) = app.call("note_save", cookie, form).await;
    (status.as_u16(), body)
}

async fn page(app: &Running, path: &str) -> String {
    app.page(path, None).await.1
}

async fn notes_on_the_record(database: Option<&str>) {
    let app = start_with(database, |_| {}).await;
    let leader = app.cookie_for("lanhdao").await;
    let watcher = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &watcher).await;
    ws.subscribe(&["catalogue"]).await;

    let storm = [
        ("from", "2026-09-06"),
        ("to", "2026-09-09"),
        ("text", "Bão số 3 đổ bộ"),
        ("scope", "indicator:CPI_YOY"),
        ("units", "VN"),
    ];
    let (status, id) = save(&app, Some(&leader), &storm).await;
    assert_eq!(status, 200, "{id}");
    let id: i64 = id.parse().unwrap();
    let m = ws.next_within(5).await.expect("a catalogue notice");
    assert_eq!(m["data"]["changed_notes"], serde_json::json!([id]), "{m}");

    // On the nation's chart, as a band with its text; not on Hà Nội's.
    let national = page(&app, "/indicators/CPI_YOY?unit=VN").await;
    assert!(national.contains("data-testid=\"chart-note\""), "a band");
    assert!(
        national.contains("Ghi chú: Bão số 3 đổ bộ (06/09/2026 – 09/09/2026)"),
        "its text on the band"
    );
    assert!(
        national.contains("data-testid=\"note\""),
        "listed under the chart"
    );
    let hanoi = page(&app, "/indicators/CPI_YOY?unit=01").await;
    assert!(!hanoi.contains("Bão số 3"), "a note for the nation only");

    // In the data CSV on September only, and in the chart image.
    let csv = app
        .http
        .get(format!("{}/indicators/CPI_YOY/data.csv?unit=VN", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(header.ends_with(",explanations,notes"), "{header}");
    let noted: Vec<&str> = csv.lines().filter(|l| l.contains("Bão số 3")).collect();
    assert_eq!(noted.len(), 1, "{csv}");
    assert!(
        noted[0].starts_with("CPI_YOY,VN,")
            && noted[0].contains(",2026-09,")
            && noted[0].ends_with("06/09/2026 – 09/09/2026: Bão số 3 đổ bộ"),
        "{}",
        noted[0]
    );
    let svg = page(&app, "/indicators/CPI_YOY/chart.svg?unit=VN").await;
    assert!(
        svg.contains("note-band") && svg.contains("Bão số 3 đổ bộ"),
        "{svg}"
    );

    // A note for a province reaches its communes' charts, and not the nation's.
    let (status, body) = save(
        &app,
        Some(&leader),
        &[
            ("from", "2026-07-01"),
            ("text", "Hà Nội chuyển sang cổng dịch vụ công mới"),
            ("scope", "indicator:ONLINE_DOSSIERS"),
            ("units", "01"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let commune = page(&app, "/indicators/ONLINE_DOSSIERS?unit=00070").await;
    assert!(
        commune.contains("Phường Hoàn Kiếm")
            && commune.contains("Hà Nội chuyển sang cổng dịch vụ công mới"),
        "a commune of Hà Nội"
    );
    assert!(
        !page(&app, "/indicators/ONLINE_DOSSIERS?unit=VN")
            .await
            .contains("cổng dịch vụ công mới")
    );

    // A note for a whole field reaches its other indicators, for every unit.
    let (status, body) = save(
        &app,
        Some(&leader),
        &[
            ("from", "2026-02-16"),
            ("to", "2026-02-22"),
            ("text", "Tết Bính Ngọ"),
            ("scope", "field:macro"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        page(&app, "/indicators/IIP_YOY?unit=01")
            .await
            .contains("Tết Bính Ngọ")
    );

    // A correction takes the next version; the same version again is stale.
    let corrected = [
        ("id", &id.to_string()[..]),
        ("version", "1"),
        ("from", "2026-09-06"),
        ("to", "2026-09-10"),
        ("text", "Bão Yagi (số 3)"),
        ("scope", "indicator:CPI_YOY"),
        ("units", "VN"),
    ];
    let (status, body) = save(&app, Some(&leader), &corrected).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = save(&app, Some(&leader), &corrected).await;
    assert_eq!(status, 409, "{body}");
    let national = page(&app, "/indicators/CPI_YOY?unit=VN").await;
    assert!(national.contains("Bão Yagi (số 3)") && !national.contains("Bão số 3 đổ bộ"));

    // Taken away: gone from the chart, kept in the audit log with every step.
    let (status, body) = app
        .call(
            "note_remove",
            Some(&leader),
            &[("id", &id.to_string()), ("version", "2")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        !page(&app, "/indicators/CPI_YOY?unit=VN")
            .await
            .contains("Bão Yagi")
    );
    let audit = app
        .store
        .audit_entries(&AuditQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let steps: Vec<&str> = audit
        .iter()
        .filter(|a| a.entry.target.as_deref() == Some(&format!("note:{id}")))
        .map(|a| a.entry.action.as_str())
        .collect();
    assert_eq!(steps, ["note.remove", "note.correct", "note.write"]);
    assert!(
        audit
            .iter()
            .filter(|a| a.entry.action.starts_with("note."))
            .all(|a| a.entry.actor == "lanhdao")
    );
}

async fn notes_on_sqlite() {
    notes_on_the_record(None).await;
}

async fn notes_on_postgres() {
    let db = TestPg::create("notes").await;
    notes_on_the_record(Some(&db.url)).await;
}

/// A range that ends before it starts, an empty or marked-up text, an unknown indicator or
/// unit: refused with the reason, and nothing is stored. Only leaders and the secretariat
/// write notes.
async fn bad_notes_change_nothing() {
    let app = start_with(None, |_| {}).await;
    let secretariat = app.cookie_for("vanphong").await;
    for (form, says) in [
        (
            [
                ("from", "2026-09-09"),
                ("to", "2026-09-06"),
                ("text", "x"),
                ("scope", "all"),
            ],
            "Ngày kết thúc trước ngày bắt đầu",
        ),
        (
            [
                ("from", "2026-09-06"),
                ("to", ""),
                ("text", "  "),
                ("scope", "all"),
            ],
            "Ghi chú: cần nhập",
        ),
        (
            [
                ("from", "2026-09-06"),
                ("to", ""),
                ("text", "<script>x</script>"),
                ("scope", "all"),
            ],
            "văn bản thường",
        ),
        (
            [
                ("from", "2026-09-06"),
                ("to", ""),
                ("text", "x"),
                ("scope", "indicator:NO_SUCH"),
            ],
            "Không có chỉ tiêu NO_SUCH",
        ),
        (
            [
                ("from", "6/9/2026"),
                ("to", ""),
                ("text", "x"),
                ("scope", "all"),
            ],
            "năm-tháng-ngày",
        ),
    ] {
        let (status, body) = save(&app, Some(&secretariat), &form).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains(says), "{says} in {body}");
    }
    let (status, body) = save(
        &app,
        Some(&secretariat),
        &[
            ("from", "2026-09-06"),
            ("text", "x"),
            ("scope", "all"),
            ("units", "99"),
        ],
    )
    .await;
    assert_eq!(
        (status, body.contains("Không có đơn vị mã 99")),
        (422, true),
        "{body}"
    );
    let ok = [
        ("from", "2026-09-06"),
        ("text", "Được phép"),
        ("scope", "all"),
    ];
    let officer = app.cookie_for("canbo.hanoi").await;
    assert_eq!(save(&app, Some(&officer), &ok).await.0, 403);
    assert_eq!(save(&app, None, &ok).await.0, 401);
    assert!(
        app.store.notes().await.unwrap().is_empty(),
        "nothing stored"
    );
    let (status, _) = save(&app, Some(&secretariat), &ok).await;
    assert_eq!(status, 200);
    let stored: Vec<Value> = app
        .store
        .notes()
        .await
        .unwrap()
        .iter()
        .map(|n| serde_json::to_value(n).unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["written_by"], "Văn phòng Chính phủ (demo)");
}

crate::harness::tests![
    tokio notes_on_sqlite,
    postgres notes_on_postgres,
    tokio bad_notes_change_nothing,
];
