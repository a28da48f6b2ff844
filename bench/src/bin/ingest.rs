//! The ingest benchmark (DESIGN.md "Bars": 50,000 observations/s in batches, on SQLite and on
//! PostgreSQL): new values posted through `POST /api/v1/observations` to a dieuhanh of the
//! benchmark's own, on a fresh database each time, in batches of 1, 100 and 10,000. With
//! `--revise` the values are stored once first and the timed run changes every one of them.
//!
//!     cargo build --release -p bench && target/release/ingest
//!
//! Every batch must be answered 200 with every row stored; the figure is rows stored per second
//! of wall time, with the server's CPU over the run.

use bench::{Database, Dieuhanh};
use clap::Parser;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Ingest benchmark: observations/s into SQLite and PostgreSQL through the API")]
struct Args {
    /// Databases: sqlite, postgres.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    databases: Vec<String>,
    /// Rows per request.
    #[arg(long, value_delimiter = ',', default_value = "1,100,10000")]
    batches: Vec<usize>,
    /// Rows per run with batches of 100 rows or more.
    #[arg(long, default_value_t = 200_000)]
    observations: usize,
    /// Rows per run with smaller batches (one request per few rows takes longer).
    #[arg(long, default_value_t = 5_000)]
    small: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Write every value once before the timed run, which then changes them all: the figure is
    /// for new revisions of stored values rather than for new values.
    #[arg(long)]
    revise: bool,
    /// The dieuhanh release binary (default: $CARGO_TARGET_DIR/release/dieuhanh).
    #[arg(long)]
    server: Option<PathBuf>,
}

/// `count` distinct new values: every monthly provincial indicator of every province, month by
/// month from January 1970 (200,000 rows reach 1994, 400,000 reach 2018: never a future period).
/// `offset` is added to every value (a second pass with another offset changes them all).
fn observations(count: usize, offset: f64) -> Vec<String> {
    let provinces = bench::province_codes();
    let indicators = bench::monthly_province_indicators();
    let mut rows = Vec::with_capacity(count);
    let mut month = 0usize;
    'months: loop {
        let period = format!("{}-{:02}", 1970 + month / 12, month % 12 + 1);
        for i in &indicators {
            for p in &provinces {
                if rows.len() == count {
                    break 'months;
                }
                rows.push(format!(
                    r#"{{"indicator":"{i}","unit":"{p}","period":"{period}","value":{}}}"#,
                    // Within every indicator's range (shares lie between 0 and 100).
                    (rows.len() % 99) as f64 + 0.5 + offset
                ));
            }
        }
        month += 1;
    }
    rows
}

struct Run {
    rows: usize,
    seconds: f64,
    server_cpu: Duration,
}

async fn run(
    args: &Args,
    binary: &std::path::Path,
    database: Database,
    batch: usize,
) -> Result<Run, String> {
    let provinces = bench::province_codes();
    let server = Dieuhanh::start(binary, database, &provinces, None).await?;
    let count = if batch >= 100 {
        args.observations
    } else {
        args.small
    };
    let bodies = |offset: f64| -> Arc<Vec<String>> {
        Arc::new(
            observations(count, offset)
                .chunks(batch.max(1))
                .map(|c| format!(r#"{{"observations":[{}]}}"#, c.join(",")))
                .collect(),
        )
    };
    if args.revise {
        let first = post_all(&server, bodies(0.0), args.concurrency).await?;
        if first != count {
            return Err(format!(
                "{first} rows stored of {count} sent before the run"
            ));
        }
    }
    let timed = bodies(if args.revise { 0.25 } else { 0.0 });
    let cpu_before = bench::cpu_time(server.process.pid());
    let start = Instant::now();
    let rows = post_all(&server, timed, args.concurrency).await?;
    let seconds = start.elapsed().as_secs_f64();
    let server_cpu = bench::cpu_time(server.process.pid()).saturating_sub(cpu_before);
    if rows != count {
        return Err(format!("{rows} rows stored of {count} sent"));
    }
    Ok(Run {
        rows,
        seconds,
        server_cpu,
    })
}

/// Posts every body, `concurrency` requests at a time; the rows the server says it stored.
async fn post_all(
    server: &Dieuhanh,
    bodies: Arc<Vec<String>>,
    concurrency: usize,
) -> Result<usize, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let stored = Arc::new(AtomicUsize::new(0));
    let http = reqwest::Client::new();
    let workers: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let (bodies, next, stored, http) =
                (bodies.clone(), next.clone(), stored.clone(), http.clone());
            let (url, token) = (
                format!("{}/api/v1/observations", server.base),
                server.token.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(body) = bodies.get(i) else {
                        return Ok::<(), String>(());
                    };
                    let answer = http
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    let status = answer.status();
                    let text = answer.text().await.map_err(|e| e.to_string())?;
                    if !status.is_success() {
                        let shown: String = text.chars().take(300).collect();
                        return Err(format!("batch {i} answered {status}: {shown}"));
                    }
                    let json: serde_json::Value =
                        serde_json::from_str(&text).map_err(|e| e.to_string())?;
                    stored.fetch_add(
                        json["stored"].as_u64().unwrap_or(0) as usize,
                        Ordering::Relaxed,
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.await.map_err(|e| e.to_string())??;
    }
    Ok(stored.load(Ordering::Relaxed))
}

fn main() {
    let args = Args::parse();
    let binary = args
        .server
        .clone()
        .unwrap_or_else(bench::default_server_binary);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    println!(
        "| database | values | rows per request | requests in flight | rows stored | seconds | rows/s | server CPU µs/row |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for name in &args.databases {
        let database = match name.as_str() {
            "sqlite" => Database::Sqlite,
            "postgres" => Database::Postgres,
            other => {
                eprintln!("unknown database {other}: use sqlite or postgres");
                std::process::exit(2);
            }
        };
        for &batch in &args.batches {
            match rt.block_on(run(&args, &binary, database, batch)) {
                Ok(r) => println!(
                    "| {database} | {} | {batch} | {} | {} | {:.2} | {:.0} | {:.1} |",
                    if args.revise { "changed" } else { "new" },
                    args.concurrency,
                    r.rows,
                    r.seconds,
                    r.rows as f64 / r.seconds,
                    r.server_cpu.as_nanos() as f64 / 1000.0 / r.rows as f64
                ),
                Err(e) => {
                    eprintln!("{database}, batches of {batch}: {e}");
                    std::process::exit(1);
                }
            }
        }
    }
}
