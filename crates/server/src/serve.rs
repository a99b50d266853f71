//! Serving the app on a listener, with the limits of [`ConnectionLimits`]: at most so many
//! connections at once (the others wait in the kernel's queue, where they hold no file of this
//! process), headers that must arrive in time (which also closes idle kept-alive connections),
//! and request bodies that must keep flowing. Request and upload timeouts are the router's
//! (`crate::api::routes`).
//!
//! HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a reverse proxy in front of
//! Lantern terminates, and HTTP/2 without TLS would need a preface detection without a timeout.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceBuilder;
use tower_http::add_extension::AddExtensionLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::config::ConnectionLimits;

/// How long to wait after the listener failed for another reason than one client (out of
/// files or memory) before accepting again, so the connections in flight can finish.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        let Some((stream, peer, slot)) = accepted else {
            continue;
        };
        let service = ServiceBuilder::new()
            .layer(RequestBodyTimeoutLayer::new(limits.body_read_timeout))
            .layer(AddExtensionLayer::new(ConnectInfo(peer)))
            .service(app.clone());
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection closed with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// The next connection once a slot is free; `None` when accepting failed.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    // The semaphore is never closed, so this waits for a slot and never fails.
    let slot = slots.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, peer)) => Some((stream, peer, slot)),
        Err(error) if is_one_clients_error(&error) => None,
        Err(error) => {
            tracing::error!(%error, "cannot accept connections");
            tokio::time::sleep(ACCEPT_BACKOFF).await;
            None
        }
    }
}

fn is_one_clients_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        error.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}
