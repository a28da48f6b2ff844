//! Server-side render time of each drill-down page kind (DESIGN.md "Bars": under 20 ms p99 with
//! 10 years of data for every unit), measured from a client on the same machine, one request at a
//! time over keep-alive. By default it starts a dieuhanh of its own on a fresh SQLite database
//! with the full demo (10 years for every unit that reports, meetings and tasks) and signs in for
//! the pages that need it:
//!
//!     cargo build --release -p bench && target/release/ssr
//!     target/release/ssr --url http://127.0.0.1:3000        # any running instance (public pages)
//!     target/release/ssr --url http://127.0.0.1:3000 --wall 'http://…/wall/1?token=…'
//!
//! Prints p50, p99 and max per page kind, and the page size, for docs/performance.md.

use bench::{Database, Dieuhanh};
use clap::Parser;
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Server-side rendering benchmark of every drill-down page kind")]
struct Args {
    /// A running server to measure instead of one of the benchmark's own (signed-in pages are
    /// then left out).
    #[arg(long)]
    url: Option<String>,
    /// Requests per page kind, after 5 to warm up.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// A wall screen's address with its display token, as `dieuhanh display create` prints
    /// it, to measure that screen's page too (a server of the benchmark's own makes one).
    #[arg(long)]
    wall: Option<String>,
    /// The dieuhanh release binary (default: $CARGO_TARGET_DIR/release/dieuhanh).
    #[arg(long)]
    server: Option<std::path::PathBuf>,
}

/// Pages that need a signed-in person (the demo's leader account).
const SIGNED_IN_PAGES: [(&str, &str); 4] = [
    ("tasks, every unit", "/tasks"),
    ("tasks of a ministry", "/tasks?unit=BTC"),
    ("meetings of a month", "/meetings"),
    ("a meeting", "/meetings/1"),
];

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
    let args = Args::parse();
    let password = "bench-password-123";
    let own = match &args.url {
        Some(_) => None,
        None => {
            let binary = args
                .server
                .clone()
                .unwrap_or_else(bench::default_server_binary);
            eprintln!("starting dieuhanh with the full demo (seeding takes a few seconds)");
            match Dieuhanh::start(
                &binary,
                Database::Sqlite,
                &["01".to_string()],
                Some(password),
            )
            .await
            {
                Ok(d) => Some(d),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            }
        }
    };
    let base = args
        .url
        .clone()
        .or_else(|| own.as_ref().map(|d| d.base.clone()))
        .unwrap_or_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let cookie = match own {
        Some(_) => Some(sign_in(&http, &base, "lanhdao", password).await),
        None => None,
    };
    let wall = match (&args.wall, &own) {
        (Some(address), _) => Some(address.clone()),
        (None, Some(own)) => match own.command(&["display", "create", "--name", "Benchmark"]) {
            Ok(address) => Some(address),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        },
        (None, None) => None,
    };
    // The screen's address sets its display cookie and leads to the page without the token.
    let wall = match wall {
        Some(address) => Some(open_wall(&http, &base, &address).await),
        None => None,
    };
    println!("| page | path | p50 ms | p99 ms | max ms | KB |");
    println!("|---|---|---:|---:|---:|---:|");
    let signed_in = cookie.iter().flat_map(|_| SIGNED_IN_PAGES);
    let pages = PAGES
        .into_iter()
        .map(|(name, path)| (name, path.to_string(), cookie.clone()))
        .chain(signed_in.map(|(name, path)| (name, path.to_string(), cookie.clone())))
        .chain(
            wall.into_iter()
                .map(|(path, c)| ("wall screen", path, Some(c))),
        );
    for (name, path, cookie) in pages {
        let url = format!("{base}{path}");
        let get = || {
            let r = http.get(&url);
            match &cookie {
                Some(c) => r.header("cookie", c),
                None => r,
            }
        };
        // Warm up: first reads fill the database's page cache.
        for _ in 0..5 {
            let _ = get().send().await;
        }
        let mut times = Vec::with_capacity(args.requests);
        let mut size = 0;
        for _ in 0..args.requests {
            let t = Instant::now();
            let res = get().send().await.expect("the server answers");
            assert!(res.status().is_success(), "{path}: {}", res.status());
            size = res.bytes().await.expect("a body").len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| {name} | `{path}` | {} | {} | {} | {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            size / 1024
        );
    }
}

/// Opens a wall screen's address as the screen does once: answers the page's path and the
/// display cookie it was given.
async fn open_wall(http: &reqwest::Client, base: &str, address: &str) -> (String, String) {
    let path = &address[address
        .find("/wall/")
        .unwrap_or_else(|| panic!("not a wall screen's address: {address}"))..];
    let res = http
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("the server answers");
    let cookie = cookie_named(&res, "dieuhanh_display")
        .unwrap_or_else(|| panic!("{path} gave no display cookie (a revoked token?)"));
    let page = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("/wall/1")
        .to_string();
    (page, cookie)
}

/// Signs in through the sign-in form and returns the session cookie.
async fn sign_in(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/login"))
        // As a browser on the site does (state-changing requests must come from it).
        .header("origin", base)
        .form(&[
            ("username", username),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("the server answers");
    cookie_named(&res, "dieuhanh_session")
        .unwrap_or_else(|| panic!("signing in as {username} gave no session cookie"))
}

/// The `name=value` of the cookie `name` that `res` sets.
fn cookie_named(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}
