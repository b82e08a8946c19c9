//! Wire tests of Storage mutations: the two requests a mutation makes (exact method, path,
//! headers and body), what is not sent, and the typed errors of bad answers.

mod support;

use liveblocks::storage::{Lson, StorageError};
use liveblocks::{Client, Error};
use serde_json::{Value, json};
use support::*;

const TREE: &str = concat!(
    "{\"actor\":7}\n",
    "[\"root\",{\"type\":0,\"data\":{\"title\":\"Board\"}}]\n",
    "[\"0:1\",{\"type\":1,\"parentId\":\"root\",\"parentKey\":\"todos\"}]\n",
    "[\"0:2\",{\"type\":3,\"parentId\":\"0:1\",\"parentKey\":\"!\",\"data\":\"a\"}]\n",
    "[\"0:3\",{\"type\":9,\"parentId\":\"root\",\"parentKey\":\"future\",\"data\":{\"x\":1}}]\n",
);

fn ndjson(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/x-ndjson")
}

fn mutation_path() -> String {
    format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/request-storage-mutation")
}

fn send_path() -> String {
    format!("/v2/rooms/{TRICKY_ROOM_SEGMENT}/send-message")
}

/// A recording server answering the tree with `tree` and send-message with `sent`.
async fn storage_server(tree: ResponseTemplate, sent: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(mutation_path()))
        .respond_with(tree)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(send_path()))
        .respond_with(sent)
        .mount(&server)
        .await;
    let client = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.uri())
        .retry_base_delay(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    (server, client)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording enabled")
}

#[tokio::test]
async fn one_mutation_is_one_tree_request_and_one_message_with_every_op() {
    let (server, client) = storage_server(ndjson(TREE), json(200, json!({"messages": []}))).await;
    let seen = client
        .mutate_storage(TRICKY_ROOM_ID, |root| {
            root.set("title", "Sprint");
            let mut todos = root.get_list("todos")?;
            todos.push(Lson::object([("text", json!("b"))]));
            todos.insert(0, "z")?;
            Ok::<_, Error>(root.to_json())
        })
        .await
        .unwrap();
    // Nodes of an unknown type are kept (and left out of the JSON view).
    assert_eq!(
        seen,
        json!({"title": "Sprint", "todos": ["z", "a", {"text": "b"}]})
    );

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert_request(&sent[0], "POST", &mutation_path());
    assert!(sent[0].body.is_empty(), "the tree request has no body");
    assert_eq!(sent[0].url.query(), None);
    assert_request(&sent[1], "POST", &send_path());
    assert_eq!(
        json_body(&sent[1]),
        json!({"messages": [{"type": 201, "ops": [
            {"type": 3, "id": "root", "opId": "7:0", "data": {"title": "Sprint"}},
            {"type": 4, "id": "7:0", "opId": "7:1", "parentId": "0:1", "parentKey": "!!", "data": {"text": "b"}, "intent": "push"},
            {"type": 8, "id": "7:1", "opId": "7:2", "parentId": "0:1", "parentKey": " ~", "data": "z"},
        ]}]})
    );
}

#[tokio::test]
async fn nothing_is_sent_without_edits_or_when_the_callback_fails() {
    let (server, client) = storage_server(ndjson(TREE), json(200, json!({}))).await;
    let title: Option<String> = client
        .mutate_storage(TRICKY_ROOM_ID, |root| {
            root.get_as("title").map_err(Error::from)
        })
        .await
        .unwrap();
    assert_eq!(title.as_deref(), Some("Board"));
    #[derive(Debug, PartialEq)]
    struct Mine(String);
    impl From<Error> for Mine {
        fn from(e: Error) -> Self {
            Mine(e.to_string())
        }
    }
    let err = client
        .mutate_storage(TRICKY_ROOM_ID, |root| {
            root.set("title", "never sent");
            Err::<(), _>(Mine("changed my mind".into()))
        })
        .await
        .unwrap_err();
    assert_eq!(err, Mine("changed my mind".into()));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter().all(|r| r.url.path() == mutation_path()),
        "{sent:#?}"
    );
}

