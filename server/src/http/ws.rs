//! `GET /ws`: the handshake, then one task per connection that reads what the client says and
//! finishes writes the socket could not take at once. Updates themselves are written by the
//! fan-out ([`crate::live::fanout`]), not by these tasks. A client that falls behind is conflated;
//! one that stops reading is dropped when a write does not complete in time; neither slows the
//! others.

use crate::http::AppState;
use crate::live::fanout::{Conn, close_frame, text_frame};
use crate::live::hub::Hub;
use app::account::auth::RequestAuth;
use app::model::live::{CLOSE_SIGNED_OUT, ClientMessage, ServerMessage, Topic};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncWriteExt, Interest};
use tokio::net::TcpStream;
use tungstenite::protocol::{Message, Role, WebSocketConfig, WebSocketContext};

/// Topics one connection may hold at once.
pub const MAX_TOPICS: usize = 200;
/// Largest message a client may send, in bytes; a bigger one closes the connection.
pub const MAX_CLIENT_MESSAGE: usize = 16 * 1024;

fn error_text(message: String) -> Bytes {
    text_frame(
        serde_json::to_string(&ServerMessage::Error { message })
            .unwrap_or_default()
            .as_bytes(),
    )
}

/// Whether the browser that opened the socket is on this site (a page elsewhere must not reuse
/// the person's cookies to listen in). Clients without an `Origin` are not browsers.
fn same_origin(site: &super::client::Site, req: &Request) -> bool {
    match req.headers().get(header::ORIGIN) {
        None => true,
        Some(origin) => origin.to_str().is_ok_and(|o| site.is_own(o, req.headers())),
    }
}

fn refusal(status: StatusCode, error: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": error }))).into_response()
}

/// Checks a WebSocket opening handshake (RFC 6455 §4.2.1); the `Sec-WebSocket-Accept` to answer.
fn handshake(req: &Request) -> Result<String, Response> {
    let has = |name: header::HeaderName, token: &str| {
        req.headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    if req.method() != Method::GET || !has(header::UPGRADE, "websocket") {
        return Err(refusal(
            StatusCode::UPGRADE_REQUIRED,
            "cần kết nối WebSocket (a WebSocket upgrade is required)",
        ));
    }
    if !has(header::CONNECTION, "upgrade")
        || req
            .headers()
            .get(header::SEC_WEBSOCKET_VERSION)
            .is_none_or(|v| v != "13")
    {
        return Err(refusal(
            StatusCode::BAD_REQUEST,
            "yêu cầu WebSocket không hợp lệ (invalid WebSocket handshake: Connection: upgrade and version 13 required)",
        ));
    }
    let Some(key) = req.headers().get(header::SEC_WEBSOCKET_KEY) else {
        return Err(refusal(
            StatusCode::BAD_REQUEST,
            "thiếu Sec-WebSocket-Key (missing Sec-WebSocket-Key)",
        ));
    };
    Ok(tungstenite::handshake::derive_accept_key(key.as_bytes()))
}

/// Answers the handshake and runs `then` on the raw socket once the upgrade completes (with any
/// bytes the client sent after its request).
fn switch<F, Fut>(mut req: Request, then: F) -> Response
where
    F: FnOnce(TcpStream, Bytes) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let accept = match handshake(&req) {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let on_upgrade = hyper::upgrade::on(&mut req);
    tokio::spawn(async move {
        let upgraded = match on_upgrade.await {
            Ok(u) => u,
            Err(e) => {
                tracing::debug!(error = %e, "websocket upgrade did not complete");
                return;
            }
        };
        // The fan-out writes to the socket itself, so it needs the TCP stream under hyper.
        match hyper_util::server::conn::auto::upgrade::downcast::<TokioIo<TcpStream>>(upgraded) {
            Ok(parts) => then(parts.io.into_inner(), parts.read_buf).await,
            Err(_) => tracing::error!("websocket: the connection is not a TCP stream; closed"),
        }
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(Body::empty())
        .unwrap_or_default()
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
        if req.headers().contains_key(header::ORIGIN)
            && same_origin(&state.site, &req)
            && handshake(&req).is_ok()
        {
            return switch(req, |stream, _| refuse_signed_out(stream));
        }
        return refusal(
            StatusCode::UNAUTHORIZED,
            "cần đăng nhập, token màn hình hoặc token API (sign in, or use a display or API token)",
        );
    }
    // Cookies (a session or a wall's display cookie) are sent by the browser on its own, so a
    // page of another site must not be able to use them: its Origin is refused.
    let by_cookie = !req.headers().contains_key(header::AUTHORIZATION)
        && !req.uri().query().is_some_and(|q| q.contains("token="));
    if by_cookie && !same_origin(&state.site, &req) {
        return refusal(
            StatusCode::FORBIDDEN,
            "nguồn không hợp lệ (cross-site request refused)",
        );
    }
    let hub = state.hub.clone();
    let metrics = state.metrics.clone();
    // Whose inbox this connection may follow: a signed-in person's own, nobody's for a token.
    let owner = auth.viewer.as_ref().map(|v| v.id);
    switch(req, move |stream, leftover| async move {
        metrics.ws_clients.inc();
        client(stream, leftover, hub, owner).await;
        metrics.ws_clients.dec();
    })
}

async fn refuse_signed_out(mut stream: TcpStream) {
    let mut out = error_text(
        "phiên đăng nhập đã kết thúc, hãy đăng nhập lại (signed out: sign in again)".to_string(),
    )
    .to_vec();
    out.extend_from_slice(&close_frame(CLOSE_SIGNED_OUT, "signed out"));
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let _ = stream.write_all(&out).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// The protocol library reads the client's frames from the socket and writes its own replies
/// (pong, close) through the connection, in order with everything else it is sent.
struct Io<'a> {
    conn: &'a Conn,
    /// Bytes the client sent before the upgrade completed, read first.
    leftover: Bytes,
}

impl Read for Io<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.leftover.is_empty() {
            let n = buf.len().min(self.leftover.len());
            buf[..n].copy_from_slice(&self.leftover.split_to(n));
            return Ok(n);
        }
        self.conn.stream.try_read(buf)
    }
}

