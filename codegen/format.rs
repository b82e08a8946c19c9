//! Step 6: the generated source is formatted with prettyplease, the same way in `build.rs`
//! (`OUT_DIR/client.rs`, the file the crate compiles) and in `cargo xtask regen`
//! (`generated/client.rs`, the checked-in copy), so the two files are equal line for line:
//! a compiler note at `out/client.rs:1234:9` or a rustdoc "Source" link points to the same line
//! of `generated/client.rs`.

/// The first lines of both formatted files.
pub const HEADER: &str = "\
// @generated from openapi/liveblocks.yaml by the generator in codegen/. DO NOT EDIT.
//
// `build.rs` writes this file into OUT_DIR and the crate compiles it; `cargo xtask regen` writes
// the same text to generated/client.rs, checked in so that reviewers see what a spec change does
// to the Rust API (`cargo xtask regen --check`, run by .ci/run, fails when that copy is stale).
// Both are formatted identically, so line numbers in compiler messages match the checked-in copy.

";

/// Parses `code` (the generator's one-line output) and prints it formatted, after [`HEADER`].
pub fn format_source(code: &str) -> Result<String, String> {
    let file =
        syn::parse_file(code).map_err(|e| format!("the generated code does not parse: {e}"))?;
    Ok(format!("{HEADER}{}", prettyplease::unparse(&file)))
}
