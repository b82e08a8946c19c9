//! Uploads and downloads on the wire: the single request and the multipart sequence (exact
//! methods, paths, queries, headers and bodies, for Storage files and attachments), each part
//! retried on its own, a part that keeps failing named in the error with the upload aborted,
//! the abort when the upload is dropped, and downloads (no credential, retries before the
//! first byte, the signature kept out of errors).

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use liveblocks::Client;
use liveblocks::upload::{DownloadError, PART_SIZE, Progress, Source, UploadError, UploadStep};
use serde_json::json;
use support::fault::{Action, FaultServer, SeenRequest};
use support::*;

const FILE: &str = "fl_abc123456789012345678";
const UPLOAD: &str = "0b6a5f9e-3c1d-4e2f-8a7b-9c0d1e2f3a4b";
const FILES: &str = "/v2/rooms/room-1/storage/files/fl_abc123456789012345678";

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn live_file(size: usize) -> serde_json::Value {
    json!({"id": FILE, "name": "video.mp4", "size": size, "mimeType": "video/mp4"})
}

/// A client with a 1 ms retry backoff.
fn quick_client(base_url: String) -> Client {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(base_url)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

fn fault_client(server: &FaultServer) -> Client {
    quick_client(server.base_url())
}

/// The part number of a part request (`.../multipart/{uploadId}/{n}`).
fn part_number(request: &SeenRequest) -> Option<usize> {
    let rest = request
        .target
        .strip_prefix(&format!("{FILES}/multipart/{UPLOAD}/"))?;
    rest.parse().ok()
}

/// A multipart server: create, parts (answered by `part`, given the part number and how many
/// times it was seen), complete, abort.
fn multipart_server(
    size: usize,
    part: impl Fn(usize, usize) -> Action + Send + Sync + 'static,
) -> impl Fn(&SeenRequest) -> Action + Send + Sync + 'static {
    let seen_parts = Mutex::new(std::collections::HashMap::<usize, usize>::new());
    move |request| match (request.method.as_str(), part_number(request)) {
        ("POST", _) if request.target.ends_with("/complete") => {
            Action::json(200, &live_file(size).to_string())
        }
        ("POST", _) => Action::json(
            200,
            &json!({"fileId": FILE, "uploadId": UPLOAD}).to_string(),
        ),
        ("PUT", Some(n)) => {
            let seen = {
                let mut map = seen_parts.lock().unwrap();
                let count = map.entry(n).or_default();
                *count += 1;
                *count
            };
            part(n, seen)
        }
        ("DELETE", _) => no_content(),
        _ => Action::json(404, r#"{"error":"NOT_FOUND"}"#),
    }
}

fn etag(n: usize) -> Action {
    Action::json(
        200,
        &json!({"partNumber": n, "etag": format!("\"etag-{n}\"")}).to_string(),
    )
}

#[tokio::test]
async fn a_small_file_is_one_put_with_its_size_and_bytes() {
    let bytes = all_bytes();
    let (server, client) = serve(json(200, live_file(bytes.len()))).await;
    let file = client
        .upload_file("room-1", FILE, "video.mp4", Source::from(bytes.clone()))
        .await
        .unwrap();
    assert_eq!(file.size, bytes.len() as i64);
    assert_eq!(file.mime_type, "video/mp4");
    let request = received(&server, "PUT", &format!("{FILES}/upload/video.mp4")).await;
    assert_eq!(
        query(&request),
        pairs(&[("fileSize", &bytes.len().to_string())])
    );
    assert_octet_stream(&request, &bytes);
    assert_eq!(accept(&request), Some("application/json"));
}

#[tokio::test]
async fn an_empty_file_is_one_put_of_an_empty_chunked_body() {
    let (server, client) = serve(json(200, live_file(0))).await;
    let file = client
        .upload_file("room-1", FILE, "video.mp4", Source::from(Vec::new()))
        .await
        .unwrap();
    assert_eq!(file.size, 0);
    let request = received(&server, "PUT", &format!("{FILES}/upload/video.mp4")).await;
    assert_eq!(query(&request), pairs(&[("fileSize", "0")]));
    assert_eq!(header_str(&request, "transfer-encoding"), Some("chunked"));
    assert_eq!(header_str(&request, "content-length"), None);
    assert_octet_stream(&request, b"");
}

#[tokio::test]
async fn exactly_one_part_is_still_a_single_request_and_one_byte_more_is_multipart() {
    let (server, client) = serve(json(200, live_file(PART_SIZE))).await;
    client
        .upload_file(
            "room-1",
            FILE,
            "video.mp4",
            Source::reader(std::io::Cursor::new(data(PART_SIZE)), None),
        )
        .await
        .unwrap();
    let request = received(&server, "PUT", &format!("{FILES}/upload/video.mp4")).await;
    assert_eq!(
        query(&request),
        pairs(&[("fileSize", &PART_SIZE.to_string())]),
        "a reader without a length that ends at the part size is measured, then sent whole"
    );
    assert_eq!(request.body.len(), PART_SIZE);

    let server = FaultServer::start(multipart_server(PART_SIZE + 1, |n, _| etag(n))).await;
    let client = fault_client(&server);
    client
        .upload_file(
            "room-1",
            FILE,
            "video.mp4",
            Source::from(data(PART_SIZE + 1)),
        )
        .await
        .unwrap();
    let methods: Vec<_> = server.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods.first().map(String::as_str), Some("POST"));
    assert_eq!(methods.len(), 4, "create, two parts, complete: {methods:?}");
}

