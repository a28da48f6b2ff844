//! The fan-out benchmark (DESIGN.md "Bars"): N WebSocket clients on one topic, R updates a second
//! ingested through the real API, each update stamped just before it is sent and timed at every
//! client. The same load, in the same run, against two reference peers (a Node.js broadcast on
//! the npm package `ws`, and axum's chat-example design), and the floor: the CPU of one bare
//! `write()` of a message of the same size on loopback TCP.
//!
//!     cargo build --release -p bench && target/release/fanout --clients 10000 --rate 10 --seconds 20
//!
//! Reports per server: updates lost, ingest→client latency (p50, p99, max), how long the first
//! and the last client waited and the publishing request took (medians over updates: the
//! server's path before it writes, and that plus the fan-out's spread over the clients; the
//! longest publish too), deliveries/s, server
//! CPU per delivery (from /proc, every thread) and its ratio to the floor, memory per idle
//! connection (resident memory with N idle clients minus before them, over N), peak memory.

use bench::{Database, Dieuhanh, Process, kb, ms};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

#[derive(Parser, Debug)]
#[command(about = "Fan-out benchmark: dieuhanh against reference peers and the write() floor")]
struct Args {
    /// WebSocket clients per server.
    #[arg(long, default_value_t = 10_000)]
    clients: usize,
    /// Updates ingested per second.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Seconds of updates.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Servers to measure, in order: dieuhanh, chat (axum's chat example), node (npm `ws`).
    #[arg(long, value_delimiter = ',', default_value = "dieuhanh,chat,node")]
    targets: Vec<String>,
    /// The dieuhanh release binary (default: $CARGO_TARGET_DIR/release/dieuhanh).
    #[arg(long)]
    server: Option<PathBuf>,
    /// dieuhanh's database: sqlite or postgres.
    #[arg(long, default_value = "sqlite")]
    database: String,
    /// Connections being opened at once while ramping up.
    #[arg(long, default_value_t = 200)]
    connecting: usize,
    /// Internal: serve the Rust chat peer on this port (the harness starts it this way).
    #[arg(long, hide = true)]
    chat_peer: Option<u16>,
}

/// Values encode the update's number, so that a client knows which send time to compare with.
const BASE_VALUE: f64 = 1_000_000.0;
const SHARDS: usize = 64;
/// Rounds of the write() floor.
const FLOOR_ROUNDS: usize = 20;

/// What every client shares: when each update was sent, and the latencies seen.
struct Shared {
    start: Instant,
    sent_ns: Vec<AtomicU64>,
    /// When each update first reached any client: how long the server took before writing it.
    first_arrival_ns: Vec<AtomicU64>,
    /// When each update reached its last client: the first plus the fan-out's spread.
    last_arrival_ns_per_update: Vec<AtomicU64>,
    histograms: Vec<Mutex<Histogram<u64>>>,
    last_arrival_ns: AtomicU64,
    complete: AtomicUsize,
    ready: AtomicUsize,
    sample: OnceLock<String>,
}

impl Shared {
    fn new(updates: usize) -> Shared {
        Shared {
            start: Instant::now(),
            sent_ns: (0..updates).map(|_| AtomicU64::new(0)).collect(),
            first_arrival_ns: (0..updates).map(|_| AtomicU64::new(u64::MAX)).collect(),
            last_arrival_ns_per_update: (0..updates).map(|_| AtomicU64::new(0)).collect(),
            histograms: (0..SHARDS)
                .map(|_| Mutex::new(Histogram::new_with_bounds(1, 600_000_000, 3).expect("bounds")))
                .collect(),
            last_arrival_ns: AtomicU64::new(0),
            complete: AtomicUsize::new(0),
            ready: AtomicUsize::new(0),
            sample: OnceLock::new(),
        }
    }

    fn now_ns(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }
}

