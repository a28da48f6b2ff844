//! Server-side render time of each drill-down page kind, measured from a client on the same
//! machine (one request at a time, keep-alive), against a running server with the full demo:
//!
//!     DIEUHANH_SIMULATOR=0 scripts/run &            # or any running instance
//!     cargo run --release -p server --example ssr_bench -- http://127.0.0.1:3000 200
//!
//! Prints p50, p99 and max per page kind, and the page size. A benchmark, not a test: the
//! figures go in docs/performance.md.

use std::time::{Duration, Instant};

const PAGES: [(&str, &str); 12] = [
    ("national overview", "/"),
    ("ministry", "/units/BTC"),
    ("province", "/units/01"),
    ("commune", "/units/00070"),
    ("indicator, nation", "/indicators/EXPORT_VALUE?unit=VN"),
    ("indicator, province", "/indicators/EXPORT_VALUE?unit=01"),
    (
        "indicator, 10 years",
        "/indicators/EXPORT_VALUE?unit=01&from=2016-11&to=2026-10",
    ),
    (
        "indicator, communes ranked",
        "/indicators/ONLINE_DOSSIERS?unit=01",
    ),
    (
        "indicator, commune",
        "/indicators/ONLINE_DOSSIERS?unit=00070",
    ),
    (
        "indicator, 4 compared",
        "/indicators/EXPORT_VALUE?unit=01&compare=79,48,92",
    ),
    (
        "indicator, history",
        "/indicators/EXPORT_VALUE?unit=01&rev=2026-10",
    ),
    ("search", "/search?q=ha+noi"),
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let http = reqwest::Client::new();
    println!("| page | path | p50 ms | p99 ms | max ms | KB |");
    println!("|---|---|---:|---:|---:|---:|");
    for (name, path) in PAGES {
        let url = format!("{base}{path}");
        // Warm up: first reads fill the database's page cache.
        for _ in 0..5 {
            let _ = http
                .get(&url)
                .send()
                .await
                .and_then(|r| r.error_for_status());
        }
        let mut times = Vec::with_capacity(n);
        let mut size = 0;
        for _ in 0..n {
            let t = Instant::now();
            let res = http.get(&url).send().await.expect("the server answers");
            assert!(res.status().is_success(), "{path}: {}", res.status());
            size = res.bytes().await.expect("a body").len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| {name} | `{path}` | {} | {} | {} | {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap()),
            size / 1024
        );
    }
}
