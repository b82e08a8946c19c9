//! `cargo xtask diff`.
use std::path::PathBuf;
use std::process::ExitCode;

/// `cargo xtask diff ...`
pub fn run(_args: &[String], _root: PathBuf) -> Result<ExitCode, String> {
    Err("not implemented".into())
}
