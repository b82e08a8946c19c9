//! The blocking client (`--features blocking`): the dev-server integration tests of rooms,
//! Storage, Yjs and tokens through `liveblocks::blocking::Client`, iterators over paginated
//! lists, wire tests against a recording server, and the error it gives inside an async runtime.
//!
//! These tests are plain `#[test]`s: the blocking client must not run on a thread that runs a
//! Tokio runtime. The recording server (wiremock) runs on a runtime of the test's own, whose
//! `block_on` is only used to start it and read what it recorded.

mod support;

use std::collections::BTreeMap;
use std::io::Read as _;

use liveblocks::blocking::Client;
use liveblocks::types::{self, Permission};
use liveblocks::{Change, Error};
use serde_json::{Value, json};
use support::*;

fn blocking_devserver_client(server: &DevServer) -> Client {
    Client::builder()
        .secret_key(devserver::SECRET_KEY)
        .base_url(server.base_url())
        .build()
        .expect("blocking dev server client")
}

fn create_room(client: &Client, id: &str) -> types::Room {
    client
        .create_room()
        .body_map(|b| b.id(id).default_accesses(vec![Permission::RoomRead]))
        .send()
        .unwrap()
        .into_inner()
}

/// The JSON payload of an (unsigned) JWT.
fn jwt_payload(token: &str) -> Value {
    use base64::Engine as _;
    let middle = token.split('.').nth(1).expect("a JWT has three parts");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(middle.trim_end_matches('='))
        .unwrap();
    serde_json::from_slice(&raw).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Dev server

#[test]
fn rooms_create_get_list_update_delete() {
    let server = devserver();
    let client = blocking_devserver_client(&server);

    let room = create_room(&client, "room a/b é");
    assert_eq!(room.id, "room a/b é");
    assert_eq!(room.default_accesses, vec![Permission::RoomRead]);

    let err = client
        .create_room()
        .body_map(|b| {
            b.id("room a/b é")
                .default_accesses(Vec::<liveblocks::Permission>::new())
        })
        .send()
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409), "{err}");
    assert_eq!(err.code(), Some("ROOM_ALREADY_EXISTS"));
    let same = client
        .create_room()
        .idempotent(true)
        .body_map(|b| {
            b.id("room a/b é")
                .default_accesses(vec![Permission::RoomWrite])
        })
        .send()
        .unwrap();
    assert_eq!(same.default_accesses, vec![Permission::RoomRead]);

    let got = client.get_room().room_id("room a/b é").send().unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.created_at, room.created_at);

    create_room(&client, "second");
    let listed = client.get_rooms().send().unwrap();
    let ids: Vec<&str> = listed.data.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["room a/b é", "second"]);

    let updated = client
        .update_room()
        .room_id("second")
        .body_map(|b| b.users_accesses([("alice", ["room:write"])]))
        .send()
        .unwrap();
    assert_eq!(
        updated.users_accesses.0.get("alice"),
        Some(&vec![Permission::RoomWrite])
    );
    let updated = client
        .update_room()
        .room_id("second")
        .body_map(|b| b.users_accesses([("alice", Change::Remove)]))
        .send()
        .unwrap();
    assert!(updated.users_accesses.0.is_empty());

    let deleted = client.delete_room().room_id("second").send().unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let err = client.get_room().room_id("second").send().unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some("ROOM_NOT_FOUND"));
}

#[test]
fn storage_initialize_get_in_both_formats_and_delete() {
    let server = devserver();
    let client = blocking_devserver_client(&server);
    create_room(&client, "storage");

    let tree: types::InitializeStorageDocumentRequestBody = serde_json::from_value(json!({
        "liveblocksType": "LiveObject",
        "data": {
            "title": "Groceries",
            "items": {"liveblocksType": "LiveList", "data": ["milk", "eggs"]}
        }
    }))
    .unwrap();
    let stored = client
        .initialize_storage_document()
        .room_id("storage")
        .body(tree)
        .send()
        .unwrap();
    assert_eq!(stored.data.get("title"), Some(&json!("Groceries")));

    let lson = client
        .get_storage_document()
        .room_id("storage")
        .send()
        .unwrap();
    assert_eq!(
        lson.0["data"]["items"],
        json!({"liveblocksType": "LiveList", "data": ["milk", "eggs"]})
    );
    let plain = client
        .get_storage_document()
        .room_id("storage")
        .format(types::StorageDocumentFormat::Json)
        .send()
        .unwrap();
    assert_eq!(
        plain.0,
        json!({"title": "Groceries", "items": ["milk", "eggs"]})
    );

    client
        .delete_storage_document()
        .room_id("storage")
        .send()
        .unwrap();
    let empty = client
        .get_storage_document()
        .room_id("storage")
        .format(types::StorageDocumentFormat::Json)
        .send()
        .unwrap();
    assert_eq!(empty.0, json!({}));
}

