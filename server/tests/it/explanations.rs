//! Explanation requests (yêu cầu giải trình) through the server functions the pages call, on
//! SQLite and PostgreSQL: a leader asks Hà Nội about its GRDP growth, due three working days
//! later; another unit's officer and the leader cannot answer for it; Hà Nội's officer
//! answers; the leader asks again, the officer answers again and the leader accepts. Each turn
//! is audited and announced on the live stream; the unit's counts say answered on time. Bad
//! input changes nothing.

use crate::common::live::Live;
use crate::common::running::{Running, call_json as call, start, start_with};
use crate::common::{TestPg, today};
use app::store::AuditQuery;
use serde_json::{Value, json};

/// The list as a person sees it (form-encoded, as the page's resource asks).
async fn list(app: &Running, cookie: &str, unit: &str) -> Value {
    let (s, body) = app
        .call(
            "explanations",
            Some(cookie),
            &[
                ("query[indicator]", ""),
                ("query[unit]", unit),
                ("query[state]", ""),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Hà Nội's latest GRDP quarter, from the open-data API.
async fn latest_quarter(app: &Running) -> String {
    let body: Value = app
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
    body["observations"]
        .as_array()
        .and_then(|o| o.last())
        .and_then(|o| o["period"].as_str())
        .unwrap_or_else(|| panic!("Hà Nội's GRDP: {body}"))
        .to_string()
}

/// A count on the wall's explanation line.
fn wall_count<'a>(screen: &'a str, which: &str) -> &'a str {
    screen
        .split(&format!("data-testid=\"wall-explanations-{which}\""))
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
}

fn ask(period: &str, question: &str, days: &str) -> Value {
    json!({"form": {"indicator": "GRDP_GROWTH", "unit": "01", "period": period,
        "question": question, "working_days": days}})
}

async fn a_request_is_asked_answered_and_accepted(app: &Running) {
    let leader = app.cookie_for("lanhdao").await;
    let hanoi = app.cookie_for("canbo.hanoi").await;
    let btc = app.cookie_for("canbo.btc").await;
    let mut ws = Live::with_cookie(app, &hanoi).await;
    ws.subscribe(&["explanations"]).await;
    let period = latest_quarter(app).await;

    let (s, r) = call(
        app,
        "explanation_ask",
        Some(&leader),
        ask(
            &period,
            "Vì sao tăng trưởng GRDP thấp hơn kế hoạch quý?",
            "",
        ),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let id = r["id"].as_i64().unwrap();
    // Three working days: weekends (and the regime's holidays) do not count.
    let calendar = app.store.reporting_calendar().await.unwrap();
    let due = calendar.days_off().working_days_after(today(), 3);
    assert_eq!(r["turns"][0]["due"], due.to_string(), "{r}");
    let m = ws.next_within(5).await.expect("the request announced");
    assert_eq!(m["topic"], "explanations", "{m}");
    assert_eq!(m["data"]["explanation"], id, "{m}");
    assert_eq!(m["data"]["state"], "open", "{m}");

    // Counted where people look: Hà Nội's page and the wall say one request open.
    let (_, page) = app.page("/units/01", Some(&leader)).await;
    assert!(
        page.contains(
            "Yêu cầu giải trình: 0 quá hạn · 1 đang chờ · 0 trả lời muộn · 0 trả lời đúng hạn"
        ),
        "{page}"
    );
    let (_, open) = app.page("/units/01", None).await;
    assert!(!open.contains("unit-explanations"), "not for the open page");
    let wall = app.demo_wall.clone().expect("the demo's wall");
    let wall = wall.split('?').next().unwrap().to_string();
    let (_, screen) = app.page(&wall, Some(&leader)).await;
    assert_eq!(wall_count(&screen, "open"), "1", "{screen}");

    // Hà Nội's officer sees it waiting at their desk, with the answer form; the Ministry of
    // Finance's officer does not see it at all.
    let mine = list(app, &hanoi, "").await;
    assert_eq!(mine["rows"][0]["request"]["id"], id, "{mine}");
    assert_eq!(mine["rows"][0]["may_answer"], true);
    assert_eq!(mine["rows"][0]["timeliness"], "open");
    assert_eq!(list(app, &btc, "").await["rows"], json!([]));
    assert_eq!(list(app, &btc, "01").await["rows"], json!([]));

    // Only Hà Nội's officers answer for Hà Nội.
    for who in [&btc, &leader] {
        let (s, r) = call(
            app,
            "explanation_answer",
            Some(who),
            json!({"form": {"id": id, "version": 1, "answer": "Không phải đơn vị mình"}}),
        )
        .await;
        assert_eq!(s, 403, "{r}");
    }
    let (s, r) = call(
        app,
        "explanation_answer",
        Some(&hanoi),
        json!({"form": {"id": id, "version": 1, "answer": "Do bão số 3, sản xuất công nghiệp giảm 12%."}}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let m = ws.next_within(5).await.expect("the answer announced");
    assert_eq!(m["data"]["state"], "answered", "{m}");
    // The officer cannot accept an answer; the leader asks again.
    let (s, _) = call(
        app,
        "explanation_decide",
        Some(&hanoi),
        json!({"form": {"id": id, "version": 2, "accept": true, "question": "", "working_days": ""}}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, r) = call(
        app,
        "explanation_decide",
        Some(&leader),
        json!({"form": {"id": id, "version": 2, "accept": false,
            "question": "Đề nghị nêu giải pháp bù đắp trong quý IV.", "working_days": "5"}}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        r["turns"][2]["due"],
        calendar
            .days_off()
            .working_days_after(today(), 5)
            .to_string()
    );
    // An answer to a version that is no longer current is refused: someone came first.
    let (s, _) = call(
        app,
        "explanation_answer",
        Some(&hanoi),
        json!({"form": {"id": id, "version": 2, "answer": "Giải pháp…"}}),
    )
    .await;
    assert_eq!(s, 409);
    // The second answer sends a document with it, uploaded first; one that is not on the
    // system is refused and nothing is stored.
    let plan = app
        .http
        .post(format!("{}/api/v1/attachments", app.base))
        .query(&[("name", "ke-hoach-quy-IV.pdf")])
        .header("origin", &app.base)
        .header("cookie", &hanoi)
        .body(b"%PDF-1.4\n% ke hoach\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(plan.status(), 201);
    let plan: Value = plan.json().await.unwrap();
    let (s, r) = call(
        app,
        "explanation_answer",
        Some(&hanoi),
        json!({"form": {"id": id, "version": 3, "answer": "Đẩy nhanh giải ngân đầu tư công.",
            "attachments": [plan["id"], 987654]}}),
    )
    .await;
    assert_eq!(s, 422, "{r}");
    assert!(r.to_string().contains("987654"), "{r}");
    assert_eq!(app.store.explanation(id).await.unwrap().unwrap().version, 3);
    let (s, r) = call(
        app,
        "explanation_answer",
        Some(&hanoi),
        json!({"form": {"id": id, "version": 3, "answer": "Đẩy nhanh giải ngân đầu tư công.",
            "attachments": [plan["id"]]}}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = call(
        app,
        "explanation_decide",
        Some(&leader),
        json!({"form": {"id": id, "version": 4, "accept": true, "question": "", "working_days": ""}}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let stored = app.store.explanation(id).await.unwrap().unwrap();
    assert_eq!(stored.turns.len(), 5);
    assert_eq!(
        stored.latest_answer(),
        Some("Đẩy nhanh giải ngân đầu tư công.")
    );
    let files: Vec<&str> = stored
        .latest_answer_files()
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(files, ["ke-hoach-quy-IV.pdf"]);

    let seen = list(app, &leader, "01").await;
    assert_eq!(seen["rows"][0]["request"]["id"], id);
    assert_eq!(seen["counts"][0][0], "01");
    assert_eq!(seen["counts"][0][2]["answered_on_time"], 1, "{seen}");
    assert_eq!(seen["rows"][0]["may_decide"], false);
    let (_, screen) = app.page(&wall, Some(&leader)).await;
    assert_eq!(wall_count(&screen, "on-time"), "1", "{screen}");
    assert_eq!(wall_count(&screen, "open"), "0", "{screen}");

    // Every turn is audited with who gave it.
    let audit = app
        .store
        .audit_entries(&AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let turns: Vec<(&str, &str)> = audit
        .iter()
        .filter(|r| r.entry.target.as_deref() == Some(&format!("explanation:{id}")))
        .map(|r| (r.entry.action.as_str(), r.entry.actor.as_str()))
        .collect();
    for turn in [
        ("explanation.ask", "lanhdao"),
        ("explanation.answer", "canbo.hanoi"),
        ("explanation.ask_again", "lanhdao"),
        ("explanation.accept", "lanhdao"),
    ] {
        assert!(turns.contains(&turn), "{turn:?} in {turns:?}");
    }
    assert_eq!(turns.len(), 5, "{turns:?}");

    // The answer is on the record where the figure is: a mark on the chart at its period and
    // the card under it for a signed-in reader, and in the data they download; none of it in
    // the open page or the open file.
    let page_of = format!("/indicators/GRDP_GROWTH?unit=01&to={period}");
    let (_, page) = app.page(&page_of, Some(&leader)).await;
    assert!(
        page.contains(&format!(
            "data-period=\"{period}\" data-testid=\"chart-mark\""
        )),
        "a mark at {period}: {page}"
    );
    assert!(page.contains("Đẩy nhanh giải ngân đầu tư công."), "{page}");
    assert!(
        page.contains(&format!(
            "href=\"/attachments/{}\" data-testid=\"answer-file\">ke-hoach-quy-IV.pdf",
            plan["id"]
        )),
        "the document under the answer: {page}"
    );
    let (_, open) = app.page(&page_of, None).await;
    assert!(
        !open.contains("chart-mark") && !open.contains("Đẩy nhanh"),
        "{open}"
    );
    let csv_of = format!(
        "{}/indicators/GRDP_GROWTH/data.csv?unit=01&to={period}",
        app.base
    );
    let csv = app
        .http
        .get(&csv_of)
        .header("cookie", &leader)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains(&format!(",{period},")))
        .unwrap_or_else(|| panic!("{period} in {csv}"));
    assert!(
        line.contains(
            "Giải trình: Đẩy nhanh giải ngân đầu tư công. — Tệp: ke-hoach-quy-IV.pdf (Đã chấp nhận giải trình)"
        ),
        "{line}"
    );
    let open = app
        .http
        .get(&csv_of)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!open.contains("Giải trình"), "{open}");
}

async fn explanations_on_sqlite() {
    let app = start().await;
    a_request_is_asked_answered_and_accepted(&app).await;
}

async fn explanations_on_postgres() {
    let pg = TestPg::create("explanations").await;
    let app = start_with(Some(&pg.url), |_| {}).await;
    a_request_is_asked_answered_and_accepted(&app).await;
    app.store.close().await;
}

/// An empty question, markup, a deadline of no or too many days, a period not begun or not the
/// indicator's, the nation or a unit that does not report the figure, an officer asking, no
/// one signed in: each refused with its reason, and nothing stored.
async fn bad_requests_are_refused_and_nothing_is_stored() {
    let app = start().await;
    let leader = app.cookie_for("lanhdao").await;
    let hanoi = app.cookie_for("canbo.hanoi").await;
    let period = latest_quarter(&app).await;
    let future = format!("{}-Q4", chrono::Datelike::year(&today()) + 2);
    let form = |unit: &str, period: &str, question: &str, days: &str| {
        json!({"form": {"indicator": "GRDP_GROWTH", "unit": unit, "period": period,
            "question": question, "working_days": days}})
    };
    for (body, status, reason) in [
        (form("01", &period, "   ", ""), 422, "cần nhập"),
        (form("01", &period, "<b>Vì sao</b>", ""), 422, "HTML"),
        (form("01", &period, "Vì sao?", "0"), 422, "ngày làm việc"),
        (form("01", &period, "Vì sao?", "31"), 422, "ngày làm việc"),
        (form("01", &period, "Vì sao?", "ba"), 422, "ngày làm việc"),
        (form("01", &future, "Vì sao?", ""), 422, "chưa bắt đầu"),
        (form("01", "2026-10", "Vì sao?", ""), 422, "Kỳ báo cáo"),
        (form("VN", &period, "Vì sao?", ""), 422, "bộ, tỉnh"),
        (form("BTC", &period, "Vì sao?", ""), 422, "bộ, tỉnh"),
        (form("99", &period, "Vì sao?", ""), 422, "Không có đơn vị"),
    ] {
        let (s, r) = call(&app, "explanation_ask", Some(&leader), body.clone()).await;
        assert_eq!(s, status, "{body}: {r}");
        assert!(r.to_string().contains(reason), "{reason} in {r}");
    }
    let (s, _) = call(
        &app,
        "explanation_ask",
        Some(&hanoi),
        form("01", &period, "Vì sao?", ""),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &app,
        "explanation_ask",
        None,
        form("01", &period, "Vì sao?", ""),
    )
    .await;
    assert_eq!(s, 401);
    let (s, r) = call(
        &app,
        "explanation_answer",
        Some(&hanoi),
        json!({"form": {"id": 999, "version": 1, "answer": "?"}}),
    )
    .await;
    assert_eq!(s, 404, "{r}");
    assert!(
        app.store
            .explanations(&Default::default())
            .await
            .unwrap()
            .is_empty()
    );
}

crate::harness::tests![
    tokio explanations_on_sqlite,
    postgres explanations_on_postgres,
    tokio bad_requests_are_refused_and_nothing_is_stored,
];
