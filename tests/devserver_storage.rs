//! Storage mutations through the CRDT against the official dev server, which implements
//! `request-storage-mutation` and `send-message` for real; and the cross-check against the
//! official Node SDK's `mutateStorage` (installed into `.tools/node-sdk`).

mod support;

use futures::TryStreamExt;
use liveblocks::query::RoomQuery;
use liveblocks::storage::{Lson, StorageError};
use liveblocks::{Client, Error, types};
use serde_json::{Value, json};
use support::*;

async fn room_with_storage(client: &Client, id: &str, tree: Value) {
    client
        .create_room()
        .body_map(|b| {
            b.id(id)
                .default_accesses(Vec::<liveblocks::Permission>::new())
        })
        .send()
        .await
        .unwrap();
    let tree: types::InitializeStorageDocumentRequestBody = serde_json::from_value(tree).unwrap();
    client
        .initialize_storage_document()
        .room_id(id)
        .body(tree)
        .send()
        .await
        .unwrap();
}

/// The room's Storage in both formats: (plain LSON, plain JSON).
async fn read_both(client: &Client, id: &str) -> (Value, Value) {
    let lson = client
        .get_storage_document()
        .room_id(id)
        .send()
        .await
        .unwrap();
    let plain = client
        .get_storage_document()
        .room_id(id)
        .format(types::StorageDocumentFormat::Json)
        .send()
        .await
        .unwrap();
    (
        serde_json::to_value(lson.into_inner()).unwrap(),
        serde_json::to_value(plain.into_inner()).unwrap(),
    )
}

fn initial() -> Value {
    json!({
        "liveblocksType": "LiveObject",
        "data": {
            "count": 1,
            "obsolete": true,
            "todos": {"liveblocksType": "LiveList", "data": ["a", "b", "c"]},
            "scores": {"liveblocksType": "LiveMap", "data": {"alice": 1, "bob": 2}}
        }
    })
}

/// The edit script of tests/fixtures/storage/node_mutate.cjs, with this crate.
async fn edit_script(client: &Client, room: &str) {
    client
        .mutate_storage(room, |root| {
            root.set("title", "Sprint 12");
            root.delete("obsolete");
            root.set(
                "owner",
                Lson::object([("name", Lson::from("Ada")), ("tags", Lson::list(["a"]))]),
            );
            let mut todos = root.get_list("todos")?;
            todos.push("d");
            todos.insert(1, "x")?;
            todos.move_item(0, 3)?;
            todos.delete(2)?;
            todos.push(Lson::object([
                ("text", json!("nested")),
                ("done", json!(false)),
            ]));
            todos.set(0, "first")?;
            let mut scores = root.get_map("scores")?;
            scores.set("carol", 3);
            scores.delete("bob");
            scores.set("dave", Lson::map([("x", 1)]));
            Ok::<_, Error>(())
        })
        .await
        .unwrap();
}

const EXPECTED: fn() -> Value = || {
    json!({
        "count": 1,
        "title": "Sprint 12",
        "owner": {"name": "Ada", "tags": ["a"]},
        "todos": ["first", "b", "a", "d", {"text": "nested", "done": false}],
        "scores": {"alice": 1, "carol": 3, "dave": {"x": 1}}
    })
};

#[tokio::test]
async fn mutations_edit_storage_and_see_each_other() {
    let server = devserver();
    let client = devserver_client(&server);
    room_with_storage(&client, "board", initial()).await;

    edit_script(&client, "board").await;
    let (lson, plain) = read_both(&client, "board").await;
    assert_eq!(plain, EXPECTED());
    // The live structures stay live: nested creates are LiveObject/LiveList/LiveMap nodes.
    assert_eq!(
        lson["data"]["owner"],
        json!({"liveblocksType": "LiveObject", "data": {"name": "Ada", "tags": {"liveblocksType": "LiveList", "data": ["a"]}}})
    );
    assert_eq!(
        lson["data"]["scores"]["data"]["dave"],
        json!({"liveblocksType": "LiveMap", "data": {"x": 1}})
    );
    assert_eq!(
        lson["data"]["todos"]["data"][4],
        json!({"liveblocksType": "LiveObject", "data": {"text": "nested", "done": false}})
    );

    // A second mutation reads the first one's result, and its reads see its own edits.
    let seen = client
        .mutate_storage("board", |root| {
            let before = root.to_json();
            let mut todos = root.get_list("todos")?;
            todos.clear();
            todos.push(Lson::list([1, 2]));
            todos.get_list(0)?.push(3);
            let after = todos.to_json();
            root.get_object("owner")?.set("name", "Grace");
            root.get_map("scores")?.get_map("dave")?.delete("x");
            Ok::<_, Error>((before, after))
        })
        .await
        .unwrap();
    assert_eq!(seen.0, EXPECTED());
    assert_eq!(seen.1, json!([[1, 2, 3]]));
    let (_, plain) = read_both(&client, "board").await;
    assert_eq!(
        plain,
        json!({
            "count": 1,
            "title": "Sprint 12",
            "owner": {"name": "Grace", "tags": ["a"]},
            "todos": [[1, 2, 3]],
            "scores": {"alice": 1, "carol": 3, "dave": {}}
        })
    );
}

