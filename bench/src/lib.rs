//! What the benchmarks share: starting a dieuhanh server of its own on a fresh database, reading
//! a process's CPU time and memory from /proc, and summarising latencies. Benchmarks print
//! figures for docs/performance.md; none of them is a test with a time limit.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository's root (the benchmarks read the catalogue and start the Node peer from it):
/// `DIEUHANH_ROOT` (the scripts set it), else the folder it is run in when that is a checkout,
/// else the one it was compiled in. Never only the last: a binary built in another checkout
/// sharing the target folder is reused as it is, and that checkout may be gone.
pub fn repo_root() -> PathBuf {
    if let Some(root) = std::env::var_os("DIEUHANH_ROOT") {
        return PathBuf::from(root);
    }
    if let Ok(here) = std::env::current_dir()
        && here.join("server/catalogue/indicators.csv").is_file()
    {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The release server built by `scripts/run` or `scripts/test`, unless told otherwise.
pub fn default_server_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("release").join("dieuhanh")
}

/// Raises this process's open-file limit to its hard limit (children inherit it): 10,000
/// clients need 10,000 descriptors on each side.
pub fn raise_open_files() -> u64 {
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        let mut l = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) != 0 {
            return 0;
        }
        l.rlim_cur = l.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &l);
        l.rlim_cur
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

/// CPU time (user and system, every thread, living or ended) a process has used so far.
pub fn cpu_time(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // Fields after the command name (which may hold spaces) start with the state, field 3;
    // utime and stime are fields 14 and 15.
    let after = stat.rfind(')').map_or("", |i| &stat[i + 1..]);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|x| x.parse::<u64>().ok()).sum())
        .unwrap_or(0);
    // SAFETY: sysconf reads a constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_nanos(ticks * 1_000_000_000 / per_second)
}

/// This process's CPU time so far (the load generator's own share of the machine).
pub fn own_cpu_time() -> Duration {
    cpu_time(std::process::id())
}

/// Resident memory of a process, in bytes.
pub fn resident_bytes(pid: u32) -> u64 {
    status_kb(pid, "VmRSS:") * 1024
}

/// Peak resident memory of a process, in bytes.
pub fn peak_resident_bytes(pid: u32) -> u64 {
    status_kb(pid, "VmHWM:") * 1024
}

fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time of the calling thread.
pub fn thread_cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the struct passed.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// A child process that is killed when dropped.
pub struct Process {
    pub child: Child,
    pub name: String,
}

impl Process {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `url` answers 200, or the process exits, or `limit` passes.
pub async fn wait_ready(process: &mut Process, url: &str, limit: Duration) -> Result<(), String> {
    let http = reqwest::Client::new();
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(status)) = process.child.try_wait() {
            return Err(format!(
                "{} exited before it was ready: {status}",
                process.name
            ));
        }
        if let Ok(r) = http.get(url).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!(
        "{} not ready at {url} within {limit:?}",
        process.name
    ))
}

/// Which database a dieuhanh under test uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Database::Sqlite => "SQLite",
            Database::Postgres => "PostgreSQL",
        })
    }
}

/// A dieuhanh server of the benchmark's own: a fresh database (SQLite in a temporary folder, or
/// a PostgreSQL database made for it and dropped after), an API token, the simulator off.
pub struct Dieuhanh {
    pub base: String,
    pub token: String,
    pub process: Process,
    binary: PathBuf,
    database_url: String,
    postgres_db: Option<(String, String)>,
    pub dir: tempfile::TempDir,
}

/// The PostgreSQL server the benchmarks make their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("DIEUHANH_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn psql(admin: &str, sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .arg(format!("{admin}/postgres"))
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

