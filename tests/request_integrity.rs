//! Request integrity at the wire: whatever a caller passes as an ID, the request that leaves is
//! the operation's own method and path, each parameter exactly one percent-encoded segment, and
//! the secret key goes to the API's own address and nowhere else.
//!
//! The fault server records the request target exactly as it arrived on the socket (before any
//! normalisation), so a `\`, `..` or `%2e` that a URL parser would resolve shows here.

mod support;

use std::time::Duration;

use liveblocks::{Client, Error};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use support::WIRE_SECRET;
use support::fault::{Action, FaultServer, SeenRequest};

const ROOM: &str = r#"{"type":"room","id":"r","organizationId":"o","createdAt":"2024-01-01T00:00:00Z","defaultAccesses":[],"usersAccesses":{},"groupsAccesses":{},"metadata":{}}"#;
const THREAD: &str = r#"{"type":"thread","id":"t","roomId":"r","comments":[],"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z","metadata":{},"resolved":false,"visibility":"public"}"#;
const COMMENT: &str = r#"{"type":"comment","id":"c","threadId":"t","roomId":"r","userId":"u","createdAt":"2024-01-01T00:00:00Z","reactions":[],"attachments":[],"metadata":{},"body":{"version":1,"content":[]}}"#;

/// Values a user could pass as an ID, each of which must arrive as one segment.
const HOSTILE: &[&str] = &[
    "tenant-a:x\\..\\tenant-b:doc",
    "a\\..\\..\\projects\\x",
    "../../projects/x",
    "a/../b",
    "%2e%2e",
    "%2E",
    ".%2e",
    "...",
    "50%",
    "%",
    "%zz",
    "q?admin=1",
    "frag#ment",
    "tab\there",
    "new\nline",
    "cr\rlf",
    "nul\0byte",
    "del\u{7f}",
    "space at end ",
    " leading",
    "é–中文🙂",
    "\u{202e}rtl",
    "[::1]",
    "@evil.example",
    "//evil.example/x",
    "http://evil.example/",
    "a;b=c,d",
    "(v2)'*+!$&",
    "|^`{}<>\"",
];

fn client(base: &str) -> Client {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(base)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

/// An answer for any of the three operations below.
fn answer(r: &SeenRequest) -> Action {
    let body = if r.target.contains("/comments/") {
        COMMENT
    } else if r.target.contains("/threads/") {
        THREAD
    } else {
        ROOM
    };
    Action::json(200, body)
}

/// The decoded segments of a target's path after `prefix`.
fn segments(target: &str, prefix: &str) -> Vec<String> {
    let path = target.split('?').next().unwrap();
    let rest = path
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{target:?} does not start with {prefix:?}"));
    rest.strip_prefix('/')
        .unwrap()
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .unwrap_or_else(|e| panic!("{s:?}: {e}"))
                .into_owned()
        })
        .collect()
}

/// Each hostile value, in every position of operations with one, two and three path
/// parameters, with and without a base-URL prefix: one request, to the template's path, with
/// the value as exactly one segment.
#[tokio::test]
async fn hostile_ids_stay_in_their_segment() {
    let server = FaultServer::start(answer).await;
    for prefix in ["", "/proxy/liveblocks"] {
        let c = client(&format!("{}{prefix}", server.base_url()));
        for value in HOSTILE {
            let before = server.count();
            c.get_room().room_id(*value).send().await.unwrap();
            c.get_thread()
                .room_id(*value)
                .thread_id("t")
                .send()
                .await
                .unwrap();
            c.get_thread()
                .room_id("r")
                .thread_id(*value)
                .send()
                .await
                .unwrap();
            c.get_comment()
                .room_id(*value)
                .thread_id(*value)
                .comment_id(*value)
                .send()
                .await
                .unwrap();
            let seen = &server.requests()[before..];
            assert_eq!(seen.len(), 4, "{value:?}: one request per call");
            let v = value.to_string();
            let expected: [Vec<String>; 4] = [
                vec!["v2".into(), "rooms".into(), v.clone()],
                vec![
                    "v2".into(),
                    "rooms".into(),
                    v.clone(),
                    "threads".into(),
                    "t".into(),
                ],
                vec![
                    "v2".into(),
                    "rooms".into(),
                    "r".into(),
                    "threads".into(),
                    v.clone(),
                ],
                vec![
                    "v2".into(),
                    "rooms".into(),
                    v.clone(),
                    "threads".into(),
                    v.clone(),
                    "comments".into(),
                    v.clone(),
                ],
            ];
            for (request, expected) in seen.iter().zip(expected) {
                assert_eq!(request.method, "GET");
                assert_eq!(
                    segments(&request.target, prefix),
                    expected,
                    "{value:?} sent as {:?}",
                    request.target
                );
                // Nothing a server or proxy could resolve: no raw `\`, no dot segment.
                assert!(!request.target.contains('\\'), "{:?}", request.target);
                assert!(
                    !request.target.split('/').any(|s| s == "." || s == ".."),
                    "{:?}",
                    request.target
                );
            }
        }
    }
}

