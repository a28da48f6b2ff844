//! Wall screens: let in by their own display token (from the URL once, then a cookie), never
//! shown a sign-in form, read-only, revocable, and still let in after a server restart.

use crate::common;

use crate::common::running::start;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE};
use server::config::Settings;
use server::startup::Application;
use std::collections::HashMap;

fn display_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dieuhanh_display="))
        .map(str::to_string)
}

async fn a_screen_opened_once_with_its_token_stays_let_in_and_only_into_its_own_wall() {
    let app = start().await;
    let admin = app.cookie_for("quantri").await;
    let (status, path) = app
        .call(
            "admin_create_display",
            Some(&admin),
            &[("name", "Phòng họp 1")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let link: String = serde_json::from_str(&path).unwrap();
    // The whole address to open on the screen: this site's own.
    let path = link.strip_prefix(&app.base).unwrap_or_default().to_string();
    assert!(
        path.starts_with("/wall/") && path.contains("?token=dh_"),
        "{link}"
    );
    // (The demo's own wall screen came first.)
    let wall = path.split('?').next().unwrap().to_string();
    let wall_id: i64 = wall.trim_start_matches("/wall/").parse().unwrap();
    let (_, other) = app
        .call(
            "admin_create_display",
            Some(&admin),
            &[("name", "Phòng họp 2")],
        )
        .await;
    let other: String = serde_json::from_str(&other).unwrap();

    // The token leaves the URL at once and is kept in a long-lived, HttpOnly, strict cookie.
    let first = app
        .http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers().get(LOCATION).unwrap(), wall.as_str());
    let set = display_cookie(&first).expect("the display cookie");
    assert!(
        set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
            && set.contains("Max-Age=315360000"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();

    let (_, html) = app.page(&wall, Some(&cookie)).await;
    assert!(html.contains("Phòng họp 1"));
    // Rendered whole on the server (a refresh is never blank): the default layout's 12 tiles.
    assert_eq!(html.matches("data-testid=\"tile\"").count(), 12);
    assert!(html.contains("DỮ LIỆU MÔ PHỎNG"));
    assert!(html.contains("data-indicator=\"EXPORT_VALUE\""));

    // Another screen's wall, no credentials, or a wrong token: refused, and never a sign-in form.
    let other_id = other
        .strip_prefix(&app.base)
        .and_then(|p| p.split('?').next())
        .unwrap()
        .to_string();
    for (path, cookie) in [
        (other_id.as_str(), Some(cookie.as_str())),
        (wall.as_str(), None),
        (wall.as_str(), Some("dieuhanh_display=dh_wrong")),
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .header(COOKIE, cookie.unwrap_or(""))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path} {cookie:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains("chưa được cấp quyền"), "{path}");
        assert!(
            !html.contains("type=\"password\""),
            "no sign-in form on a wall"
        );
    }

    // A display token reads and never writes.
    let (status, _) = app
        .call(
            "admin_create_user",
            Some(&cookie),
            &[("username", "x"), ("display_name", "x"), ("role", "admin")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let token = path.split("token=").nth(1).unwrap();
    let who: serde_json::Value = app
        .http
        .get(format!("{}/api/v1/whoami", app.base))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(who["kind"], "display");

    // Revoked: the screen is refused at its next load.
    let id = app
        .store
        .tokens()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.kind == app::model::auth::TokenKind::Display && t.display_id == Some(wall_id))
        .unwrap()
        .id;
    let (status, _) = app
        .call(
            "admin_revoke_token",
            Some(&admin),
            &[("id", &id.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let res = app
        .http
        .get(format!("{}{wall}", app.base))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn a_screen_is_still_let_in_after_the_server_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let vars: HashMap<&str, String> = HashMap::from([
        ("DIEUHANH_LISTEN", "127.0.0.1:0".to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("r.db").display()),
        ),
        ("DIEUHANH_DEMO", "0".into()),
    ]);
    let settings = || Settings::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let first = Application::build(settings()).await.unwrap();
    let base = format!("http://{}", first.address());
    let by = app::store::AuditEntry {
        actor: "test".into(),
        actor_kind: "system".into(),
        ..Default::default()
    };
    let (id, token) = app::account::auth::create_display(first.store().as_ref(), "Sảnh chính", &by)
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(first.run_until(async move {
        let _ = stopped.await;
    }));
    let res = http
        .get(format!("{base}/wall/{id}?token={token}"))
        .send()
        .await
        .unwrap();
    let cookie = display_cookie(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();

    let second = Application::build(settings())
        .await
        .expect("the same database opens again once the first stopped");
    let base = format!("http://{}", second.address());
    tokio::spawn(second.run_until(std::future::pending()));
    let res = http
        .get(format!("{base}/wall/{id}"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Sảnh chính"));
}

/// The demo shows its wall: its first start makes one screen, `serve` prints its address with a
/// token, and an administrator finds it on /admin. Each start gives a new token (printed
/// again, like the demo password); the one before stops working.
async fn the_demo_has_a_wall_screen_whose_address_each_start_gives() {
    let app = start().await;
    let path = app.demo_wall.clone().expect("the demo's wall");
    let wall = path.split('?').next().unwrap().to_string();
    let res = app
        .http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = display_cookie(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (_, html) = app.page(&wall, Some(&cookie)).await;
    assert!(html.contains(server::demo::DEMO_WALL), "{html}");
    assert_eq!(html.matches("data-testid=\"tile\"").count(), 12);

    // An administrator opens it from /admin (one tap from the overview's top bar).
    let admin = app.cookie_for("quantri").await;
    let (_, html) = app.page("/admin", Some(&admin)).await;
    assert!(
        html.contains(&format!("href=\"{wall}\" data-testid=\"wall-link\"")),
        "{html}"
    );

    // The next start: the same screen, a new token; the old one is refused.
    let http = app.http.clone();
    let dir = app.stop_and_keep();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let second = loop {
        // The first server lets go of the database file as it stops.
        match Application::build(common::running::demo_settings(&url)).await {
            Ok(a) => break a,
            Err(e) if std::time::Instant::now() > deadline => panic!("no second start: {e}"),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    };
    let renewed = second.demo_wall().unwrap().to_string();
    assert_ne!(renewed, path);
    assert!(
        renewed.starts_with(&format!("{wall}?token=dh_")),
        "{renewed}"
    );
    assert_eq!(second.store().displays().await.unwrap().len(), 1);
    let base = format!("http://{}", second.address());
    tokio::spawn(second.run_until(std::future::pending()));
    let res = http
        .get(format!("{base}{wall}"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = http.get(format!("{base}{renewed}")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

crate::harness::tests![
    tokio a_screen_opened_once_with_its_token_stays_let_in_and_only_into_its_own_wall,
    tokio a_screen_is_still_let_in_after_the_server_restarts,
    tokio the_demo_has_a_wall_screen_whose_address_each_start_gives,
];
