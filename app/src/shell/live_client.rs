//! [hydrate] The browser's side of `GET /ws`: connects, subscribes, and when the connection drops
//! for any reason reconnects by itself (backoff with jitter, so a thousand screens do not return
//! at the same instant) and resumes after the last seq it saw, so nothing is missed and the page
//! is never reloaded. The socket's callbacks are dropped with the socket: nothing accumulates
//! over days.

use crate::model::live::{CLOSE_SIGNED_OUT, ClientMessage, ServerMessage};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// What the screen says about its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnState {
    Connecting,
    Open,
    /// Closed; the next attempt is in this many seconds.
    Retrying(u32),
    /// The server says this browser may not listen (signed out, display token revoked): no
    /// more attempts, the page stays as it is.
    Refused,
}

type Callbacks = (
    Closure<dyn FnMut()>,
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(CloseEvent)>,
);

struct Inner {
    topics: Vec<String>,
    since: Option<i64>,
    attempt: u32,
    stopped: bool,
    socket: Option<WebSocket>,
    callbacks: Option<Callbacks>,
    on_message: Rc<dyn Fn(ServerMessage)>,
    on_state: Rc<dyn Fn(ConnState)>,
}

/// A live connection; closing it (or dropping the last handle's owner) stops reconnecting.
#[derive(Clone)]
pub struct LiveConnection(Rc<RefCell<Inner>>);

fn url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/ws", location.host().ok()?))
}

impl LiveConnection {
    /// Connects and subscribes to `topics`, resuming after `since` when given.
    pub fn open(
        topics: Vec<String>,
        since: Option<i64>,
        on_message: impl Fn(ServerMessage) + 'static,
        on_state: impl Fn(ConnState) + 'static,
    ) -> LiveConnection {
        let conn = LiveConnection(Rc::new(RefCell::new(Inner {
            topics,
            since,
            attempt: 0,
            stopped: false,
            socket: None,
            callbacks: None,
            on_message: Rc::new(on_message),
            on_state: Rc::new(on_state),
        })));
        conn.connect();
        conn
    }

    /// The last seq received (what a reconnection resumes after).
    pub fn seq(&self) -> Option<i64> {
        self.0.borrow().since
    }

    pub fn close(&self) {
        let mut inner = self.0.borrow_mut();
        inner.stopped = true;
        if let Some(s) = inner.socket.take() {
            s.set_onopen(None);
            s.set_onmessage(None);
            s.set_onclose(None);
            let _ = s.close();
        }
        inner.callbacks = None;
    }

    fn connect(&self) {
        let on_state = self.0.borrow().on_state.clone();
        on_state(ConnState::Connecting);
        let Some(socket) = url().and_then(|u| WebSocket::new(&u).ok()) else {
            self.retry_later();
            return;
        };
        let weak = Rc::downgrade(&self.0);
        let on_open = {
            let weak = weak.clone();
            Closure::<dyn FnMut()>::new(move || {
                let Some(inner) = weak.upgrade() else { return };
                let (message, on_state) = {
                    let mut i = inner.borrow_mut();
                    i.attempt = 0;
                    let m = ClientMessage::Subscribe {
                        topics: i.topics.clone(),
                        since: i.since,
                    };
                    (
                        serde_json::to_string(&m).unwrap_or_default(),
                        i.on_state.clone(),
                    )
                };
                if let Some(s) = inner.borrow().socket.as_ref() {
                    let _ = s.send_with_str(&message);
                }
                on_state(ConnState::Open);
            })
        };
        let on_message = {
            let weak = weak.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let Some(inner) = weak.upgrade() else { return };
                let Some(text) = e.data().as_string() else {
                    return;
                };
                let Ok(msg) = serde_json::from_str::<ServerMessage>(&text) else {
                    return;
                };
                let seq = match &msg {
                    ServerMessage::Snapshot { seq, .. }
                    | ServerMessage::Update { seq, .. }
                    | ServerMessage::Heartbeat { seq, .. } => Some(*seq),
                    ServerMessage::Error { .. } => None,
                };
                let handler = {
                    let mut i = inner.borrow_mut();
                    if let Some(seq) = seq {
                        i.since = Some(i.since.map_or(seq, |s| s.max(seq)));
                    }
                    i.on_message.clone()
                };
                handler(msg);
            })
        };
        let on_close = {
            let weak = weak.clone();
            Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
                let Some(inner) = weak.upgrade() else { return };
                let conn = LiveConnection(inner);
                if e.code() == CLOSE_SIGNED_OUT {
                    conn.refused();
                } else {
                    conn.dropped();
                }
            })
        };
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut inner = self.0.borrow_mut();
        inner.socket = Some(socket);
        inner.callbacks = Some((on_open, on_message, on_close));
    }

    /// The server refused this browser (not or no longer signed in): stop for good.
    fn refused(&self) {
        self.forget_socket();
        let on_state = {
            let mut inner = self.0.borrow_mut();
            inner.stopped = true;
            inner.on_state.clone()
        };
        on_state(ConnState::Refused);
    }

    /// The socket closed (server restart, network gone): forget it and try again later.
    fn dropped(&self) {
        self.forget_socket();
        self.retry_later();
    }

    fn forget_socket(&self) {
        let mut inner = self.0.borrow_mut();
        if let Some(s) = inner.socket.take() {
            s.set_onopen(None);
            s.set_onmessage(None);
            s.set_onclose(None);
        }
        // Dropped after this callback returns: the closures must outlive their own call.
        let old = inner.callbacks.take();
        leptos::prelude::set_timeout(move || drop(old), Duration::from_millis(0));
    }

    fn retry_later(&self) {
        let (delay_ms, on_state) = {
            let mut inner = self.0.borrow_mut();
            if inner.stopped {
                return;
            }
            inner.attempt = inner.attempt.saturating_add(1);
            // 0.5 s, 1 s, 2 s … up to 15 s, each with up to 50% random added.
            let base = (500u64 << inner.attempt.min(5).saturating_sub(1)).min(15_000) as f64;
            let jitter = js_sys::Math::random() * base * 0.5;
            ((base + jitter) as u64, inner.on_state.clone())
        };
        on_state(ConnState::Retrying(delay_ms.div_ceil(1000) as u32));
        let again = self.clone();
        leptos::prelude::set_timeout(
            move || {
                if !again.0.borrow().stopped {
                    again.connect();
                }
            },
            Duration::from_millis(delay_ms),
        );
    }
}

/// The site build this page was made from (`<meta name="dieuhanh-build">`, written by the
/// server's shell); None where the server serves no built site.
pub fn page_build() -> Option<String> {
    leptos::prelude::document()
        .query_selector("meta[name=dieuhanh-build]")
        .ok()??
        .get_attribute("content")
}

/// Loads the page again from the server, but only once the server answers it: a screen whose
/// server is restarting keeps showing what it has instead of an error page. The browser keeps
/// the old page painted until the new one is, so nothing goes blank. False if the server did
/// not answer.
pub async fn reload_when_served() -> bool {
    use wasm_bindgen_futures::JsFuture;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(href) = window.location().href() else {
        return false;
    };
    let answered = match JsFuture::from(window.fetch_with_str(&href)).await {
        Ok(res) => res.dyn_into::<web_sys::Response>().is_ok_and(|r| r.ok()),
        Err(_) => false,
    };
    answered && window.location().reload().is_ok()
}
