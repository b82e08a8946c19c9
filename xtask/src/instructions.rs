//! `cargo xtask bench --instructions`: instructions executed per request by this crate and by
//! plain reqwest + serde_json, counted by callgrind.
//!
//! Wall-clock and CPU-time figures swing by tens of percent on a shared 2-core machine; an
//! instruction count does not depend on what else the machine is doing. Each client runs the
//! `bench_client` workloads twice under `valgrind --tool=callgrind`, once with a small and once
//! with a large request count, against the same canned server (which runs natively): the
//! difference of the two totals divided by the difference of the request counts is the cost of
//! one request, start-up (TLS roots, runtime, connection set-up) cancelled out. Each figure is
//! the median over the rounds.
//!
//! What the count leaves out: time in the kernel (syscalls, wake-ups) and contention between
//! threads, which only the throughput run (`cargo xtask bench`) shows; callgrind also runs the
//! client's threads one at a time, so "64 in flight" here measures the work, not the waiting.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use crate::bench::{self, CannedServer, median};
use crate::repo_root;

/// Per workload: the name `bench_client` knows, requests in flight, small and large counts.
const WORKLOADS: [(&str, &str, usize, usize, usize); 3] = [
    ("seq", "sequential get_room", 1, 300, 4_300),
    ("conc", "get_room, 64 in flight", 64, 300, 4_300),
    ("pages", "get_rooms pages of 100 rooms", 1, 20, 220),
];

/// The clients compared: plain reqwest + serde_json first (the baseline), then this crate.
const CLIENTS: [&str; 2] = ["raw", "crate"];

/// The goal: at most the CPU goal's multiple of the baseline's instructions.
const GOAL: f64 = bench::CPU_GOAL;

/// Requests a `bench_client run` with `count` sends in all: its untimed warm-up
/// (`(count / 20).clamp(1, 200)`, as in examples/bench_client.rs) plus `count`.
fn sent(count: usize) -> usize {
    count + (count / 20).clamp(1, 200)
}

/// Entry point of `cargo xtask bench --instructions`.
pub fn main(rounds: usize, write: bool) -> Result<ExitCode, String> {
    let version = Command::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|e| {
            format!(
                "valgrind is needed to count instructions (Debian: apt-get install valgrind): {e}"
            )
        })?;
    let valgrind = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let root = repo_root();
    let bench_client = bench::build_bench_client(&root)?;
    let server = CannedServer::start(&bench_client)?;
    eprintln!("xtask bench: canned server on {}", server.url);
    let scratch = std::env::temp_dir().join(format!("liveblocks-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;

    let mut rows = Vec::new();
    for (key, title, inflight, small, large) in WORKLOADS {
        let mut per_client = Vec::new();
        for client in CLIENTS {
            let mut figures = Vec::new();
            for round in 0..rounds {
                eprint!(
                    "xtask bench: callgrind {key} {client}, round {}/{rounds} ... ",
                    round + 1
                );
                let a = count(
                    &bench_client,
                    &scratch,
                    client,
                    key,
                    &server.url,
                    small,
                    inflight,
                )?;
                let b = count(
                    &bench_client,
                    &scratch,
                    client,
                    key,
                    &server.url,
                    large,
                    inflight,
                )?;
                let per_request = b.saturating_sub(a) as f64 / (sent(large) - sent(small)) as f64;
                eprintln!("{per_request:.0} instructions per request");
                figures.push(per_request);
            }
            per_client.push(median(figures));
        }
        rows.push((title, inflight, per_client));
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&scratch);

    let mut out = format!(
        "## Instructions per request (callgrind, {})\n\nMachine: {}. {valgrind}, median of \
         {rounds} round(s); per request = (total at the large count - total at the small count) \
         / the difference in requests sent, so start-up cancels out. Run: `cargo xtask bench \
         --instructions`.\n\n| workload | raw reqwest + serde_json | this crate | ratio | goal <= \
         {GOAL:.2}x |\n|---|---:|---:|---:|---|\n",
        bench::utc_now(),
        bench::machine_description(),
    );
    for (title, inflight, figures) in &rows {
        let (raw, ours) = (figures[0], figures[1]);
        let ratio = ours / raw;
        let verdict = if ratio <= GOAL {
            "met".to_owned()
        } else {
            format!("**missed** by {:.1}%", (ratio / GOAL - 1.0) * 100.0)
        };
        let title = if *inflight > 1 {
            title.to_string()
        } else {
            format!("{title}, one at a time")
        };
        out.push_str(&format!(
            "| {title} | {raw:.0} | {ours:.0} | {ratio:.3}x | {verdict} |\n"
        ));
    }
    println!("{out}");
    if write {
        bench::append_benchmarks(
            &root,
            "<!-- instructions: cargo xtask bench --instructions -->",
            &out,
        )?;
        eprintln!("xtask bench: appended to BENCHMARKS.md");
    }
    Ok(ExitCode::SUCCESS)
}

/// Instructions the client process executes for `bench_client run CLIENT WORKLOAD URL N ..`.
fn count(
    bench_client: &Path,
    scratch: &Path,
    client: &str,
    workload: &str,
    url: &str,
    requests: usize,
    inflight: usize,
) -> Result<u64, String> {
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!(
            "--callgrind-out-file={}",
            scratch.join("callgrind.out.%p").display()
        ))
        .arg(bench_client)
        .args(["run", client, workload, url])
        .args([requests.to_string(), inflight.to_string()])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`bench_client run {client} {workload}` under callgrind failed ({}): {}",
            output.status,
            stderr.trim()
        ));
    }
    collected(&stderr).ok_or_else(|| {
        format!("callgrind printed no `Collected :` total for {client} {workload}: {stderr}")
    })
}

/// The total in callgrind's `==PID== Collected : 123456` line.
fn collected(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let (_, rest) = line.split_once("Collected :")?;
        rest.trim().replace(',', "").parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_callgrind_total() {
        let stderr = "==77== Callgrind, a call-graph generating cache profiler\n\
                      ==77== Events    : Ir\n==77== Collected : 1141843429\n\
                      ==77==\n==77== I   refs:      1,141,843,429\n";
        assert_eq!(collected(stderr), Some(1_141_843_429));
        assert_eq!(collected("==77== no total\n"), None);
    }

    #[test]
    fn counts_the_warm_up_like_the_bench_client() {
        assert_eq!(sent(300), 315);
        assert_eq!(sent(4_300), 4_500);
        assert_eq!(sent(20), 21);
        assert_eq!(sent(220), 231);
    }
}
