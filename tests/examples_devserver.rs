//! Runs the example programs `quickstart`, `yjs_roundtrip`, `storage_json_patch` and
//! `room_migration` against
//! the dev server (and, for JSON Patch, which the dev server does not implement, against a small
//! in-memory Storage server below) and checks what they print and what they leave behind.
//!
//! The examples are the binaries cargo builds into `target/<profile>/examples/`: `cargo test`
//! and `cargo xtask test` build them; after `cargo test --test examples_devserver` alone, run
//! `cargo build --examples` first.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use liveblocks::Client;
use liveblocks::types::{Permission, RoomMetadata, RoomMetadataValue};
use serde_json::{Value, json};
use support::*;

/// What an example run printed.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The rest of the first stdout line that starts with `prefix`.
    fn line(&self, prefix: &str) -> &str {
        self.stdout
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?} in:\n{}", self.stdout))
    }

    fn json_line(&self, prefix: &str) -> Value {
        serde_json::from_str(self.line(prefix)).unwrap_or_else(|e| panic!("{prefix}: {e}"))
    }
}

/// The built example binary (next to the test binary's `deps/` folder).
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>");
    let binary = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} is missing: build the examples (`cargo build --examples`; `cargo test` and \
         `cargo xtask test` do it)",
        binary.display()
    );
    binary
}

