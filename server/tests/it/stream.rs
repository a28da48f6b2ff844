//! `GET /ws` with real WebSocket clients (tokio-tungstenite) against a whole server: snapshot
//! then updates in seq order, resume by `since`, a client that stops reading, bad messages,
//! concurrent writers, and two instances on one PostgreSQL.

use crate::common;

use crate::common::TestPg;
use crate::common::live::{self, Live};
use crate::common::running::{Running, start, start_with};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::MaybeTlsStream;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

fn export(unit: &str, period: &str, value: f64) -> Value {
    json!({"indicator": "BUDGET_REVENUE", "unit": unit, "period": period, "value": value})
}

async fn nobody_unknown_may_listen() {
    let app = start().await;
    assert_eq!(live::refused_status(live::request(&app.base)).await, 401);
    // A signed-in person may; so may a wall screen's display token (tested in displays).
    let cookie = app.cookie_for("lanhdao").await;
    let mut ws = Live::with_cookie(&app, &cookie).await;
    ws.subscribe(&["overview"]).await;
}

/// A page of this site whose session ended (signed out here or in another tab) cannot read a
/// refused handshake's status; it is told in-band and stops instead of retrying.
async fn a_signed_out_page_is_told_in_band_and_a_foreign_page_is_refused() {
    let app = start().await;
    let mut req = live::request(&app.base);
    req.headers_mut()
        .insert("origin", app.base.parse().unwrap());
    let mut ws = Live::open(req).await;
    let error = ws.next().await;
    assert_eq!(error["type"], "error");
    assert!(error["message"].as_str().unwrap().contains("đăng nhập"));
    match tokio::time::timeout(Duration::from_secs(5), ws.ws.next()).await {
        Ok(Some(Ok(Message::Close(Some(frame))))) => {
            assert_eq!(u16::from(frame.code), app::model::live::CLOSE_SIGNED_OUT)
        }
        other => panic!("expected a close with the signed-out code, got {other:?}"),
    }
    // A page of another site is refused outright, as is any client that is not a browser.
    let mut req = live::request(&app.base);
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(live::refused_status(req).await, 401);
}

async fn a_client_gets_a_snapshot_then_every_update_in_seq_order() {
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    let snapshots = ws.subscribe(&["unit:01", "indicator:BUDGET_REVENUE"]).await;
    let (first, second) = (&snapshots[0], &snapshots[1]);
    let current = app.store.current_seq().await.unwrap();
    for snap in [first, second] {
        assert_eq!(snap["seq"], current);
    }
    let hanoi_exports = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["indicator"] == "BUDGET_REVENUE")
        .expect("Hà Nội's exports are in its snapshot");
    assert_eq!(hanoi_exports["period"], "2026-10");
    assert_eq!(
        second["data"].as_array().unwrap().len(),
        35,
        "exports of the nation and the 34 provinces"
    );

    app.ingest(&t, json!([export("01", "2026-10", 1234.5)]))
        .await;
    app.ingest(
        &t,
        json!([
            export("01", "2026-09", 999.0),
            export("01", "2026-10", 1300.0)
        ]),
    )
    .await;
    let mut got = Vec::new();
    for _ in 0..6 {
        let m = ws.next().await;
        assert_eq!(m["type"], "update", "{m}");
        got.push((
            m["seq"].as_i64().unwrap(),
            m["topic"].as_str().unwrap().to_string(),
            m["data"]["period"].as_str().unwrap().to_string(),
            m["data"]["value"].as_f64().unwrap(),
        ));
    }
    let s = current;
    assert_eq!(
        got,
        vec![
            (s + 1, "unit:01".into(), "2026-10".into(), 1234.5),
            (
                s + 1,
                "indicator:BUDGET_REVENUE".into(),
                "2026-10".into(),
                1234.5
            ),
            (s + 2, "unit:01".into(), "2026-09".into(), 999.0),
            (
                s + 2,
                "indicator:BUDGET_REVENUE".into(),
                "2026-09".into(),
                999.0
            ),
            (s + 3, "unit:01".into(), "2026-10".into(), 1300.0),
            (
                s + 3,
                "indicator:BUDGET_REVENUE".into(),
                "2026-10".into(),
                1300.0
            ),
        ]
    );
    // A value of another unit and indicator is not sent to this client.
    let t2 = app.api_token(&["79"]).await;
    app.ingest(
        &t2,
        json!([{"indicator": "BUDGET_SPENDING", "unit": "79", "period": "2026-10", "value": 1.0}]),
    )
    .await;
    assert!(ws.next_within(1).await.is_none());
}

