//! The official Liveblocks dev server (npm `liveblocks`, run by Bun), as a test tool.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::tools::{self, ServerProcess};

/// npm packages that make up the dev server.
pub const PACKAGES: &[&str] = &["liveblocks@1.9", "bun@1.4"];
/// The secret key the dev server accepts.
pub const SECRET_KEY: &str = "sk_localdev";

/// Where the dev server is installed: `$LIVEBLOCKS_DEVSERVER_DIR`, or `<repo>/.tools/devserver`.
pub fn tools_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("LIVEBLOCKS_DEVSERVER_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root.join(".tools").join("devserver"),
    }
}

fn bun(dir: &Path) -> PathBuf {
    dir.join("node_modules").join(".bin").join("bun")
}

fn entry(dir: &Path) -> PathBuf {
    dir.join("node_modules")
        .join("liveblocks")
        .join("dist")
        .join("index.js")
}

/// Whether the dev server is installed in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    bun(dir).is_file() && entry(dir).is_file()
}

/// Installs the dev server into `dir`.
pub fn install(dir: &Path) -> Result<(), String> {
    tools::npm_install(dir, PACKAGES)?;
    if is_installed(dir) {
        Ok(())
    } else {
        Err(format!("the dev server is incomplete in {}", dir.display()))
    }
}

/// A running dev server; dropping it stops it.
pub type DevServer = ServerProcess;

/// Starts the dev server installed in `dir` on a free port; `/health` answers when it returns.
pub fn start(dir: &Path) -> Result<DevServer, String> {
    if !is_installed(dir) {
        return Err(format!(
            "the Liveblocks dev server is not installed in {}: run `cargo xtask test` (it installs \
             it) or `cargo xtask tools install`",
            dir.display()
        ));
    }
    let entry = entry(dir);
    let entry = entry.to_str().ok_or("non-UTF-8 path")?;
    let args = [
        entry,
        "dev",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--no-check",
        "--no-persist",
    ];
    ServerProcess::start(
        "devserver",
        &bun(dir),
        &args,
        "/health",
        Duration::from_secs(20),
    )
}
