//! The spec's request schemas checked against real requests: every AI and Management operation
//! (33) is sent through the client to Prism, which validates it against openapi/liveblocks.yaml.
//! A request Prism rejects is a spec or client bug. Three requests that break the spec (values
//! the Rust types allow but the spec forbids) show that the check bites.

mod support;

use liveblocks::Change;
use liveblocks::types::{self, VersionCreationTimeout, WebhookEventType};
use serde_json::{Value, json};
use support::*;

/// One body per copilot provider, with every option the provider has.
fn copilot_bodies() -> [Value; 4] {
    let settings = json!({
        "maxTokens": 4096, "temperature": 0.7, "topP": 0.9, "topK": 40, "frequencyPenalty": 0.1,
        "presencePenalty": 0.2, "stopSequences": ["END"], "seed": 7, "maxRetries": 2
    });
    [
        json!({
            "name": "OpenAI", "description": "d", "systemPrompt": "Be helpful.",
            "knowledgePrompt": "Use the docs.", "alwaysUseKnowledge": true, "settings": settings,
            "providerApiKey": "sk-openai", "provider": "openai", "providerModel": "gpt-4o",
            "providerOptions": {"openai": {"reasoningEffort": "medium", "webSearch": {"allowedDomains": ["liveblocks.io"]}}}
        }),
        json!({
            "name": "Claude", "systemPrompt": "Be brief.", "providerApiKey": "sk-ant",
            "provider": "anthropic", "providerModel": "claude-sonnet-4-5-20250929",
            "providerOptions": {"anthropic": {"thinking": {"type": "enabled", "budgetTokens": 10000}, "webSearch": {}}}
        }),
        json!({
            "name": "Gemini", "systemPrompt": "Be kind.", "providerApiKey": "AIza",
            "provider": "google", "providerModel": "gemini-2.5-flash",
            "providerOptions": {"google": {"thinkingConfig": {"thinkingBudget": 2048}}}
        }),
        json!({
            "name": "Groq", "systemPrompt": "Hi.", "providerApiKey": "gsk",
            "provider": "openai-compatible", "providerModel": "llama-3.1-70b",
            "compatibleProviderName": "groq", "providerBaseUrl": "https://api.groq.com/openai/v1"
        }),
    ]
}