/// The update number in a message, read from its `"value":` without parsing the whole message
/// (the load generator shares the machine with the server; its own work is kept small).
fn update_number(text: &str) -> Option<usize> {
    let at = text.find("\"value\":")? + 8;
    let rest = &text[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    let v: f64 = rest[..end].trim().parse().ok()?;
    let n = (v - BASE_VALUE).round();
    (n >= 0.0).then_some(n as usize)
}

/// How a client talks to the server under test.
#[derive(Clone)]
struct Target {
    name: String,
    ws_url: String,
    /// dieuhanh's API token (sent as `Authorization: Bearer`); peers take anyone.
    token: Option<String>,
    /// dieuhanh needs a subscription and answers it with a snapshot; peers broadcast to all.
    subscribe: bool,
}

struct ClientResult {
    unique: u64,
    duplicates: u64,
}

async fn client(
    index: usize,
    target: Target,
    updates: usize,
    shared: Arc<Shared>,
    opening: Arc<Semaphore>,
    mut done: watch::Receiver<bool>,
) -> Result<ClientResult, String> {
    let permit = opening.acquire().await.map_err(|e| e.to_string())?;
    let mut request = target
        .ws_url
        .as_str()
        .into_client_request()
        .map_err(|e| e.to_string())?;
    if let Some(token) = &target.token {
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {token}").parse().map_err(|_| "token")?,
        );
    }
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let mut attempt = 0;
    let (mut ws, _) = loop {
        match tokio_tungstenite::connect_async_with_config(request.clone(), Some(config), true)
            .await
        {
            Ok(ok) => break ok,
            Err(e) if attempt >= 3 => return Err(e.to_string()),
            Err(_) => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
        }
    };
    if target.subscribe {
        ws.send(Message::text(
            r#"{"type":"subscribe","topics":["unit:01"]}"#,
        ))
        .await
        .map_err(|e| e.to_string())?;
        // Ready once the snapshot has arrived.
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) if t.as_str().starts_with(r#"{"type":"snapshot""#) => {
                    break;
                }
                Some(Ok(_)) => {}
                other => return Err(format!("no snapshot: {other:?}")),
            }
        }
    }
    drop(permit);
    shared.ready.fetch_add(1, Ordering::Relaxed);
    let mut seen = vec![0u64; updates.div_ceil(64)];
    let (mut unique, mut duplicates) = (0u64, 0u64);
    loop {
        let message = tokio::select! {
            m = ws.next() => m,
            _ = done.changed() => break,
        };
        let text = match message {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(_)) => continue,
            _ => break,
        };
        let Some(n) = update_number(text.as_str()).filter(|n| *n < updates) else {
            continue;
        };
        let now = shared.now_ns();
        let sent = shared.sent_ns[n].load(Ordering::Acquire);
        if let Ok(mut h) = shared.histograms[index % SHARDS].lock() {
            let _ = h.record(now.saturating_sub(sent).div_ceil(1000).max(1));
        }
        shared.last_arrival_ns.fetch_max(now, Ordering::Relaxed);
        shared.first_arrival_ns[n].fetch_min(now, Ordering::Relaxed);
        shared.last_arrival_ns_per_update[n].fetch_max(now, Ordering::Relaxed);
        let _ = shared.sample.set(text.as_str().to_string());
        let (word, bit) = (n / 64, 1u64 << (n % 64));
        if seen[word] & bit != 0 {
            duplicates += 1;
            continue;
        }
        seen[word] |= bit;
        unique += 1;
        if unique == updates as u64 {
            shared.complete.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(ClientResult { unique, duplicates })
}

/// What one server did under the load.
struct Outcome {
    name: String,
    connected: usize,
    failures: usize,
    first_failure: Option<String>,
    expected: u64,
    delivered: u64,
    duplicates: u64,
    p50_us: u64,
    p99_us: u64,
    /// Median over updates of the first client's latency (the server's path before writing).
    first_p50_us: u64,
    /// Median over updates of the last client's latency (the first plus the spread).
    last_p50_us: u64,
    /// Median and longest time to answer the publishing request.
    answer_p50_us: u64,
    answer_max_us: u64,
    max_us: u64,
    deliveries_per_s: f64,
    cpu_per_delivery: Duration,
    idle_bytes_per_connection: f64,
    peak_resident: u64,
    loadgen_cpu: Duration,
    /// A message as received (its length is the message size).
    sample: Option<String>,
}

