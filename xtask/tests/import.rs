//! `cargo xtask regen --from` with a document of ours: the merge. Our own document exported the
//! way upstream writes its document changes nothing; a golden upstream-style fixture carrying
//! every defect the importer tolerates, additions and removals merges into a part of our
//! document as expected (document and summary); a second run changes nothing; `--apply` takes
//! one reported change; a merged document that does not validate writes nothing.

mod common;

use common::{TempRoot, fixture, repo, stderr, stdout, upstream_style, xtask, xtask_in};
use serde_yaml::Value;

fn read(path: impl AsRef<std::path::Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

/// Whether `b` holds everything `a` holds: every key of a mapping (recursively), every item
/// of a sequence (somewhere in it), every scalar equal.
fn holds(b: &Value, a: &Value, at: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            for (k, v) in a {
                let key = k.as_str().unwrap_or_default();
                let w = b.get(k).ok_or_else(|| format!("{at}/{key} is gone"))?;
                holds(w, v, &format!("{at}/{key}"))?;
            }
            Ok(())
        }
        (Value::Sequence(a), Value::Sequence(b)) => {
            for (i, v) in a.iter().enumerate() {
                if !b.iter().any(|w| holds(w, v, "").is_ok()) {
                    return Err(format!("{at}/{i} is gone"));
                }
            }
            Ok(())
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{at} changed: {a:?} -> {b:?}")),
    }
}

/// A temporary root holding the part of our document the fixtures use (and its generated
/// client), the alias table and the upstream-style fixture.
fn fixture_root(name: &str) -> TempRoot {
    let root = TempRoot::new(name);
    root.write(
        "openapi/liveblocks.yaml",
        &read(fixture("import/ours.yaml")),
    );
    root.write(
        "openapi/upstream-aliases.yaml",
        &read(repo().join("openapi/upstream-aliases.yaml")),
    );
    root.write("upstream.json", &read(fixture("import/upstream.json")));
    let out = xtask(&["regen", "--root", &root_arg(&root)]);
    assert!(out.status.success(), "{}", stderr(&out));
    root
}

/// `regen --from upstream.json [extra...]`, run in the fixture root.
fn import_fixture(root: &TempRoot, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["regen", "--root", ".", "--from", "upstream.json"];
    args.extend(extra);
    xtask_in(&root.0, &args)
}

fn root_arg(root: &TempRoot) -> String {
    root.0.display().to_string()
}

/// `regen --root ROOT --from UPSTREAM [extra...]`.
fn import(root: &TempRoot, upstream: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let root = root_arg(root);
    let mut args = vec![
        "regen",
        "--root",
        &root,
        "--from",
        upstream.to_str().unwrap(),
    ];
    args.extend(extra);
    xtask(&args)
}