#[test]
fn yjs_binary_update_round_trip_through_iterator_and_read() {
    let server = devserver();
    let client = blocking_devserver_client(&server);
    create_room(&client, "yjs");
    // Text "Hello from Rust" in the shared type `text`, and `meta.answer = 42`
    // (tests/fixtures/yjs/gen.mjs).
    let update = std::fs::read(repo_root().join("tests/fixtures/yjs/hello_update.bin")).unwrap();
    client
        .send_yjs_binary_update()
        .room_id("yjs")
        .body(update.clone())
        .send()
        .unwrap();

    // The whole body at once.
    let binary = client
        .get_yjs_document_as_binary_update()
        .room_id("yjs")
        .send()
        .unwrap();
    assert_eq!(binary.status().as_u16(), 200);
    assert_eq!(binary.into_inner().bytes().unwrap(), update);

    // Through io::Read, three bytes at a time (partial reads of a chunk).
    let mut reader = client
        .get_yjs_document_as_binary_update()
        .room_id("yjs")
        .send()
        .unwrap()
        .into_inner();
    let mut read = Vec::new();
    let mut buf = [0u8; 3];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        read.extend_from_slice(&buf[..n]);
    }
    assert_eq!(read, update);
    assert!(reader.next().is_none(), "the stream is finished");

    let doc = client.get_yjs_document().room_id("yjs").send().unwrap();
    assert_eq!(
        doc.0,
        json!({"text": "Hello from Rust", "meta": {"answer": 42}})
    );
    let text = client
        .get_yjs_document()
        .room_id("yjs")
        .key("text")
        .type_(types::YjsDocumentType::Ytext)
        .send()
        .unwrap();
    assert_eq!(text.0, json!("Hello from Rust"));
}

#[test]
fn tokens_from_the_operation_a_session_and_an_id_token() {
    let server = devserver();
    let client = blocking_devserver_client(&server);

    let mut permissions = BTreeMap::new();
    permissions.insert("team-*".to_string(), vec![Permission::RoomWrite]);
    let token = client
        .authorize_user()
        .body_map(|b| b.user_id("ada").permissions(permissions))
        .send()
        .unwrap();
    let payload = jwt_payload(&token.token);
    assert_eq!(payload["uid"], "ada");
    assert_eq!(payload["perms"], json!({"team-*": ["room:write"]}));

    let token = client
        .prepare_session("ada")
        .user_info(json!({"name": "Ada Lovelace"}))
        .allow("team-1:*", Permission::FULL_ACCESS)
        .allow(
            "lobby",
            [Permission::RoomRead, Permission::RoomPresenceWrite],
        )
        .authorize()
        .unwrap();
    let payload = jwt_payload(token.token());
    assert_eq!(payload["uid"], "ada");
    assert_eq!(
        payload["perms"],
        json!({"team-1:*": ["*:write"], "lobby": ["room:read", "room:presence:write"]})
    );

    let token = client
        .identify_user("ada")
        .group_ids(["engineering", "design"])
        .authorize()
        .unwrap();
    let payload = jwt_payload(token.token());
    assert_eq!(payload["uid"], "ada");
    assert_eq!(payload["gids"], json!(["engineering", "design"]));

    // The generated builder of the hand-written operation has a blocking twin too.
    let body = types::IdentifyUserRequestBody::builder()
        .user_id("bob")
        .group_ids(vec!["g1".to_string()]);
    let token = liveblocks::blocking::builder::IdentifyUser::new(&client)
        .body(body)
        .send()
        .unwrap();
    assert_eq!(jwt_payload(&token.token)["gids"], json!(["g1"]));

    // A broken session rule is caught before any request.
    let err = client.prepare_session("ada").authorize().unwrap_err();
    assert!(matches!(err, Error::Session(_)), "{err}");
}