#[tokio::test]
async fn bad_answers_are_typed_errors_and_send_nothing() {
    type Expected = fn(&StorageError) -> bool;
    let cases: [(&str, Expected); 4] = [
        ("{\"actor\":1}\n", |e| *e == StorageError::NoStorage),
        ("{\"actor\":1}\n[\"root\",{\"type\":0}]\n{oops\n", |e| {
            matches!(e, StorageError::MalformedLine { line: 3, .. })
        }),
        ("[\"root\",{\"type\":0}]\n", |e| {
            matches!(e, StorageError::MalformedLine { line: 1, .. })
        }),
        (
            "{\"actor\":1}\n[\"root\",{\"type\":0}]\n[\"x\",{\"type\":3,\"parentId\":\"gone\",\"parentKey\":\"k\",\"data\":1}]\n",
            |e| matches!(e, StorageError::MissingParent { id, parent_id } if id == "x" && parent_id == "gone"),
        ),
    ];
    for (body, expected) in cases {
        let (server, client) = storage_server(ndjson(body), json(200, json!({}))).await;
        let err = client
            .mutate_storage(TRICKY_ROOM_ID, |root| {
                root.set("a", 1);
                Ok::<_, Error>(())
            })
            .await
            .unwrap_err();
        match &err {
            Error::Storage(e) if expected(e) => {}
            other => panic!("{body:?}: unexpected {other:?}"),
        }
        let got = requests(&server).await;
        assert_eq!(
            got.len(),
            1,
            "{body:?}: {:?}",
            got.iter()
                .map(|r| r.url.path().to_owned())
                .collect::<Vec<_>>()
        );
    }

    let (_server, client) =
        storage_server(json(200, json!({"actor": 1})), json(200, json!({}))).await;
    let err = client
        .mutate_storage(TRICKY_ROOM_ID, |_| Ok::<_, Error>(()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidResponse(_)), "{err}");
}

#[tokio::test]
async fn a_refused_message_is_an_api_error_and_is_never_sent_twice() {
    let refused = json(
        422,
        json!({"error": "UNPROCESSABLE_ENTITY", "message": "bad op"}),
    );
    let (_server, client) = storage_server(ndjson(TREE), refused).await;
    let err = client
        .mutate_storage(TRICKY_ROOM_ID, |root| {
            root.set("a", 1);
            Ok::<_, Error>(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err:?}");
    assert_eq!(err.code(), Some("UNPROCESSABLE_ENTITY"));

    // A 503 after the ops went out is not retried (they could be applied twice); the tree
    // request, which only reads, is.
    let unavailable = json(503, json!({"error": "UNAVAILABLE"}));
    let (server, client) = storage_server(ndjson(TREE), unavailable).await;
    let err = client
        .mutate_storage(TRICKY_ROOM_ID, |root| {
            root.set("a", 1);
            Ok::<_, Error>(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let sends = requests(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == send_path())
        .count();
    assert_eq!(sends, 1);
}

#[tokio::test]
async fn the_tree_request_is_retried_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(mutation_path()))
        .respond_with(json(503, json!({"error": "UNAVAILABLE"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(mutation_path()))
        .respond_with(ndjson(TREE))
        .mount(&server)
        .await;
    let client = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.uri())
        .retry_base_delay(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    let title: Value = client
        .mutate_storage(TRICKY_ROOM_ID, |root| {
            Ok::<_, Error>(root.get("title").unwrap_or_default())
        })
        .await
        .unwrap();
    assert_eq!(title, json!("Board"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[test]
fn mutations_can_run_on_spawned_tasks() {
    fn assert_send<T: Send>(_: T) {}
    let client = Client::new(WIRE_SECRET).unwrap();
    assert_send(client.mutate_storage("r", |root| {
        root.set("a", 1);
        Ok::<_, Error>(())
    }));
    let outcomes = client
        .mass_mutate_storage(
            liveblocks::query::RoomQuery::new(),
            |_, root| Ok::<_, Error>(root.keys()),
            4,
        )
        .unwrap();
    assert_send(outcomes);
}
