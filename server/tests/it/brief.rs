//! The monthly brief, on SQLite and PostgreSQL: the secretariat downloads November's brief as a
//! PDF whose text (read back by poppler's `pdftotext`) is Vietnamese with its diacritics and the
//! figures of the store at its seq, with the fonts embedded. Composed again at that seq from the
//! command line while the server runs, after a revision, its figures are the same; at the
//! current seq, the revision shows. English on request; a month without data says so. Leaders
//! and the secretariat read briefs; others may not.

use crate::common::TestPg;
use crate::common::running::{Running, call_json, start_with};
use app::model::i18n::Lang;
use serde_json::json;
use std::process::Command;

/// The text of a PDF, as `pdftotext -layout` reads it.
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext (poppler-utils; `scripts/setup --browser` installs it): {e}")
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The fonts a PDF uses, as `pdffonts` lists them.
fn fonts_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdffonts").arg(&path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Each page's text, as `pdftotext -layout` reads it (a form feed ends each page).
fn pages_of(pdf: &[u8]) -> Vec<String> {
    text_of(pdf).split('\u{c}').map(str::to_string).collect()
}

/// Section I of a brief's text: the national figures.
fn figures_part(text: &str) -> String {
    let start = text.find("I. CÁC CHỈ TIÊU CHỦ YẾU").expect("section I");
    let end = text.find("II. CHỈ TIÊU CHẬM").expect("section II");
    text[start..end].to_string()
}

