//! Streaming a long list: items per second with read-ahead on and off, peak memory, against a
//! baseline loop of plain reqwest + serde. Run with `cargo bench --bench pagination`.
//!
//! A local keep-alive HTTP server on 127.0.0.1 serves `GET /v2/rooms` pages of 100 realistic
//! rooms, optionally waiting before each page (the API's latency). The consumer optionally
//! awaits a fixed time after each page's worth of items (a batch write, say): that is the work
//! read-ahead overlaps with the next page's latency.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

const PAGE: usize = 100;

fn room(i: usize) -> String {
    format!(
        r#"{{"type":"room","id":"room-{i:07}","organizationId":"org_123456789","createdAt":"2022-07-13T14:32:50.697Z","lastConnectionAt":"2022-08-04T21:07:09.380Z","defaultAccesses":["room:write"],"usersAccesses":{{"alice":["room:write"],"vinod":["room:read","room:presence:write"]}},"groupsAccesses":{{"marketing":["room:write"]}},"metadata":{{"color":"blue","target":["abc","def"]}}}}"#
    )
}

/// Serves `total` rooms in pages of [`PAGE`], waiting `delay` before each answer.
async fn serve(total: usize, delay: Duration) -> String {
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
                let mut lines = BufReader::new(read).lines();
                while let Ok(Some(first)) = lines.next_line().await {
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line.is_empty() {
                            break;
                        }
                    }
                    let target = first.split(' ').nth(1).unwrap_or("/");
                    let start = target
                        .split(['?', '&'])
                        .find_map(|kv| kv.strip_prefix("startingAfter="))
                        .map_or(0, |c| c.parse::<usize>().unwrap());
                    let end = (start + PAGE).min(total);
                    let data: Vec<String> = (start..end).map(room).collect();
                    let next = if end < total {
                        format!("\"{end}\"")
                    } else {
                        "null".into()
                    };
                    let body = format!(r#"{{"data":[{}],"nextCursor":{next}}}"#, data.join(","));
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
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

/// What the consumer does after each page's worth of items.
async fn work(per_page: Duration, consumed: usize) {
    if !per_page.is_zero() && consumed.is_multiple_of(PAGE) {
        tokio::time::sleep(per_page).await;
    }
}

async fn baseline(url: &str, work_per_page: Duration) -> usize {
    let http = reqwest::Client::new();
    let mut cursor: Option<String> = None;
    let mut count = 0;
    loop {
        let mut request = http
            .get(format!("{url}/v2/rooms"))
            .query(&[("limit", "100")]);
        if let Some(c) = &cursor {
            request = request.query(&[("startingAfter", c)]);
        }
        let bytes = request.send().await.unwrap().bytes().await.unwrap();
        let page: liveblocks::types::GetRoomsResponse = serde_json::from_slice(&bytes).unwrap();
        for room in page.data {
            std::hint::black_box(room);
            count += 1;
            work(work_per_page, count).await;
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return count,
        }
    }
}

async fn stream(url: &str, read_ahead: bool, work_per_page: Duration) -> usize {
    let client = liveblocks::Client::builder()
        .secret_key("sk_bench")
        .base_url(url)
        .build()
        .unwrap();
    let mut rooms = client.get_rooms().stream().read_ahead(read_ahead);
    let mut count = 0;
    while let Some(room) = rooms.try_next().await.unwrap() {
        std::hint::black_box(room);
        count += 1;
        work(work_per_page, count).await;
    }
    count
}

#[derive(Clone, Copy)]
enum Runner {
    Baseline,
    ReadAheadOff,
    ReadAheadOn,
}

impl Runner {
    fn name(self) -> &'static str {
        match self {
            Runner::Baseline => "baseline (reqwest + serde loop)",
            Runner::ReadAheadOff => "stream, read-ahead off",
            Runner::ReadAheadOn => "stream, read-ahead on",
        }
    }
}

/// Returns (items per second, peak heap bytes above the level before the run).
async fn measure(
    runner: Runner,
    total: usize,
    delay: Duration,
    work_per_page: Duration,
) -> (f64, usize) {
    let url = serve(total, delay).await;
    let before = heap::start();
    let started = Instant::now();
    let count = match runner {
        Runner::Baseline => baseline(&url, work_per_page).await,
        Runner::ReadAheadOff => stream(&url, false, work_per_page).await,
        Runner::ReadAheadOn => stream(&url, true, work_per_page).await,
    };
    let elapsed = started.elapsed();
    assert_eq!(count, total);
    let peak = heap::peak_since(before);
    (count as f64 / elapsed.as_secs_f64(), peak)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo test --benches` runs benches with `--test`: keep that quick.
    let quick = std::env::args().any(|a| a == "--test");
    let total = if quick { 2_000 } else { 100_000 };
    let runners = [Runner::Baseline, Runner::ReadAheadOff, Runner::ReadAheadOn];

    println!("## Pagination ({total} items, pages of {PAGE})\n");
    for (title, delay, work_per_page) in [
        (
            "server adds 0 ms per page, consumer does no work",
            Duration::ZERO,
            Duration::ZERO,
        ),
        (
            "server adds 5 ms per page, consumer does no work",
            Duration::from_millis(5),
            Duration::ZERO,
        ),
        (
            "server adds 5 ms per page, consumer works 5 ms per page",
            Duration::from_millis(5),
            Duration::from_millis(5),
        ),
    ] {
        println!("### {title}\n");
        println!("| runner | items/s | vs baseline | peak heap |");
        println!("|---|---:|---:|---:|");
        let mut rates = Vec::new();
        for runner in runners {
            let (rate, peak) = measure(runner, total, delay, work_per_page).await;
            rates.push(rate);
            println!(
                "| {} | {:.0} | {:.2}x | {:.1} MiB |",
                runner.name(),
                rate,
                rate / rates[0],
                peak as f64 / 1048576.0
            );
        }
        println!("\nread-ahead on / off: {:.2}x\n", rates[2] / rates[1]);
    }

    println!("### Peak heap against the item count (stream, read-ahead on, no delay)\n");
    println!("| items | peak heap |");
    println!("|---:|---:|");
    for items in [total / 10, total] {
        let (_, peak) = measure(Runner::ReadAheadOn, items, Duration::ZERO, Duration::ZERO).await;
        println!("| {items} | {:.2} MiB |", peak as f64 / 1048576.0);
    }
}
