//! Connection limits on a real listener, served as `main` serves (issue 15, row 3): clients
//! that never finish their headers, sit idle, or stall their body are cut off after the
//! configured timeouts, at most so many connections are served at once, and the server keeps
//! answering everyone else.

use crate::common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::TestApp;
use lantern_server::config::Config;
use lantern_server::{router, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SECOND: Duration = Duration::from_secs(1);
/// Room for a slow test machine on top of a one-second timeout.
const GRACE: Duration = Duration::from_secs(3);

const HEALTH: &[u8] = b"GET /api/v1/health HTTP/1.1\r\nHost: lantern\r\nConnection: close\r\n\r\n";

/// A server on a free port with these settings; the app is dropped with the test.
async fn listening(adjust: impl FnOnce(&mut Config)) -> (TestApp, SocketAddr) {
    let app = TestApp::with_config(adjust).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(serve::serve(
        listener,
        router(app.state.clone()),
        app.state.config.connections,
        std::future::pending(),
    ));
    (app, addr)
}

/// Reads until the server closes the connection (or `within` passes) and returns what came.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| received)
}

/// A sign-in whose body stops after its first bytes, as a slow or hostile client sends it.
async fn stalled_sign_in(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("a connection");
    stream
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nHost: lantern\r\nX-Requested-With: lantern\r\n\
              Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\": ",
        )
        .await
        .expect("the start of a body");
    stream
}

/// One health check on a new connection; its status line.
async fn health(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("a connection");
    stream.write_all(HEALTH).await.expect("the request is sent");
    let answer = read_until_closed(&mut stream, GRACE)
        .await
        .expect("an answer in time");
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn connections_that_never_finish_their_headers_are_closed_and_others_are_served() {
    let (_app, addr) = listening(|config| {
        config.connections.header_read_timeout = SECOND;
    })
    .await;
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..40 {
        let mut stream = TcpStream::connect(addr).await.expect("a connection");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: lantern\r\nX-Slow: ")
            .await
            .expect("half a header is sent");
        slow.push(stream);
    }
    assert_eq!(
        health(addr).await,
        "HTTP/1.1 200 OK",
        "others are served meanwhile"
    );
    for stream in &mut slow {
        assert!(
            read_until_closed(stream, GRACE).await.is_some(),
            "a connection still open after {:?}",
            started.elapsed()
        );
    }
    assert!(started.elapsed() >= SECOND * 9 / 10, "closed too early");
    assert_eq!(health(addr).await, "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn idle_kept_alive_connections_are_closed() {
    let (_app, addr) = listening(|config| {
        config.connections.header_read_timeout = SECOND;
    })
    .await;
    let mut stream = TcpStream::connect(addr).await.expect("a connection");
    stream
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: lantern\r\n\r\n")
        .await
        .expect("a request");
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, GRACE)
        .await
        .expect("closed once idle");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200 OK"));
    assert!(
        started.elapsed() >= SECOND * 9 / 10,
        "closed before the timeout"
    );
}

#[tokio::test]
async fn at_most_the_configured_connections_are_served_at_once() {
    let (_app, addr) = listening(|config| {
        config.connections.max_connections = 2;
        config.connections.header_read_timeout = SECOND;
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..2 {
        idle.push(TcpStream::connect(addr).await.expect("a connection"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    assert_eq!(health(addr).await, "HTTP/1.1 200 OK");
    assert!(
        started.elapsed() >= SECOND * 8 / 10,
        "a third connection was served while two were open ({:?})",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_request_body_that_stalls_is_cut_off() {
    let (_app, addr) = listening(|config| {
        config.connections.body_read_timeout = SECOND;
    })
    .await;
    let mut stream = stalled_sign_in(addr).await;
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, GRACE)
        .await
        .expect("cut off in time");
    let status = String::from_utf8_lossy(&answer);
    assert!(status.starts_with("HTTP/1.1 4"), "{status}");
    assert!(started.elapsed() >= SECOND * 9 / 10, "cut off too early");
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_408() {
    let (_app, addr) = listening(|config| {
        config.connections.request_timeout = SECOND;
    })
    .await;
    let mut stream = stalled_sign_in(addr).await;
    let answer = read_until_closed(&mut stream, GRACE)
        .await
        .expect("answered in time");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
}

#[tokio::test]
async fn an_upload_may_take_the_upload_timeout_not_the_request_timeout() {
    let upload_timeout = SECOND * 3;
    let (app, addr) = listening(|config| {
        config.connections.request_timeout = SECOND;
        config.connections.upload_timeout = upload_timeout;
    })
    .await;
    assert!(
        lantern_server::seed::seed_demo(&app.state)
            .await
            .expect("demo seed")
    );
    let cookie = app
        .sign_in("alice@northwind.example", common::DEMO_PASSWORD)
        .await;
    let body = common::multipart_upload("log", "slow.log", b"ERROR E1042 at 40 %\n");
    let head = format!(
        "POST /api/v1/attachments HTTP/1.1\r\nHost: lantern\r\nX-Requested-With: lantern\r\n\
         Cookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={}\r\n\
         Content-Length: {}\r\n\r\n",
        common::MULTIPART_BOUNDARY,
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.expect("a connection");
    stream.write_all(head.as_bytes()).await.expect("the head");
    // The file's first bytes, then nothing: the upload is still arriving.
    let stalled_at = body.len() / 2;
    stream
        .write_all(&body[..stalled_at])
        .await
        .expect("the start of the body");
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, upload_timeout + GRACE)
        .await
        .expect("answered in time");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        started.elapsed() >= upload_timeout * 9 / 10,
        "cut off at the request timeout"
    );
}
