//! Notifications by e-mail (issue 26), through a real SMTP server (aiosmtpd, installed by
//! `scripts/setup --browser`, keeping what it receives as a maildir). The demo's units owe
//! reports (the tests' demo has no reporting history): each overdue report is told once to the
//! unit's officer, to its approver some working days on, and to the secretariat after as many
//! again, in Vietnamese, with the page's address. Nothing is sent twice: not on the next rounds,
//! not after a restart, not by two instances sharing PostgreSQL. A mail server that is down
//! keeps the mail waiting until it is back; an address it refuses fails that notification only.

use crate::common::TestPg;
use crate::common::running::{Running, start_again, start_with};
use crate::harness::Skip;
use app::model::notification::{MailState, Notification, NotifyKind};
use server::config::{Settings, SmtpSettings};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// aiosmtpd on a port of its own, keeping every message in `dir/new`.
struct MailCatcher {
    port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

fn aiosmtpd() -> Result<PathBuf, Skip> {
    let tools = std::env::var("DIEUHANH_TOOLS").map_or_else(
        |_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/dieuhanh/tools"),
        PathBuf::from,
    );
    let bin = tools.join("aiosmtpd/bin/aiosmtpd");
    if bin.is_file() {
        return Ok(bin);
    }
    let why = format!(
        "{} is missing: `scripts/setup --browser` installs it",
        bin.display()
    );
    if std::env::var("DIEUHANH_REQUIRE_SMTP").as_deref() == Ok("1") {
        panic!("{why}");
    }
    Err(Skip(why))
}

impl MailCatcher {
    fn start() -> Result<MailCatcher, Skip> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut catcher = MailCatcher {
            port,
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        catcher.resume()?;
        Ok(catcher)
    }

