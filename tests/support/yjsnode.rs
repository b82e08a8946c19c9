//! The `yjs` npm package (the reference implementation of Yjs), installed to read what the
//! `yrs` feature wrote (never vendored), and a way to run a script with it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::tools;

/// npm packages of the cross-check (the Yjs line the dev server itself runs).
pub const PACKAGES: &[&str] = &["yjs@13.6"];

/// Where it is installed: `$LIVEBLOCKS_YJS_DIR`, or `<repo>/.tools/yjs`.
pub fn tools_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("LIVEBLOCKS_YJS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root.join(".tools").join("yjs"),
    }
}

/// Whether it is installed in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    dir.join("node_modules/yjs/package.json").is_file()
}

/// Installs it into `dir`.
pub fn install(dir: &Path) -> Result<(), String> {
    tools::npm_install(dir, PACKAGES)?;
    if is_installed(dir) {
        Ok(())
    } else {
        Err(format!("yjs is incomplete in {}", dir.display()))
    }
}

/// Runs `node script dir args...`; its output when it succeeds, an error otherwise (also when
/// the package is not installed: the test then fails loudly).
pub fn run(dir: &Path, script: &Path, args: &[&str]) -> Result<String, String> {
    if !is_installed(dir) {
        return Err(format!(
            "the yjs npm package is not installed in {}: run `cargo xtask test` (it installs it) \
             or `cargo xtask tools install`",
            dir.display()
        ));
    }
    let mut all = vec![dir.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    tools::run_node(script, &all)
}