/// The server process under test and how to feed it one update.
struct Running {
    pid: u32,
    target: Target,
    publish: Box<dyn Fn(usize) -> reqwest::RequestBuilder + Send + Sync>,
    _keep: Box<dyn Send>,
}

async fn measure(args: &Args, server: Running, connecting: usize) -> Result<Outcome, String> {
    let updates = ((args.rate * args.seconds).round() as usize).max(1);
    let shared = Arc::new(Shared::new(updates));
    let opening = Arc::new(Semaphore::new(connecting.max(1)));
    let (done_tx, done_rx) = watch::channel(false);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before_clients = bench::resident_bytes(server.pid);
    let ramp = Instant::now();
    let tasks: Vec<_> = (0..args.clients)
        .map(|i| {
            tokio::spawn(client(
                i,
                server.target.clone(),
                updates,
                shared.clone(),
                opening.clone(),
                done_rx.clone(),
            ))
        })
        .collect();
    // Ramped up once every client is ready (subscribed) or has given up.
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let gave_up = tasks.iter().filter(|t| t.is_finished()).count();
        if shared.ready.load(Ordering::Relaxed) + gave_up >= args.clients {
            break;
        }
        if ramp.elapsed() > Duration::from_secs(600) {
            return Err("clients still connecting after 10 minutes".into());
        }
    }
    let connected = shared.ready.load(Ordering::Relaxed);
    eprintln!(
        "  {}: {connected} clients connected in {:.1} s",
        server.target.name,
        ramp.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = bench::resident_bytes(server.pid);
    let idle_bytes_per_connection =
        (idle as f64 - before_clients as f64) / (connected.max(1) as f64);

    let cpu_before = bench::cpu_time(server.pid);
    let own_before = bench::own_cpu_time();
    let feed_start = Instant::now();
    let first_sent_ns = shared.now_ns();
    let mut answers = Vec::with_capacity(updates);
    for i in 0..updates {
        let at = feed_start + Duration::from_secs_f64(i as f64 / args.rate);
        tokio::time::sleep_until(at.into()).await;
        shared.sent_ns[i].store(shared.now_ns(), Ordering::Release);
        let answer = (server.publish)(i)
            .send()
            .await
            .map_err(|e| format!("publish: {e}"))?;
        answers.push((shared.now_ns() - shared.sent_ns[i].load(Ordering::Relaxed)) / 1000);
        if !answer.status().is_success() {
            return Err(format!(
                "publish answered {}: {}",
                answer.status(),
                answer.text().await.unwrap_or_default()
            ));
        }
    }
    // Drain: until every connected client has every update, or 10 s after the last one.
    let drain = Instant::now();
    while shared.complete.load(Ordering::Relaxed) < connected
        && drain.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let cpu = bench::cpu_time(server.pid).saturating_sub(cpu_before);
    let loadgen_cpu = bench::own_cpu_time().saturating_sub(own_before);
    let peak_resident = bench::peak_resident_bytes(server.pid);
    let _ = done_tx.send(true);
    let (mut delivered, mut duplicates, mut failures, mut first_failure) = (0, 0, 0, None);
    for t in tasks {
        match t.await {
            Ok(Ok(r)) => {
                delivered += r.unique;
                duplicates += r.duplicates;
            }
            Ok(Err(e)) => {
                failures += 1;
                first_failure.get_or_insert(e);
            }
            Err(e) => {
                failures += 1;
                first_failure.get_or_insert(e.to_string());
            }
        }
    }
    let mut all = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3).expect("bounds");
    for h in &shared.histograms {
        if let Ok(h) = h.lock() {
            let _ = all.add(&*h);
        }
    }
    let span_ns = shared
        .last_arrival_ns
        .load(Ordering::Relaxed)
        .saturating_sub(first_sent_ns)
        .max(1);
    let sample = shared.sample.get().cloned();
    let latencies = |arrivals: &[AtomicU64]| -> Vec<u64> {
        (0..updates)
            .filter_map(|i| {
                let at = arrivals[i].load(Ordering::Relaxed);
                (at != u64::MAX && at != 0)
                    .then(|| at.saturating_sub(shared.sent_ns[i].load(Ordering::Relaxed)) / 1000)
            })
            .collect()
    };
    let mut firsts = latencies(&shared.first_arrival_ns);
    let mut lasts = latencies(&shared.last_arrival_ns_per_update);
    let answer_max_us = answers.iter().copied().max().unwrap_or(0);
    Ok(Outcome {
        name: server.target.name.clone(),
        connected: args.clients - failures,
        failures,
        first_failure,
        expected: (args.clients - failures) as u64 * updates as u64,
        delivered,
        duplicates,
        p50_us: all.value_at_quantile(0.50),
        p99_us: all.value_at_quantile(0.99),
        first_p50_us: median(&mut firsts),
        last_p50_us: median(&mut lasts),
        answer_p50_us: median(&mut answers),
        answer_max_us,
        max_us: all.max(),
        deliveries_per_s: delivered as f64 / (span_ns as f64 / 1e9),
        cpu_per_delivery: cpu / (delivered.max(1) as u32),
        idle_bytes_per_connection,
        peak_resident,
        loadgen_cpu,
        sample,
    })
}

