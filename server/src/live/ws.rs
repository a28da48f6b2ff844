//! `GET /ws`: one task per connection, reading the hub's shared broadcast ring at its own pace.
//! A client that falls behind the ring is conflated; one that stops reading is dropped when a
//! write does not complete in time; neither slows the others.

use crate::http::AppState;
use crate::live::hub::{Batch, Hub};
use app::auth::RequestAuth;
use app::model::live::{CLOSE_SIGNED_OUT, ClientMessage, ServerMessage, Topic};
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// Topics one connection may hold at once.
pub const MAX_TOPICS: usize = 200;
/// Largest message a client may send, in bytes; a bigger one closes the connection.
pub const MAX_CLIENT_MESSAGE: usize = 16 * 1024;
/// Batches taken from the ring before one flush to the socket.
const BATCHES_PER_WRITE: usize = 64;

fn error_text(message: String) -> Utf8Bytes {
    Utf8Bytes::from(serde_json::to_string(&ServerMessage::Error { message }).unwrap_or_default())
}

/// Whether the browser that opened the socket is on this site (a page elsewhere must not reuse
/// the person's cookies to listen in). Clients without an `Origin` are not browsers.
fn same_origin(req: &Request) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    matches!((host, origin_host), (Some(h), Some(o)) if h == o)
}

pub async fn upgrade(State(state): State<AppState>, req: Request) -> Response {
    let auth = req
        .extensions()
        .get::<RequestAuth>()
        .cloned()
        .unwrap_or_default();
    if auth.viewer.is_none() && auth.token.is_none() {
        // A page cannot read the status of a refused handshake (it sees the same close as a
        // network fault, and the browser logs an error). A page of this site whose session has
        // ended (signed out here or in another tab) is therefore told in-band: the socket opens,
        // carries one `error` and closes with `CLOSE_SIGNED_OUT`, and the page stops listening.
        if req.headers().contains_key(header::ORIGIN) && same_origin(&req) {
            let (mut parts, _) = req.into_parts();
            if let Ok(ws) = WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
                return ws.on_upgrade(refuse_signed_out);
            }
        }
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({
                "error": "cần đăng nhập, token màn hình hoặc token API (sign in, or use a display or API token)"
            })),
        )
            .into_response();
    }
    // Cookies (a session or a wall's display cookie) are sent by the browser on its own, so a
    // page of another site must not be able to use them: its Origin is refused.
    let by_cookie = !req.headers().contains_key(header::AUTHORIZATION)
        && !req.uri().query().is_some_and(|q| q.contains("token="));
    if by_cookie && !same_origin(&req) {
        return (
            StatusCode::FORBIDDEN,
            axum::Json(
                serde_json::json!({ "error": "nguồn không hợp lệ (cross-site request refused)" }),
            ),
        )
            .into_response();
    }
    let (mut parts, _) = req.into_parts();
    let ws = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(ws) => ws,
        Err(rejection) => return rejection.into_response(),
    };
    let hub = state.hub.clone();
    let metrics = state.metrics.clone();
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(16 * 1024)
        .max_write_buffer_size(4 * 1024 * 1024)
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| async move {
            metrics.ws_clients.inc();
            client(socket, hub).await;
            metrics.ws_clients.dec();
        })
}

use axum::extract::FromRequestParts;

async fn refuse_signed_out(mut socket: WebSocket) {
    let text = error_text(
        "phiên đăng nhập đã kết thúc, hãy đăng nhập lại (signed out: sign in again)".to_string(),
    );
    let _ = socket.send(Message::Text(text)).await;
    let _ = socket
        .send(Message::Close(Some(axum::extract::ws::CloseFrame {
            code: CLOSE_SIGNED_OUT,
            reason: Utf8Bytes::from_static("signed out"),
        })))
        .await;
}

/// Writes messages in order and flushes once; false when the client is gone or too slow.
async fn send_all<S>(sink: &mut S, messages: Vec<Utf8Bytes>, timeout: Duration) -> bool
where
    S: SinkExt<Message> + Unpin,
{
    if messages.is_empty() {
        return true;
    }
    let write = async {
        for m in messages {
            sink.feed(Message::Text(m)).await.map_err(|_| ())?;
        }
        sink.flush().await.map_err(|_| ())
    };
    matches!(tokio::time::timeout(timeout, write).await, Ok(Ok(())))
}

/// One connection's subscriptions: each topic with the seq after which broadcast events are
/// new to it.
struct Subscriptions {
    topics: BTreeMap<Topic, i64>,
    /// The highest seq this client has been brought up to.
    seen: i64,
}

impl Subscriptions {
    fn take(&mut self, batch: &Batch, out: &mut Vec<Utf8Bytes>) {
        match batch {
            Batch::Heartbeat { text } => out.push(text.clone()),
            Batch::Events { last_seq, events } => {
                if self.topics.is_empty() {
                    self.seen = self.seen.max(*last_seq);
                    return;
                }
                for e in events {
                    if self
                        .topics
                        .get(&e.topic)
                        .is_some_and(|after| e.seq > *after)
                    {
                        out.push(e.text.clone());
                    }
                }
                self.seen = self.seen.max(*last_seq);
            }
        }
    }
}

