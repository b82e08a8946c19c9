//! Wire tests of the 20 Management API operations (projects, their API keys, their webhooks):
//! what each request looks like on the wire, which credential it carries, and how each realistic
//! answer decodes.

mod support;

use liveblocks::types::{self, VersionCreationTimeout, WebhookEventType};
use liveblocks::{Client, ResponseValue};
use serde_json::{Value, json};
use support::*;

/// The account-level token the management client holds next to [`WIRE_SECRET`].
const MANAGEMENT_TOKEN: &str = "lbm_wire_management_token";

// ---------------------------------------------------------------------------------------------
// Realistic answers (shapes from the spec examples). Timestamps carry milliseconds so that they
// serialize back byte for byte.

fn project(id: &str, version_creation_timeout: Value) -> Value {
    json!({
        "id": id,
        "teamId": "team_abc123",
        "type": "dev",
        "name": "My project",
        "createdAt": "2025-06-02T09:00:00.123Z",
        "updatedAt": "2025-06-03T10:30:00.456Z",
        "publicKey": {"activated": true, "createdAt": "2025-06-02T09:00:00.123Z", "value": "pk_dev_123"},
        "secretKey": {"createdAt": "2025-06-02T09:00:00.123Z"},
        "region": "eu",
        "versionCreationTimeout": version_creation_timeout
    })
}

fn webhook() -> Value {
    json!({
        "id": "wh_abc123",
        "url": "https://example.com/webhooks/liveblocks",
        "description": "Production sync",
        "disabled": false,
        "subscribedEvents": ["storageUpdated", "threadCreated", "notification"],
        "secret": {"value": "whsec_abc123"},
        "rateLimit": 100,
        "storageUpdatedThrottleSeconds": 10,
        "yDocUpdatedThrottleSeconds": 30,
        "additionalHeaders": {"X-Custom-Header": "value"},
        "createdAt": "2025-06-02T09:00:00.123Z",
        "updatedAt": "2025-06-02T09:00:00.456Z"
    })
}

/// A webhook without the optional settings, with `null` where the API sends `null`.
fn minimal_webhook() -> Value {
    json!({
        "id": "wh_min",
        "url": "https://example.com/hook",
        "description": null,
        "disabled": true,
        "subscribedEvents": ["userEntered", "roomCreatedV2"],
        "rateLimit": null,
        "storageUpdatedThrottleSeconds": null,
        "createdAt": "2025-06-02T09:00:00.123Z",
        "updatedAt": "2025-06-02T09:00:00.456Z"
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// A client holding both credentials, as an operations back end would.
fn management_client(server: &MockServer) -> Client {
    Client::builder()
        .secret_key(WIRE_SECRET)
        .management_token(MANAGEMENT_TOKEN)
        .base_url(server.uri())
        .build()
        .expect("management client")
}

/// A recording server that answers every request with `response`, and a management client.
async fn serve(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    respond(&server, response).await;
    let client = management_client(&server);
    (server, client)
}

fn authorization(request: &Request) -> Option<&str> {
    request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
}

/// The single request received, after checking method, raw path, the management token and the
/// user agent.
async fn received(server: &MockServer, method: &str, raw_path: &str) -> Request {
    let request = only_request(server).await;
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), raw_path, "path");
    assert_eq!(
        authorization(&request),
        Some(format!("Bearer {MANAGEMENT_TOKEN}").as_str()),
        "a Management request carries the management token"
    );
    let agent = request
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok());
    assert!(
        agent.is_some_and(|a| a.starts_with("liveblocks-rust/")),
        "user agent {agent:?}"
    );
    request
}

/// Asserts a request has neither a query nor a body.
fn assert_bare(request: &Request) {
    assert_eq!(request.url.query(), None, "query");
    assert!(
        request.body.is_empty(),
        "no body expected, got {:?}",
        request.body
    );
}

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid value")
}

