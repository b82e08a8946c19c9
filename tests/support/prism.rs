//! Prism (npm `@stoplight/prism-cli`): a mock server that validates every request against the
//! OpenAPI document, used to check that the client's requests match the spec.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::tools::{self, ServerProcess};

/// npm packages that make up Prism.
pub const PACKAGES: &[&str] = &["@stoplight/prism-cli@5"];

/// Where Prism is installed: `$LIVEBLOCKS_PRISM_DIR`, or `<repo>/.tools/prism`.
pub fn tools_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("LIVEBLOCKS_PRISM_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root.join(".tools").join("prism"),
    }
}

fn entry(dir: &Path) -> PathBuf {
    dir.join("node_modules/@stoplight/prism-cli/dist/index.js")
}

/// Whether Prism is installed in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    entry(dir).is_file()
}

/// Installs Prism into `dir`.
pub fn install(dir: &Path) -> Result<(), String> {
    tools::npm_install(dir, PACKAGES)?;
    if is_installed(dir) {
        Ok(())
    } else {
        Err(format!("Prism is incomplete in {}", dir.display()))
    }
}

/// A running Prism mock server; dropping it stops it.
pub type Prism = ServerProcess;

/// Starts Prism (run by Node directly, so that its PID is the server's) on `spec`.
pub fn start(dir: &Path, spec: &Path) -> Result<Prism, String> {
    if !is_installed(dir) {
        return Err(format!(
            "Prism is not installed in {}: run `cargo xtask test` (it installs it) or \
             `cargo xtask tools install`",
            dir.display()
        ));
    }
    let entry = entry(dir);
    let args = [
        entry.to_str().ok_or("non-UTF-8 path")?,
        "mock",
        spec.to_str().ok_or("non-UTF-8 path")?,
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
    ];
    ServerProcess::start(
        "prism",
        Path::new("node"),
        &args,
        "/",
        Duration::from_secs(60),
    )
}