#[tokio::test]
async fn a_failing_callback_sends_nothing_and_bad_rooms_are_typed_errors() {
    let server = devserver();
    let client = devserver_client(&server);
    room_with_storage(&client, "kept", initial()).await;
    let (_, before) = read_both(&client, "kept").await;

    let err = client
        .mutate_storage("kept", |root| {
            root.set("count", 99);
            root.get_list("scores")?.push(1);
            Ok::<_, Error>(())
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Storage(StorageError::WrongType {
                expected: "a LiveList",
                found: "a LiveMap",
                ..
            })
        ),
        "{err}"
    );
    assert_eq!(
        read_both(&client, "kept").await.1,
        before,
        "nothing was sent"
    );

    let err = client
        .mutate_storage("no-such-room", |root| {
            root.set("x", 1);
            Ok::<_, Error>(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}

#[tokio::test]
async fn mass_mutation_edits_every_matching_room_and_reports_each() {
    let server = devserver();
    let client = devserver_client(&server);
    for id in ["m-1", "m-2", "m-3", "m-4", "m-5"] {
        room_with_storage(&client, id, initial()).await;
    }
    let results: Vec<_> = client
        .mass_mutate_storage(
            RoomQuery::new(),
            |room, root| {
                if room.id == "m-3" {
                    root.set("count", 0);
                    return Err(Error::InvalidArgument("m-3 is refused".into()));
                }
                root.set("count", 2);
                root.get_list("todos")?.push(room.id.clone());
                Ok(room.id.len())
            },
            2,
        )
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let mut outcomes: Vec<(String, Result<usize, String>)> = results
        .into_iter()
        .map(|r| (r.room.id, r.result.map_err(|e| e.to_string())))
        .collect();
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            ("m-1".to_string(), Ok(3)),
            ("m-2".to_string(), Ok(3)),
            (
                "m-3".to_string(),
                Err("invalid argument: m-3 is refused".to_string())
            ),
            ("m-4".to_string(), Ok(3)),
            ("m-5".to_string(), Ok(3)),
        ]
    );
    for id in ["m-1", "m-2", "m-4", "m-5"] {
        let (_, plain) = read_both(&client, id).await;
        assert_eq!(plain["count"], json!(2), "{id}");
        assert_eq!(plain["todos"], json!(["a", "b", "c", id]), "{id}");
    }
    assert_eq!(read_both(&client, "m-3").await.1["count"], json!(1));

    for bad in [0, liveblocks::storage::MAX_CONCURRENCY + 1] {
        let err = client
            .mass_mutate_storage(RoomQuery::new(), |_, _| Ok::<_, Error>(()), bad)
            .err()
            .expect("refused");
        assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
    }
}

#[tokio::test]
async fn the_node_sdk_and_this_crate_make_the_same_document() {
    let server = devserver();
    let client = devserver_client(&server);
    room_with_storage(&client, "by-node", initial()).await;
    room_with_storage(&client, "by-rust", initial()).await;

    let dir = nodesdk::tools_dir(repo_root());
    let script = repo_root().join("tests/fixtures/storage/node_mutate.cjs");
    nodesdk::run(&dir, &script, &[&server.base_url(), "by-node"]).unwrap_or_else(|e| panic!("{e}"));
    edit_script(&client, "by-rust").await;

    let node = read_both(&client, "by-node").await;
    let rust = read_both(&client, "by-rust").await;
    assert_eq!(node.1, EXPECTED(), "the Node SDK's document");
    assert_eq!(rust.0, node.0, "plain LSON");
    assert_eq!(rust.1, node.1, "plain JSON");
}
