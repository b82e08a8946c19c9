//! Wire tests of the 13 AI operations (copilots and their knowledge sources): what each request
//! looks like on the wire (method, raw path, query, headers, JSON or binary body) and how each
//! realistic answer decodes, including the forward-compatible catch-alls.

mod support;

use liveblocks::types::{self, AiCopilot, KnowledgeSource};
use liveblocks::{Change, ResponseValue};
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------------------------------------
// Realistic answers (shapes from the spec examples and the official SDK models). Timestamps
// carry milliseconds so that they serialize back byte for byte.

fn openai_copilot() -> Value {
    json!({
        "type": "copilot",
        "id": "cp_abc123",
        "name": "Support copilot",
        "description": "Answers questions about our product",
        "systemPrompt": "You are a helpful assistant.",
        "knowledgePrompt": "Use the handbook when the question is about policies.",
        "alwaysUseKnowledge": true,
        "createdAt": "2024-06-01T12:00:00.123Z",
        "updatedAt": "2024-06-02T08:30:00.456Z",
        "lastUsedAt": "2024-06-03T09:15:00.789Z",
        "settings": {
            "maxTokens": 4096,
            "temperature": 0.7,
            "topP": 0.9,
            "stopSequences": ["END"],
            "seed": 42,
            "maxRetries": 2
        },
        "provider": "openai",
        "providerModel": "gpt-4o",
        "providerOptions": {
            "openai": {
                "reasoningEffort": "medium",
                "webSearch": {"allowedDomains": ["liveblocks.io"]}
            }
        }
    })
}

fn anthropic_copilot() -> Value {
    json!({
        "type": "copilot",
        "id": "cp_abc456",
        "name": "My Anthropic Copilot",
        "systemPrompt": "You are a helpful assistant.",
        "alwaysUseKnowledge": true,
        "createdAt": "2024-06-01T12:00:00.100Z",
        "updatedAt": "2024-06-01T12:00:00.200Z",
        "provider": "anthropic",
        "providerModel": "claude-3-5-sonnet-latest",
        "providerOptions": {
            "anthropic": {
                "thinking": {"type": "enabled", "budgetTokens": 10000},
                "webSearch": {}
            }
        }
    })
}

fn google_copilot() -> Value {
    json!({
        "type": "copilot",
        "id": "cp_abc789",
        "name": "My Google Copilot",
        "systemPrompt": "You are a helpful assistant.",
        "alwaysUseKnowledge": false,
        "createdAt": "2024-06-01T12:00:00.100Z",
        "updatedAt": "2024-06-01T12:00:00.200Z",
        "provider": "google",
        "providerModel": "gemini-2.5-flash",
        "providerOptions": {"google": {"thinkingConfig": {"thinkingBudget": 2048}}}
    })
}

fn compatible_copilot() -> Value {
    json!({
        "type": "copilot",
        "id": "cp_compat1",
        "name": "My Compatible Copilot",
        "systemPrompt": "You are a helpful assistant.",
        "alwaysUseKnowledge": false,
        "createdAt": "2024-06-01T12:00:00.100Z",
        "updatedAt": "2024-06-01T12:00:00.200Z",
        "settings": {"temperature": 0.2},
        "provider": "openai-compatible",
        "providerModel": "my-custom-model",
        "compatibleProviderName": "my-provider",
        "providerBaseUrl": "https://api.my-provider.com/v1"
    })
}

/// A copilot of a provider this version of the crate does not know.
fn mistral_copilot() -> Value {
    json!({
        "type": "copilot",
        "id": "cp_mistral",
        "name": "Le Chat",
        "systemPrompt": "Tu es un assistant utile.",
        "alwaysUseKnowledge": false,
        "createdAt": "2024-06-01T12:00:00.100Z",
        "updatedAt": "2024-06-01T12:00:00.200Z",
        "provider": "mistral",
        "providerModel": "mistral-large-latest",
        "providerOptions": {"mistral": {"safePrompt": true}}
    })
}