async fn download(app: &Running, cookie: Option<&str>, path: &str) -> (u16, String, Vec<u8>) {
    let mut req = app.http.get(format!("{}{path}", app.base));
    if let Some(c) = cookie {
        req = req.header(reqwest::header::COOKIE, c);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let disposition = res
        .headers()
        .get(reqwest::header::CONTENT_DISPOSITION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, disposition, res.bytes().await.unwrap().to_vec())
}

async fn cpi_value(app: &Running) -> (f64, u8) {
    let decimals = app
        .store
        .indicators()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.code == "CPI_YOY")
        .unwrap()
        .decimals;
    let values = app
        .store
        .observations(&app::store::ObservationQuery {
            indicator: Some("CPI_YOY".into()),
            unit: Some("VN".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let latest = values
        .iter()
        .filter(|o| o.period.end() <= chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
        .max_by_key(|o| o.period.start())
        .unwrap();
    assert_eq!(
        latest.period.to_string(),
        "2026-10",
        "the demo's latest month"
    );
    (latest.value, decimals)
}

async fn the_brief_of_november(database: Option<&str>) {
    let app = start_with(database, |_| {}).await;
    let secretariat = app.cookie_for("vanphong").await;
    let leader = app.cookie_for("lanhdao").await;

    // A question waiting for its answer, listed in section V.
    let (status, body) = call_json(
        &app,
        "explanation_ask",
        Some(&leader),
        json!({"form": {"indicator": "GRDP_GROWTH", "unit": "01", "period": "2026-Q3",
            "question": "Vì sao GRDP quý III thấp hơn kế hoạch?", "working_days": ""}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, disposition, pdf) =
        download(&app, Some(&secretariat), "/briefs/2026-11.pdf").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let seq = app.store.current_seq().await.unwrap();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"bao-cao-2026-11-seq-{seq}.pdf\"")
    );
    let text = text_of(&pdf);
    for words in [
        "VĂN PHÒNG CHÍNH PHỦ",
        "TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 11/2026",
        "phục vụ Phiên họp Chính phủ thường kỳ",
        "I. CÁC CHỈ TIÊU CHỦ YẾU",
        "IV. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC BỘ, ĐỊA PHƯƠNG",
        "Quá hạn, chưa hoàn thành",
        "V. YÊU CẦU GIẢI TRÌNH",
        "Vì sao GRDP",
        "Có số liệu mô phỏng",
        "Trang 1/",
    ] {
        assert!(text.contains(words), "“{words}” in the brief:\n{text}");
    }
    assert!(
        text.contains(&format!("Số liệu đến lượt cập nhật số {seq}")),
        "its seq on the cover"
    );
    // What moved each field: a weighted mean (unemployment) among them, its parts in two
    // pieces, of the provinces' values and of their weights.
    let movers = text
        .split("III. ĐỊA PHƯƠNG, BỘ TÁC ĐỘNG ĐẾN CÁC CHỈ TIÊU CHỦ YẾU")
        .nth(1)
        .and_then(|t| t.split("IV. TÌNH HÌNH GỬI BÁO CÁO").next())
        .unwrap_or_default();
    for words in [
        "Kim ngạch xuất khẩu hàng hóa",
        "Tỷ lệ thất nghiệp của lực lượng lao động",
        "Giá trị / tỷ trọng",
    ] {
        assert!(
            movers.contains(words),
            "“{words}” in section III:\n{movers}"
        );
    }
    // The nation's consumer prices as the store holds them, written as the screens write them.
    let (cpi, decimals) = cpi_value(&app).await;
    let figures = figures_part(&text);
    assert!(
        figures.contains(&Lang::Vi.number(cpi, decimals)),
        "CPI {cpi} in section I:\n{figures}"
    );
    let fonts = fonts_of(&pdf);
    assert!(
        fonts.contains("LiberationSerif") && !fonts.lines().skip(2).any(|l| l.contains(" no ")),
        "every font embedded:\n{fonts}"
    );

    // A revision after the seq: the brief composed again at the seq keeps the figures, from
    // the command line while the server runs; at the current seq the revision shows.
    let statistics = app.api_token(&["VN"]).await;
    let answer = app
        .ingest(
            &statistics,
            json!([{"indicator": "CPI_YOY", "unit": "VN", "period": "2026-10", "value": 7.77}]),
        )
        .await;
    assert_eq!(answer["stored"], 1, "{answer}");
    let revised = Lang::Vi.number(7.77, decimals);
    let url = match database {
        Some(url) => url.to_string(),
        None => format!("sqlite://{}", app.data_dir().join("s.db").display()),
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bao-cao.pdf");
    let run = crate::common::cli(&url)
        .args([
            "brief",
            "--month",
            "2026-11",
            "--seq",
            &seq.to_string(),
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        stdout.lines().last(),
        Some(std::fs::canonicalize(&out).unwrap().to_str().unwrap()),
        "the path on the last line: {stdout}"
    );
    let again = text_of(&std::fs::read(&out).unwrap());
    assert_eq!(
        figures_part(&again),
        figures,
        "the same figures at the same seq"
    );
    assert!(!figures.contains(&revised));
    let (_, _, now) = download(&app, Some(&leader), "/briefs/2026-11.pdf").await;
    assert!(
        figures_part(&text_of(&now)).contains(&revised),
        "the revision at the current seq"
    );

    // In English on request.
    let (status, _, en) = download(&app, Some(&leader), "/briefs/2026-11.pdf?lang=en").await;
    assert_eq!(status, 200);
    let en = text_of(&en);
    assert!(
        en.contains("SOCIO-ECONOMIC SITUATION, NOV 2026") && en.contains("I. KEY INDICATORS"),
        "{en}"
    );

    // An annex per field asked for, each on one page of its own: the nation and every
    // province in force, with the field's figures.
    let (status, _, annexed) = download(
        &app,
        Some(&secretariat),
        "/briefs/2026-11.pdf?annex=trade,macro",
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&annexed));
    let pages = pages_of(&annexed);
    let provinces: Vec<String> = app
        .store
        .children("VN")
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.kind == app::model::UnitKind::Province && u.in_force(crate::common::today()))
        .map(|u| u.name_vi)
        .collect();
    assert_eq!(provinces.len(), 34);
    for (n, field) in [(1, "KINH TẾ VĨ MÔ"), (2, "THƯƠNG MẠI, DỊCH VỤ, DU LỊCH")] {
        let heading = format!("PHỤ LỤC {n}. {field}");
        let on: Vec<&String> = pages.iter().filter(|p| p.contains(&heading)).collect();
        assert_eq!(on.len(), 1, "{heading} on one page:\n{pages:#?}");
        let page = on[0];
        let missing: Vec<&String> = provinces
            .iter()
            .filter(|p| !page.contains(p.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{heading}: {missing:?} missing:\n{page}"
        );
        assert!(
            page.contains("Màu số liệu")
                && page.contains("Nguồn số liệu: Lịch sử mô phỏng")
                && !page.contains(&format!("PHỤ LỤC {}", 3 - n)),
            "the annex whole on its page, alone:\n{page}"
        );
    }
    assert!(
        pages.iter().position(|p| p.contains("PHỤ LỤC 1"))
            > pages
                .iter()
                .position(|p| p.contains("VI. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ")),
        "after the brief, in the fields' order"
    );

    // A month without data says so.
    let (status, _, empty) = download(&app, Some(&secretariat), "/briefs/2019-01.pdf").await;
    assert_eq!(status, 200);
    assert!(
        text_of(&empty).contains("Chưa có số liệu của cả nước cho tháng 1/2019"),
        "no data"
    );
}

async fn brief_on_sqlite() {
    the_brief_of_november(None).await;
}

async fn brief_on_postgres() {
    let db = TestPg::create("brief").await;
    the_brief_of_november(Some(&db.url)).await;
}

/// Who may read it, and what is refused: in the person's language, with nothing written.
async fn who_reads_a_brief() {
    let app = start_with(None, |_| {}).await;
    let officer = app.cookie_for("canbo.hanoi").await;
    let secretariat = app.cookie_for("vanphong").await;
    let (status, _, body) = download(&app, None, "/briefs/2026-11.pdf").await;
    assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));
    let (status, _, _) = download(&app, Some(&officer), "/briefs/2026-11.pdf").await;
    assert_eq!(status, 403);
    for (path, status, words) in [
        ("/briefs/2026-13.pdf", 422, "không đúng dạng"),
        ("/briefs/2027-01.pdf", 422, "chưa bắt đầu"),
        ("/briefs/2026-Q3.pdf", 422, "không đúng dạng"),
        ("/briefs/2026-11.docx", 404, "2026-11.pdf"),
        ("/briefs/2026-11.pdf?lang=fr", 422, "lang"),
        ("/briefs/2026-11.pdf?meeting=x", 422, "meeting"),
        (
            "/briefs/2026-11.pdf?annex=macro,weather",
            422,
            "không có lĩnh vực “weather”",
        ),
        (
            "/briefs/2026-11.pdf?meeting=999999",
            404,
            "không có cuộc họp",
        ),
    ] {
        let (got, _, body) = download(&app, Some(&secretariat), path).await;
        let body = String::from_utf8_lossy(&body);
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.contains(words), "{path}: {body}");
    }
}

/// A regular meeting on `day` at 8:00, stored as the secretariat stores one.
async fn regular_meeting(app: &Running, day: (i32, u32, u32), title: &str) -> i64 {
    let meeting = app::model::meeting::Meeting {
        id: 0,
        version: 0,
        kind: app::model::meeting::MeetingKind::Regular,
        title: title.into(),
        starts_at: chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
        place: "Trụ sở Chính phủ".into(),
        chair: "Thủ tướng Chính phủ".into(),
        agenda: vec![],
        participants: vec![],
        conclusions: vec![],
        created_by: "Văn phòng Chính phủ (demo)".into(),
    };
    let audit = app::store::AuditEntry::system("test", "meeting");
    app.store
        .save_meeting(&meeting, &[], &audit)
        .await
        .unwrap()
        .0
}

async fn form(
    app: &Running,
    endpoint: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let (status, body) = app.call(endpoint, Some(cookie), fields).await;
    (
        status.as_u16(),
        serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
    )
}

/// Waits up to 20 s for `person`'s inbox page to say `words`.
async fn told(app: &Running, cookie: &str, words: &str) {
    for _ in 0..100 {
        if app.page("/inbox", Some(cookie)).await.1.contains(words) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("“{words}” never reached the inbox");
}

/// The stored briefs: a draft composed by the schedule before its meeting and announced to
/// the secretariat; a draft composed by the secretariat, commented (markup kept as text),
/// marked final, attached to its meeting, announced to the leaders, never changed again;
/// a correction is the next version. Stale or bad changes are refused and change nothing.
async fn drafts_commentary_and_the_final_version(database: Option<&str>) {
    let app = start_with(database, |s| {
        s.notify.interval = std::time::Duration::from_secs(1);
    })
    .await;
    let secretariat = app.cookie_for("vanphong").await;
    let leader = app.cookie_for("lanhdao").await;
    // Wednesday 25 November is 3 working days after the tests' Sunday: October's brief is
    // due; 7 December is further off.
    let october = regular_meeting(&app, (2026, 11, 25), "Phiên họp thường kỳ tháng 10").await;
    let november = regular_meeting(&app, (2026, 12, 7), "Phiên họp thường kỳ tháng 11").await;
    told(
        &app,
        &secretariat,
        "Dự thảo báo cáo tháng 10/2026 đã sẵn sàng",
    )
    .await;
    let scheduled: Vec<_> = app.store.briefs().await.unwrap();
    assert_eq!(scheduled.len(), 1, "{scheduled:?}");
    assert!(scheduled[0].scheduled && scheduled[0].month.to_string() == "2026-10");
    assert_eq!(scheduled[0].meeting.as_ref().map(|m| m.id), Some(october));

    // Composed by the secretariat, for the regular meeting of the month after.
    let (status, body) = form(&app, "brief_draft", &leader, &[("month", "2026-11")]).await;
    assert_eq!(
        status, 403,
        "a leader reads briefs, does not prepare them: {body}"
    );
    let (status, draft) = form(
        &app,
        "brief_draft",
        &secretariat,
        &[("month", "2026-11"), ("annex", "macro")],
    )
    .await;
    assert_eq!(status, 200, "{draft}");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["annex"], json!(["macro"]), "{draft}");
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["meeting"]["id"], november, "{draft}");
    let id = draft["id"].as_i64().unwrap().to_string();

    // Commentary, markup and all, shown as written; a stale or oversized one changes nothing.
    let said = "<b>Tăng trưởng</b> khá & ổn định";
    let (status, commented) = form(
        &app,
        "brief_comment",
        &secretariat,
        &[
            ("form[id]", &id),
            ("form[revision]", "1"),
            ("form[figures]", said),
            ("form[tasks]", "Đôn đốc Hà Nội"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{commented}");
    assert_eq!(commented["revision"], 2);
    let (status, _) = form(
        &app,
        "brief_comment",
        &secretariat,
        &[
            ("form[id]", &id),
            ("form[revision]", "1"),
            ("form[figures]", "cũ"),
        ],
    )
    .await;
    assert_eq!(status, 409, "a stale revision");
    let long = "ý".repeat(2_001);
    let (status, body) = form(
        &app,
        "brief_comment",
        &secretariat,
        &[
            ("form[id]", &id),
            ("form[revision]", "2"),
            ("form[movers]", &long),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("2000"), "{body}");
    let page = app.page("/briefs", Some(&secretariat)).await.1;
    assert!(!page.contains("<b>Tăng"), "never markup on the page");
    let (status, disposition, pdf) =
        download(&app, Some(&leader), "/briefs/2026-11.pdf?version=1").await;
    assert_eq!(status, 200);
    assert_eq!(
        disposition,
        "attachment; filename=\"bao-cao-2026-11-v1-du-thao.pdf\""
    );
    let text = text_of(&pdf);
    assert!(
        text.contains("Nhận xét: <b>Tăng trưởng</b> khá & ổn định"),
        "{text}"
    );
    assert!(
        text.contains("Phiên họp thường kỳ tháng 11"),
        "its meeting on the cover"
    );
    assert!(text.contains("PHỤ LỤC 1. KINH TẾ VĨ MÔ"), "its annex kept");

    // Final: attached to its meeting, announced, never changed.
    let (status, done) = form(
        &app,
        "brief_final",
        &secretariat,
        &[("id", &id), ("revision", "2")],
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["state"], "final");
    let (status, _) = form(
        &app,
        "brief_comment",
        &secretariat,
        &[
            ("form[id]", &id),
            ("form[revision]", "3"),
            ("form[figures]", "sửa"),
        ],
    )
    .await;
    assert_eq!(status, 409, "a final brief is not changed");
    // The printable page: the same brief, the commentary shown as written.
    let (status, _, printable) =
        download(&app, Some(&leader), "/briefs/2026-11.html?version=1").await;
    assert_eq!(status, 200);
    let printable = String::from_utf8(printable).unwrap();
    assert!(
        printable.contains("Nhận xét: &lt;b&gt;Tăng trưởng&lt;/b&gt; khá &amp; ổn định")
            && printable.contains("TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 11/2026")
            && printable.contains("VI. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"),
        "{printable}"
    );
    let meeting_page = app
        .page(&format!("/meetings/{november}"), Some(&leader))
        .await
        .1;
    assert!(
        meeting_page.contains("/briefs/2026-11.pdf?version=1"),
        "the final brief on its meeting's page"
    );
    told(&app, &leader, "Báo cáo tháng 11/2026 (bản chính thức)").await;
    let (_, disposition, _) = download(&app, Some(&leader), "/briefs/2026-11.pdf?version=1").await;
    assert!(disposition.contains("v1-chinh-thuc"), "{disposition}");

    // A correction is the next version, a draft, starting from the final's commentary.
    let (status, again) = form(&app, "brief_draft", &secretariat, &[("month", "2026-11")]).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["version"], 2);
    assert_eq!(again["state"], "draft");
    assert_eq!(again["commentary"]["figures"], said);
    let (status, _, _) = download(&app, Some(&leader), "/briefs/2026-11.pdf?version=9").await;
    assert_eq!(status, 404);
    for action in ["brief.draft", "brief.comment", "brief.final"] {
        let rows = app
            .store
            .audit_entries(&app::store::AuditQuery {
                action: Some(action.into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(!rows.is_empty(), "{action} audited");
    }
}

async fn stored_briefs_on_sqlite() {
    drafts_commentary_and_the_final_version(None).await;
}

async fn stored_briefs_on_postgres() {
    let db = TestPg::create("briefs_stored").await;
    drafts_commentary_and_the_final_version(Some(&db.url)).await;
}

crate::harness::tests![
    tokio brief_on_sqlite,
    postgres brief_on_postgres,
    tokio who_reads_a_brief,
    tokio stored_briefs_on_sqlite,
    postgres stored_briefs_on_postgres,
];