/// Our checked-in document, exported upstream-style, as JSON.
fn exported_document(root: &TempRoot) -> (Value, std::path::PathBuf) {
    let spec = std::fs::read_to_string(repo().join("openapi/liveblocks.yaml")).unwrap();
    let mut doc: Value = serde_yaml::from_str(&spec).unwrap();
    let count = upstream_style(&mut doc);
    assert!(count > 50, "only {count} constructs converted to 3.1");
    let path = root.path("upstream.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    (doc, path)
}

#[test]
fn our_document_exported_upstream_style_changes_nothing() {
    let root = TempRoot::with_repo_copy("import-self");
    let spec = root.read("openapi/liveblocks.yaml");
    let client = root.read("generated/client.rs");
    let (_, upstream) = exported_document(&root);
    let out = import(&root, &upstream, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("liveblocks.yaml unchanged"), "{err}");
    assert!(err.contains("client.rs unchanged"), "{err}");
    assert!(
        root.read("openapi/liveblocks.yaml") == spec,
        "the document changed"
    );
    assert!(
        root.read("generated/client.rs") == client,
        "the client changed"
    );
    // The upstream spelling is noted, nothing else is reported.
    for note in [
        "note: /servers/0/url: `https://api.liveblocks.io/v2` has the path `/v2`; moved into",
        "note: /paths/~1rooms~1{roomId}/get/operationId: `get-rooms-roomId` only spells the \
         method and path; named `get_room`",
    ] {
        assert!(err.contains(note), "missing {note:?} in:\n{err}");
    }
    let summary = stdout(&out);
    assert!(
        summary.contains("0 added, 0 reported only, 0 applied on request, 0 not added;"),
        "{summary}"
    );
    assert!(summary.contains("Nothing upstream is new"), "{summary}");
}

#[test]
fn an_upstream_document_with_every_defect_merges_into_ours() {
    let root = fixture_root("import-golden");
    let ours = root.read("openapi/liveblocks.yaml");
    let out = import_fixture(&root, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let merged = root.read("openapi/liveblocks.yaml");
    assert!(
        merged == read(fixture("import/merged.yaml")),
        "the merged document differs from fixtures/import/merged.yaml"
    );
    assert_eq!(stdout(&out), read(fixture("import/summary.md")));
    // Nothing of ours is lost.
    holds(&yaml(&merged), &yaml(&ours), "").unwrap();
    // Each defect is a note with its pointer into the upstream document.
    for note in [
        "/servers/0/url: `https://api.liveblocks.io/v2` has the path `/v2`; moved into the 11 \
         paths",
        "/paths/~1rooms~1{roomId}/get/operationId: `get-rooms-roomId` only spells the method \
         and path; named `get_room`",
        "/paths/~1rooms~1{roomId}~1storage/get/operationId: missing; named `get_storage`",
        "/components/schemas/RoomMetadataValue/type: [string, array] is written as a oneOf with \
         one member per type",
        "/components/ActiveUsersResponse: a schema directly under /components; moved to \
         /components/schemas/ActiveUsersResponse (1 $ref(s) rewritten)",
        "/components/schemas/ActiveUsersResponseDataItem/properties/info/properties/type: \
         `object` is not a schema but the schema's own `type`",
        "/paths/~1rooms/post/requestBody/content: 3 media types (application/json, \
         application/xml, application/x-www-form-urlencoded); kept application/json",
        "/paths/~1rooms~1{roomId}/post/requestBody/content/schema: not a media type; read as \
         application/json",
        "/paths/~1rooms~1{roomId}~1archive/post/requestBody/content/application~1json/schema: \
         missing; inferred from the example",
        "/paths/~1rooms~1{roomId}~1ydoc/put/requestBody/content/application~1octet-stream/\
         schema: `type: array, format: binary` is raw bytes",
        "/components/schemas/RoomData/properties/defaultAccesses/items: a multi-value enum \
         inline in a response; named `RoomDataDefaultAccesses`",
        "/paths/~1rooms~1{roomId}~1active_users: upstream's `/rooms/{roomId}/active_users` is \
         our `/rooms/{roomId}/active-users` (openapi/upstream-aliases.yaml)",
        "/paths/~1rooms/get/parameters/2/name: upstream's `tenantId` is our `organizationId`",
    ] {
        assert!(
            err.contains(&format!("note: {note}")),
            "missing {note:?} in:\n{err}"
        );
    }
    // The additions reach the client; the addition the generator cannot take does not.
    let client = root.read("generated/client.rs");
    for item in [
        "pub fn get_room_stats(&self)",
        "pub fn archive_room(&self)",
        "pub enum GetRoomStatsResponseStatus",
        "pub fn sort_by<",
    ] {
        assert!(client.contains(item), "no `{item}` in the generated client");
    }
    assert!(!client.contains("attachments_form"));
}

#[test]
fn a_second_run_changes_nothing() {
    let root = fixture_root("import-twice");
    let out = import_fixture(&root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (spec, client) = (
        root.read("openapi/liveblocks.yaml"),
        root.read("generated/client.rs"),
    );
    let out = import_fixture(&root, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("liveblocks.yaml unchanged"), "{err}");
    assert!(err.contains("client.rs unchanged"), "{err}");
    assert!(root.read("openapi/liveblocks.yaml") == spec);
    assert!(root.read("generated/client.rs") == client);
    // What is reported stays reported, until someone decides.
    let summary = stdout(&out);
    assert!(
        summary.contains("0 added, 9 reported only, 0 applied on request, 1 not added;"),
        "{summary}"
    );
    assert!(!summary.contains("### Added"), "{summary}");
}

#[test]
fn apply_takes_the_reported_changes_it_names_and_no_other() {
    let root = fixture_root("import-apply");
    let out = import_fixture(
        &root,
        &[
            "--apply",
            "/paths/~1v2~1rooms~1{roomId}~1prewarm/get",
            "--apply",
            "/components/schemas/ActiveUser/properties/connectionId",
            "--apply",
            "/components/schemas/AuthorizeUserRequestBody/properties/userId",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = yaml(&root.read("openapi/liveblocks.yaml"));
    assert!(doc["paths"].get("/v2/rooms/{roomId}/prewarm").is_none());
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["ActiveUser"]["properties"]["connectionId"]["type"],
        "string"
    );
    let auth = &schemas["AuthorizeUserRequestBody"];
    assert!(auth["properties"].get("userId").is_none());
    assert!(auth["properties"].get("user_id").is_some());
    assert!(
        auth["required"]
            .as_sequence()
            .unwrap()
            .contains(&"user_id".into())
    );
    // What was not named stays as ours.
    assert!(
        schemas["Room"]["properties"]
            .get("lastConnectionAt")
            .is_some()
    );
    assert!(doc["paths"].get("/v2/management/projects").is_some());
    let summary = stdout(&out);
    assert!(
        summary.contains("9 added, 6 reported only, 3 applied on request, 1 not added;"),
        "{summary}"
    );
    let applied = summary
        .split("### Applied on request")
        .nth(1)
        .and_then(|s| s.split("###").next())
        .unwrap();
    assert!(
        applied.contains(
            "| `/paths/~1v2~1rooms~1{roomId}~1prewarm/get` | operation `prewarm_room` (GET \
             /v2/rooms/{roomId}/prewarm): upstream lacks it |"
        ),
        "{applied}"
    );
}

#[test]
fn apply_at_a_pointer_where_nothing_is_reported_is_an_error_and_writes_nothing() {
    let root = fixture_root("import-apply-nothing");
    let (spec, client) = (
        root.read("openapi/liveblocks.yaml"),
        root.read("generated/client.rs"),
    );
    // An addition is not a reported change.
    let out = import_fixture(
        &root,
        &["--apply", "/components/schemas/Room/properties/size"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(
            "--apply /components/schemas/Room/properties/size: nothing is reported at this pointer"
        ),
        "{}",
        stderr(&out)
    );
    assert!(root.read("openapi/liveblocks.yaml") == spec);
    assert!(root.read("generated/client.rs") == client);
}

#[test]
fn a_merged_document_that_does_not_validate_writes_nothing() {
    let root = fixture_root("import-invalid");
    // Ours breaks a rule (an operation without a summary): the merge cannot fix it.
    let spec = root.read("openapi/liveblocks.yaml").replacen(
        "      summary: Get a room by its ID.\n",
        "",
        1,
    );
    root.write("openapi/liveblocks.yaml", &spec);
    let client = root.read("generated/client.rs");
    let out = import_fixture(&root, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the merged document breaks 1 rule(s); nothing written:")
            && err.contains("/paths/~1v2~1rooms~1{roomId}/get: missing summary"),
        "{err}"
    );
    assert!(root.read("openapi/liveblocks.yaml") == spec);
    assert!(root.read("generated/client.rs") == client);
    assert!(stdout(&out).is_empty());
}

#[test]
fn our_whole_document_with_upstream_changes_keeps_everything_of_ours() {
    let root = TempRoot::with_repo_copy("import-whole");
    let ours = root.read("openapi/liveblocks.yaml");
    let (mut doc, upstream) = exported_document(&root);
    // Upstream lacks three operations and a field; it adds two operations, a field, an enum
    // value.
    let paths = doc["paths"].as_mapping_mut().unwrap();
    assert!(paths.shift_remove("/rooms/{roomId}/prewarm").is_some());
    assert!(paths.shift_remove("/management/projects").is_some());
    paths.insert(
        "/rooms/{roomId}/stats".into(),
        yaml(
            "get:
  operationId: getRoomStats
  summary: Live numbers about a room.
  parameters: [{name: roomId, in: path, required: true, schema: {type: string}}]
  responses:
    '200':
      description: The numbers.
      content:
        application/json:
          schema:
            type: object
            properties:
              room: {$ref: '#/components/schemas/RoomData'}
              status: {type: string, enum: [idle, active]}",
        ),
    );
    // A management operation, with upstream's own name for the credential.
    paths.insert(
        "/management/projects/{projectId}/usage".into(),
        yaml(
            "get:
  operationId: get-management-projects-projectId-usage
  summary: Usage of a project.
  security: [{bearer: []}]
  parameters: [{name: projectId, in: path, required: true, schema: {type: string}}]
  responses:
    '200':
      description: The usage.
      content:
        application/json:
          schema: {type: object, properties: {connections: {type: integer}}}",
        ),
    );
    let room = doc["components"]["schemas"]["RoomData"]["properties"]
        .as_mapping_mut()
        .unwrap();
    assert!(room.shift_remove("lastConnectionAt").is_some());
    room.insert("archived".into(), yaml("{type: boolean}"));
    doc["components"]["schemas"]["RoomPermission"]["enum"]
        .as_sequence_mut()
        .unwrap()
        .push("room:presence:read".into());
    std::fs::write(&upstream, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let out = import(&root, &upstream, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let merged = root.read("openapi/liveblocks.yaml");
    holds(&yaml(&merged), &yaml(&ours), "").unwrap();
    let merged = yaml(&merged);
    let room = &merged["components"]["schemas"]["Room"]["properties"];
    assert_eq!(room["archived"]["type"], "boolean");
    assert!(
        merged["components"]["schemas"]["Permission"]["enum"]
            .as_sequence()
            .unwrap()
            .contains(&"room:presence:read".into())
    );
    let stats = &merged["paths"]["/v2/rooms/{roomId}/stats"]["get"];
    assert_eq!(stats["operationId"], "get_room_stats");
    assert_eq!(stats["tags"][0], "Rooms");
    assert_eq!(
        stats["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["room"]["$ref"],
        "#/components/schemas/Room"
    );
    let usage = &merged["paths"]["/v2/management/projects/{projectId}/usage"]["get"];
    assert_eq!(usage["operationId"], "get_management_usage");
    assert_eq!(usage["tags"][0], "Management");
    assert_eq!(usage["security"], yaml("[{managementToken: []}]"));
    let summary = stdout(&out);
    assert!(
        summary.contains("5 added, 4 reported only, 0 applied on request, 0 not added;"),
        "{summary}"
    );
    for row in [
        "| `/components/schemas/Room/properties/archived` | field `archived` (boolean, optional) |",
        "| `/components/schemas/Permission/enum/20` | enum value `room:presence:read` |",
        "| `/components/schemas/GetRoomStatsResponseStatus` | schema `GetRoomStatsResponseStatus` |",
        "| `/paths/~1v2~1rooms~1{roomId}~1stats/get` | operation `get_room_stats` (GET \
         /v2/rooms/{roomId}/stats) |",
        "| `/components/schemas/Room/properties/lastConnectionAt` | field `lastConnectionAt`: \
         upstream lacks it |",
        "| `/paths/~1v2~1rooms~1{roomId}~1prewarm/get` | operation `prewarm_room` (GET \
         /v2/rooms/{roomId}/prewarm): upstream lacks it |",
        "| `/paths/~1v2~1management~1projects/get` | operation `get_management_projects` (GET \
         /v2/management/projects): upstream lacks it |",
        "| `/paths/~1v2~1management~1projects/post` | operation `create_management_project` \
         (POST /v2/management/projects): upstream lacks it |",
    ] {
        assert!(summary.contains(row), "missing {row:?} in:\n{summary}");
    }
}
