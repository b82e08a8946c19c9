//! Uploads and downloads against the official dev server, whose Storage-file endpoints (single
//! and multipart) are real: every size around the part size and a 23 MiB file round-trip byte
//! for byte (SHA-256 of the download against the source), from each kind of source; a source
//! that does not match its declared length completes nothing; attachments get the dev server's
//! 501.

mod support;

use futures::StreamExt as _;
use liveblocks::types::Permission;
use liveblocks::upload::{self, PART_SIZE, Progress, Source, UploadError, UploadStep};
use liveblocks::{Client, Error};
use sha2::{Digest, Sha256};
use support::*;

const MIB: usize = 1024 * 1024;

/// Deterministic bytes that differ at every offset of a part (no repeating block).
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = vec![0u8; len];
    rng.fill(&mut out);
    out
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The source kinds, each exercised at the sizes where the single/multipart choice changes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Bytes,
    Path,
    ReaderWithoutLength,
    StreamOfOddChunks,
}

fn source(kind: Kind, bytes: &[u8], dir: &std::path::Path) -> Source {
    match kind {
        Kind::Bytes => Source::from(bytes.to_vec()),
        Kind::Path => {
            let path = dir.join(format!("upload-{}.bin", bytes.len()));
            std::fs::write(&path, bytes).unwrap();
            Source::path(path)
        }
        Kind::ReaderWithoutLength => Source::reader(std::io::Cursor::new(bytes.to_vec()), None),
        Kind::StreamOfOddChunks => {
            // Chunks of 777 777 bytes: never aligned with a part.
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                bytes.chunks(777_777).map(|c| Ok(c.to_vec())).collect();
            Source::stream(futures::stream::iter(chunks), Some(bytes.len() as u64))
        }
    }
}

/// Uploads `bytes`, checks the returned file, downloads it and compares the hashes.
async fn round_trip(client: &Client, room_id: &str, kind: Kind, bytes: &[u8], seed: u64) {
    let dir = std::env::temp_dir().join(format!("lb-uploads-{}-{seed}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file_id = upload::new_file_id();
    let name = format!("file {seed}.bin");
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Progress>::new()));
    let seen = events.clone();
    let file = client
        .upload_file(room_id, &file_id, &name, source(kind, bytes, &dir))
        .parallelism(3)
        .on_progress(move |p| seen.lock().unwrap().push(p))
        .await
        .unwrap_or_else(|e| panic!("{kind:?}, {} bytes: {e}", bytes.len()));
    assert_eq!(file.id, file_id);
    assert_eq!(file.name, name);
    assert_eq!(file.size, bytes.len() as i64, "{kind:?}");

    let events = events.lock().unwrap().clone();
    assert_eq!(
        events.first().map(|p| p.sent),
        Some(0),
        "{kind:?}: {events:?}"
    );
    let last = events.last().unwrap();
    assert_eq!(last.sent, bytes.len() as u64, "{kind:?}: {events:?}");
    assert_eq!(last.total, Some(bytes.len() as u64), "{kind:?}: {events:?}");
    assert!(events.windows(2).all(|w| w[0].sent <= w[1].sent));
    let parts = bytes.len().div_ceil(PART_SIZE).max(1);
    let requests = if bytes.len() <= PART_SIZE { 1 } else { parts };
    assert_eq!(
        events.len(),
        requests + 1,
        "{kind:?}: one event per part: {events:?}"
    );

    let link = client.storage_file_url(room_id, &file_id).await.unwrap();
    assert_eq!(link.size, bytes.len() as u64);
    let mut downloaded = Vec::new();
    let written = client
        .download_storage_file(room_id, &file_id, &mut downloaded)
        .await
        .unwrap();
    assert_eq!(written, bytes.len() as u64);
    assert_eq!(
        sha(&downloaded),
        sha(bytes),
        "{kind:?}, {} bytes",
        bytes.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn every_size_around_the_part_size_round_trips_from_every_kind_of_source() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "uploads-sizes", Permission::RoomWrite).await;
    let sizes = [0, 1, PART_SIZE - 1, PART_SIZE, PART_SIZE + 1];
    let kinds = [
        Kind::Bytes,
        Kind::Path,
        Kind::ReaderWithoutLength,
        Kind::StreamOfOddChunks,
    ];
    let mut seed = 0;
    for kind in kinds {
        for size in sizes {
            seed += 1;
            round_trip(&client, "uploads-sizes", kind, &data(size, seed), seed).await;
        }
    }
}

