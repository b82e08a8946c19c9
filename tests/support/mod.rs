//! What the integration tests share: the dev server, the recording HTTP server, clients.
#![allow(dead_code, unused_imports)]

pub mod devserver;
pub mod prism;
pub mod tools;

use std::path::{Path, PathBuf};

pub use devserver::DevServer;
use liveblocks::Client;
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
