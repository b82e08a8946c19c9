//! `cargo xtask bench`: request throughput, CPU per request and peak memory of this crate against
//! plain reqwest and the official Python and Node SDKs; `cargo xtask bench --build`: build times;
//! `cargo xtask bench --instructions`: instructions per request under callgrind (`instructions.rs`).
//!
//! Throughput: the harness builds `examples/bench_client.rs` in release, installs the official
//! Python SDK (PyPI `liveblocks`) into a venv under `.tools/bench-py` and the Node SDK
//! (`@liveblocks/node`) under `.tools/bench-node`, starts the canned server
//! (`bench_client serve`) on 127.0.0.1, then runs every client as its own process, workload by
//! workload, rotating the order of the clients every round. Each client reports its timed
//! wall-clock time and CPU time; the harness reads its peak RSS from `wait4` and the server's CPU
//! time from `/proc`. Medians over the rounds are printed and appended to `BENCHMARKS.md`.
//!
//! Build time: from fresh target folders under the system temporary folder, a clean debug build
//! of the library, the rebuild after editing one field description in the real spec (restored
//! afterwards, also when the build fails), a clean release build, a clean debug build with
//! rustls instead of native-tls, and one with the `schemars` feature (`JsonSchema` for every
//! type).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, repo_root, tools};

const USAGE: &str =
    "usage: cargo xtask bench [--rounds N] [--quick] [--clients raw,crate,python,node] [--no-write]
       cargo xtask bench --build [--no-write] [--skip-rustls] [--skip-release] [--skip-schemars]
       cargo xtask bench --instructions [--rounds N] [--no-write]
";

/// The request-overhead goals against plain reqwest, at every workload: at least this share of
/// its throughput, at most this multiple of its CPU per request.
const THROUGHPUT_GOAL: f64 = 0.95;
pub(crate) const CPU_GOAL: f64 = 1.10;

/// A client process still running after this long is stopped.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Client {
    Raw,
    Crate,
    Python,
    Node,
}

impl Client {
    const ALL: [Client; 4] = [Client::Raw, Client::Crate, Client::Python, Client::Node];

    fn parse(name: &str) -> Option<Client> {
        Client::ALL.into_iter().find(|c| c.key() == name)
    }

