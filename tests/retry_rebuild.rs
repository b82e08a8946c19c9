//! A retry of an operation without a body sends a request built again from the builder's
//! arguments (not a copy made in advance): it must be the first request byte for byte, with the
//! same method, path, query and headers, credential included.

mod support;

use std::time::Duration;

use liveblocks::Client;
use support::fault::{Action, FaultServer, SeenRequest};

const SECRET: &str = "sk_test_retry_rebuild_0123";
const ROOM: &str = r#"{"type":"room","id":"a/b c","organizationId":"o","createdAt":"2024-01-01T00:00:00Z","defaultAccesses":["room:write"],"usersAccesses":{},"groupsAccesses":{},"metadata":{}}"#;
const PAGE: &str = r#"{"nextCursor":null,"data":[]}"#;

/// A server that answers the first `failures` requests with 503 and the others with `body`
/// (it records the head of every request, request line and headers, as received).
async fn server(failures: usize, body: &'static str) -> FaultServer {
    FaultServer::start(move |r: &SeenRequest| {
        if r.index < failures {
            Action::json(503, r#"{"error":"BUSY"}"#)
        } else {
            Action::json(200, body)
        }
    })
    .await
}

/// The heads of the requests `server` received, in order.
fn heads(server: &FaultServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.head).collect()
}

fn client(url: &str) -> Client {
    Client::builder()
        .secret_key(SECRET)
        .base_url(url)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

/// The header lines of a head, lowercased names, sorted (their order is the HTTP client's).
fn headers(head: &str) -> Vec<String> {
    let mut lines: Vec<String> = head
        .lines()
        .skip(1)
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            format!("{}:{}", name.to_ascii_lowercase(), value.trim())
        })
        .collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn a_retried_get_with_a_path_parameter_is_the_same_request() {
    let server = server(2, ROOM).await;
    let response = client(&server.base_url())
        .get_room()
        .room_id("a/b c")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_inner().id, "a/b c");
    let heads = heads(&server);
    assert_eq!(heads.len(), 3, "{heads:#?}");
    let first = &heads[0];
    assert!(
        first.starts_with("GET /v2/rooms/a%2Fb%20c HTTP/1.1\r\n"),
        "{first}"
    );
    let lines = headers(first);
    assert!(
        lines.contains(&format!("authorization:Bearer {SECRET}")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"accept:application/json".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("user-agent:liveblocks-rust/")),
        "{lines:?}"
    );
    for retry in &heads[1..] {
        assert_eq!(retry.lines().next(), first.lines().next());
        assert_eq!(headers(retry), lines);
    }
}

#[tokio::test]
async fn a_retried_list_keeps_its_query() {
    let server = server(1, PAGE).await;
    let page = client(&server.base_url())
        .get_rooms()
        .limit(7u32)
        .starting_after("room 9")
        .query("metadata[\"color\"]:\"blue\"")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(page.data.is_empty());
    let heads = heads(&server);
    assert_eq!(heads.len(), 2, "{heads:#?}");
    let line = heads[0].lines().next().unwrap();
    assert!(line.starts_with("GET /v2/rooms?"), "{line}");
    assert!(line.contains("limit=7"), "{line}");
    assert!(line.contains("startingAfter=room+9"), "{line}");
    assert!(line.contains("query=metadata"), "{line}");
    assert_eq!(heads[1].lines().next(), Some(line));
    assert_eq!(headers(&heads[1]), headers(&heads[0]));
}