#[test]
fn a_multipart_upload_and_its_download_round_trip_byte_for_byte() {
    use liveblocks::upload::{self, PART_SIZE, Source};
    let server = devserver();
    let client = blocking_devserver_client(&server);
    create_room(&client, "blocking-uploads");
    let bytes: Vec<u8> = (0..2 * PART_SIZE + 3).map(|i| (i % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("lb-blocking-upload-{}", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let file_id = upload::new_file_id();
    let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = sent.clone();
    let file = client
        .upload_file("blocking-uploads", &file_id, "big.bin", Source::path(&path))
        .parallelism(2)
        .on_progress(move |p| seen.lock().unwrap().push(p.sent))
        .send()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(file.size, bytes.len() as i64);
    assert_eq!(sent.lock().unwrap().last(), Some(&(bytes.len() as u64)));
    let mut out = Vec::new();
    let written = client
        .download_storage_file("blocking-uploads", &file_id, &mut out)
        .unwrap();
    assert_eq!(written, bytes.len() as u64);
    assert!(out == bytes, "the download is the file");
    let link = client
        .storage_file_url("blocking-uploads", &file_id)
        .unwrap();
    let mut again = Vec::new();
    client.download_url(&link, &mut again).unwrap();
    assert!(again == bytes);
}

#[test]
fn iterating_over_every_room_of_the_dev_server() {
    let server = devserver();
    let client = blocking_devserver_client(&server);
    for i in 0..30 {
        create_room(&client, &format!("iter-{i:02}"));
    }
    let ids: Vec<String> = client
        .get_rooms()
        .iter()
        .map(|room| room.map(|r| r.id))
        .collect::<Result<_, Error>>()
        .unwrap();
    let expected: Vec<String> = (0..30).map(|i| format!("iter-{i:02}")).collect();
    assert_eq!(ids, expected);
    let all = client.get_rooms().iter().try_collect_all().unwrap();
    assert_eq!(all.len(), 30);
}

#[test]
fn the_wrong_secret_is_refused_by_the_dev_server() {
    let server = devserver();
    let client = Client::builder()
        .secret_key("sk_wrong")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client.get_rooms().send().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Wire tests (recording server on a runtime of the test's own)

struct Recorder {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

impl Recorder {
    fn start() -> Recorder {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start());
        Recorder { runtime, server }
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    fn requests(&self) -> Vec<Request> {
        self.runtime
            .block_on(self.server.received_requests())
            .expect("recording enabled")
    }

    fn client(&self) -> Client {
        Client::builder()
            .secret_key(WIRE_SECRET)
            .base_url(self.server.uri())
            .max_retries(0)
            .build()
            .expect("blocking wire client")
    }
}

#[test]
fn get_room_on_the_wire_and_a_decoded_api_error() {
    let recorder = Recorder::start();
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms/my%20room"))
            .respond_with(ResponseTemplate::new(200).set_body_json(room_json("my room"))),
    );
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms/missing"))
            .respond_with(ResponseTemplate::new(404).set_body_json(json!({
                "error": "ROOM_NOT_FOUND",
                "message": "Room 'missing' was not found"
            }))),
    );
    let client = recorder.client();

    let room = client.get_room().room_id("my room").send().unwrap();
    assert_eq!(room.id, "my room");
    assert_eq!(room.default_accesses, vec![Permission::RoomWrite]);
    let requests = recorder.requests();
    assert_eq!(requests.len(), 1);
    assert_request(&requests[0], "GET", "/v2/rooms/my%20room");
    assert_eq!(query(&requests[0]), pairs(&[]));

    let err = client.get_room().room_id("missing").send().unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some("ROOM_NOT_FOUND"));
    assert_eq!(
        err.api().and_then(|e| e.message.as_deref()),
        Some("Room 'missing' was not found")
    );

    // A missing required argument is refused before sending.
    let err = client.get_room().send().unwrap_err();
    assert!(
        matches!(&err, Error::MissingField { operation: "get_room", field, .. } if field == "room_id"),
        "{err}"
    );
    assert_eq!(recorder.requests().len(), 2);
}

/// The blocking client sends every hostile ID as one percent-encoded segment too, with and
/// without a base-URL prefix (the fault server records the request target exactly as sent),
/// and refuses `""`, `.` and `..` by name without sending anything.
#[test]
fn hostile_ids_stay_in_their_segment() {
    use support::fault::{Action, FaultServer};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(FaultServer::start(|_| Action::Respond {
        status: 204,
        headers: vec![],
        body: vec![],
    }));
    let cases = [
        (
            "tenant-a:x\\..\\tenant-b:doc",
            "tenant-a:x%5C..%5Ctenant-b:doc",
        ),
        ("../../projects/x", "..%2F..%2Fprojects%2Fx"),
        ("%2e%2e", "%252e%252e"),
        ("q?x#y", "q%3Fx%23y"),
        ("nl\n", "nl%0A"),
        ("é", "%C3%A9"),
    ];
    for prefix in ["", "/prefix"] {
        let client = Client::builder()
            .secret_key(WIRE_SECRET)
            .base_url(format!("{}{prefix}", server.base_url()))
            .build()
            .unwrap();
        for (value, encoded) in cases {
            let before = server.count();
            client
                .delete_thread()
                .room_id(value)
                .thread_id(value)
                .send()
                .unwrap();
            let seen = &server.requests()[before..];
            assert_eq!(seen.len(), 1);
            assert_eq!(seen[0].method, "DELETE");
            assert_eq!(
                seen[0].target,
                format!("{prefix}/v2/rooms/{encoded}/threads/{encoded}")
            );
        }
        for value in ["", ".", ".."] {
            let err = client
                .delete_thread()
                .room_id("r")
                .thread_id(value)
                .send()
                .unwrap_err();
            assert!(
                matches!(&err, Error::InvalidArgument(m)
                    if m.starts_with("delete_thread: the path parameter `threadId` is")),
                "{err}"
            );
        }
    }
    assert_eq!(server.count(), 12, "nothing sent for the refused values");
}

#[test]
fn create_room_sends_the_json_body_and_query() {
    let recorder = Recorder::start();
    recorder.mount(
        Mock::given(method("POST"))
            .and(path("/v2/rooms"))
            .respond_with(ResponseTemplate::new(200).set_body_json(room_json("new"))),
    );
    let client = recorder.client();
    let room = client
        .create_room()
        .idempotent(true)
        .body_map(|b| b.id("new").default_accesses(vec![Permission::RoomWrite]))
        .send()
        .unwrap();
    assert_eq!(room.id, "new");
    let requests = recorder.requests();
    assert_eq!(requests.len(), 1);
    assert_request(&requests[0], "POST", "/v2/rooms");
    assert_eq!(query(&requests[0]), pairs(&[("idempotent", "true")]));
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({"id": "new", "defaultAccesses": ["room:write"]})
    );
}

#[test]
fn update_room_sends_changes_and_a_missing_id_is_a_missing_field_error() {
    let recorder = Recorder::start();
    recorder.mount(
        Mock::given(method("POST"))
            .and(path("/v2/rooms/r"))
            .respond_with(ResponseTemplate::new(200).set_body_json(room_json("r"))),
    );
    let client = recorder.client();
    client
        .update_room()
        .room_id("r")
        .body_map(|b| {
            b.default_accesses(Change::Remove)
                .metadata([("color", Change::set("blue")), ("draft", Change::Remove)])
                .users_accesses([("alice", ["room:read"])])
        })
        .send()
        .unwrap();
    let requests = recorder.requests();
    assert_eq!(requests.len(), 1);
    assert_request(&requests[0], "POST", "/v2/rooms/r");
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({
            "defaultAccesses": null,
            "metadata": {"color": "blue", "draft": null},
            "usersAccesses": {"alice": ["room:read"]}
        })
    );

    let err = client
        .create_room()
        .body_map(|b| b.default_accesses(["room:read"]))
        .send()
        .unwrap_err();
    assert!(
        matches!(&err, Error::MissingField { operation: "create_room", field, location: liveblocks::FieldLocation::BodyField } if field == "id"),
        "{err:?}"
    );
    assert_eq!(
        recorder.requests().len(),
        1,
        "nothing sent for the missing id"
    );
}

/// Three pages of rooms (`c1`, `c2` cursors), then `nextCursor: null`.
fn mount_three_pages(recorder: &Recorder) {
    let page = |ids: &[&str], next: Value| {
        let data: Vec<Value> = ids.iter().map(|id| room_json(id)).collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "nextCursor": next}))
    };
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms"))
            .and(query_param("startingAfter", "c1"))
            .respond_with(page(&["r3", "r4"], json!("c2"))),
    );
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms"))
            .and(query_param("startingAfter", "c2"))
            .respond_with(page(&["r5"], Value::Null)),
    );
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms"))
            .and(wiremock::matchers::query_param_is_missing("startingAfter"))
            .respond_with(page(&["r1", "r2"], json!("c1"))),
    );
}