/// The two examples of the issue, exactly as they leave.
#[tokio::test]
async fn a_crafted_room_id_cannot_reach_another_room_or_endpoint() {
    let server = FaultServer::start(|_| Action::Respond {
        status: 204,
        headers: vec![],
        body: vec![],
    })
    .await;
    let c = client(&server.base_url());
    c.delete_room()
        .room_id("tenant-a:x\\..\\tenant-b:doc")
        .send()
        .await
        .unwrap();
    let server2 = FaultServer::start(answer).await;
    client(&format!("{}/prefix", server2.base_url()))
        .get_room()
        .room_id("a\\..\\..\\projects\\x")
        .send()
        .await
        .unwrap();
    let (delete, get) = (&server.requests()[0], &server2.requests()[0]);
    assert_eq!(delete.method, "DELETE");
    assert_eq!(delete.target, "/v2/rooms/tenant-a:x%5C..%5Ctenant-b:doc");
    assert_eq!(get.method, "GET");
    assert_eq!(get.target, "/prefix/v2/rooms/a%5C..%5C..%5Cprojects%5Cx");
}

/// `""`, `.` and `..` cannot be a segment: refused by parameter name, nothing sent, in every
/// position and with a prefix (where `.` as a non-final parameter used to escape).
#[tokio::test]
async fn values_that_cannot_be_a_segment_are_refused_by_name() {
    let server = FaultServer::start(answer).await;
    for prefix in ["", "/prefix"] {
        let c = client(&format!("{}{prefix}", server.base_url()));
        for value in ["", ".", ".."] {
            let reason = if value.is_empty() {
                "is empty".to_string()
            } else {
                format!("is {value:?}, a dot segment")
            };
            let err = c
                .get_storage_document()
                .room_id(value)
                .send()
                .await
                .unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
            assert!(
                text.starts_with(&format!(
                    "invalid argument: get_storage_document: the path parameter `roomId` {reason}"
                )),
                "{text}"
            );
            let err = c
                .get_comment()
                .room_id("r")
                .thread_id(value)
                .comment_id("c")
                .send()
                .await
                .unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("the path parameter `threadId` {reason}")),
                "{err}"
            );
            assert_eq!(err.attempts(), None, "nothing was sent");
        }
    }
    assert_eq!(server.count(), 0);
}

/// Long values stay one segment too.
#[tokio::test]
async fn very_long_ids_are_one_segment() {
    let server = FaultServer::start(answer).await;
    let c = client(&server.base_url());
    let long = "x/".repeat(2000) + &"é".repeat(500);
    c.get_room().room_id(&long).send().await.unwrap();
    assert_eq!(
        segments(&server.requests()[0].target, ""),
        ["v2", "rooms", long.as_str()]
    );
}