const PROJECT: &str = "/v2/management/projects/683d49ed6b4d1cec5a597b13";
const PROJECT_ID: &str = "683d49ed6b4d1cec5a597b13";
const WEBHOOK: &str = "/v2/management/projects/683d49ed6b4d1cec5a597b13/webhooks/wh_abc123";

// ---------------------------------------------------------------------------------------------
// Credentials

#[tokio::test]
async fn management_requests_carry_the_token_and_ai_requests_the_secret_key() {
    let server = MockServer::start().await;
    respond(&server, json(200, json!({"data": [], "nextCursor": null}))).await;
    let c = management_client(&server);
    c.get_management_projects().send().await.unwrap();
    c.get_ai_copilots().send().await.unwrap();
    c.get_management_webhooks()
        .project_id(PROJECT_ID)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let seen: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.url.path(), authorization(r)))
        .collect();
    let token = format!("Bearer {MANAGEMENT_TOKEN}");
    let secret = format!("Bearer {WIRE_SECRET}");
    assert_eq!(
        seen,
        [
            ("/v2/management/projects", Some(token.as_str())),
            ("/v2/ai/copilots", Some(secret.as_str())),
            (
                "/v2/management/projects/683d49ed6b4d1cec5a597b13/webhooks",
                Some(token.as_str())
            ),
        ]
    );
}

#[tokio::test]
async fn a_client_with_one_credential_sends_it_to_every_family() {
    // "The server decides": the only credential goes everywhere.
    let server = MockServer::start().await;
    respond(&server, json(200, json!({"data": [], "nextCursor": null}))).await;
    let only_token = Client::builder()
        .management_token(MANAGEMENT_TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    only_token.get_ai_copilots().send().await.unwrap();
    wire_client(&server)
        .get_management_projects()
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.iter().map(authorization).collect::<Vec<_>>(),
        [
            Some(format!("Bearer {MANAGEMENT_TOKEN}").as_str()),
            Some(format!("Bearer {WIRE_SECRET}").as_str())
        ]
    );
}

#[tokio::test]
async fn the_management_token_stays_out_of_debug_output_and_errors() {
    let (_server, c) = serve(json(
        401,
        json!({"error": "INVALID_TOKEN", "message": "The management token is invalid"}),
    ))
    .await;
    assert!(!format!("{c:?}").contains(MANAGEMENT_TOKEN), "{c:?}");
    let err = c.get_management_projects().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(
        !format!("{err:?} {err}").contains(MANAGEMENT_TOKEN),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Projects

#[tokio::test]
async fn get_management_projects_sends_limit_and_cursor_and_decodes_the_page() {
    let page = json!({
        "data": [project("p1", json!(false)), project("p2", json!(60))],
        "nextCursor": "p2"
    });
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_management_projects()
        .limit(2u32)
        .cursor("p0")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/management/projects").await;
    assert_eq!(query(&request), pairs(&[("cursor", "p0"), ("limit", "2")]));
    assert!(request.body.is_empty());
    assert_eq!(res.next_cursor.as_deref(), Some("p2"));
    assert_eq!(
        res.data
            .iter()
            .map(|p| (p.id.as_str(), p.version_creation_timeout.clone()))
            .collect::<Vec<_>>(),
        [
            ("p1", VersionCreationTimeout::Boolean(false)),
            ("p2", VersionCreationTimeout::Integer(60))
        ]
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn version_creation_timeout_decodes_false_and_a_number_and_round_trips() {
    for (raw, expected) in [
        (json!(false), VersionCreationTimeout::Boolean(false)),
        (json!(30), VersionCreationTimeout::Integer(30)),
        (json!(300), VersionCreationTimeout::Integer(300)),
    ] {
        let value = project("p", raw.clone());
        let decoded: types::ManagementProject = typed(value.clone());
        assert_eq!(decoded.version_creation_timeout, expected, "{raw}");
        assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "{raw}");
    }
}

#[tokio::test]
async fn create_management_project_sends_the_settings_and_decodes_the_project() {
    let (server, c) = serve(json(200, project(PROJECT_ID, json!(false)))).await;
    let body = types::CreateManagementProjectRequestBody {
        type_: types::ManagementProjectType::Prod,
        name: Some("Production".into()),
        version_creation_timeout: Some(VersionCreationTimeout::Boolean(false)),
    };
    let res = c
        .create_management_project()
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/management/projects").await;
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"type": "prod", "name": "Production", "versionCreationTimeout": false})
    );
    assert_eq!(res.id, PROJECT_ID);
    assert_eq!(res.team_id, "team_abc123");
    assert_eq!(res.type_, types::ManagementProjectType::Dev);
    assert_eq!(res.region, types::ManagementProjectRegion::Eu);
    assert!(res.public_key.activated);
    assert_eq!(res.public_key.value, "pk_dev_123");
    assert_eq!(res.secret_key.value, None);
}

