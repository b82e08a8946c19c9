//! Fault injection: retries, timeouts and broken answers from a server we control.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use liveblocks::{Client, Error, TimeoutKind};
use reqwest::StatusCode;
use support::WIRE_SECRET;
use support::fault::{Action, End, FaultServer};

const ROOM: &str = r#"{"type":"room","id":"r1","organizationId":"o","createdAt":"2024-01-01T00:00:00Z","defaultAccesses":["room:write"],"usersAccesses":{},"groupsAccesses":{},"metadata":{}}"#;

fn client(server: &FaultServer) -> liveblocks::ClientBuilder {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.base_url())
        .retry_base_delay(Duration::from_millis(1))
}

#[tokio::test]
async fn two_503s_then_success_takes_three_requests() {
    let server = FaultServer::start(|r| match r.index {
        0 | 1 => Action::json(503, r#"{"error":"UNAVAILABLE"}"#),
        _ => Action::json(200, ROOM),
    })
    .await;
    let room = client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap();
    assert_eq!(room.id, "r1");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn retries_give_up_after_the_configured_count() {
    let server = FaultServer::start(|_| Action::json(503, r#"{"error":"UNAVAILABLE"}"#)).await;
    let err = client(&server)
        .max_retries(2)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(server.count(), 3);

    let server = FaultServer::start(|_| Action::json(503, "{}")).await;
    let err = client(&server)
        .max_retries(0)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(1), "0 disables retries");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = FaultServer::start(|r| match r.index {
        0 => Action::json_with(429, r#"{"error":"RATE_LIMITED"}"#, "retry-after", "1"),
        _ => Action::json(200, ROOM),
    })
    .await;
    let started = Instant::now();
    client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_non_idempotent_post_is_retried_on_429_but_not_on_503() {
    let body = r#"{"id":"r1","defaultAccesses":[]}"#;
    let server = FaultServer::start(|r| match r.index {
        0 => Action::json(429, "{}"),
        _ => Action::json(200, ROOM),
    })
    .await;
    let c = client(&server).build().unwrap();
    let room: liveblocks::types::CreateRoomRequestBody = serde_json::from_str(body).unwrap();
    c.create_room().body(room.clone()).send().await.unwrap();
    assert_eq!(
        server.count(),
        2,
        "429 means the server did not process it: retried"
    );
    let requests = server.requests();
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is sent again"
    );

    let server = FaultServer::start(|_| Action::json(503, "{}")).await;
    let c = client(&server).build().unwrap();
    let err = c.create_room().body(room.clone()).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        server.count(),
        1,
        "a plain create may have happened: not retried"
    );

    // With ?idempotent=true the same create is safe to repeat.
    let server = FaultServer::start(|r| match r.index {
        0 => Action::json(503, "{}"),
        _ => Action::json(200, ROOM),
    })
    .await;
    let c = client(&server).build().unwrap();
    c.create_room()
        .idempotent(true)
        .body(room)
        .send()
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
    assert!(
        server.requests()[1].target.ends_with("?idempotent=true"),
        "{:?}",
        server.requests()
    );
}

#[tokio::test]
async fn a_post_that_times_out_mid_request_is_not_retried() {
    let server = FaultServer::start(|_| Action::Hang).await;
    let c = client(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let body: liveblocks::types::CreateRoomRequestBody =
        serde_json::from_str(r#"{"id":"r1","defaultAccesses":[]}"#).unwrap();
    let err = c.create_room().body(body).send().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Deadline,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("the deadline of the call (300ms) ran out"),
        "{err}"
    );
    assert_eq!(server.count(), 1);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_limit() {
    let server = FaultServer::start(|_| Action::Hang).await;
    let c = client(&server)
        .attempt_timeout(Duration::from_millis(200))
        .max_retries(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.get_room().room_id("r1").send().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), Some(2), "a GET is idempotent: retried once");
    assert_eq!(server.count(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_reset_connection_is_a_transport_error() {
    let server = FaultServer::start(|_| Action::Reset).await;
    let err = client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 4, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 4);

    // A non-idempotent POST that may have reached the server is not sent again.
    let server = FaultServer::start(|_| Action::Reset).await;
    let body: liveblocks::types::CreateRoomRequestBody =
        serde_json::from_str(r#"{"id":"r1","defaultAccesses":[]}"#).unwrap();
    let err = client(&server)
        .build()
        .unwrap()
        .create_room()
        .body(body)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error() {
    let server = FaultServer::start(|_| Action::Truncate {
        status: 200,
        declared: 500,
        body: br#"{"type":"room","id":"r1""#.to_vec(),
    })
    .await;
    let err = client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn invalid_json_with_200_is_a_decode_error() {
    let server = FaultServer::start(|_| Action::json(200, "{not json")).await;
    let err = client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(snippet, "{not json");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(server.count(), 1, "a decode error is not retried");
}

#[tokio::test]
async fn binary_bodies_are_resent_byte_for_byte() {
    let update: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let server = FaultServer::start(|r| match r.index {
        0 => Action::json(502, "{}"),
        _ => Action::Respond {
            status: 200,
            headers: vec![],
            body: vec![],
        },
    })
    .await;
    client(&server)
        .build()
        .unwrap()
        .send_yjs_binary_update()
        .room_id("r1")
        .body(update.clone())
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, update);
    assert_eq!(requests[1].body, update);
}

/// 500 calls, 32 at a time, against a server failing 20% of requests with 503: every call ends
/// in success or a typed error, and the server saw exactly the requests the policy allows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_with_random_503s_loses_nothing() {
    let rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(7)));
    let per_room: Arc<Mutex<BTreeMap<String, Vec<u16>>>> = Arc::default();
    let server = {
        let per_room = per_room.clone();
        FaultServer::start(move |r| {
            let id = r.target.rsplit('/').next().unwrap().to_string();
            let status = if rng.lock().unwrap().f64() < 0.2 {
                503
            } else {
                200
            };
            per_room
                .lock()
                .unwrap()
                .entry(id.clone())
                .or_default()
                .push(status);
            if status == 503 {
                Action::json(503, r#"{"error":"UNAVAILABLE"}"#)
            } else {
                Action::json(
                    200,
                    &ROOM.replace(r#""id":"r1""#, &format!(r#""id":"{id}""#)),
                )
            }
        })
        .await
    };
    let c = client(&server).build().unwrap();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::new();
    for i in 0..500 {
        let (c, semaphore) = (c.clone(), semaphore.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = semaphore.acquire().await.unwrap();
            let id = format!("room-{i}");
            let result =
                tokio::time::timeout(Duration::from_secs(30), c.get_room().room_id(&id).send())
                    .await
                    .expect("every call ends");
            (id, result)
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(results.len(), 500);
    let per_room = per_room.lock().unwrap();
    let mut expected_total = 0;
    for (id, result) in &results {
        let statuses = &per_room[id];
        expected_total += statuses.len();
        match result {
            Ok(room) => {
                assert_eq!(&room.id, id);
                assert_eq!(statuses.last(), Some(&200));
                assert!(
                    statuses[..statuses.len() - 1].iter().all(|s| *s == 503),
                    "{statuses:?}"
                );
                assert!(statuses.len() <= 4);
            }
            Err(err) => {
                assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
                assert_eq!(err.attempts(), Some(4));
                assert_eq!(statuses, &vec![503; 4]);
            }
        }
    }
    assert_eq!(
        server.count(),
        expected_total,
        "no request lost or duplicated"
    );
    assert!(expected_total > 500, "some requests were retried");
}

fn create_body() -> liveblocks::types::CreateRoomRequestBody {
    serde_json::from_str(r#"{"id":"r1","defaultAccesses":[]}"#).unwrap()
}

/// The headers arrive, then the body is cut: an idempotent request is retried like a failure
/// before the headers; a plain POST is not (it reached the server), and the error keeps the
/// status and says so.
#[tokio::test]
async fn a_body_cut_after_the_headers_is_retried_when_idempotent() {
    let cut = || Action::Truncate {
        status: 200,
        declared: 500,
        body: br#"{"type":"room","id":"r1""#.to_vec(),
    };
    let server = FaultServer::start(move |r| match r.index {
        0 => cut(),
        _ => Action::json(200, ROOM),
    })
    .await;
    let room = client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap();
    assert_eq!(room.id, "r1");
    assert_eq!(server.count(), 2);

    let server = FaultServer::start(move |_| cut()).await;
    let err = client(&server)
        .build()
        .unwrap()
        .create_room()
        .body(create_body())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                attempts: 1,
                sent: true,
                status: Some(StatusCode::OK),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(StatusCode::OK));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "the 200 OK response was cut short after its headers arrived: the request may have \
             been applied (1 attempt(s)): "
        ),
        "{text}"
    );
    assert_eq!(server.count(), 1, "a plain create is never sent twice");
}

/// The headers arrive, then the body stalls past the attempt timeout: retried for a GET (and
/// the error keeps the status when the retries run out), never for a plain POST.
#[tokio::test]
async fn a_body_that_stalls_is_retried_when_idempotent() {
    let stall = || Action::Stream {
        status: 200,
        declared: 100,
        chunks: vec![b"{\"type\":".to_vec()],
        pause: Duration::from_millis(10),
        end: End::Hang,
    };
    let server = FaultServer::start(move |r| match r.index {
        0 => stall(),
        _ => Action::json(200, ROOM),
    })
    .await;
    let c = client(&server)
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    assert_eq!(c.get_room().room_id("r1").send().await.unwrap().id, "r1");
    assert_eq!(server.count(), 2);

    let server = FaultServer::start(move |_| stall()).await;
    let c = client(&server)
        .attempt_timeout(Duration::from_millis(200))
        .max_retries(1)
        .build()
        .unwrap();
    let err = c.get_room().room_id("r1").send().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempts: 2,
                status: Some(StatusCode::OK),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 2);
    let err = c
        .create_room()
        .body(create_body())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 3, "the POST went once");
}

/// A byte-stream download is retried until its first byte reaches the caller, not after.
#[tokio::test]
async fn downloads_are_retried_until_their_first_byte() {
    let server = FaultServer::start(|r| match r.index {
        // Headers, then a reset before any body byte: retried.
        0 => Action::Stream {
            status: 200,
            declared: 6,
            chunks: vec![],
            pause: Duration::from_millis(10),
            end: End::Reset,
        },
        _ => Action::Respond {
            status: 200,
            headers: vec![],
            body: b"update".to_vec(),
        },
    })
    .await;
    let c = client(&server).build().unwrap();
    let bytes = c
        .get_yjs_document_as_binary_update()
        .room_id("r1")
        .send()
        .await
        .unwrap()
        .into_inner()
        .into_inner()
        .map(|chunk| chunk.unwrap().to_vec())
        .concat()
        .await;
    assert_eq!(bytes, b"update");
    assert_eq!(server.count(), 2);

    // The first chunk reached the caller; the reset after it is the caller's to see.
    let server = FaultServer::start(|_| Action::Stream {
        status: 200,
        declared: 100,
        chunks: vec![b"first".to_vec()],
        pause: Duration::from_millis(50),
        end: End::Reset,
    })
    .await;
    let mut stream = client(&server)
        .build()
        .unwrap()
        .get_yjs_document_as_binary_update()
        .room_id("r1")
        .send()
        .await
        .unwrap()
        .into_inner()
        .into_inner();
    assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"first");
    assert!(stream.next().await.unwrap().is_err());
    assert_eq!(server.count(), 1);
}

/// Every error produced after a request went out says how many attempts were made, a decode
/// error after retries included.
#[tokio::test]
async fn a_decode_error_after_retries_counts_its_attempts() {
    let server = FaultServer::start(|r| match r.index {
        0 | 1 => Action::json(503, "{}"),
        _ => Action::Respond {
            status: 200,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<html>maintenance</html>".to_vec(),
        },
    })
    .await;
    let err = client(&server)
        .build()
        .unwrap()
        .get_room()
        .room_id("r1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { attempts: 3, .. }), "{err:?}");
    assert_eq!(err.attempts(), Some(3));
    assert!(err.to_string().contains("after 3 attempt(s)"), "{err}");
}

/// A reset after the request was sent says it may have been applied, with its root cause.
#[tokio::test]
async fn a_reset_after_sending_says_the_request_may_have_been_applied() {
    let server = FaultServer::start(|_| Action::Reset).await;
    let err = client(&server)
        .build()
        .unwrap()
        .create_room()
        .body(create_body())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                sent: true,
                status: None,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.request_sent(), Some(true));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "the connection failed after the request was sent: it may have been applied \
             (1 attempt(s)): "
        ),
        "{text}"
    );
    assert!(
        text.contains("reset") || text.contains("closed"),
        "the root cause is in the message: {text}"
    );
}

/// Outside a Tokio runtime the async client returns a typed error instead of panicking.
#[test]
fn the_async_client_outside_a_runtime_is_an_error() {
    let c = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = futures::executor::block_on(c.get_room().room_id("r1").send()).unwrap_err();
    assert!(matches!(err, Error::NoRuntime), "{err:?}");
    assert!(err.to_string().contains("needs a Tokio runtime"), "{err}");
}
