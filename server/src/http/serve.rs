//! Accepting connections. `axum::serve` would do, but it gives hyper no timer, so hyper's
//! header-read timeout never fires: a client that sends its headers a byte at a time, or opens
//! a connection and says nothing, would hold a socket (and a file descriptor) for ever. Here
//! each connection gets that timer, and each request a deadline for its whole body
//! ([`deadline`]), so slow clients are cut off after [`HttpLimits`] and cannot exhaust the
//! server's sockets.

use crate::config::HttpLimits;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` completes, then waits for the requests in
/// flight (WebSocket connections have left hyper by then; the hub closes them).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_read))
        .keep_alive_timeout(limits.header_read);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors (EMFILE) and the like: the listener stays, and
                    // retrying at once would only spin.
                    tracing::warn!(error = %e, "accept failed; retrying in 100 ms");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            router.clone().oneshot(req)
        });
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let header_read = limits.header_read;
        tokio::spawn(async move {
            // hyper's timer starts with the first byte: the protocol is guessed from it (HTTP/1
            // or 2) with no timeout. A client that connects and says nothing is dropped here.
            // (`readable()` is not enough: it may report readiness that is not there.)
            if !matches!(
                tokio::time::timeout(header_read, stream.peek(&mut [0u8; 1])).await,
                Ok(Ok(1))
            ) {
                return;
            }
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            // A client that hangs up or times out is not an error of the server's.
            let _ = watcher.watch(conn).await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The deadline of one request, from its headers to its answer: a body sent a byte a second
/// is answered 408 when it passes, and the connection is closed.
pub async fn deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            [(axum::http::header::CONNECTION, "close")],
            format!(
                "Yêu cầu không hoàn tất trong {} giây; hãy gửi lại. (The request did not complete within {} s; send it again.)",
                limit.as_secs(),
                limit.as_secs()
            ),
        )
            .into_response(),
    }
}
