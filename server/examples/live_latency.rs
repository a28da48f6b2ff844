//! Measures ingest → WebSocket latency against a running server: N clients subscribe to one
//! indicator, U updates are posted through the API at R per second, and each client stamps when
//! each update arrives. A first probe; the full load generator is issue 9's.
//!
//! cargo run --release -p server --example live_latency -- <base url> <API token for 01> [clients] [updates] [per second]

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!(
            "usage: live_latency <base url> <API token for unit 01> [clients=100] [updates=50] [per second=10]"
        );
        std::process::exit(2);
    }
    let base = args[1].trim_end_matches('/').to_string();
    let token = args[2].clone();
    let clients: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100);
    let updates: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(50);
    let rate: f64 = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(10.0);

    // Values encode the update's index, so a client knows which send time to compare with.
    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; updates]));
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::new(Mutex::new(Vec::new()));
    let base_value = 900_000.0 + (std::process::id() % 1000) as f64 * 100.0;
    let mut tasks = Vec::new();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(clients);
    for _ in 0..clients {
        let mut req = format!("{}/ws", base.replace("http://", "ws://"))
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
        let (sent, latencies, ready) = (sent.clone(), latencies.clone(), ready_tx.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(req)
                .await
                .expect("connect");
            ws.send(Message::text(
                json!({"type":"subscribe","topics":["unit:01"]}).to_string(),
            ))
            .await
            .unwrap();
            let mut got = 0;
            while let Some(Ok(msg)) = ws.next().await {
                let Message::Text(t) = msg else { continue };
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                match v["type"].as_str() {
                    Some("snapshot") => {
                        let _ = ready.send(()).await;
                    }
                    Some("update") if v["data"]["indicator"] == "EXPORT_VALUE" => {
                        let value = v["data"]["value"].as_f64().unwrap_or_default();
                        let i = (value - base_value).round() as usize;
                        if let Some(Some(at)) = sent.lock().await.get(i) {
                            latencies.lock().await.push(at.elapsed());
                            got += 1;
                            if got == updates {
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }));
    }
    for _ in 0..clients {
        ready_rx.recv().await;
    }
    let http = reqwest::Client::new();
    let start = Instant::now();
    for i in 0..updates {
        let at = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(at.into()).await;
        sent.lock().await[i] = Some(Instant::now());
        let res = http
            .post(format!("{base}/api/v1/observations"))
            .bearer_auth(&token)
            .json(&json!({"observations":[{"indicator":"EXPORT_VALUE","unit":"01","period":"2026-01","value": base_value + i as f64}]}))
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "ingest answered {}",
            res.status()
        );
    }
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
    }
    let mut l = latencies.lock().await.clone();
    l.sort();
    let pct = |p: f64| l[((l.len() as f64 * p) as usize).min(l.len() - 1)];
    println!(
        "clients {clients}, updates {updates} at {rate}/s: deliveries {} of {}, ingest→client p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        l.len(),
        clients * updates,
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        l.last().unwrap().as_secs_f64() * 1000.0
    );
}