/// Runs an example with the credentials of `base_url` (the dev server's key), at most 60 s.
async fn run_example(name: &str, base_url: &str, args: &[&str]) -> Run {
    let mut command = tokio::process::Command::new(example_binary(name));
    command
        .args(args)
        .env("LIVEBLOCKS_SECRET_KEY", support::devserver::SECRET_KEY)
        .env("LIVEBLOCKS_BASE_URL", base_url)
        .env_remove("LIVEBLOCKS_MANAGEMENT_TOKEN")
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .unwrap_or_else(|_| panic!("example {name} did not finish in 60 s"))
        .unwrap_or_else(|e| panic!("could not run example {name}: {e}"));
    Run {
        success: output.status.success(),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

async fn room_ids(client: &Client) -> Vec<String> {
    client
        .get_rooms()
        .stream()
        .try_collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn quickstart_creates_a_room_writes_storage_issues_a_token_and_cleans_up() {
    let server = devserver();
    let client = devserver_client(&server);
    let run = run_example("quickstart", &server.base_url(), &[]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.line("Talking to "), server.base_url());
    assert!(run.line("Created room ").starts_with("\"quickstart-"));
    assert_eq!(
        run.json_line("Storage is now "),
        json!({"title": "Quickstart", "todos": ["create a room", "write Storage"]})
    );
    let token_chars: usize = run
        .line("Issued an access token for ada@example.com (")
        .trim_end_matches(" characters)")
        .parse()
        .expect("a length");
    assert!(token_chars > 20, "{token_chars}");
    assert!(
        room_ids(&client).await.is_empty(),
        "the quickstart deletes its room"
    );
}

#[tokio::test]
async fn yjs_roundtrip_sends_the_same_update_the_yjs_library_makes_and_reads_it_back() {
    let server = devserver();
    let client = devserver_client(&server);

    // With the default text, the hand-encoded update is byte for byte the one the yjs npm
    // package produced for the same document (tests/fixtures/yjs/gen.mjs).
    let run = run_example("yjs_roundtrip", &server.base_url(), &[]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    let fixture = std::fs::read(repo_root().join("tests/fixtures/yjs/hello_update.bin")).unwrap();
    assert_eq!(
        run.line("Sending a 49-byte update: "),
        hex(&fixture),
        "the example's encoder differs from Yjs"
    );
    assert_eq!(run.line("Binary read back: 49 bytes: "), hex(&fixture));
    assert_eq!(
        run.json_line("JSON: "),
        json!({"text": "Hello from Rust", "meta": {"answer": 42}})
    );

    // Non-ASCII text (multi-byte UTF-8, a character outside the BMP) survives the round trip.
    let text = "Grüße aus Zürich 🎉";
    let run = run_example("yjs_roundtrip", &server.base_url(), &[text]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.line("Binary read back is identical to the update sent: "),
        "true"
    );
    assert_eq!(
        run.json_line("JSON: "),
        json!({"text": text, "meta": {"answer": 42}})
    );
    assert_eq!(run.json_line("Text: "), json!(text));
    assert!(room_ids(&client).await.is_empty(), "the example cleans up");
}

#[tokio::test]
async fn room_migration_updates_matching_rooms_only_and_is_idempotent() {
    let server = devserver();
    let client = devserver_client(&server);
    let create = |id: String, schema: &'static str| {
        let client = client.clone();
        async move {
            let mut metadata = BTreeMap::new();
            metadata.insert(
                "schema".to_string(),
                RoomMetadataValue::String(schema.to_string()),
            );
            client
                .create_room()
                .body_map(|b| {
                    b.id(id)
                        .default_accesses(vec![Permission::RoomRead])
                        .metadata(RoomMetadata(metadata))
                })
                .send()
                .await
                .unwrap();
        }
    };
    for i in 0..23 {
        create(format!("app:{i:02}"), "1").await;
    }
    create("app:already".to_string(), "2").await;
    create("other:01".to_string(), "1").await;
    create("apps-not-the-prefix".to_string(), "1").await;

    let run = run_example("room_migration", &server.base_url(), &["app:"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.line("Migrating rooms matching ")
            .starts_with(r#"roomId^"app:" AND metadata["schema"]:"1" to schema 2, 8 at a time"#),
        "{}",
        run.stdout
    );
    let summary = run.line("Listed ");
    assert!(
        summary.ends_with("migrated 23, skipped 3, failed 0")
            || summary.ends_with("migrated 23, skipped 0, failed 0"),
        "{summary}"
    );

    let schema_of = |room: &liveblocks::types::Room| match room.metadata.get("schema") {
        Some(RoomMetadataValue::String(s)) => s.clone(),
        other => panic!("{}: schema {other:?}", room.id),
    };
    let rooms = client.get_rooms().stream().try_collect_all().await.unwrap();
    assert_eq!(rooms.len(), 26);
    for room in &rooms {
        let expected = if room.id.starts_with("app:") {
            "2"
        } else {
            "1"
        };
        assert_eq!(schema_of(room), expected, "{}", room.id);
    }

    // A second run has nothing left to do.
    let run = run_example("room_migration", &server.base_url(), &["app:"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.line("Listed ").contains("migrated 0,"),
        "{}",
        run.stdout
    );

    // --seed creates rooms in the old schema first, then migrates them.
    let run = run_example(
        "room_migration",
        &server.base_url(),
        &["seeded:", "--seed", "5"],
    )
    .await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.line("Seeded "), "5 rooms with schema 1");
    assert!(
        run.line("Listed ").contains("migrated 5,"),
        "{}",
        run.stdout
    );
    for i in 0..5 {
        let room = client
            .get_room()
            .room_id(format!("seeded:{i:03}"))
            .send()
            .await
            .unwrap();
        assert_eq!(schema_of(&room), "2");
    }
}

/// `room_migration` against a stand-in whose room updates take 200 ms: the updates overlap, but
/// never more than the example's limit of 8.
#[tokio::test]
async fn room_migration_keeps_at_most_eight_updates_in_flight() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    #[derive(Default)]
    struct Counters {
        in_flight: AtomicUsize,
        max_in_flight: AtomicUsize,
        updates: AtomicUsize,
    }
    let counters = Arc::new(Counters::default());
    let shared = counters.clone();
    let app =
        axum::Router::new().fallback(move |method: axum::http::Method, uri: axum::http::Uri| {
            let counters = shared.clone();
            async move {
                use axum::response::IntoResponse;
                if method == axum::http::Method::GET && uri.path() == "/v2/rooms" {
                    let rooms: Vec<Value> = (0..40)
                        .map(|i| {
                            let mut room = room_json(&format!("app:{i:02}"));
                            room["metadata"] = json!({"schema": "1"});
                            room
                        })
                        .collect();
                    return axum::Json(json!({"data": rooms, "nextCursor": null})).into_response();
                }
                assert_eq!(method, axum::http::Method::POST, "{uri}");
                let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(200)).await;
                counters.in_flight.fetch_sub(1, Ordering::SeqCst);
                counters.updates.fetch_add(1, Ordering::SeqCst);
                let id = uri.path().trim_start_matches("/v2/rooms/");
                let mut room = room_json(&percent_decode(id).unwrap());
                room["metadata"] = json!({"schema": "2"});
                axum::Json(room).into_response()
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let serving = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let run = run_example("room_migration", &base_url, &["app:"]).await;
    serving.abort();
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.line("Listed "),
        "40 rooms: migrated 40, skipped 0, failed 0"
    );
    assert_eq!(counters.updates.load(Ordering::SeqCst), 40);
    let max = counters.max_in_flight.load(Ordering::SeqCst);
    assert_eq!(max, 8, "at most 8 updates at once, and the limit is used");
}

#[tokio::test]
async fn storage_json_patch_explains_that_the_dev_server_lacks_json_patch() {
    let server = devserver();
    let client = devserver_client(&server);
    let run = run_example("storage_json_patch", &server.base_url(), &[]).await;
    assert!(!run.success, "{}", run.stdout);
    assert_eq!(
        run.json_line("Before: "),
        json!({"title": "Groceries", "items": ["milk", "eggs"], "owner": {"name": "Ada", "draft": true}})
    );
    assert!(
        run.stderr
            .contains("this server does not implement Storage JSON Patch (501"),
        "{}",
        run.stderr
    );
    assert!(
        room_ids(&client).await.is_empty(),
        "the room is deleted also on failure"
    );
}

#[tokio::test]
async fn storage_json_patch_applies_its_operations_in_one_request() {
    let fake = FakeStorage::start().await;
    let run = run_example("storage_json_patch", &fake.base_url, &[]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);

    let expected = json!({
        "title": "Weekend groceries",
        "items": ["coffee", "milk", "eggs", "bread"],
        "owner": {"name": "Ada"},
        "lastEditor": "Ada",
        "budget": {"currency": "EUR", "limit": 40}
    });
    assert_eq!(run.line("Applying "), "8 operations");
    assert_eq!(run.json_line("After: "), expected);
    assert_eq!(run.line("Failing patch refused with status "), "422");
    assert_eq!(run.json_line("Unchanged: "), expected);

    let state = fake.state.lock().unwrap();
    assert_eq!(
        state.patches.len(),
        2,
        "one request per patch: {:?}",
        state.patches
    );
    assert_eq!(
        state.patches[0],
        json!([
            {"op": "replace", "path": "/title", "value": "Weekend groceries"},
            {"op": "add", "path": "/items/-", "value": "bread"},
            {"op": "add", "path": "/items/0", "value": "coffee"},
            {"op": "remove", "path": "/owner/draft"},
            {"op": "copy", "from": "/owner/name", "path": "/lastEditor"},
            {"op": "add", "path": "/budget", "value": {"currency": "EUR", "amount": 40}},
            {"op": "move", "from": "/budget/amount", "path": "/budget/limit"},
            {"op": "test", "path": "/lastEditor", "value": "Ada"}
        ])
    );
    assert!(state.rooms.is_empty(), "the example deletes its room");
}

/// A stand-in for the Storage part of the API: rooms hold a plain-JSON Storage document that
/// JSON Patch requests change atomically (RFC 6902, enough of it for the example).
struct FakeStorage {
    base_url: String,
    state: Arc<Mutex<FakeState>>,
    serving: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct FakeState {
    rooms: BTreeMap<String, Value>,
    patches: Vec<Value>,
}

impl Drop for FakeStorage {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

impl FakeStorage {
    async fn start() -> FakeStorage {
        let state = Arc::new(Mutex::new(FakeState::default()));
        let shared = state.clone();
        let app = axum::Router::new().fallback(
            move |method: axum::http::Method, uri: axum::http::Uri, body: axum::body::Bytes| {
                let state = shared.clone();
                async move { fake_handle(&state, &method, &uri, &body) }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let serving = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeStorage {
            base_url,
            state,
            serving,
        }
    }
}

fn fake_handle(
    state: &Mutex<FakeState>,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    body: &[u8],
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let mut state = state.lock().unwrap();
    let segments: Vec<String> = uri
        .path()
        .split('/')
        .skip(3) // "", "v2", "rooms"
        .map(|s| percent_decode(s).unwrap_or_else(|| panic!("bad path {}", uri.path())))
        .collect();
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).expect("JSON request body")
    };
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (method.as_str(), seg.as_slice()) {
        ("POST", []) => {
            let id = body["id"].as_str().expect("room id").to_string();
            state.rooms.insert(id.clone(), json!({}));
            axum::Json(room_json(&id)).into_response()
        }
        ("DELETE", [id]) => {
            state.rooms.remove(*id);
            StatusCode::NO_CONTENT.into_response()
        }
        ("POST", [id, "storage"]) => {
            state.rooms.insert(id.to_string(), lson_to_json(&body));
            axum::Json(body).into_response()
        }
        ("GET", [id, "storage"]) => {
            assert_eq!(uri.query(), Some("format=json"));
            axum::Json(state.rooms[*id].clone()).into_response()
        }
        ("PATCH", [id, "storage", "json-patch"]) => {
            state.patches.push(body.clone());
            let mut doc = state.rooms[*id].clone();
            for op in body.as_array().expect("a list of operations") {
                if let Err(reason) = apply(&mut doc, op) {
                    return (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        axum::Json(json!({"error": "INVALID_JSON_PATCH", "message": reason})),
                    )
                        .into_response();
                }
            }
            state.rooms.insert(id.to_string(), doc);
            StatusCode::OK.into_response()
        }
        _ => panic!("unexpected request {method} {uri}"),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// LSON (`{"liveblocksType": ..., "data": ...}`) to the plain JSON the API returns.
fn lson_to_json(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.contains_key("liveblocksType") => lson_to_json(&map["data"]),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), lson_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        Value::Array(items) => items.iter().map(lson_to_json).collect(),
        other => other.clone(),
    }
}

/// Splits a JSON Pointer into its parent pointer and last (unescaped) token.
fn split_pointer(pointer: &str) -> Result<(&str, String), String> {
    let at = pointer
        .rfind('/')
        .ok_or(format!("bad pointer {pointer:?}"))?;
    let last = pointer[at + 1..].replace("~1", "/").replace("~0", "~");
    Ok((&pointer[..at], last))
}

fn add(doc: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let (parent, last) = split_pointer(pointer)?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(last, value);
            Ok(())
        }
        Some(Value::Array(items)) if last == "-" => {
            items.push(value);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index: usize = last.parse().map_err(|_| format!("bad index {last:?}"))?;
            if index > items.len() {
                return Err(format!("index {index} out of range"));
            }
            items.insert(index, value);
            Ok(())
        }
        _ => Err(format!("no container at {parent:?}")),
    }
}

fn remove(doc: &mut Value, pointer: &str) -> Result<Value, String> {
    let (parent, last) = split_pointer(pointer)?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&last).ok_or(format!("nothing at {pointer:?}")),
        Some(Value::Array(items)) => {
            let index: usize = last.parse().map_err(|_| format!("bad index {last:?}"))?;
            if index >= items.len() {
                return Err(format!("index {index} out of range"));
            }
            Ok(items.remove(index))
        }
        _ => Err(format!("no container at {parent:?}")),
    }
}

fn apply(doc: &mut Value, op: &Value) -> Result<(), String> {
    let path = op["path"].as_str().ok_or("no path")?;
    let from = || op["from"].as_str().ok_or("no from".to_string());
    match op["op"].as_str().ok_or("no op")? {
        "add" => add(doc, path, op["value"].clone()),
        "remove" => remove(doc, path).map(drop),
        "replace" => {
            remove(doc, path)?;
            add(doc, path, op["value"].clone())
        }
        "move" => {
            let value = remove(doc, from()?)?;
            add(doc, path, value)
        }
        "copy" => {
            let value = doc
                .pointer(from()?)
                .cloned()
                .ok_or(format!("nothing at {:?}", op["from"]))?;
            add(doc, path, value)
        }
        "test" => match doc.pointer(path) {
            Some(found) if *found == op["value"] => Ok(()),
            found => Err(format!("test failed at {path:?}: found {found:?}")),
        },
        other => Err(format!("unknown op {other:?}")),
    }
}
