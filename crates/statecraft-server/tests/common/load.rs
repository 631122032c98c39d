//! The load run shared by the load test and the load benchmark: a real server on a loopback
//! port, N forecast requests sent C at a time over TCP (each on its own connection), each answer
//! checked against the analysis API's own result; oversize, slow-body and malformed requests
//! sent during the load; the latencies of the forecasts returned.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use statecraft_server::{AppState, Config};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// What a load run measured.
pub struct LoadReport {
    /// Forecast latencies, sorted.
    pub latencies: Vec<Duration>,
    /// Forecasts answered 200 with the right numbers.
    pub right: usize,
    /// Status codes of the hostile requests, in order: oversize, slow body, malformed.
    pub hostile: Vec<u16>,
    /// Wall time of the whole run.
    pub wall: Duration,
}

impl LoadReport {
    /// The `q` quantile of the latencies (0.5: the median).
    pub fn quantile(&self, q: f64) -> Duration {
        let k = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
        self.latencies[k]
    }
}

async fn send(addr: std::net::SocketAddr, body: String) -> (u16, Bytes) {
    let stream = TcpStream::connect(addr).await.expect("the server accepts");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("an HTTP/1 connection");
    tokio::spawn(conn);
    let request = hyper::Request::post("/api/v1/run")
        .header("host", addr.to_string())
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let response = sender.send_request(request).await.expect("an answer");
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, bytes)
}

/// Sends a body's first bytes and then waits: the server must give up on it (408) by itself.
async fn slow_body(addr: std::net::SocketAddr) -> u16 {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/run HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{{\"analysis\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the server answered the slow body within 30 s"
    );
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Runs `total` forecasts, `concurrency` at a time, against a fresh server.
pub async fn run(total: usize, concurrency: usize) -> LoadReport {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(Config {
        body_limit: 1 << 20,
        body_timeout: Duration::from_millis(500),
        ..Config::default()
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(statecraft_server::serve(listener, state, async {
        let _ = stopped.await;
    }));

    // Each request changes one salience, so that a mixed-up answer would show.
    let request = |i: usize| {
        let salience = 0.3 + 0.6 * (i % 7) as f64 / 6.0;
        json!({
            "what_if": { "set": [format!("DPRK.nuclear_status.salience={salience}")] },
            "analysis": { "forecast": { "models": ["compromise", "median"] } }
        })
    };
    let expected: Vec<Value> = (0..7)
        .map(|i| {
            let r = statecraft_api::Request::from_json("load", &request(i).to_string()).unwrap();
            let response = statecraft_api::run(&r, &statecraft_api::Context::default()).unwrap();
            serde_json::to_value(&response).unwrap()
        })
        .collect();

    let start = Instant::now();
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        let body = request(i).to_string();
        let want = expected[i % 7].clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let (status, bytes) = send(addr, body).await;
            let took = t.elapsed();
            drop(permit);
            let got: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            (status == 200 && got == want, took)
        }));
        if i == total / 4 {
            // Hostile clients in the middle of the load.
            let big = format!(
                "{{\"analysis\":\"check\",\"pad\":\"{}\"}}",
                "x".repeat(2 << 20)
            );
            tasks.push(tokio::spawn(async move {
                let (status, _) = send(addr, big).await;
                (status == 413, Duration::ZERO)
            }));
            tasks.push(tokio::spawn(async move {
                let status = slow_body(addr).await;
                (status == 408, Duration::ZERO)
            }));
            tasks.push(tokio::spawn(async move {
                let (status, _) = send(addr, "{not json".into()).await;
                (status == 400, Duration::ZERO)
            }));
        }
    }
    let mut latencies = Vec::with_capacity(total);
    let mut right = 0;
    let mut hostile = Vec::new();
    let hostile_at = total / 4 + 1;
    for (n, task) in tasks.into_iter().enumerate() {
        let (ok, took) = task.await.expect("no task panics");
        if (hostile_at..hostile_at + 3).contains(&n) {
            hostile.push(u16::from(ok));
            continue;
        }
        latencies.push(took);
        right += usize::from(ok);
    }
    let wall = start.elapsed();
    let _ = stop.send(());
    let _ = server.await;
    latencies.sort();
    LoadReport {
        latencies,
        right,
        hostile,
        wall,
    }
}