    fn key(self) -> &'static str {
        match self {
            Client::Raw => "raw",
            Client::Crate => "crate",
            Client::Python => "python",
            Client::Node => "node",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Client::Raw => "raw reqwest + serde_json",
            Client::Crate => "liveblocks (this crate)",
            Client::Python => "official Python SDK",
            Client::Node => "official Node SDK",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Workload {
    Seq,
    Conc,
    Pages,
}

impl Workload {
    const ALL: [Workload; 3] = [Workload::Seq, Workload::Conc, Workload::Pages];

    fn key(self) -> &'static str {
        match self {
            Workload::Seq => "seq",
            Workload::Conc => "conc",
            Workload::Pages => "pages",
        }
    }

    /// (requests, requests in flight) of the full-size run.
    fn size(self) -> (usize, usize) {
        match self {
            Workload::Seq => (5_000, 1),
            Workload::Conc => (20_000, 64),
            Workload::Pages => (500, 1),
        }
    }

    fn title(self, count: usize, inflight: usize) -> String {
        match self {
            Workload::Seq => format!("{count} sequential get_room"),
            Workload::Conc => format!("{count} get_room, {inflight} in flight"),
            Workload::Pages => format!("{count} get_rooms pages of 100 rooms, sequential"),
        }
    }
}

/// One run of one client on one workload.
#[derive(Clone, Copy, Debug)]
struct Sample {
    requests: usize,
    /// Timed wall-clock seconds (reported by the client).
    seconds: f64,
    /// CPU seconds of the client during the timed part (reported by the client).
    cpu: f64,
    /// CPU seconds of the whole client process, start-up included (wait4).
    cpu_total: f64,
    /// Peak resident set of the client process, bytes (wait4).
    max_rss: u64,
    /// CPU seconds the server spent while the client process ran.
    server_cpu: f64,
    /// Wall-clock seconds of the whole client process.
    elapsed: f64,
}

impl Sample {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    fn cpu_per_1k(&self) -> f64 {
        self.cpu / self.requests as f64 * 1000.0
    }
    fn server_share(&self) -> f64 {
        self.server_cpu / self.elapsed
    }
}

/// Entry point: `args` are the arguments after `bench`.
pub fn main(args: &[String]) -> Result<ExitCode, String> {
    let mut rounds = 3usize;
    let mut quick = false;
    let mut write = true;
    let mut build = false;
    let mut instructions = false;
    let mut rustls = true;
    let mut release = true;
    let mut schemars = true;
    let mut clients = Client::ALL.to_vec();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = iter
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--rounds needs a positive number")?;
            }
            "--quick" => quick = true,
            "--no-write" => write = false,
            "--build" => build = true,
            "--skip-rustls" => rustls = false,
            "--instructions" => instructions = true,
            "--skip-release" => release = false,
            "--skip-schemars" => schemars = false,
            "--clients" => {
                let list = iter.next().ok_or("--clients needs a list")?;
                clients = list
                    .split(',')
                    .map(|name| {
                        Client::parse(name.trim()).ok_or(format!("unknown client {name:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if build {
        return build_times(
            write,
            BuildRows {
                rustls,
                release,
                schemars,
            },
        );
    }
    if instructions {
        return crate::instructions::main(rounds, write);
    }
    throughput(rounds, quick, write, &clients)
}

// ---------------------------------------------------------------------------------------------
// Throughput

fn throughput(
    rounds: usize,
    quick: bool,
    write: bool,
    clients: &[Client],
) -> Result<ExitCode, String> {
    let root = repo_root();
    let machine = machine_description();
    let bench_client = build_bench_client(&root)?;

    let mut versions = BTreeMap::new();
    let python = if clients.contains(&Client::Python) {
        let python = ensure_python(&root)?;
        versions.insert(Client::Python, python_sdk_version(&python)?);
        Some(python)
    } else {
        None
    };
    let node_dir = if clients.contains(&Client::Node) {
        let dir = ensure_node(&root)?;
        versions.insert(Client::Node, node_sdk_version(&dir)?);
        Some(dir)
    } else {
        None
    };

    let server = CannedServer::start(&bench_client)?;
    eprintln!("xtask bench: canned server on {}", server.url);
    let scripts = root.join("xtask/bench");
    let command_for = |client: Client, workload: Workload, count: usize, inflight: usize| {
        let rest = [
            workload.key().to_owned(),
            server.url.clone(),
            count.to_string(),
            inflight.to_string(),
        ];
        let mut command = match client {
            Client::Raw | Client::Crate => {
                let mut c = Command::new(&bench_client);
                c.args(["run", client.key()]);
                c
            }
            Client::Python => {
                let mut c = Command::new(python.as_ref().expect("python is set up"));
                c.arg(scripts.join("sdk_bench.py"));
                c
            }
            Client::Node => {
                let mut c = Command::new("node");
                c.arg(scripts.join("sdk_bench.mjs")).env(
                    "LIVEBLOCKS_BENCH_NODE_DIR",
                    node_dir.as_ref().expect("node is set up"),
                );
                c
            }
        };
        command.args(rest).current_dir(&root);
        command
    };

    let mut samples: BTreeMap<(Workload, Client), Vec<Sample>> = BTreeMap::new();
    for round in 0..rounds {
        for workload in Workload::ALL {
            let (mut count, inflight) = workload.size();
            if quick {
                count /= 10;
            }
            let mut order = clients.to_vec();
            order.rotate_left(round % clients.len());
            for client in order {
                let count = requests_for(client, workload, count);
                eprint!(
                    "xtask bench: round {}/{rounds}, {} {count}, {} ... ",
                    round + 1,
                    workload.key(),
                    client.key()
                );
                let sample = run_client(
                    command_for(client, workload, count, inflight),
                    server.child.id(),
                    count,
                )
                .map_err(|e| format!("{} on {}: {e}", client.label(), workload.key()))?;
                eprintln!(
                    "{:.0} req/s, {:.3} CPU s / 1k req",
                    sample.rate(),
                    sample.cpu_per_1k()
                );
                samples.entry((workload, client)).or_default().push(sample);
            }
        }
    }
    drop(server);

    let report = throughput_report(&samples, clients, rounds, quick, &machine, &versions);
    println!("{report}");
    if write {
        append_benchmarks(&root, "<!-- sdk-comparison: cargo xtask bench -->", &report)?;
        eprintln!("xtask bench: appended to BENCHMARKS.md");
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds `examples/bench_client.rs` in release; returns the binary's path.
pub(crate) fn build_bench_client(root: &Path) -> Result<PathBuf, String> {
    eprintln!("xtask bench: building examples/bench_client.rs (release) ...");
    let status = cargo()
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--example", "bench_client"])
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !status.success() {
        return Err("building the bench client failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release/examples/bench_client"))
}

/// The number of requests `client` sends in `workload`: the official Python SDK's async client
/// manages well under 100 requests/s at 64 in flight on the reference machine, so it sends a
/// tenth of the others' (its rate and CPU per request are still comparable).
fn requests_for(client: Client, workload: Workload, count: usize) -> usize {
    if client == Client::Python && workload == Workload::Conc {
        (count / 10).max(1)
    } else {
        count
    }
}

pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Median figures of one client on one workload.
#[derive(Clone, Copy)]
struct Figures {
    requests: usize,
    rate: f64,
    spread: f64,
    cpu_per_1k: f64,
    cpu_total: f64,
    rss_mib: f64,
    server_share: f64,
}

fn figures(samples: &[Sample]) -> Figures {
    let rates: Vec<f64> = samples.iter().map(Sample::rate).collect();
    let rate = median(rates.clone());
    let (lo, hi) = rates
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    Figures {
        requests: samples.first().map_or(0, |s| s.requests),
        rate,
        spread: (hi - lo) / rate,
        cpu_per_1k: median(samples.iter().map(Sample::cpu_per_1k).collect()),
        cpu_total: median(samples.iter().map(|s| s.cpu_total).collect()),
        rss_mib: median(
            samples
                .iter()
                .map(|s| s.max_rss as f64 / 1048576.0)
                .collect(),
        ),
        server_share: median(samples.iter().map(Sample::server_share).collect()),
    }
}

/// The median over the rounds of `ours / theirs` within each round (the runs of one round are
/// adjacent in time, so they share the machine's state): on a shared machine whose speed jumps
/// between states, the ratio of the two medians can compare rounds taken in different states.
/// `None` without a pair.
fn paired_ratio(ours: &[Sample], theirs: &[Sample], pick: fn(&Sample) -> f64) -> Option<f64> {
    let ratios: Vec<f64> = ours
        .iter()
        .zip(theirs)
        .map(|(o, t)| pick(o) / pick(t))
        .filter(|r| r.is_finite())
        .collect();
    (!ratios.is_empty()).then(|| median(ratios))
}

fn ratio(a: f64, b: f64) -> String {
    if a.is_finite() && b.is_finite() && b > 0.0 {
        format!("{:.2}x", a / b)
    } else {
        "-".into()
    }
}

fn throughput_report(
    samples: &BTreeMap<(Workload, Client), Vec<Sample>>,
    clients: &[Client],
    rounds: usize,
    quick: bool,
    machine: &str,
    versions: &BTreeMap<Client, String>,
) -> String {
    let mut out = String::new();
    let push = |out: &mut String, line: &str| {
        out.push_str(line);
        out.push('\n');
    };
    push(
        &mut out,
        &format!(
            "## Request overhead against plain reqwest and the official SDKs ({})\n",
            utc_now()
        ),
    );
    push(&mut out, &format!("Machine: {machine}."));
    let mut peers = Vec::new();
    if let Some(v) = versions.get(&Client::Python) {
        peers.push(format!("Python SDK `liveblocks` {v}"));
    }
    if let Some(v) = versions.get(&Client::Node) {
        peers.push(format!("Node SDK `@liveblocks/node` {v}"));
    }
    push(
        &mut out,
        &format!(
            "Run: `cargo xtask bench{}`, {rounds} interleaved round(s), medians; {}. Canned axum \
             server (2 worker threads) on 127.0.0.1 in its own process.\n",
            if quick { " --quick" } else { "" },
            if peers.is_empty() {
                "no official SDK".to_owned()
            } else {
                peers.join(", ")
            }
        ),
    );

    let mut targets = Vec::new();
    for workload in Workload::ALL {
        let fig: BTreeMap<Client, Figures> = clients
            .iter()
            .filter_map(|c| Some((*c, figures(samples.get(&(workload, *c))?))))
            .collect();
        let Some(any) = samples.get(&(workload, clients[0])) else {
            continue;
        };
        let (_, inflight) = workload.size();
        push(
            &mut out,
            &format!("### {}\n", workload.title(any[0].requests, inflight)),
        );
        push(
            &mut out,
            "| client | requests | req/s | vs raw | spread | CPU s / 1k req | vs raw | process CPU s | peak RSS | vs raw | server CPU |",
        );
        push(
            &mut out,
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        );
        let raw = fig.get(&Client::Raw).copied();
        for (client, f) in &fig {
            let vs = |pick: fn(&Figures) -> f64| {
                raw.map_or("-".to_owned(), |r| ratio(pick(f), pick(&r)))
            };
            push(
                &mut out,
                &format!(
                    "| {} | {} | {:.0} | {} | {:.0}% | {:.3} | {} | {:.2} | {:.1} MiB | {} | {:.0}% |",
                    client.label(),
                    f.requests,
                    f.rate,
                    vs(|f| f.rate),
                    f.spread * 100.0,
                    f.cpu_per_1k,
                    vs(|f| f.cpu_per_1k),
                    f.cpu_total,
                    f.rss_mib,
                    vs(|f| f.rss_mib),
                    f.server_share * 100.0,
                ),
            );
        }
        if let Some(ours) = fig.get(&Client::Crate) {
            push(&mut out, "");
            push(
                &mut out,
                "| this crate against | throughput | CPU per request | peak RSS |",
            );
            push(&mut out, "|---|---:|---:|---:|");
            for peer in [Client::Raw, Client::Python, Client::Node] {
                if let Some(p) = fig.get(&peer) {
                    push(
                        &mut out,
                        &format!(
                            "| {} | {} | {} | {} |",
                            peer.label(),
                            ratio(ours.rate, p.rate),
                            ratio(ours.cpu_per_1k, p.cpu_per_1k),
                            ratio(ours.rss_mib, p.rss_mib)
                        ),
                    );
                }
            }
            if let (Some(o), Some(r)) = (
                samples.get(&(workload, Client::Crate)),
                samples.get(&(workload, Client::Raw)),
            ) && let (Some(rate), Some(cpu)) = (
                paired_ratio(o, r, Sample::rate),
                paired_ratio(o, r, Sample::cpu_per_1k),
            ) {
                push(&mut out, "");
                push(
                    &mut out,
                    &format!(
                        "Paired with raw reqwest round by round (median of the per-round \
                         ratios): throughput {rate:.2}x, CPU per request {cpu:.2}x."
                    ),
                );
            }
            if let Some(r) = raw {
                targets.push(target_line(
                    &format!(
                        "{}: throughput >= {THROUGHPUT_GOAL:.2}x raw reqwest",
                        workload.key()
                    ),
                    ours.rate / r.rate,
                    THROUGHPUT_GOAL,
                    true,
                ));
                targets.push(target_line(
                    &format!(
                        "{}: CPU per request <= {CPU_GOAL:.2}x raw reqwest",
                        workload.key()
                    ),
                    ours.cpu_per_1k / r.cpu_per_1k,
                    CPU_GOAL,
                    false,
                ));
            }
            let wanted: &[(Client, f64)] = match workload {
                Workload::Seq => &[(Client::Python, 4.0), (Client::Node, 3.0)],
                Workload::Conc => &[(Client::Node, 6.0)],
                Workload::Pages => &[],
            };
            for (peer, goal) in wanted {
                if let Some(p) = fig.get(peer) {
                    targets.push(target_line(
                        &format!(
                            "{}: throughput >= {goal:.0}x the {}",
                            workload.key(),
                            peer.label()
                        ),
                        ours.rate / p.rate,
                        *goal,
                        true,
                    ));
                }
            }
        }
        push(&mut out, "");
    }
    if !targets.is_empty() {
        push(&mut out, "### Targets\n");
        for line in targets {
            push(&mut out, &format!("- {line}"));
        }
        push(&mut out, "");
    }
    push(
        &mut out,
        "CPU s / 1k req: the client's user + system CPU during the timed part (after a warm-up), \
         per 1,000 requests. Process CPU s: the whole client process, start-up included. Peak \
         RSS: the client process (wait4). Server CPU: the canned server's CPU time over the \
         client process's lifetime (100% = one core). Spread: (max - min) / median of req/s.",
    );
    out
}

fn target_line(name: &str, value: f64, goal: f64, at_least: bool) -> String {
    let met = if at_least {
        value >= goal
    } else {
        value <= goal
    };
    let by = ((value - goal) / goal * 100.0).abs();
    if met {
        format!("{name}: {value:.2}x, met ({by:.0}% margin)")
    } else {
        format!("{name}: {value:.2}x, **missed** by {by:.0}%")
    }
}

/// Runs one client process to completion; reads its `RESULT` line and its resource usage.
fn run_client(mut command: Command, server_pid: u32, count: usize) -> Result<Sample, String> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let server_before = process_cpu(server_pid)?;
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start {command:?}: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut out_text = String::new();
    let reader = std::thread::spawn(move || {
        let _ = stdout.read_to_string(&mut out_text);
        out_text
    });
    let usage = wait_with_usage(&mut child, CLIENT_TIMEOUT)?;
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = process_cpu(server_pid)? - server_before;
    let out_text = reader.join().unwrap_or_default();
    let err_text = err_reader.join().unwrap_or_default();
    if !usage.success {
        return Err(format!(
            "exited with failure: {}",
            tail(&format!("{out_text}{err_text}"), 1500)
        ));
    }
    let line = out_text
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .ok_or_else(|| format!("no RESULT line: {}", tail(&out_text, 500)))?;
    let field = |name: &str| -> Result<f64, String> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("no {name} in {line:?}"))
    };
    let requests = field("requests")? as usize;
    if requests != count {
        return Err(format!("asked for {count} requests, it reports {requests}"));
    }
    Ok(Sample {
        requests,
        seconds: field("seconds")?,
        cpu: field("cpu")?,
        cpu_total: usage.cpu,
        max_rss: usage.max_rss,
        server_cpu,
        elapsed,
    })
}

fn tail(text: &str, chars: usize) -> String {
    let all: Vec<char> = text.chars().collect();
    all[all.len().saturating_sub(chars)..].iter().collect()
}

/// What `wait4` reports about a finished child.
struct Usage {
    success: bool,
    /// User + system CPU seconds.
    cpu: f64,
    /// Peak resident set, bytes.
    max_rss: u64,
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod sys {
    /// `struct timeval` on 64-bit Linux.
    #[repr(C)]
    #[derive(Default)]
    pub struct Timeval {
        pub sec: i64,
        pub usec: i64,
    }

    /// `struct rusage` on 64-bit Linux: two timevals, then 14 longs (the first is `ru_maxrss`
    /// in KiB).
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub utime: Timeval,
        pub stime: Timeval,
        pub maxrss: i64,
        pub rest: [i64; 13],
    }

    unsafe extern "C" {
        pub fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    }

    pub const WNOHANG: i32 = 1;
}

/// Waits for `child` with `wait4` (polling, so that a hung client is killed after `limit`) and
/// returns its exit state and resource usage.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn wait_with_usage(child: &mut std::process::Child, limit: Duration) -> Result<Usage, String> {
    let pid = i32::try_from(child.id()).map_err(|_| "pid out of range")?;
    let started = Instant::now();
    let mut killed = false;
    loop {
        let mut status = 0i32;
        let mut usage = sys::Rusage::default();
        // SAFETY: `status` and `usage` are valid, writable and laid out as the C structs.
        let done = unsafe { sys::wait4(pid, &mut status, sys::WNOHANG, &mut usage) };
        if done == pid {
            // WIFEXITED && WEXITSTATUS == 0
            let success = !killed && (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0;
            let seconds = |t: &sys::Timeval| t.sec as f64 + t.usec as f64 / 1e6;
            return Ok(Usage {
                success,
                cpu: seconds(&usage.utime) + seconds(&usage.stime),
                max_rss: u64::try_from(usage.maxrss).unwrap_or(0) * 1024,
            });
        }
        if done < 0 {
            return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
        }
        if !killed && started.elapsed() > limit {
            eprintln!("xtask bench: client exceeded {limit:?}, stopping it");
            let _ = child.kill();
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn wait_with_usage(_child: &mut std::process::Child, _limit: Duration) -> Result<Usage, String> {
    Err("cargo xtask bench measures processes with wait4 and /proc: it runs on 64-bit Linux".into())
}

/// User + system CPU seconds of a running process, from `/proc/PID/stat`.
fn process_cpu(pid: u32) -> Result<f64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("cannot read /proc/{pid}/stat: {e}"))?;
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After "(comm)": state is field 3, utime field 14, stime field 15 (clock ticks, 100/s).
    let ticks = |i: usize| -> Result<f64, String> {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| format!("unexpected /proc/{pid}/stat"))
    };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// The canned server process; dropping it closes its standard input (it then stops) and
/// kills it by PID if it has not stopped within two seconds.
pub(crate) struct CannedServer {
    child: std::process::Child,
    pub(crate) url: String,
}

impl CannedServer {
    pub(crate) fn start(program: &Path) -> Result<CannedServer, String> {
        let mut child = Command::new(program)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", program.display()))?;
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        // Read the first line ("listening http://127.0.0.1:PORT") byte by byte.
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while line.len() < 200 {
            match stdout.read(&mut byte) {
                Ok(1) if byte[0] == b'\n' => break,
                Ok(1) => line.push(byte[0]),
                _ => break,
            }
        }
        let mut server = CannedServer {
            child,
            url: String::new(),
        };
        let line = String::from_utf8_lossy(&line).into_owned();
        server.url = line
            .strip_prefix("listening ")
            .ok_or_else(|| format!("the canned server said {line:?}"))?
            .trim()
            .to_owned();
        Ok(server)
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(2) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates the venv `.tools/bench-py` and installs the official Python SDK into it when
/// missing; returns the venv's Python.
fn ensure_python(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".tools/bench-py");
    let python = venv.join("bin/python");
    if !python.is_file() {
        let base = std::env::var_os("LIVEBLOCKS_BENCH_PYTHON").unwrap_or_else(|| "python3".into());
        eprintln!("xtask bench: creating the venv {} ...", venv.display());
        let status = Command::new(&base)
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .map_err(|e| format!("could not run {base:?} (install Python 3.11+): {e}"))?;
        if !status.success() {
            return Err(format!("`{base:?} -m venv` failed ({status})"));
        }
    }
    let present = Command::new(&python)
        .args(["-c", "import liveblocks"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        eprintln!("xtask bench: installing the official Python SDK (PyPI `liveblocks`) ...");
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "liveblocks",
            ])
            .status()
            .map_err(|e| format!("could not run pip: {e}"))?;
        if !status.success() {
            return Err(format!("`pip install liveblocks` failed ({status})"));
        }
    }
    Ok(python)
}

fn python_sdk_version(python: &Path) -> Result<String, String> {
    let out = Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('liveblocks'))",
        ])
        .output()
        .map_err(|e| format!("could not run {}: {e}", python.display()))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Installs `@liveblocks/node` into `.tools/bench-node` when missing; returns the folder.
fn ensure_node(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".tools/bench-node");
    if !dir
        .join("node_modules/@liveblocks/node/package.json")
        .is_file()
    {
        eprintln!("xtask bench: installing the official Node SDK (@liveblocks/node) ...");
        tools::npm_install(&dir, &["@liveblocks/node"])?;
    }
    Ok(dir)
}

fn node_sdk_version(dir: &Path) -> Result<String, String> {
    let manifest = dir.join("node_modules/@liveblocks/node/package.json");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let after = text
        .split_once("\"version\"")
        .map(|(_, rest)| rest)
        .ok_or("no version in @liveblocks/node's package.json")?;
    Ok(after
        .split('"')
        .nth(1)
        .unwrap_or("unknown")
        .trim()
        .to_owned())
}

// ---------------------------------------------------------------------------------------------
// Build time

/// Where the spec is saved while `--build` edits it; restored at the next start if a run was
/// killed before it could restore the file itself.
fn spec_backup(root: &Path) -> PathBuf {
    root.join("target/xtask-bench-spec.orig.yaml")
}

/// Puts the spec back when dropped (also on error or panic).
struct SpecEdit {
    spec: PathBuf,
    backup: PathBuf,
    original: Vec<u8>,
}

impl SpecEdit {
    /// Appends a few words to the description of the first property of the `Room` schema.
    fn apply(root: &Path) -> Result<SpecEdit, String> {
        let spec = root.join("openapi/liveblocks.yaml");
        let backup = spec_backup(root);
        let original = std::fs::read(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let text = String::from_utf8(original.clone()).map_err(|e| e.to_string())?;
        let edited = edit_room_field_description(&text)?;
        if let Some(parent) = backup.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&backup, &original).map_err(|e| format!("{}: {e}", backup.display()))?;
        let guard = SpecEdit {
            spec,
            backup,
            original,
        };
        std::fs::write(&guard.spec, edited)
            .map_err(|e| format!("{}: {e}", guard.spec.display()))?;
        Ok(guard)
    }
}

impl Drop for SpecEdit {
    fn drop(&mut self) {
        match std::fs::write(&self.spec, &self.original) {
            Ok(()) => {
                let _ = std::fs::remove_file(&self.backup);
            }
            Err(e) => eprintln!(
                "xtask bench: could not restore {} ({e}); its original is in {}",
                self.spec.display(),
                self.backup.display()
            ),
        }
    }
}

/// Restores the spec from a backup left by an interrupted `--build` run.
fn restore_leftover_spec(root: &Path) -> Result<(), String> {
    let backup = spec_backup(root);
    if backup.is_file() {
        let spec = root.join("openapi/liveblocks.yaml");
        eprintln!(
            "xtask bench: restoring {} from a previous interrupted run",
            spec.display()
        );
        std::fs::copy(&backup, &spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        std::fs::remove_file(&backup).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The spec with " (edited)" added to the first property description of the `Room` schema.
fn edit_room_field_description(text: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.trim_end() == "    Room:")
        .ok_or("no `Room` schema in the spec")?;
    let properties = (start + 1..lines.len())
        .find(|&i| lines[i].trim_end() == "      properties:")
        .ok_or("no properties in the `Room` schema")?;
    let index = (properties + 1..lines.len())
        .take_while(|&i| lines[i].starts_with("        ") || lines[i].trim().is_empty())
        .find(|&i| lines[i].starts_with("          description: "))
        .ok_or("no property description in the `Room` schema")?;
    let line = lines[index].trim_end_matches(['\n', '\r']);
    let edited = match line.chars().last() {
        Some(q @ ('\'' | '"')) => format!("{} (edited){q}\n", &line[..line.len() - 1]),
        _ => format!("{line} (edited)\n"),
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, l) in lines.iter().enumerate() {
        if i == index {
            out.push_str(&edited);
        } else {
            out.push_str(l);
        }
    }
    Ok(out)
}

/// A temporary target folder, removed when dropped.
struct TempTarget(PathBuf);

impl TempTarget {
    fn new(name: &str) -> Result<TempTarget, String> {
        let dir = std::env::temp_dir().join(format!("liveblocks-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(TempTarget(dir))
    }
}

impl Drop for TempTarget {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one timed build took.
struct Build {
    /// Wall-clock seconds.
    seconds: f64,
    /// User + system CPU seconds of cargo and every compiler and build script it ran.
    cpu: f64,
    /// Crates compiled.
    units: usize,
}

/// Runs `cargo build --lib ARGS` into `target`.
fn timed_build(root: &Path, target: &Path, args: &[&str]) -> Result<Build, String> {
    eprintln!(
        "xtask bench: cargo build --lib {} (target {}) ...",
        args.join(" "),
        target.display()
    );
    let started = Instant::now();
    let mut child = cargo()
        .current_dir(root)
        .args(["build", "--lib", "--package", "liveblocks"])
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTC_WRAPPER")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    // wait4 reports cargo's CPU time together with that of the processes it waited for.
    let usage = wait_with_usage(&mut child, Duration::from_secs(3600))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = reader.join().unwrap_or_default();
    if !usage.success {
        return Err(format!("the build failed: {}", tail(&stderr, 2000)));
    }
    let units = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    eprintln!(
        "xtask bench:   {seconds:.1} s, {:.1} CPU s, {units} crates compiled",
        usage.cpu
    );
    Ok(Build {
        seconds,
        cpu: usage.cpu,
        units,
    })
}

/// The optional rows of `--build`.
struct BuildRows {
    rustls: bool,
    release: bool,
    schemars: bool,
}

fn build_times(write: bool, optional: BuildRows) -> Result<ExitCode, String> {
    let root = repo_root();
    restore_leftover_spec(&root)?;
    let machine = machine_description();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let mut rows: Vec<(String, Build, Option<f64>)> = Vec::new();
    {
        let target = TempTarget::new("build-native-tls")?;
        let debug = timed_build(&root, &target.0, &[])?;
        rows.push((
            "clean debug build (default features: native-tls)".into(),
            debug,
            Some(60.0),
        ));
        let edit = {
            let _edit = SpecEdit::apply(&root)?;
            timed_build(&root, &target.0, &[])?
            // `_edit` restores the spec here, also when the build above failed.
        };
        rows.push((
            "debug rebuild after a one-field spec edit".into(),
            edit,
            Some(15.0),
        ));
        if optional.release {
            let release = timed_build(&root, &target.0, &["--release"])?;
            rows.push((
                "clean release build (default features: native-tls)".into(),
                release,
                None,
            ));
        }
    }
    if optional.schemars {
        let target = TempTarget::new("build-schemars")?;
        let debug = timed_build(&root, &target.0, &["--features", "schemars"])?;
        rows.push((
            "clean debug build (`--features schemars`)".into(),
            debug,
            None,
        ));
    }
    if optional.rustls {
        let target = TempTarget::new("build-rustls")?;
        let debug = timed_build(
            &root,
            &target.0,
            &["--no-default-features", "--features", "rustls"],
        )?;
        rows.push((
            "clean debug build (`--no-default-features --features rustls`)".into(),
            debug,
            Some(60.0),
        ));
    }
    let mut out = format!("## Build time ({})\n\n", utc_now());
    out.push_str(&format!(
        "Machine: {machine}. Run: `cargo xtask bench --build`; every build is `cargo build --lib` \
         of this crate into a fresh, empty target folder (the spec-edit rebuild reuses the \
         debug one). CPU s: user + system time of cargo, rustc and the build scripts; on a \
         shared machine it is steadier than the wall-clock time. Idle estimate: CPU s / {cores:.0} \
         cores, a lower bound for an idle machine.\n\n"
    ));
    out.push_str(
        "| build | wall s | CPU s | idle estimate s | crates compiled | target (wall) |\n\
         |---|---:|---:|---:|---:|---|\n",
    );
    for (name, build, goal) in &rows {
        let target = match goal {
            Some(g) if build.seconds < *g => format!("< {g:.0} s: met"),
            Some(g) => format!(
                "< {g:.0} s: **missed** by {:.0}%",
                (build.seconds / g - 1.0) * 100.0
            ),
            None => "-".into(),
        };
        out.push_str(&format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {} | {target} |\n",
            build.seconds,
            build.cpu,
            build.cpu / cores,
            build.units
        ));
    }
    println!("{out}");
    if write {
        append_benchmarks(
            &root,
            "<!-- build-time: cargo xtask bench --build -->",
            &out,
        )?;
        eprintln!("xtask bench: appended to BENCHMARKS.md");
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// Shared

/// Appends `section` to BENCHMARKS.md under `marker`, once: a section already at the end of the
/// file under the same marker is not written a second time.
pub(crate) fn append_benchmarks(root: &Path, marker: &str, section: &str) -> Result<(), String> {
    let path = root.join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    std::fs::write(&path, with_section(text, marker, section))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// `text` with `section` appended under `marker`, unless it already ends with exactly that.
fn with_section(mut text: String, marker: &str, section: &str) -> String {
    let block = format!("\n{marker}\n\n{}\n", section.trim_end());
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.ends_with(&block) {
        text.push_str(&block);
    }
    text
}

/// The current UTC date and time, `YYYY-MM-DD HH:MM UTC`.
pub(crate) fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// CPU model, core count, kernel and load average, for the record.
pub(crate) fn machine_description() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| std::env::consts::OS.to_owned());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    format!(
        "{cpu}, {cores} cores, Linux {kernel} {}, load average {load} at start",
        std::env::consts::ARCH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_edit_touches_one_room_description() {
        let spec = "components:\n  schemas:\n    Other:\n      properties:\n        a:\n          description: not this\n    Room:\n      type: object\n      properties:\n        type:\n          type: string\n          description: 'Always `room`.'\n        id:\n          description: The id.\n";
        let edited = edit_room_field_description(spec).unwrap();
        assert_eq!(
            edited,
            spec.replace("'Always `room`.'", "'Always `room`. (edited)'")
        );
        assert!(edit_room_field_description("nothing: here\n").is_err());
    }

    #[test]
    fn a_section_is_appended_once_under_its_marker() {
        let marker = "<!-- instructions: cargo xtask bench --instructions -->";
        let section = "## Instructions per request\n\n| a | b |\n";
        let once = with_section("# Benchmarks\n\nintro".into(), marker, section);
        assert_eq!(
            once,
            format!(
                "# Benchmarks\n\nintro\n\n{marker}\n\n## Instructions per request\n\n| a | b |\n"
            )
        );
        assert_eq!(once.matches(marker).count(), 1);
        assert_eq!(with_section(once.clone(), marker, section), once);
        let other = with_section(
            once.clone(),
            marker,
            "## Instructions per request\n\n| c |\n",
        );
        assert_eq!(other.matches(marker).count(), 2, "a new run is kept");
    }

    #[test]
    fn paired_ratios_compare_within_each_round() {
        let sample = |seconds: f64, cpu: f64| Sample {
            requests: 100,
            seconds,
            cpu,
            cpu_total: cpu,
            max_rss: 0,
            server_cpu: 0.0,
            elapsed: seconds,
        };
        // The machine is twice as fast in rounds 1 and 3; this crate takes 10% longer in each.
        let raw = [sample(1.0, 1.0), sample(2.0, 2.0), sample(1.0, 1.0)];
        let ours = [sample(1.1, 1.1), sample(2.2, 2.2), sample(1.1, 1.1)];
        let rate = paired_ratio(&ours, &raw, Sample::rate).unwrap();
        assert!((rate - 1.0 / 1.1).abs() < 1e-9, "{rate}");
        let cpu = paired_ratio(&ours, &raw, Sample::cpu_per_1k).unwrap();
        assert!((cpu - 1.1).abs() < 1e-9, "{cpu}");
        assert_eq!(paired_ratio(&[], &raw, Sample::rate), None);
    }

    #[test]
    fn dates_are_civil() {
        let now = utc_now();
        assert_eq!(now.len(), "2026-11-24 22:51 UTC".len(), "{now}");
        assert!(now.starts_with("20"), "{now}");
    }

    #[test]
    fn targets_say_by_how_much() {
        assert_eq!(
            target_line("x", 0.81, 0.9, true),
            "x: 0.81x, **missed** by 10%"
        );
        assert_eq!(
            target_line("y", 1.0, 1.15, false),
            "y: 1.00x, met (13% margin)"
        );
    }
}
