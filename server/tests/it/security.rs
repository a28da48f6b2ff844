//! The defences a hostile page, a planted cookie or a slow client would meet (docs/security.md),
//! over real HTTP against a whole server.

use crate::common::running::{PASSWORD, Running, session_cookie, start, start_with};
use reqwest::header::{AUTHORIZATION, CONTENT_SECURITY_POLICY, COOKIE, HeaderMap};
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The page's script nonce, after checking that its policy runs no other inline script and
/// that every `<script>` in the page carries that nonce.
fn page_nonce(path: &str, h: &HeaderMap, html: &str) -> String {
    let csp = header(h, CONTENT_SECURITY_POLICY.as_str());
    let scripts = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("{path}: no script-src in {csp:?}"));
    assert!(!scripts.contains("unsafe-inline"), "{path}: {scripts}");
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    let nonce = scripts
        .split_whitespace()
        .find_map(|s| s.strip_prefix("'nonce-"))
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or_else(|| panic!("{path}: no nonce in {scripts}"))
        .to_string();
    assert!(nonce.len() >= 16, "{path}: a short nonce {nonce}");
    let tags: Vec<&str> = html
        .match_indices("<script")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect();
    assert!(!tags.is_empty(), "{path}: the page loads the app");
    for tag in tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "{path}: a script without the page's nonce: {tag}"
        );
    }
    nonce
}

fn common_headers(path: &str, h: &HeaderMap) {
    assert_eq!(header(h, "x-content-type-options"), "nosniff", "{path}");
    assert_eq!(header(h, "x-frame-options"), "DENY", "{path}");
    assert_eq!(header(h, "referrer-policy"), "same-origin", "{path}");
    assert!(
        !header(h, CONTENT_SECURITY_POLICY.as_str()).is_empty(),
        "{path}: a policy"
    );
}

