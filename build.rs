//! Generates the typed client from `openapi/liveblocks.yaml` with progenitor.
//!
//! The generator configuration lives in `codegen/mod.rs`, shared with `cargo xtask regen`.

#[path = "codegen/mod.rs"]
mod codegen;

use std::path::PathBuf;

fn main() {
    // A bad document is a build error that says what is wrong, not a panic with a backtrace.
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?,
    );
    let spec_path = root.join("openapi").join("liveblocks.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());
    println!("cargo:rerun-if-changed={}", root.join("codegen").display());
    println!("cargo:rerun-if-changed=build.rs");
    let spec = codegen::load(&spec_path)?;
    // The blocking wrappers are generated only when the `blocking` feature is on, so the
    // default build neither generates nor compiles them.
    let blocking = std::env::var_os("CARGO_FEATURE_BLOCKING").is_some();
    let (code, blocking_code) = codegen::generate_all(&spec, blocking).map_err(|e| {
        format!(
            "generating the client from {} failed: {e}",
            spec_path.display()
        )
    })?;
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let write = |name: &str, code: String| {
        let out = out_dir.join(name);
        std::fs::write(&out, code).map_err(|e| format!("{}: {e}", out.display()))
    };
    // Formatted, so that compiler messages and rustdoc "Source" links point to readable lines
    // (the same lines as in generated/client.rs).
    write("client.rs", codegen::format_source(&code)?)?;
    write("methods.md", codegen::method_table(&spec))?;
    if let Some(blocking_code) = blocking_code {
        write("blocking.rs", codegen::format_source(&blocking_code)?)?;
    }
    Ok(())
}
