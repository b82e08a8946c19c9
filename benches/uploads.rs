//! Uploading a large file: throughput and peak heap of `Client::upload_file` against a bare
//! reqwest part loop, in the same run, against a local server. Run with
//! `cargo bench --bench uploads`.
//!
//! The local keep-alive HTTP/1.1 server on 127.0.0.1 answers the multipart operations (create,
//! part, complete) and reads and discards every body, so the figures are the client's cost.
//! The source is generated on the fly by an `AsyncRead` (nothing of it is held beforehand), so
//! the peak heap is what the uploader buffers: it must stay at parallelism x part size
//! whatever the file size.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use liveblocks::upload::{PART_SIZE, Source};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, ReadBuf};
use tokio::net::TcpListener;

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

const MIB: usize = 1024 * 1024;
const FILE: &str = "fl_abc123456789012345678";
const UPLOAD: &str = "0b6a5f9e-3c1d-4e2f-8a7b-9c0d1e2f3a4b";

/// Pseudo-random bytes produced as they are read: `len` of them, none held.
struct Generated {
    left: usize,
    state: u64,
}

impl Generated {
    fn new(len: usize) -> Generated {
        Generated {
            left: len,
            state: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

impl AsyncRead for Generated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = buf.remaining().min(self.left).min(64 * 1024);
        let mut written = 0;
        while written < n {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            let word = self.state.to_le_bytes();
            let take = (n - written).min(8);
            buf.put_slice(&word[..take]);
            written += take;
        }
        self.left -= n;
        Poll::Ready(Ok(()))
    }
}

/// How long the server waits before answering a part, in milliseconds (the network and the
/// object store of the real API).
static PART_DELAY_MS: AtomicU64 = AtomicU64::new(0);

/// Serves the multipart operations, discarding the bodies.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let _ = stream.set_nodelay(true);
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::with_capacity(64 * 1024, read);
                let mut sink = vec![0u8; 64 * 1024];
                let mut first = String::new();
                loop {
                    first.clear();
                    if reader.read_line(&mut first).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let header = line.trim_end();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':')
                            && name.eq_ignore_ascii_case("content-length")
                        {
                            length = value.trim().parse().unwrap();
                        }
                    }
                    while length > 0 {
                        let n = sink.len().min(length);
                        if reader.read_exact(&mut sink[..n]).await.is_err() {
                            return;
                        }
                        length -= n;
                    }
                    let mut parts = first.split(' ');
                    let method = parts.next().unwrap_or("");
                    let target = parts.next().unwrap_or("/");
                    let path = target.split('?').next().unwrap_or("/");
                    let body = match method {
                        "PUT" => {
                            let delay = PART_DELAY_MS.load(Ordering::Relaxed);
                            if delay > 0 {
                                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                            }
                            let n = path.rsplit('/').next().unwrap_or("1");
                            format!(r#"{{"partNumber":{n},"etag":"\"etag-{n}\""}}"#)
                        }
                        "POST" if path.ends_with("/complete") => format!(
                            r#"{{"id":"{FILE}","name":"bench.bin","size":0,"mimeType":"application/octet-stream"}}"#
                        ),
                        _ => format!(r#"{{"fileId":"{FILE}","uploadId":"{UPLOAD}"}}"#),
                    };
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if write.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// The baseline: create, then read a part and PUT it, one after the other, then complete;
/// plain reqwest, no retries, no checks.
async fn baseline(url: &str, len: usize) {
    let http = reqwest::Client::new();
    let base = format!("{url}/v2/rooms/bench/storage/files/{FILE}/multipart");
    http.post(format!("{base}/bench.bin?fileSize={len}"))
        .bearer_auth("sk_bench")
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let mut source = Generated::new(len);
    let mut parts = Vec::new();
    let mut number = 0;
    loop {
        let mut part = Vec::with_capacity(PART_SIZE);
        (&mut source)
            .take(PART_SIZE as u64)
            .read_to_end(&mut part)
            .await
            .unwrap();
        if part.is_empty() {
            break;
        }
        number += 1;
        let answer: serde_json::Value = http
            .put(format!("{base}/{UPLOAD}/{number}"))
            .bearer_auth("sk_bench")
            .header("content-type", "application/octet-stream")
            .body(part)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        parts.push(serde_json::json!({"partNumber": number, "etag": answer["etag"]}));
    }
    http.post(format!("{base}/{UPLOAD}/complete"))
        .bearer_auth("sk_bench")
        .json(&serde_json::json!({ "parts": parts }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

async fn crate_upload(url: &str, len: usize, parallelism: usize) {
    let client = liveblocks::Client::builder()
        .secret_key("sk_bench")
        .base_url(url)
        .build()
        .unwrap();
    let source = Source::reader(Generated::new(len), Some(len as u64));
    client
        .upload_file("bench", FILE, "bench.bin", source)
        .parallelism(parallelism)
        .await
        .unwrap();
}

#[derive(Clone, Copy)]
enum Runner {
    Baseline,
    Crate(usize),
}

impl Runner {
    fn name(self) -> String {
        match self {
            Runner::Baseline => "baseline (reqwest part loop, sequential)".into(),
            Runner::Crate(p) => format!("upload_file, parallelism {p}"),
        }
    }
}

/// Returns (MiB per second, peak heap bytes above the level before the run).
async fn measure(runner: Runner, url: &str, len: usize) -> (f64, usize) {
    let before = heap::start();
    let started = Instant::now();
    match runner {
        Runner::Baseline => baseline(url, len).await,
        Runner::Crate(p) => crate_upload(url, len, p).await,
    }
    let elapsed = started.elapsed();
    let peak = heap::peak_since(before);
    ((len / MIB) as f64 / elapsed.as_secs_f64(), peak)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / MIB as f64
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo test --benches` runs benches with `--test`: keep that quick.
    let quick = std::env::args().any(|a| a == "--test");
    let len = if quick { 12 * MIB } else { 100 * MIB };
    let url = serve().await;
    let rounds = if quick { 1 } else { 5 };
    let runners = [Runner::Baseline, Runner::Crate(1), Runner::Crate(4)];

    println!(
        "## Uploads ({} MiB, parts of {} MiB)\n",
        len / MIB,
        PART_SIZE / MIB
    );
    println!(
        "Runners interleaved, {rounds} rounds: the median rate and the highest peak heap of \
         each.\n"
    );
    for delay in [0, 20] {
        PART_DELAY_MS.store(delay, Ordering::Relaxed);
        println!("### The server answers each part after {delay} ms\n");
        println!("| runner | MiB/s | vs baseline | peak heap | peak / (parallelism x part size) |");
        println!("|---|---:|---:|---:|---:|");
        let mut rates = vec![Vec::new(); runners.len()];
        let mut peaks = vec![0usize; runners.len()];
        for _ in 0..rounds {
            for (i, runner) in runners.iter().enumerate() {
                let (rate, peak) = measure(*runner, &url, len).await;
                rates[i].push(rate);
                peaks[i] = peaks[i].max(peak);
            }
        }
        let medians: Vec<f64> = rates
            .iter_mut()
            .map(|r| {
                r.sort_by(f64::total_cmp);
                r[r.len() / 2]
            })
            .collect();
        for (i, runner) in runners.iter().enumerate() {
            let bound = match runner {
                Runner::Baseline => PART_SIZE,
                Runner::Crate(p) => p * PART_SIZE,
            };
            println!(
                "| {} | {:.0} | {:.2}x | {:.1} MiB | {:.2} |",
                runner.name(),
                medians[i],
                medians[i] / medians[0],
                mib(peaks[i]),
                peaks[i] as f64 / bound as f64
            );
        }
        println!();
    }

    PART_DELAY_MS.store(0, Ordering::Relaxed);
    println!("### Peak heap against the file size (upload_file, parallelism 4)\n");
    println!("| file | peak heap |");
    println!("|---:|---:|");
    for size in [len / 10, len / 2, len, 2 * len] {
        let mut peak = 0;
        for _ in 0..rounds {
            peak = peak.max(measure(Runner::Crate(4), &url, size).await.1);
        }
        println!("| {} MiB | {:.1} MiB |", size / MIB, mib(peak));
    }
}
