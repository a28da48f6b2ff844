//! Signing in and out over real HTTP: cookies, refusals, rate limit, cross-site posts, audit.

use crate::common;

use crate::common::running::{PASSWORD, Running, location, session_cookie, start};
use app::store::AuditQuery;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};

async fn an_officer_signs_in_sees_their_name_and_signs_out() {
    let app = start().await;
    let res = app.sign_in("canbo.hanoi", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        "/units/01",
        "back to where the person was going"
    );
    let set = session_cookie(&res).expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();

    let (headers, html) = app.page("/", Some(&cookie)).await;
    assert!(
        html.contains("Cán bộ báo cáo Hà Nội (demo)"),
        "the top bar names the person"
    );
    assert!(
        html.contains("Cán bộ báo cáo (01)"),
        "with the role and its unit"
    );
    assert_eq!(
        headers.get("cache-control").unwrap(),
        "no-store",
        "private pages are never cached"
    );
    let (headers, html) = app.page("/", None).await;
    assert!(html.contains("href=\"/login\"") && !html.contains("Cán bộ báo cáo Hà Nội"));
    // Public figures, but in the reader's language (a cookie): no shared cache keeps it.
    assert_eq!(headers.get("cache-control").unwrap(), "private, no-cache");

    let out = app
        .http
        .post(format!("{}/logout", app.base))
        .header(ORIGIN, &app.base)
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(
        out.headers()
            .get(SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (_, html) = app.page("/", Some(&cookie)).await;
    assert!(
        !html.contains("Cán bộ báo cáo Hà Nội (demo)"),
        "the old cookie no longer signs anyone in"
    );

    let audit = app
        .store
        .audit_entries(&AuditQuery {
            actor: Some("canbo.hanoi".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.entry.action.as_str()).collect();
    assert_eq!(actions, ["sign_out", "sign_in"]);
    assert_eq!(audit[1].entry.unit.as_deref(), Some("01"));
    assert_eq!(audit[1].entry.address.as_deref(), Some("127.0.0.1"));
}

async fn wrong_missing_and_overlong_credentials_are_refused_and_nothing_leaks() {
    let app = start().await;
    for (user, pass, code) in [
        ("canbo.hanoi", "wrong password", "wrong"),
        ("nobody", PASSWORD, "wrong"),
        ("", "", "missing"),
        (&"u".repeat(10_000), PASSWORD, "wrong"),
        ("lanhdao", &"p".repeat(10_000), "wrong"),
    ] {
        let res = app.sign_in(user, pass).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(
            location(&res).starts_with(&format!("/login?error={code}")),
            "{}: {}",
            user.len(),
            location(&res)
        );
        assert!(session_cookie(&res).is_none());
    }
    // A body that is not UTF-8 is refused the same way.
    let res = app
        .http
        .post(format!("{}/login", app.base))
        .header(ORIGIN, &app.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![
            b'u', b's', b'e', b'r', b'n', b'a', b'm', b'e', b'=', 0xff, 0xfe,
        ])
        .send()
        .await
        .unwrap();
    assert!(session_cookie(&res).is_none());
    assert!(location(&res).starts_with("/login?error="));

    let (_, html) = app.page("/login?error=wrong", None).await;
    assert!(html.contains("Tên đăng nhập hoặc mật khẩu không đúng"));

    let failed = app
        .store
        .audit_entries(&AuditQuery {
            action: Some("sign_in_failed".into()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(failed.len() >= 4);
    for r in &failed {
        let text = format!("{:?}", r.entry);
        assert!(
            !text.contains(PASSWORD) && !text.contains("wrong password"),
            "no password in the audit log: {text}"
        );
        assert!(
            r.entry.actor.chars().count() <= 64,
            "overlong names are cut in the log"
        );
    }
}

async fn the_sixth_attempt_in_a_minute_is_refused_even_with_the_right_password() {
    let app = start().await;
    for _ in 0..5 {
        let res = app.sign_in("lanhdao", "not the password").await;
        assert!(location(&res).starts_with("/login?error=wrong"));
    }
    let res = app.sign_in("lanhdao", PASSWORD).await;
    assert!(
        location(&res).starts_with("/login?error=limited"),
        "{}",
        location(&res)
    );
    assert!(session_cookie(&res).is_none());
    // Another account is not locked out by this one.
    assert!(session_cookie(&app.sign_in("vanphong", PASSWORD).await).is_some());
}

async fn cross_site_posts_and_tampered_cookies_change_nothing() {
    let app = start().await;
    let forged = app
        .http
        .post(format!("{}/login", app.base))
        .header(ORIGIN, "https://evil.example")
        .form(&[("username", "quantri"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&forged).is_none());
    let no_origin = app
        .http
        .post(format!("{}/logout", app.base))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        no_origin.status(),
        StatusCode::FORBIDDEN,
        "a state change without Origin or Referer is refused"
    );

    let res = app.sign_in("quantri", PASSWORD).await;
    let cookie = session_cookie(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut tampered = cookie.clone();
    tampered.pop();
    tampered.push(if cookie.ends_with('A') { 'B' } else { 'A' });
    for bad in [
        tampered.as_str(),
        "dieuhanh_session=",
        "dieuhanh_session=../../etc/passwd",
        "dieuhanh_session=ü",
    ] {
        let (_, html) = app.page("/", Some(bad)).await;
        assert!(
            html.contains("href=\"/login\""),
            "{bad}: treated as signed out"
        );
    }
    // A forged sign-out from another site does not end the real session.
    let forged_out = app
        .http
        .post(format!("{}/logout", app.base))
        .header(ORIGIN, "https://evil.example")
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(forged_out.status(), StatusCode::FORBIDDEN);
    let (_, html) = app.page("/", Some(&cookie)).await;
    assert!(html.contains("Quản trị hệ thống (demo)"));
}

async fn next_never_leads_off_the_site() {
    let app = start().await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let res = app
            .http
            .post(format!("{}/login", app.base))
            .header(ORIGIN, &app.base)
            .form(&[
                ("username", "lanhdao"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&res), "/", "{next}");
    }
}

async fn signing_out_everywhere_ends_the_other_devices_sessions() {
    let app = start().await;
    let first = session_cookie(&app.sign_in("pheduyet.btc", PASSWORD).await)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let second = session_cookie(&app.sign_in("pheduyet.btc", PASSWORD).await)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let other = session_cookie(&app.sign_in("canbo.btc", PASSWORD).await)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let res = app
        .http
        .post(format!("{}/logout?everywhere=1", app.base))
        .header(ORIGIN, &app.base)
        .header(COOKIE, &first)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for c in [&first, &second] {
        let (_, html) = app.page("/", Some(c)).await;
        assert!(
            !html.contains("Người phê duyệt Bộ Tài chính (demo)"),
            "every session of the account ended"
        );
    }
    let (_, html) = app.page("/", Some(&other)).await;
    assert!(
        html.contains("Cán bộ báo cáo Bộ Tài chính (demo)"),
        "another account's session lives on"
    );
}

pub mod tokens {
    use super::*;
    use app::account::auth::issue_api_token;
    use app::store::AuditEntry;
    use reqwest::header::AUTHORIZATION;

    async fn whoami(app: &Running, auth: Option<&str>) -> (StatusCode, serde_json::Value) {
        let mut req = app.http.get(format!("{}/api/v1/whoami", app.base));
        if let Some(a) = auth {
            req = req.header(AUTHORIZATION, a);
        }
        let res = req.send().await.unwrap();
        (
            res.status(),
            res.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    async fn a_live_token_is_known_and_wrong_revoked_or_expired_ones_are_refused() {
        let app = start().await;
        let by = AuditEntry {
            actor: "test".into(),
            actor_kind: "system".into(),
            ..Default::default()
        };
        let (id, token) = issue_api_token(
            app.store.as_ref(),
            "Hà Nội reporting system",
            &["01".into()],
            None,
            &by,
        )
        .await
        .unwrap();
        let (status, body) = whoami(&app, Some(&format!("Bearer {token}"))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["kind"], "api");
        assert_eq!(body["units"], serde_json::json!(["01"]));
        let listed = app.store.tokens().await.unwrap();
        assert!(listed[0].last_used_at.is_some(), "last use is recorded");

        let (status, body) = whoami(&app, Some("Bearer dh_not-a-real-token")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["error"].as_str().unwrap().contains("không hợp lệ"));
        let (status, _) = whoami(&app, Some(&format!("Basic {token}"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = whoami(&app, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let (_, expired) = issue_api_token(app.store.as_ref(), "old", &["01".into()], Some(0), &by)
            .await
            .unwrap();
        let (status, body) = whoami(&app, Some(&format!("Bearer {expired}"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(
            body["error"].as_str().unwrap().contains("hết hạn"),
            "{body}"
        );

        assert!(
            app.store
                .revoke_token(
                    id,
                    &AuditEntry {
                        action: "token_revoke".into(),
                        ..by.clone()
                    }
                )
                .await
                .unwrap()
        );
        let (status, body) = whoami(&app, Some(&format!("Bearer {token}"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(
            body["error"].as_str().unwrap().contains("thu hồi"),
            "{body}"
        );
        // A bad bearer refuses the request whatever the route, pages included.
        let page = app
            .http
            .get(format!("{}/", app.base))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::UNAUTHORIZED);

        let actions: Vec<String> = app
            .store
            .audit_entries(&AuditQuery {
                actor: Some("test".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.entry.action)
            .collect();
        assert_eq!(actions, ["token_revoke", "token_create", "token_create"]);
        // The token itself is nowhere in the database's audit trail.
        let all = format!(
            "{:?}",
            app.store
                .audit_entries(&AuditQuery {
                    limit: 1000,
                    ..Default::default()
                })
                .await
                .unwrap()
        );
        assert!(!all.contains(&token));
    }

    async fn tokens_need_a_known_unit_and_a_name() {
        let app = start().await;
        let by = AuditEntry {
            actor: "test".into(),
            actor_kind: "system".into(),
            ..Default::default()
        };
        for (name, units) in [
            ("x", vec![]),
            ("x", vec!["99".to_string()]),
            ("x", vec!["not a code".to_string()]),
            ("  ", vec!["01".to_string()]),
        ] {
            assert!(
                issue_api_token(app.store.as_ref(), name, &units, None, &by)
                    .await
                    .is_err(),
                "{name:?} {units:?}"
            );
        }
        // (The demo's wall screen has its display token; no API token was stored.)
        assert!(
            app.store
                .tokens()
                .await
                .unwrap()
                .iter()
                .all(|t| t.kind != app::model::auth::TokenKind::Api),
            "nothing stored"
        );
    }

    crate::harness::tests![
        tokio a_live_token_is_known_and_wrong_revoked_or_expired_ones_are_refused,
        tokio tokens_need_a_known_unit_and_a_name,
    ];
}

/// The server's resident memory, from /proc (Linux).
fn resident_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/<pid>/status")
}

/// Tried as an attacker would: sign-ins with 1 MB usernames, then thousands of distinct long
/// ones. The limits key on bounded values and refuse over-long input first, so the server's
/// memory stays where it was (it grew by 61 MB for 60 such names, and kept it, when the names
/// were keys). The allocator alone moves the resident size by up to 40 MB either way after
/// megabyte bodies, so the flood is large enough (300 names: 300 MB if kept) to stand well
/// clear of that noise.
async fn floods_of_long_distinct_usernames_leave_the_servers_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = common::spawn_binary(dir.path());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let attempt = |username: String| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let res = http
                .post(format!("{base}/login"))
                .header(ORIGIN, &base)
                .form(&[
                    ("username", username.as_str()),
                    ("password", "sai-mat-khau"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            assert!(location(&res).starts_with("/login?error="));
        }
    };
    // Warm up: the allocator's arenas and the database's caches settle first.
    for i in 0..40 {
        attempt(format!("warm-{i}-{}", "w".repeat(1 << 20))).await;
        attempt(format!("warm-{i}")).await;
    }
    let before = resident_kb(child.id());
    for i in 0..300 {
        attempt(format!("{i}-{}", "u".repeat(1 << 20))).await;
    }
    for i in 0..3000 {
        attempt(format!("{i}-{}", "n".repeat(200))).await;
    }
    let after = resident_kb(child.id());
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        after < before + 80 * 1024,
        "resident memory grew from {before} kB to {after} kB"
    );
}

crate::harness::tests![
    tokio an_officer_signs_in_sees_their_name_and_signs_out,
    tokio wrong_missing_and_overlong_credentials_are_refused_and_nothing_leaks,
    tokio the_sixth_attempt_in_a_minute_is_refused_even_with_the_right_password,
    tokio cross_site_posts_and_tampered_cookies_change_nothing,
    tokio next_never_leads_off_the_site,
    tokio signing_out_everywhere_ends_the_other_devices_sessions,
    tokio floods_of_long_distinct_usernames_leave_the_servers_memory_bounded,
];