#[test]
fn the_room_iterator_follows_cursors_with_the_filters_on_every_page() {
    let recorder = Recorder::start();
    mount_three_pages(&recorder);
    let client = recorder.client();

    let mut rooms = client.get_rooms().user_id("ada").iter().page_size(2);
    // Lazy: nothing is sent before the first item is asked for.
    assert!(recorder.requests().is_empty());
    let first = rooms.next().unwrap().unwrap();
    assert_eq!(first.id, "r1");
    let rest: Vec<String> = rooms.map(|r| r.unwrap().id).collect();
    assert_eq!(rest, ["r2", "r3", "r4", "r5"]);

    let requests = recorder.requests();
    let queries: Vec<_> = requests.iter().map(query).collect();
    assert_eq!(
        queries,
        [
            pairs(&[("limit", "2"), ("userId", "ada")]),
            pairs(&[("limit", "2"), ("startingAfter", "c1"), ("userId", "ada")]),
            pairs(&[("limit", "2"), ("startingAfter", "c2"), ("userId", "ada")]),
        ]
    );

    // Whole pages.
    let pages: Vec<Vec<String>> = client
        .get_rooms()
        .iter()
        .read_ahead(false)
        .pages()
        .map(|p| p.unwrap().into_iter().map(|r| r.id).collect())
        .collect();
    assert_eq!(pages, [vec!["r1", "r2"], vec!["r3", "r4"], vec!["r5"]]);
}

