//! The `yrs` feature on the wire: what `load` asks for, and that `edit` sends only the delta.

mod support;

use liveblocks::Error;
use liveblocks::yjs::{YjsError, text};
use support::*;
use yrs::updates::decoder::Decode as _;
use yrs::{ReadTxn as _, StateVector, Text as _, Transact as _, Update};

/// A document of `len` characters under "notes", as one update.
fn seeded(len: usize) -> (yrs::Doc, Vec<u8>) {
    let doc = yrs::Doc::new();
    let notes = doc.get_or_insert_text("notes");
    notes.insert(&mut doc.transact_mut(), 0, &"x".repeat(len));
    let update = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    (doc, update)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording enabled")
}

#[tokio::test]
async fn load_asks_for_the_binary_update_of_the_subdocument() {
    let (_, update) = seeded(3);
    let (server, client) = serve(binary(200, &update)).await;
    let doc = client.yjs("room a/é").guid("sub 1").load().await.unwrap();
    assert_eq!(text::read(&doc.transact(), "notes"), "xxx");
    let request = only_request(&server).await;
    assert_request(&request, "GET", "/v2/rooms/room%20a%2F%C3%A9/ydoc-binary");
    assert_eq!(query(&request), pairs(&[("guid", "sub 1")]));
}

#[tokio::test]
async fn edit_sends_only_the_delta_against_the_loaded_state() {
    let (original, update) = seeded(5000);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(binary(200, &update))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(json(200, serde_json::json!({"success": true})))
        .mount(&server)
        .await;
    let client = wire_client(&server);
    let len = client
        .yjs("r")
        .guid("g")
        .edit(|txn| {
            text::insert(txn, "notes", 0, "Hi ")?;
            Ok::<_, Error>(text::len(txn, "notes"))
        })
        .await
        .unwrap();
    assert_eq!(len, 5003);

    let all = requests(&server).await;
    assert_eq!(all.len(), 2, "one load, one send");
    let put = &all[1];
    assert_request(put, "PUT", "/v2/rooms/r/ydoc");
    assert_eq!(query(put), pairs(&[("guid", "g")]));
    assert_eq!(
        header_str(put, "content-type"),
        Some("application/octet-stream")
    );
    // Only the delta: a few bytes, not the 5000 characters already there.
    assert!(
        put.body.len() < 64,
        "{} bytes sent for a 3-character insert into a {}-byte document",
        put.body.len(),
        update.len()
    );
    // Applied on top of the server's state, it gives the edited text.
    let delta = Update::decode_v1(&put.body).unwrap();
    original.transact_mut().apply_update(delta).unwrap();
    let merged = text::read(&original.transact(), "notes");
    assert_eq!(merged, format!("Hi {}", "x".repeat(5000)));
}

#[tokio::test]
async fn nothing_is_sent_without_a_change_or_on_err() {
    let (_, update) = seeded(4);
    let (server, client) = serve(binary(200, &update)).await;
    let value = client
        .yjs("r")
        .edit(|txn| Ok::<_, Error>(text::read(txn, "notes")))
        .await
        .unwrap();
    assert_eq!(value, "xxxx");
    let err = client
        .yjs("r")
        .edit(|txn| {
            text::insert(txn, "notes", 0, "lost")?;
            text::insert(txn, "notes", 999, "!")?;
            Ok::<_, Error>(())
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Yjs(YjsError::TextRange {
                start: 999,
                end: 999,
                len: 8
            })
        ),
        "{err:?}"
    );
    let all = requests(&server).await;
    assert!(all.iter().all(|r| r.method.as_str() == "GET"), "no PUT");
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn a_deletion_alone_is_sent() {
    let (original, update) = seeded(10);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(binary(200, &update))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(json(200, serde_json::json!({"success": true})))
        .mount(&server)
        .await;
    let client = wire_client(&server);
    client
        .yjs("r")
        .edit(|txn| text::delete(txn, "notes", 2, 5).map_err(Error::from))
        .await
        .unwrap();
    let all = requests(&server).await;
    assert_eq!(all.len(), 2, "the deletion went out");
    let delta = Update::decode_v1(&all[1].body).unwrap();
    original.transact_mut().apply_update(delta).unwrap();
    assert_eq!(text::read(&original.transact(), "notes"), "xxxxx");
}

#[tokio::test]
async fn an_empty_document_is_no_document_for_load_and_a_seed_for_edit() {
    let (server, client) = serve(binary(200, &[0, 0])).await;
    let err = client.yjs("fresh").load().await.unwrap_err();
    assert!(
        matches!(&err, Error::Yjs(YjsError::NoDocument { room_id, guid: None }) if room_id == "fresh"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "yjs: room \"fresh\" has no Yjs document");
    drop(server);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(binary(200, &[0, 0]))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(json(200, serde_json::json!({"success": true})))
        .mount(&server)
        .await;
    let client = wire_client(&server);
    client
        .yjs("fresh")
        .edit(|txn| text::insert(txn, "notes", 0, "seed").map_err(Error::from))
        .await
        .unwrap();
    let all = requests(&server).await;
    let seeded = yrs::Doc::new();
    seeded
        .transact_mut()
        .apply_update(Update::decode_v1(&all[1].body).unwrap())
        .unwrap();
    assert_eq!(text::read(&seeded.transact(), "notes"), "seed");
}

#[tokio::test]
async fn bytes_that_do_not_decode_are_a_typed_error() {
    let (_server, client) = serve(binary(200, &[0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])).await;
    let err = client.yjs("bad").load().await.unwrap_err();
    assert!(
        matches!(&err, Error::Yjs(YjsError::Decode { room_id, .. }) if room_id == "bad"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_missing_room_is_the_api_404() {
    let (_server, client) = serve(api_error_response(
        404,
        "ROOM_NOT_FOUND",
        "Room with id \"nope\" not found.",
        "req_1",
    ))
    .await;
    let err = client.yjs("nope").load().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.code(), Some("ROOM_NOT_FOUND"));
}
