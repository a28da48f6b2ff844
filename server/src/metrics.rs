//! Prometheus metrics, one registry per instance (so in-process tests do not share one).

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct BuildLabels {
    version: String,
    database: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<HttpLabels, Counter>,
    latency: Family<HttpLabels, Histogram>,
    /// Open WebSocket connections.
    pub ws_clients: Gauge,
    /// Values the hub has published to the live stream.
    pub live_published: Counter,
    /// Times the PostgreSQL listener connection was (re)established.
    pub listener_connects: Counter,
    /// Notifications decided (stored once each).
    pub notifications: Counter,
    /// E-mails sent, tried again later, and refused for good.
    pub mail_sent: Counter,
    pub mail_retried: Counter,
    pub mail_failed: Counter,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

impl Metrics {
    pub fn new(database: &str) -> Metrics {
        let mut registry = Registry::with_prefix("dieuhanh");
        let requests = Family::<HttpLabels, Counter>::default();
        let latency = Family::<HttpLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let build = Family::<BuildLabels, Gauge>::default();
        build
            .get_or_create(&BuildLabels {
                version: env!("CARGO_PKG_VERSION").into(),
                database: database.into(),
            })
            .set(1);
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            latency.clone(),
        );
        registry.register(
            "build_info",
            "Version and database backend of this instance",
            build,
        );
        let ws_clients = Gauge::default();
        let live_published = Counter::default();
        let listener_connects = Counter::default();
        registry.register(
            "ws_clients",
            "Open WebSocket connections",
            ws_clients.clone(),
        );
        registry.register(
            "live_published",
            "Values published to the live stream",
            live_published.clone(),
        );
        registry.register(
            "listener_connects",
            "Connections of the PostgreSQL change listener",
            listener_connects.clone(),
        );
        let notifications = Counter::default();
        let (mail_sent, mail_retried, mail_failed) =
            (Counter::default(), Counter::default(), Counter::default());
        registry.register(
            "notifications",
            "Notifications decided",
            notifications.clone(),
        );
        registry.register("mail_sent", "E-mails sent", mail_sent.clone());
        registry.register(
            "mail_retried",
            "E-mails not sent and left for a later try",
            mail_retried.clone(),
        );
        registry.register(
            "mail_failed",
            "E-mails the mail server refused for good",
            mail_failed.clone(),
        );
        Metrics {
            notifications,
            mail_sent,
            mail_retried,
            mail_failed,
            registry,
            requests,
            latency,
            ws_clients,
            live_published,
            listener_connects,
        }
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Counts and times every request by its route pattern (never the raw path, which is unbounded).
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "other".into());
    let res = next.run(req).await;
    let labels = HttpLabels {
        method,
        route,
        status: res.status().as_u16(),
    };
    metrics.requests.get_or_create(&labels).inc();
    metrics
        .latency
        .get_or_create(&labels)
        .observe(start.elapsed().as_secs_f64());
    res
}

pub async fn render(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.encode(),
    )
}
