//! The client the crate compiles (`OUT_DIR/client.rs`, written by `build.rs`) is the checked-in
//! `generated/client.rs`, byte for byte: formatted, so compiler messages and rustdoc "Source"
//! links point to the same readable lines.

#[test]
fn the_compiled_client_equals_the_checked_in_copy_line_for_line() {
    let compiled = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/client.rs"))
        .expect("build.rs writes OUT_DIR/client.rs");
    let copy = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/client.rs"))
        .expect("generated/client.rs is checked in");
    let compiled: Vec<&str> = compiled.lines().collect();
    let copy: Vec<&str> = copy.lines().collect();
    if let Some(at) = (0..compiled.len().max(copy.len())).find(|&i| compiled.get(i) != copy.get(i))
    {
        panic!(
            "line {} differs:\n  OUT_DIR/client.rs:      {:?}\n  generated/client.rs: {:?}\n(run `cargo xtask regen`)",
            at + 1,
            compiled.get(at),
            copy.get(at)
        );
    }
    // Formatted: no line is as long as the one-line output of the generator.
    let longest = compiled.iter().map(|l| l.len()).max().unwrap_or(0);
    assert!(
        longest < 1000,
        "a {longest}-character line: the output is not formatted"
    );
    assert!(compiled.len() > 10_000, "{} lines", compiled.len());
}