#[test]
fn an_error_page_is_yielded_once_and_ends_the_iteration() {
    let recorder = Recorder::start();
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms"))
            .and(query_param("startingAfter", "c1"))
            .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "INTERNAL"}))),
    );
    recorder.mount(
        Mock::given(method("GET"))
            .and(path("/v2/rooms"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": [room_json("r1")], "nextCursor": "c1"})),
            ),
    );
    let client = recorder.client();
    let items: Vec<Result<types::Room, Error>> = client.get_rooms().iter().collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "r1");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err}");
    assert_eq!(err.code(), Some("INTERNAL"));
}

// ---------------------------------------------------------------------------------------------
// Inside an async runtime

fn is_async_context_error(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(e @ Error::BlockingInAsyncContext) => {
            let text = e.to_string();
            assert!(text.contains("liveblocks::Client"), "{text}");
            assert!(text.contains("std::thread::spawn"), "{text}");
        }
        other => panic!("expected Error::BlockingInAsyncContext, got {other:?}"),
    }
}

#[test]
fn creating_the_client_inside_a_runtime_is_a_clear_error() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        is_async_context_error(Client::new(WIRE_SECRET));
        is_async_context_error(
            Client::builder()
                .secret_key(WIRE_SECRET)
                .base_url("http://127.0.0.1:9")
                .build(),
        );
        is_async_context_error(Client::from_async(
            liveblocks::Client::new(WIRE_SECRET).unwrap(),
        ));
    });
}

#[test]
fn using_the_client_inside_a_runtime_is_a_clear_error_and_sends_nothing() {
    let recorder = Recorder::start();
    recorder.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(room_json("r"))),
    );
    let client = recorder.client();

    // On a current-thread runtime (where blocking would deadlock a server on that runtime).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        is_async_context_error(client.get_room().room_id("r").send());
        let mut rooms = client.get_rooms().iter();
        is_async_context_error(rooms.next().unwrap());
        assert!(rooms.next().is_none(), "the error ends the iteration");
        is_async_context_error(
            client
                .prepare_session("ada")
                .allow("r", Permission::READ_ACCESS)
                .authorize(),
        );
        let upload = client
            .upload_file(
                "r",
                "fl_abc123456789012345678",
                "a",
                liveblocks::upload::Source::from(b"a".to_vec()),
            )
            .send();
        assert!(
            matches!(
                &upload,
                Err(liveblocks::upload::UploadError::Request {
                    source: Error::BlockingInAsyncContext,
                    ..
                })
            ),
            "{upload:?}"
        );
        let download =
            client.download_storage_file("r", "fl_abc123456789012345678", &mut Vec::new());
        assert!(
            matches!(
                &download,
                Err(liveblocks::upload::DownloadError::Blocking(
                    Error::BlockingInAsyncContext
                ))
            ),
            "{download:?}"
        );
    });

    // In a task of a multi-thread runtime, and in spawn_blocking (still the runtime's context).
    let client2 = client.clone();
    let client3 = client.clone();
    recorder.runtime.block_on(async move {
        let in_task = tokio::spawn(async move { client2.get_room().room_id("r").send() })
            .await
            .unwrap();
        is_async_context_error(in_task);
        let in_blocking =
            tokio::task::spawn_blocking(move || client3.get_room().room_id("r").send())
                .await
                .unwrap();
        is_async_context_error(in_blocking);
    });
    assert!(recorder.requests().is_empty(), "nothing was sent");

    // From async code, a thread of its own works; so does the test thread afterwards.
    let client4 = client.clone();
    let from_thread = recorder.runtime.block_on(async move {
        std::thread::spawn(move || client4.get_room().room_id("r").send().map(|r| r.id.clone()))
            .join()
            .unwrap()
    });
    assert_eq!(from_thread.unwrap(), "r");
    assert_eq!(client.get_room().room_id("r").send().unwrap().id, "r");
    assert_eq!(recorder.requests().len(), 2);

    // Dropping the last clone inside a runtime does not panic.
    runtime.block_on(async move { drop(client) });
}