/// CPU of one bare `write()` of `len` bytes to an idle loopback TCP socket whose reader waits
/// in epoll (as each client does): the cost a server cannot go below for one delivery. One
/// thread writes once to each of `sockets` sockets per round, as a fan-out of one update does
/// (as many sockets as clients, since the kernel's cost per write grows with its working set);
/// readers on another thread take everything; only the writing thread's CPU is counted.
fn write_floor(len: usize, sockets: usize) -> Duration {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let reader = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            use tokio::io::AsyncReadExt;
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let mut readers = Vec::new();
            for _ in 0..sockets {
                let (mut s, _) = listener.accept().await.expect("accept");
                readers.push(tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    while matches!(s.read(&mut buf).await, Ok(n) if n > 0) {}
                }));
            }
            for r in readers {
                let _ = r.await;
            }
        });
    });
    let count = sockets;
    let mut sockets: Vec<std::net::TcpStream> = (0..count)
        .map(|_| {
            let s = std::net::TcpStream::connect(addr).expect("connect");
            s.set_nodelay(true).expect("nodelay");
            s
        })
        .collect();
    let message = vec![b'x'; len];
    let round = |sockets: &mut Vec<std::net::TcpStream>| {
        for s in sockets.iter_mut() {
            s.write_all(&message).expect("write");
        }
        // The readers take the round before the next: each write meets an idle socket.
        std::thread::sleep(Duration::from_micros(20_000 + 10 * count as u64));
    };
    round(&mut sockets);
    let before = bench::thread_cpu_time();
    for _ in 0..FLOOR_ROUNDS {
        round(&mut sockets);
    }
    let cpu = bench::thread_cpu_time() - before;
    drop(sockets);
    let _ = reader.join();
    cpu / (count * FLOOR_ROUNDS) as u32
}

/// A WebSocket text frame's length on the wire from a server (no mask).
fn frame_len(payload: usize) -> usize {
    payload
        + match payload {
            0..=125 => 2,
            126..=65535 => 4,
            _ => 10,
        }
}

fn fallback_sample() -> String {
    // The shape of dieuhanh's update message, for runs without dieuhanh.
    format!(
        r#"{{"type":"update","topic":"unit:01","seq":1,"data":{{"indicator":"EXPORT_VALUE","unit":"01","period":"2026-01","value":{BASE_VALUE:.1},"source":"api","note":null,"source_ref":null,"recorded_at":"2026-11-23T07:00:00.000Z","seq":1}}}}"#
    )
}

