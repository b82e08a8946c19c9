//! The official Node SDK (npm `@liveblocks/node`), installed for the Storage mutation
//! cross-check (never vendored), and a way to run a script with it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::tools;

/// npm packages of the cross-check.
pub const PACKAGES: &[&str] = &["@liveblocks/node@3.24"];

/// Where the SDK is installed: `$LIVEBLOCKS_NODE_SDK_DIR`, or `<repo>/.tools/node-sdk`.
pub fn tools_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("LIVEBLOCKS_NODE_SDK_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root.join(".tools").join("node-sdk"),
    }
}

/// Whether the SDK is installed in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    dir.join("node_modules/@liveblocks/node/package.json")
        .is_file()
}

/// Installs the SDK into `dir`.
pub fn install(dir: &Path) -> Result<(), String> {
    tools::npm_install(dir, PACKAGES)?;
    if is_installed(dir) {
        Ok(())
    } else {
        Err(format!(
            "@liveblocks/node is incomplete in {}",
            dir.display()
        ))
    }
}

/// Runs `node script dir args...`; its output when it succeeds, an error with its stderr
/// otherwise (also when the SDK is not installed: the test then fails loudly).
pub fn run(dir: &Path, script: &Path, args: &[&str]) -> Result<String, String> {
    if !is_installed(dir) {
        return Err(format!(
            "@liveblocks/node is not installed in {}: run `cargo xtask test` (it installs it) \
             or `cargo xtask tools install`",
            dir.display()
        ));
    }
    let mut all = vec![dir.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    tools::run_node(script, &all)
}
