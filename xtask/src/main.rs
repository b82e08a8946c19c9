//! Maintainer and newcomer tasks for the `liveblocks` crate: `cargo xtask <task>`.
//!
//! - `cargo xtask quickstart`: runs `examples/quickstart.rs` against a local dev server that
//!   it installs (first time), starts and stops.
//! - `cargo xtask test [cargo test args]`: installs what the tests need (the dev server), then
//!   runs every test of the workspace, with the `blocking`, `schemars` and `yrs` features on.
//! - `cargo xtask tools install`: installs the test tools (dev server, Prism, the Node SDK
//!   for the Storage cross-check, the `yjs` package for the Yjs one) into `.tools/`.
//! - `cargo xtask regen [--check] [--from PATH [--apply POINTER]...]`: normalizes and validates
//!   the OpenAPI document, writes the readable copy of the generated client
//!   (`generated/client.rs`); `--from` first merges an upstream document into ours.
//! - `cargo xtask diff [BASE] [--fail-on-breaking] [--json]`: the spec changes since BASE, for a
//!   pull-request comment.
//! - `cargo xtask bench [--build | --instructions]`: compares this crate with plain reqwest and
//!   the official SDKs (requests/s, CPU, memory), measures build times, or counts instructions
//!   per request under callgrind; results go to `BENCHMARKS.md`.

mod bench;

#[path = "../../tests/support/devserver.rs"]
mod devserver;
#[path = "../../tests/support/nodesdk.rs"]
mod nodesdk;
#[path = "../../tests/support/prism.rs"]
mod prism;
#[path = "../../tests/support/tools.rs"]
mod tools;
#[path = "../../tests/support/yjsnode.rs"]
mod yjsnode;

mod diff;
mod import;
mod instructions;
mod regen;
mod spec;
mod validate;
mod yaml;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  quickstart              run examples/quickstart.rs against a local dev server
  test [ARGS...]          install test tools, then `cargo test --workspace
                          --features liveblocks/blocking,liveblocks/schemars,liveblocks/yrs
                          [ARGS...]`
  tools install           install the test tools (dev server, Prism, Node SDK, yjs) into .tools/
  regen [--check] [--from PATH [--apply POINTER]...] [--root DIR]
                          normalize + validate openapi/liveblocks.yaml, write generated/client.rs;
                          --check: change nothing, fail when either file is not up to date;
                          --from: merge an upstream OpenAPI 3.0/3.1 document (JSON or YAML) into
                          ours, print a Markdown summary; --apply: also take the change the
                          summary reports at POINTER
  diff [BASE] [--fail-on-breaking] [--json] [--root DIR]
                          spec changes from BASE (git revision or file; default: merge base
                          with main) to the working tree, as Markdown (or JSON)
  bench [--build|--instructions]
                          throughput/CPU/memory against the official SDKs, build times, or
                          instructions per request (callgrind)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("quickstart") => quickstart(),
        Some("test") => test(&args[1..]),
        Some("regen") => regen::run(&args[1..], repo_root()),
        Some("diff") => diff::run(&args[1..], repo_root()),
        Some("bench") => bench::main(&args[1..]),
        Some("tools") if args.get(1).map(String::as_str) == Some("install") => {
            ensure_tools().map(|_| ExitCode::SUCCESS)
        }
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprint!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("xtask: error: {e}");
        ExitCode::FAILURE
    })
}

/// The repository root (the parent of `xtask/`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repo")
        .to_path_buf()
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Installs a test tool into `dir` when it is missing; returns `dir`.
fn ensure(
    what: &str,
    dir: PathBuf,
    is_installed: fn(&Path) -> bool,
    install: fn(&Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    if !is_installed(&dir) {
        eprintln!("xtask: installing {what} into {} ...", dir.display());
        install(&dir)?;
    }
    Ok(dir)
}

/// Installs the dev server when it is missing; returns its folder.
fn ensure_devserver() -> Result<PathBuf, String> {
    let dir = devserver::tools_dir(&repo_root());
    ensure(
        "the Liveblocks dev server",
        dir,
        devserver::is_installed,
        devserver::install,
    )
}

/// The folders of the installed test tools.
struct Tools {
    devserver: PathBuf,
    prism: PathBuf,
    /// The official Node SDK (the Storage mutation cross-check).
    node_sdk: PathBuf,
    /// The `yjs` npm package (the cross-check of the `yrs` feature).
    yjs: PathBuf,
}

/// Installs every test tool that is missing.
fn ensure_tools() -> Result<Tools, String> {
    let root = repo_root();
    Ok(Tools {
        devserver: ensure_devserver()?,
        prism: ensure(
            "Prism",
            prism::tools_dir(&root),
            prism::is_installed,
            prism::install,
        )?,
        node_sdk: ensure(
            "@liveblocks/node",
            nodesdk::tools_dir(&root),
            nodesdk::is_installed,
            nodesdk::install,
        )?,
        yjs: ensure(
            "yjs",
            yjsnode::tools_dir(&root),
            yjsnode::is_installed,
            yjsnode::install,
        )?,
    })
}

fn run(mut command: Command) -> Result<ExitCode, String> {
    let status = command
        .status()
        .map_err(|e| format!("could not run {command:?}: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn quickstart() -> Result<ExitCode, String> {
    let dir = ensure_devserver()?;
    let server = devserver::start(&dir)?;
    eprintln!("xtask: dev server listening on {}", server.base_url());
    let mut command = cargo();
    command
        .current_dir(repo_root())
        .args(["run", "--quiet", "--example", "quickstart"])
        .env("LIVEBLOCKS_SECRET_KEY", devserver::SECRET_KEY)
        .env("LIVEBLOCKS_BASE_URL", server.base_url());
    let code = run(command);
    drop(server);
    code
}

fn test(args: &[String]) -> Result<ExitCode, String> {
    let tools = ensure_tools()?;
    let mut command = cargo();
    command
        .current_dir(repo_root())
        // The blocking client's tests need its feature, the JSON Schema tests theirs, the Yjs
        // tests `yrs` (all additive, so one build runs every test, and every other test also
        // runs with the `schemars` attributes compiled in); the default TLS backend is kept.
        .args([
            "test",
            "--workspace",
            "--features",
            "liveblocks/blocking,liveblocks/schemars,liveblocks/yrs",
        ])
        .args(args)
        .env("LIVEBLOCKS_DEVSERVER_DIR", &tools.devserver)
        .env("LIVEBLOCKS_PRISM_DIR", &tools.prism)
        .env("LIVEBLOCKS_NODE_SDK_DIR", &tools.node_sdk)
        .env("LIVEBLOCKS_YJS_DIR", &tools.yjs);
    run(command)
}
