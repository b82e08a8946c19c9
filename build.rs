//! Generates the typed client from `openapi/liveblocks.yaml` with progenitor.
//!
//! The generator configuration lives in `codegen/mod.rs`, shared with `cargo xtask regen`.

#[path = "codegen/mod.rs"]
mod codegen;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let spec_path = root.join("openapi").join("liveblocks.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());
    println!("cargo:rerun-if-changed={}", root.join("codegen").display());
    println!("cargo:rerun-if-changed=build.rs");
    let spec = codegen::load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
    // The blocking wrappers are generated only when the `blocking` feature is on, so the
    // default build neither generates nor compiles them.
    let blocking = std::env::var_os("CARGO_FEATURE_BLOCKING").is_some();
    let (code, blocking_code) = codegen::generate_all(&spec, blocking)
        .unwrap_or_else(|e| panic!("generating the client failed: {e}"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let out = out_dir.join("client.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    if let Some(blocking_code) = blocking_code {
        let out = out_dir.join("blocking.rs");
        std::fs::write(&out, blocking_code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}