#[test]
fn clones_share_the_runtime_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Client>();

    let recorder = Recorder::start();
    recorder.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(room_json("r"))),
    );
    let client = recorder.client();
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|j| {
                        let id = format!("t{i}-{j}");
                        client.get_room().room_id(id.as_str()).send().map(|_| id)
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap().len(), 5);
    }
    let mut paths: Vec<String> = recorder
        .requests()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    paths.sort();
    let mut expected: Vec<String> = (0..4)
        .flat_map(|i| (0..5).map(move |j| format!("/v2/rooms/t{i}-{j}")))
        .collect();
    expected.sort();
    assert_eq!(paths, expected);
}

#[test]
fn mutate_storage_edits_through_the_crdt_and_sends_nothing_on_error() {
    let server = devserver();
    let client = blocking_devserver_client(&server);
    create_room(&client, "crdt");
    let tree: types::InitializeStorageDocumentRequestBody = serde_json::from_value(json!({
        "liveblocksType": "LiveObject",
        "data": {"todos": {"liveblocksType": "LiveList", "data": ["a"]}}
    }))
    .unwrap();
    client
        .initialize_storage_document()
        .room_id("crdt")
        .body(tree)
        .send()
        .unwrap();
    let len = client
        .mutate_storage("crdt", |root| {
            let mut todos = root.get_list("todos")?;
            todos.push("b");
            todos.insert(0, liveblocks::storage::Lson::map([("k", 1)]))?;
            Ok::<_, Error>(todos.len())
        })
        .unwrap();
    assert_eq!(len, 3);
    let err = client
        .mutate_storage("crdt", |root| {
            root.set("never", true);
            Err::<(), _>(Error::InvalidArgument("no".into()))
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    let plain = client
        .get_storage_document()
        .room_id("crdt")
        .format(types::StorageDocumentFormat::Json)
        .send()
        .unwrap();
    assert_eq!(
        serde_json::to_value(plain.into_inner()).unwrap(),
        json!({"todos": [{"k": 1}, "a", "b"]})
    );
}

#[test]
fn mass_mutate_storage_iterates_every_room() {
    let server = devserver();
    let client = blocking_devserver_client(&server);
    for id in ["mass-1", "mass-2", "mass-3"] {
        create_room(&client, id);
    }
    let mut outcomes: Vec<(String, Result<String, String>)> = client
        .mass_mutate_storage(
            liveblocks::query::RoomQuery::new(),
            |room, root| {
                root.set("visited", room.id.clone());
                Ok::<_, Error>(room.id.to_uppercase())
            },
            2,
        )
        .unwrap()
        .map(|o| {
            let o = o.unwrap();
            (o.room.id, o.result.map_err(|e| e.to_string()))
        })
        .collect();
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            ("mass-1".to_string(), Ok("MASS-1".to_string())),
            ("mass-2".to_string(), Ok("MASS-2".to_string())),
            ("mass-3".to_string(), Ok("MASS-3".to_string())),
        ]
    );
    for id in ["mass-1", "mass-2", "mass-3"] {
        let plain = client
            .get_storage_document()
            .room_id(id)
            .format(types::StorageDocumentFormat::Json)
            .send()
            .unwrap();
        assert_eq!(
            serde_json::to_value(plain.into_inner()).unwrap(),
            json!({"visited": id})
        );
    }
}