async fn a_client_that_comes_back_with_its_seq_gets_exactly_what_it_missed() {
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    let snap = ws.subscribe(&["unit:01"]).await.remove(0);
    let seen = snap["seq"].as_i64().unwrap();
    ws.close().await;

    for (i, period) in ["2026-08", "2026-09", "2026-10"].iter().enumerate() {
        app.ingest(&t, json!([export("01", period, 500.0 + i as f64)]))
            .await;
    }
    let mut ws = Live::with_token(&app, &t).await;
    ws.resume(&["unit:01"], seen).await;
    let mut missed = Vec::new();
    for _ in 0..3 {
        let m = ws.next().await;
        assert_eq!(
            m["type"], "update",
            "no snapshot when the updates can be replayed: {m}"
        );
        missed.push((
            m["seq"].as_i64().unwrap(),
            m["data"]["value"].as_f64().unwrap(),
        ));
    }
    assert_eq!(
        missed,
        vec![(seen + 1, 500.0), (seen + 2, 501.0), (seen + 3, 502.0)]
    );
    assert!(ws.next_within(1).await.is_none(), "nothing twice");

    // Too far behind (before anything this server holds): a snapshot instead, then whatever
    // came after the snapshot was read, so the client ends up current.
    let mut ws = Live::with_token(&app, &t).await;
    ws.resume(&["unit:01"], 1).await;
    let m = ws.next().await;
    assert_eq!(m["type"], "snapshot");
    let mut at = m["seq"].as_i64().unwrap();
    while at < seen + 3 {
        let m = ws.next().await;
        assert_eq!(m["type"], "update");
        assert_eq!(m["seq"].as_i64().unwrap(), at + 1);
        at += 1;
    }
}

/// After a network cut, 2,000 clients (the wall rooms' screens and the tablets) come back at
/// the same moment, each with the last seq it saw: each gets exactly what it missed, in order,
/// once, and the server keeps answering other requests meanwhile.
async fn two_thousand_clients_resuming_at_once_each_get_exactly_what_they_missed() {
    const CLIENTS: usize = 2_000;
    // 2,000 client sockets and the server's 2,000 live in this one process.
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        let mut l = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) == 0 {
            l.rlim_cur = l.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &l);
        }
        assert!(
            l.rlim_cur as usize > 2 * CLIENTS + 200,
            "open-file limit {}",
            l.rlim_cur
        );
    }
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    let seen = ws.subscribe(&["unit:01"]).await[0]["seq"].as_i64().unwrap();
    ws.close().await;
    let periods = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];
    for (i, period) in periods.iter().enumerate() {
        app.ingest(&t, json!([export("01", period, 700.0 + i as f64)]))
            .await;
    }
    let expected: Vec<(i64, f64)> = (0..periods.len())
        .map(|i| (seen + 1 + i as i64, 700.0 + i as f64))
        .collect();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let req = live::bearer_request(&app.base, &t);
            tokio::spawn(async move {
                let (ws, _) = tokio_tungstenite::connect_async(req).await.ok()?;
                let mut ws = Live { ws };
                ws.resume(&["unit:01"], seen).await;
                let mut got = Vec::new();
                while got.len() < 5 {
                    let m = ws.next_within(60).await?;
                    got.push((
                        m["seq"].as_i64()?,
                        m["data"]["value"].as_f64()?,
                        m["type"].clone(),
                    ));
                }
                let extra = ws.next_within(1).await;
                Some((got, extra))
            })
        })
        .collect();
    // Meanwhile a page's probe is answered.
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(
        health.is_ok_and(|r| r.status() == 200),
        "the server answers while 2,000 clients resume"
    );
    let mut whole = 0;
    for c in clients {
        let (got, extra) = c
            .await
            .unwrap()
            .expect("every client reconnects and resumes");
        let kinds: Vec<_> = got
            .iter()
            .map(|g| g.2.as_str().unwrap_or("").to_string())
            .collect();
        assert!(
            kinds.iter().all(|k| k == "update"),
            "replayed, no snapshot: {kinds:?}"
        );
        let got: Vec<(i64, f64)> = got.into_iter().map(|(s, v, _)| (s, v)).collect();
        assert_eq!(got, expected, "exactly what it missed, in seq order");
        assert!(extra.is_none(), "nothing twice: {extra:?}");
        whole += 1;
    }
    assert_eq!(whole, CLIENTS);
}

