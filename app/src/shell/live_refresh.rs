//! Keeps an open page current: in the browser of a signed-in person, listens on the live stream
//! (the same hub and topics as the wall) and, when a value the page shows changes, reads the
//! page's data again: the first change at once, later ones at most once every
//! [`REFRESH_GAP_MS`], the last change always read.
//! Readers who are not signed in see the page as it was served: the stream is for people with
//! an account (docs/api.md).

use crate::model::Observation;
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Shortest time between two reads of the page's data.
pub const REFRESH_GAP_MS: u32 = 1_500;

/// Calls `refresh` after changes to values for which `relevant` holds, on `topics`, after `seq`,
/// and after every change of the catalogue (a page shows names, lists and formats from it).
pub fn refresh_on_change(
    topics: Vec<String>,
    since: i64,
    relevant: impl Fn(&Observation) -> bool + 'static,
    refresh: leptos::prelude::Callback<()>,
) {
    #[cfg(feature = "hydrate")]
    {
        let mut topics = topics;
        topics.push("catalogue".into());
        use crate::model::live::{LiveItem, ServerMessage};
        use std::cell::Cell;
        use std::rc::Rc;

        let life = Lifetime::of_owner();
        leptos::task::spawn_local(async move {
            let alive = move || life.alive();
            if !matches!(crate::account::api::get_viewer().await, Ok(Some(_))) || !alive() {
                return;
            }
            let throttle = Rc::new(Throttle {
                waiting: Cell::new(false),
                stale: Cell::new(false),
                // A read that comes due after the page is gone (its timer, or a message already
                // on its way) does nothing: the page, or the callback that reads it again
                // (owned by whatever re-renders it), was disposed.
                refresh: Box::new(move || {
                    if alive() {
                        refresh.try_run(());
                    }
                }),
            });
            let on_message = move |msg: ServerMessage| {
                // A snapshot (too far behind for a replay) is the whole state again: read anew.
                let hit = match &msg {
                    ServerMessage::Update {
                        data: LiveItem::Observation(o),
                        ..
                    } => relevant(o),
                    // Explanation requests and alerts come only to pages that listen for them.
                    ServerMessage::Update {
                        data: LiveItem::Catalogue(_) | LiveItem::Explanation(_) | LiveItem::Alert(_),
                        ..
                    } => true,
                    ServerMessage::Snapshot { .. } => true,
                    _ => false,
                };
                if hit {
                    if throttle.waiting.get() {
                        throttle.stale.set(true);
                    } else {
                        fire(throttle.clone());
                    }
                }
            };
            life.keep(connect(topics, Some(since), Rc::new(on_message)).await);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (topics, since, relevant, refresh);
    }
}

/// Calls `on_count` with the signed-in person's (`user`'s) unread count each time it changes
/// after `since` (without it, first with the count as it is now), for as long as the calling
/// component lives: the bell (from now), the inbox page (from the seq its list was read at,
/// so that reading the list again does not start it over).
pub fn follow_inbox(user: i64, since: Option<i64>, on_count: impl Fn(i64) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use crate::model::live::{LiveItem, ServerMessage};
        use std::rc::Rc;

        let life = Lifetime::of_owner();
        let on_message = move |msg: ServerMessage| {
            let count = match msg {
                ServerMessage::Update {
                    data: LiveItem::Inbox(n),
                    ..
                } => Some(n.unread),
                ServerMessage::Snapshot { data, .. } => data.into_iter().find_map(|i| match i {
                    LiveItem::Inbox(n) => Some(n.unread),
                    _ => None,
                }),
                _ => None,
            };
            if let Some(n) = count
                && life.alive()
            {
                on_count(n);
            }
        };
        leptos::task::spawn_local(async move {
            let topic = crate::model::live::Topic::Inbox(user).to_string();
            life.keep(connect(vec![topic], since, Rc::new(on_message)).await);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (user, since, on_count);
    }
}

/// A connection's tie to the component that opened it: closed when the component goes, and a
/// connection that opens after that (its chunk and socket come later) is closed at once.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy)]
struct Lifetime {
    alive: StoredValue<bool>,
    conn: StoredValue<Option<crate::shell::live_client::LiveConnection>, LocalStorage>,
}

#[cfg(feature = "hydrate")]
impl Lifetime {
    /// Tied to the current owner (the calling component).
    fn of_owner() -> Lifetime {
        let life = Lifetime {
            alive: StoredValue::new(true),
            conn: StoredValue::new_local(None),
        };
        on_cleanup(move || {
            life.alive.set_value(false);
            life.conn.update_value(|c| {
                if let Some(c) = c.take() {
                    c.close();
                }
            });
        });
        life
    }

    fn alive(self) -> bool {
        self.alive.try_get_value().unwrap_or(false)
    }

    /// Keeps `c` until the component goes, or closes it when it already has.
    fn keep(self, c: crate::shell::live_client::LiveConnection) {
        if self.alive() {
            self.conn.set_value(Some(c));
        } else {
            c.close();
        }
    }
}

/// Opens the stream. Lazy: the WebSocket client and the stream's message parsing are a wasm
/// chunk of their own, fetched once a signed-in person's page starts listening, so the bundle
/// every reader loads does not carry them.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn connect(
    topics: Vec<String>,
    since: Option<i64>,
    on_message: std::rc::Rc<dyn Fn(crate::model::live::ServerMessage)>,
) -> crate::shell::live_client::LiveConnection {
    crate::shell::live_client::LiveConnection::open(topics, since, move |m| on_message(m), |_| {})
}

/// The first change is read at once; later ones within the gap are read together at its end.
#[cfg(feature = "hydrate")]
struct Throttle {
    waiting: std::cell::Cell<bool>,
    stale: std::cell::Cell<bool>,
    refresh: Box<dyn Fn()>,
}

#[cfg(feature = "hydrate")]
fn fire(t: std::rc::Rc<Throttle>) {
    (t.refresh)();
    t.waiting.set(true);
    set_timeout(
        move || {
            t.waiting.set(false);
            if t.stale.replace(false) {
                fire(t);
            }
        },
        std::time::Duration::from_millis(REFRESH_GAP_MS as u64),
    );
}
