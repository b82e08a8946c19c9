//! `cargo xtask regen`: golden import of a 3.1 document with no document of ours, unsupported
//! constructs, `--check` on stale or unnormalized copies, the validator's rules (always in
//! temporary roots). The merge into ours (`--from` with a document of ours) is in `import.rs`.

mod common;

use common::{TempRoot, fixture, stderr, xtask};

fn root_arg(root: &TempRoot) -> String {
    root.0.display().to_string()
}

#[test]
fn golden_31_document_imports_to_the_expected_303_document() {
    let root = TempRoot::new("golden");
    let input = fixture("import31/input.yaml");
    let out = xtask(&[
        "regen",
        "--root",
        &root_arg(&root),
        "--from",
        input.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let expected = std::fs::read_to_string(fixture("import31/expected.yaml")).unwrap();
    assert_eq!(root.read("openapi/liveblocks.yaml"), expected);
    // Every lossy step is reported.
    for note in [
        "/jsonSchemaDialect: dropped",
        "/info/summary: dropped",
        "/components/schemas/Widget/properties/id/examples: kept the first of 2 examples",
        "/components/schemas/Widget/properties/owner/description: dropped",
        "/get/responses/default: removed",
        "/get/responses/200/content: kept application/json, removed text/plain",
        "one success type per operation: kept 200, removed 204",
        "1 error response(s) now use `$ref: '#/components/responses/Error'`",
        "/components/schemas/Error: added the project's Error schema",
        "into `/v1/widgets/{widgetId}/parts/{nameOrPartId}`",
    ] {
        assert!(err.contains(note), "missing note {note:?} in:\n{err}");
    }
    // And the client was generated from it.
    let client = root.read("generated/client.rs");
    assert!(client.starts_with("// @generated from openapi/liveblocks.yaml"));
    assert!(client.contains("pub struct Widget {"), "no Widget type");
    assert!(
        client.contains("pub fn delete_part(&self)"),
        "no delete_part builder"
    );
    // A second run over the result changes nothing.
    let check = xtask(&["regen", "--root", &root_arg(&root), "--check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn unsupported_constructs_are_errors_by_json_pointer_and_nothing_is_written() {
    let root = TempRoot::new("unsupported");
    let input = fixture("import31/unsupported.yaml");
    let out = xtask(&[
        "regen",
        "--root",
        &root_arg(&root),
        "--from",
        input.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for pointer in [
        "/webhooks:",
        "/components/pathItems:",
        "/paths/~1v1~1things/$ref:",
        "/components/schemas/Tuple/prefixItems:",
        "/components/schemas/Conditional/if:",
        "/components/schemas/Conditional/then:",
        "/components/schemas/Nothing/type:",
    ] {
        assert!(err.contains(pointer), "missing {pointer:?} in:\n{err}");
    }
    assert!(
        err.contains("7 unsupported construct(s), nothing written"),
        "{err}"
    );
    assert!(!root.path("openapi").exists());
    assert!(!root.path("generated").exists());
}

#[test]
fn the_checked_in_files_are_up_to_date() {
    let root = TempRoot::with_repo_copy("uptodate");
    let out = xtask(&["regen", "--root", &root_arg(&root), "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("are up to date"));
}

#[test]
fn check_fails_on_a_hand_edited_generated_copy() {
    let root = TempRoot::with_repo_copy("edited");
    let client = root.read("generated/client.rs");
    let edited = client.replacen(
        "pub struct Room {",
        "pub struct Room {\n    pub extra: u8,",
        1,
    );
    assert_ne!(edited, client);
    root.write("generated/client.rs", &edited);
    let out = xtask(&["regen", "--root", &root_arg(&root), "--check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("generated/client.rs is stale or edited by hand")
            && err.contains("found `pub extra: u8,`"),
        "{err}"
    );
    assert!(!err.contains("not in normal form"), "{err}");
    // --check changed nothing.
    assert_eq!(root.read("generated/client.rs"), edited);
    // Without --check, regen restores it.
    let out = xtask(&["regen", "--root", &root_arg(&root)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(root.read("generated/client.rs"), client);
}

#[test]
fn check_fails_on_an_unnormalized_document() {
    let root = TempRoot::with_repo_copy("unnormalized");
    let spec = root.read("openapi/liveblocks.yaml");
    // Same document, other formatting: a flow sequence and a double-quoted string.
    let edited = spec.replacen(
        "      tags:\n      - Rooms\n",
        "      tags: [\"Rooms\"]\n",
        1,
    );
    assert_ne!(edited, spec);
    root.write("openapi/liveblocks.yaml", &edited);
    let out = xtask(&["regen", "--root", &root_arg(&root), "--check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("openapi/liveblocks.yaml is not in normal form"),
        "{err}"
    );
    assert!(
        err.contains("found `tags: [\"Rooms\"]`, expected `tags:`"),
        "{err}"
    );
    assert!(!err.contains("client.rs is stale"), "{err}");
    assert_eq!(root.read("openapi/liveblocks.yaml"), edited);
    let out = xtask(&["regen", "--root", &root_arg(&root)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(root.read("openapi/liveblocks.yaml"), spec);
}

#[test]
fn documents_breaking_the_rules_are_rejected_with_pointers() {
    let root = TempRoot::with_repo_copy("rules");
    let spec = root.read("openapi/liveblocks.yaml");
    let edited = spec
        .replacen(
            "        '404':\n          $ref: '#/components/responses/Error'\n",
            "        '404':\n          description: Inline error.\n        default:\n          $ref: '#/components/responses/Error'\n",
            1,
        )
        .replacen("      operationId: get_rooms\n", "", 1);
    assert_ne!(edited, spec);
    root.write("openapi/liveblocks.yaml", &edited);
    let out = xtask(&["regen", "--root", &root_arg(&root)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("/paths/~1v2~1rooms/get: missing operationId"),
        "{err}"
    );
    assert!(
        err.contains(
            "/responses/404: error responses must be `$ref: '#/components/responses/Error'`"
        ),
        "{err}"
    );
    assert!(
        err.contains("/responses/default: `default` responses are not supported"),
        "{err}"
    );
    // Nothing written.
    assert_eq!(root.read("openapi/liveblocks.yaml"), edited);
}

#[test]
fn shapes_the_generator_panics_or_fails_on_are_rejected_with_pointers() {
    let root = TempRoot::with_repo_copy("generator-shapes");
    let spec = root.read("openapi/liveblocks.yaml");
    let edits = [
        // Two request media types (progenitor panics).
        (
            "          application/json:\n            schema:\n              $ref: '#/components/schemas/CreateRoomRequestBody'\n",
            "          application/json:\n            schema:\n              $ref: '#/components/schemas/CreateRoomRequestBody'\n          application/xml:\n            schema:\n              $ref: '#/components/schemas/CreateRoomRequestBody'\n",
        ),
        // A body without a schema, under a media type named `schema`.
        (
            "          application/json:\n            schema:\n              $ref: '#/components/schemas/UpdateRoomRequestBody'\n",
            "          schema:\n            example: {}\n",
        ),
        // Raw bytes as an array.
        (
            "          application/octet-stream:\n            schema:\n              type: string\n              format: binary\n      responses:\n        '200':\n          description: The update was applied.\n",
            "          application/octet-stream:\n            schema:\n              type: array\n              format: binary\n      responses:\n        '200':\n          description: The update was applied.\n",
        ),
        // Names that are not Rust identifiers.
        (
            "      operationId: get_room\n",
            "      operationId: get-rooms-roomId\n",
        ),
        ("    GetRoomsResponse:\n", "    Get-rooms:\n"),
        (
            "$ref: '#/components/schemas/GetRoomsResponse'",
            "$ref: '#/components/schemas/Get-rooms'",
        ),
    ];
    let mut edited = spec.clone();
    for (from, to) in edits {
        assert!(edited.contains(from), "no {from:?}");
        edited = edited.replacen(from, to, 1);
    }
    root.write("openapi/liveblocks.yaml", &edited);
    let out = xtask(&["regen", "--root", &root_arg(&root)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for message in [
        "/paths/~1v2~1rooms/post/requestBody/content: one media type per request body",
        "/paths/~1v2~1rooms~1{roomId}/post/requestBody/content/schema: `schema` is not a media type",
        "/paths/~1v2~1rooms~1{roomId}/post/requestBody/content/schema: a body needs a schema",
        "/paths/~1v2~1rooms~1{roomId}~1ydoc/put/requestBody/content/application~1octet-stream/schema: raw bytes are `type: string, format: binary`",
        "/paths/~1v2~1rooms~1{roomId}/get/operationId: `get-rooms-roomId` must be snake_case",
        "/components/schemas/Get-rooms: a schema name must be a PascalCase Rust type name",
    ] {
        assert!(err.contains(message), "missing {message:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(root.read("openapi/liveblocks.yaml"), edited);
}