/// Any string either arrives as one segment that decodes back to it, in both positions of a
/// two-parameter operation under a prefix, or is refused before anything is sent.
#[test]
fn any_string_round_trips_or_is_refused() {
    use proptest::test_runner::{Config, TestRunner};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(FaultServer::start(answer));
    let c = client(&format!("{}/p%20x", server.base_url()));
    let mut runner = TestRunner::new(Config {
        cases: 1000,
        ..Config::default()
    });
    let strings = (
        any::<String>(),
        prop_oneof![any::<String>(), "[./\\%?#]{0,3}"],
    );
    runner
        .run(&strings, |(room, thread)| {
            let before = server.count();
            let result = runtime.block_on(c.get_thread().room_id(&room).thread_id(&thread).send());
            let cannot = |v: &str| v.is_empty() || v == "." || v == "..";
            let seen = &server.requests()[before..];
            if cannot(&room) || cannot(&thread) {
                prop_assert!(
                    matches!(result, Err(Error::InvalidArgument(_))),
                    "{:?}",
                    result
                );
                prop_assert_eq!(seen.len(), 0);
            } else {
                prop_assert!(result.is_ok(), "{:?}", result);
                prop_assert_eq!(seen.len(), 1);
                prop_assert_eq!(
                    segments(&seen[0].target, "/p%20x"),
                    vec![
                        "v2".to_string(),
                        "rooms".into(),
                        room.clone(),
                        "threads".into(),
                        thread.clone()
                    ]
                );
            }
            Ok(())
        })
        .unwrap();
}

/// A 3xx is a typed error with the status and `Location`: the client this crate builds
/// follows no redirect, so neither the key nor the body goes anywhere else, and it is not
/// retried.
#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = FaultServer::start(answer).await;
    for status in [301, 302, 303, 307, 308] {
        let target = format!("{}/v2/rooms", elsewhere.base_url());
        let api =
            FaultServer::start(move |_| Action::json_with(status, "{}", "location", &target)).await;
        let c = client(&api.base_url());
        let body: liveblocks::types::CreateRoomRequestBody =
            serde_json::from_str(r#"{"id":"r","defaultAccesses":[]}"#).unwrap();
        let err = c.create_room().body(body).send().await.unwrap_err();
        match &err {
            Error::Redirect {
                status: s,
                location,
                attempts,
            } => {
                assert_eq!(s.as_u16(), status);
                assert_eq!(
                    location.as_deref(),
                    Some(format!("{}/v2/rooms", elsewhere.base_url()).as_str())
                );
                assert_eq!(*attempts, 1);
            }
            other => panic!("{status}: expected a redirect error, got {other:?}"),
        }
        assert!(
            err.to_string().contains(&format!("answered {status} ")),
            "{err}"
        );
        // A GET is idempotent, yet a redirect is not retried either.
        let err = c.get_room().room_id("r").send().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(api.count(), 2, "{status}: one request per call");
    }
    assert_eq!(
        elsewhere.count(),
        0,
        "nothing was sent to the redirect target"
    );

    // A redirect loop costs one request.
    let looping = FaultServer::start(|r| Action::json_with(302, "{}", "location", &r.target)).await;
    let err = client(&looping.base_url())
        .get_room()
        .room_id("r")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert_eq!(looping.count(), 1);
}

/// A caller-supplied `reqwest::Client` keeps its own redirect policy (documented): the answer
/// it fetched elsewhere is still not passed off as the API's.
#[tokio::test]
async fn an_answer_from_elsewhere_is_refused_with_a_callers_http_client() {
    let elsewhere = FaultServer::start(answer).await;
    let target = format!("{}/v2/rooms/r", elsewhere.base_url());
    let api = FaultServer::start(move |_| Action::json_with(307, "{}", "location", &target)).await;
    let c = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(api.base_url())
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let err = c.get_room().room_id("r").send().await.unwrap_err();
    match &err {
        Error::Redirect { location, .. } => assert_eq!(
            location.as_deref(),
            Some(format!("{}/v2/rooms/r", elsewhere.base_url()).as_str())
        ),
        other => panic!("expected a redirect error, got {other:?}"),
    }
    assert_eq!(api.count(), 1);
    // reqwest's default policy did follow it (what the docs of `http_client` warn about).
    assert_eq!(elsewhere.count(), 1);
}