#[tokio::test]
async fn a_23_mib_file_round_trips_byte_for_byte() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "uploads-large", Permission::RoomWrite).await;
    let bytes = data(23 * MIB + 12_345, 23);
    round_trip(&client, "uploads-large", Kind::Path, &bytes, 100).await;
    round_trip(
        &client,
        "uploads-large",
        Kind::ReaderWithoutLength,
        &bytes,
        101,
    )
    .await;
}

/// A reader that yields `bytes` but declares `declared`.
fn lying(bytes: Vec<u8>, declared: usize) -> Source {
    Source::reader(std::io::Cursor::new(bytes), Some(declared as u64))
}

#[tokio::test]
async fn a_source_shorter_or_longer_than_declared_completes_nothing() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "uploads-lies", Permission::RoomWrite).await;
    let cases = [
        // (actual, declared): single-request sizes and multipart sizes, both directions.
        (100, 101),
        (101, 100),
        (PART_SIZE, PART_SIZE + 1),
        (2 * PART_SIZE + 7, 3 * PART_SIZE),
        (3 * PART_SIZE, 2 * PART_SIZE + 7),
    ];
    for (actual, declared) in cases {
        let file_id = upload::new_file_id();
        let err = client
            .upload_file(
                "uploads-lies",
                &file_id,
                "lie.bin",
                lying(data(actual, 7), declared),
            )
            .await
            .unwrap_err();
        let UploadError::LengthMismatch {
            declared: d,
            longer,
            ..
        } = err
        else {
            panic!("{actual} vs {declared}: {err:?}");
        };
        assert_eq!(d, declared as u64);
        assert_eq!(longer, actual > declared, "{actual} vs {declared}");
        let lookup = client.storage_file_url("uploads-lies", &file_id).await;
        assert!(
            matches!(&lookup, Err(e) if e.is_not_found()),
            "{actual} vs {declared}: no file may exist, got {lookup:?}"
        );
    }
}

#[tokio::test]
async fn a_stream_error_fails_the_upload_and_completes_nothing() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "uploads-broken", Permission::RoomWrite).await;
    let file_id = upload::new_file_id();
    let good = futures::stream::iter([Ok(data(PART_SIZE + 10, 3))]);
    let bad = futures::stream::iter([Err(std::io::Error::other("disk on fire"))]);
    let err = client
        .upload_file(
            "uploads-broken",
            &file_id,
            "broken.bin",
            Source::stream(good.chain(bad), None),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, UploadError::Source(e) if e.to_string() == "disk on fire"),
        "{err:?}"
    );
    let lookup = client.storage_file_url("uploads-broken", &file_id).await;
    assert!(matches!(&lookup, Err(e) if e.is_not_found()), "{lookup:?}");
}

#[tokio::test]
async fn an_invalid_file_id_is_the_servers_400_on_the_single_request() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "uploads-bad-id", Permission::RoomWrite).await;
    let err = client
        .upload_file(
            "uploads-bad-id",
            "fl_short",
            "a.txt",
            Source::from(b"a".to_vec()),
        )
        .await
        .unwrap_err();
    let UploadError::Request {
        step: UploadStep::Single,
        source,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(source.status().map(|s| s.as_u16()), Some(400), "{err}");
}

#[tokio::test]
async fn attachments_get_the_dev_servers_501_for_both_paths() {
    let server = devserver();
    let client = devserver_client(&server);
    create_room(&client, "uploads-attachments", Permission::RoomWrite).await;
    for (size, step) in [
        (10, UploadStep::Single),
        (PART_SIZE + 1, UploadStep::Create),
    ] {
        let err = client
            .upload_comment_attachment(
                "uploads-attachments",
                upload::new_attachment_id(),
                "marie",
                "a.bin",
                Source::from(data(size, 1)),
            )
            .await
            .unwrap_err();
        let UploadError::Request { step: s, source } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*s, step);
        assert!(
            matches!(source, Error::Api(api) if api.status.as_u16() == 501),
            "{err}"
        );
    }
}