impl Write for Io<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.conn.send(&[Bytes::copy_from_slice(buf)]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hands the protocol library's own replies (pong, close) to the connection.
fn flush_replies(ws: &mut WebSocketContext, conn: &Conn) {
    let _ = ws.flush(&mut Io {
        conn,
        leftover: Bytes::new(),
    });
}

fn protocol() -> WebSocketConfig {
    // A small read buffer: clients say little (a subscription now and then), and 10,000 idle
    // connections must fit in a few KB each. A longer message grows it as needed.
    WebSocketConfig::default()
        .read_buffer_size(128)
        .max_message_size(Some(MAX_CLIENT_MESSAGE))
        .max_frame_size(Some(MAX_CLIENT_MESSAGE))
}

async fn client(stream: TcpStream, leftover: Bytes, hub: Arc<Hub>, owner: Option<i64>) {
    let conn = hub.fanout.add(stream);
    let mut ws = WebSocketContext::new(Role::Server, Some(protocol()));
    // A slice of hyper's read buffer, even empty, keeps all of it (8 KB) alive: a copy frees it.
    let mut leftover = {
        let copy = Bytes::copy_from_slice(&leftover);
        drop(leftover);
        copy
    };
    'connection: loop {
        // Read and answer every complete message the socket holds.
        loop {
            let mut io = Io {
                conn: &conn,
                leftover: std::mem::take(&mut leftover),
            };
            let read = ws.read(&mut io);
            leftover = io.leftover;
            match read {
                // Boxed: an idle connection's task then holds only its wait, not the space of
                // a subscription's work (10,000 of them add up).
                Ok(Message::Text(text)) => {
                    Box::pin(handle(&hub, &conn, text.as_str(), owner)).await
                }
                Ok(Message::Binary(_)) => conn.send(&[error_text(
                    "chỉ nhận JSON dạng văn bản (send JSON as text messages)".into(),
                )]),
                Ok(Message::Close(_)) => {
                    // The library has queued its closing reply.
                    flush_replies(&mut ws, &conn);
                    conn.flush();
                    break 'connection;
                }
                Ok(_) => {} // a ping is answered by the library, through `Io`
                Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    break;
                }
                Err(tungstenite::Error::Capacity(_)) => {
                    conn.send(&[close_frame(
                        1009,
                        "tin nhắn quá lớn, tối đa 16 KB (message too big)",
                    )]);
                    Box::pin(linger(&conn)).await; // boxed: its 4 KB buffer is not in every idle task
                    break 'connection;
                }
                Err(_) => break 'connection,
            }
        }
        flush_replies(&mut ws, &conn);
        if let Some((after, topics)) = conn.take_lag() {
            Box::pin(catch_up(&hub, &conn, after, topics)).await;
        }
        let status = conn.status();
        if status.broken {
            break;
        }
        if hub.fanout.closing() {
            conn.send(&[close_frame(1001, "server shutting down")]);
            Box::pin(linger(&conn)).await; // boxed: its 4 KB buffer is not in every idle task
            break;
        }
        // What an idle connection waits on is kept to two futures (its socket and its `wake`),
        // since 10,000 tasks hold them: reading and writing share one readiness wait, and the
        // timer is made, on the heap, only while writes wait.
        let interest = if status.backlog {
            Interest::READABLE | Interest::WRITABLE
        } else {
            Interest::READABLE
        };
        let mut stall = status.waiting_since.map(|since| {
            Box::pin(tokio::time::sleep_until(tokio::time::Instant::from_std(
                since + conn.patience(),
            )))
        });
        tokio::select! {
            ready = conn.stream.ready(interest) => match ready {
                Ok(ready) if ready.is_writable() => conn.flush(),
                Ok(_) => {}
                Err(_) => break,
            },
            _ = conn.wake.notified() => {}
            _ = async { if let Some(s) = stall.as_mut() { s.await } }, if stall.is_some() => {
                if conn.stalled() {
                    tracing::debug!("websocket client dropped: it stopped reading");
                    break;
                }
            }
        }
    }
    hub.fanout.remove(&conn);
}