fn web_source() -> Value {
    json!({
        "id": "ks_web123",
        "type": "ai-knowledge-web-source",
        "createdAt": "2024-06-01T12:00:00.100Z",
        "updatedAt": "2024-06-01T12:00:00.200Z",
        "lastIndexedAt": "2024-06-01T12:05:00.300Z",
        "status": "ready",
        "link": {"url": "https://docs.example.com", "type": "crawl"}
    })
}

fn file_source() -> Value {
    json!({
        "id": "ks_file123",
        "type": "ai-knowledge-file-source",
        "createdAt": "2024-06-01T12:00:00.100Z",
        "updatedAt": "2024-06-01T12:00:00.200Z",
        "lastIndexedAt": "2024-06-01T12:05:00.300Z",
        "status": "error",
        "errorMessage": "The PDF is encrypted",
        "file": {"name": "handbook.pdf", "mimeType": "application/pdf"}
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn openai(copilot: &AiCopilot) -> &types::AiCopilotOpenAi {
    match copilot {
        AiCopilot::OpenAi(c) => c,
        other => panic!("expected an OpenAI copilot, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Copilots

#[tokio::test]
async fn get_ai_copilots_sends_the_page_query_and_decodes_every_provider() {
    let page = json!({
        "data": [openai_copilot(), anthropic_copilot(), google_copilot(), compatible_copilot(), mistral_copilot()],
        "nextCursor": "cp_next"
    });
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_ai_copilots()
        .limit(25u32)
        .starting_after("cp_prev")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/ai/copilots").await;
    assert_eq!(
        query(&request),
        pairs(&[("limit", "25"), ("startingAfter", "cp_prev")])
    );
    assert_eq!(accept(&request), Some("application/json"));
    assert!(request.body.is_empty());

    assert_eq!(res.next_cursor.as_deref(), Some("cp_next"));
    let kinds: Vec<&str> = res
        .data
        .iter()
        .map(|c| match c {
            AiCopilot::OpenAi(_) => "openai",
            AiCopilot::Anthropic(_) => "anthropic",
            AiCopilot::Google(_) => "google",
            AiCopilot::OpenAiCompatible(_) => "openai-compatible",
            AiCopilot::Unknown(_) => "unknown",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "openai",
            "anthropic",
            "google",
            "openai-compatible",
            "unknown"
        ]
    );
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn get_ai_copilots_without_parameters_sends_no_query_and_decodes_the_last_page() {
    let (server, c) = serve(json(200, json!({"data": [], "nextCursor": null}))).await;
    let res = c.get_ai_copilots().send().await.unwrap();
    assert_bare(&received(&server, "GET", "/v2/ai/copilots").await);
    assert!(res.data.is_empty());
    assert_eq!(res.next_cursor, None);
}

#[tokio::test]
async fn each_copilot_provider_decodes_to_its_variant_and_round_trips() {
    let t = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();

    let copilot: AiCopilot = round_trip(&openai_copilot());
    let c = openai(&copilot);
    assert_eq!(c.id, "cp_abc123");
    assert_eq!(c.provider_model, types::OpenAiModel::Gpt4o);
    assert_eq!(
        c.description.as_deref(),
        Some("Answers questions about our product")
    );
    assert!(c.always_use_knowledge);
    assert_eq!(c.last_used_at, Some(t("2024-06-03T09:15:00.789Z")));
    let settings = c.settings.as_ref().unwrap();
    assert_eq!(
        (settings.max_tokens, settings.temperature, settings.seed),
        (Some(4096), Some(0.7), Some(42))
    );
    assert_eq!(settings.stop_sequences, ["END"]);
    let options = &c.provider_options.as_ref().unwrap().openai;
    assert_eq!(
        options.reasoning_effort,
        Some(types::OpenAiReasoningEffort::Medium)
    );
    assert_eq!(
        options.web_search.as_ref().unwrap().allowed_domains,
        ["liveblocks.io"]
    );

    let AiCopilot::Anthropic(c) = round_trip::<AiCopilot>(&anthropic_copilot()) else {
        panic!("expected an Anthropic copilot")
    };
    assert_eq!(
        c.provider_model,
        types::AnthropicModel::Claude35SonnetLatest
    );
    let anthropic = c.provider_options.unwrap().anthropic;
    match anthropic.thinking {
        Some(types::AnthropicThinking::Enabled(thinking)) => {
            assert_eq!(thinking.budget_tokens, 10000)
        }
        other => panic!("expected enabled thinking, got {other:?}"),
    }
    assert_eq!(
        anthropic.web_search,
        Some(types::AiWebSearchOptions::default())
    );
    assert_eq!(c.created_at, t("2024-06-01T12:00:00.100Z"));

    let AiCopilot::Google(c) = round_trip::<AiCopilot>(&google_copilot()) else {
        panic!("expected a Google copilot")
    };
    assert_eq!(c.provider_model, types::GoogleModel::Gemini25Flash);
    assert!(!c.always_use_knowledge);
    assert_eq!(
        c.provider_options
            .unwrap()
            .google
            .thinking_config
            .unwrap()
            .thinking_budget,
        Some(2048)
    );

    let AiCopilot::OpenAiCompatible(c) = round_trip::<AiCopilot>(&compatible_copilot()) else {
        panic!("expected an OpenAI-compatible copilot")
    };
    assert_eq!(c.provider_model, "my-custom-model");
    assert_eq!(c.compatible_provider_name, "my-provider");
    assert_eq!(c.provider_base_url, "https://api.my-provider.com/v1");
    assert_eq!(c.settings.unwrap().temperature, Some(0.2));
}

#[tokio::test]
async fn get_ai_copilot_percent_encodes_the_id_and_decodes_each_variant() {
    let id = "cp/a b?é";
    for (copilot, provider) in [
        (openai_copilot(), "openai"),
        (anthropic_copilot(), "anthropic"),
        (google_copilot(), "google"),
        (compatible_copilot(), "openai-compatible"),
    ] {
        let (server, c) = serve(json(200, copilot.clone())).await;
        let res = c.get_ai_copilot().copilot_id(id).send().await.unwrap();
        let request = received(&server, "GET", "/v2/ai/copilots/cp%2Fa%20b%3F%C3%A9").await;
        assert_bare(&request);
        assert_eq!(accept(&request), Some("application/json"));
        let decoded_provider = match &*res {
            AiCopilot::OpenAi(c) => c.provider.to_string(),
            AiCopilot::Anthropic(c) => c.provider.to_string(),
            AiCopilot::Google(c) => c.provider.to_string(),
            AiCopilot::OpenAiCompatible(c) => c.provider.to_string(),
            other => panic!("{provider}: unexpected {other:?}"),
        };
        assert_eq!(decoded_provider, provider);
        assert_eq!(serde_json::to_value(&*res).unwrap(), copilot, "{provider}");
    }
}

#[tokio::test]
async fn an_unknown_provider_decodes_into_the_catch_all_with_its_json() {
    let (server, c) = serve(json(200, mistral_copilot())).await;
    let res = c
        .get_ai_copilot()
        .copilot_id("cp_mistral")
        .send()
        .await
        .unwrap();
    received(&server, "GET", "/v2/ai/copilots/cp_mistral").await;
    match &*res {
        AiCopilot::Unknown(raw) => assert_eq!(raw, &mistral_copilot()),
        other => panic!("expected the catch-all, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&*res).unwrap(), mistral_copilot());
}

#[tokio::test]
async fn unknown_model_names_decode_into_the_open_enums() {
    let with_model = |mut copilot: Value, model: &str| {
        copilot["providerModel"] = json!(model);
        copilot
    };
    let c = round_trip::<AiCopilot>(&with_model(openai_copilot(), "gpt-7-turbo"));
    assert_eq!(
        openai(&c).provider_model,
        types::OpenAiModel::Unknown("gpt-7-turbo".into())
    );
    assert!(openai(&c).provider_model.is_unknown());

    let AiCopilot::Anthropic(c) =
        round_trip::<AiCopilot>(&with_model(anthropic_copilot(), "claude-opus-9"))
    else {
        panic!("expected an Anthropic copilot")
    };
    assert_eq!(
        c.provider_model,
        types::AnthropicModel::Unknown("claude-opus-9".into())
    );

    let AiCopilot::Google(c) =
        round_trip::<AiCopilot>(&with_model(google_copilot(), "gemini-4-ultra"))
    else {
        panic!("expected a Google copilot")
    };
    assert_eq!(
        c.provider_model,
        types::GoogleModel::Unknown("gemini-4-ultra".into())
    );

    // A new reasoning effort and a new thinking mode are caught too.
    let mut copilot = openai_copilot();
    copilot["providerOptions"]["openai"]["reasoningEffort"] = json!("extreme");
    let c = round_trip::<AiCopilot>(&copilot);
    assert_eq!(
        openai(&c)
            .provider_options
            .as_ref()
            .unwrap()
            .openai
            .reasoning_effort,
        Some(types::OpenAiReasoningEffort::Unknown("extreme".into()))
    );
    let mut copilot = anthropic_copilot();
    copilot["providerOptions"]["anthropic"]["thinking"] = json!({"type": "adaptive", "level": 3});
    let AiCopilot::Anthropic(c) = round_trip::<AiCopilot>(&copilot) else {
        panic!("expected an Anthropic copilot")
    };
    assert_eq!(
        c.provider_options.unwrap().anthropic.thinking,
        Some(types::AnthropicThinking::Unknown(
            json!({"type": "adaptive", "level": 3})
        ))
    );
}

#[tokio::test]
async fn create_ai_copilot_sends_each_provider_body_and_decodes_the_201() {
    let openai_body = types::CreateAiCopilotOptionsOpenAi::builder()
        .name("Support copilot")
        .system_prompt("You are a helpful assistant.")
        .provider_api_key("sk-openai-123")
        .provider(types::CreateAiCopilotOptionsOpenAiProvider::Openai)
        .provider_model(types::OpenAiModel::Gpt41Mini)
        .always_use_knowledge(true)
        .settings(types::AiCopilotProviderSettings {
            max_tokens: Some(1024),
            temperature: Some(0.5),
            ..Default::default()
        })
        .provider_options(types::OpenAiProviderOptions {
            openai: types::OpenAiProviderOptionsOpenai {
                reasoning_effort: Some(types::OpenAiReasoningEffort::High),
                web_search: None,
            },
        });
    let openai_body = types::CreateAiCopilotOptionsOpenAi::try_from(openai_body).unwrap();
    let mut cases: Vec<(types::CreateAiCopilotRequestBody, Value)> = vec![(
        openai_body.into(),
        json!({
            "name": "Support copilot",
            "systemPrompt": "You are a helpful assistant.",
            "providerApiKey": "sk-openai-123",
            "provider": "openai",
            "providerModel": "gpt-4.1-mini",
            "alwaysUseKnowledge": true,
            "settings": {"maxTokens": 1024, "temperature": 0.5},
            "providerOptions": {"openai": {"reasoningEffort": "high"}}
        }),
    )];
    // The other providers: a body decoded from its JSON must be sent as exactly that JSON.
    for wire in [
        json!({
            "name": "Claude", "systemPrompt": "Be brief.", "providerApiKey": "sk-ant-123",
            "provider": "anthropic", "providerModel": "claude-sonnet-4-5-20250929",
            "knowledgePrompt": "Cite the handbook.",
            "providerOptions": {"anthropic": {
                "thinking": {"type": "disabled"},
                "webSearch": {"allowedDomains": ["example.com"]}
            }}
        }),
        json!({
            "name": "Gemini", "description": "Google model", "systemPrompt": "Be kind.",
            "providerApiKey": "AIza123", "provider": "google", "providerModel": "gemini-2.5-pro",
            "providerOptions": {"google": {"thinkingConfig": {"thinkingBudget": 0}}}
        }),
        json!({
            "name": "Local", "systemPrompt": "Hi.", "providerApiKey": "key-1",
            "provider": "openai-compatible", "providerModel": "llama-3.1-70b",
            "compatibleProviderName": "groq", "providerBaseUrl": "https://api.groq.com/openai/v1"
        }),
    ] {
        cases.push((typed(wire.clone()), wire));
    }
    let variant = |body: &types::CreateAiCopilotRequestBody| match body {
        types::CreateAiCopilotRequestBody::OpenAi(_) => "openai",
        types::CreateAiCopilotRequestBody::Anthropic(_) => "anthropic",
        types::CreateAiCopilotRequestBody::Google(_) => "google",
        types::CreateAiCopilotRequestBody::OpenAiCompatible(_) => "openai-compatible",
        _ => "unknown",
    };
    for (body, wire) in cases {
        let provider = variant(&body);
        assert_eq!(
            wire["provider"], provider,
            "the body decoded to the wrong variant"
        );
        let (server, c) = serve(json(201, compatible_copilot())).await;
        let res = c.create_ai_copilot().body(body).send().await.unwrap();
        let request = received(&server, "POST", "/v2/ai/copilots").await;
        assert_eq!(request.url.query(), None);
        assert_eq!(json_body(&request), wire, "{provider}");
        assert_eq!(res.status().as_u16(), 201);
        assert!(matches!(&*res, AiCopilot::OpenAiCompatible(c) if c.id == "cp_compat1"));
    }
}

#[tokio::test]
async fn update_ai_copilot_sends_only_the_given_fields() {
    let (server, c) = serve(json(200, openai_copilot())).await;
    let body = types::UpdateAiCopilotRequestBody {
        name: Some("Renamed".into()),
        provider: Some(types::AiProvider::Openai),
        provider_model: Some("gpt-5".into()),
        settings: Change::Set(types::AiCopilotProviderSettings {
            max_tokens: Some(8192),
            ..Default::default()
        }),
        provider_options: Change::Set(types::AiProviderOptions {
            openai: Some(types::OpenAiProviderOptionsOpenai {
                reasoning_effort: Some(types::OpenAiReasoningEffort::Low),
                web_search: Some(types::AiWebSearchOptions::default()),
            }),
            ..Default::default()
        }),
        // `Remove` sends null to clear the description; the knowledge prompt is `Keep` (absent).
        description: Change::Remove,
        ..Default::default()
    };
    let res = c
        .update_ai_copilot()
        .copilot_id("cp_abc123")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/ai/copilots/cp_abc123").await;
    assert_eq!(
        json_body(&request),
        json!({
            "name": "Renamed",
            "provider": "openai",
            "providerModel": "gpt-5",
            "settings": {"maxTokens": 8192},
            "providerOptions": {"openai": {"reasoningEffort": "low", "webSearch": {}}},
            "description": null
        })
    );
    assert_eq!(openai(&res).name, "Support copilot");
}

#[tokio::test]
async fn delete_ai_copilot_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res = c
        .delete_ai_copilot()
        .copilot_id("cp_abc123")
        .send()
        .await
        .unwrap();
    assert_bare(&received(&server, "DELETE", "/v2/ai/copilots/cp_abc123").await);
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn copilot_errors_are_api_errors_with_code_and_status() {
    let (server, c) = serve(json(
        404,
        json!({"error": "AI_COPILOT_NOT_FOUND", "message": "Copilot 'cp_x' was not found"}),
    ))
    .await;
    let err = c
        .get_ai_copilot()
        .copilot_id("cp_x")
        .send()
        .await
        .unwrap_err();
    received(&server, "GET", "/v2/ai/copilots/cp_x").await;
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code.as_deref(), Some("AI_COPILOT_NOT_FOUND"));
    assert!(err.is_not_found());
    assert!(
        err.to_string().contains("Copilot 'cp_x' was not found"),
        "{err}"
    );

    let (_server, c) = serve(json(
        422,
        json!({"error": "INVALID_PROVIDER_MODEL", "message": "gpt-5 is not an Anthropic model"}),
    ))
    .await;
    let err = c
        .update_ai_copilot()
        .copilot_id("cp_abc456")
        .body(types::UpdateAiCopilotRequestBody {
            provider_model: Some("gpt-5".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
}

// ---------------------------------------------------------------------------------------------
// Knowledge sources

#[tokio::test]
async fn get_knowledge_sources_sends_the_page_query_and_decodes_both_kinds() {
    let future_source =
        json!({"id": "ks_db1", "type": "ai-knowledge-database-source", "status": "ready"});
    let page =
        json!({"data": [web_source(), file_source(), future_source.clone()], "nextCursor": null});
    let (server, c) = serve(json(200, page)).await;
    let res = c
        .get_knowledge_sources()
        .copilot_id("cp 1")
        .limit(100u32)
        .starting_after("ks_prev")
        .send()
        .await
        .unwrap();
    let request = received(&server, "GET", "/v2/ai/copilots/cp%201/knowledge").await;
    assert_eq!(
        query(&request),
        pairs(&[("limit", "100"), ("startingAfter", "ks_prev")])
    );
    assert_eq!(res.next_cursor, None);
    match &res.data[..] {
        [
            KnowledgeSource::WebSource(web),
            KnowledgeSource::FileSource(file),
            KnowledgeSource::Unknown(raw),
        ] => {
            assert_eq!(web.link.url, "https://docs.example.com");
            assert_eq!(web.link.type_, types::WebKnowledgeSourceType::Crawl);
            assert_eq!(web.status, types::KnowledgeSourceStatus::Ready);
            assert_eq!(file.file.name, "handbook.pdf");
            assert_eq!(raw, &future_source);
        }
        other => panic!("unexpected sources {other:?}"),
    }
}

#[tokio::test]
async fn get_knowledge_source_decodes_a_failed_file_source_and_round_trips() {
    let (server, c) = serve(json(200, file_source())).await;
    let res = c
        .get_knowledge_source()
        .copilot_id("cp_abc123")
        .knowledge_source_id("ks_file123")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "GET",
            "/v2/ai/copilots/cp_abc123/knowledge/ks_file123",
        )
        .await,
    );
    let KnowledgeSource::FileSource(file) = &*res else {
        panic!("expected a file source, got {:?}", *res)
    };
    assert_eq!(file.status, types::KnowledgeSourceStatus::Error);
    assert_eq!(file.error_message.as_deref(), Some("The PDF is encrypted"));
    assert_eq!(file.file.mime_type, "application/pdf");
    assert_eq!(serde_json::to_value(&*res).unwrap(), file_source());
    round_trip::<KnowledgeSource>(&web_source());

    // A new indexing status is kept, not a decode failure.
    let mut source = web_source();
    source["status"] = json!("queued");
    let KnowledgeSource::WebSource(web) = round_trip::<KnowledgeSource>(&source) else {
        panic!("expected a web source")
    };
    assert_eq!(
        web.status,
        types::KnowledgeSourceStatus::Unknown("queued".into())
    );
}

#[tokio::test]
async fn create_file_knowledge_source_sends_the_exact_bytes_as_octet_stream() {
    // Every byte value, including ones that are not valid UTF-8.
    let bytes: Vec<u8> = (0..=255u8)
        .chain(b"%PDF-1.7\r\n\x00\xff".iter().copied())
        .collect();
    let (server, c) = serve(json(200, json!({"id": "ks_abc123"}))).await;
    let res = c
        .create_file_knowledge_source()
        .copilot_id("cp_abc123")
        .name_or_knowledge_source_id("Employee handbook (v2).pdf")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "PUT",
        "/v2/ai/copilots/cp_abc123/knowledge/file/Employee%20handbook%20(v2).pdf",
    )
    .await;
    assert_eq!(request.url.query(), None);
    assert_octet_stream(&request, &bytes);
    assert_eq!(res.id, "ks_abc123");
}

#[tokio::test]
async fn get_file_knowledge_source_markdown_decodes_the_text() {
    let content = "# Employee handbook\n\nVacation: 25 days.\n";
    let (server, c) = serve(json(200, json!({"id": "ks_file123", "content": content}))).await;
    let res = c
        .get_file_knowledge_source_markdown()
        .copilot_id("cp_abc123")
        .name_or_knowledge_source_id("ks_file123")
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        "/v2/ai/copilots/cp_abc123/knowledge/file/ks_file123",
    )
    .await;
    assert_bare(&request);
    assert_eq!(accept(&request), Some("application/json"));
    assert_eq!(
        (res.id.as_str(), res.content.as_str()),
        ("ks_file123", content)
    );
}

#[tokio::test]
async fn delete_file_knowledge_source_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    c.delete_file_knowledge_source()
        .copilot_id("cp_abc123")
        .name_or_knowledge_source_id("ks_file123")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/ai/copilots/cp_abc123/knowledge/file/ks_file123",
        )
        .await,
    );
}

#[tokio::test]
async fn create_web_knowledge_source_sends_the_url_and_its_type() {
    let (server, c) = serve(json(200, json!({"id": "ks_web123"}))).await;
    let body = types::CreateWebKnowledgeSourceRequestBody {
        copilot_id: "cp_abc123".into(),
        url: "https://docs.example.com/sitemap.xml".into(),
        type_: types::WebKnowledgeSourceType::Sitemap,
    };
    let res = c
        .create_web_knowledge_source()
        .copilot_id("cp_abc123")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = received(&server, "POST", "/v2/ai/copilots/cp_abc123/knowledge/web").await;
    assert_eq!(
        json_body(&request),
        json!({"copilotId": "cp_abc123", "url": "https://docs.example.com/sitemap.xml", "type": "sitemap"})
    );
    assert_eq!(res.id, "ks_web123");
}

#[tokio::test]
async fn delete_web_knowledge_source_sends_a_bare_delete() {
    let (server, c) = serve(ResponseTemplate::new(204)).await;
    let res: ResponseValue<()> = c
        .delete_web_knowledge_source()
        .copilot_id("cp_abc123")
        .knowledge_source_id("ks/web 1")
        .send()
        .await
        .unwrap();
    assert_bare(
        &received(
            &server,
            "DELETE",
            "/v2/ai/copilots/cp_abc123/knowledge/web/ks%2Fweb%201",
        )
        .await,
    );
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn get_web_knowledge_source_links_sends_the_page_query_and_decodes_links() {
    let link = |id: &str, status: &str| {
        json!({
            "id": id,
            "url": format!("https://docs.example.com/{id}"),
            "status": status,
            "createdAt": "2024-06-01T12:00:00.100Z",
            "lastIndexedAt": "2024-06-01T12:00:00.200Z"
        })
    };
    let page = json!({"data": [link("ksl_1", "ready"), link("ksl_2", "ingesting")], "nextCursor": "ksl_2"});
    let (server, c) = serve(json(200, page.clone())).await;
    let res = c
        .get_web_knowledge_source_links()
        .copilot_id("cp_abc123")
        .knowledge_source_id("ks_web123")
        .limit(2u32)
        .starting_after("ksl_0")
        .send()
        .await
        .unwrap();
    let request = received(
        &server,
        "GET",
        "/v2/ai/copilots/cp_abc123/knowledge/web/ks_web123/links",
    )
    .await;
    assert_eq!(
        query(&request),
        pairs(&[("limit", "2"), ("startingAfter", "ksl_0")])
    );
    let statuses: Vec<_> = res
        .data
        .iter()
        .map(|l| (l.id.as_str(), l.status.clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("ksl_1", types::KnowledgeSourceStatus::Ready),
            ("ksl_2", types::KnowledgeSourceStatus::Ingesting)
        ]
    );
    assert_eq!(res.data[0].url, "https://docs.example.com/ksl_1");
    assert_eq!(res.next_cursor.as_deref(), Some("ksl_2"));
    assert_eq!(serde_json::to_value(&*res).unwrap(), page);
}

#[tokio::test]
async fn knowledge_errors_are_api_errors_with_code_and_status() {
    let (server, c) = serve(json(
        413,
        json!({"error": "FILE_TOO_LARGE", "message": "Files are limited to 10 MB"}),
    ))
    .await;
    let err = c
        .create_file_knowledge_source()
        .copilot_id("cp_abc123")
        .name_or_knowledge_source_id("huge.pdf")
        .body(vec![0u8; 64])
        .send()
        .await
        .unwrap_err();
    received(
        &server,
        "PUT",
        "/v2/ai/copilots/cp_abc123/knowledge/file/huge.pdf",
    )
    .await;
    let api = err.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 413);
    assert_eq!(api.code.as_deref(), Some("FILE_TOO_LARGE"));
    assert_eq!(api.message.as_deref(), Some("Files are limited to 10 MB"));
}