impl Dieuhanh {
    /// Migrates a fresh database, issues a token that may write for `units`, and serves.
    /// `demo` seeds the demo country (10 years of values, meetings and tasks) first.
    pub async fn start(
        binary: &Path,
        database: Database,
        units: &[String],
        demo: Option<&str>,
    ) -> Result<Dieuhanh, String> {
        if !binary.exists() {
            return Err(format!(
                "{} not found: build it first with `scripts/run`, or pass --server",
                binary.display()
            ));
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (url, postgres_db) = match database {
            Database::Sqlite => (format!("sqlite://{}/bench.db", dir.path().display()), None),
            Database::Postgres => {
                let admin = postgres_admin_url();
                let name = format!("dieuhanh_bench_{}_{}", std::process::id(), free_port());
                psql(&admin, &format!("CREATE DATABASE {name}"))?;
                (format!("{admin}/{name}"), Some((admin, name)))
            }
        };
        let port = free_port();
        let env = |c: &mut Command| {
            c.env("DATABASE_URL", &url)
                .env("DIEUHANH_LISTEN", format!("127.0.0.1:{port}"))
                .env("DIEUHANH_SIMULATOR", "0")
                .env("DIEUHANH_DEMO", if demo.is_some() { "1" } else { "0" })
                .env("DIEUHANH_ATTACHMENTS_DIR", dir.path().join("attachments"))
                .env("RUST_LOG", "warn");
            if let Some(password) = demo {
                c.env("DIEUHANH_DEMO_PASSWORD", password);
            }
        };
        let mut migrate = Command::new(binary);
        migrate.arg("migrate");
        env(&mut migrate);
        let out = migrate.output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "migrate failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let mut create = Command::new(binary);
        create.args(["token", "create", "--name", "bench"]);
        for u in units {
            create.args(["--unit", u]);
        }
        env(&mut create);
        let token = last_line(&mut create, "token create")?;
        let log =
            std::fs::File::create(dir.path().join("server.log")).map_err(|e| e.to_string())?;
        let mut serve = Command::new(binary);
        serve
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(log)
            .current_dir(repo_root());
        env(&mut serve);
        let mut process = Process {
            child: serve.spawn().map_err(|e| e.to_string())?,
            name: format!("dieuhanh ({database})"),
        };
        let base = format!("http://127.0.0.1:{port}");
        wait_ready(
            &mut process,
            &format!("{base}/readyz"),
            Duration::from_secs(300),
        )
        .await?;
        Ok(Dieuhanh {
            base,
            token,
            process,
            binary: binary.to_path_buf(),
            database_url: url,
            postgres_db,
            dir,
        })
    }

    /// Runs a command of the server's binary on its database beside it (`display create`);
    /// answers the last line it printed.
    pub fn command(&self, args: &[&str]) -> Result<String, String> {
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("RUST_LOG", "warn");
        last_line(&mut command, &args.join(" "))
    }

    /// The last lines of the server's log, for an error message.
    pub fn log_tail(&self) -> String {
        let Ok(f) = std::fs::File::open(self.dir.path().join("server.log")) else {
            return String::new();
        };
        let lines: Vec<String> = BufReader::new(f).lines().map_while(Result::ok).collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

/// Runs a command of the server's binary to its end; answers the last line it printed (a
/// token, an address), or what it said on failing.
fn last_line(command: &mut Command, what: &str) -> Result<String, String> {
    let out = command.output().map_err(|e| e.to_string())?;
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_string();
    if !out.status.success() || last.is_empty() {
        return Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(last)
}

impl Drop for Dieuhanh {
    fn drop(&mut self) {
        let _ = self.process.child.kill();
        let _ = self.process.child.wait();
        if let Some((admin, name)) = &self.postgres_db {
            let _ = psql(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// The codes of the 34 provinces, as the server's catalogue writes them.
pub fn province_codes() -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("server/catalogue/provinces.csv"))
        .unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter_map(|c| c.parse::<u32>().ok())
        .map(|c| format!("{c:02}"))
        .collect()
}

/// Indicators that provinces report every month.
pub fn monthly_province_indicators() -> Vec<String> {
    let path = repo_root().join("server/catalogue/indicators.csv");
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("a header line").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no column {name}", path.display()))
    };
    let (code, periodicity, reported_by, formula) = (
        column("code"),
        column("periodicity"),
        column("reported_by"),
        column("formula"),
    );
    let codes: Vec<String> = reader
        .records()
        .map(|r| r.expect("a readable line"))
        // A derived indicator is left out: its value follows its inputs.
        .filter(|r| {
            &r[periodicity] == "monthly"
                && r[reported_by].split('|').any(|k| k == "province")
                && r[formula].is_empty()
        })
        .map(|r| r[code].to_string())
        .collect();
    // Without any, a run would wait for rows that never come.
    assert!(
        !codes.is_empty(),
        "{}: no monthly provincial indicator",
        path.display()
    );
    codes
}

/// Latency percentiles of a histogram in microseconds, as milliseconds.
pub fn ms(us: u64) -> String {
    format!("{:.1}", us as f64 / 1000.0)
}

/// A rough human size.
pub fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / 1024.0)
}
pub mod chat_peer;