#[tokio::test]
async fn get_management_project_percent_encodes_the_id() {
    let mut answer = project("team/p 1", json!(120));
    answer["region"] = json!("mars");
    let (server, c) = serve(json(200, answer)).await;
    let res = c
        .get_management_project()
        .project_id("team/p 1")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/management/projects/team%2Fp%201").await;
    assert_bare(&request);
    assert_eq!(res.id, "team/p 1");
    assert_eq!(
        res.region,
        types::ManagementProjectRegion::Unknown("mars".into())
    );
    assert_eq!(
        res.version_creation_timeout,
        VersionCreationTimeout::Integer(120)
    );
}

#[tokio::test]
async fn update_management_project_sends_only_the_given_fields() {
    let (server, c) = serve(json(200, project(PROJECT_ID, json!(120)))).await;
    let res = c
        .update_management_project()
        .project_id(PROJECT_ID)
        .body(types::UpdateManagementProjectRequestBody {
            name: Some("Renamed project".into()),
            version_creation_timeout: Some(VersionCreationTimeout::Integer(120)),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", PROJECT).await;
    assert_eq!(
        json_body(&request),
        json!({"name": "Renamed project", "versionCreationTimeout": 120})
    );
    assert_eq!(
        res.version_creation_timeout,
        VersionCreationTimeout::Integer(120)
    );

    let (server, c) = serve(json(200, project(PROJECT_ID, json!(false)))).await;
    c.update_management_project()
        .project_id(PROJECT_ID)
        .body(types::UpdateManagementProjectRequestBody {
            name: None,
            version_creation_timeout: Some(VersionCreationTimeout::Boolean(false)),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", PROJECT).await;
    assert_eq!(
        json_body(&request),
        json!({"versionCreationTimeout": false})
    );
}

#[tokio::test]
async fn project_actions_without_a_body_send_bare_requests() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    let res: ResponseValue<()> = c
        .delete_management_project()
        .project_id(PROJECT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_bare(&received(&server, "DELETE", PROJECT).await);

    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.activate_project_public_api_key()
        .project_id(PROJECT_ID)
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "POST",
            &format!("{PROJECT}/api-keys/public/activate"),
        )
        .await,
    );

    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.deactivate_project_public_api_key()
        .project_id(PROJECT_ID)
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "POST",
            &format!("{PROJECT}/api-keys/public/deactivate"),
        )
        .await,
    );
}

