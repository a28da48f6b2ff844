//! The integration tests of the server, as one binary: each file is one area (its first lines
//! say what it tries), `common` holds what they share, `harness` how each test runs.
//!
//! `cargo test -p server --test it` runs them all; `-- stream::` one file's, `-- name` one test.
//! A test that needs something this machine lacks (PostgreSQL, its server programs) is reported
//! "ignored" with the reason, never "ok"; under `DIEUHANH_REQUIRE_POSTGRES=1` (CI) it fails.

mod common;
mod harness;

mod access;
mod backup;
mod brief;
mod catalogue;
mod computed;
mod contributions;
mod crash;
mod disk;
mod displays;
mod drill_down;
mod entry;
mod explanations;
mod former_units;
mod identity_storage;
mod indicator_pages;
mod ingest;
mod notes;
mod notifications;
mod outliers;
mod parsers;
mod pg_restart;
mod postgres_tls;
mod quality;
mod regimes;
mod reports;
mod security;
mod server;
mod sign_in;
mod storage;
mod stream;
mod target_entry;
mod targets;
mod tasks;
mod year_to_date;

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let mut trials = harness::Trials::default();
    access::register(&mut trials);
    backup::register(&mut trials);
    brief::register(&mut trials);
    catalogue::register(&mut trials);
    computed::register(&mut trials);
    contributions::register(&mut trials);
    crash::register(&mut trials);
    disk::register(&mut trials);
    displays::register(&mut trials);
    drill_down::register(&mut trials);
    entry::register(&mut trials);
    explanations::register(&mut trials);
    former_units::register(&mut trials);
    identity_storage::register(&mut trials);
    indicator_pages::register(&mut trials);
    ingest::register(&mut trials);
    notes::register(&mut trials);
    notifications::register(&mut trials);
    outliers::register(&mut trials);
    quality::register(&mut trials);
    parsers::register(&mut trials);
    pg_restart::register(&mut trials);
    postgres_tls::register(&mut trials);
    regimes::register(&mut trials);
    reports::register(&mut trials);
    security::register(&mut trials);
    server::register(&mut trials);
    sign_in::register(&mut trials);
    sign_in::tokens::register(&mut trials);
    storage::register(&mut trials);
    stream::register(&mut trials);
    target_entry::register(&mut trials);
    targets::register(&mut trials);
    tasks::register(&mut trials);
    year_to_date::register(&mut trials);
    libtest_mimic::run(&args, trials.into_vec()).exit_code()
}
