//! What the integration tests share: the dev server, the recording HTTP server, clients.
#![allow(dead_code, unused_imports)]

pub mod captured;
pub mod devserver;
pub mod nodesdk;
pub mod paging;
pub mod prism;
pub mod tools;
pub mod verdicts;
pub mod webhooks;
pub mod yjsnode;

use std::path::{Path, PathBuf};

pub use captured::Captured;
pub use devserver::DevServer;
use liveblocks::Client;
use liveblocks::types::{self, Permission};
pub use paging::{Pager, assert_pages, pager};
pub use verdicts::{Verdicts, assert_rejected};
pub use wiremock::matchers::{body_bytes, body_json, header, method, path, query_param};
pub use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The secret key the wire tests use.
pub const WIRE_SECRET: &str = "sk_test_wire_0123456789";

/// The repository root.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Starts a dev server for one test; panics (failing the test) when it is not installed.
pub fn devserver() -> DevServer {
    let dir = devserver::tools_dir(repo_root());
    devserver::start(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// Starts Prism on the checked-in spec for one test; panics (failing the test) when it is not
/// installed.
pub fn prism() -> prism::Prism {
    let dir = prism::tools_dir(repo_root());
    prism::start(&dir, &repo_root().join("openapi/liveblocks.yaml"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A client for a Prism mock server (any well-formed secret passes its bearer check).
pub fn prism_client(server: &prism::Prism) -> Client {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .management_token("lbm_test_management")
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .expect("prism client")
}

/// A client for a dev server.
pub fn devserver_client(server: &DevServer) -> Client {
    Client::builder()
        .secret_key(devserver::SECRET_KEY)
        .base_url(server.base_url())
        .build()
        .expect("dev server client")
}

/// Creates the room `id` on a dev server with `default_access` for everyone; panics (failing
/// the test) when the server refuses.
pub async fn create_room(client: &Client, id: &str, default_access: Permission) -> types::Room {
    client
        .create_room()
        .body_map(|b| b.id(id).default_accesses(vec![default_access]))
        .send()
        .await
        .unwrap_or_else(|e| panic!("creating room {id:?}: {e}"))
        .into_inner()
}

/// A client for the recording server.
pub fn wire_client(server: &MockServer) -> Client {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.uri())
        .build()
        .expect("wire client")
}

/// The single request the recording server received (fails when there were more or fewer).
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording enabled");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    requests.remove(0)
}

/// Asserts the parts of a request every operation shares: method, raw path (as sent, with its
/// percent-encoding), the bearer secret and our user agent.
pub fn assert_request(request: &Request, method: &str, raw_path: &str) {
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), raw_path, "path");
    assert_eq!(
        request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {WIRE_SECRET}").as_str()),
        "authorization header"
    );
    let agent = request
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        agent.starts_with("liveblocks-rust/"),
        "user agent {agent:?}"
    );
    assert!(
        request.headers.get("api-version").is_none(),
        "progenitor's api-version header is not sent"
    );
}

