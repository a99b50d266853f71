//! A flood of 150 sign-ins at once leaves the server's memory bounded (issue 15): argon2 takes
//! 19 MiB per hash, and the hashing queue admits one hash per core and four waiting per core,
//! refusing the rest with 503 before they cost anything. Its own test binary, so that nothing
//! else runs in the process whose resident memory it reads.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::{DEMO_PASSWORD, TestApp, TestResponse};
use serde_json::json;
use tokio::task::JoinSet;

const SIGN_INS: usize = 150;
/// Places in the hashing queue per core: one hashing, four waiting (`passwords::HashingQueue`).
const PLACES_PER_CORE: u64 = 5;
/// Room for what else the requests and the test hold (answers, logs, the allocator's slack).
const MARGIN_BYTES: u64 = 64 * 1024 * 1024;

/// The process's resident memory now, in pages (`/proc/self/statm`, its second field).
fn resident_pages() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .expect("the resident size in /proc/self/statm")
}

/// The size of a memory page in bytes, as the kernel reports it for the process's mappings.
fn page_bytes() -> u64 {
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("/proc/self/smaps");
    smaps
        .lines()
        .find_map(|line| line.strip_prefix("KernelPageSize:"))
        .and_then(|size| size.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        .expect("KernelPageSize in /proc/self/smaps")
        * 1024
}

/// Samples the resident memory on a thread of its own (so a busy runtime cannot starve it)
/// until `done`; returns the highest sample, in pages.
fn watch_peak(done: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = resident_pages();
        while !done.load(Ordering::Relaxed) {
            peak = peak.max(resident_pages());
            std::thread::sleep(Duration::from_micros(500));
        }
        peak
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_stays_bounded_under_150_parallel_sign_ins() {
    // The queue the server runs with; only the throttle is out of the way.
    let app = TestApp::with_config(|config| {
        config.sign_in_limits.per_account = 1000;
        config.sign_in_limits.per_address = 1000;
    })
    .await;
    lantern_server::seed::seed_demo(&app.state).await.unwrap();
    let app = Arc::new(app);
    // One sign-in first, so the baseline holds what any first request sets up.
    app.sign_in("alice@northwind.example", DEMO_PASSWORD).await;

    let cores = std::thread::available_parallelism().unwrap().get() as u64;
    let argon2_bytes = u64::from(argon2::Params::DEFAULT_M_COST) * 1024;
    let bound = argon2_bytes * cores * PLACES_PER_CORE + MARGIN_BYTES;
    let page = page_bytes();
    let baseline = resident_pages();
    let done = Arc::new(AtomicBool::new(false));
    let watcher = watch_peak(done.clone());

    let started = Instant::now();
    let mut running = JoinSet::new();
    for n in 0..SIGN_INS {
        let app = Arc::clone(&app);
        let password = if n % 2 == 0 {
            DEMO_PASSWORD
        } else {
            "a-wrong-guess"
        };
        running.spawn(async move {
            app.send(Method::POST, "/api/v1/session")
                .client_address(&format!("192.0.2.{n}"))
                .json(&json!({ "email": "alice@northwind.example", "password": password }))
                .await
        });
    }
    let answers: Vec<TestResponse> = running.join_all().await;
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let growth = watcher.join().unwrap().saturating_sub(baseline) * page;

    let mib = |bytes: u64| bytes / (1024 * 1024);
    assert!(
        growth < bound,
        "resident memory grew by {} MiB, more than the {} MiB that {} places of {} MiB and the margin allow",
        mib(growth),
        mib(bound),
        cores * PLACES_PER_CORE,
        mib(argon2_bytes),
    );
    let refused: Vec<&TestResponse> = answers
        .iter()
        .filter(|answer| answer.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    let checked = answers
        .iter()
        .filter(|answer| matches!(answer.status, StatusCode::OK | StatusCode::UNAUTHORIZED))
        .count();
    assert_eq!(refused.len() + checked, SIGN_INS, "only 200, 401 and 503");
    assert!(
        refused.len() >= SIGN_INS - usize::try_from(cores * PLACES_PER_CORE).unwrap(),
        "only {} of {SIGN_INS} refused",
        refused.len()
    );
    for answer in refused {
        assert_eq!(answer.error_code(), "overloaded");
        assert_eq!(answer.header("retry-after"), Some("1"));
    }
    eprintln!(
        "{SIGN_INS} sign-ins in {took:?}: {} refused, resident memory grew by {} MiB (bound {} MiB)",
        SIGN_INS - checked,
        mib(growth),
        mib(bound)
    );
    assert!(took < Duration::from_secs(5), "the flood took {took:?}");
}
