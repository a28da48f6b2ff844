//! Every role against every write the app has, over HTTP, on the server: allowed or refused,
//! and a refusal changes nothing.

use crate::common;

use crate::common::running::{PASSWORD, start};
use app::account::auth::issue_api_token;
use app::store::AuditEntry;
use reqwest::StatusCode;

const ACCOUNTS: [&str; 7] = [
    "quantri",
    "lanhdao",
    "vanphong",
    "canbo.hanoi",
    "pheduyet.hanoi",
    "canbo.btc",
    "pheduyet.btc",
];

async fn only_the_admin_manages_accounts_tokens_and_reads_the_audit_log() {
    let app = start().await;
    let by = AuditEntry {
        actor: "test".into(),
        actor_kind: "system".into(),
        ..Default::default()
    };
    let mut sessions: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
    for a in ACCOUNTS {
        sessions.push((a, Some(app.cookie_for(a).await)));
    }

    for (n, (who, cookie)) in sessions.iter().enumerate() {
        let cookie = cookie.as_deref();
        let expected_refusal = if cookie.is_none() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        };
        let admin = *who == "quantri";
        let users_before = app.store.users().await.unwrap().len();
        let tokens_before = app.store.tokens().await.unwrap().len();
        let (victim, _) = issue_api_token(app.store.as_ref(), "victim", &["01".into()], None, &by)
            .await
            .unwrap();
        let victim_id = victim.to_string();
        let username = format!("new.user{n}");
        let screen = format!("Màn hình {n}");
        let displays_before = app.store.displays().await.unwrap().len();

        let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
            (
                "admin_create_user",
                vec![
                    ("username", &username),
                    ("display_name", "Người mới"),
                    ("role", "leader"),
                    ("unit", ""),
                ],
            ),
            (
                "admin_create_token",
                vec![
                    ("name", "Hệ thống mới"),
                    ("units", "01"),
                    ("expires_days", ""),
                ],
            ),
            ("admin_revoke_token", vec![("id", &victim_id)]),
            ("admin_create_display", vec![("name", &screen)]),
        ];
        for (endpoint, form) in &writes {
            let (status, body) = app.call(endpoint, cookie, form).await;
            if admin {
                assert_eq!(status, StatusCode::OK, "{who} {endpoint}: {body}");
            } else {
                assert_eq!(status, expected_refusal, "{who} {endpoint}: {body}");
                assert!(
                    body.contains("đăng nhập") || body.contains("không có quyền"),
                    "{who} {endpoint}: {body}"
                );
            }
        }
        for endpoint in [
            "admin_users",
            "admin_tokens",
            "admin_audit",
            "admin_displays",
        ] {
            let (status, _) = app.call(endpoint, cookie, &[]).await;
            assert_eq!(
                status,
                if admin {
                    StatusCode::OK
                } else {
                    expected_refusal
                },
                "{who} {endpoint}"
            );
        }

        let users_after = app.store.users().await.unwrap().len();
        let tokens = app.store.tokens().await.unwrap();
        let victim_revoked = tokens
            .iter()
            .find(|t| t.id == victim)
            .unwrap()
            .revoked_at
            .is_some();
        let displays_after = app.store.displays().await.unwrap().len();
        assert_eq!(
            displays_after,
            displays_before + usize::from(admin),
            "{who}: displays"
        );
        if admin {
            assert_eq!(users_after, users_before + 1);
            assert_eq!(
                tokens.len(),
                tokens_before + 3,
                "the victim, the new token and the display's"
            );
            assert!(victim_revoked);
        } else {
            assert_eq!(users_after, users_before, "{who}: no account created");
            assert_eq!(
                tokens.len(),
                tokens_before + 1,
                "{who}: only the test's own token exists"
            );
            assert!(!victim_revoked, "{who}: nothing revoked");
        }
    }
}