/// The query of a request as sorted (name, value) pairs, decoded.
pub fn query(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// Pairs from string literals, sorted, for comparing with [`query`].
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

/// The JSON body of a request.
pub fn json_body(request: &Request) -> serde_json::Value {
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "content type of a JSON body"
    );
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

/// A JSON response.
pub fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// Mounts one response for any request.
pub async fn respond(server: &MockServer, response: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// A recording server answering 503 once, then `then`; and a client with a short retry delay.
pub async fn flaky(then: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(503).set_body_json(serde_json::json!({"error": "UNAVAILABLE"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    respond(&server, then).await;
    let client = Client::builder()
        .secret_key(WIRE_SECRET)
        .base_url(server.uri())
        .retry_base_delay(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    (server, client)
}
pub mod fault;

/// A realistic room as the API returns it.
pub fn room_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "room",
        "id": id,
        "organizationId": "org_123456789",
        "createdAt": "2022-07-13T14:32:50.697Z",
        "lastConnectionAt": "2022-08-04T21:07:09.380Z",
        "defaultAccesses": ["room:write"],
        "usersAccesses": {"alice": ["room:write"], "vinod": ["room:read", "room:presence:write"]},
        "groupsAccesses": {"marketing": ["room:write"]},
        "metadata": {"color": "blue", "target": ["abc", "def"]}
    })
}

/// A room id with every character class that must be percent-encoded in a path segment.
pub const TRICKY_ROOM_ID: &str = "a/b c?d#é";

/// [`TRICKY_ROOM_ID`] as it must appear in the raw request path.
pub const TRICKY_ROOM_SEGMENT: &str = "a%2Fb%20c%3Fd%23%C3%A9";

/// A recording server that answers every request with `response`, and a client for it.
pub async fn serve(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    respond(&server, response).await;
    let client = wire_client(&server);
    (server, client)
}

/// The single request received, after checking method, raw path, secret and user agent.
pub async fn received(server: &MockServer, method: &str, raw_path: &str) -> Request {
    let request = only_request(server).await;
    assert_request(&request, method, raw_path);
    request
}

/// A request header as text.
pub fn header_str<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Asserts a request has neither a query nor a body (nor a content type).
pub fn assert_bare(request: &Request) {
    assert_eq!(request.url.query(), None, "query");
    assert!(
        request.body.is_empty(),
        "no body expected, got {:?}",
        request.body
    );
    assert_eq!(header_str(request, "content-type"), None, "content type");
}

/// Asserts a request carries exactly `bytes` as `application/octet-stream`.
pub fn assert_octet_stream(request: &Request, bytes: &[u8]) {
    assert_eq!(
        header_str(request, "content-type"),
        Some("application/octet-stream"),
        "content type of a binary body"
    );
    assert_eq!(request.body, bytes, "binary body");
}

/// A binary response with the given bytes.
pub fn binary(status: u16, bytes: &[u8]) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(bytes.to_vec(), "application/octet-stream")
}

/// Every byte of a binary response stream.
pub async fn collect_bytes(stream: liveblocks::ByteStream) -> Vec<u8> {
    use futures::TryStreamExt;
    stream
        .into_inner()
        .map_ok(|b| b.to_vec())
        .try_concat()
        .await
        .expect("the binary body reads to the end")
}

/// Bytes that are not valid UTF-8 and cover every byte value, so that any re-encoding of a
/// binary body shows.
pub fn all_bytes() -> Vec<u8> {
    (0..=255u8).chain([0xff, 0x00, 0xc3, 0x28]).collect()
}

/// An API error answer in the shape the API sends, with a request id header.
pub fn api_error_response(
    status: u16,
    code: &str,
    message: &str,
    request_id: &str,
) -> ResponseTemplate {
    json(
        status,
        serde_json::json!({
            "error": code,
            "message": message,
            "suggestion": "Check the identifiers you sent",
            "docs": "https://liveblocks.io/docs/api-reference/rest-api-endpoints"
        }),
    )
    .insert_header("x-request-id", request_id)
}

/// Asserts `err` is the [`api_error_response`] answer decoded into `liveblocks::Error::Api`.
pub fn assert_api_error(
    err: &liveblocks::Error,
    status: u16,
    code: &str,
    message: &str,
    request_id: &str,
) {
    let liveblocks::Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), status, "status");
    assert_eq!(api.code.as_deref(), Some(code), "code");
    assert_eq!(api.message.as_deref(), Some(message), "message");
    assert_eq!(
        api.suggestion.as_deref(),
        Some("Check the identifiers you sent"),
        "suggestion"
    );
    assert_eq!(
        api.docs.as_deref(),
        Some("https://liveblocks.io/docs/api-reference/rest-api-endpoints"),
        "docs"
    );
    assert_eq!(api.request_id.as_deref(), Some(request_id), "request id");
    assert_eq!(
        api.body_snippet, None,
        "a JSON error body leaves no snippet"
    );
    assert_eq!(api.attempts, 1, "a {status} is not retried");
    assert_eq!(
        err.to_string(),
        format!(
            "{status} {code}: {message} (suggestion: Check the identifiers you sent) \
             (docs: https://liveblocks.io/docs/api-reference/rest-api-endpoints) \
             [request id {request_id}]"
        )
    );
}

/// The `accept` header of a request.
pub fn accept(request: &Request) -> Option<&str> {
    header_str(request, "accept")
}

/// Decodes `value` as `T`, then checks that encoding it again gives `value` back exactly.
pub fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &serde_json::Value,
) -> T {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(
        &serde_json::to_value(&decoded).unwrap(),
        value,
        "round trip of {}",
        std::any::type_name::<T>()
    );
    decoded
}

/// A typed value (a request body, say) from JSON.
pub fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("a valid value")
}

/// An RFC 3339 timestamp.
pub fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}
