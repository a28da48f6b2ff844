//! The dieuhanh server: configuration, the HTTP surface, the storage implementations, the
//! catalogue and the demo country. `main.rs` only parses the command line and calls in here.
// Handlers and checks that refuse a request return axum's `Response` as their error: it ends the
// request either way, so boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

pub mod backup;
pub mod brief;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod demo;
pub mod demo_reports;
pub mod demo_scale;
pub mod demo_targets;
pub mod demo_tasks;
pub mod http;
pub mod ingest;
pub mod live;
pub mod metrics;
pub mod notifier;
pub mod simulator;
pub mod startup;
pub mod store;
pub mod telemetry;
