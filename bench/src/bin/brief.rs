//! The monthly brief's time to a file, as the secretariat's command gets it: each run is a new
//! `dieuhanh brief --month <M> --out <file>` process (open the database, load the catalogue,
//! read the values at the seq, compose, lay out, subset the fonts, write). Prints each run's
//! wall time, the file's size and its page count (poppler's `pdfinfo`, when installed).
//!
//! `brief --bin target/release/dieuhanh --database sqlite://data/dieuhanh.db --month 2026-11`

use clap::Parser;
use std::process::Command;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    /// The server binary.
    #[arg(long)]
    bin: std::path::PathBuf,
    /// DATABASE_URL of a seeded database.
    #[arg(long)]
    database: String,
    #[arg(long, default_value = "2026-11")]
    month: String,
    #[arg(long, default_value_t = 5)]
    runs: usize,
    #[arg(long, default_value = "vi")]
    lang: String,
    /// The fields with an annex (`all`, or codes separated by commas; empty: none).
    #[arg(long, default_value = "")]
    annex: String,
}

fn main() {
    let args = Args::parse();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("brief.pdf");
    let mut times = Vec::new();
    for run in 1..=args.runs {
        let started = Instant::now();
        let done = Command::new(&args.bin)
            .args([
                "brief",
                "--month",
                &args.month,
                "--lang",
                &args.lang,
                "--annex",
                &args.annex,
                "--out",
            ])
            .arg(&out)
            .env("DATABASE_URL", &args.database)
            .env("DIEUHANH_DEMO", "0")
            .env("RUST_LOG", "warn")
            .output()
            .expect("the server binary runs");
        let took = started.elapsed().as_secs_f64();
        if !done.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&done.stderr));
            std::process::exit(1);
        }
        let said = String::from_utf8_lossy(&done.stdout);
        println!(
            "run {run}: {took:.2} s  ({})",
            said.lines().next().unwrap_or_default()
        );
        times.push(took);
    }
    times.sort_by(f64::total_cmp);
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let pages = Command::new("pdfinfo")
        .arg(&out)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().to_string()))
        })
        .unwrap_or_else(|| "?".into());
    println!(
        "median {:.2} s, max {:.2} s; {bytes} B, {pages} pages",
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
