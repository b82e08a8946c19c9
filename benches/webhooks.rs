//! Webhook verification throughput: verify only, and verify + decode, for 1 KiB and 64 KiB
//! bodies, beside bare HMAC-SHA256 over the same bytes (the `hmac` + `sha2` crates this crate
//! uses, and `ring` as a second reference) in the same run. Run with
//! `cargo bench --bench webhooks`; set `LIVEBLOCKS_BENCH_PYTHON` to a Python that has the PyPI
//! `liveblocks` package installed to also time the official Python SDK in the same run.
//!
//! Criterion measures each function in turn; the Markdown summary printed at the end (the
//! figures for BENCHMARKS.md) comes from a second, interleaved best-of-rounds measurement, which
//! keeps ratios meaningful when other processes load the machine.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use criterion::{BenchmarkId, Criterion, Throughput, black_box};
use hmac::{Hmac, Mac};
use liveblocks::webhooks::WebhookHandler;
use sha2::Sha256;

const KEY: &[u8] = b"benchmark key: 32 bytes of it!!!";
const ID: &str = "msg_2mQ8xQdYp1Lk3vNw7HcGfRtZ9sA";
const SIZES: [(usize, &str); 2] = [(1024, "1 KiB"), (65536, "64 KiB")];

/// A `userEntered` event padded (inside `userInfo`) to exactly `size` bytes.
fn body(size: usize) -> Vec<u8> {
    let head = r#"{"type":"userEntered","data":{"projectId":"proj_7f3a","roomId":"room-alpha","connectionId":42,"userId":"ada","enteredAt":"2025-01-01T00:00:00.000Z","numActiveUsers":3,"userInfo":{"name":"Ada","bio":""#;
    let tail = r#""}}}"#;
    let pad = size - head.len() - tail.len();
    let mut body = String::with_capacity(size);
    body.push_str(head);
    body.extend(std::iter::repeat_n('x', pad));
    body.push_str(tail);
    assert_eq!(body.len(), size);
    body.into_bytes()
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn signed(body: &[u8], timestamp: &str) -> Vec<(String, String)> {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    mac.update(format!("{ID}.{timestamp}.").as_bytes());
    mac.update(body);
    vec![
        ("webhook-id".into(), ID.into()),
        ("webhook-timestamp".into(), timestamp.into()),
        (
            "webhook-signature".into(),
            format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())),
        ),
    ]
}

fn criterion_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// Best (lowest) time per iteration in nanoseconds of each function, measured in interleaved
/// rounds so that load from other processes hits all of them alike.
fn interleaved(functions: &mut [&mut dyn FnMut()], iterations: u32, rounds: u32) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; functions.len()];
    for round in 0..rounds as usize {
        for k in 0..functions.len() {
            let i = (k + round) % functions.len();
            let start = Instant::now();
            for _ in 0..iterations {
                (functions[i])();
            }
            let ns = start.elapsed().as_nanos() as f64 / f64::from(iterations);
            best[i] = best[i].min(ns);
        }
    }
    best
}