#[tokio::test]
async fn multipart_sends_every_part_once_and_completes_with_the_etags_in_order() {
    let size = 3 * PART_SIZE + 12_345;
    let bytes = data(size);
    let server = FaultServer::start(multipart_server(size, |n, _| etag(n))).await;
    let client = fault_client(&server);
    let events = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let seen = events.clone();
    let file = client
        .upload_file("room-1", FILE, "video.mp4", Source::from(bytes.clone()))
        .parallelism(2)
        .on_progress(move |p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(file.size, size as i64);

    let requests = server.requests();
    let create = &requests[0];
    assert_eq!(create.method, "POST");
    assert_eq!(
        create.target,
        format!("{FILES}/multipart/video.mp4?fileSize={size}")
    );
    assert!(create.body.is_empty());
    let mut parts: Vec<_> = requests
        .iter()
        .filter_map(|r| part_number(r).map(|n| (n, r)))
        .collect();
    assert!(parts.iter().all(|(_, r)| r.method == "PUT"));
    parts.sort_by_key(|(n, _)| *n);
    assert_eq!(
        parts.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    for (n, r) in &parts {
        let len = if *n < 4 { PART_SIZE } else { 12_345 };
        assert_eq!(r.body.len(), len, "part {n}");
    }
    let sent: Vec<u8> = parts.iter().flat_map(|(_, r)| r.body.clone()).collect();
    assert!(sent == bytes, "the parts concatenate to the source");
    let complete = requests.last().unwrap();
    assert_eq!(complete.method, "POST");
    assert_eq!(
        complete.target,
        format!("{FILES}/multipart/{UPLOAD}/complete")
    );
    let body: serde_json::Value = serde_json::from_slice(&complete.body).unwrap();
    assert_eq!(
        body,
        json!({"parts": (1..=4).map(|n| json!({"partNumber": n, "etag": format!("\"etag-{n}\"")})).collect::<Vec<_>>()})
    );
    assert_eq!(requests.len(), 6, "no abort after a success");

    let events = events.lock().unwrap().clone();
    let total = Some(size as u64);
    assert_eq!(events[0], Progress { sent: 0, total });
    assert_eq!(events.len(), 5, "{events:?}");
    assert_eq!(
        events[4],
        Progress {
            sent: size as u64,
            total
        }
    );
}

#[tokio::test]
async fn a_failing_part_is_retried_on_its_own() {
    let size = 3 * PART_SIZE;
    let server = FaultServer::start(multipart_server(size, |n, seen| match (n, seen) {
        (2, 1) => Action::json(503, r#"{"error":"UNAVAILABLE"}"#),
        (3, 1) => Action::Reset,
        _ => etag(n),
    }))
    .await;
    let client = fault_client(&server);
    client
        .upload_file("room-1", FILE, "video.mp4", Source::from(data(size)))
        .await
        .unwrap();
    let requests = server.requests();
    let count = |n| {
        requests
            .iter()
            .filter(|r| part_number(r) == Some(n))
            .count()
    };
    assert_eq!((count(1), count(2), count(3)), (1, 2, 2));
    assert!(requests.iter().all(|r| r.method != "DELETE"));
    let complete: serde_json::Value =
        serde_json::from_slice(&requests.last().unwrap().body).unwrap();
    assert_eq!(complete["parts"].as_array().unwrap().len(), 3);
}

/// Uploads `size` bytes to a server that answers part `failing` with `answer` every time and
/// the abort with `abort`; returns the error and every request.
async fn fail_part(
    size: usize,
    failing: usize,
    answer: Action,
    abort: Action,
    parallelism: usize,
) -> (UploadError, Vec<SeenRequest>) {
    let parts = multipart_server(size, move |n, _| {
        if n == failing {
            answer.clone()
        } else {
            etag(n)
        }
    });
    let server = FaultServer::start(move |request: &SeenRequest| {
        if request.method == "DELETE" {
            abort.clone()
        } else {
            parts(request)
        }
    })
    .await;
    let client = fault_client(&server);
    let err = client
        .upload_file("room-1", FILE, "video.mp4", Source::from(data(size)))
        .parallelism(parallelism)
        .await
        .unwrap_err();
    (err, server.requests())
}

fn no_content() -> Action {
    Action::Respond {
        status: 204,
        headers: vec![],
        body: vec![],
    }
}

#[tokio::test]
async fn a_part_that_keeps_failing_is_named_and_the_upload_is_aborted() {
    let unavailable = Action::json(503, r#"{"error":"UNAVAILABLE"}"#);
    let (err, requests) = fail_part(4 * PART_SIZE, 3, unavailable, no_content(), 1).await;
    let UploadError::Part {
        part_number: failed,
        source,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*failed, 3);
    assert_eq!(source.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(source.attempts(), Some(4), "the client's 3 retries");
    assert!(err.to_string().starts_with("part 3 failed: "), "{err}");

    let last = requests.last().unwrap();
    assert_eq!(last.method, "DELETE");
    assert_eq!(last.target, format!("{FILES}/multipart/{UPLOAD}"));
    assert!(!requests.iter().any(|r| r.target.ends_with("/complete")));
    assert!(
        !requests.iter().any(|r| part_number(r) == Some(4)),
        "with parallelism 1, nothing after the failed part is sent"
    );
}

#[tokio::test]
async fn a_part_the_server_refuses_is_not_retried() {
    let refused = Action::json(413, r#"{"error":"TOO_LARGE","message":"part too large"}"#);
    let (err, requests) = fail_part(2 * PART_SIZE + 1, 2, refused, no_content(), 4).await;
    assert!(
        matches!(&err, UploadError::Part { part_number: 2, source } if source.attempts() == Some(1)),
        "{err:?}"
    );
    assert_eq!(
        requests
            .iter()
            .filter(|r| part_number(r) == Some(2))
            .count(),
        1
    );
    assert!(requests.iter().any(|r| r.method == "DELETE"));
}

#[tokio::test]
async fn a_failed_abort_is_reported_with_the_upload_left_open() {
    let internal = Action::json(500, r#"{"error":"INTERNAL"}"#);
    let (err, _) = fail_part(2 * PART_SIZE, 2, internal.clone(), internal, 4).await;
    let UploadError::AbortFailed {
        upload_id, cause, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(upload_id, UPLOAD);
    assert!(
        matches!(**cause, UploadError::Part { part_number: 2, .. }),
        "{cause:?}"
    );
    assert!(
        err.to_string()
            .contains(&format!("aborting multipart upload {UPLOAD} failed too")),
        "{err}"
    );
}

#[tokio::test]
async fn completing_a_storage_file_is_retried_like_any_idempotent_request() {
    let size = PART_SIZE + 1;
    let parts = multipart_server(size, |n, _| etag(n));
    let completes = Mutex::new(0);
    let server = FaultServer::start(move |request: &SeenRequest| {
        if request.target.ends_with("/complete") {
            let mut seen = completes.lock().unwrap();
            *seen += 1;
            if *seen == 1 {
                return Action::json(503, r#"{"error":"UNAVAILABLE"}"#);
            }
        }
        parts(request)
    })
    .await;
    let client = fault_client(&server);
    let file = client
        .upload_file("room-1", FILE, "video.mp4", Source::from(data(size)))
        .await
        .unwrap();
    assert_eq!(file.size, size as i64);
    let requests = server.requests();
    let completes: Vec<_> = requests
        .iter()
        .filter(|r| r.target.ends_with("/complete"))
        .collect();
    assert_eq!(completes.len(), 2, "the 503 is retried");
    assert_eq!(completes[0].body, completes[1].body, "the same parts again");
    assert!(!requests.iter().any(|r| r.method == "DELETE"));
}

#[tokio::test]
async fn a_source_that_ends_early_aborts_and_completes_nothing() {
    let size = 3 * PART_SIZE;
    let server = FaultServer::start(multipart_server(size, |n, _| etag(n))).await;
    let client = fault_client(&server);
    let short = Source::reader(
        std::io::Cursor::new(data(2 * PART_SIZE + 3)),
        Some(size as u64),
    );
    let err = client
        .upload_file("room-1", FILE, "video.mp4", short)
        .await
        .unwrap_err();
    assert!(
        matches!(err, UploadError::LengthMismatch { declared, actual, longer: false } if declared == size as u64 && actual == (2 * PART_SIZE + 3) as u64),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the source declared {size} bytes but ended after {}",
            2 * PART_SIZE + 3
        )
    );
    let requests = server.requests();
    assert!(!requests.iter().any(|r| r.target.ends_with("/complete")));
    assert_eq!(requests.last().unwrap().method, "DELETE");
}

#[tokio::test]
async fn dropping_the_upload_aborts_it() {
    let size = 3 * PART_SIZE;
    let server = FaultServer::start(multipart_server(size, |_, _| Action::Hang)).await;
    let client = fault_client(&server);
    let task = tokio::spawn(async move {
        client
            .upload_file("room-1", FILE, "video.mp4", Source::from(data(size)))
            .await
    });
    let parts_arrived = async {
        while server
            .requests()
            .iter()
            .filter(|r| part_number(r).is_some())
            .count()
            < 3
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), parts_arrived)
        .await
        .expect("the parts are sent");
    task.abort();
    let aborted = async {
        loop {
            if let Some(r) = server.requests().into_iter().find(|r| r.method == "DELETE") {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let abort = tokio::time::timeout(Duration::from_secs(10), aborted)
        .await
        .expect("dropping the upload sends the abort");
    assert_eq!(abort.target, format!("{FILES}/multipart/{UPLOAD}"));
    assert!(
        !server
            .requests()
            .iter()
            .any(|r| r.target.ends_with("/complete"))
    );
}

#[tokio::test]
async fn parallelism_zero_is_refused_before_anything_is_sent() {
    let (server, client) = serve(json(200, live_file(1))).await;
    let err = client
        .upload_file("room-1", FILE, "a", Source::from(b"a".to_vec()))
        .parallelism(0)
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::InvalidArgument(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn without_a_runtime_an_upload_fails_instead_of_panicking() {
    let client = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = futures::executor::block_on(
        client
            .upload_file("room-1", FILE, "a", Source::path("/nonexistent"))
            .into_future(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            UploadError::Request {
                step: UploadStep::Start,
                source: liveblocks::Error::NoRuntime
            }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Attachments

const ATTACHMENTS: &str = "/v2/rooms/room-1/attachments/at_7Hq2";

fn attachment(size: usize) -> serde_json::Value {
    json!({"type": "attachment", "id": "at_7Hq2", "name": "mockup.png", "size": size, "mimeType": "image/png"})
}

#[tokio::test]
async fn a_small_attachment_is_one_put_with_the_user_and_size() {
    let bytes = all_bytes();
    let (server, client) = serve(json(200, attachment(bytes.len()))).await;
    let done = client
        .upload_comment_attachment(
            "room-1",
            "at_7Hq2",
            "marie",
            "mockup.png",
            Source::from(bytes.clone()),
        )
        .await
        .unwrap();
    assert_eq!(done.id, "at_7Hq2");
    assert_eq!(done.type_, "attachment");
    let request = received(&server, "PUT", &format!("{ATTACHMENTS}/upload/mockup.png")).await;
    assert_eq!(
        query(&request),
        pairs(&[("fileSize", &bytes.len().to_string()), ("userId", "marie")])
    );
    assert_octet_stream(&request, &bytes);
}

#[tokio::test]
async fn a_large_attachment_goes_multipart_with_the_user_on_complete() {
    let size = PART_SIZE + 10;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{ATTACHMENTS}/multipart/mockup.png")))
        .respond_with(json(
            200,
            json!({"attachmentId": "at_7Hq2", "uploadId": "up_91xk"}),
        ))
        .mount(&server)
        .await;
    for n in 1..=2 {
        Mock::given(method("PUT"))
            .and(path(format!("{ATTACHMENTS}/multipart/up_91xk/{n}")))
            .respond_with(json(200, json!({"partNumber": n, "etag": format!("e{n}")})))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path(format!("{ATTACHMENTS}/multipart/up_91xk/complete")))
        .respond_with(json(200, attachment(size)))
        .mount(&server)
        .await;
    let client = wire_client(&server);
    let done = client
        .upload_comment_attachment(
            "room-1",
            "at_7Hq2",
            "marie",
            "mockup.png",
            Source::from(data(size)),
        )
        .await
        .unwrap();
    assert_eq!(done.size, size as i64);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4, "{requests:#?}");
    assert_request(
        &requests[0],
        "POST",
        &format!("{ATTACHMENTS}/multipart/mockup.png"),
    );
    assert_eq!(
        query(&requests[0]),
        pairs(&[("fileSize", &size.to_string())])
    );
    let mut parts: Vec<_> = requests[1..3].iter().collect();
    parts.sort_by_key(|r| r.url.path().to_owned());
    assert_request(
        parts[0],
        "PUT",
        &format!("{ATTACHMENTS}/multipart/up_91xk/1"),
    );
    assert_octet_stream(parts[0], &data(size)[..PART_SIZE]);
    assert_octet_stream(parts[1], &data(size)[PART_SIZE..]);
    assert_eq!(query(parts[0]), vec![]);
    let complete = &requests[3];
    assert_request(
        complete,
        "POST",
        &format!("{ATTACHMENTS}/multipart/up_91xk/complete"),
    );
    assert_eq!(query(complete), pairs(&[("userId", "marie")]));
    assert_eq!(
        json_body(complete),
        json!({"parts": [{"partNumber": 1, "etag": "e1"}, {"partNumber": 2, "etag": "e2"}]})
    );
}

// ---------------------------------------------------------------------------------------------
// Downloads

/// A server with a file whose presigned link points back at it (`/blob?sig=...`); the blob
/// answers 503 `fail_first` times first.
async fn download_server(bytes: &[u8], size: usize, fail_first: u64) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let url = format!("{}/blob?key=k&sig=TOPSECRETSIG", server.uri());
    Mock::given(method("GET"))
        .and(path(FILES))
        .respond_with(json(
            200,
            json!({"id": FILE, "name": "video.mp4", "size": size, "mimeType": "video/mp4", "url": url, "expiresAt": "2026-03-02T10:15:00.000Z"}),
        ))
        .mount(&server)
        .await;
    if fail_first > 0 {
        Mock::given(method("GET"))
            .and(path("/blob"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(fail_first)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(binary(200, bytes))
        .mount(&server)
        .await;
    let client = quick_client(server.uri());
    (server, client)
}

#[tokio::test]
async fn a_download_streams_the_presigned_link_without_the_credential() {
    let bytes = data(300_000);
    let (server, client) = download_server(&bytes, bytes.len(), 1).await;
    let mut out = Vec::new();
    let written = client
        .download_storage_file("room-1", FILE, &mut out)
        .await
        .unwrap();
    assert_eq!(written, bytes.len() as u64);
    assert!(out == bytes);
    let requests = server.received_requests().await.unwrap();
    let blobs: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path() == "/blob")
        .collect();
    assert_eq!(blobs.len(), 2, "the 503 is retried");
    for blob in blobs {
        assert_eq!(blob.url.query(), Some("key=k&sig=TOPSECRETSIG"));
        assert_eq!(
            header_str(blob, "authorization"),
            None,
            "no credential to the link"
        );
    }
    assert_request(&requests[0], "GET", FILES);

    let link = client.storage_file_url("room-1", FILE).await.unwrap();
    assert_eq!(link.size, bytes.len() as u64);
    assert!(link.as_str().ends_with("sig=TOPSECRETSIG"));
    let debug = format!("{link:?}");
    assert!(!debug.contains("TOPSECRETSIG"), "{debug}");
    assert!(debug.contains("/blob?<redacted>"), "{debug}");
}

/// The error of downloading `len` bytes announced as `size`, after `fail_first` 503s.
async fn failed_download(len: usize, size: usize, fail_first: u64) -> DownloadError {
    let (_server, client) = download_server(&data(len), size, fail_first).await;
    client
        .download_storage_file("room-1", FILE, &mut Vec::new())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_download_shorter_than_the_file_is_an_error() {
    let err = failed_download(100, 101, 0).await;
    assert!(
        matches!(
            err,
            DownloadError::Length {
                expected: 101,
                actual: 100
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_download_that_keeps_failing_names_the_status_but_not_the_signature() {
    let err = failed_download(1, 1, 100).await;
    assert!(
        matches!(err, DownloadError::Status { status, attempts: 4 } if status.as_u16() == 503),
        "{err:?}"
    );
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("TOPSECRETSIG"), "{text}");
    }
}

#[tokio::test]
async fn a_transport_error_of_a_download_carries_no_url() {
    // A link to a port nobody listens on: connection refused, retried, then reported.
    let server = MockServer::start().await;
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    Mock::given(method("GET"))
        .respond_with(json(
            200,
            json!({"type": "attachment", "id": "at_7Hq2", "name": "a.png", "size": 1, "mimeType": "image/png", "url": format!("http://127.0.0.1:{port}/blob?sig=TOPSECRETSIG"), "expiresAt": "2026-03-02T10:15:00.000Z"}),
        ))
        .mount(&server)
        .await;
    let client = quick_client(server.uri());
    let err = client
        .download_attachment("room-1", "at_7Hq2", &mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, DownloadError::Transport { attempts: 4, .. }),
        "{err:?}"
    );
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("TOPSECRETSIG"), "{text}");
    }
    let requests = server.received_requests().await.unwrap();
    assert_request(&requests[0], "GET", "/v2/rooms/room-1/attachments/at_7Hq2");
}

#[tokio::test]
async fn no_more_parts_than_the_parallelism_are_in_flight() {
    // Parts are never answered: with parallelism 3, exactly three are sent and no fourth
    // follows until one ends.
    let server = FaultServer::start(multipart_server(8 * PART_SIZE, |_, _| Action::Hang)).await;
    let client = fault_client(&server);
    let task = tokio::spawn(async move {
        client
            .upload_file(
                "room-1",
                FILE,
                "video.mp4",
                Source::from(data(8 * PART_SIZE)),
            )
            .parallelism(3)
            .await
    });
    let parts = || {
        server
            .requests()
            .iter()
            .filter(|r| part_number(r).is_some())
            .count()
    };
    tokio::time::timeout(Duration::from_secs(10), async {
        while parts() < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("three parts are sent");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(parts(), 3);
    task.abort();
}
