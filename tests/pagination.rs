//! Streams over paginated lists, against a local recording server.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::{StreamExt, TryStreamExt};
use liveblocks::Error;
use serde_json::{Value, json};
use support::*;
use wiremock::Respond;

/// Serves `pages` pages of `per_page` items. The cursor of page `n` is `c<n>`; the last page has
/// `nextCursor: null`. `cursor_param` is the query parameter carrying the cursor.
struct Pager {
    pages: usize,
    per_page: usize,
    cursor_param: &'static str,
    item: fn(usize) -> Value,
    /// When set, every page answers this cursor as the next one.
    stuck: Option<&'static str>,
}

impl Respond for Pager {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let page = request
            .url
            .query_pairs()
            .find(|(k, _)| k == self.cursor_param)
            .map_or(0, |(_, v)| {
                v.trim_start_matches('c').parse::<usize>().unwrap()
            });
        let data: Vec<Value> = (page * self.per_page..(page + 1) * self.per_page)
            .map(self.item)
            .collect();
        let next = match self.stuck {
            Some(cursor) => json!(cursor),
            None if page + 1 < self.pages => json!(format!("c{}", page + 1)),
            None => Value::Null,
        };
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "nextCursor": next}))
    }
}

fn room(i: usize) -> Value {
    let mut room = room_json(&format!("room-{i:04}"));
    room["metadata"] = json!({"n": i.to_string()});
    room
}

fn version(i: usize) -> Value {
    json!({
        "type": "historyVersion",
        "kind": "yjs",
        "id": format!("v{i}"),
        "createdAt": "2024-10-15T10:30:00.000Z",
        "authors": [{"id": "alice"}]
    })
}

async fn pager(server: &MockServer, path_str: &str, pager: Pager) {
    Mock::given(method("GET"))
        .and(path(path_str))
        .respond_with(pager)
        .mount(server)
        .await;
}

#[tokio::test]
async fn five_pages_of_rooms_stream_in_order_with_starting_after_and_filters() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 5,
        per_page: 100,
        cursor_param: "startingAfter",
        item: room,
        stuck: None,
    };
    pager(&server, "/v2/rooms", p).await;
    let client = wire_client(&server);
    let rooms = client
        .get_rooms()
        .query(r#"metadata["color"]:"blue""#)
        .organization_id("org_1")
        .stream()
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = rooms.iter().map(|r| r.id.clone()).collect();
    let expected: Vec<String> = (0..500).map(|i| format!("room-{i:04}")).collect();
    assert_eq!(ids, expected);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        5,
        "one request per page, none after the null cursor"
    );
    for (n, request) in requests.iter().enumerate() {
        assert_request(request, "GET", "/v2/rooms");
        let mut expected = vec![
            ("limit", "100".to_string()),
            ("organizationId", "org_1".to_string()),
            ("query", r#"metadata["color"]:"blue""#.to_string()),
        ];
        if n > 0 {
            expected.push(("startingAfter", format!("c{n}")));
        }
        let expected: Vec<(&str, &str)> = expected.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(query(request), pairs(&expected), "request {n}");
    }
}

#[tokio::test]
async fn version_history_uses_the_cursor_parameter() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 3,
        per_page: 2,
        cursor_param: "cursor",
        item: version,
        stuck: None,
    };
    pager(&server, "/v2/rooms/my%20room/versions", p).await;
    let client = wire_client(&server);
    let versions: Vec<_> = client
        .get_version_history()
        .room_id("my room")
        .stream()
        .page_size(2)
        .try_collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = versions.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["v0", "v1", "v2", "v3", "v4", "v5"]);
    let requests = server.received_requests().await.unwrap();
    let queries: Vec<_> = requests.iter().map(query).collect();
    assert_eq!(
        queries,
        [
            pairs(&[("limit", "2")]),
            pairs(&[("limit", "2"), ("cursor", "c1")]),
            pairs(&[("limit", "2"), ("cursor", "c2")]),
        ]
    );
}

#[tokio::test]
async fn pages_yields_whole_pages_and_page_size_is_clamped() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 3,
        per_page: 4,
        cursor_param: "startingAfter",
        item: room,
        stuck: None,
    };
    pager(&server, "/v2/rooms", p).await;
    let client = wire_client(&server);
    let sizes: Vec<usize> = client
        .get_rooms()
        .stream()
        .page_size(1000)
        .pages()
        .map(|page| page.unwrap().len())
        .collect()
        .await;
    assert_eq!(sizes, [4, 4, 4]);
    let first = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        query(first),
        pairs(&[("limit", "100")]),
        "clamped to the API maximum"
    );
}

#[tokio::test]
async fn a_missing_or_empty_cursor_ends_the_stream() {
    for body in [
        json!({"data": [room(1)]}),
        json!({"data": [room(1)], "nextCursor": ""}),
    ] {
        let server = MockServer::start().await;
        respond(&server, json(200, body)).await;
        let rooms = wire_client(&server)
            .get_rooms()
            .stream()
            .try_collect_all()
            .await
            .unwrap();
        assert_eq!(rooms.len(), 1);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let p = Pager {
        pages: 9,
        per_page: 2,
        cursor_param: "startingAfter",
        item: room,
        stuck: Some("c1"),
    };
    pager(&server, "/v2/rooms", p).await;
    let results: Vec<Result<_, Error>> = wire_client(&server).get_rooms().stream().collect().await;
    // Page 0 (2 items, next c1), page c1 (2 items, next c1 again: error), then the end.
    assert_eq!(results.len(), 5, "{results:?}");
    assert!(results[..4].iter().all(Result::is_ok));
    let err = results[4].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::InvalidResponse(m) if m.contains("\"c1\"")),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    Mock::given(method("GET"))
        .respond_with(move |_: &wiremock::Request| {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                json(200, json!({"data": [room(0), room(1)], "nextCursor": "c1"}))
            } else {
                json(403, json!({"error": "FORBIDDEN", "message": "No access"}))
            }
        })
        .mount(&server)
        .await;
    let results: Vec<_> = wire_client(&server).get_rooms().stream().collect().await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[2].as_ref().unwrap_err().code(), Some("FORBIDDEN"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn read_ahead_requests_the_next_page_before_the_current_one_is_consumed() {
    for read_ahead in [true, false] {
        let server = MockServer::start().await;
        let p = Pager {
            pages: 3,
            per_page: 10,
            cursor_param: "startingAfter",
            item: room,
            stuck: None,
        };
        pager(&server, "/v2/rooms", p).await;
        let client = wire_client(&server);
        let mut stream = client.get_rooms().stream().read_ahead(read_ahead);
        // Take all but the last item of page 0, doing a little work per item.
        for _ in 0..9 {
            stream.try_next().await.unwrap().unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let seen = server.received_requests().await.unwrap().len();
        if read_ahead {
            assert_eq!(seen, 2, "page 1 must already be requested");
        } else {
            assert_eq!(
                seen, 1,
                "without read-ahead, page 1 waits for page 0 to be consumed"
            );
        }
        let rest: Vec<_> = stream.try_collect().await.unwrap();
        assert_eq!(rest.len(), 21);
    }
}