/// Closes our side after what waits is written, and reads (and drops) what the client still
/// sends for a moment: closing with unread bytes would reset the connection, and the client
/// would lose the close frame that says why.
async fn linger(conn: &Conn) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while conn.status().backlog && conn.stream.writable().await.is_ok() {
            conn.flush();
        }
        conn.shutdown_write();
        let mut scratch = [0u8; 4096];
        while conn.stream.readable().await.is_ok() {
            match conn.stream.try_read(&mut scratch) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => break,
            }
        }
    })
    .await;
}

/// Answers a client's message; answers and snapshots are written in order.
/// `owner` is the signed-in person's account: the only inbox the connection may follow.
async fn handle(hub: &Hub, conn: &Arc<Conn>, text: &str, owner: Option<i64>) {
    let message: ClientMessage = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            conn.send(&[error_text(format!(
                "thông điệp không hợp lệ (invalid message): {e}. Ví dụ: {{\"type\":\"subscribe\",\"topics\":[\"overview\"]}}"
            ))]);
            return;
        }
    };
    let too_many = || {
        error_text(format!(
            "tối đa {MAX_TOPICS} chủ đề mỗi kết nối (at most {MAX_TOPICS} topics per connection)"
        ))
    };
    match message {
        ClientMessage::Unsubscribe { topics } => {
            let mut errors = Vec::new();
            for name in topics.iter().take(MAX_TOPICS) {
                match Topic::parse(name) {
                    Ok(t) => hub.fanout.unlisten(conn, &t),
                    Err(e) => errors.push(error_text(e)),
                }
            }
            conn.send(&errors);
        }
        ClientMessage::Subscribe { topics, since } => {
            if topics.len() > MAX_TOPICS {
                conn.send(&[too_many()]);
                return;
            }
            let mut wanted = Vec::new();
            let mut errors = Vec::new();
            for name in &topics {
                match Topic::parse(name) {
                    Ok(Topic::Inbox(id)) if owner != Some(id) => errors.push(error_text(format!(
                        "chỉ người nhận được theo dõi hộp thư {name} (an inbox is only its owner's)"
                    ))),
                    Ok(t) if !wanted.contains(&t) => wanted.push(t),
                    Ok(_) => {}
                    Err(e) => errors.push(error_text(e)),
                }
            }
            let new = wanted.iter().filter(|t| !conn.has_topic(t)).count();
            if conn.topic_count() + new > MAX_TOPICS {
                errors.push(too_many());
                conn.send(&errors);
                return;
            }
            conn.send(&errors);
            for topic in wanted {
                start(hub, conn, topic, since, false).await;
            }
        }
    }
}

/// Brings a connection up to date on a topic and has the fan-out write its later events.
async fn start(hub: &Hub, conn: &Arc<Conn>, topic: Topic, since: Option<i64>, conflate: bool) {
    // Listening first: an event published while the resync runs is then either in what the
    // resync and `missed` give, or written by the fan-out after them (see `Conn::start_topic`).
    let id = hub.fanout.listen(conn, &topic);
    match hub.resync(&topic, since, conflate).await {
        Ok(r) => {
            let messages: Vec<Bytes> = r
                .messages
                .iter()
                .map(|m| text_frame(m.as_str().as_bytes()))
                .collect();
            conn.start_topic(id, topic.clone(), &messages, r.deliver_after, |after| {
                hub.missed(&topic, after)
            });
        }
        Err(e) => {
            hub.fanout.unlisten(conn, &topic);
            conn.send(&[error_text(format!(
                "không đăng ký được {topic} (could not subscribe): {e}"
            ))]);
        }
    }
}

/// The client fell behind: it gets the newest value of each key it missed (or a fresh
/// snapshot), never the whole backlog.
async fn catch_up(hub: &Hub, conn: &Arc<Conn>, after: i64, topics: Vec<Topic>) {
    for topic in topics {
        start(hub, conn, topic, Some(after), true).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task_size<F, Fut>(_: F) -> usize
    where
        F: FnOnce(TcpStream, Bytes, Arc<Hub>, Option<i64>) -> Fut,
    {
        std::mem::size_of::<Fut>()
    }

    /// 10,000 idle connections must fit in 4 KB each (DESIGN.md's bar; docs/performance.md): the
    /// task a connection keeps while idle must not carry buffers or the state of rare work
    /// (a 4 KB buffer inlined here once doubled the memory per connection).
    #[test]
    fn an_idle_connections_task_stays_small() {
        // 776 bytes in a release build; 1,240 before the wait was cut to a readiness and a wake
        // (two readiness waits, a shutdown watch and an inline timer).
        let size = task_size(client);
        assert!(size <= 1_024, "the connection's task is {size} bytes");
    }
}
