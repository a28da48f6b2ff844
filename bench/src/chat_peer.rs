//! The simplest Rust broadcast, as in axum's chat example: one tokio broadcast channel, one task
//! sending to each client and one reading from it. A reference peer for `fanout`, not part of
//! dieuhanh: `POST /publish` broadcasts its body as a text message to every client of `GET /ws`.
//! `fanout` runs it in a process of its own (`fanout --chat-peer <port>`).

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast;

/// Serves on 127.0.0.1:`port` until the process is killed.
pub async fn serve(port: u16) {
    // The example's capacity.
    let (tx, _) = broadcast::channel::<String>(100);
    let app = Router::new()
        .route("/ws", get(upgrade))
        .route("/publish", post(publish))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(tx);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    axum::serve(listener, app).await.expect("serve");
}

async fn publish(State(tx): State<broadcast::Sender<String>>, body: String) -> &'static str {
    let _ = tx.send(body);
    "ok"
}

async fn upgrade(
    ws: WebSocketUpgrade,
    State(tx): State<broadcast::Sender<String>>,
) -> impl IntoResponse {
    ws.on_upgrade(move |socket| client(socket, tx))
}

async fn client(socket: WebSocket, tx: broadcast::Sender<String>) {
    let (mut sender, mut receiver) = socket.split();
    let mut rx = tx.subscribe();
    let mut send_task = tokio::spawn(async move {
        while let Ok(msg) = rx.recv().await {
            if sender.send(Message::text(msg)).await.is_err() {
                break;
            }
        }
    });
    let mut recv_task =
        tokio::spawn(async move { while let Some(Ok(_)) = receiver.next().await {} });
    tokio::select! {
        _ = &mut send_task => recv_task.abort(),
        _ = &mut recv_task => send_task.abort(),
    };
}