#[tokio::test]
async fn prism_accepts_every_ai_and_management_request() {
    let server = prism();
    let c = prism_client(&server);
    let mut v = Verdicts::default();
    let copilot = "cp a/b é";
    let source = "ks_1";

    // AI: copilots.
    v.check(
        "get_ai_copilots",
        c.get_ai_copilots()
            .limit(100u32)
            .starting_after("cp_0")
            .send()
            .await,
    );
    for copilot_body in copilot_bodies() {
        v.check(
            "create_ai_copilot",
            c.create_ai_copilot()
                .body(typed::<types::CreateAiCopilotRequestBody>(copilot_body))
                .send()
                .await,
        );
    }
    v.check(
        "get_ai_copilot",
        c.get_ai_copilot().copilot_id(copilot).send().await,
    );
    v.check(
        "update_ai_copilot",
        c.update_ai_copilot()
            .copilot_id(copilot)
            .body(types::UpdateAiCopilotRequestBody {
                name: Some("Renamed".into()),
                provider: Some(types::AiProvider::Anthropic),
                provider_model: Some("claude-opus-4-6".into()),
                always_use_knowledge: Some(false),
                settings: Change::Set(types::AiCopilotProviderSettings {
                    max_tokens: Some(8192),
                    ..Default::default()
                }),
                provider_options: Change::Set(typed(json!(
                    {"anthropic": {"thinking": {"type": "disabled"}}}
                ))),
                description: Change::Remove,
                ..Default::default()
            })
            .send()
            .await,
    );
    v.check(
        "delete_ai_copilot",
        c.delete_ai_copilot().copilot_id(copilot).send().await,
    );

    // AI: knowledge sources.
    v.check(
        "get_knowledge_sources",
        c.get_knowledge_sources()
            .copilot_id(copilot)
            .limit(1u32)
            .starting_after("ks_0")
            .send()
            .await,
    );
    v.check(
        "get_knowledge_source",
        c.get_knowledge_source()
            .copilot_id(copilot)
            .knowledge_source_id(source)
            .send()
            .await,
    );
    v.check(
        "create_file_knowledge_source",
        c.create_file_knowledge_source()
            .copilot_id(copilot)
            .name_or_knowledge_source_id("Employee handbook.pdf")
            .body(b"%PDF-1.7 binary \x00\xff".to_vec())
            .send()
            .await,
    );
    v.check(
        "get_file_knowledge_source_markdown",
        c.get_file_knowledge_source_markdown()
            .copilot_id(copilot)
            .name_or_knowledge_source_id(source)
            .send()
            .await,
    );
    v.check(
        "delete_file_knowledge_source",
        c.delete_file_knowledge_source()
            .copilot_id(copilot)
            .name_or_knowledge_source_id(source)
            .send()
            .await,
    );
    v.check(
        "create_web_knowledge_source",
        c.create_web_knowledge_source()
            .copilot_id(copilot)
            .body(types::CreateWebKnowledgeSourceRequestBody {
                copilot_id: copilot.into(),
                url: "https://docs.example.com".into(),
                type_: types::WebKnowledgeSourceType::Crawl,
            })
            .send()
            .await,
    );
    v.check(
        "delete_web_knowledge_source",
        c.delete_web_knowledge_source()
            .copilot_id(copilot)
            .knowledge_source_id(source)
            .send()
            .await,
    );
    v.check(
        "get_web_knowledge_source_links",
        c.get_web_knowledge_source_links()
            .copilot_id(copilot)
            .knowledge_source_id(source)
            .limit(20u32)
            .starting_after("ksl_0")
            .send()
            .await,
    );

    // Management: projects and their keys.
    let project = "683d49ed/6b4d";
    v.check(
        "get_management_projects",
        c.get_management_projects()
            .limit(10u32)
            .cursor("p0")
            .send()
            .await,
    );
    for timeout in [
        VersionCreationTimeout::Boolean(false),
        VersionCreationTimeout::Integer(30),
    ] {
        v.check(
            "create_management_project",
            c.create_management_project()
                .body(types::CreateManagementProjectRequestBody {
                    type_: types::ManagementProjectType::Prod,
                    name: Some("Production".into()),
                    version_creation_timeout: Some(timeout),
                })
                .send()
                .await,
        );
    }
    v.check(
        "get_management_project",
        c.get_management_project().project_id(project).send().await,
    );
    v.check(
        "update_management_project",
        c.update_management_project()
            .project_id(project)
            .body(types::UpdateManagementProjectRequestBody {
                name: Some("Renamed".into()),
                version_creation_timeout: Some(VersionCreationTimeout::Integer(300)),
            })
            .send()
            .await,
    );
    v.check(
        "delete_management_project",
        c.delete_management_project()
            .project_id(project)
            .send()
            .await,
    );
    v.check(
        "activate_project_public_api_key",
        c.activate_project_public_api_key()
            .project_id(project)
            .send()
            .await,
    );
    v.check(
        "deactivate_project_public_api_key",
        c.deactivate_project_public_api_key()
            .project_id(project)
            .send()
            .await,
    );
    v.check(
        "roll_project_public_api_key",
        c.roll_project_public_api_key()
            .project_id(project)
            .body(types::RollProjectPublicApiKeyRequestBody {
                expiration_in: Some(types::ApiKeyExpirationIn::V7Days),
            })
            .send()
            .await,
    );
    v.check(
        "roll_project_secret_api_key",
        c.roll_project_secret_api_key()
            .project_id(project)
            .body(types::RollProjectSecretApiKeyRequestBody {
                expiration_in: Some(types::ApiKeyExpirationIn::Now),
                new_key_expiration_in: Some(types::SecretApiKeyNewKeyExpirationIn::OneYear),
            })
            .send()
            .await,
    );

    // Management: webhooks.
    let webhook = "wh 1";
    v.check(
        "get_management_webhooks",
        c.get_management_webhooks()
            .project_id(project)
            .limit(100u32)
            .cursor("wh_0")
            .send()
            .await,
    );
    v.check(
        "create_management_webhook",
        c.create_management_webhook()
            .project_id(project)
            .body(typed::<types::CreateManagementWebhookRequestBody>(json!({
                "url": "https://example.com/hook",
                "subscribedEvents": ["storageUpdated", "threadCreated", "ydocUpdated", "notification"],
                "rateLimit": 100,
                "additionalHeaders": {"X-Custom-Header": "value"},
                "storageUpdatedThrottleSeconds": 10,
                "yDocUpdatedThrottleSeconds": 30
            })))
            .send()
            .await,
    );
    v.check(
        "get_management_webhook",
        c.get_management_webhook()
            .project_id(project)
            .webhook_id(webhook)
            .send()
            .await,
    );
    v.check(
        "update_management_webhook",
        c.update_management_webhook()
            .project_id(project)
            .webhook_id(webhook)
            .body(types::UpdateManagementWebhookRequestBody {
                url: Some("https://example.com/hook2".into()),
                subscribed_events: vec![WebhookEventType::CommentCreated],
                rate_limit: Some(50),
                storage_updated_throttle_seconds: Some(5),
                y_doc_updated_throttle_seconds: Some(5),
                disabled: Some(true),
            })
            .send()
            .await,
    );
    v.check(
        "delete_management_webhook",
        c.delete_management_webhook()
            .project_id(project)
            .webhook_id(webhook)
            .send()
            .await,
    );
    v.check(
        "get_management_webhook_additional_headers",
        c.get_management_webhook_additional_headers()
            .project_id(project)
            .webhook_id(webhook)
            .send()
            .await,
    );
    v.check(
        "upsert_management_webhook_additional_headers",
        c.upsert_management_webhook_additional_headers()
            .project_id(project)
            .webhook_id(webhook)
            .body(typed::<
                types::UpsertManagementWebhookAdditionalHeadersRequestBody,
            >(
                json!({"headers": {"Authorization": "Basic abc"}})
            ))
            .send()
            .await,
    );
    v.check(
        "delete_management_webhook_additional_headers",
        c.delete_management_webhook_additional_headers()
            .project_id(project)
            .webhook_id(webhook)
            .body(types::DeleteManagementWebhookAdditionalHeadersRequestBody {
                headers: vec!["Authorization".into()],
            })
            .send()
            .await,
    );
    v.check(
        "recover_failed_webhook_messages",
        c.recover_failed_webhook_messages()
            .project_id(project)
            .webhook_id(webhook)
            .body(types::RecoverFailedWebhookMessagesRequestBody {
                since: "2025-06-01T00:00:00Z".parse().unwrap(),
            })
            .send()
            .await,
    );
    v.check(
        "roll_management_webhook_secret",
        c.roll_management_webhook_secret()
            .project_id(project)
            .webhook_id(webhook)
            .send()
            .await,
    );
    v.check(
        "send_test_webhook",
        c.send_test_webhook()
            .project_id(project)
            .webhook_id(webhook)
            .body(types::SendTestWebhookRequestBody {
                subscribed_event: WebhookEventType::StorageUpdated,
            })
            .send()
            .await,
    );

    v.assert_all_accepted(33);
}

/// The check bites: requests the types allow but the spec forbids are rejected.
#[tokio::test]
async fn prism_rejects_invalid_ai_and_management_requests() {
    let server = prism();
    let c = prism_client(&server);

    let mut copilot: types::CreateAiCopilotOptionsOpenAi = typed(copilot_bodies()[0].clone());
    copilot.provider_model = types::OpenAiModel::Unknown("gpt-99-ultra".into());
    assert_rejected(
        "create_ai_copilot with a model name the spec does not have",
        422,
        c.create_ai_copilot().body(copilot).send().await,
    );

    assert_rejected(
        "update_management_project with a version creation timeout below 30 seconds",
        422,
        c.update_management_project()
            .project_id("p1")
            .body(types::UpdateManagementProjectRequestBody {
                name: None,
                version_creation_timeout: Some(VersionCreationTimeout::Integer(10)),
            })
            .send()
            .await,
    );

    assert_rejected(
        "delete_management_webhook_additional_headers with no header name",
        422,
        c.delete_management_webhook_additional_headers()
            .project_id("p1")
            .webhook_id("wh1")
            .body(types::DeleteManagementWebhookAdditionalHeadersRequestBody { headers: vec![] })
            .send()
            .await,
    );
}