#[tokio::test]
async fn roll_project_public_api_key_sends_the_expiration_and_decodes_the_new_key() {
    let answer = json!({"publicKey": {"activated": true, "createdAt": "2025-06-04T00:00:00.500Z", "value": "pk_dev_new"}});
    let (server, c) = serve(json(200, answer.clone())).await;
    let res = c
        .roll_project_public_api_key()
        .project_id(PROJECT_ID)
        .body(types::RollProjectPublicApiKeyRequestBody {
            expiration_in: Some(types::ApiKeyExpirationIn::V1Hour),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", &format!("{PROJECT}/api-keys/public/roll")).await;
    assert_eq!(json_body(&request), json!({"expirationIn": "1 hour"}));
    assert_eq!(res.public_key.value, "pk_dev_new");
    assert_eq!(serde_json::to_value(&*res).unwrap(), answer);

    // The body is optional: without one, an empty object is sent.
    let (server, c) = serve(json(200, answer)).await;
    c.roll_project_public_api_key()
        .project_id(PROJECT_ID)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", &format!("{PROJECT}/api-keys/public/roll")).await;
    assert_eq!(json_body(&request), json!({}));
}

#[tokio::test]
async fn roll_project_secret_api_key_sends_both_expirations_and_decodes_the_secret() {
    let (server, c) = serve(json(
        200,
        json!({"secretKey": {"createdAt": "2025-06-04T00:00:00.500Z", "value": "sk_dev_rolled_123"}}),
    ))
    .await;
    let res = c
        .roll_project_secret_api_key()
        .project_id(PROJECT_ID)
        .body(types::RollProjectSecretApiKeyRequestBody {
            expiration_in: Some(types::ApiKeyExpirationIn::V24Hours),
            new_key_expiration_in: Some(types::SecretApiKeyNewKeyExpirationIn::V30d),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", &format!("{PROJECT}/api-keys/secret/roll")).await;
    assert_eq!(
        json_body(&request),
        json!({"expirationIn": "24 hours", "newKeyExpirationIn": "30d"})
    );
    assert_eq!(res.secret_key.value, "sk_dev_rolled_123");
    assert_eq!(
        res.secret_key.created_at,
        Some("2025-06-04T00:00:00.500Z".parse().unwrap())
    );
}

#[tokio::test]
async fn project_errors_are_api_errors_with_code_and_status() {
    let (server, c) = serve(json(
        403,
        json!({
            "error": "PUBLIC_KEY_DISABLED",
            "message": "The public key of this project is not enabled",
            "suggestion": "Activate the public key first"
        }),
    ))
    .await;
    let err = c
        .roll_project_public_api_key()
        .project_id(PROJECT_ID)
        .send()
        .await
        .unwrap_err();
    received(&server, "POST", &format!("{PROJECT}/api-keys/public/roll")).await;
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.code.as_deref(), Some("PUBLIC_KEY_DISABLED"));
    assert_eq!(
        api.suggestion.as_deref(),
        Some("Activate the public key first")
    );
}

// ---------------------------------------------------------------------------------------------
// Webhooks

#[tokio::test]
async fn get_management_webhooks_sends_limit_and_cursor_and_decodes_the_page() {
    let (server, c) = serve(json(
        200,
        json!({"data": [webhook(), minimal_webhook()], "nextCursor": null}),
    ))
    .await;
    let res = c
        .get_management_webhooks()
        .project_id(PROJECT_ID)
        .limit(50u32)
        .cursor("wh_0")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", &format!("{PROJECT}/webhooks")).await;
    assert_eq!(
        query(&request),
        pairs(&[("cursor", "wh_0"), ("limit", "50")])
    );
    assert_eq!(res.next_cursor, None);
    let [full, minimal] = &res.data[..] else {
        panic!("expected two webhooks, got {:?}", res.data)
    };
    assert_eq!(full.id, "wh_abc123");
    assert_eq!(minimal.description, None);
    assert_eq!(minimal.rate_limit, None);
    assert!(minimal.disabled);
    assert_eq!(minimal.secret, None);
    assert_eq!(
        minimal.subscribed_events,
        [
            WebhookEventType::UserEntered,
            WebhookEventType::Unknown("roomCreatedV2".into())
        ]
    );
}

#[tokio::test]
async fn get_management_webhook_decodes_every_field_and_round_trips() {
    let (server, c) = serve(json(200, webhook())).await;
    let res = c
        .get_management_webhook()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", WEBHOOK).await);
    assert_eq!(res.url, "https://example.com/webhooks/liveblocks");
    assert_eq!(res.description.as_deref(), Some("Production sync"));
    assert_eq!(
        res.subscribed_events,
        [
            WebhookEventType::StorageUpdated,
            WebhookEventType::ThreadCreated,
            WebhookEventType::Notification
        ]
    );
    assert_eq!(res.secret.as_ref().unwrap().value, "whsec_abc123");
    assert_eq!(
        (
            res.rate_limit,
            res.storage_updated_throttle_seconds,
            res.y_doc_updated_throttle_seconds
        ),
        (Some(100), Some(10), Some(30))
    );
    assert_eq!(
        res.additional_headers
            .as_ref()
            .unwrap()
            .get("X-Custom-Header")
            .map(String::as_str),
        Some("value")
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), webhook());
}

#[tokio::test]
async fn create_management_webhook_sends_the_settings_and_decodes_the_secret() {
    let (server, c) = serve(json(200, webhook())).await;
    let body = types::CreateManagementWebhookRequestBody {
        url: "https://example.com/webhooks/liveblocks".into(),
        subscribed_events: vec![
            WebhookEventType::StorageUpdated,
            WebhookEventType::ThreadCreated,
            WebhookEventType::YdocUpdated,
        ],
        rate_limit: Some(100),
        additional_headers: Some(types::ManagementWebhookAdditionalHeaders(
            [("X-Custom-Header".to_string(), "value".to_string())].into(),
        )),
        storage_updated_throttle_seconds: Some(10),
        y_doc_updated_throttle_seconds: Some(30),
    };
    let res = c
        .create_management_webhook()
        .project_id(PROJECT_ID)
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", &format!("{PROJECT}/webhooks")).await;
    assert_eq!(
        json_body(&request),
        json!({
            "url": "https://example.com/webhooks/liveblocks",
            "subscribedEvents": ["storageUpdated", "threadCreated", "ydocUpdated"],
            "rateLimit": 100,
            "additionalHeaders": {"X-Custom-Header": "value"},
            "storageUpdatedThrottleSeconds": 10,
            "yDocUpdatedThrottleSeconds": 30
        })
    );
    assert_eq!(res.secret.as_ref().unwrap().value, "whsec_abc123");
}

#[tokio::test]
async fn update_management_webhook_sends_only_the_given_fields() {
    let (server, c) = serve(json(200, webhook())).await;
    let body = types::UpdateManagementWebhookRequestBody {
        subscribed_events: vec![
            WebhookEventType::ThreadCreated,
            WebhookEventType::CommentCreated,
        ],
        rate_limit: Some(50),
        disabled: Some(true),
        ..Default::default()
    };
    c.update_management_webhook()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", WEBHOOK).await;
    assert_eq!(
        json_body(&request),
        json!({"subscribedEvents": ["threadCreated", "commentCreated"], "rateLimit": 50, "disabled": true})
    );
}

#[tokio::test]
async fn delete_management_webhook_percent_encodes_both_ids() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.delete_management_webhook()
        .project_id("p/1")
        .webhook_id("wh 1?")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/management/projects/p%2F1/webhooks/wh%201%3F",
        )
        .await,
    );
}