async fn the_admin_gets_clear_refusals_for_bad_input_and_secrets_once() {
    let app = start().await;
    let cookie = app.cookie_for("quantri").await;
    let (status, password) = app
        .call(
            "admin_create_user",
            Some(&cookie),
            &[
                ("username", "canbo.hue"),
                ("display_name", "Cán bộ Huế"),
                ("role", "officer"),
                ("unit", "46"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{password}");
    let password: String = serde_json::from_str(&password).unwrap();
    assert!(password.len() >= 16);
    // The new officer can sign in with the password shown once, and is an officer of 46.
    let res = app.sign_in("canbo.hue", &password).await;
    assert!(common::running::session_cookie(&res).is_some());

    for (form, status, words) in [
        (
            vec![
                ("username", "canbo.hue"),
                ("display_name", "X"),
                ("role", "leader"),
            ],
            StatusCode::CONFLICT,
            "đã có",
        ),
        (
            vec![
                ("username", "có dấu"),
                ("display_name", "X"),
                ("role", "leader"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên đăng nhập",
        ),
        (
            vec![
                ("username", "x1"),
                ("display_name", "X"),
                ("role", "officer"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "cần mã đơn vị",
        ),
        (
            vec![
                ("username", "x2"),
                ("display_name", "X"),
                ("role", "officer"),
                ("unit", "99"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Không có đơn vị",
        ),
        (
            vec![("username", "x3"), ("display_name", "X"), ("role", "king")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Vai trò",
        ),
        (
            vec![("username", "x4"), ("display_name", ""), ("role", "leader")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Họ tên",
        ),
    ] {
        let (got, body) = app.call("admin_create_user", Some(&cookie), &form).await;
        assert_eq!(got, status, "{form:?}: {body}");
        assert!(body.contains(words), "{form:?}: {body}");
    }
    let (got, body) = app
        .call(
            "admin_create_token",
            Some(&cookie),
            &[("name", "x"), ("units", "01"), ("expires_days", "-3")],
        )
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (got, _) = app
        .call("admin_revoke_token", Some(&cookie), &[("id", "987654")])
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store.users().await.unwrap().len(),
        8,
        "seven demo accounts and the one created"
    );

    let (status, token) = app
        .call(
            "admin_create_token",
            Some(&cookie),
            &[("name", "Huế"), ("units", "46, 01"), ("expires_days", "30")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let token: String = serde_json::from_str(&token).unwrap();
    assert!(token.starts_with("dh_"));
    let (_, listed) = app.call("admin_tokens", Some(&cookie), &[]).await;
    assert!(
        listed.contains("Huế") && !listed.contains(&token),
        "lists never show the token"
    );

    let (_, audit) = app
        .call(
            "admin_audit",
            Some(&cookie),
            &[("actor", "quantri"), ("action", "user_create")],
        )
        .await;
    let rows: serde_json::Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["target"], "canbo.hue");
    assert!(!audit.contains(&password));
}

async fn a_person_changes_their_password_and_other_sessions_end() {
    let app = start().await;
    let here = app.cookie_for("lanhdao").await;
    let elsewhere = app.cookie_for("lanhdao").await;
    let (_, html) = app.page("/account", Some(&here)).await;
    assert!(
        html.contains("Đổi mật khẩu") && html.contains("name=\"current\""),
        "the account page renders on the server"
    );
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![("current", current), ("new", new), ("confirm", confirm)]
    };
    let (status, body) = app
        .call(
            "change_password",
            Some(&here),
            &change("wrong", "mat-khau-moi-2027", "mat-khau-moi-2027"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = app
        .call(
            "change_password",
            Some(&here),
            &change(PASSWORD, "mat-khau-moi-2027", "khac-nhau-2027"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .call(
            "change_password",
            Some(&here),
            &change(PASSWORD, "ngan", "ngan"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("ít nhất 10"));
    let (status, _) = app
        .call(
            "change_password",
            None,
            &change(PASSWORD, "mat-khau-moi-2027", "mat-khau-moi-2027"),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let res = app
        .http
        .post(format!("{}/fn/change_password", app.base))
        .header(reqwest::header::ORIGIN, &app.base)
        .header(reqwest::header::COOKIE, &here)
        .form(&change(PASSWORD, "mat-khau-moi-2027", "mat-khau-moi-2027"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fresh = common::running::session_cookie(&res).expect("a new session for this device");
    let fresh = fresh.split(';').next().unwrap().to_string();
    for (cookie, signed_in) in [(&here, false), (&elsewhere, false), (&fresh, true)] {
        let (_, html) = app.page("/", Some(cookie)).await;
        assert_eq!(html.contains("Lãnh đạo Chính phủ (demo)"), signed_in);
    }
    assert!(
        common::running::session_cookie(&app.sign_in("lanhdao", PASSWORD).await).is_none(),
        "the old password is dead"
    );
    assert!(
        common::running::session_cookie(&app.sign_in("lanhdao", "mat-khau-moi-2027").await)
            .is_some()
    );
}

async fn a_disabled_account_is_signed_out_at_once_and_cannot_sign_in() {
    let app = start().await;
    let admin = app.cookie_for("quantri").await;
    let leader = app.cookie_for("lanhdao").await;
    let officer = app.cookie_for("canbo.hanoi").await;

    let (status, _) = app
        .call(
            "admin_set_disabled",
            Some(&officer),
            &[("username", "lanhdao"), ("disabled", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, html) = app.page("/", Some(&leader)).await;
    assert!(
        html.contains("Lãnh đạo Chính phủ (demo)"),
        "a refused request changed nothing"
    );

    let (status, body) = app
        .call(
            "admin_set_disabled",
            Some(&admin),
            &[("username", "quantri"), ("disabled", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app
        .call(
            "admin_set_disabled",
            Some(&admin),
            &[("username", "nobody"), ("disabled", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = app
        .call(
            "admin_set_disabled",
            Some(&admin),
            &[("username", "lanhdao"), ("disabled", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, html) = app.page("/", Some(&leader)).await;
    assert!(
        !html.contains("Lãnh đạo Chính phủ (demo)"),
        "the session ended at once"
    );
    assert!(common::running::session_cookie(&app.sign_in("lanhdao", PASSWORD).await).is_none());

    let (status, _) = app
        .call(
            "admin_set_disabled",
            Some(&admin),
            &[("username", "lanhdao"), ("disabled", "false")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(common::running::session_cookie(&app.sign_in("lanhdao", PASSWORD).await).is_some());
    let (_, audit) = app
        .call(
            "admin_audit",
            Some(&admin),
            &[("actor", "quantri"), ("action", "user_disable")],
        )
        .await;
    assert!(
        audit.contains("lanhdao")
            && audit.contains("\"field_vi\":\"Bị khóa\"")
            && audit.contains("\"after\":\"có (yes)\""),
        "{audit}"
    );
}

async fn only_the_admin_sets_the_reporting_regime_and_bad_input_changes_nothing() {
    let app = start().await;
    let admin = app.cookie_for("quantri").await;
    let officer = app.cookie_for("canbo.hanoi").await;
    let holiday = [("day", "2026-09-02"), ("name", "Quốc khánh <b>2/9</b>")];

    let (status, _) = app.call("admin_set_holiday", None, &holiday).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .call("admin_set_holiday", Some(&officer), &holiday)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The monthly regime's form as the regimes page sends it, with `cutoff` and `deadline`.
    let monthly = app.store.regimes().await.unwrap()[0].clone();
    let cells = app::catalogue::regime_file::cells(&monthly);
    let regime_form = |cutoff: &'static str, deadline: &'static str| {
        let c = cells.clone();
        move || {
            vec![
                ("code", c[0].clone()),
                ("name_vi", c[1].clone()),
                ("name_en", c[2].clone()),
                ("legal_basis", c[3].clone()),
                ("periodicity", c[4].clone()),
                ("kinds", c[5].clone()),
                ("cutoff_day", cutoff.to_string()),
                ("deadline_working_days", deadline.to_string()),
                ("indicators", c[9].clone()),
            ]
        }
    };
    let send = async |who: Option<&str>, form: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.call("regime_save", who, &pairs).await
    };
    let (status, _) = send(Some(&officer), regime_form("20", "5")()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for (endpoint, form, words) in [
        (
            "admin_set_holiday",
            vec![("day", "02/09/2026"), ("name", "Quốc khánh")],
            "2026-09-02",
        ),
        (
            "admin_set_holiday",
            vec![("day", "2026-02-30"), ("name", "Quốc khánh")],
            "2026-09-02",
        ),
        (
            "admin_set_holiday",
            vec![("day", "2026-09-02"), ("name", "   ")],
            "Cần tên",
        ),
        (
            "admin_set_holiday",
            vec![("day", "2026-09-03"), ("remove", "1")],
            "Không có ngày nghỉ",
        ),
    ] {
        let (status, body) = app.call(endpoint, Some(&admin), &form).await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::NOT_FOUND,
            "{form:?}: {status}"
        );
        assert!(body.contains(words), "{form:?}: {body}");
    }
    // A regime's rules out of range are refused with the reason beside the field.
    for (cutoff, deadline, words) in [("32", "2", "1 đến 31"), ("14", "hai", "0 đến 30")] {
        let (status, body) = send(Some(&admin), regime_form(cutoff, deadline)()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Refused") && body.contains(words), "{body}");
    }
    let calendar = app.store.reporting_calendar().await.unwrap();
    assert!(calendar.holidays.is_empty(), "refusals change nothing");
    assert_eq!(
        app.store.regimes().await.unwrap()[0].rules,
        app::model::reporting::ReportingRules::default()
    );

    let (status, body) = app.call("admin_set_holiday", Some(&admin), &holiday).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(Some(&admin), regime_form("20", "3")()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Done"), "{body}");
    let rules = app.store.regimes().await.unwrap()[0].rules;
    assert_eq!((rules.cutoff_day, rules.deadline_working_days), (20, 3));
    let calendar = app.store.reporting_calendar().await.unwrap();
    assert_eq!(
        calendar.holidays[0].name, "Quốc khánh <b>2/9</b>",
        "kept as typed"
    );
    // The admin page shows it as text.
    let (_, html) = app.page("/admin", Some(&admin)).await;
    assert!(html.contains("Quốc khánh &lt;b&gt;2/9&lt;/b&gt;"));
    assert!(html.contains("data-day=\"2026-09-02\""));

    let (status, _) = app
        .call(
            "admin_set_holiday",
            Some(&admin),
            &[("day", "2026-09-02"), ("remove", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        app.store
            .reporting_calendar()
            .await
            .unwrap()
            .holidays
            .is_empty()
    );
    let audit = app
        .store
        .audit_entries(&app::store::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for action in ["holiday_set", "holiday_removed", "catalogue.regime.update"] {
        assert!(
            audit
                .iter()
                .any(|r| r.entry.action == action && r.entry.actor == "quantri"),
            "{action} audited"
        );
    }
}

crate::harness::tests![
    tokio only_the_admin_manages_accounts_tokens_and_reads_the_audit_log,
    tokio the_admin_gets_clear_refusals_for_bad_input_and_secrets_once,
    tokio a_person_changes_their_password_and_other_sessions_end,
    tokio a_disabled_account_is_signed_out_at_once_and_cannot_sign_in,
    tokio only_the_admin_sets_the_reporting_regime_and_bad_input_changes_nothing,
];
