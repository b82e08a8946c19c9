//! `mutate_storage` on a large Storage against `get_storage_document` of the same room: time
//! per call and peak heap, on the official dev server. Run with
//! `cargo bench --bench storage_mutation` (the dev server must be installed: `cargo xtask tools
//! install`).
//!
//! The room holds a LiveList of LiveObjects (`{"n": i, "text": "item i"}`): with the root and
//! the list, `nodes` Storage nodes. Every round runs each runner once, in rotating order; the
//! table shows medians over the rounds and ratios against `get_storage_document` (plain LSON)
//! measured in the same rounds. Peak heap is the highest live heap above the level before the
//! call, counted by a global allocator.

#[path = "../tests/support/devserver.rs"]
mod devserver;
#[path = "support/heap.rs"]
mod heap;
#[path = "../tests/support/tools.rs"]
mod tools;

use std::path::Path;
use std::time::Instant;

use liveblocks::storage::Lson;
use liveblocks::{Client, Error, types};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

#[derive(Clone, Copy)]
enum Runner {
    GetLson,
    GetJson,
    MutateNoEdit,
    MutateOneEdit,
    MutateHundredEdits,
}

const RUNNERS: [Runner; 5] = [
    Runner::GetLson,
    Runner::GetJson,
    Runner::MutateNoEdit,
    Runner::MutateOneEdit,
    Runner::MutateHundredEdits,
];

impl Runner {
    fn name(self) -> &'static str {
        match self {
            Runner::GetLson => "get_storage_document (plain LSON, baseline)",
            Runner::GetJson => "get_storage_document (format=json)",
            Runner::MutateNoEdit => "mutate_storage, no edit (tree read only)",
            Runner::MutateOneEdit => "mutate_storage, 1 edit",
            Runner::MutateHundredEdits => "mutate_storage, 100 edits (set a field of 100 items)",
        }
    }
}

async fn room(client: &Client, id: &str, nodes: usize) {
    client
        .create_room()
        .body_map(|b| {
            b.id(id)
                .default_accesses(Vec::<liveblocks::Permission>::new())
        })
        .send()
        .await
        .unwrap();
    let items: Vec<_> = (0..nodes - 2)
        .map(|i| json!({"liveblocksType": "LiveObject", "data": {"n": i, "text": format!("item {i}")}}))
        .collect();
    let tree: types::InitializeStorageDocumentRequestBody = serde_json::from_value(json!({
        "liveblocksType": "LiveObject",
        "data": {"title": "bench", "items": {"liveblocksType": "LiveList", "data": items}}
    }))
    .unwrap();
    client
        .initialize_storage_document()
        .room_id(id)
        .body(tree)
        .send()
        .await
        .unwrap();
}

/// One call: (seconds, peak heap bytes above the level before it).
async fn measure(client: &Client, id: &str, runner: Runner, round: usize) -> (f64, usize) {
    let before = heap::start();
    let started = Instant::now();
    match runner {
        Runner::GetLson => {
            let doc = client
                .get_storage_document()
                .room_id(id)
                .send()
                .await
                .unwrap();
            std::hint::black_box(doc);
        }
        Runner::GetJson => {
            let doc = client
                .get_storage_document()
                .room_id(id)
                .format(types::StorageDocumentFormat::Json)
                .send()
                .await
                .unwrap();
            std::hint::black_box(doc);
        }
        Runner::MutateNoEdit => {
            let len = client
                .mutate_storage(id, |root| Ok::<_, Error>(root.get_list("items")?.len()))
                .await
                .unwrap();
            std::hint::black_box(len);
        }
        Runner::MutateOneEdit => {
            client
                .mutate_storage(id, |root| {
                    root.set("round", round as u64);
                    Ok::<_, Error>(())
                })
                .await
                .unwrap();
        }
        Runner::MutateHundredEdits => {
            client
                .mutate_storage(id, |root| {
                    let mut items = root.get_list("items")?;
                    let step = (items.len() / 100).max(1);
                    for i in (0..items.len()).step_by(step).take(100) {
                        items.get_object(i)?.set("seen", Lson::from(round as u64));
                    }
                    Ok::<_, Error>(())
                })
                .await
                .unwrap();
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    (elapsed, heap::peak_since(before))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn mib(bytes: f64) -> String {
    format!("{:.2} MiB", bytes / 1048576.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo test --benches` runs benches with `--test`: keep that quick.
    let quick = std::env::args().any(|a| a == "--test");
    let (sizes, rounds): (&[usize], usize) = if quick {
        (&[1_000], 2)
    } else {
        (&[1_000, 10_000], 15)
    };
    let dir = devserver::tools_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
    let server = devserver::start(&dir).unwrap_or_else(|e| panic!("{e}"));
    let client = Client::builder()
        .secret_key(devserver::SECRET_KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();

    let mut peaks_by_size = Vec::new();
    for &nodes in sizes {
        let id = format!("bench-{nodes}");
        room(&client, &id, nodes).await;
        let mut times = vec![Vec::new(); RUNNERS.len()];
        let mut peaks = vec![Vec::new(); RUNNERS.len()];
        for round in 0..rounds {
            for k in 0..RUNNERS.len() {
                let r = (k + round) % RUNNERS.len();
                let (t, p) = measure(&client, &id, RUNNERS[r], round).await;
                times[r].push(t);
                peaks[r].push(p as f64);
            }
        }
        let t: Vec<f64> = times.iter_mut().map(|v| median(v)).collect();
        let p: Vec<f64> = peaks.iter_mut().map(|v| median(v)).collect();
        println!("## Storage mutation, {nodes} nodes ({rounds} rounds, medians)\n");
        println!("| runner | ms per call | vs baseline | peak heap | vs baseline |");
        println!("|---|---:|---:|---:|---:|");
        for (r, runner) in RUNNERS.iter().enumerate() {
            println!(
                "| {} | {:.1} | {:.2}x | {} | {:.2}x |",
                runner.name(),
                t[r] * 1000.0,
                t[r] / t[0],
                mib(p[r]),
                p[r] / p[0]
            );
        }
        println!();
        peaks_by_size.push((nodes, p[2]));
    }
    if let [(small, p_small), (large, p_large)] = peaks_by_size[..] {
        println!(
            "Peak heap of the tree read: {} for {small} nodes, {} for {large} nodes ({:.1}x for \
             {:.0}x the nodes).\n",
            mib(p_small),
            mib(p_large),
            p_large / p_small,
            large as f64 / small as f64
        );
    }
    drop(server);
}