/// Verifications per second by the official Python SDK, for each body size.
fn python_rates(python: &str, bodies: &[Vec<u8>]) -> Option<Vec<f64>> {
    let dir = std::env::temp_dir().join(format!("liveblocks-webhook-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let mut args = vec![
        concat!(env!("CARGO_MANIFEST_DIR"), "/benches/webhooks_python.py").to_owned(),
        format!("whsec_{}", STANDARD.encode(KEY)),
        ID.to_owned(),
    ];
    for (i, body) in bodies.iter().enumerate() {
        let path = dir.join(format!("body{i}.json"));
        std::fs::write(&path, body).ok()?;
        args.push(path.display().to_string());
    }
    let output = Command::new(python).args(&args).output().ok();
    let _ = std::fs::remove_dir_all(&dir);
    let output = output?;
    if !output.status.success() {
        eprintln!("python: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    String::from_utf8(output.stdout)
        .ok()?
        .split_whitespace()
        .map(|rate| rate.parse().ok())
        .collect()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let mut criterion = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .output_directory(&criterion_dir())
        .configure_from_args();

    let handler = WebhookHandler::new(&format!("whsec_{}", STANDARD.encode(KEY))).unwrap();
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, KEY);
    let bodies: Vec<Vec<u8>> = SIZES.iter().map(|(size, _)| body(*size)).collect();
    let group_name = "webhooks";
    {
        let mut group = criterion.benchmark_group(group_name);
        for body in &bodies {
            let size = body.len();
            let timestamp = unix_now().to_string();
            let headers = signed(body, &timestamp);
            let message = [ID.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat();
            let now = unix_now();
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::new("hmac_sha256", size), &message, |b, m| {
                b.iter(|| {
                    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
                    mac.update(black_box(m));
                    black_box(mac.finalize().into_bytes())
                })
            });
            group.bench_with_input(BenchmarkId::new("ring_hmac", size), &message, |b, m| {
                b.iter(|| black_box(ring::hmac::sign(&ring_key, black_box(m))))
            });
            group.bench_with_input(BenchmarkId::new("verify", size), body, |b, body| {
                b.iter(|| {
                    handler
                        .verify_signature_at(&headers, black_box(body), now)
                        .unwrap()
                })
            });
            group.bench_with_input(BenchmarkId::new("verify_decode", size), body, |b, body| {
                b.iter(|| handler.verify_at(&headers, black_box(body), now).unwrap())
            });
        }
        group.finish();
    }
    criterion.final_summary();
    if quick {
        return;
    }

    // The summary: interleaved best-of-rounds timings (robust on a shared, loaded machine),
    // then the official Python SDK's best-of-rounds rate.
    let mut rows = Vec::new();
    for body in &bodies {
        let timestamp = unix_now().to_string();
        let headers = signed(body, &timestamp);
        let message = [ID.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat();
        let now = unix_now();
        let mut hmac = || {
            let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
            mac.update(black_box(&message));
            black_box(mac.finalize().into_bytes());
        };
        let mut ring = || {
            black_box(ring::hmac::sign(&ring_key, black_box(&message)));
        };
        let mut verify = || {
            handler
                .verify_signature_at(&headers, black_box(body), now)
                .unwrap();
        };
        let mut decode = || {
            black_box(handler.verify_at(&headers, black_box(body), now).unwrap());
        };
        let iterations = (2_000_000 / body.len()).max(20) as u32;
        rows.push(interleaved(
            &mut [&mut hmac, &mut ring, &mut verify, &mut decode],
            iterations,
            40,
        ));
    }
    let python = std::env::var("LIVEBLOCKS_BENCH_PYTHON")
        .ok()
        .and_then(|python| python_rates(&python, &bodies));
    println!("\n## Webhooks (verifications per second, one core, best of 40 interleaved rounds)\n");
    println!(
        "| body | bare HMAC (hmac+sha2) | ring HMAC | verify | verify / bare HMAC time | verify + decode | Python SDK | verify + decode vs Python |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (i, (size, label)) in SIZES.iter().enumerate() {
        let [hmac, ring, verify, decode] = rows[i][..] else {
            unreachable!()
        };
        let rate = |ns: f64| 1e9 / ns;
        let mib = |ns: f64| *size as f64 / ns * 1e9 / (1024.0 * 1024.0);
        let (py, vs_py) = match &python {
            Some(rates) => (
                format!("{:.0}", rates[i]),
                format!("{:.2}x", rate(decode) / rates[i]),
            ),
            None => ("not run".into(), "-".into()),
        };
        println!(
            "| {label} | {:.0} ({:.0} MiB/s) | {:.0} ({:.0} MiB/s) | {:.0} | {:.2}x | {:.0} | {py} | {vs_py} |",
            rate(hmac),
            mib(hmac),
            rate(ring),
            mib(ring),
            rate(verify),
            verify / hmac,
            rate(decode),
        );
    }
}
