//! The live stream: the bus (committed changes, in seq order, from the database), the hub (each
//! change serialised once, kept for resuming clients), the fan-out (written to every socket) and
//! `GET /ws`. See docs/architecture.md, "Live stream".

pub mod bus;
pub mod fanout;
pub mod hub;

use crate::config::{DatabaseUrl, LiveSettings};
use crate::metrics::Metrics;
use app::catalogue::LiveCatalogue;
use app::indicators::recent::RecentCache;
use app::store::{SharedStore, StoreError};
use bus::Bus;
use hub::Hub;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often alert thresholds are read again (an admin's change takes effect within this).
const THRESHOLD_RELOAD: Duration = Duration::from_secs(5);

/// The running stream of one instance; its tasks stop when it is dropped.
pub struct Live {
    pub hub: Arc<Hub>,
    pub bus: Bus,
    /// Units' recent points kept between pages, true while the bus notes no change of theirs.
    pub recent: RecentCache,
    tasks: Vec<JoinHandle<()>>,
}

impl Live {
    pub async fn start(
        store: SharedStore,
        catalogue: LiveCatalogue,
        database: &DatabaseUrl,
        metrics: Arc<Metrics>,
        settings: &LiveSettings,
    ) -> Result<Live, StoreError> {
        let seq = store.current_seq().await?;
        let thresholds = store.thresholds().await?;
        let hub = Arc::new(Hub::new(
            store.clone(),
            catalogue.clone(),
            seq,
            settings,
            thresholds,
        ));
        let bus = Bus::default();
        let poke = bus.clone();
        store.on_commit(Arc::new(move || poke.poke()));
        // Local writes poke the bus; the poll is a safety net on PostgreSQL (a bound on delay if
        // a notification is ever lost). On SQLite it is how the writes of a command run beside
        // the server (`display set`, `token create`) reach the stream: nothing announces them,
        // and reading after the last seq is two primary-key lookups.
        let poll = match database {
            DatabaseUrl::Sqlite(_) => Duration::from_millis(200),
            DatabaseUrl::Postgres(_) => Duration::from_secs(1),
        };
        let store_for_thresholds = store.clone();
        let recent = RecentCache::new();
        let mut tasks = vec![tokio::spawn(bus.clone().feed(
            store,
            catalogue,
            recent.clone(),
            hub.clone(),
            metrics.clone(),
            poll,
        ))];
        let beat = hub.clone();
        let every = settings.heartbeat;
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                beat.heartbeat();
            }
        }));
        let (reload, store_for_thresholds) = (hub.clone(), store_for_thresholds);
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(THRESHOLD_RELOAD);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match store_for_thresholds.thresholds().await {
                    Ok(list) => reload.replace_thresholds(list),
                    Err(e) => tracing::warn!(error = %e, "cannot reload alert thresholds"),
                }
            }
        }));
        if let DatabaseUrl::Postgres(options) = database {
            tasks.push(tokio::spawn(bus::listen_postgres(
                options.clone(),
                bus.clone(),
                metrics,
            )));
        }
        Ok(Live {
            hub,
            bus,
            recent,
            tasks,
        })
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.hub.close();
        for t in &self.tasks {
            t.abort();
        }
    }
}
