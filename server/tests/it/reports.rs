//! Reports from draft to approval, through the server functions the entry form calls, on SQLite
//! and on PostgreSQL: bad values refused beside their fields with nothing stored, drafts never
//! published, a stale save refused, approval publishing through the one path in and locking,
//! a correction with its reason approved again, and every step in the audit log.

use crate::common;

use crate::common::TestPg;
use crate::common::running::{Running, start, start_with};
use app::model::Period;
use app::model::report::{EntryAnswer, EntryForm, ReportStatus};
use app::model::reporting::ReportingRules;
use app::store::{AuditQuery, ObservationQuery};
use serde_json::{Value, json};

/// The month just closed (its deadline is near, so it is open for entry whatever today is).
fn period() -> Period {
    let today = common::today();
    ReportingRules::default()
        .period_on(app::model::Periodicity::Monthly, today)
        .prev()
}

async fn json_call(app: &Running, endpoint: &str, cookie: &str, body: Value) -> (u16, Value) {
    let res = app
        .http
        .post(format!("{}/fn/{endpoint}", app.base))
        .header("origin", &app.base)
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn form(app: &Running, cookie: &str, unit: &str) -> (u16, String) {
    let p = period().to_string();
    let (status, body) = app
        .call(
            "entry_form",
            Some(cookie),
            &[("unit", unit), ("period", &p)],
        )
        .await;
    (status.as_u16(), body)
}

/// Every indicator of the form at its previous value (plausible), with the trade balance kept
/// equal to exports minus imports; `set` overrides some.
fn inputs(form: &EntryForm, set: &[(&str, &str)]) -> Value {
    let mut rows: Vec<(String, String)> = form
        .rows
        .iter()
        .map(|r| {
            let v = r.previous.or(r.year_ago).unwrap_or(1.0);
            (r.indicator.code.clone(), format!("{v}"))
        })
        .collect();
    // The trade balance is computed, never typed.
    for (k, v) in rows.iter_mut() {
        if k == "TRADE_BALANCE" {
            v.clear();
        }
    }
    for (code, value) in set {
        if let Some(r) = rows.iter_mut().find(|(k, _)| k == code) {
            r.1 = value.to_string();
        }
    }
    Value::Array(
        rows.into_iter()
            .map(|(indicator, value)| json!({"indicator": indicator, "value": value, "note": ""}))
            .collect(),
    )
}

async fn save(
    app: &Running,
    cookie: &str,
    version: i64,
    inputs: Value,
    submit: bool,
) -> (u16, Value) {
    json_call(
        app,
        "entry_save",
        cookie,
        json!({"unit": "01", "period": period().to_string(), "version": version, "inputs": inputs, "submit": submit}),
    )
    .await
}

async fn decide(
    app: &Running,
    cookie: &str,
    version: i64,
    decision: &str,
    comment: &str,
) -> (u16, String) {
    let p = period().to_string();
    let v = version.to_string();
    let (s, b) = app
        .call(
            "entry_decide",
            Some(cookie),
            &[
                ("unit", "01"),
                ("period", &p),
                ("version", &v),
                ("decision", decision),
                ("comment", comment),
            ],
        )
        .await;
    (s.as_u16(), b)
}

fn version_of(answer: &Value) -> i64 {
    match serde_json::from_value::<EntryAnswer>(answer.clone()).unwrap() {
        EntryAnswer::Saved { report } => report.version,
        EntryAnswer::Refused { errors, .. } => panic!("refused: {errors:?}"),
    }
}

async fn published(app: &Running, indicator: &str) -> Option<(f64, String)> {
    let p = period();
    app.store
        .observations(&ObservationQuery {
            indicator: Some(indicator.into()),
            unit: Some("01".into()),
            from: Some(p),
            to: Some(p),
            ..Default::default()
        })
        .await
        .unwrap()
        .first()
        .map(|o| (o.value, o.source.as_str().to_string()))
}

async fn from_draft_to_approval_and_a_correction(app: Running) {
    let officer = app.cookie_for("canbo.hanoi").await;
    let approver = app.cookie_for("pheduyet.hanoi").await;

    // The form: every indicator of the provinces' monthly report, with last month and last year.
    let (status, body) = form(&app, &officer, "01").await;
    assert_eq!(status, 200, "{body}");
    let f: EntryForm = serde_json::from_str(&body).unwrap();
    let codes: Vec<&str> = f.rows.iter().map(|r| r.indicator.code.as_str()).collect();
    for c in [
        "EXPORT_VALUE",
        "IMPORT_VALUE",
        "TRADE_BALANCE",
        "ONLINE_DOSSIERS",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(f.may_enter && !f.may_approve);
    assert!(f.report.is_none() && f.closed.is_none());
    let before = published(&app, "EXPORT_VALUE").await;

    // Bad values submitted: each refused beside its field, nothing stored (a draft keeps
    // them: see the test after this one).
    let (status, answer) = save(
        &app,
        &officer,
        0,
        inputs(
            &f,
            &[
                ("EXPORT_VALUE", "mười"),
                ("NEW_ENTERPRISES", "-3"),
                ("ONLINE_DOSSIERS", "120"),
            ],
        ),
        true,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outcome"], "refused");
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["EXPORT_VALUE", "NEW_ENTERPRISES", "ONLINE_DOSSIERS"],
        "{answer}"
    );
    assert!(
        app.store
            .report("KTXH-THANG", "01", &period())
            .await
            .unwrap()
            .is_none()
    );

    // A partial draft in the Vietnamese writing is kept, and is not published.
    let (status, answer) = save(
        &app,
        &officer,
        0,
        json!([{"indicator": "EXPORT_VALUE", "value": "1.234,5", "note": ""}]),
        false,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(version_of(&answer), 1);
    assert_eq!(
        published(&app, "EXPORT_VALUE").await,
        before,
        "drafts never reach the wall"
    );

    // Someone with the old form saves: refused, nothing overwritten.
    let (status, answer) = save(&app, &officer, 0, inputs(&f, &[]), false).await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer.to_string().contains("người khác"), "{answer}");
    let stored = app
        .store
        .report("KTXH-THANG", "01", &period())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.value_of("EXPORT_VALUE").unwrap().value, Some(1234.5));

    // Submitting needs every value, and the trade balance is computed: typing one is refused.
    let (status, answer) = save(
        &app,
        &officer,
        1,
        inputs(
            &f,
            &[
                ("EXPORT_VALUE", "1000"),
                ("IMPORT_VALUE", "900"),
                ("TRADE_BALANCE", "50"),
            ],
        ),
        true,
    )
    .await;
    assert_eq!((status, &answer["outcome"]), (200, &json!("refused")));
    assert_eq!(
        answer["errors"][0]["indicator"], "TRADE_BALANCE",
        "{answer}"
    );
    assert!(answer.to_string().contains("tính tự động"), "{answer}");
    let (status, answer) = save(
        &app,
        &officer,
        1,
        inputs(&f, &[("EXPORT_VALUE", "1000"), ("IMPORT_VALUE", "900")]),
        true,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(version_of(&answer), 2);
    assert_eq!(
        published(&app, "EXPORT_VALUE").await,
        before,
        "submitted is not approved"
    );

    // Submitted: the officer cannot change it; another unit's officer never could.
    let (status, _) = save(&app, &officer, 2, inputs(&f, &[]), false).await;
    assert_eq!(status, 409);
    let btc = app.cookie_for("canbo.btc").await;
    let (status, answer) = save(&app, &btc, 2, inputs(&f, &[]), false).await;
    assert_eq!(status, 403, "{answer}");
    let (status, _) = form(&app, &btc, "01").await;
    assert_eq!(status, 403);
    // Nor can the officer approve their own report.
    let (status, _) = decide(&app, &officer, 2, "approve", "").await;
    assert_eq!(status, 403);

    // Returned with a comment (a return without one is refused), then submitted again.
    let (status, body) = decide(&app, &approver, 2, "return", "  ").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = decide(&app, &approver, 2, "return", "Kiểm tra lại số doanh nghiệp").await;
    assert_eq!(status, 200, "{body}");
    let returned = app
        .store
        .report("KTXH-THANG", "01", &period())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(returned.status, ReportStatus::Returned);
    assert_eq!(
        returned.comment.as_deref(),
        Some("Kiểm tra lại số doanh nghiệp")
    );
    let (status, answer) = save(
        &app,
        &officer,
        3,
        inputs(&f, &[("EXPORT_VALUE", "1000"), ("IMPORT_VALUE", "900")]),
        true,
    )
    .await;
    assert_eq!(status, 200, "{answer}");

    // Approved: published with the source "form", and locked.
    let (status, body) = decide(&app, &approver, 4, "approve", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        published(&app, "EXPORT_VALUE").await,
        Some((1000.0, "form".into()))
    );
    // Computed in the approval's transaction: the trade balance from the two figures, and the
    // national exports as the sum of the provinces (never a second copy that drifts).
    assert_eq!(
        published(&app, "TRADE_BALANCE").await,
        Some((100.0, "form".into()))
    );
    let national = |indicator: &'static str| {
        let store = app.store.clone();
        async move {
            let all = store
                .observations(&ObservationQuery {
                    indicator: Some(indicator.into()),
                    from: Some(period()),
                    to: Some(period()),
                    ..Default::default()
                })
                .await
                .unwrap();
            let vn = all.iter().find(|o| o.unit == "VN").unwrap().value;
            let provinces: f64 = all
                .iter()
                .filter(|o| o.unit.len() == 2 && o.unit != "VN")
                .map(|o| o.value)
                .sum();
            (vn, (provinces * 10.0).round() / 10.0)
        }
    };
    let (vn, provinces) = national("EXPORT_VALUE").await;
    assert_eq!(vn, provinces, "the nation is the sum of its provinces");
    let (status, answer) = save(&app, &officer, 5, inputs(&f, &[]), false).await;
    assert_eq!(status, 409);
    assert!(answer.to_string().contains("khóa"), "{answer}");
    // Locked against the API too: a value of an approved report changes only by a correction.
    let by = app::store::AuditEntry::system("test", "token");
    let token = app::account::auth::issue_api_token(
        app.store.as_ref(),
        "Hệ thống thử",
        &["01".to_string()],
        None,
        &by,
    )
    .await
    .unwrap()
    .1;
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header("authorization", format!("Bearer {token}"))
        .json(&json!({"observations": [
            {"indicator": "EXPORT_VALUE", "unit": "01", "period": period().to_string(), "value": 1.0},
        ]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 409);
    assert!(res.text().await.unwrap().contains("khóa"));
    assert_eq!(
        published(&app, "EXPORT_VALUE").await,
        Some((1000.0, "form".into()))
    );

    // A correction needs a reason; the published value stays until it is approved again.
    let p = period().to_string();
    let (status, _) = app
        .call(
            "entry_reopen",
            Some(&officer),
            &[
                ("unit", "01"),
                ("period", &p),
                ("version", "5"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    let (status, body) = app
        .call(
            "entry_reopen",
            Some(&officer),
            &[
                ("unit", "01"),
                ("period", &p),
                ("version", "5"),
                ("reason", "Sai số liệu nhập khẩu"),
            ],
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (status, answer) = save(
        &app,
        &officer,
        6,
        inputs(&f, &[("EXPORT_VALUE", "1000"), ("IMPORT_VALUE", "950")]),
        true,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        published(&app, "IMPORT_VALUE").await,
        Some((900.0, "form".into()))
    );
    let (status, body) = decide(&app, &approver, 7, "approve", "Đồng ý đính chính").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        published(&app, "IMPORT_VALUE").await,
        Some((950.0, "form".into()))
    );
    let revisions = app
        .store
        .revisions("IMPORT_VALUE", "01", &period())
        .await
        .unwrap();
    let last = revisions.last().unwrap();
    assert!(
        last.note
            .as_deref()
            .unwrap_or("")
            .contains("Sai số liệu nhập khẩu"),
        "the correction's reason is kept with the value: {last:?}"
    );

    // Every step is in the audit log, with who did it.
    let audit = app
        .store
        .audit_entries(&AuditQuery {
            limit: 200,
            ..Default::default()
        })
        .await
        .unwrap();
    let steps: Vec<(&str, &str)> = audit
        .iter()
        .filter(|a| a.entry.action.starts_with("report_"))
        .map(|a| (a.entry.action.as_str(), a.entry.actor.as_str()))
        .collect();
    for step in [
        ("report_save", "canbo.hanoi"),
        ("report_submit", "canbo.hanoi"),
        ("report_return", "pheduyet.hanoi"),
        ("report_approve", "pheduyet.hanoi"),
        ("report_reopen", "canbo.hanoi"),
    ] {
        assert!(steps.contains(&step), "{step:?} in {steps:?}");
    }
}

async fn a_report_from_draft_to_approval_and_a_correction_on_sqlite() {
    from_draft_to_approval_and_a_correction(start().await).await;
}

async fn a_report_from_draft_to_approval_and_a_correction_on_postgres() {
    let pg = TestPg::create("reports").await;
    from_draft_to_approval_and_a_correction(start_with(Some(&pg.url), |_| {}).await).await;
}

fn marked(issues: &[app::model::report::FieldIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.indicator.as_str()).collect()
}

/// A draft keeps a cell still wrong as typed; the marks of wrong cells and of a value far from
/// its history stay on the form read back until they are put right; the approver sees the
/// flag of a value the officer confirmed with a note, and who sent the report and when.
async fn a_draft_keeps_wrong_cells_and_the_marks_stay_until_put_right(app: Running) {
    let officer = app.cookie_for("canbo.hanoi").await;
    let approver = app.cookie_for("pheduyet.hanoi").await;
    let (_, body) = form(&app, &officer, "01").await;
    let f: EntryForm = serde_json::from_str(&body).unwrap();
    let usual = f
        .rows
        .iter()
        .find(|r| r.indicator.code == "EXPORT_VALUE")
        .and_then(|r| r.previous)
        .expect("Hà Nội exported last month");
    let far = format!("{}", (usual * 10.0).round());

    // Saved as a draft with two cells wrong: kept, as typed.
    let wrong = [("EXPORT_VALUE", "mười"), ("ONLINE_DOSSIERS", "120")];
    let (status, answer) = save(&app, &officer, 0, inputs(&f, &wrong), false).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(version_of(&answer), 1);
    let stored = app
        .store
        .report("KTXH-THANG", "01", &period())
        .await
        .unwrap()
        .unwrap();
    let export = stored.value_of("EXPORT_VALUE").unwrap();
    assert_eq!(
        (export.value, export.typed.as_deref()),
        (None, Some("mười"))
    );
    // Read back, the form marks the same two cells, and only them.
    let (_, body) = form(&app, &officer, "01").await;
    let back: EntryForm = serde_json::from_str(&body).unwrap();
    assert_eq!(marked(&back.errors), ["EXPORT_VALUE", "ONLINE_DOSSIERS"]);
    assert!(back.errors[1].message.contains("100"), "{:?}", back.errors);
    // Submitting them is refused.
    let (status, answer) = save(&app, &officer, 1, inputs(&f, &wrong), true).await;
    assert_eq!((status, &answer["outcome"]), (200, &json!("refused")));

    // Put right, but the exports ten times last month's and no note: a warning, kept with
    // the draft and shown again on the form read back.
    let (status, answer) = save(
        &app,
        &officer,
        1,
        inputs(&f, &[("EXPORT_VALUE", &far)]),
        false,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = form(&app, &officer, "01").await;
    let back: EntryForm = serde_json::from_str(&body).unwrap();
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(marked(&back.warnings), ["EXPORT_VALUE"]);

    // Confirmed with a note and submitted: the approver sees the flag, the note, and who sent
    // it when.
    let mut confirmed = inputs(&f, &[("EXPORT_VALUE", &far)]);
    for row in confirmed.as_array_mut().unwrap() {
        if row["indicator"] == "EXPORT_VALUE" {
            row["note"] = json!("Xuất khẩu lô thiết bị lớn");
        }
    }
    let (status, answer) = save(&app, &officer, 2, confirmed, true).await;
    assert_eq!(status, 200, "{answer}");
    let (_, body) = form(&app, &approver, "01").await;
    let seen: EntryForm = serde_json::from_str(&body).unwrap();
    assert!(seen.may_approve && seen.warnings.is_empty() && seen.errors.is_empty());
    let row = seen
        .rows
        .iter()
        .find(|r| r.indicator.code == "EXPORT_VALUE")
        .unwrap();
    let (lo, hi) = row
        .outlier
        .expect("the far value stays flagged for the approver");
    assert!(lo < usual && usual < hi, "{lo} {usual} {hi}");
    let report = seen.report.unwrap();
    assert_eq!(report.submitted_by.as_deref(), Some("canbo.hanoi"));
    assert!(report.submitted_at.is_some());
    assert_eq!(
        report.value_of("EXPORT_VALUE").unwrap().note.as_deref(),
        Some("Xuất khẩu lô thiết bị lớn")
    );
    // Values within their history carry no flag.
    let calm = seen
        .rows
        .iter()
        .find(|r| r.indicator.code == "IMPORT_VALUE")
        .unwrap();
    assert_eq!(calm.outlier, None);
}

async fn drafts_keep_wrong_cells_on_sqlite() {
    a_draft_keeps_wrong_cells_and_the_marks_stay_until_put_right(start().await).await;
}

async fn drafts_keep_wrong_cells_on_postgres() {
    let pg = TestPg::create("drafts").await;
    a_draft_keeps_wrong_cells_and_the_marks_stay_until_put_right(
        start_with(Some(&pg.url), |_| {}).await,
    )
    .await;
}

async fn nobody_signed_in_and_unknown_units_or_periods_get_a_clear_answer() {
    let app = start().await;
    let p = period().to_string();
    let (status, body) = app
        .call("entry_form", None, &[("unit", "01"), ("period", &p)])
        .await;
    assert_eq!(status.as_u16(), 401);
    // The one shape of a server function's refusal.
    let refusal: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal["kind"], "sign_in", "{body}");
    assert!(
        refusal["error"].as_str().unwrap().contains("đăng nhập"),
        "{body}"
    );
    let officer = app.cookie_for("canbo.hanoi").await;
    for (unit, period, expect) in [
        ("99", p.as_str(), "Không có đơn vị"),
        ("01", "2026-11-02", "không có báo cáo theo kỳ"),
        ("01", "tháng mười", "kỳ"),
    ] {
        let (status, body) = app
            .call(
                "entry_form",
                Some(&officer),
                &[("unit", unit), ("period", period)],
            )
            .await;
        assert_eq!(status.as_u16(), 404, "{unit} {period}: {body}");
        assert!(body.contains(expect), "{unit} {period}: {body}");
    }
    // A period whose window has not begun is shown read-only, with the reason.
    let later = period().next().next().next().to_string();
    let (status, body) = app
        .call(
            "entry_form",
            Some(&officer),
            &[("unit", "01"), ("period", &later)],
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let f: EntryForm = serde_json::from_str(&body).unwrap();
    assert!(f.closed.is_some());
    let (status, answer) = json_call(
        &app,
        "entry_save",
        &officer,
        json!({"unit": "01", "period": later, "version": 0, "inputs": [], "submit": false}),
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer.to_string().contains("chưa mở"), "{answer}");

    // With the cut-off on the 1st, next month's window is open from the 2nd of this month: its
    // figures may be drafted, not submitted before next month begins.
    let rules = ReportingRules {
        cutoff_day: 1,
        deadline_working_days: 2,
    };
    app.set_rules("KTXH-THANG", rules).await;
    let today = common::today();
    let next = rules.period_on(app::model::Periodicity::Monthly, today);
    if next.start() > today {
        let inputs = json!([{"indicator": "EXPORT_VALUE", "value": "1", "note": ""}]);
        let (status, answer) = json_call(
            &app,
            "entry_save",
            &officer,
            json!({"unit": "01", "period": next.to_string(), "version": 0, "inputs": inputs, "submit": true}),
        )
        .await;
        assert_eq!(status, 409, "{answer}");
        assert!(answer.to_string().contains("Chưa gửi được"), "{answer}");
        let (status, answer) = json_call(
            &app,
            "entry_save",
            &officer,
            json!({"unit": "01", "period": next.to_string(), "version": 0, "inputs": inputs, "submit": false}),
        )
        .await;
        assert_eq!(status, 200, "a draft may be kept: {answer}");
    }
}

/// The part of `html` from the element marked `data-testid="<id>"` on.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    html.split(&format!("data-testid=\"{id}\""))
        .nth(1)
        .unwrap_or("")
}

async fn leaders_see_who_reported_the_month_and_each_unit_its_own_reports() {
    // With the demo's reporting history.
    let app = start_with(None, |s| s.demo_settings.reports = true).await;
    let leader = app.cookie_for("lanhdao").await;
    let (_, html) = app.page("/", Some(&leader)).await;
    let provinces = section(&html, "completeness");
    assert!(
        provinces.contains("data-kind=\"province\""),
        "{provinces:.300}"
    );
    let period: String = provinces
        .split("data-period=\"")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let count = |html: &str, id: &str| -> usize {
        let from = section(section(html, "completeness"), id);
        from.split_once('>')
            .unwrap()
            .1
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (missing, on_time, late) = (
        count(&html, "missing"),
        count(&html, "on-time"),
        count(&html, "late"),
    );

    // The demo's reporting history: Hà Nội's reports of the months that have figures are
    // approved, on time or late, as its unit page says.
    let (_, unit_page) = app.page("/units/01", Some(&leader)).await;
    let own = section(&unit_page, "own-reports");
    let earlier = own
        .split("data-period=\"")
        .skip(1)
        .find(|row| {
            let p: String = row.chars().take_while(|c| *c != '"').collect();
            p < period
        })
        .expect("an earlier month on Hà Nội's page");
    let earlier = earlier.split("</tr>").next().unwrap();
    assert!(earlier.contains("Đã phê duyệt"), "{earlier}");
    assert!(
        earlier.contains("Đúng hạn") || earlier.contains("Muộn"),
        "{earlier}"
    );

    // Where that month has figures, the demo's other provinces reported it (most in time, a
    // few not); Hà Nội's officers, who use the demo, still owe theirs.
    let reported = app
        .store
        .report_states(&period.parse().unwrap())
        .await
        .unwrap()
        .iter()
        .filter(|s| s.unit.len() == 2)
        .count();
    assert_eq!(
        on_time + late,
        reported,
        "every province's report sent is counted"
    );
    assert!(
        section(&html, "completeness").contains("/units/01"),
        "Hà Nội is named among the missing, or none is due yet"
    );

    // Hà Nội's officer finds it on the desk, overdue once its deadline has passed.
    let officer = app.cookie_for("canbo.hanoi").await;
    let calendar = app.store.reporting_calendar().await.unwrap();
    let deadline = app::model::reporting::ReportingRules::default()
        .deadline(&period.parse().unwrap(), &calendar.days_off());
    let owed_row = |html: &str| -> Option<String> {
        section(html, "owed")
            .split("</table>")
            .next()
            .unwrap()
            .split(&format!("data-period=\"{period}\""))
            .nth(1)
            .map(|r| r.split("</tr>").next().unwrap().to_string())
    };
    let (_, desk) = app.page("/entry", Some(&officer)).await;
    if deadline < common::today() {
        let row = owed_row(&desk).expect("the overdue month on the desk");
        let late = (common::today() - deadline).num_days();
        assert!(
            row.contains(&format!("Quá hạn {late} ngày, chưa gửi")),
            "{row}"
        );
    } else {
        assert!(owed_row(&desk).is_none(), "due today is not overdue");
    }

    // Hà Nội submits that month (after its deadline, or on the day).
    let (status, body) = app
        .call(
            "entry_form",
            Some(&officer),
            &[("unit", "01"), ("period", &period)],
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let f: EntryForm = serde_json::from_str(&body).unwrap();
    let (status, answer) = json_call(
        &app,
        "entry_save",
        &officer,
        json!({"unit": "01", "period": period, "version": 0, "inputs": inputs(&f, &[]), "submit": true}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");

    let (_, html) = app.page("/", Some(&leader)).await;
    assert_eq!(count(&html, "on-time") + count(&html, "late"), reported + 1);
    assert!(count(&html, "missing") <= missing);
    let listed = section(&html, "completeness");
    let listed = listed.split("data-testid=\"reporting\"").next().unwrap();
    assert!(
        !listed.contains("href=\"/units/01\""),
        "Hà Nội is no longer missing"
    );

    // Sent: on the desk it now waits for approval, if it was overdue.
    let (_, desk) = app.page("/entry", Some(&officer)).await;
    if deadline < common::today() {
        let row = owed_row(&desk).expect("the month still on the desk");
        assert!(row.contains("Đã gửi, chờ phê duyệt"), "{row}");
    }

    // The approver is reminded on the reports page; the officer, who has sent it, is not.
    let approver = app.cookie_for("pheduyet.hanoi").await;
    let (_, html) = app.page("/entry", Some(&approver)).await;
    assert!(
        section(&html, "reminders")
            .split("</section>")
            .next()
            .unwrap()
            .contains(&format!("/entry/01/{period}")),
        "the approver is reminded"
    );
    let (_, html) = app.page("/entry", Some(&officer)).await;
    assert!(
        !section(&html, "reminders")
            .split("</section>")
            .next()
            .unwrap()
            .contains(&format!("/entry/01/{period}")),
        "sent: no reminder for the officer"
    );

    // Hà Nội's own page: that month submitted, with its timeliness.
    let (_, html) = app.page("/units/01", Some(&leader)).await;
    let own = section(&html, "own-reports");
    let row = own
        .split(&format!("data-period=\"{period}\""))
        .nth(1)
        .expect("the month's row");
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("Đã gửi, chờ phê duyệt"), "{row}");
    assert!(row.contains("Đúng hạn") || row.contains("Muộn"), "{row}");
}

crate::harness::tests![
    tokio a_report_from_draft_to_approval_and_a_correction_on_sqlite,
    postgres a_report_from_draft_to_approval_and_a_correction_on_postgres,
    tokio drafts_keep_wrong_cells_on_sqlite,
    postgres drafts_keep_wrong_cells_on_postgres,
    tokio nobody_signed_in_and_unknown_units_or_periods_get_a_clear_answer,
    tokio leaders_see_who_reported_the_month_and_each_unit_its_own_reports,
];
