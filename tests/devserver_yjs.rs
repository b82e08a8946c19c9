//! The `yrs` feature against the official dev server (its ydoc GET and PUT are real), with the
//! `yjs` npm package reading the result.

mod support;

use liveblocks::types::Permission;
use liveblocks::yjs::{YjsError, prosemirror, text};
use liveblocks::{Client, Error};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::*;
use yrs::updates::decoder::Decode as _;
use yrs::{ReadTxn as _, Transact as _, Update};

/// The room's document as the yjs npm package reads it.
async fn read_with_yjs(client: &Client, room: &str) -> Value {
    let bytes = collect_bytes(
        client
            .get_yjs_document_as_binary_update()
            .room_id(room)
            .send()
            .await
            .unwrap()
            .into_inner(),
    )
    .await;
    let file =
        std::env::temp_dir().join(format!("liveblocks-yjs-{}-{room}.bin", std::process::id()));
    std::fs::write(&file, &bytes).unwrap();
    let out = yjsnode::run(
        &yjsnode::tools_dir(repo_root()),
        &repo_root().join("tests/fixtures/yjs/read.mjs"),
        &[file.to_str().unwrap()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_file(&file);
    serde_json::from_str(&out).unwrap()
}

#[tokio::test]
async fn load_edit_load_and_yjs_reads_the_same() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "doc", Permission::RoomWrite).await;

    // A room without a Yjs document yet.
    let err = client.yjs("doc").load().await.unwrap_err();
    assert!(
        matches!(err, Error::Yjs(YjsError::NoDocument { .. })),
        "{err:?}"
    );

    // The first edit seeds it.
    client
        .yjs("doc")
        .edit(|txn| {
            text::insert(txn, "notes", 0, "Hello world")?;
            prosemirror::append_paragraph(txn, "default", "First paragraph");
            prosemirror::append_paragraph(txn, "default", "Second paragraph");
            Ok::<_, Error>(())
        })
        .await
        .unwrap();
    let doc = client.yjs("doc").load().await.unwrap();
    assert_eq!(text::read(&doc.transact(), "notes"), "Hello world");

    // A second edit on top of it.
    client
        .yjs("doc")
        .edit(|txn| {
            text::delete(txn, "notes", 5, 6)?;
            text::insert(txn, "notes", 5, ", Yjs")?;
            prosemirror::replace_paragraph_text(txn, "default", 1, "Replaced é")?;
            Ok::<_, Error>(())
        })
        .await
        .unwrap();
    let doc = client.yjs("doc").load().await.unwrap();
    let txn = doc.transact();
    assert_eq!(text::read(&txn, "notes"), "Hello, Yjs");
    assert_eq!(
        prosemirror::paragraphs(&txn, "default"),
        ["First paragraph", "Replaced é"]
    );
    drop(txn);

    // The dev server's own JSON view and the reference implementation agree.
    let json_view = client
        .get_yjs_document()
        .room_id("doc")
        .key("notes")
        .type_(liveblocks::types::YjsDocumentType::Ytext)
        .send()
        .await
        .unwrap();
    assert_eq!(json_view.0, json!("Hello, Yjs"));
    assert_eq!(
        read_with_yjs(&client, "doc").await,
        json!({
            "notes": "Hello, Yjs",
            "paragraphs": ["First paragraph", "Replaced é"],
            "tags": ["paragraph", "paragraph"],
        })
    );
}

#[tokio::test]
async fn a_concurrent_edit_from_a_second_doc_is_merged_not_erased() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "shared", Permission::RoomWrite).await;
    client
        .yjs("shared")
        .edit(|txn| text::insert(txn, "notes", 0, "middle").map_err(Error::from))
        .await
        .unwrap();

    // Inside the edit (after its load, before its send), a second client writes to the room
    // from another thread with a Doc of its own, sending its own delta.
    let base_url = server.base_url();
    client
        .yjs("shared")
        .edit(|txn| {
            text::insert(txn, "notes", 0, "start ")?;
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    let other = Client::builder()
                        .secret_key(devserver::SECRET_KEY)
                        .base_url(base_url)
                        .build()
                        .unwrap();
                    other
                        .yjs("shared")
                        .edit(|txn| {
                            let end = text::len(txn, "notes");
                            text::insert(txn, "notes", end, " end").map_err(Error::from)
                        })
                        .await
                        .unwrap();
                });
            })
            .join()
            .unwrap();
            Ok::<_, Error>(())
        })
        .await
        .unwrap();

    let doc = client.yjs("shared").load().await.unwrap();
    assert_eq!(text::read(&doc.transact(), "notes"), "start middle end");
    assert_eq!(
        read_with_yjs(&client, "shared").await["notes"],
        "start middle end"
    );
}

