//! The Rust side of `cargo xtask bench` (not a usage example): a canned API server and two
//! clients measured against it, each run as its own process so that the harness can read its
//! CPU time and peak memory.
//!
//! ```text
//! bench_client serve                                   # prints "listening http://127.0.0.1:PORT"
//! bench_client run raw|crate seq|conc|pages URL COUNT INFLIGHT
//! ```
//!
//! `serve` answers from memory: `GET /v2/rooms/{id}` a realistic room, `GET /v2/rooms` a page of
//! 100 rooms, `DELETE /v2/rooms/{id}` 204. It stops when its standard input closes.
//!
//! `run` sends `COUNT` requests (after a short untimed warm-up) with either plain `reqwest` +
//! `serde_json` decoding into `liveblocks::types` (`raw`: the limit of our stack) or this crate
//! (`crate`), then prints one line `RESULT requests=N seconds=S cpu=C`, where `cpu` is the
//! process's user + system CPU time spent during the timed part.
//!
//! Workloads: `seq` one `get_room` at a time; `conc` `get_room` with `INFLIGHT` requests in
//! flight (that many tasks sharing a counter); `pages` one `get_rooms` page of 100 rooms at a
//! time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt;
use bytes::Bytes;
use liveblocks::types::{GetRoomsResponse, Room};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn room_json(id: &str) -> String {
    format!(
        r#"{{"type":"room","id":"{id}","organizationId":"org_123456789","createdAt":"2022-07-13T14:32:50.697Z","lastConnectionAt":"2022-08-04T21:07:09.380Z","defaultAccesses":["room:write"],"usersAccesses":{{"alice":["room:write"],"vinod":["room:read","room:presence:write"]}},"groupsAccesses":{{"marketing":["room:write"]}},"metadata":{{"color":"blue","target":["abc","def"]}}}}"#
    )
}

fn json(body: Bytes) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
}

async fn serve() -> Result<(), BoxError> {
    let room = Bytes::from(room_json("my-room-id"));
    let rooms: Vec<String> = (0..100)
        .map(|i| room_json(&format!("room-{i:04}")))
        .collect();
    let page = Bytes::from(format!(
        r#"{{"nextCursor":"room-0099","data":[{}]}}"#,
        rooms.join(",")
    ));
    let app = Router::new()
        .route("/v2/rooms", get(move || async move { json(page.clone()) }))
        .route(
            "/v2/rooms/{id}",
            get(move || async move { json(room.clone()) })
                .delete(|| async { StatusCode::NO_CONTENT }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening http://{}", listener.local_addr()?);
    // Answers go out at once (no Nagle delay between the head and the body of an answer).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    // Stop when the harness closes our standard input (or dies).
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = stdin_closed.await;
        })
        .await?;
    Ok(())
}

/// `struct rusage` of 64-bit Linux: two timevals, then 14 longs.
#[repr(C)]
#[derive(Default)]
struct Rusage {
    utime: [i64; 2],
    stime: [i64; 2],
    rest: [i64; 14],
}

unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}

/// User + system CPU seconds used by this process so far (`getrusage(RUSAGE_SELF)`).
fn cpu_seconds() -> f64 {
    let mut usage = Rusage::default();
    // SAFETY: `usage` is a valid, writable struct with the C layout on 64-bit Linux.
    if unsafe { getrusage(0, &mut usage) } != 0 {
        return f64::NAN;
    }
    let seconds = |t: [i64; 2]| t[0] as f64 + t[1] as f64 / 1e6;
    seconds(usage.utime) + seconds(usage.stime)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Raw,
    Crate,
}

#[derive(Clone, Copy, PartialEq)]
enum Workload {
    Seq,
    Conc,
    Pages,
}

/// Both clients behind one interface: one request of the workload, decoded and checked.
struct Clients {
    kind: Kind,
    base: String,
    raw: reqwest::Client,
    krate: liveblocks::Client,
}

const SECRET: &str = "sk_bench_0123456789";

impl Clients {
    async fn get_room(&self, i: usize) -> Result<(), BoxError> {
        let id = format!("room-{}", i % 1000);
        let room: Room = match self.kind {
            Kind::Raw => {
                let response = self
                    .raw
                    .get(format!("{}/v2/rooms/{id}", self.base))
                    .bearer_auth(SECRET)
                    .send()
                    .await?
                    .error_for_status()?;
                serde_json::from_slice(&response.bytes().await?)?
            }
            Kind::Crate => self.krate.get_room().room_id(id).send().await?.into_inner(),
        };
        if room.id.is_empty() {
            return Err("empty room id".into());
        }
        std::hint::black_box(room);
        Ok(())
    }

    async fn get_rooms(&self) -> Result<(), BoxError> {
        let page: GetRoomsResponse = match self.kind {
            Kind::Raw => {
                let response = self
                    .raw
                    .get(format!("{}/v2/rooms", self.base))
                    .query(&[("limit", "100")])
                    .bearer_auth(SECRET)
                    .send()
                    .await?
                    .error_for_status()?;
                serde_json::from_slice(&response.bytes().await?)?
            }
            Kind::Crate => self
                .krate
                .get_rooms()
                .limit(100u32)
                .send()
                .await?
                .into_inner(),
        };
        if page.data.len() != 100 {
            return Err(format!("expected 100 rooms, got {}", page.data.len()).into());
        }
        std::hint::black_box(page);
        Ok(())
    }

    async fn one(&self, workload: Workload, i: usize) -> Result<(), BoxError> {
        match workload {
            Workload::Seq | Workload::Conc => self.get_room(i).await,
            Workload::Pages => self.get_rooms().await,
        }
    }
}

async fn drive(
    clients: Arc<Clients>,
    workload: Workload,
    count: usize,
    inflight: usize,
) -> Result<(), BoxError> {
    if workload != Workload::Conc || inflight <= 1 {
        for i in 0..count {
            clients.one(workload, i).await?;
        }
        return Ok(());
    }
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..inflight {
        let clients = clients.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return Ok::<(), BoxError>(());
                }
                clients.one(workload, i).await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

async fn run(args: &[String]) -> Result<(), BoxError> {
    let [kind, workload, url, count, inflight] = args else {
        return Err("usage: bench_client run raw|crate seq|conc|pages URL COUNT INFLIGHT".into());
    };
    let kind = match kind.as_str() {
        "raw" => Kind::Raw,
        "crate" => Kind::Crate,
        other => return Err(format!("unknown client {other:?}").into()),
    };
    let workload = match workload.as_str() {
        "seq" => Workload::Seq,
        "conc" => Workload::Conc,
        "pages" => Workload::Pages,
        other => return Err(format!("unknown workload {other:?}").into()),
    };
    let count: usize = count.parse()?;
    let inflight: usize = inflight.parse()?;
    let clients = Arc::new(Clients {
        kind,
        base: url.trim_end_matches('/').to_owned(),
        raw: reqwest::Client::new(),
        krate: liveblocks::Client::builder()
            .secret_key(SECRET)
            .base_url(url.as_str())
            .build()?,
    });
    // Warm-up: open the connections and touch every code path before timing.
    let warmup = (count / 20).clamp(1, 200);
    drive(clients.clone(), workload, warmup, inflight).await?;
    let cpu = cpu_seconds();
    let started = Instant::now();
    drive(clients, workload, count, inflight).await?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    println!("RESULT requests={count} seconds={seconds:.6} cpu={cpu:.6}");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve().await,
        Some("run") => run(&args[1..]).await,
        _ => Err("usage: bench_client serve | bench_client run ...".into()),
    }
}