/// Answers a client's message: what to send back, in order.
async fn handle(hub: &Hub, subs: &mut Subscriptions, text: &str) -> Vec<Utf8Bytes> {
    let message: ClientMessage = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            return vec![error_text(format!(
                "thông điệp không hợp lệ (invalid message): {e}. Ví dụ: {{\"type\":\"subscribe\",\"topics\":[\"overview\"]}}"
            ))];
        }
    };
    let mut out = Vec::new();
    match message {
        ClientMessage::Unsubscribe { topics } => {
            for name in topics.iter().take(MAX_TOPICS) {
                match Topic::parse(name) {
                    Ok(t) => {
                        subs.topics.remove(&t);
                    }
                    Err(e) => out.push(error_text(e)),
                }
            }
        }
        ClientMessage::Subscribe { topics, since } => {
            if topics.len() > MAX_TOPICS {
                return vec![error_text(format!(
                    "tối đa {MAX_TOPICS} chủ đề mỗi kết nối (at most {MAX_TOPICS} topics per connection)"
                ))];
            }
            let mut wanted = Vec::new();
            for name in &topics {
                match Topic::parse(name) {
                    Ok(t) if !wanted.contains(&t) => wanted.push(t),
                    Ok(_) => {}
                    Err(e) => out.push(error_text(e)),
                }
            }
            let new = wanted
                .iter()
                .filter(|t| !subs.topics.contains_key(t))
                .count();
            if subs.topics.len() + new > MAX_TOPICS {
                out.push(error_text(format!(
                    "tối đa {MAX_TOPICS} chủ đề mỗi kết nối (at most {MAX_TOPICS} topics per connection)"
                )));
                return out;
            }
            for topic in wanted {
                match hub.resync(&topic, since, false).await {
                    Ok(r) => {
                        out.extend(r.messages);
                        // Events up to what this client already took from the ring are
                        // covered by the resync; later ones arrive through the ring.
                        subs.topics.insert(topic, r.deliver_after);
                    }
                    Err(e) => out.push(error_text(format!(
                        "không đăng ký được {topic} (could not subscribe): {e}"
                    ))),
                }
            }
        }
    }
    out
}

async fn client(socket: WebSocket, hub: Arc<Hub>) {
    let (mut sink, mut stream) = socket.split();
    let mut rx = hub.receiver();
    let mut closing = hub.closing();
    let mut subs = Subscriptions {
        topics: BTreeMap::new(),
        seen: hub.seq(),
    };
    loop {
        tokio::select! {
            _ = async { let _ = closing.wait_for(|c| *c).await; } => {
                let _ = tokio::time::timeout(
                    Duration::from_secs(1),
                    sink.send(Message::Close(None)),
                )
                .await;
                break;
            }
            incoming = stream.next() => {
                let reply = match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                    Some(Ok(Message::Text(text))) => handle(&hub, &mut subs, text.as_str()).await,
                    Some(Ok(Message::Binary(_))) => vec![error_text(
                        "chỉ nhận JSON dạng văn bản (send JSON as text messages)".into(),
                    )],
                    Some(Ok(_)) => continue, // ping and pong are answered by the library
                };
                if !send_all(&mut sink, reply, hub.write_timeout).await {
                    break;
                }
            }
            received = rx.recv() => {
                let mut out = Vec::new();
                match received {
                    Ok(batch) => {
                        subs.take(&batch, &mut out);
                        // Take what else is waiting, so a burst costs one flush, not many.
                        for _ in 0..BATCHES_PER_WRITE {
                            match rx.try_recv() {
                                Ok(batch) => subs.take(&batch, &mut out),
                                Err(TryRecvError::Lagged(_)) => {
                                    out.extend(catch_up(&hub, &mut subs).await);
                                    break;
                                }
                                Err(_) => break,
                            }
                        }
                    }
                    Err(RecvError::Lagged(_)) => out.extend(catch_up(&hub, &mut subs).await),
                    Err(RecvError::Closed) => break,
                }
                if !send_all(&mut sink, out, hub.write_timeout).await {
                    tracing::debug!("websocket client dropped: it stopped reading");
                    break;
                }
            }
        }
    }
}

/// The client fell behind the ring: it gets the newest value of each key it missed (or a
/// fresh snapshot), never the whole backlog.
async fn catch_up(hub: &Hub, subs: &mut Subscriptions) -> Vec<Utf8Bytes> {
    let mut out = Vec::new();
    let topics: Vec<(Topic, i64)> = subs.topics.iter().map(|(t, a)| (t.clone(), *a)).collect();
    for (topic, after) in topics {
        let since = after.max(subs.seen);
        match hub.resync(&topic, Some(since), true).await {
            Ok(r) => {
                out.extend(r.messages);
                subs.topics.insert(topic, r.deliver_after);
            }
            Err(e) => out.push(error_text(format!("mất đồng bộ {topic} (lost sync): {e}"))),
        }
    }
    subs.seen = hub.seq();
    out
}