#[tokio::test]
async fn subdocuments_are_addressed_by_guid() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "book", Permission::RoomWrite).await;
    // The main document names the subdocument (as a Y.Doc in a map), then the subdocument is
    // edited on its own.
    client
        .yjs("book")
        .edit(|txn| {
            use yrs::{Map as _, WriteTxn as _};
            let chapters = txn.get_or_insert_map("chapters");
            let options = yrs::Options {
                guid: "chapter-1".into(),
                ..yrs::Options::default()
            };
            chapters.insert(txn, "1", yrs::Doc::with_options(options));
            Ok::<_, Error>(())
        })
        .await
        .unwrap();
    client
        .yjs("book")
        .guid("chapter-1")
        .edit(|txn| text::insert(txn, "notes", 0, "Once upon a time").map_err(Error::from))
        .await
        .unwrap();
    let chapter = client.yjs("book").guid("chapter-1").load().await.unwrap();
    assert_eq!(text::read(&chapter.transact(), "notes"), "Once upon a time");
    // The main document holds the reference only, not the chapter's text.
    let book = client.yjs("book").load().await.unwrap();
    assert_eq!(text::read(&book.transact(), "notes"), "");
    // A guid the room does not know is refused by the server.
    let err = client
        .yjs("book")
        .guid("chapter-9")
        .edit(|txn| text::insert(txn, "notes", 0, "x").map_err(Error::from))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err}");
}

#[tokio::test]
async fn a_missing_room_is_a_404() {
    let server = devserver();
    let client = devserver_client(&server);
    let err = client.yjs("nowhere").load().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    assert_eq!(err.code(), Some("ROOM_NOT_FOUND"));
}

/// One text edit of a random script: insert at a fraction of the length, or delete a span.
#[derive(Debug, Clone)]
enum Op {
    Insert(f64, String),
    Delete(f64, u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0.0..=1.0f64, "[a-z ]{1,5}").prop_map(|(at, s)| Op::Insert(at, s)),
        (0.0..=1.0f64, 1u32..4).prop_map(|(at, n)| Op::Delete(at, n)),
    ]
}

/// Applies `ops` to the text "notes" of `txn`, positions scaled to the current length.
fn apply(txn: &mut yrs::TransactionMut<'_>, ops: &[Op]) -> Result<(), Error> {
    for op in ops {
        let len = text::len(txn, "notes");
        match op {
            Op::Insert(at, s) => text::insert(txn, "notes", (f64::from(len) * at) as u32, s)?,
            Op::Delete(at, n) => {
                let start = (f64::from(len) * at) as u32;
                text::delete(txn, "notes", start, (*n).min(len - start))?;
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Two clients run random edit scripts on the same loaded state, one through `edit` and
    /// one concurrently with its own Doc: the room ends with what a local merge of both gives,
    /// and the yjs package reads that same text.
    #[test]
    fn random_concurrent_scripts_converge(
        seed in "[a-z]{0,12}",
        mine in proptest::collection::vec(op(), 1..6),
        theirs in proptest::collection::vec(op(), 1..6),
    ) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = devserver();
        let client = devserver_client(&server);
        runtime.block_on(async {
            create_room(&client, "prop", Permission::RoomWrite).await;
            client
                .yjs("prop")
                .edit(|txn| text::insert(txn, "notes", 0, &seed).map_err(Error::from))
                .await
                .unwrap();
            // The other client loads now, edits offline, and sends after our edit.
            let other = match client.yjs("prop").load().await {
                Ok(doc) => doc,
                // An empty seed leaves the room without a document.
                Err(Error::Yjs(YjsError::NoDocument { .. })) if seed.is_empty() => yrs::Doc::new(),
                Err(e) => panic!("{e}"),
            };
            let loaded = other.transact().state_vector();
            apply(&mut other.transact_mut(), &theirs).unwrap();
            client.yjs("prop").edit(|txn| apply(txn, &mine)).await.unwrap();
            let delta = other.transact().encode_state_as_update_v1(&loaded);
            client.yjs("prop").send(delta).await.unwrap();

            // The expected merge: the room's final state applied to the other client's doc
            // must change nothing in what both see.
            let room = client.yjs("prop").load().await;
            let room_text = match room {
                Ok(doc) => text::read(&doc.transact(), "notes"),
                Err(Error::Yjs(YjsError::NoDocument { .. })) => String::new(),
                Err(e) => panic!("{e}"),
            };
            let full = collect_bytes(
                client.get_yjs_document_as_binary_update().room_id("prop").send().await.unwrap().into_inner(),
            ).await;
            other.transact_mut().apply_update(Update::decode_v1(&full).unwrap()).unwrap();
            assert_eq!(text::read(&other.transact(), "notes"), room_text);
            assert_eq!(read_with_yjs(&client, "prop").await["notes"], json!(room_text));
        });
    }
}
