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
    let code =
        codegen::generate(&spec).unwrap_or_else(|e| panic!("generating the client failed: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("client.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