async fn every_answer_carries_security_headers_and_pages_run_only_their_own_scripts() {
    let app = start().await;
    let cookie = app.cookie_for("lanhdao").await;
    let mut nonces = Vec::new();
    for path in [
        "/",
        "/units/01",
        "/units/BTC",
        "/indicators/EXPORT_VALUE?unit=01",
        "/search?q=ha+noi",
        "/tasks",
        "/no-such-page",
    ] {
        let (h, html) = app.page(path, Some(&cookie)).await;
        common_headers(path, &h);
        nonces.push(page_nonce(path, &h, &html));
    }
    let (h, html) = app.page("/login", None).await;
    common_headers("/login", &h);
    nonces.push(page_nonce("/login", &h, &html));
    let distinct: std::collections::HashSet<_> = nonces.iter().collect();
    assert_eq!(distinct.len(), nonces.len(), "a new nonce for every page");

    for path in [
        "/healthz",
        "/api/v1/observations?indicator=EXPORT_VALUE&unit=01",
        "/api/v1/openapi.json",
        "/indicators/EXPORT_VALUE/chart.svg?unit=01",
        "/indicators/EXPORT_VALUE/data.csv?unit=01",
    ] {
        let (h, _) = app.page(path, Some(&cookie)).await;
        common_headers(path, &h);
        assert!(
            header(&h, CONTENT_SECURITY_POLICY.as_str()).starts_with("default-src 'none'"),
            "{path}: nothing may run"
        );
    }

    // Behind a proxy that says the request came over HTTPS, browsers are told to keep to it.
    let res = app
        .http
        .get(format!("{}/healthz", app.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(header(res.headers(), "strict-transport-security").starts_with("max-age="));
    let (h, _) = app.page("/healthz", None).await;
    assert_eq!(
        header(&h, "strict-transport-security"),
        "",
        "not over plain HTTP"
    );
}

/// A token of Hà Nội's reporting system.
async fn markup_sent_in_is_shown_as_text() {
    let app = start().await;
    let token = app.api_token(&["01"]).await;
    // A machine's note may hold any text; a page must never run it.
    let res = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({"observations": [{"indicator": "EXPORT_VALUE", "unit": "01", "period": "2026-06",
            "value": 1.5, "note": "<img src=x onerror=alert(1)>", "source_ref": "<script>alert(2)</script>"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let cookie = app.cookie_for("lanhdao").await;
    let (_, html) = app
        .page(
            "/indicators/EXPORT_VALUE?unit=01&rev=2026-06",
            Some(&cookie),
        )
        .await;
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the note is shown, as text"
    );
    assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"), "never as markup");
    assert!(!html.contains("<script>alert(2)"));

    let (_, html) = app
        .page(
            "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E",
            Some(&cookie),
        )
        .await;
    assert!(
        html.contains("&lt;script&gt;alert(3)"),
        "the query is echoed as text"
    );
    assert!(!html.contains("<script>alert(3)"));
}

async fn a_planted_or_foreign_session_cookie_is_never_a_session() {
    let a = start().await;
    let b = start().await;
    // Session fixation: a cookie chosen by someone else before sign-in is replaced, not adopted.
    let planted = "dieuhanh_session=attacker-chose-this-value-in-advance-0000000000";
    let res = a
        .http
        .post(format!("{}/login", a.base))
        .header(reqwest::header::ORIGIN, &a.base)
        .header(COOKIE, planted)
        .form(&[
            ("username", "lanhdao"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let issued = session_cookie(&res).expect("signed in");
    let issued = issued.split(';').next().unwrap().to_string();
    assert_ne!(issued, planted, "a fresh session token");
    let (_, html) = a.page("/", Some(planted)).await;
    assert!(
        html.contains("href=\"/login\""),
        "the planted value is still nobody"
    );
    let (_, html) = a.page("/", Some(&issued)).await;
    assert!(
        !html.contains("href=\"/login\""),
        "the issued one is the leader"
    );

    // A real session of instance A means nothing to instance B (another database).
    let (_, html) = b.page("/", Some(&issued)).await;
    assert!(html.contains("href=\"/login\""), "signed out on B");
    let whoami = b
        .http
        .get(format!("{}/api/v1/whoami", b.base))
        .header(COOKIE, &issued)
        .send()
        .await
        .unwrap();
    assert_eq!(whoami.status(), 401);
}

async fn slow_server() -> Running {
    start_with(None, |s| {
        s.http.header_read = Duration::from_secs(1);
        s.http.request = Duration::from_secs(2);
    })
    .await
}

/// Reads until the server closes the connection (or `within` passes); answers what it sent.
async fn read_until_closed(s: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let end = Instant::now() + within;
    loop {
        match tokio::time::timeout_at(end.into(), s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

async fn slow_and_silent_clients_are_cut_off_and_others_are_served_meanwhile() {
    let app = slow_server().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let token = app.api_token(&["01"]).await;
    let before = app.store.count_observations().await.unwrap();

    // 100 connections that never finish their headers, 100 that say nothing, and 50 that
    // send a body a byte every 200 ms.
    let mut partial = Vec::new();
    let mut silent = Vec::new();
    let mut trickle = Vec::new();
    for _ in 0..100 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        partial.push(s);
        silent.push(TcpStream::connect(&addr).await.unwrap());
    }
    for _ in 0..50 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /api/v1/observations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: 100000\r\n\r\n["
        );
        s.write_all(head.as_bytes()).await.unwrap();
        trickle.push(s);
    }
    let started = Instant::now();
    let trickling = tokio::spawn(async move {
        let mut open = trickle;
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            for s in open.iter_mut() {
                let _ = s.write_all(b" ").await;
            }
        }
        open
    });

    // Meanwhile an ordinary request is answered at once.
    let t = Instant::now();
    let (h, _) = app.page("/healthz", None).await;
    assert_eq!(header(&h, "content-type"), "application/json");
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );

    for (what, conns) in [("unfinished headers", partial), ("nothing sent", silent)] {
        for mut s in conns {
            let closed = read_until_closed(&mut s, Duration::from_secs(4)).await;
            assert!(closed.is_some(), "{what}: cut off after the header timeout");
        }
    }
    let trickle = trickling.await.unwrap();
    for mut s in trickle {
        let answer = read_until_closed(&mut s, Duration::from_secs(4))
            .await
            .expect("the trickling body is cut off");
        assert!(
            answer.starts_with("HTTP/1.1 408"),
            "answered 408: {answer:?}"
        );
        assert!(answer.contains("không hoàn tất trong 2 giây"), "{answer}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        app.store.count_observations().await.unwrap(),
        before,
        "nothing stored from the cut bodies"
    );
}

crate::harness::tests![
    tokio every_answer_carries_security_headers_and_pages_run_only_their_own_scripts,
    tokio markup_sent_in_is_shown_as_text,
    tokio a_planted_or_foreign_session_cookie_is_never_a_session,
    tokio slow_and_silent_clients_are_cut_off_and_others_are_served_meanwhile,
];
