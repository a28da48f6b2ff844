//! The bus: after a write commits, the writer pokes it; it reads every change after the last seq
//! it published from the database, in seq order, and hands them to the hub. Reading from the
//! database rather than passing values in memory means one path for local writes, writes of
//! other instances (announced by PostgreSQL NOTIFY) and recovery after a lost listener: in every
//! case the bus reads what it has not yet published, so nothing is skipped.

use crate::live::hub::Hub;
use crate::metrics::Metrics;
use app::catalogue::LiveCatalogue;
use app::indicators::recent::RecentCache;
use app::store::{Change, SharedStore};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Changes read per database round-trip.
const FEED_CHUNK: u32 = 5_000;

#[derive(Clone, Default)]
pub struct Bus {
    wake: Arc<Notify>,
}

impl Bus {
    /// Something was committed (here or, through the listener, elsewhere): read and publish it.
    /// A poke while the feeder is busy is kept, so none is lost.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    /// Runs the feeder until the task is aborted. `poll` is the safety net: the database is read
    /// at least that often even if no poke arrives.
    pub async fn feed(
        self,
        store: SharedStore,
        catalogue: LiveCatalogue,
        recent: RecentCache,
        hub: Arc<Hub>,
        metrics: Arc<Metrics>,
        poll: Duration,
    ) {
        let mut last = hub.seq();
        loop {
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
            loop {
                match store.changes_since(last, FEED_CHUNK).await {
                    Ok(changes) if changes.is_empty() => break,
                    Ok(changes) => {
                        // A catalogue change (here or on another instance) is in force before
                        // the values after it are published.
                        if changes.iter().any(
                            |c| matches!(c, Change::Event { topic, .. } if topic == "catalogue"),
                        ) && let Err(e) = catalogue.reload(store.as_ref()).await
                        {
                            tracing::warn!(error = %e, "live feed: cannot read the catalogue; retrying");
                            tokio::time::sleep(Duration::from_millis(500)).await;
                            break;
                        }
                        let n = changes.len();
                        last = changes.last().map_or(last, |c| c.seq());
                        // Kept points of a changed unit are dropped before a page could
                        // resume from a seq that includes the change.
                        recent.note(&changes);
                        hub.publish(changes);
                        metrics.live_published.inc_by(n as u64);
                        if n < FEED_CHUNK as usize {
                            break;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "live feed: cannot read changes; retrying");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        break;
                    }
                }
            }
        }
    }
}

/// Listens for NOTIFY from every instance on the same PostgreSQL and pokes the bus. When the
/// listener connection drops, it connects again and pokes once, so whatever was written in
/// between is read then.
pub async fn listen_postgres(
    options: sqlx::postgres::PgConnectOptions,
    bus: Bus,
    metrics: Arc<Metrics>,
) {
    use sqlx::postgres::{PgListener, PgPoolOptions};
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options.application_name("dieuhanh-listener"));
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                match listener
                    .listen(crate::store::postgres::NOTIFY_CHANNEL)
                    .await
                {
                    Ok(()) => {
                        metrics.listener_connects.inc();
                        // Writes made while no one listened are read now.
                        bus.poke();
                        loop {
                            match listener.try_recv().await {
                                Ok(Some(_)) => bus.poke(),
                                Ok(None) => {
                                    tracing::warn!("live listener: connection lost; reconnecting");
                                    break;
                                }
                                Err(e) => {
                                    tracing::warn!(error = %e, "live listener failed; reconnecting");
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "live listener: LISTEN failed"),
                }
            }
            Err(e) => tracing::warn!(error = %e, "live listener: cannot connect"),
        }
        bus.poke();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