async fn a_client_that_stops_reading_is_dropped_without_holding_up_the_others() {
    let app = start_with(None, |s| {
        s.live.write_timeout = Duration::from_secs(1);
    })
    .await;
    let provinces: Vec<String> = app
        .store
        .children("VN")
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.code.len() == 2)
        .map(|u| u.code)
        .collect();
    assert_eq!(provinces.len(), 34);
    let refs: Vec<&str> = provinces.iter().map(String::as_str).collect();
    let t = app.api_token(&refs).await;

    // The slow client: a tiny receive window, and it never reads after subscribing.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket
        .connect(app.base.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let (mut slow, _) = tokio_tungstenite::client_async(
        live::bearer_request(&app.base, &t),
        MaybeTlsStream::Plain(stream),
    )
    .await
    .unwrap();
    let subscribe =
        json!({"type": "subscribe", "topics": ["overview", "indicator:BUDGET_REVENUE"]});
    slow.send(Message::text(subscribe.to_string()))
        .await
        .unwrap();
    let mut fast = Live::with_token(&app, &t).await;
    fast.subscribe(&["indicator:BUDGET_REVENUE"]).await;

    let periods: Vec<String> = (2016..=2025)
        .flat_map(|y| (1..=12).map(move |m| format!("{y}-{m:02}")))
        .collect();
    let mut last_seq = 0;
    for round in 0..4 {
        let rows: Vec<Value> = provinces
            .iter()
            .flat_map(|p| {
                periods
                    .iter()
                    .map(move |period| export(p, period, 10_000.0 + round as f64))
            })
            .collect();
        let out = app.ingest(&t, Value::Array(rows)).await;
        last_seq = out["last_seq"].as_i64().unwrap();
        // The fast client keeps up: it reads everything up to the round's last seq.
        loop {
            let m = fast.next().await;
            if m["seq"].as_i64() == Some(last_seq) {
                break;
            }
        }
    }
    assert!(last_seq > 0);
    // The slow one is dropped: only the fast one remains connected.
    let mut clients = String::new();
    for _ in 0..100 {
        let metrics = app
            .http
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        clients = metrics
            .lines()
            .find(|l| l.starts_with("dieuhanh_ws_clients "))
            .unwrap_or_default()
            .to_string();
        if clients == "dieuhanh_ws_clients 1" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(clients, "dieuhanh_ws_clients 1");
    // And the fast one is still served.
    app.ingest(&t, json!([export("01", "2026-10", 77.0)])).await;
    assert_eq!(fast.next().await["data"]["value"], 77.0);
}

/// A wall screen must learn that the server is going away (a restart, a deploy), not see the
/// socket drop as a network fault: it is told with close code 1001 and reconnects.
async fn a_server_shutting_down_tells_each_client_it_is_going_away() {
    let mut app = start().await;
    let t = app.api_token(&["01"]).await;
    let mut idle = Live::with_token(&app, &t).await;
    let mut listening = Live::with_token(&app, &t).await;
    listening.subscribe(&["unit:01"]).await;
    app.stop();
    for ws in [&mut idle, &mut listening] {
        let close = ws
            .close_within(10)
            .await
            .expect("a close frame within 10 s")
            .expect("the close frame says why");
        assert_eq!(u16::from(close.code), 1001, "{close:?}");
        assert_eq!(close.reason.as_str(), "server shutting down");
    }
}

async fn bad_messages_get_a_clear_error_and_the_connection_stays() {
    let app = start().await;
    let t = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    ws.ws.send(Message::text("xin chào")).await.unwrap();
    let m = ws.next().await;
    assert_eq!(m["type"], "error");
    assert!(m["message"].as_str().unwrap().contains("không hợp lệ"));
    ws.send(json!({"type": "dance"})).await;
    assert_eq!(ws.next().await["type"], "error");
    ws.send(json!({"type": "subscribe", "topics": ["unit:<script>", "overview"]}))
        .await;
    let m = ws.next().await;
    assert_eq!(m["type"], "error");
    assert!(
        m["message"].as_str().unwrap().contains("unit:<script>")
            || m["message"].as_str().unwrap().contains("<script>")
    );
    assert_eq!(
        ws.next().await["topic"],
        "overview",
        "the good topic is subscribed"
    );
    let many: Vec<String> = (0..300).map(|i| format!("unit:{:02}", i % 100)).collect();
    ws.send(json!({"type": "subscribe", "topics": many})).await;
    let m = ws.next().await;
    assert!(m["message"].as_str().unwrap().contains("200"), "{m}");

    // A message over the limit closes that connection only, saying why (1009, too big).
    let huge = json!({"type": "subscribe", "topics": vec!["overview"; 100_000]});
    let _ = ws.ws.send(Message::text(huge.to_string())).await;
    let close = ws.close_within(5).await.expect("a close frame");
    assert_eq!(close.map(|f| u16::from(f.code)), Some(1009));
    let mut other = Live::with_token(&app, &t).await;
    other.subscribe(&["unit:01"]).await;
}

/// Writers racing each other: a client sees every seq once, in order, none skipped.
async fn concurrent_writers_skip_no_seq(app: Running) {
    let units = ["01", "79", "48", "31"];
    let mut tokens = Vec::new();
    for u in units {
        tokens.push(app.api_token(&[u]).await);
    }
    let mut ws = Live::with_token(&app, &tokens[0]).await;
    let start = ws.subscribe(&["overview"]).await[0]["seq"]
        .as_i64()
        .unwrap();
    let mut writers = Vec::new();
    for (w, unit) in units.iter().enumerate() {
        let (http, base, t, unit) = (
            app.http.clone(),
            app.base.clone(),
            tokens[w].clone(),
            unit.to_string(),
        );
        writers.push(tokio::spawn(async move {
            for b in 0..10 {
                let rows: Vec<Value> = (1..=3)
                    .map(|m| {
                        export(
                            &unit,
                            &format!("{}-{m:02}", 2014 + b),
                            (w * 100 + m) as f64 + 0.5,
                        )
                    })
                    .collect();
                let res = http
                    .post(format!("{base}/api/v1/observations"))
                    .header(reqwest::header::AUTHORIZATION, format!("Bearer {t}"))
                    .json(&json!({ "observations": rows }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let end = app.store.current_seq().await.unwrap();
    assert_eq!(end - start, 4 * 10 * 3);
    let mut seqs = Vec::new();
    while seqs.last() != Some(&end) {
        let m = ws.next().await;
        assert_eq!(m["type"], "update");
        seqs.push(m["seq"].as_i64().unwrap());
    }
    assert_eq!(seqs, ((start + 1)..=end).collect::<Vec<_>>());
}

async fn concurrent_writers_skip_no_seq_on_sqlite() {
    concurrent_writers_skip_no_seq(start().await).await;
}

async fn concurrent_writers_skip_no_seq_on_postgres() {
    let db = TestPg::create("ws_writers").await;
    concurrent_writers_skip_no_seq(start_with(Some(&db.url), |_| {}).await).await;
}

async fn a_value_written_on_one_instance_reaches_clients_of_another_even_after_its_listener_dies() {
    let db = TestPg::create("ws_two").await;
    let a = start_with(Some(&db.url), |_| {}).await;
    let b = start_with(Some(&db.url), |_| {}).await;
    let t = a.api_token(&["01"]).await;
    let mut ws = Live::with_token(&b, &t).await;
    ws.subscribe(&["unit:01"]).await;

    a.ingest(&t, json!([export("01", "2026-10", 4242.0)])).await;
    let m = ws.next_within(3).await.expect("within 3 s");
    assert_eq!(
        (m["type"].as_str(), m["data"]["value"].as_f64()),
        (Some("update"), Some(4242.0))
    );

    // Cut every listener connection on this database, then write at once.
    let admin = sqlx::PgPool::connect(&common::postgres_admin_url())
        .await
        .unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'dieuhanh-listener' AND datname = $1",
    )
    .bind(&db.name)
    .fetch_all(&admin)
    .await
    .unwrap();
    assert_eq!(killed.len(), 2, "one listener per instance");
    a.ingest(&t, json!([export("01", "2026-10", 4343.0)])).await;
    let m = ws.next_within(5).await.expect("still arrives");
    assert_eq!(m["data"]["value"], 4343.0);
    admin.close().await;
}

/// A unit's cards are kept between pages until a value of the unit changes: on an instance that
/// did not make the change too, and a page never says it is newer than a change it does not
/// show (its stream would resume after it and the change would never reach the screen).
async fn a_units_page_follows_a_change_made_on_another_instance_and_never_resumes_past_it() {
    let db = TestPg::create("recent_two").await;
    let a = start_with(Some(&db.url), |_| {}).await;
    let b = start_with(Some(&db.url), |_| {}).await;
    let t = a.api_token(&["01"]).await;
    // (seq, the latest October value of budget revenue) on B's page of Hà Nội.
    let page = || async {
        let (status, body) = b.call("unit_view", None, &[("code", "01")]).await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let card = v["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["indicator"]["code"] == "BUDGET_REVENUE")
            .expect("budget revenue card")
            .clone();
        let october = card["recent"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p[0] == "2026-10")
            .and_then(|p| p[1].as_f64());
        (v["seq"].as_i64().unwrap(), october)
    };
    let (seq_before, before) = page().await;
    assert_ne!(before, Some(4242.0));
    // Read twice with nothing changed: the same answer.
    assert_eq!(page().await.1, before);

    let answer = a.ingest(&t, json!([export("01", "2026-10", 4242.0)])).await;
    let written = answer["last_seq"].as_i64().unwrap();
    assert!(written > seq_before);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (seq, october) = page().await;
        if seq >= written {
            assert_eq!(
                october,
                Some(4242.0),
                "a page at seq {seq} without the change {written}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "B's page never showed the change"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // And on the instance that wrote it.
    let (status, body) = a.call("unit_view", None, &[("code", "01")]).await;
    assert_eq!(status, 200);
    assert!(body.contains("4242"), "{body}");
}

/// The next threshold alert within `secs` of the one before; the alerts of values far from
/// their history (the test's values are far from Hà Nội's) are passed over.
async fn threshold_alert(ws: &mut Live, secs: u64) -> Option<Value> {
    loop {
        let m = ws.next_within(secs).await?;
        if m["data"]["kind"] != "outlier" {
            return Some(m);
        }
    }
}

async fn a_value_past_an_admins_threshold_raises_an_alert_and_a_recovered_one_clears_it() {
    let app = start().await;
    let admin = app.cookie_for("quantri").await;
    // Exports: higher is better, so the critical threshold must be the lower one.
    let (status, body) = app
        .call(
            "admin_set_threshold",
            Some(&admin),
            &[
                ("indicator", "BUDGET_REVENUE"),
                ("warning", "500"),
                ("critical", "1.000"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("nguy cấp"), "{body}");
    // Only an admin may set them.
    let leader = app.cookie_for("lanhdao").await;
    let (status, _) = app
        .call(
            "admin_set_threshold",
            Some(&leader),
            &[("indicator", "BUDGET_REVENUE"), ("warning", "1000")],
        )
        .await;
    assert_eq!(status, 403);
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
    let set = app.store.thresholds().await.unwrap();
    assert_eq!(
        (set[0].warning, set[0].critical),
        (Some(1000.0), Some(500.5))
    );

    let t = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    ws.subscribe(&["alerts"]).await;
    // The hubs read thresholds every few seconds: write until the alert comes.
    let mut alert = None;
    for attempt in 0..10 {
        app.ingest(&t, json!([export("01", "2026-10", 100.0 + attempt as f64)]))
            .await;
        if let Some(m) = threshold_alert(&mut ws, 1).await {
            alert = Some(m);
            break;
        }
    }
    let alert = alert.expect("an alert within 10 s");
    assert_eq!(alert["type"], "update");
    assert_eq!(alert["topic"], "alerts");
    assert_eq!(alert["data"]["alert"], "critical");
    assert_eq!(alert["data"]["unit"], "01");
    assert_eq!(alert["data"]["threshold"], 500.5);
    assert!(
        alert["data"]["message"]
            .as_str()
            .unwrap()
            .contains("Hà Nội")
    );

    app.ingest(&t, json!([export("01", "2026-10", 800.0)]))
        .await;
    assert_eq!(
        threshold_alert(&mut ws, 10).await.unwrap()["data"]["alert"],
        "warning"
    );
    app.ingest(&t, json!([export("01", "2026-10", 5000.0)]))
        .await;
    assert_eq!(
        threshold_alert(&mut ws, 10).await.unwrap()["data"]["alert"],
        "cleared"
    );
    // An ordinary value after that is not news: no alert message at all.
    app.ingest(&t, json!([export("01", "2026-10", 6000.0)]))
        .await;
    assert!(threshold_alert(&mut ws, 1).await.is_none());

    // A screen that subscribes now finds the alerts in force in its snapshot.
    app.ingest(&t, json!([export("01", "2026-10", 10.0)])).await;
    assert_eq!(
        threshold_alert(&mut ws, 10).await.unwrap()["data"]["alert"],
        "critical"
    );
    // Still critical: said once.
    app.ingest(&t, json!([export("01", "2026-10", 9.0)])).await;
    assert!(threshold_alert(&mut ws, 1).await.is_none());
    let mut fresh = Live::with_token(&app, &t).await;
    let snap = fresh.subscribe(&["alerts"]).await.remove(0);
    assert!(
        snap["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["unit"] == "01" && a["alert"] == "critical" && a["kind"] == "threshold"),
        "{snap}"
    );
}

async fn a_wall_screen_listens_with_its_display_token_and_other_sites_are_refused() {
    let app = start().await;
    let (_, display_token) = app.display("Phòng họp 1").await;
    let ws_base = app.base.replace("http://", "ws://");
    let mut ws = Live::with_link_token(&app, &display_token).await;
    ws.subscribe(&["overview"]).await;
    match tokio_tungstenite::connect_async(format!("{ws_base}/ws?token=wrong")).await {
        Err(WsError::Http(res)) => assert_eq!(res.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    // A page on another site cannot ride on a signed-in person's cookie.
    let cookie = app.cookie_for("lanhdao").await;
    let mut req = live::request(&app.base);
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Err(WsError::Http(res)) => assert_eq!(res.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
}

async fn the_demo_simulator_moves_values_through_the_same_path_labelled_simulated() {
    let app = start_with(None, |s| {
        s.simulator = true;
        s.simulator_interval = Duration::from_millis(100);
    })
    .await;
    let t = app.api_token(&["01"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    ws.subscribe(&["overview"]).await;
    let m = ws
        .next_within(5)
        .await
        .expect("a simulated change within 5 s");
    assert_eq!(m["type"], "update");
    assert_eq!(m["data"]["source"], "simulator");
    assert_eq!(m["data"]["simulated"], true);
    // Audited like any other writer.
    let audit = app
        .store
        .audit_entries(&app::store::AuditQuery {
            action: Some("observations_simulate".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!audit.is_empty());
}

async fn an_admins_layout_change_reaches_the_screen_live() {
    let app = start().await;
    let (id, display_token) = app.display("Phòng họp 2").await;
    let mut screen = Live::with_link_token(&app, &display_token).await;
    let snap = screen
        .subscribe(&[format!("display:{id}").as_str()])
        .await
        .remove(0);
    assert_eq!(snap["data"][0]["rotate_seconds"], 30, "the default layout");

    let admin = app.cookie_for("quantri").await;
    let id_text = id.to_string();
    for (form, expected) in [
        (vec![("pages", "dance")], "trang"),
        (
            vec![
                ("pages", "map"),
                ("indicators", "NO_SUCH"),
                ("map_indicator", "EXPORT_VALUE"),
            ],
            "NO_SUCH",
        ),
        (
            vec![
                ("pages", "map"),
                ("indicators", "GRDP_GROWTH"),
                ("map_indicator", "EXPORT_VALUE"),
            ],
            "toàn quốc",
        ),
        (
            vec![
                ("pages", "map"),
                ("indicators", "CPI_YOY"),
                ("map_indicator", "CPI_YOY"),
            ],
            "tỉnh, thành",
        ),
        (
            vec![
                ("pages", "map"),
                ("indicators", "CPI_YOY"),
                ("map_indicator", "EXPORT_VALUE"),
                ("rotate_seconds", "2"),
            ],
            "5",
        ),
    ] {
        let mut fields = vec![("id", id_text.as_str())];
        fields.extend(form);
        let (status, body) = app.call("admin_set_display", Some(&admin), &fields).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains(expected), "{expected} in {body}");
    }
    let (status, body) = app
        .call(
            "admin_set_display",
            Some(&admin),
            &[
                ("id", &id_text),
                ("pages", "map, headlines"),
                ("indicators", "cpi_yoy, EXPORT_VALUE"),
                ("map_indicator", "EXPORT_VALUE"),
                ("rotate_seconds", "15"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let update = screen.next().await;
    assert_eq!(update["type"], "update");
    assert_eq!(update["topic"], format!("display:{id}"));
    assert_eq!(
        update["data"],
        json!({"pages": ["map", "headlines"], "indicators": ["CPI_YOY", "EXPORT_VALUE"],
               "map_indicator": "EXPORT_VALUE", "rotate_seconds": 15})
    );
    let (status, _) = app
        .call(
            "admin_set_display",
            Some(&admin),
            &[
                ("id", "999"),
                ("pages", "map"),
                ("indicators", "CPI_YOY"),
                ("map_indicator", "EXPORT_VALUE"),
            ],
        )
        .await;
    assert_eq!(status, 404);
    let leader = app.cookie_for("lanhdao").await;
    let (status, _) = app
        .call(
            "admin_set_display",
            Some(&leader),
            &[
                ("id", &id_text),
                ("pages", "map"),
                ("indicators", "CPI_YOY"),
                ("map_indicator", "EXPORT_VALUE"),
            ],
        )
        .await;
    assert_eq!(status, 403);
}

/// A screen that counts reports (the wall) hears of each change of a report's state.
async fn a_report_changing_state_is_heard_on_the_reports_topic() {
    let app = start().await;
    let t = app.api_token(&["VN"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    ws.subscribe(&["reports"]).await;

    let today = common::today();
    let period = app::model::reporting::ReportingRules::default()
        .period_on(app::model::Periodicity::Monthly, today)
        .prev()
        .to_string();
    let cookie = app.cookie_for("canbo.hanoi").await;
    let res = app
        .http
        .post(format!("{}/fn/entry_save", app.base))
        .header("origin", &app.base)
        .header("cookie", &cookie)
        .json(
            &json!({"unit": "01", "period": period, "version": 0, "submit": false,
            "inputs": [{"indicator": "EXPORT_VALUE", "value": "1.234,5", "note": ""}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let update = ws.next().await;
    assert_eq!(update["type"], "update", "{update}");
    assert_eq!(update["topic"], "reports");
    assert_eq!(update["data"]["unit"], "01");
    assert_eq!(update["data"]["period"], period.as_str());
    assert_eq!(update["data"]["status"], "draft");
    // A draft's values are not on the stream: nothing but the state is sent.
    assert!(update["data"].get("values").is_none(), "{update}");
}

/// A screen that counts tasks (the wall) hears of each task assigned or reported on.
async fn a_task_assigned_and_reported_is_heard_on_the_tasks_topic() {
    let app = start().await;
    let t = app.api_token(&["VN"]).await;
    let mut ws = Live::with_token(&app, &t).await;
    let snapshot = ws.subscribe(&["tasks"]).await.remove(0);
    assert_eq!(snapshot["topic"], "tasks", "{snapshot}");

    let today = common::today();
    let cookie = app.cookie_for("vanphong").await;
    let res = app
        .http
        .post(format!("{}/fn/task_assign", app.base))
        .header("origin", &app.base)
        .header("cookie", &cookie)
        .json(&json!({"form": {"meeting": 0, "version": 0, "number": "15/CT-TTg",
            "date": today.to_string(), "summary": "",
            "tasks": [{"content": "Kiểm tra giá xăng dầu", "lead": "BCT", "coordinating": "",
                       "deadline": (today + chrono::Duration::days(3)).to_string(), "priority": "urgent"}]}}))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    let id = body["Saved"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"));
    let update = ws.next().await;
    assert_eq!(update["type"], "update", "{update}");
    assert_eq!(update["topic"], "tasks");
    assert_eq!(update["data"]["id"], id);
    assert_eq!(update["data"]["lead"], "BCT");
    assert_eq!(update["data"]["version"], 1);
}

/// Each heartbeat names the site build the server serves, so that a wall screen loaded from an
/// older build knows to reload; a server with no built site says nothing.
async fn heartbeats_name_the_site_build_the_server_serves() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg/00aa11bb22cc33dd")).unwrap();
    std::fs::write(site.path().join("BUILD"), "00aa11bb22cc33dd\n").unwrap();
    let root = site.path().to_str().unwrap().to_string();
    let built = start_with(None, |s| {
        s.site_root = root;
        s.live.heartbeat = Duration::from_secs(1);
    })
    .await;
    let unbuilt = start_with(None, |s| s.live.heartbeat = Duration::from_secs(1)).await;
    for (app, expected) in [(&built, json!("00aa11bb22cc33dd")), (&unbuilt, Value::Null)] {
        let mut ws = Live::with_token(app, &app.api_token(&["01"]).await).await;
        ws.send(json!({"type": "subscribe", "topics": ["overview"]}))
            .await;
        let beat = loop {
            let msg = tokio::time::timeout(Duration::from_secs(5), ws.ws.next())
                .await
                .expect("a heartbeat within 5 s")
                .unwrap()
                .unwrap();
            let v: Value = serde_json::from_str(msg.to_text().unwrap_or("{}")).unwrap_or_default();
            if v["type"] == "heartbeat" {
                break v;
            }
        };
        assert_eq!(beat["build"], expected, "{beat}");
    }
}

/// The server binary's command line run on the test server's SQLite file while the server runs;
/// answers what it printed, or what it said on failure.
fn command_beside(app: &Running, args: &[&str], stdin: &str) -> Result<String, String> {
    use std::io::Write;
    let db = app.data_dir().join("s.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dieuhanh"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("RUST_LOG", "error")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    if out.status.success() {
        Ok(text.trim().to_string())
    } else {
        Err(format!("{text}{}", String::from_utf8_lossy(&out.stderr)))
    }
}

async fn commands_run_beside_a_running_sqlite_server_take_effect_on_it_live() {
    let app = start().await;

    // A screen made from the command line is let into the running server at once.
    let link = command_beside(
        &app,
        &["display", "create", "--name", "Phòng họp cạnh máy chủ"],
        "",
    )
    .expect("display create beside the server");
    let (id, display_token) = link
        .split_once("/wall/")
        .and_then(|(_, rest)| rest.split_once("?token="))
        .expect("a wall link");
    // The running server knows the new screen's token.
    let mut screen = Live::with_link_token(&app, display_token).await;
    screen.subscribe(&[format!("display:{id}").as_str()]).await;

    // Each layout change from the command line reaches the screen within moments (nothing
    // announces another process's commit: the live stream must be reading SQLite often).
    for (pages, rotate) in [("map", "15"), ("headlines,tasks", "20"), ("map", "45")] {
        let out = command_beside(
            &app,
            &[
                "display", "set", "--id", id, "--pages", pages, "--rotate", rotate,
            ],
            "",
        )
        .expect("display set beside the server");
        assert!(out.starts_with(&format!("ok: display {id}")), "{out}");
        let update = screen
            .next_within(2)
            .await
            .expect("the screen follows a command-line change within 2 s");
        assert_eq!(update["type"], "update");
        assert_eq!(update["topic"], format!("display:{id}"));
        assert_eq!(
            update["data"]["pages"],
            json!(pages.split(',').collect::<Vec<_>>())
        );
        assert_eq!(
            update["data"]["rotate_seconds"],
            rotate.parse::<i64>().unwrap()
        );
    }

    // An API token and an account made beside the server work on it.
    let token = command_beside(
        &app,
        &[
            "token",
            "create",
            "--unit",
            "01",
            "--name",
            "Cổng báo cáo Hà Nội",
        ],
        "",
    )
    .expect("token create beside the server");
    let answer = app
        .ingest(&token, json!([export("01", "2026-10", 1234.5)]))
        .await;
    assert!(answer["last_seq"].as_i64().unwrap() > 0, "{answer}");
    let listed = command_beside(&app, &["token", "list"], "").expect("token list");
    let id_of_token = listed
        .lines()
        .find(|l| l.contains("\tCổng báo cáo Hà Nội\t"))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("the new token is listed: {listed}"))
        .to_string();
    let revoked = command_beside(&app, &["token", "revoke", "--id", &id_of_token], "")
        .expect("token revoke beside the server");
    assert_eq!(revoked, format!("revoked {id_of_token}"));
    let refused = app
        .http
        .post(format!("{}/api/v1/observations", app.base))
        .header(reqwest::header::AUTHORIZATION, format!("Bearer {token}"))
        .json(&json!({ "observations": [export("01", "2026-10", 1.0)] }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        401,
        "the running server refuses a revoked token at once"
    );
    let username = command_beside(
        &app,
        &[
            "user",
            "create",
            "--username",
            "lanhdao_moi",
            "--name",
            "Lãnh đạo mới",
            "--role",
            "leader",
            "--password-stdin",
        ],
        "mat-khau-lanh-dao-moi\n",
    )
    .expect("user create beside the server");
    assert_eq!(username, "lanhdao_moi");
    let res = app.sign_in("lanhdao_moi", "mat-khau-lanh-dao-moi").await;
    assert!(
        common::running::session_cookie(&res).is_some(),
        "the new account signs in on the running server: {}",
        res.status()
    );

    // What must have the file to itself still waits for the server to stop.
    let refused = command_beside(&app, &["migrate"], "").expect_err("migrate beside the server");
    assert!(
        refused.contains("đang được một máy chủ dieuhanh khác sử dụng"),
        "{refused}"
    );

    // A command of another version (here: one migration the file lacks) writes nothing.
    let db = app.data_dir().join("s.db");
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
        "sqlite://{}",
        db.display()
    ))
    .await
    .unwrap();
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let tokens_before = app.store.tokens().await.unwrap().len();
    let refused = command_beside(
        &app,
        &[
            "token",
            "create",
            "--unit",
            "01",
            "--name",
            "Phiên bản khác",
        ],
        "",
    )
    .expect_err("a command of another version");
    assert!(refused.contains("phiên bản khác"), "{refused}");
    assert_eq!(app.store.tokens().await.unwrap().len(), tokens_before);
}

crate::harness::tests![
    tokio nobody_unknown_may_listen,
    tokio a_signed_out_page_is_told_in_band_and_a_foreign_page_is_refused,
    tokio a_client_gets_a_snapshot_then_every_update_in_seq_order,
    tokio a_client_that_comes_back_with_its_seq_gets_exactly_what_it_missed,
    threads(2) two_thousand_clients_resuming_at_once_each_get_exactly_what_they_missed,
    tokio a_client_that_stops_reading_is_dropped_without_holding_up_the_others,
    tokio a_server_shutting_down_tells_each_client_it_is_going_away,
    tokio bad_messages_get_a_clear_error_and_the_connection_stays,
    tokio concurrent_writers_skip_no_seq_on_sqlite,
    postgres concurrent_writers_skip_no_seq_on_postgres,
    postgres a_value_written_on_one_instance_reaches_clients_of_another_even_after_its_listener_dies,
    postgres a_units_page_follows_a_change_made_on_another_instance_and_never_resumes_past_it,
    tokio a_value_past_an_admins_threshold_raises_an_alert_and_a_recovered_one_clears_it,
    tokio a_wall_screen_listens_with_its_display_token_and_other_sites_are_refused,
    tokio the_demo_simulator_moves_values_through_the_same_path_labelled_simulated,
    tokio an_admins_layout_change_reaches_the_screen_live,
    tokio a_report_changing_state_is_heard_on_the_reports_topic,
    tokio a_task_assigned_and_reported_is_heard_on_the_tasks_topic,
    tokio heartbeats_name_the_site_build_the_server_serves,
    tokio commands_run_beside_a_running_sqlite_server_take_effect_on_it_live,
];
