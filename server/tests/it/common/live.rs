//! A client of `GET /ws` as a screen is one (tokio-tungstenite, real frames): it signs in with
//! an API token, a session cookie or a display token, subscribes, and reads the live protocol
//! (`app::model::live`) with heartbeats skipped.

use super::running::Running;
use futures_util::{SinkExt, StreamExt};
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// `ws://…/ws` of the server at `base` (`http://host:port`), without credentials.
pub fn request(base: &str) -> Request {
    format!("{}/ws", base.replace("http://", "ws://"))
        .into_client_request()
        .unwrap()
}

/// The handshake with `Authorization: Bearer <token>` (an API or a display token).
pub fn bearer_request(base: &str, token: &str) -> Request {
    let mut req = request(base);
    req.headers_mut()
        .insert(AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
    req
}

/// What the server answered a handshake instead of a socket: its HTTP status.
pub async fn refused_status(req: Request) -> u16 {
    match tokio_tungstenite::connect_async(req).await {
        Err(WsError::Http(res)) => res.status().as_u16(),
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
}

pub struct Live {
    pub ws: Ws,
}

impl Live {
    pub async fn open(req: Request) -> Live {
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("the WebSocket connects");
        Live { ws }
    }

    /// As a machine or a wall screen: `Authorization: Bearer <token>`.
    pub async fn with_token(app: &Running, token: &str) -> Live {
        Live::open(bearer_request(&app.base, token)).await
    }

    /// As a wall screen opened from its link: `/ws?token=<display token>`.
    pub async fn with_link_token(app: &Running, token: &str) -> Live {
        let url = format!("{}/ws?token={token}", app.base.replace("http://", "ws://"));
        Live::open(url.into_client_request().unwrap()).await
    }

    /// As a signed-in page: its session cookie.
    pub async fn with_cookie(app: &Running, cookie: &str) -> Live {
        let mut req = request(&app.base);
        req.headers_mut().insert("cookie", cookie.parse().unwrap());
        Live::open(req).await
    }

    pub async fn send(&mut self, v: Value) {
        self.ws.send(Message::text(v.to_string())).await.unwrap();
    }

    /// Asks for `topics` and answers their snapshots, one per topic in the order asked (each
    /// checked to be the snapshot of its topic).
    pub async fn subscribe(&mut self, topics: &[&str]) -> Vec<Value> {
        self.send(json!({"type": "subscribe", "topics": topics}))
            .await;
        let mut snapshots = Vec::new();
        for topic in topics {
            let snap = self.next().await;
            assert_eq!(snap["type"], "snapshot", "the snapshot of {topic}: {snap}");
            assert_eq!(snap["topic"], *topic, "{snap}");
            snapshots.push(snap);
        }
        snapshots
    }

    /// Asks for `topics` from `since` on (what comes back is for the caller to read).
    pub async fn resume(&mut self, topics: &[&str], since: i64) {
        self.send(json!({"type": "subscribe", "topics": topics, "since": since}))
            .await;
    }

    /// The next message that is not a heartbeat, within `secs` seconds; `None` when nothing
    /// came or the socket closed.
    pub async fn next_within(&mut self, secs: u64) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let msg = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()??;
            match msg {
                Ok(Message::Text(t)) => {
                    let v: Value = serde_json::from_str(t.as_str()).expect("server sends JSON");
                    if v["type"] != "heartbeat" {
                        return Some(v);
                    }
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// The next message that is not a heartbeat, within 10 s.
    pub async fn next(&mut self) -> Value {
        self.next_within(10).await.expect("a message within 10 s")
    }

    /// The close frame that ends the stream (other messages skipped), within `secs` seconds:
    /// the frame, or what came instead.
    pub async fn close_within(&mut self, secs: u64) -> Result<Option<CloseFrame>, String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => return Ok(frame),
                Ok(Some(Ok(_))) => {}
                other => return Err(format!("{other:?}")),
            }
        }
    }

    pub async fn close(mut self) {
        self.ws.close(None).await.unwrap();
    }
}
