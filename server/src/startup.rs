//! `Application`: opens the database, seeds what is needed, binds the listener. Tests build
//! one on port 0 and talk to it over real HTTP.

use crate::catalogue::Catalogue;
use crate::config::Settings;
use crate::demo::{self, DemoSpec, SeedResult};
use crate::http::{self, AppState};
use crate::ingest::Ingest;
use crate::live::Live;
use crate::metrics::Metrics;
use crate::simulator;
use crate::store::{self, OpenError};
use app::catalogue::LiveCatalogue;
use app::store::{SharedStore, StoreError};
use leptos::prelude::LeptosOptions;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("không khởi tạo được dữ liệu (could not seed the database): {0}")]
    Seed(#[from] StoreError),
    #[error("không lắng nghe được trên {addr} (cannot listen): {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    store: SharedStore,
    address: SocketAddr,
    live: Live,
    simulator: Option<tokio::task::JoinHandle<()>>,
    /// Decides notifications and sends their e-mails (`notifier.rs`).
    notifier: tokio::task::JoinHandle<()>,
    limits: crate::config::HttpLimits,
    demo_wall: Option<String>,
}

/// Opens the database and seeds the catalogue (and the demo country, when asked).
pub async fn prepare_store(settings: &Settings) -> Result<SharedStore, StartError> {
    let store = store::open(&settings.database).await?;
    let seeded = async {
        crate::catalogue::ensure_seeded(store.as_ref()).await?;
        if settings.demo {
            // The demo is made from the built-in catalogue (read only here: a server without
            // the demo serves the database's catalogue and never parses the compiled one).
            let mut catalogue = Catalogue::load();
            if settings.demo_settings.scale == crate::demo_scale::DemoScale::National {
                crate::demo_scale::ensure_catalogue(store.as_ref(), &mut catalogue).await?;
            }
            let spec = DemoSpec {
                seed: settings.demo_settings.seed,
                as_of: settings
                    .demo_settings
                    .as_of
                    .unwrap_or_else(|| settings.clock.today()),
                years: settings.demo_settings.years,
                reports: settings.demo_settings.reports,
                scale: settings.demo_settings.scale,
            };
            let started = std::time::Instant::now();
            let password = settings
                .demo_password
                .clone()
                .unwrap_or_else(|| app::account::auth::new_token()[..16].to_string());
            demo::ensure_accounts(store.as_ref(), &password).await?;
            // On the terminal, not in the logs: the logs never carry secrets.
            println!("Tài khoản demo (demo accounts), mật khẩu (password): {password}");
            for (username, name, _, _) in demo::DEMO_ACCOUNTS {
                println!("  {username:<16} {name}");
            }
            match demo::seed(store.as_ref(), &catalogue, &spec).await? {
                SeedResult::Seeded { values } => tracing::info!(
                    values,
                    seconds = started.elapsed().as_secs_f64(),
                    "seeded the demo country (simulated data)"
                ),
                SeedResult::AlreadySeeded => tracing::info!("demo country already seeded"),
                SeedResult::HasRealData => {
                    tracing::warn!("DIEUHANH_DEMO=1 ignored: the database already holds real data")
                }
            }
            if store.meta(demo::META_KEY).await?.is_some() {
                crate::demo_tasks::seed(store.as_ref(), &catalogue, spec.as_of).await?;
                crate::demo_targets::seed(store.as_ref(), spec.as_of).await?;
                if spec.reports {
                    crate::demo_reports::seed(store.as_ref(), &catalogue, &spec).await?;
                }
            }
        }
        Ok::<_, StoreError>(())
    }
    .await;
    match seeded {
        Ok(()) => {}
        // A database that refuses writes (a read-only file or file system, a full disk) but
        // holds the catalogue from an earlier start is still served: reads work, and every
        // write is refused with the same clear error until it accepts writes again.
        Err(StoreError::WriteRefused(reason))
            if store.indicators().await.is_ok_and(|i| !i.is_empty()) =>
        {
            tracing::warn!(
                %reason,
                "the database refuses writes: serving what it holds, read-only"
            );
        }
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    }
    Ok(store)
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        // Bind first: a taken port should fail before any database work.
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| StartError::Listen {
                    addr: settings.listen,
                    source,
                })?;
        let address = listener.local_addr().map_err(|source| StartError::Listen {
            addr: settings.listen,
            source,
        })?;
        let store = prepare_store(&settings).await?;
        // A database that refuses writes is still served (above); its demo screen then keeps
        // the token it had.
        let demo_wall = if settings.demo && store.meta(demo::META_KEY).await?.is_some() {
            demo::ensure_wall(store.as_ref())
                .await
                .inspect_err(
                    |e| tracing::warn!(error = %e, "the demo's wall screen has no new link"),
                )
                .ok()
        } else {
            None
        };
        let build = crate::http::site_files::current_build(&settings.site_root);
        let leptos_options = LeptosOptions::builder()
            .output_name(settings.output_name.clone())
            .site_root(settings.site_root.clone())
            .site_pkg_dir(crate::http::site_files::pkg_dir(build.as_deref()))
            .site_addr(address)
            .build();
        let metrics = Arc::new(Metrics::new(store.backend()));
        let catalogue = LiveCatalogue::load(store.as_ref()).await?;
        let live = Live::start(
            store.clone(),
            catalogue.clone(),
            &settings.database,
            metrics.clone(),
            &crate::config::LiveSettings {
                build,
                ..settings.live.clone()
            },
        )
        .await?;
        let ingest = Ingest::new(store.clone(), catalogue.clone(), settings.clock);
        let simulator = (settings.demo && settings.simulator).then(|| {
            tracing::info!(
                every_ms = settings.simulator_interval.as_millis() as u64,
                "live simulator on (DIEUHANH_SIMULATOR=0 turns it off)"
            );
            tokio::spawn(simulator::run(
                store.clone(),
                catalogue.clone(),
                ingest.clone(),
                settings.simulator_interval,
            ))
        });
        let public = settings
            .public_url
            .as_ref()
            .map_or_else(|| format!("http://{address}"), |p| p.origin().to_string());
        let notifier = crate::notifier::Notifier::new(
            store.clone(),
            catalogue.clone(),
            settings.clock,
            settings.notify.clone(),
            public,
            metrics.clone(),
        );
        let notifier = tokio::spawn(notifier.run());
        let state = AppState {
            leptos_options,
            store: store.clone(),
            metrics,
            sign_in_limiter: Arc::new(app::account::auth::SignInLimiter::new()),
            catalogue,
            ingest,
            hub: live.hub.clone(),
            recent: live.recent.clone(),
            wall: app::wall::api::WallSettings {
                heartbeat_secs: settings.live.heartbeat.as_secs() as u32,
            },
            attachments: crate::http::attachments::AttachmentDir(settings.attachments_dir.clone()),
            limits: settings.http,
            clock: settings.clock,
            site: crate::http::client::Site::from_settings(&settings),
        };
        Ok(Application {
            listener,
            router: http::router(state),
            store,
            address,
            live,
            simulator,
            notifier,
            limits: settings.http,
            demo_wall,
        })
    }

    /// The demo's wall screen with its token (a path), when serving the demo.
    pub fn demo_wall(&self) -> Option<&str> {
        self.demo_wall.as_deref()
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn store(&self) -> SharedStore {
        self.store.clone()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight and closes the
    /// database.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // WebSocket connections outlive their HTTP request: tell them to close on shutdown.
        let hub = self.live.hub.clone();
        let result = http::serve::serve(self.listener, self.router, self.limits, async move {
            shutdown.await;
            hub.close();
        })
        .await;
        if let Some(s) = &self.simulator {
            s.abort();
        }
        self.notifier.abort();
        drop(self.live);
        self.store.close().await;
        result
    }
}

/// Completes on SIGTERM or Ctrl-C. The handlers are installed when this is called, not when the
/// future is first polled, so a signal that arrives just after start-up stops the server
/// gracefully instead of killing it.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (term, interrupt) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(term) => {},
                _ = wait(interrupt) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