/// The peers broadcast what they are given: dieuhanh's own message with the update's value.
fn peer_message(sample: &str, n: usize) -> String {
    let at = sample.find("\"value\":").map(|i| i + 8).unwrap_or(0);
    let rest = &sample[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    format!(
        "{}{:.1}{}",
        &sample[..at],
        BASE_VALUE + n as f64,
        &rest[end..]
    )
}

async fn start(
    name: &str,
    args: &Args,
    sample: &str,
) -> Result<(Running, Option<Dieuhanh>), String> {
    let http = reqwest::Client::new();
    match name {
        "dieuhanh" => {
            let binary = args
                .server
                .clone()
                .unwrap_or_else(bench::default_server_binary);
            let database = match args.database.as_str() {
                "postgres" => Database::Postgres,
                _ => Database::Sqlite,
            };
            let d = Dieuhanh::start(&binary, database, &["01".to_string()], None).await?;
            let (base, token) = (d.base.clone(), d.token.clone());
            let running = Running {
                pid: d.process.pid(),
                target: Target {
                    name: format!("dieuhanh ({database})"),
                    ws_url: format!("{}/ws", base.replace("http://", "ws://")),
                    token: Some(token.clone()),
                    subscribe: true,
                },
                publish: Box::new(move |n| {
                    http.post(format!("{base}/api/v1/observations"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(format!(
                            r#"{{"observations":[{{"indicator":"EXPORT_VALUE","unit":"01","period":"2026-01","value":{:.1}}}]}}"#,
                            BASE_VALUE + n as f64
                        ))
                }),
                _keep: Box::new(()),
            };
            Ok((running, Some(d)))
        }
        "chat" | "node" => {
            let port = bench::free_port();
            let mut command = if name == "chat" {
                let mut c =
                    std::process::Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
                c.args(["--chat-peer", &port.to_string()]);
                c
            } else {
                let dir = bench::repo_root().join("bench/peers/node");
                if !dir.join("node_modules/ws").exists() {
                    let ok = std::process::Command::new("npm")
                        .args(["ci", "--no-audit", "--no-fund"])
                        .current_dir(&dir)
                        .status()
                        .map_err(|e| format!("npm: {e}"))?;
                    if !ok.success() {
                        return Err("npm ci in bench/peers/node failed".into());
                    }
                }
                let mut c = std::process::Command::new("node");
                c.arg(dir.join("server.js")).arg(port.to_string());
                c
            };
            command.stdout(std::process::Stdio::null());
            let mut process = Process {
                child: command.spawn().map_err(|e| format!("{name}: {e}"))?,
                name: name.to_string(),
            };
            let base = format!("http://127.0.0.1:{port}");
            bench::wait_ready(
                &mut process,
                &format!("{base}/healthz"),
                Duration::from_secs(30),
            )
            .await?;
            let sample = sample.to_string();
            let running = Running {
                pid: process.pid(),
                target: Target {
                    name: if name == "chat" {
                        "Rust, axum chat example".into()
                    } else {
                        "Node.js, ws".into()
                    },
                    ws_url: format!("ws://127.0.0.1:{port}/ws"),
                    token: None,
                    subscribe: false,
                },
                publish: Box::new(move |n| {
                    http.post(format!("{base}/publish"))
                        .body(peer_message(&sample, n))
                }),
                _keep: Box::new(process),
            };
            Ok((running, None))
        }
        other => Err(format!(
            "unknown target {other}: use dieuhanh, chat or node"
        )),
    }
}

fn main() {
    let args = Args::parse();
    if let Some(port) = args.chat_peer {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(bench::chat_peer::serve(port));
        return;
    }
    let limit = bench::raise_open_files();
    if (limit as usize) < args.clients + 100 {
        eprintln!(
            "the open-file limit is {limit}: raise it (ulimit -n) above the number of clients"
        );
        std::process::exit(2);
    }
    // Both ends of each floor socket are in this process: within the open-file limit.
    let floor_sockets = args
        .clients
        .clamp(100, (limit as usize).saturating_sub(200) / 2);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut outcomes = Vec::new();
    let mut sample = fallback_sample();
    let mut floors = Vec::new();
    eprintln!(
        "fan-out: {} clients, {} updates/s for {} s",
        args.clients, args.rate, args.seconds
    );
    floors.push(write_floor(frame_len(sample.len()), floor_sockets));
    for name in &args.targets {
        let result = rt.block_on(async {
            let (running, dieuhanh) = start(name, &args, &sample).await?;
            let outcome = measure(&args, running, args.connecting).await;
            if let (Err(_), Some(d)) = (&outcome, &dieuhanh) {
                eprintln!("{}", d.log_tail());
            }
            drop(dieuhanh);
            outcome
        });
        match result {
            Ok(o) => {
                if let Some(s) = o.sample.clone().filter(|_| name == "dieuhanh") {
                    // Later peers broadcast dieuhanh's own message, so all carry the same bytes.
                    sample = s;
                }
                outcomes.push(o);
            }
            Err(e) => {
                eprintln!("{name}: {e}");
                std::process::exit(1);
            }
        }
        // Let the closed sockets go before the next server.
        std::thread::sleep(Duration::from_secs(2));
    }
    floors.push(write_floor(frame_len(sample.len()), floor_sockets));
    report(&args, &outcomes, &floors, floor_sockets);
    // The figures are for reading; a lost update or a refused client of dieuhanh is a failure.
    if outcomes
        .iter()
        .any(|o| o.name.starts_with("dieuhanh") && (o.delivered < o.expected || o.failures > 0))
    {
        eprintln!("dieuhanh lost updates or refused clients");
        std::process::exit(1);
    }
}

/// " (3 failed)", or nothing for none.
fn median(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

fn aside(count: u64, what: &str) -> String {
    match count {
        0 => String::new(),
        n => format!(" ({n} {what})"),
    }
}

fn report(args: &Args, outcomes: &[Outcome], floors: &[Duration], floor_sockets: usize) {
    let floor = floors.iter().sum::<Duration>() / floors.len().max(1) as u32;
    println!(
        "\n{} clients on one topic, {} updates/s for {} s; floor: one write() of a {}-byte frame to each of {} idle loopback sockets = {:.2} µs CPU (runs: {})\n",
        args.clients,
        args.rate,
        args.seconds,
        frame_len(
            outcomes
                .iter()
                .filter_map(|o| o.sample.as_ref().map(String::len))
                .max()
                .unwrap_or(0)
        ),
        floor_sockets,
        floor.as_nanos() as f64 / 1000.0,
        floors
            .iter()
            .map(|f| format!("{:.2}", f.as_nanos() as f64 / 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "| server | clients | delivered | lost | p50 ms | p99 ms | max ms | first client ms | last client ms | publish answered ms (max) | deliveries/s | server CPU µs/delivery | × floor | per idle connection | peak memory | load generator CPU |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for o in outcomes {
        let cpu_us = o.cpu_per_delivery.as_nanos() as f64 / 1000.0;
        println!(
            "| {} | {}{} | {} of {}{} | {} | {} | {} | {} | {} | {} | {} ({}) | {:.0} | {:.2} | {:.2} | {} | {:.0} MB | {:.1} s |",
            o.name,
            o.connected,
            aside(o.failures as u64, "failed"),
            o.delivered,
            o.expected,
            aside(o.duplicates, "twice"),
            o.expected.saturating_sub(o.delivered),
            ms(o.p50_us),
            ms(o.p99_us),
            ms(o.max_us),
            ms(o.first_p50_us),
            ms(o.last_p50_us),
            ms(o.answer_p50_us),
            ms(o.answer_max_us),
            o.deliveries_per_s,
            cpu_us,
            cpu_us / (floor.as_nanos().max(1) as f64 / 1000.0),
            kb(o.idle_bytes_per_connection),
            o.peak_resident as f64 / 1e6,
            o.loadgen_cpu.as_secs_f64(),
        );
        if let Some(e) = &o.first_failure {
            println!("\n{}: first failure: {e}", o.name);
        }
    }
}