#[tokio::test]
async fn webhook_additional_headers_are_read_merged_and_removed() {
    let headers = json!({"headers": {"X-Custom-Header": "value", "Authorization": "Basic abc"}});

    let (server, c) = serve(json(200, headers.clone())).await;
    let res = c
        .get_management_webhook_additional_headers()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "GET", &format!("{WEBHOOK}/additional-headers")).await);
    assert_eq!(res.headers.len(), 2);
    assert_eq!(res.headers["Authorization"], "Basic abc");

    let (server, c) = serve(json(200, headers)).await;
    let res = c
        .upsert_management_webhook_additional_headers()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .body(types::UpsertManagementWebhookAdditionalHeadersRequestBody {
            headers: types::ManagementWebhookAdditionalHeaders(
                [("Authorization".to_string(), "Basic abc".to_string())].into(),
            ),
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", &format!("{WEBHOOK}/additional-headers")).await;
    assert_eq!(
        json_body(&request),
        json!({"headers": {"Authorization": "Basic abc"}})
    );
    assert_eq!(res.headers["X-Custom-Header"], "value");

    let (server, c) = serve(json(
        200,
        json!({"headers": {"Authorization": "Basic abc"}}),
    ))
    .await;
    let res = c
        .delete_management_webhook_additional_headers()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .body(types::DeleteManagementWebhookAdditionalHeadersRequestBody {
            headers: vec!["X-Custom-Header".into()],
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        &format!("{WEBHOOK}/delete-additional-headers"),
    )
    .await;
    assert_eq!(json_body(&request), json!({"headers": ["X-Custom-Header"]}));
    assert_eq!(res.headers.keys().collect::<Vec<_>>(), ["Authorization"]);
}

#[tokio::test]
async fn recover_failed_webhook_messages_sends_the_timestamp() {
    let (server, c) = serve(ResponseTemplate::new(200)).await;
    c.recover_failed_webhook_messages()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .body(types::RecoverFailedWebhookMessagesRequestBody {
            since: "2025-06-01T00:00:00.250Z".parse().unwrap(),
        })
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "POST",
        &format!("{WEBHOOK}/recover-failed-messages"),
    )
    .await;
    assert_eq!(
        json_body(&request),
        json!({"since": "2025-06-01T00:00:00.250Z"})
    );
}

#[tokio::test]
async fn roll_management_webhook_secret_sends_no_body_and_decodes_the_secret() {
    let (server, c) = serve(json(200, json!({"secret": {"value": "whsec_new456"}}))).await;
    let res = c
        .roll_management_webhook_secret()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "POST", &format!("{WEBHOOK}/secret/roll")).await);
    assert_eq!(res.secret.value, "whsec_new456");
}