    /// Starts the server (again, on the same port and maildir) and waits until it answers.
    fn resume(&mut self) -> Result<(), Skip> {
        let child = std::process::Command::new(aiosmtpd()?)
            .args(["-n", "-l", &format!("127.0.0.1:{}", self.port)])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.dir.path().join("box"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not answer on {}", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received: (to, subject, text body).
    fn received(&self) -> Vec<(String, String, String)> {
        let new = self.dir.path().join("box/new");
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Vec::new();
        };
        entries
            .map(|e| {
                let raw = std::fs::read(e.unwrap().path()).unwrap();
                let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
                let to = m
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_string();
                (
                    to,
                    m.subject().unwrap_or_default().to_string(),
                    m.body_text(0).unwrap_or_default().to_string(),
                )
            })
            .collect()
    }
}

impl Drop for MailCatcher {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The test server's notifier: a round a second, mail through `smtp`, a failed try again a
/// second later.
fn notifying(s: &mut Settings, smtp: &str) {
    s.notify.interval = Duration::from_secs(1);
    s.notify.retry_first = Duration::from_secs(1);
    s.notify.smtp = Some(SmtpSettings::parse(smtp, None, None).unwrap());
}

async fn user_id(app: &Running, username: &str) -> i64 {
    app.store
        .user_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn inbox(app: &Running, username: &str) -> Vec<Notification> {
    let id = user_id(app, username).await;
    app.store.inbox(id, 1000).await.unwrap()
}

/// Waits (up to 30 s) until `done` holds of what the catcher received.
async fn until(
    catcher: &MailCatcher,
    what: &str,
    done: impl Fn(&[(String, String, String)]) -> bool,
) -> Vec<(String, String, String)> {
    for _ in 0..300 {
        let got = catcher.received();
        if done(&got) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {:#?}", catcher.received());
}

/// How many times each (address, subject) arrived.
fn counted(mails: &[(String, String, String)]) -> HashMap<(String, String), usize> {
    let mut n = HashMap::new();
    for (to, subject, _) in mails {
        *n.entry((to.clone(), subject.clone())).or_default() += 1;
    }
    n
}

async fn overdue_reports_are_told_once_by_mail(database: Option<&str>) -> Result<(), Skip> {
    let mut catcher = MailCatcher::start()?;
    let url = catcher.url();
    let app = start_with(database, |s| notifying(s, &url)).await;

    // The officer's inbox: every report Hà Nội owes, each once, with its e-mail on its way.
    let mut told = Vec::new();
    for _ in 0..100 {
        told = inbox(&app, "canbo.hanoi").await;
        if !told.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let overdue: Vec<&Notification> = told
        .iter()
        .filter(|n| n.kind == NotifyKind::ReportOverdue)
        .collect();
    assert!(!overdue.is_empty(), "{told:#?}");
    // The oldest: its deadline is long past, so every step has been taken.
    let latest = overdue.iter().min_by_key(|n| n.id).unwrap().subject.clone();
    assert!(
        latest.starts_with("Quá hạn: ") && latest.contains("Hà Nội"),
        "{latest}"
    );

    // The approver and the secretariat hear of the same report.
    let mails = until(&catcher, "officer, approver and secretariat", |got| {
        ["canbo.hanoi", "pheduyet.hanoi", "vanphong"]
            .iter()
            .all(|who| {
                got.iter()
                    .any(|(to, s, _)| *to == format!("{who}@demo.invalid") && *s == latest)
            })
    })
    .await;
    let (_, _, body) = mails
        .iter()
        .find(|(to, s, _)| to == "canbo.hanoi@demo.invalid" && *s == latest)
        .unwrap();
    assert!(
        body.contains("quá hạn từ ngày")
            && body.contains("chưa được gửi")
            && body.contains("has not been sent")
            && body.contains(&format!("{}/entry/01/", app.base)),
        "{body}"
    );
    let (_, _, escalated) = mails
        .iter()
        .find(|(to, s, _)| to == "pheduyet.hanoi@demo.invalid" && *s == latest)
        .unwrap();
    assert!(escalated.contains("ngày làm việc"), "{escalated}");
    // Nobody else's: the ministry's officer hears of the ministry's reports only.
    assert!(
        !mails
            .iter()
            .any(|(to, s, _)| to == "canbo.btc@demo.invalid" && s.contains("Hà Nội")),
        "{mails:#?}"
    );

    // Every e-mail decided is sent, each once, and the rounds that follow (one a second) send
    // nothing again.
    let sent = settle(&app).await;
    let after = catcher.received();
    assert_eq!(after.len(), sent, "one mail per notification: {after:#?}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(catcher.received().len(), sent, "nothing twice");

    // The mail server goes down; a new officer of Hà Nội is told while it is: the mail waits,
    // is tried again, and arrives once when the server is back.
    catcher.stop();
    new_account(
        &app,
        "canbo2.hanoi",
        app::model::auth::Role::Officer,
        "canbo2.hanoi@demo.invalid",
    )
    .await;
    let mut waiting = Vec::new();
    for _ in 0..100 {
        waiting = inbox(&app, "canbo2.hanoi").await;
        if waiting.iter().any(|n| n.error.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !waiting.is_empty() && waiting.iter().all(|n| n.mail == MailState::Pending),
        "{waiting:#?}"
    );
    assert!(
        waiting.iter().any(|n| n.error.is_some()),
        "tried, and the server did not answer: {waiting:#?}"
    );
    catcher.resume()?;
    let sent = settle(&app).await;
    assert_eq!(catcher.received().len(), sent);
    let theirs = catcher
        .received()
        .into_iter()
        .filter(|(to, _, _)| to == "canbo2.hanoi@demo.invalid")
        .count();
    assert_eq!(theirs, waiting.len(), "each waiting mail once");

    // An address that is not one fails that person's notifications, with the reason; another
    // officer told at the same time gets theirs.
    new_account(
        &app,
        "pheduyet2.hanoi",
        app::model::auth::Role::Approver,
        "pheduyet2 không có địa chỉ",
    )
    .await;
    new_account(
        &app,
        "canbo3.hanoi",
        app::model::auth::Role::Officer,
        "canbo3.hanoi@demo.invalid",
    )
    .await;
    for _ in 0..100 {
        if !inbox(&app, "pheduyet2.hanoi").await.is_empty()
            && !inbox(&app, "canbo3.hanoi").await.is_empty()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent = settle(&app).await;
    let refused = inbox(&app, "pheduyet2.hanoi").await;
    assert!(
        !refused.is_empty()
            && refused.iter().all(|n| n.mail == MailState::Failed
                && n.error
                    .as_deref()
                    .is_some_and(|e| e.contains("không hợp lệ"))),
        "{refused:#?}"
    );
    assert!(
        catcher
            .received()
            .iter()
            .any(|(to, _, _)| to == "canbo3.hanoi@demo.invalid")
    );
    assert_eq!(catcher.received().len(), sent);

    // The server restarts on the same database: nothing is sent again.
    let database = database
        .map(str::to_string)
        .unwrap_or_else(|| format!("sqlite://{}", app.data_dir().join("s.db").display()));
    // (The folder of a SQLite file stays until the end of the test.)
    let _kept = app.stop_and_keep();
    let again = start_again(&database, |s| notifying(s, &url)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(settle(&again).await, sent);
    assert_eq!(
        catcher.received().len(),
        sent,
        "nothing twice after a restart"
    );
    Ok(())
}

/// The demo's people and those the test adds.
const PEOPLE: [&str; 10] = [
    "quantri",
    "lanhdao",
    "vanphong",
    "canbo.hanoi",
    "pheduyet.hanoi",
    "canbo.btc",
    "pheduyet.btc",
    "canbo2.hanoi",
    "pheduyet2.hanoi",
    "canbo3.hanoi",
];

/// Waits (up to 30 s) until no e-mail is waiting; the number sent.
async fn settle(app: &Running) -> usize {
    for _ in 0..300 {
        let mut sent = 0;
        let mut waiting = 0;
        for who in PEOPLE {
            let Some(u) = app.store.user_by_username(who).await.unwrap() else {
                continue;
            };
            for n in app.store.inbox(u.id, 1000).await.unwrap() {
                match n.mail {
                    MailState::Sent => sent += 1,
                    MailState::Pending => waiting += 1,
                    _ => {}
                }
            }
        }
        if waiting == 0 && sent > 0 {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("mail still waiting after 30 s");
}

/// An account of Hà Nội with `role` and `email`, as an administrator makes one.
async fn new_account(app: &Running, username: &str, role: app::model::auth::Role, email: &str) {
    let hash = app::account::auth::hash_password("mat-khau-moi-2026").unwrap();
    app.store
        .create_user(
            &app::store::NewUser {
                username: username.into(),
                display_name: username.into(),
                password_hash: hash,
                roles: vec![app::model::auth::RoleGrant {
                    role,
                    unit: Some("01".into()),
                }],
                email: Some(email.into()),
            },
            &app::store::AuditEntry::system("user_create", username),
        )
        .await
        .unwrap();
}

async fn mail_on_sqlite() -> Result<(), Skip> {
    overdue_reports_are_told_once_by_mail(None).await
}

async fn mail_on_postgres() -> Result<(), Skip> {
    let db = TestPg::create("notify_mail").await;
    overdue_reports_are_told_once_by_mail(Some(&db.url)).await
}

/// Two instances on one PostgreSQL, both deciding and sending every second: each mail once.
async fn two_instances_send_each_mail_once() -> Result<(), Skip> {
    let catcher = MailCatcher::start()?;
    let url = catcher.url();
    let db = TestPg::create("notify_two").await;
    let one = start_with(Some(&db.url), |s| notifying(s, &url)).await;
    let two = start_again(&db.url, |s| notifying(s, &url)).await;
    let mails = until(&catcher, "the officer's mail", |got| {
        got.iter()
            .any(|(to, _, _)| to == "canbo.hanoi@demo.invalid")
    })
    .await;
    let sent = settle(&one).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let all = catcher.received();
    assert_eq!(all.len(), sent);
    assert!(all.len() >= mails.len());
    assert!(
        counted(&all).values().all(|n| *n == 1),
        "each mail once from two instances: {all:#?}"
    );
    let officer = inbox(&one, "canbo.hanoi").await;
    assert!(officer.iter().all(|n| n.mail == MailState::Sent));
    assert_eq!(
        all.iter()
            .filter(|(to, _, _)| to == "canbo.hanoi@demo.invalid")
            .count(),
        officer.len()
    );
    drop(two);
    Ok(())
}

/// A notification for `user` that they want in their daily digest.
fn kept_for_digest(
    user: i64,
    about: &str,
    subject: &str,
) -> app::model::notification::NewNotification {
    app::model::notification::NewNotification {
        user_id: user,
        kind: NotifyKind::ReportWaiting,
        about: about.into(),
        subject: subject.into(),
        body: format!("{subject}: nội dung (body)"),
        link: "/entry?unit=01".into(),
        mail_to: Some("pheduyet.hanoi@demo.invalid".into()),
        delivery: app::model::notification::Delivery::Digest,
    }
}

/// The inbox as its owner sees it: the bell's count in the top bar and live on the person's
/// own topic (nobody else's), the page, read one by one or all at once. The account page's
/// e-mail settings: a bad address or choice refused with nothing changed, a good one kept with
/// its audit row. The daily digest: what was kept for it before today's hour goes in one
/// e-mail; what came after waits for tomorrow's.
async fn inbox_bell_settings_and_digest() -> Result<(), Skip> {
    let catcher = MailCatcher::start()?;
    let url = catcher.url();
    let app = start_with(None, |s| notifying(s, &url)).await;
    let officer = user_id(&app, "canbo.hanoi").await;
    let approver = user_id(&app, "pheduyet.hanoi").await;
    let cookie = app.cookie_for("canbo.hanoi").await;

    // Wait for the first round's notifications, and the officer's mail, to settle.
    let mut told = Vec::new();
    for _ in 0..100 {
        told = inbox(&app, "canbo.hanoi").await;
        if !told.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!told.is_empty());
    settle(&app).await;
    let unread = told.len() as i64;

    // The bell on the served page, and the inbox listing each subject.
    let (_, page) = app.page("/", Some(&cookie)).await;
    let bell = page
        .split("data-testid=\"inbox-count\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once('<'))
        .map(|(count, _)| count.to_string());
    assert_eq!(bell, Some(unread.to_string()), "the bell's count");
    let (_, list) = app.page("/inbox", Some(&cookie)).await;
    assert!(list.contains("data-testid=\"inbox-page\""));
    assert!(list.contains(&told[0].subject), "the newest listed");
    assert!(list.contains("Đã gửi thư"), "where its e-mail stands");

    // Live: the count on the person's own topic; another's is refused.
    let mut ws = crate::common::live::Live::with_cookie(&app, &cookie).await;
    let snap = ws.subscribe(&[&format!("inbox:{officer}")]).await;
    assert_eq!(snap[0]["data"], serde_json::json!([{"unread": unread}]));
    ws.send(serde_json::json!({"type": "subscribe", "topics": [format!("inbox:{approver}")]}))
        .await;
    let refused = ws.next_within(5).await.expect("an error");
    assert_eq!(refused["type"], "error", "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("hộp thư"),
        "{refused}"
    );
    let token = app.api_token(&["01"]).await;
    let mut machine = crate::common::live::Live::with_token(&app, &token).await;
    machine
        .send(serde_json::json!({"type": "subscribe", "topics": [format!("inbox:{officer}")]}))
        .await;
    assert_eq!(machine.next_within(5).await.unwrap()["type"], "error");

    // Read one: the count falls by one, live; another person's id changes nothing.
    let (status, body) = app
        .call(
            "inbox_read",
            Some(&cookie),
            &[("id", &told[0].id.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let update = ws.next_within(5).await.expect("the new count");
    assert_eq!(update["type"], "update");
    assert_eq!(update["data"], serde_json::json!({"unread": unread - 1}));
    let theirs = inbox(&app, "vanphong").await;
    if let Some(n) = theirs.first() {
        let other = app.cookie_for("lanhdao").await;
        app.call("inbox_read", Some(&other), &[("id", &n.id.to_string())])
            .await;
        assert!(!inbox(&app, "vanphong").await[0].read, "not theirs to mark");
    }
    let (status, _) = app.call("inbox_read", Some(&cookie), &[("id", "0")]).await;
    assert_eq!(status, 200);
    let update = ws.next_within(5).await.expect("none unread");
    assert_eq!(update["data"], serde_json::json!({"unread": 0}));
    assert!(inbox(&app, "canbo.hanoi").await.iter().all(|n| n.read));
    let (status, _) = app.call("inbox_read", None, &[("id", "0")]).await;
    assert_eq!(status, 401);

    // The account's e-mail settings: bad ones refused, nothing changed.
    let contact = |app: &Running| {
        let store = app.store.clone();
        async move {
            store
                .contacts(Some(officer))
                .await
                .unwrap()
                .into_iter()
                .find(|c| c.user_id == officer)
                .unwrap()
        }
    };
    let before = contact(&app).await;
    let (status, body) = app
        .call(
            "mail_settings_save",
            Some(&cookie),
            &[
                ("email", "canbo không phải thư"),
                ("prefs", "report_due=weekly"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("không phải địa chỉ thư điện tử") && body.contains("report_due=weekly"),
        "{body}"
    );
    assert_eq!(contact(&app).await, before);
    let (status, body) = app
        .call(
            "mail_settings_save",
            Some(&cookie),
            &[
                ("email", " canbo@hanoi.gov.vn "),
                ("prefs", "report_due=off,report_overdue=digest"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = contact(&app).await;
    assert_eq!(after.email.as_deref(), Some("canbo@hanoi.gov.vn"));
    assert_eq!(
        after.prefs.of(NotifyKind::ReportOverdue),
        app::model::notification::Delivery::Digest
    );
    let (_, account) = app.page("/account", Some(&cookie)).await;
    assert!(
        account.contains("Thư thông báo"),
        "the settings on the page"
    );

    // The digest: two kept since yesterday go in one e-mail; one made now waits.
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    app.store
        .notify(
            &[
                kept_for_digest(approver, "test/digest/1", "Chờ phê duyệt: báo cáo một"),
                kept_for_digest(approver, "test/digest/2", "Chờ phê duyệt: báo cáo hai"),
            ],
            yesterday,
        )
        .await
        .unwrap();
    app.store
        .notify(
            &[kept_for_digest(
                approver,
                "test/digest/3",
                "Chờ phê duyệt: báo cáo ba",
            )],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let mails = until(&catcher, "the digest", |got| {
        got.iter().any(|(_, s, _)| s.contains("daily digest"))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let digests: Vec<_> = catcher
        .received()
        .into_iter()
        .filter(|(_, s, _)| s.contains("daily digest"))
        .collect();
    assert_eq!(digests.len(), 1, "one digest: {mails:#?}");
    let (to, subject, body) = &digests[0];
    assert_eq!(to, "pheduyet.hanoi@demo.invalid");
    assert!(subject.contains("2 thông báo"), "{subject}");
    assert!(
        body.contains("báo cáo một")
            && body.contains("báo cáo hai")
            && !body.contains("báo cáo ba"),
        "{body}"
    );
    let kept = inbox(&app, "pheduyet.hanoi").await;
    let state = |subject: &str| {
        kept.iter()
            .find(|n| n.subject.contains(subject))
            .unwrap()
            .mail
    };
    assert_eq!(state("báo cáo một"), MailState::Sent);
    assert_eq!(
        state("báo cáo ba"),
        MailState::Digest,
        "waits for tomorrow's"
    );
    Ok(())
}

/// Waits (up to 20 s) until `username` has a notification of `kind`; all of that kind.
async fn told_of(app: &Running, username: &str, kind: NotifyKind) -> Vec<Notification> {
    for _ in 0..200 {
        let got: Vec<Notification> = inbox(app, username)
            .await
            .into_iter()
            .filter(|n| n.kind == kind)
            .collect();
        if !got.is_empty() {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{username} was not told of {kind:?}: {:#?}",
        inbox(app, username).await
    );
}

/// Tasks and explanation requests reach the people who act on them, in the inbox only when no
/// mail server is set: a task given to Hà Nội and past its deadline (its officers; the
/// approvers for the overdue), a request to explain (the officers), its answer (the leader
/// who asked). Each once, round after round.
async fn tasks_and_explanations_are_told() -> Result<(), Skip> {
    use app::model::task::{Priority, Task, TaskChange, TaskEvent, TaskSource};
    let app = start_with(None, |s| s.notify.interval = Duration::from_secs(1)).await;
    let today = crate::common::today();
    let task = Task {
        id: 0,
        version: 0,
        source: TaskSource::Directive {
            document: app::model::meeting::DocumentRef {
                number: "15/CT-TTg".into(),
                date: today - chrono::Duration::days(20),
            },
        },
        content: "Đẩy nhanh giải ngân vốn đầu tư công của thành phố".into(),
        lead: "01".into(),
        coordinating: Vec::new(),
        priority: Priority::High,
        assigned_on: today - chrono::Duration::days(20),
        deadline: Some(today - chrono::Duration::days(1)),
        extended_to: None,
        pending_extension: None,
        percent: 40,
        done_on: None,
        awaiting: None,
        history: vec![
            TaskEvent {
                at: chrono::Utc::now(),
                by: "Văn phòng Chính phủ".into(),
                what: TaskChange::Assigned,
            },
            TaskEvent {
                at: chrono::Utc::now(),
                by: "Văn phòng Chính phủ".into(),
                what: TaskChange::ExtensionRefused {
                    reason: "Chưa nêu rõ vướng mắc".into(),
                },
            },
        ],
    };
    app.store
        .save_tasks(
            &[task],
            &app::store::AuditEntry::system("task.create", "test"),
        )
        .await
        .unwrap();
    for kind in [NotifyKind::TaskAssigned, NotifyKind::TaskOverdue] {
        let told = told_of(&app, "canbo.hanoi", kind).await;
        let ours: Vec<_> = told
            .iter()
            .filter(|n| n.body.contains("vốn đầu tư công của thành phố"))
            .collect();
        assert_eq!(ours.len(), 1, "{kind:?} once: {told:#?}");
        assert!(ours[0].link.starts_with("/tasks/"), "{:?}", ours[0].link);
        assert_eq!(
            ours[0].mail,
            MailState::None,
            "no mail server: the inbox only"
        );
    }
    for who in ["canbo.hanoi", "vanphong"] {
        let decided = told_of(&app, who, NotifyKind::ExtensionDecided).await;
        assert!(
            decided.iter().any(|n| n.subject
                == "Không đồng ý gia hạn: Đẩy nhanh giải ngân vốn đầu tư công của thành phố"
                && n.body.contains("Lý do (reason): Chưa nêu rõ vướng mắc")),
            "{who}: {decided:#?}"
        );
    }
    let overdue = told_of(&app, "pheduyet.hanoi", NotifyKind::TaskOverdue).await;
    assert!(overdue.iter().any(|n| {
        n.subject
            .starts_with("Nhiệm vụ quá hạn: Đẩy nhanh giải ngân vốn đầu tư công của thành phố")
    }));
    assert!(
        !inbox(&app, "canbo.btc")
            .await
            .iter()
            .any(|n| n.body.contains("vốn đầu tư công của thành phố")),
        "not another unit's"
    );

    // A leader asks Hà Nội to explain its GRDP; the officer is told, and the leader hears the
    // answer.
    let leader = app.cookie_for("lanhdao").await;
    let officer = app.cookie_for("canbo.hanoi").await;
    let period = app
        .store
        .latest(&app::store::LatestScope::Unit("01".into()))
        .await
        .unwrap()
        .observations
        .into_iter()
        .filter(|o| o.indicator == "GRDP_GROWTH")
        .map(|o| o.period.to_string())
        .next()
        .expect("Hà Nội's GRDP");
    let (status, asked) = crate::common::running::call_json(
        &app,
        "explanation_ask",
        Some(&leader),
        serde_json::json!({"form": {"indicator": "GRDP_GROWTH", "unit": "01", "period": period,
            "question": "Vì sao tăng trưởng GRDP thấp hơn kế hoạch?", "working_days": ""}}),
    )
    .await;
    assert_eq!(status, 200, "{asked}");
    let id = asked["id"].as_i64().unwrap();
    let told = told_of(&app, "canbo.hanoi", NotifyKind::ExplanationAsked).await;
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(
        told[0].subject.starts_with("Yêu cầu giải trình: ")
            && told[0].subject.contains("Hà Nội")
            && told[0]
                .body
                .contains("Vì sao tăng trưởng GRDP thấp hơn kế hoạch?")
            && told[0].link == "/indicators/GRDP_GROWTH?unit=01",
        "{told:#?}"
    );
    let (status, answered) = crate::common::running::call_json(
        &app,
        "explanation_answer",
        Some(&officer),
        serde_json::json!({"form": {"id": id, "version": 1, "answer": "Do bão số 3, sản xuất công nghiệp giảm."}}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    let heard = told_of(&app, "lanhdao", NotifyKind::ExplanationAnswered).await;
    assert_eq!(heard.len(), 1);
    assert!(heard[0].body.contains("Do bão số 3"), "{heard:#?}");
    assert!(
        !inbox(&app, "vanphong")
            .await
            .iter()
            .any(|n| n.kind == NotifyKind::ExplanationAnswered),
        "the one who asked"
    );
    // Rounds later, still once each.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        told_of(&app, "canbo.hanoi", NotifyKind::ExplanationAsked)
            .await
            .len(),
        1
    );
    assert_eq!(
        told_of(&app, "lanhdao", NotifyKind::ExplanationAnswered)
            .await
            .len(),
        1
    );
    Ok(())
}

/// A mail server as a ministry runs one: STARTTLS required, with a certificate from its own
/// authority, and a password before anything is taken (aiosmtpd's controller, in its venv).
const GUARDED_SMTP: &str = r#"
import signal, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, cert, key, user, password = sys.argv[1:7]

def authenticate(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
    # Not handled: aiosmtpd answers 535 itself when the password is wrong.
    return AuthResult(success=ok, handled=False)

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=int(port), tls_context=context,
                        require_starttls=True, authenticator=authenticate, auth_required=True)
controller.start()
print("ready", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
"#;

/// Mail through a server that asks for STARTTLS and a password, its certificate checked
/// against the authority `DIEUHANH_SMTP_CA_FILE` names: the officer's reminder arrives. An
/// authority file that is missing, or given with a URL without TLS, names the setting.
async fn mail_over_starttls_with_a_password() -> Result<(), Skip> {
    let python = aiosmtpd()?.with_file_name("python");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crate::common::certificates(d);
    std::fs::write(d.join("guarded.py"), GUARDED_SMTP).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(python)
        .arg(d.join("guarded.py"))
        .arg(port.to_string())
        .arg(d.join("box"))
        .arg(d.join("server.crt"))
        .arg(d.join("server.key"))
        .args(["dieuhanh", "mat-khau-thu-2026"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut ready,
    )
    .unwrap();
    assert_eq!(ready.trim(), "ready");
    let catcher = MailCatcher {
        port,
        dir,
        child: Some(child),
    };
    let ca = catcher.dir.path().join("ca.crt");
    let url = format!("smtp://dieuhanh:mat-khau-thu-2026@localhost:{port}?tls=required");

    // The settings that cannot work name themselves before anything starts.
    let missing = SmtpSettings::parse(&url, None, Some("/khong/co/ca.crt")).unwrap_err();
    assert!(
        missing.to_string().contains("DIEUHANH_SMTP_CA_FILE"),
        "{missing}"
    );
    let plain = SmtpSettings::parse(
        &format!("smtp://localhost:{port}"),
        None,
        Some(ca.to_str().unwrap()),
    )
    .unwrap_err();
    assert!(plain.to_string().contains("smtps://"), "{plain}");
    assert!(
        !format!("{:?}", SmtpSettings::parse(&url, None, None).unwrap()).contains("dieuhanh:m"),
        "the password is not shown"
    );

    let smtp = SmtpSettings::parse(&url, None, Some(ca.to_str().unwrap())).unwrap();
    let app = start_with(None, |s| {
        s.notify.interval = Duration::from_secs(1);
        s.notify.smtp = Some(smtp);
    })
    .await;
    let mails = until(&catcher, "the officer's reminder over TLS", |got| {
        got.iter()
            .any(|(to, s, _)| to == "canbo.hanoi@demo.invalid" && s.starts_with("Quá hạn: "))
    })
    .await;
    assert!(!mails.is_empty());
    let officer = inbox(&app, "canbo.hanoi").await;
    assert!(
        officer.iter().any(|n| n.mail == MailState::Sent),
        "{officer:#?}"
    );

    // A wrong password is the centre's setting, not the person's address: the mail waits, with
    // the server's reason, to be tried again once the setting is mended.
    let wrong = format!("smtp://dieuhanh:sai-mat-khau@localhost:{port}?tls=required");
    let smtp = SmtpSettings::parse(&wrong, None, Some(ca.to_str().unwrap())).unwrap();
    let refused = start_with(None, |s| {
        s.notify.interval = Duration::from_secs(1);
        s.notify.smtp = Some(smtp);
    })
    .await;
    let mut waiting = Vec::new();
    for _ in 0..200 {
        waiting = inbox(&refused, "canbo.hanoi").await;
        if waiting.iter().any(|n| n.error.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let tried: Vec<&Notification> = waiting.iter().filter(|n| n.error.is_some()).collect();
    assert!(
        !tried.is_empty()
            && tried.iter().all(|n| n.mail == MailState::Pending
                && n.error.as_deref().is_some_and(|e| e.contains("535"))),
        "{waiting:#?}"
    );
    Ok(())
}

/// A leader follows Hà Nội's budget revenue from its page; a value past the administrator's
/// critical threshold, and far from its history, reaches them once each, in the inbox and by
/// e-mail, with the figure's page; nobody who does not follow it hears of it. Stopping to
/// follow takes it off their account page.
async fn followed_figures_alert_their_followers(database: Option<&str>) -> Result<(), Skip> {
    let catcher = MailCatcher::start()?;
    let url = catcher.url();
    let app = start_with(database, |s| notifying(s, &url)).await;
    let leader = app.cookie_for("lanhdao").await;
    let figure = [("indicator", "BUDGET_REVENUE"), ("unit", "01")];

    let (status, _) = app
        .call(
            "follow_figure",
            None,
            &[figure[0], figure[1], ("on", "true")],
        )
        .await;
    assert_eq!(status, 401, "signed out");
    let (status, body) = app
        .call(
            "follow_figure",
            Some(&leader),
            &[("indicator", "NOPE"), ("unit", "99"), ("on", "true")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Không có chỉ tiêu mã “NOPE”") && body.contains("Không có đơn vị mã “99”"),
        "{body}"
    );
    assert!(
        app.store.follows(None).await.unwrap().is_empty(),
        "nothing stored"
    );

    let page = "/indicators/BUDGET_REVENUE?unit=01";
    let (_, html) = app.page(page, Some(&leader)).await;
    assert!(
        html.contains("Theo dõi số liệu này"),
        "the button, not following yet"
    );
    let (status, body) = app
        .call(
            "follow_figure",
            Some(&leader),
            &[figure[0], figure[1], ("on", "true")],
        )
        .await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "true"));
    let (_, html) = app.page(page, Some(&leader)).await;
    assert!(html.contains("Đang theo dõi"), "following now");
    let (_, html) = app.page(page, None).await;
    assert!(
        !html.contains(r#"data-testid="follow""#),
        "no button signed out"
    );
    let (status, body) = app.call("followed", Some(&leader), &[]).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Hà Nội") && body.contains("BUDGET_REVENUE"),
        "{body}"
    );

    let admin = app.cookie_for("quantri").await;
    let (status, body) = app
        .call(
            "admin_set_threshold",
            Some(&admin),
            &[
                ("indicator", "BUDGET_REVENUE"),
                ("warning", "1.000"),
                ("critical", "500,5"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let period = app
        .store
        .latest(&app::store::LatestScope::Unit("01".into()))
        .await
        .unwrap()
        .observations
        .into_iter()
        .find(|o| o.indicator == "BUDGET_REVENUE")
        .map(|o| o.period.to_string())
        .expect("Hà Nội's budget revenue");
    let token = app.api_token(&["01"]).await;
    app.ingest(
        &token,
        serde_json::json!([{"indicator": "BUDGET_REVENUE", "unit": "01", "period": period, "value": 100.0}]),
    )
    .await;

    let mut told = Vec::new();
    for _ in 0..200 {
        told = told_of(&app, "lanhdao", NotifyKind::FigureAlert).await;
        if told.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let critical = told
        .iter()
        .find(|n| n.subject.starts_with("Nguy cấp: "))
        .unwrap_or_else(|| panic!("{told:#?}"));
    assert!(
        critical.subject.contains("Hà Nội")
            && critical.subject.ends_with(&format!(
                ", {}",
                app::model::i18n::Lang::Vi.period(&app::model::Period::parse(&period).unwrap())
            ))
            && critical.body.contains("vượt ngưỡng nguy cấp 500,5")
            && critical.link == page,
        "{critical:#?}"
    );
    assert!(
        told.iter()
            .any(|n| n.subject.starts_with("Số liệu bất thường: ")
                && n.body.contains("ngoài khoảng thường gặp")),
        "far from its history: {told:#?}"
    );
    let mails = until(&catcher, "the leader's alert by mail", |got| {
        got.iter()
            .any(|(to, s, _)| to == "lanhdao@demo.invalid" && s.starts_with("Nguy cấp: "))
    })
    .await;
    let (_, _, body) = mails
        .iter()
        .find(|(to, s, _)| to == "lanhdao@demo.invalid" && s.starts_with("Nguy cấp: "))
        .unwrap();
    assert!(body.contains(&format!("{}{page}", app.base)), "{body}");
    for who in ["vanphong", "canbo.hanoi"] {
        assert!(
            !inbox(&app, who)
                .await
                .iter()
                .any(|n| n.kind == NotifyKind::FigureAlert),
            "{who} follows nothing"
        );
    }
    // Rounds later (one a second), still once each, in the inbox and by mail.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        told_of(&app, "lanhdao", NotifyKind::FigureAlert)
            .await
            .len(),
        told.len()
    );
    let sent = counted(&catcher.received());
    assert!(
        sent.iter()
            .filter(|((to, _), _)| to == "lanhdao@demo.invalid")
            .all(|(_, n)| *n == 1),
        "{sent:#?}"
    );

    let (status, body) = app
        .call(
            "follow_figure",
            Some(&leader),
            &[figure[0], figure[1], ("on", "false")],
        )
        .await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "false"));
    assert!(app.store.follows(None).await.unwrap().is_empty());
    let audited = app
        .store
        .audit_entries(&app::store::AuditQuery {
            actor: Some("lanhdao".into()),
            action: None,
            limit: 50,
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .filter(|a| a.starts_with("account.") && a.contains("follow"))
        .collect::<Vec<_>>();
    assert_eq!(
        audited,
        ["account.unfollow", "account.follow"],
        "newest first"
    );
    Ok(())
}

async fn follows_on_sqlite() -> Result<(), Skip> {
    followed_figures_alert_their_followers(None).await
}

async fn follows_on_postgres() -> Result<(), Skip> {
    let pg = TestPg::create("follows").await;
    followed_figures_alert_their_followers(Some(&pg.url)).await
}

crate::harness::tests![
    threads(2) mail_over_starttls_with_a_password,
    threads(2) tasks_and_explanations_are_told,
    threads(2) inbox_bell_settings_and_digest,
    threads(2) mail_on_sqlite,
    threads(2) follows_on_sqlite,
    postgres_threads(2) follows_on_postgres,
    postgres_threads(2) mail_on_postgres,
    postgres_threads(2) two_instances_send_each_mail_once,
];
