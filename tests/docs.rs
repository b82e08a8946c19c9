//! Every generated `Client` method documents itself: the sections a reader relies on, in
//! order, and a `no_run` example (compiled by `cargo test --doc`); no progenitor ```text
//! template is left.

const CLIENT: &str = include_str!("../generated/client.rs");

/// The doc comment and name of every `Client` method of the generated file.
fn client_methods() -> Vec<(String, String)> {
    let start = CLIENT
        .find("impl Client {")
        .expect("generated file has `impl Client`");
    let mut out = Vec::new();
    let mut rest = &CLIENT[start..];
    while let Some(open) = rest.find("/**") {
        let Some(close) = rest[open..].find("*/") else {
            break;
        };
        let doc = rest[open + 3..open + close].to_string();
        let after = &rest[open + close + 2..];
        // Attributes (`#[deprecated(..)]`) may sit between the doc and the signature.
        let mut sig = after.trim_start();
        while sig.starts_with("#[") {
            sig = sig[sig.find(")]").map_or(sig.len(), |e| e + 2)..].trim_start();
        }
        let Some(sig) = sig.strip_prefix("pub fn ") else {
            // Past the `Client` impl (the first doc comment not on a method).
            break;
        };
        let name = sig.split(['(', '<']).next().unwrap_or_default().to_string();
        out.push((name, doc));
        rest = after;
    }
    out
}

#[test]
fn every_client_method_has_the_sections_in_order_and_a_no_run_example() {
    let methods = client_methods();
    assert!(methods.len() > 100, "found only {} methods", methods.len());
    for (name, doc) in &methods {
        let mut at = 0;
        for section in [
            "Reference: <",
            "# Parameters",
            "# Returns",
            "# Errors",
            "# Example",
            "```no_run",
            "# SDK names",
        ] {
            let found = doc[at..].find(section).unwrap_or_else(|| {
                panic!("`{name}`: no `{section}` after byte {at} in its doc:\n{doc}")
            });
            at += found;
        }
        assert!(
            doc.contains(&format!("    .{name}()")),
            "`{name}`: the example does not call it"
        );
        assert!(
            doc.contains("Error::Api"),
            "`{name}`: errors do not name `Error::Api`"
        );
    }
}

#[test]
fn bodies_are_documented_with_their_type() {
    let methods = client_methods();
    let (_, doc) = methods
        .iter()
        .find(|(n, _)| n == "create_room")
        .expect("create_room");
    assert!(doc.contains("# Body"));
    assert!(doc.contains("[`types::CreateRoomRequestBody`](crate::types::CreateRoomRequestBody)"));
    assert!(doc.contains("`default_accesses` (`defaultAccesses`, required)"));
    assert!(doc.contains("- `409` Conflict"));
    assert!(doc.contains("`Liveblocks.createRoom`"));
    // What an update may set to `null` is documented as a `Change`.
    let (_, doc) = methods
        .iter()
        .find(|(n, _)| n == "update_room")
        .expect("update_room");
    assert!(
        doc.contains(
            "`default_accesses` (`defaultAccesses`, optional, a [`Change`](crate::Change))"
        )
    );
    assert!(doc.contains("`metadata` (`metadata`, optional, a map of [`Change`](crate::Change)s)"));
}

#[test]
fn no_text_template_remains() {
    assert!(
        !CLIENT.contains("```text"),
        "a ```text block remains in generated/client.rs"
    );
    assert!(
        !CLIENT.contains("```ignore"),
        "a ```ignore block remains in generated/client.rs"
    );
    assert!(
        !CLIENT.contains("Version: 2*/"),
        "progenitor's `Client` doc remains"
    );
}

/// The crate page's table (`OUT_DIR/methods.md`, appended to the crate docs) lists every
/// operation of the spec once, linked to its `Client` method, under its family.
#[test]
fn the_crate_page_table_links_every_method_under_its_family() {
    let table = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/methods.md"))
        .expect("build.rs writes OUT_DIR/methods.md");
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/liveblocks.yaml"
    ))
    .expect("the spec is checked in");
    let ids: Vec<&str> = spec
        .lines()
        .filter_map(|l| l.trim().strip_prefix("operationId: "))
        .map(|s| s.trim_matches(['"', '\'']))
        .collect();
    assert!(ids.len() >= 123, "{} operations in the spec", ids.len());
    for id in &ids {
        let link = format!("| [`{id}`](crate::Client::{id})");
        assert_eq!(
            table.matches(&link).count(),
            1,
            "{id} is listed once, linked"
        );
    }
    let rows = table.lines().filter(|l| l.starts_with("| [`")).count();
    assert_eq!(rows, ids.len(), "one row per operation");
    for family in [
        "Rooms",
        "Storage",
        "Yjs",
        "Comments",
        "Notifications",
        "Groups",
        "Feeds",
        "AI",
        "Management",
    ] {
        assert!(
            table.contains(&format!("\n## {family} (")),
            "a {family} section"
        );
    }
    // A row names the request it sends.
    assert!(table.contains("| [`get_room`](crate::Client::get_room) | `GET /v2/rooms/{roomId}` |"));
}