#[tokio::test]
async fn send_test_webhook_sends_the_event_and_decodes_the_message() {
    let message = json!({
        "message": {
            "id": "msg_2ZnUl6n6hK3vTGZcNC1H0VCJ5Qz",
            "eventType": "storageUpdated",
            "payload": {"type": "storageUpdated", "data": {"roomId": "my-room", "projectId": PROJECT_ID}},
            "timestamp": "2025-06-04T12:00:00.750Z"
        }
    });
    let (server, c) = serve(json(200, message.clone())).await;
    let res = c
        .send_test_webhook()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .body(types::SendTestWebhookRequestBody {
            subscribed_event: WebhookEventType::StorageUpdated,
        })
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", &format!("{WEBHOOK}/test")).await;
    assert_eq!(
        json_body(&request),
        json!({"subscribedEvent": "storageUpdated"})
    );
    assert_eq!(res.message.id, "msg_2ZnUl6n6hK3vTGZcNC1H0VCJ5Qz");
    assert_eq!(res.message.event_type.as_deref(), Some("storageUpdated"));
    assert_eq!(
        res.message.payload.as_ref().unwrap()["data"]["roomId"],
        "my-room"
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), message);
}

#[tokio::test]
async fn webhook_errors_are_api_errors_with_code_and_status() {
    let (server, c) = serve(json(
        422,
        json!({"error": "EVENT_NOT_SUBSCRIBED", "message": "The webhook is not subscribed to userLeft"}),
    ))
    .await;
    let err = c
        .send_test_webhook()
        .project_id(PROJECT_ID)
        .webhook_id("wh_abc123")
        .body(types::SendTestWebhookRequestBody {
            subscribed_event: WebhookEventType::UserLeft,
        })
        .send()
        .await
        .unwrap_err();
    let request = received(&server, "POST", &format!("{WEBHOOK}/test")).await;
    assert_eq!(json_body(&request), json!({"subscribedEvent": "userLeft"}));
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(api.code.as_deref(), Some("EVENT_NOT_SUBSCRIBED"));
    assert_eq!(
        api.message.as_deref(),
        Some("The webhook is not subscribed to userLeft")
    );
}
