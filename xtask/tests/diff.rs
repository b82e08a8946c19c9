//! `cargo xtask diff`: one test per change class on small fixture pairs (the base fixture and
//! an edited copy), the real document against itself, git revisions, and the exit codes.

mod common;

use common::{TempRoot, fixture, repo, stderr, stdout, xtask};
use serde_json::Value;

/// The base fixture and a copy with `from` replaced by `to` (asserting the edit happened).
fn pair(name: &str, edits: &[(&str, &str)]) -> (TempRoot, String) {
    let base = std::fs::read_to_string(fixture("diff/base.yaml")).unwrap();
    let mut head = base.clone();
    for (from, to) in edits {
        assert!(head.contains(from), "{name}: fixture has no {from:?}");
        head = head.replacen(from, to, 1);
    }
    let root = TempRoot::new(&format!("diff-{name}"));
    root.write("openapi/liveblocks.yaml", &head);
    let base_path = fixture("diff/base.yaml").display().to_string();
    (root, base_path)
}

fn diff_json(root: &TempRoot, base: &str) -> Value {
    let out = xtask(&[
        "diff",
        base,
        "--json",
        "--root",
        &root.0.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The changes as (operation, location, path, kind, breaking).
fn changes(report: &Value) -> Vec<(String, String, String, String, bool)> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["operation"].as_str().unwrap().to_string(),
                c["location"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn c(
    op: &str,
    loc: &str,
    path: &str,
    kind: &str,
    breaking: bool,
) -> (String, String, String, String, bool) {
    (op.into(), loc.into(), path.into(), kind.into(), breaking)
}

fn assert_changes(
    name: &str,
    edits: &[(&str, &str)],
    expected: &[(String, String, String, String, bool)],
) {
    let (root, base) = pair(name, edits);
    let report = diff_json(&root, &base);
    let mut got = changes(&report);
    let mut want = expected.to_vec();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{name}");
    let breaking = want.iter().filter(|c| c.4).count();
    assert_eq!(report["breaking"], breaking, "{name}");
    assert_eq!(report["compatible"], want.len() - breaking, "{name}");
}

const NEW_OP: &str = "  /v1/things/{thingId}/archive:
    post:
      operationId: archive_thing
      tags:
      - Things
      summary: Archive.
      parameters:
      - in: path
        name: thingId
        required: true
        schema:
          type: string
      responses:
        '204':
          description: Archived.
components:
";

#[test]
fn operation_added_is_compatible() {
    assert_changes(
        "op-added",
        &[("components:\n", NEW_OP)],
        &[c("archive_thing", "operation", "", "added", false)],
    );
}

#[test]
fn operation_removed_is_breaking() {
    assert_changes(
        "op-removed",
        &[(
            "      operationId: get_thing\n",
            "      operationId: fetch_thing\n",
        )],
        &[
            c("get_thing", "operation", "", "removed", true),
            c("fetch_thing", "operation", "", "added", false),
        ],
    );
}

#[test]
fn operation_moved_to_another_path_or_method_is_breaking() {
    // Same operationId, every request goes elsewhere: what a lost `/v2` prefix does.
    assert_changes(
        "op-moved-path",
        &[("  /v1/things/{thingId}:\n", "  /things/{thingId}:\n")],
        &[c("get_thing", "operation", "", "moved", true)],
    );
    assert_changes(
        "op-moved-method",
        &[(
            "    get:\n      operationId: get_thing\n",
            "    put:\n      operationId: get_thing\n",
        )],
        &[c("get_thing", "operation", "", "moved", true)],
    );
}

#[test]
fn operation_deprecated_is_compatible() {
    assert_changes(
        "op-deprecated",
        &[(
            "      summary: Get a thing.\n",
            "      summary: Get a thing.\n      deprecated: true\n",
        )],
        &[c("get_thing", "operation", "", "deprecated", false)],
    );
}

#[test]
fn new_required_request_field_is_breaking_and_optional_is_compatible() {
    assert_changes(
        "request-fields",
        &[
            (
                "      required:\n      - name\n",
                "      required:\n      - name\n      - owner\n",
            ),
            (
                "        color:\n",
                "        owner:\n          type: string\n        shade:\n          type: integer\n        color:\n",
            ),
        ],
        &[
            c("create_thing", "request", "owner", "added", true),
            c("create_thing", "request", "shade", "added", false),
        ],
    );
}

#[test]
fn removed_field_and_changed_type_are_breaking_added_response_field_is_compatible() {
    // `Thing` is the response of three operations; `note` removed, `id` retyped, `rank` added.
    let edits = [
        (
            "        note:\n          type: string\n",
            "        rank:\n          type: integer\n",
        ),
        (
            "        id:\n          type: string\n",
            "        id:\n          type: integer\n",
        ),
    ];
    let mut expected = Vec::new();
    for (op, prefix) in [
        ("create_thing", ""),
        ("get_thing", ""),
        ("list_things", "data[]."),
    ] {
        expected.push(c(op, "response", &format!("{prefix}note"), "removed", true));
        expected.push(c(op, "response", &format!("{prefix}id"), "changed", true));
        expected.push(c(op, "response", &format!("{prefix}rank"), "added", false));
    }
    assert_changes("fields", &edits, &expected);
}

#[test]
fn new_value_of_an_open_enum_is_compatible_of_a_closed_response_enum_breaking() {
    let (root, base) = pair(
        "enums",
        &[
            (
                "      - active\n      - archived\n",
                "      - active\n      - archived\n      - deleted\n",
            ),
            (
                "          - small\n          - large\n",
                "          - small\n          - large\n          - huge\n",
            ),
        ],
    );
    let report = diff_json(&root, &base);
    let all = report["changes"].as_array().unwrap();
    let status: Vec<&Value> = all
        .iter()
        .filter(|c| c["path"].as_str().unwrap().ends_with("status"))
        .collect();
    let size: Vec<&Value> = all
        .iter()
        .filter(|c| c["path"].as_str().unwrap().ends_with("size"))
        .collect();
    assert_eq!(status.len(), 3, "{report:#}");
    assert_eq!(size.len(), 3, "{report:#}");
    for ch in status {
        assert_eq!(ch["breaking"], false, "{ch}");
        assert_eq!(ch["detail"], "enum values added: `deleted` (open enum)");
    }
    for ch in size {
        assert_eq!(ch["breaking"], true, "{ch}");
        assert_eq!(ch["detail"], "enum values added: `huge`");
    }
}

#[test]
fn removed_enum_value_is_breaking() {
    let (root, base) = pair(
        "enum-removed",
        &[("      - active\n      - archived\n", "      - active\n")],
    );
    let report = diff_json(&root, &base);
    let all = report["changes"].as_array().unwrap();
    assert_eq!(all.len(), 3, "{report:#}");
    assert!(
        all.iter()
            .all(|c| c["breaking"] == true && c["detail"] == "enum values removed: `archived`")
    );
}

#[test]
fn parameters_required_added_is_breaking_optional_compatible_removed_breaking() {
    assert_changes(
        "params",
        &[(
            "      - in: query\n        name: limit\n        required: false\n        schema:\n          type: integer\n",
            "      - in: query\n        name: cursor\n        required: false\n        schema:\n          type: string\n      - in: header\n        name: x-tenant\n        required: true\n        schema:\n          type: string\n",
        )],
        &[
            c("list_things", "parameter", "query `limit`", "removed", true),
            c("list_things", "parameter", "query `cursor`", "added", false),
            c(
                "list_things",
                "parameter",
                "header `x-tenant`",
                "added",
                true,
            ),
        ],
    );
}

#[test]
fn nullable_and_required_changes() {
    assert_changes(
        "nullable",
        &[
            // Request field no longer nullable: the Rust type changes.
            (
                "          type: string\n          nullable: true\n",
                "          type: string\n",
            ),
            // An optional response field becomes nullable: still an Option.
            (
                "        note:\n          type: string\n",
                "        note:\n          type: string\n          nullable: true\n",
            ),
        ],
        &[
            c("create_thing", "request", "color", "changed", true),
            c("create_thing", "response", "note", "changed", false),
            c("get_thing", "response", "note", "changed", false),
            c("list_things", "response", "data[].note", "changed", false),
        ],
    );
}

#[test]
fn named_schemas_added_and_removed() {
    assert_changes(
        "types",
        &[(
            "    ThingList:\n",
            "    Extra:\n      type: string\n    ThingList:\n",
        )],
        &[c("(types)", "schema", "Extra", "added", false)],
    );
}

#[test]
fn fail_on_breaking_sets_the_exit_code_and_markdown_marks_breaking_rows() {
    let (root, base) = pair(
        "exit",
        &[("      - active\n      - archived\n", "      - active\n")],
    );
    let root_arg = root.0.display().to_string();
    let out = xtask(&["diff", &base, "--root", &root_arg]);
    assert!(
        out.status.success(),
        "without --fail-on-breaking the exit code is 0"
    );
    let md = stdout(&out);
    assert!(
        md.contains("**3 breaking**, 0 compatible change(s)."),
        "{md}"
    );
    assert!(
        md.contains("#### `get_thing` — `GET /v1/things/{thingId}`"),
        "{md}"
    );
    assert!(
        md.contains(
            "| **breaking** | response `status` | changed: enum values removed: `archived` |"
        ),
        "{md}"
    );
    let out = xtask(&["diff", &base, "--root", &root_arg, "--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("3 breaking change(s)"));
    // Compatible changes only: exit 0 even with --fail-on-breaking.
    let (root, base) = pair("exit-ok", &[("components:\n", NEW_OP)]);
    let out = xtask(&[
        "diff",
        &base,
        "--root",
        &root.0.display().to_string(),
        "--fail-on-breaking",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn real_document_against_itself_has_no_changes() {
    let spec = repo().join("openapi/liveblocks.yaml");
    let root = TempRoot::with_repo_copy("diff-self");
    let report = diff_json(&root, spec.to_str().unwrap());
    assert_eq!(report["changes"].as_array().unwrap().len(), 0, "{report:#}");
    let out = xtask(&[
        "diff",
        spec.to_str().unwrap(),
        "--root",
        &root.0.display().to_string(),
    ]);
    assert!(stdout(&out).contains("No changes to the operations or types of the API."));
}

#[test]
fn base_can_be_a_git_revision_and_defaults_to_the_merge_base_with_main() {
    let root = TempRoot::new("diff-git");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&root.0)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git is needed by `cargo xtask diff`");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    root.write(
        "openapi/liveblocks.yaml",
        &std::fs::read_to_string(fixture("diff/base.yaml")).unwrap(),
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["checkout", "-q", "-b", "feature"]);
    let head = std::fs::read_to_string(fixture("diff/base.yaml"))
        .unwrap()
        .replacen("components:\n", NEW_OP, 1);
    root.write("openapi/liveblocks.yaml", &head);
    let root_arg = root.0.display().to_string();
    for args in [
        vec!["diff", "--json", "--root", &root_arg],
        vec!["diff", "HEAD", "--json", "--root", &root_arg],
    ] {
        let out = xtask(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            changes(&report),
            vec![c("archive_thing", "operation", "", "added", false)]
        );
    }
}
