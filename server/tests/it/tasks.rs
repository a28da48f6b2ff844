//! Meetings and tasks through the server functions the pages call, on SQLite and on PostgreSQL:
//! the secretariat schedules a meeting and records a conclusion assigning tasks; the lead unit
//! reports progress and done, asks for an extension that the secretariat grants; another unit's
//! officer and a leader are refused; bad input is refused field by field with nothing stored;
//! every change is in the audit log.

use crate::common::running::{Running, call_json as call, start, start_with};
use crate::common::{TestPg, today};
use app::model::task::{TaskClass, TaskQuery};
use app::store::AuditQuery;
use serde_json::{Value, json};

fn day(offset: i64) -> String {
    (today() + chrono::Duration::days(offset)).to_string()
}

fn saved_id(answer: &Value) -> i64 {
    answer["Saved"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("not saved: {answer}"))
}

fn refused_fields(answer: &Value) -> Vec<String> {
    answer["Refused"]["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("not refused: {answer}"))
        .iter()
        .map(|e| e[0].as_str().unwrap().to_string())
        .collect()
}

fn meeting_form(title: &str, starts: &str) -> Value {
    json!({"form": {
        "id": 0, "version": 0, "kind": "regular", "title": title,
        "starts_at": format!("{starts}T08:30"), "place": "Trụ sở Chính phủ", "chair": "Thủ tướng Chính phủ",
        "agenda": [
            {"title": "Tình hình kinh tế - xã hội", "presenter": "BTC",
             "documents": [{"name": "Báo cáo", "link": "https://chinhphu.vn/bc", "attachment": null}]},
            {"title": "Giải ngân đầu tư công", "presenter": "01", "documents": []}
        ],
        "participants": [
            {"name": "Bộ trưởng Bộ Tài chính", "unit": "BTC", "attendance": "present", "note": ""},
            {"name": "Chủ tịch UBND Hà Nội", "unit": "01", "attendance": "absent", "note": "Đi công tác"}
        ]
    }})
}

fn conclusion(meeting: i64, version: i64, number: &str, tasks: Value) -> Value {
    json!({"form": {"meeting": meeting, "version": version, "number": number, "date": day(0),
        "summary": "Kết luận của Thủ tướng", "tasks": tasks}})
}

async fn meeting_version(app: &Running, id: i64) -> i64 {
    app.store.meeting(id).await.unwrap().unwrap().version
}

async fn task_version(app: &Running, id: i64) -> i64 {
    app.store.task(id).await.unwrap().unwrap().version
}

async fn a_conclusion_becomes_tasks_the_lead_unit_reports_to_done(app: &Running) {
    let vp = app.cookie_for("vanphong").await;
    let btc = app.cookie_for("canbo.btc").await;
    let hanoi = app.cookie_for("canbo.hanoi").await;
    let leader = app.cookie_for("lanhdao").await;

    let (s, a) = call(
        app,
        "meeting_save",
        Some(&vp),
        meeting_form("Phiên họp tháng", &day(0)),
    )
    .await;
    assert_eq!(s, 200, "{a}");
    let meeting = saved_id(&a);
    let m = app.store.meeting(meeting).await.unwrap().unwrap();
    assert_eq!(m.agenda.len(), 2);
    assert_eq!(m.participants.len(), 2);

    let tasks = json!([
        {"content": "Hoàn thiện báo cáo thu ngân sách", "lead": "BTC", "coordinating": "01", "deadline": day(3), "priority": "high"},
        {"content": "Trình Nghị định", "lead": "BTC", "coordinating": "", "deadline": day(5), "priority": ""}
    ]);
    let (s, a) = call(
        app,
        "task_assign",
        Some(&vp),
        conclusion(
            meeting,
            meeting_version(app, meeting).await,
            "123/TB-VPCP",
            tasks,
        ),
    )
    .await;
    assert_eq!(s, 200, "{a}");
    saved_id(&a);
    let mine = app
        .store
        .tasks(&TaskQuery {
            meeting: Some(meeting),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    let (first, second) = (mine[0].id, mine[1].id);
    assert_eq!(mine[0].class_on(today()), TaskClass::InProgress);
    assert_eq!(
        app.store
            .meeting(meeting)
            .await
            .unwrap()
            .unwrap()
            .conclusions[0]
            .document
            .number,
        "123/TB-VPCP"
    );

    // Another unit's officer cannot report on BTC's task; a leader cannot decide anything.
    let v = task_version(app, first).await;
    let report = |kind: &str, percent: &str, note: &str, to: &str, version: i64, task: i64| {
        json!({"form": {"task": task, "version": version, "kind": kind, "percent": percent,
            "note": note, "extend_to": to, "document": "15/BTC-KH ngày hôm nay"}})
    };
    let (s, a) = call(
        app,
        "task_report",
        Some(&hanoi),
        report("done", "", "", "", v, first),
    )
    .await;
    assert_eq!(s, 403, "{a}");
    assert!(a.to_string().contains("BTC"), "{a}");
    assert_eq!(task_version(app, first).await, v, "nothing changed");

    // Progress, then done: done before the deadline is "not yet due, done early".
    let (s, a) = call(
        app,
        "task_report",
        Some(&btc),
        report("progress", "60", "Đang lấy ý kiến", "", v, first),
    )
    .await;
    assert_eq!(s, 200, "{a}");
    saved_id(&a);
    // A stale form (read before the progress) is refused (409) and changes nothing.
    let (s, a) = call(
        app,
        "task_report",
        Some(&btc),
        report("done", "", "", "", v, first),
    )
    .await;
    assert_eq!((s, a["kind"].as_str()), (409, Some("conflict")), "{a}");
    assert!(a["error"].as_str().unwrap().contains("người khác"), "{a}");
    let v = task_version(app, first).await;
    let (_, a) = call(
        app,
        "task_report",
        Some(&btc),
        report("done", "", "Đã gửi báo cáo", "", v, first),
    )
    .await;
    saved_id(&a);
    // Reported done, it waits for the secretariat: it does not count as done yet, and a leader
    // or the lead unit cannot confirm it.
    let reported = app.store.task(first).await.unwrap().unwrap();
    assert_eq!((reported.awaiting, reported.done_on), (Some(today()), None));
    assert_eq!(reported.class_on(today()), TaskClass::InProgress);
    let v = task_version(app, first).await;
    let confirm = |yes: bool, reason: &str, version: i64| json!({"decision": {"task": first, "version": version, "confirm": yes, "reason": reason}});
    for who in [&leader, &btc] {
        let (s, a) = call(app, "task_confirm", Some(who), confirm(true, "", v)).await;
        assert_eq!(s, 403, "{a}");
    }
    // Returned with a reason, reported again, then confirmed.
    let (_, a) = call(
        app,
        "task_confirm",
        Some(&vp),
        confirm(false, "Thiếu văn bản trình", v),
    )
    .await;
    saved_id(&a);
    let returned = app.store.task(first).await.unwrap().unwrap();
    assert_eq!((returned.awaiting, returned.percent), (None, 60));
    let v = task_version(app, first).await;
    let (_, a) = call(
        app,
        "task_report",
        Some(&btc),
        report("done", "", "Đã trình lại", "", v, first),
    )
    .await;
    saved_id(&a);
    let v = task_version(app, first).await;
    let (_, a) = call(app, "task_confirm", Some(&vp), confirm(true, "", v)).await;
    saved_id(&a);
    let done = app.store.task(first).await.unwrap().unwrap();
    assert_eq!((done.done_on, done.awaiting), (Some(today()), None));
    assert_eq!(done.class_on(today()), TaskClass::DoneEarly);
    assert_eq!(
        done.class_on(today() + chrono::Duration::days(3)),
        TaskClass::DoneOnTime
    );
    assert_eq!(done.percent, 100);

    // An extension: asked by BTC with a reason, refused to a leader, granted by the secretariat.
    let v = task_version(app, second).await;
    let (_, a) = call(
        app,
        "task_report",
        Some(&btc),
        report(
            "extension",
            "",
            "Cần thêm ý kiến các bộ",
            &day(20),
            v,
            second,
        ),
    )
    .await;
    saved_id(&a);
    let v = task_version(app, second).await;
    let decision = |grant: bool, reason: &str, version: i64| json!({"decision": {"task": second, "version": version, "grant": grant, "reason": reason}});
    let (s, _) = call(app, "task_decide", Some(&leader), decision(true, "", v)).await;
    assert_eq!(s, 403);
    let (s, _) = call(app, "task_decide", Some(&btc), decision(true, "", v)).await;
    assert_eq!(s, 403, "the lead unit does not grant its own extension");
    let (_, a) = call(app, "task_decide", Some(&vp), decision(true, "", v)).await;
    saved_id(&a);
    let t = app.store.task(second).await.unwrap().unwrap();
    assert_eq!(
        t.dates().deadline_in_force(),
        Some(today() + chrono::Duration::days(20))
    );
    assert_eq!(t.pending_extension, None);
    assert_eq!(t.history.len(), 3, "{:?}", t.history);

    // The list and counts of BTC's tasks as the /tasks page reads them.
    let (s, list) = app
        .call(
            "tasks",
            Some(&leader),
            &[
                ("view", "all"),
                ("unit", "BTC"),
                ("from", &day(0)),
                ("to", &day(0)),
            ],
        )
        .await;
    assert_eq!(s, 200, "{list}");
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["total"]["done_early"], 1, "{}", list["total"]);
    assert_eq!(list["total"]["in_progress"], 1);
    assert_eq!(list["rows"].as_array().unwrap().len(), 2);

    // Every change is audited with who did it.
    let audit = app
        .store
        .audit_entries(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let created = audit
        .iter()
        .find(|r| r.entry.action == "meeting_create")
        .unwrap();
    assert_eq!(created.entry.target, Some(format!("meeting:{meeting}")));
    for (action, actor) in [
        ("meeting_create", "vanphong"),
        ("conclusion_record", "vanphong"),
        ("task_progress", "canbo.btc"),
        ("task_done", "canbo.btc"),
        ("task_extension", "canbo.btc"),
        ("task_extension_grant", "vanphong"),
    ] {
        assert!(
            audit
                .iter()
                .any(|r| r.entry.action == action && r.entry.actor == actor),
            "{action} by {actor} not audited"
        );
    }
}

async fn a_conclusion_becomes_tasks_the_lead_unit_reports_to_done_on_sqlite() {
    let app = start().await;
    a_conclusion_becomes_tasks_the_lead_unit_reports_to_done(&app).await;
}

async fn a_conclusion_becomes_tasks_the_lead_unit_reports_to_done_on_postgres() {
    let pg = TestPg::create("tasks_flow").await;
    let app = start_with(Some(&pg.url), |_| {}).await;
    a_conclusion_becomes_tasks_the_lead_unit_reports_to_done(&app).await;
    app.store.close().await;
}

/// Deadlines before the meeting, empty titles, markup, a task without a lead unit, a link that
/// is not http(s), unknown units: each named beside its field, nothing stored.
async fn bad_meetings_and_tasks_are_refused_field_by_field_and_nothing_is_stored() {
    let app = start().await;
    let vp = app.cookie_for("vanphong").await;
    let before = app.store.meetings(&Default::default()).await.unwrap().len();
    let tasks_before = app.store.tasks(&Default::default()).await.unwrap().len();

    let mut bad = meeting_form("", &day(0));
    bad["form"]["agenda"][0]["title"] = json!("<script>alert(1)</script>");
    bad["form"]["agenda"][0]["documents"][0]["link"] = json!("javascript:alert(1)");
    bad["form"]["agenda"][1]["presenter"] = json!("../../etc");
    bad["form"]["chair"] = json!("<img src=x onerror=alert(1)>");
    let (s, a) = call(&app, "meeting_save", Some(&vp), bad).await;
    assert_eq!(s, 200, "{a}");
    let fields = refused_fields(&a);
    for f in [
        "title",
        "chair",
        "agenda.0.title",
        "agenda.0.documents.0",
        "agenda.1.presenter",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} not named: {fields:?}");
    }
    assert!(a.to_string().contains("HTML"), "{a}");
    assert_eq!(
        app.store.meetings(&Default::default()).await.unwrap().len(),
        before
    );

    let (_, a) = call(
        &app,
        "meeting_save",
        Some(&vp),
        meeting_form("Phiên họp chuyên đề", &day(2)),
    )
    .await;
    let meeting = saved_id(&a);
    let version = meeting_version(&app, meeting).await;
    let tasks = json!([
        {"content": "Trước ngày họp", "lead": "BTC", "coordinating": "", "deadline": day(1), "priority": ""},
        {"content": "Không có đơn vị chủ trì", "lead": "", "coordinating": "", "deadline": day(9), "priority": ""},
        {"content": "<b>đậm</b>", "lead": "XYZ", "coordinating": "BTC, QQQ", "deadline": "31/02/2026", "priority": "top"}
    ]);
    let mut form = conclusion(meeting, version, "12 3/TB", tasks);
    form["form"]["date"] = json!(day(2));
    let (s, a) = call(&app, "task_assign", Some(&vp), form).await;
    assert_eq!(s, 200);
    let fields = refused_fields(&a);
    for f in [
        "number",
        "tasks.0.deadline",
        "tasks.1.lead",
        "tasks.2.content",
        "tasks.2.lead",
        "tasks.2.coordinating",
        "tasks.2.deadline",
        "tasks.2.priority",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} not named: {fields:?}");
    }
    assert!(a.to_string().contains("trước ngày họp"), "{a}");
    assert_eq!(
        app.store.tasks(&Default::default()).await.unwrap().len(),
        tasks_before
    );
    let stored = app.store.meeting(meeting).await.unwrap().unwrap();
    assert!(stored.conclusions.is_empty());
    assert_eq!(stored.version, version);

    // Only the secretariat schedules and assigns; nobody unsigned reads.
    let officer = app.cookie_for("canbo.btc").await;
    let (s, _) = call(
        &app,
        "meeting_save",
        Some(&officer),
        meeting_form("Họp", &day(0)),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(&app, "meeting_save", None, meeting_form("Họp", &day(0))).await;
    assert_eq!(s, 401);
    let (s, body) = app
        .call(
            "tasks",
            None,
            &[("view", ""), ("unit", ""), ("from", ""), ("to", "")],
        )
        .await;
    assert_eq!(s, 401, "{body}");
    let (s, body) = app.call("task", Some(&officer), &[("id", "999999")]).await;
    assert_eq!(s, 404, "{body}");
    let (s, body) = app
        .call(
            "tasks",
            Some(&officer),
            &[
                ("view", ""),
                ("unit", ""),
                ("from", "2026-13-01"),
                ("to", ""),
            ],
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(
        app.store.meetings(&Default::default()).await.unwrap().len(),
        before + 1
    );

    // A ministry's officer reports an open task done with nothing attached, dated before it
    // was assigned, or in the future: each refused on its field, and the task unchanged.
    let open = app
        .store
        .tasks(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.lead == "BTC" && t.done_on.is_none() && t.awaiting.is_none())
        .expect("an open task of BTC in the demo");
    let before_assigned = (open.assigned_on - chrono::Duration::days(2)).to_string();
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    for (done_on, document, field) in [
        ("", "", "document"),
        (before_assigned.as_str(), "15/BTC-KH", "done_on"),
        (tomorrow.as_str(), "15/BTC-KH", "done_on"),
    ] {
        let (s, a) = call(
            &app,
            "task_report",
            Some(&officer),
            json!({"form": {"task": open.id, "version": open.version, "kind": "done", "percent": "",
                "note": "", "extend_to": "", "done_on": done_on, "document": document}}),
        )
        .await;
        assert_eq!(s, 200, "{a}");
        assert!(
            refused_fields(&a).contains(&field.to_string()),
            "{field}: {a}"
        );
    }
    assert_eq!(app.store.task(open.id).await.unwrap().unwrap(), open);
}

/// The meeting and task pages render on the server for a signed-in person, with the demo's
/// meetings and tasks, and tell an anonymous reader to sign in.
async fn meeting_and_task_pages_render_for_a_signed_in_person() {
    let app = start().await;
    let leader = app.cookie_for("lanhdao").await;
    // The demo holds its regular meeting 30 days before the day it is seeded for.
    let held = today() - chrono::Duration::days(30);
    let (year, month) = (
        chrono::Datelike::year(&held),
        chrono::Datelike::month(&held),
    );
    let (_, html) = app
        .page(
            &format!("/meetings?month={year:04}-{month:02}"),
            Some(&leader),
        )
        .await;
    assert!(
        html.contains("Phiên họp Chính phủ thường kỳ (mô phỏng)"),
        "{html}"
    );
    let (_, html) = app.page("/tasks?view=overdue", Some(&leader)).await;
    assert!(html.contains("Quá hạn, chưa hoàn thành"), "{html}");
    assert!(html.contains("data-testid=\"total-counts\""));
    let id = app.store.tasks(&Default::default()).await.unwrap()[0].id;
    let (_, html) = app.page(&format!("/tasks/{id}"), Some(&leader)).await;
    assert!(html.contains("Quá trình thực hiện"), "{html}");
    let (_, html) = app.page("/tasks", None).await;
    assert!(html.contains("Vui lòng đăng nhập"), "{html}");
}

async fn upload(app: &Running, cookie: Option<&str>, name: &str, body: Vec<u8>) -> (u16, Value) {
    let mut req = app
        .http
        .post(format!("{}/api/v1/attachments", app.base))
        .query(&[("name", name)])
        .header("origin", &app.base)
        .body(body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Documents are attached by the secretariat and officers, read back by anyone signed in, and
/// stored under their hash: path-like names, programs, oversize files, unsigned or read-only
/// senders are refused with a clear message and nothing is written.
async fn attachments_are_stored_safely_and_bad_files_are_refused() {
    let app = start().await;
    let vp = app.cookie_for("vanphong").await;
    let btc = app.cookie_for("canbo.btc").await;
    let leader = app.cookie_for("lanhdao").await;
    let folder = app.data_dir().join("attachments");
    let pdf = b"%PDF-1.7 bao cao".to_vec();

    let (s, a) = upload(&app, Some(&vp), "Báo cáo tháng 11.pdf", pdf.clone()).await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    assert_eq!(a["name"], "Báo cáo tháng 11.pdf");

    for (name, body, status, says) in [
        ("../../etc/passwd.pdf", pdf.clone(), 422, "đường dẫn"),
        ("a\\b.docx", pdf.clone(), 422, "đường dẫn"),
        ("setup.exe", pdf.clone(), 422, "programs"),
        (
            "hoa-don.pdf",
            b"MZ\x90\x00\x03".to_vec(),
            422,
            "chương trình",
        ),
        ("rong.pdf", Vec::new(), 422, "rỗng"),
        ("lon.pdf", vec![b'%'; 21 * 1024 * 1024], 413, "quá lớn"),
    ] {
        let (s, a) = upload(&app, Some(&btc), name, body).await;
        assert_eq!(s, status, "{name}: {a}");
        assert!(
            a["error"].as_str().unwrap_or_default().contains(says),
            "{name}: {a}"
        );
    }
    let (s, _) = upload(&app, None, "x.pdf", pdf.clone()).await;
    assert_eq!(s, 401);
    let (s, _) = upload(&app, Some(&leader), "x.pdf", pdf.clone()).await;
    assert_eq!(s, 403);
    // Only the one good file was written, under its hash, inside the folder.
    let files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].len() == 64 && files[0].bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!app.data_dir().parent().unwrap().join("etc").exists());

    let res = app
        .http
        .get(format!("{}/attachments/{id}", app.base))
        .header("cookie", &leader)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''B%C3%A1o"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let res = app
        .http
        .get(format!("{}/attachments/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    // A meeting names a stored attachment, not a made-up one; a task's evidence likewise.
    let mut form = meeting_form("Phiên họp có tài liệu", &day(0));
    form["form"]["agenda"][0]["documents"] =
        json!([{"name": "", "link": "", "attachment": 987654}]);
    let (_, a) = call(&app, "meeting_save", Some(&vp), form.clone()).await;
    assert!(
        refused_fields(&a).contains(&"agenda.0.documents.0".to_string()),
        "{a}"
    );
    form["form"]["agenda"][0]["documents"] = json!([{"name": "", "link": "", "attachment": id}]);
    let (_, a) = call(&app, "meeting_save", Some(&vp), form).await;
    let meeting = app.store.meeting(saved_id(&a)).await.unwrap().unwrap();
    assert_eq!(meeting.agenda[0].documents[0].name, "Báo cáo tháng 11.pdf");

    let (_, a) = call(&app, "task_assign", Some(&vp), json!({"form": {"meeting": 0, "version": 0,
        "number": "7/CT-TTg", "date": day(0), "summary": "",
        "tasks": [{"content": "Báo cáo nhanh", "lead": "BTC", "coordinating": "", "deadline": day(2), "priority": ""}]}})).await;
    let task = saved_id(&a);
    let v = task_version(&app, task).await;
    let (_, a) = call(
        &app,
        "task_report",
        Some(&btc),
        json!({"form": {"task": task, "version": v,
        "kind": "done", "percent": "", "note": "Đã gửi", "extend_to": "",
        "evidence": {"name": "", "link": "", "attachment": id}}}),
    )
    .await;
    saved_id(&a);
    let t = app.store.task(task).await.unwrap().unwrap();
    let evidence = t.history.last().unwrap().what.evidence().unwrap();
    assert_eq!(evidence.attachment, Some(id));
}

crate::harness::tests![
    tokio a_conclusion_becomes_tasks_the_lead_unit_reports_to_done_on_sqlite,
    postgres a_conclusion_becomes_tasks_the_lead_unit_reports_to_done_on_postgres,
    tokio bad_meetings_and_tasks_are_refused_field_by_field_and_nothing_is_stored,
    tokio meeting_and_task_pages_render_for_a_signed_in_person,
    tokio attachments_are_stored_safely_and_bad_files_are_refused,
];
