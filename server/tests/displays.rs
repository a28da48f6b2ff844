//! Wall screens: let in by their own display token (from the URL once, then a cookie), never
//! shown a sign-in form, read-only, revocable, and still let in after a server restart.

mod common;

use common::running::start;
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

#[tokio::test]
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
    assert!(path.starts_with("/wall/1?token=dh_"), "{link}");
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
    assert_eq!(first.headers().get(LOCATION).unwrap(), "/wall/1");
    let set = display_cookie(&first).expect("the display cookie");
    assert!(
        set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
            && set.contains("Max-Age=315360000"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();

    let (_, html) = app.page("/wall/1", Some(&cookie)).await;
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
        ("/wall/1", None),
        ("/wall/1", Some("dieuhanh_display=dh_wrong")),
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
        .find(|t| t.kind == "display" && t.display_id == Some(1))
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
        .get(format!("{}/wall/1", app.base))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
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
    let (id, token) = app::auth::create_display(first.store().as_ref(), "Sảnh chính", &by)
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
