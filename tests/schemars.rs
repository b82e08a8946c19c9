//! The JSON Schemas of the cargo feature `schemars` (run with `--features schemars`).
//!
//! - Every component schema of `openapi/liveblocks.yaml` has a Rust type with a schema, and
//!   every example the document gives validates against that schema and decodes into the type.
//! - The schemas say what the wire says: camelCase field names, the spec's required fields,
//!   `date-time` formats, descriptions, open enums as "known values or any string".
//! - Deliberately wrong documents are rejected; the bodies of the signed webhook vectors
//!   validate against the schema of `WebhookEvent`.

use std::collections::BTreeSet;

use liveblocks::types;
use liveblocks::webhooks::WebhookEvent;
use serde_json::{Value, json};

/// The Rust type of a component: `types::Name`, or `types::Rust` for `Name => Rust` (a schema
/// codegen renames).
macro_rules! rust_type {
    ($name:ident) => {
        types::$name
    };
    ($name:ident, $rust:ident) => {
        types::$rust
    };
}

/// `(component name, schema of the Rust type, does the example decode into the type)` for
/// every type of a component schema.
macro_rules! component_types {
    ($($name:ident $(=> $rust:ident)?),* $(,)?) => {
        fn component(name: &str) -> Option<(Value, fn(Value) -> Result<(), String>)> {
            match name {
                $(stringify!($name) => Some((
                    schemars::schema_for!(rust_type!($name $(, $rust)?)).to_value(),
                    |v| serde_json::from_value::<rust_type!($name $(, $rust)?)>(v).map(drop).map_err(|e| e.to_string()),
                )),)*
                _ => None,
            }
        }
        const COMPONENTS: &[&str] = &[$(stringify!($name)),*];
    };
}

component_types!(
    Error => ErrorBody,
    Permission,
    RoomAccesses,
    RoomMetadataValue,
    RoomMetadata,
    Room,
    GetRoomsResponse,
    RoomEngine,
    CreateRoomRequestBody,
    UpdateRoomRequestBody,
    UpsertRoomCreateFields,
    UpsertRoomRequestBody,
    UpdateRoomIdRequestBody,
    UpdateRoomOrganizationIdRequestBody,
    BroadcastEventRequestBody,
    SetPresenceRequestBody,
    ActiveUser,
    GetActiveUsersResponse,
    StorageDocumentFormat,
    GetStorageDocumentResponse,
    InitializeStorageDocumentRequestBody,
    InitializeStorageDocumentResponse,
    SendMessageRequestBody,
    SendMessageResponse,
    AddJsonPatchOperation,
    RemoveJsonPatchOperation,
    ReplaceJsonPatchOperation,
    MoveJsonPatchOperation,
    CopyJsonPatchOperation,
    TestJsonPatchOperation,
    JsonPatchOperation,
    PatchStorageDocumentRequestBody,
    StorageFileWithUrl,
    LiveFileData,
    StorageFileMultipartUpload,
    StorageFileMultipartPart,
    CompleteStorageFileMultipartUploadRequestBody,
    YjsDocumentType,
    GetYjsDocumentResponse,
    HistoryVersionAuthor,
    HistoryVersion,
    GetVersionHistoryResponse,
    CreateVersionHistorySnapshotResponse,
    AuthorizeUserRequestBody,
    IdentifyUserRequestBody,
    AuthorizeRoomLegacyRequestBody,
    AuthorizePublicLegacyRequestBody,
    AuthToken => AuthTokenResponse,
    ThreadMetadataValue,
    ThreadMetadata,
    ThreadMetadataPatch,
    CommentMetadataValue,
    CommentMetadata,
    CommentMetadataPatch,
    CommentBodyText,
    CommentBodyMentionKind,
    CommentBodyMention,
    CommentBodyLink,
    CommentBodyInlineElement,
    CommentBodyParagraph,
    CommentBodyBlockElement,
    CommentBody,
    CommentReactionUser,
    CommentReaction,
    CommentUserReaction,
    CommentAttachment,
    AttachmentWithUrl,
    AttachmentMultipartUpload,
    AttachmentMultipartPart,
    CompleteAttachmentMultipartUploadRequestBody,
    Comment,
    ThreadVisibility,
    Thread,
    GetThreadsResponse,
    CreateThreadComment,
    CreateThreadRequestBody,
    CreateCommentRequestBody,
    EditCommentRequestBody,
    EditThreadMetadataRequestBody,
    EditCommentMetadataRequestBody,
    AddCommentReactionRequestBody,
    RemoveCommentReactionRequestBody,
    MarkThreadAsResolvedRequestBody,
    MarkThreadAsUnresolvedRequestBody,
    SubscribeToThreadRequestBody,
    UnsubscribeFromThreadRequestBody,
    ThreadSubscription,
    UserThreadSubscription,
    GetThreadSubscriptionsResponse,
    GetThreadParticipantsResponse,
    GetThreadInboxNotificationsResponse,
    InboxNotificationActivityDataValue,
    InboxNotificationActivityData,
    InboxNotificationActivity,
    InboxNotificationThread,
    InboxNotificationMentionKind,
    InboxNotificationMention,
    InboxNotificationTextMention,
    InboxNotificationCustom,
    InboxNotification,
    GetInboxNotificationsResponse,
    TriggerInboxNotificationRequestBody,
    NotificationChannelSettings,
    NotificationSettings,
    UpdateNotificationSettingsRequestBody,
    RoomSubscriptionThreads,
    RoomSubscriptionTextMentions,
    RoomSubscriptionSettings,
    UpdateRoomSubscriptionSettingsRequestBody,
    UserRoomSubscriptionSettings,
    GetUserRoomSubscriptionSettingsResponse,
    GroupScopes,
    GroupMember,
    Group,
    GetGroupsResponse,
    GetUserGroupsResponse,
    CreateGroupRequestBody,
    AddGroupMembersRequestBody,
    RemoveGroupMembersRequestBody,
    FeedMetadataValue,
    FeedMetadata,
    FeedMetadataPatch,
    FeedMessageData,
    Feed,
    FeedMessage,
    GetFeedsResponse,
    GetFeedMessagesResponse,
    CreateFeedRequestBody,
    UpdateFeedRequestBody,
    CreateFeedMessageRequestBody,
    UpdateFeedMessageRequestBody,
    AiProvider,
    OpenAiModel,
    AnthropicModel,
    GoogleModel,
    AiCopilotProviderSettings,
    OpenAiReasoningEffort,
    AiWebSearchOptions,
    OpenAiProviderOptionsOpenai,
    OpenAiProviderOptions,
    AnthropicThinkingEnabled,
    AnthropicThinkingDisabled,
    AnthropicThinking,
    AnthropicProviderOptionsAnthropic,
    AnthropicProviderOptions,
    GoogleThinkingConfig,
    GoogleProviderOptionsGoogle,
    GoogleProviderOptions,
    AiProviderOptions,
    AiCopilotOpenAi,
    AiCopilotAnthropic,
    AiCopilotGoogle,
    AiCopilotOpenAiCompatible,
    AiCopilot,
    CreateAiCopilotOptionsOpenAi,
    CreateAiCopilotOptionsAnthropic,
    CreateAiCopilotOptionsGoogle,
    CreateAiCopilotOptionsOpenAiCompatible,
    CreateAiCopilotRequestBody,
    UpdateAiCopilotRequestBody,
    GetAiCopilotsResponse,
    KnowledgeSourceStatus,
    WebKnowledgeSourceType,
    KnowledgeSourceWebSourceLink,
    KnowledgeSourceFileSourceFile,
    KnowledgeSourceWebSource,
    KnowledgeSourceFileSource,
    KnowledgeSource,
    GetKnowledgeSourcesResponse,
    WebKnowledgeSourceLink,
    GetWebKnowledgeSourceLinksResponse,
    CreateWebKnowledgeSourceRequestBody,
    CreateWebKnowledgeSourceResponse,
    CreateFileKnowledgeSourceResponse,
    GetFileKnowledgeSourceMarkdownResponse,
    ManagementProjectType,
    ManagementProjectRegion,
    VersionCreationTimeout,
    ManagementProjectPublicKey,
    ManagementProjectSecretKey,
    ManagementProject,
    GetManagementProjectsResponse,
    CreateManagementProjectRequestBody,
    UpdateManagementProjectRequestBody,
    ApiKeyExpirationIn,
    SecretApiKeyNewKeyExpirationIn,
    RollProjectPublicApiKeyRequestBody,
    RollProjectPublicApiKeyResponse,
    RollProjectSecretApiKeyRequestBody,
    RolledSecretApiKey,
    RollProjectSecretApiKeyResponse,
    WebhookEventType,
    ManagementWebhookSecret,
    ManagementWebhookAdditionalHeaders,
    ManagementWebhook,
    GetManagementWebhooksResponse,
    CreateManagementWebhookRequestBody,
    UpdateManagementWebhookRequestBody,
    GetManagementWebhookAdditionalHeadersResponse,
    UpsertManagementWebhookAdditionalHeadersResponse,
    DeleteManagementWebhookAdditionalHeadersResponse,
    UpsertManagementWebhookAdditionalHeadersRequestBody,
    DeleteManagementWebhookAdditionalHeadersRequestBody,
    RecoverFailedWebhookMessagesRequestBody,
    RollManagementWebhookSecretResponse,
    SendTestWebhookRequestBody,
    ManagementWebhookTestMessage,
    SendTestWebhookResponse,
);

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/liveblocks.yaml");
    let text = std::fs::read_to_string(path).expect("the spec");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

fn component_schemas(spec: &Value) -> &serde_json::Map<String, Value> {
    spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("not a valid JSON Schema ({e}): {schema:#}"))
}

/// The reasons `doc` is invalid against `schema` (empty when it is valid).
fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn schema<T: schemars::JsonSchema>() -> Value {
    schemars::schema_for!(T).to_value()
}

#[test]
fn every_component_schema_has_a_rust_type_with_a_json_schema() {
    let spec = spec();
    let in_spec: BTreeSet<&str> = component_schemas(&spec)
        .keys()
        .map(String::as_str)
        .collect();
    let listed: BTreeSet<&str> = COMPONENTS.iter().copied().collect();
    assert_eq!(in_spec, listed, "update the list in this test");
    for name in COMPONENTS {
        let (schema, _) = component(name).expect("listed");
        // Each one compiles as a JSON Schema.
        validator(&schema);
    }
}

#[test]
fn every_example_in_the_spec_validates_and_decodes() {
    let spec = spec();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, component_schema) in component_schemas(&spec) {
        let Some(example) = component_schema.get("example") else {
            continue;
        };
        let (schema, decode) = component(name).expect("every component is listed");
        for e in errors(&schema, example) {
            failures.push(format!("{name}: the example is invalid: {e}"));
        }
        if let Err(e) = decode(example.clone()) {
            failures.push(format!("{name}: the example does not decode: {e}"));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // 111 today; the document only gains examples.
    assert!(checked >= 111, "only {checked} examples");
}

/// For every object schema of the spec: the same property names (as sent), the same required
/// properties, and `format: date-time` where the spec says so.
#[test]
fn object_schemas_have_the_wire_names_required_fields_and_formats_of_the_spec() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut objects = 0;
    for (name, spec_schema) in component_schemas(&spec) {
        let Some(spec_props) = spec_schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        objects += 1;
        let (schema, _) = component(name).expect("listed");
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            failures.push(format!("{name}: no properties in {schema:#}"));
            continue;
        };
        let want: BTreeSet<&String> = spec_props.keys().collect();
        let got: BTreeSet<&String> = props.keys().collect();
        if want != got {
            failures.push(format!("{name}: properties {got:?}, the spec has {want:?}"));
        }
        let names = |v: Option<&Value>| -> BTreeSet<String> {
            v.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let (want, got) = (
            names(spec_schema.get("required")),
            names(schema.get("required")),
        );
        if want != got {
            failures.push(format!("{name}: required {got:?}, the spec has {want:?}"));
        }
        for (prop, spec_prop) in spec_props {
            if spec_prop.get("format").and_then(Value::as_str) == Some("date-time") {
                let text = props.get(prop).map(Value::to_string).unwrap_or_default();
                if !text.contains(r#""format":"date-time""#) {
                    failures.push(format!("{name}.{prop}: no date-time format in {text}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(objects > 100, "only {objects} object schemas");
}

#[test]
fn descriptions_come_from_the_spec() {
    let spec = spec();
    let room = &component_schemas(&spec)["Room"];
    let schema = schema::<types::Room>();
    assert_eq!(schema["description"], room["description"]);
    assert_eq!(
        schema["properties"]["id"]["description"],
        room["properties"]["id"]["description"]
    );
}

#[test]
fn open_enums_are_the_known_values_or_any_string() {
    let schema = schema::<types::Permission>();
    assert_eq!(schema["type"], "string");
    let known = &schema["anyOf"][0]["enum"];
    let want: Vec<Value> = types::Permission::KNOWN
        .iter()
        .map(|p| Value::from(p.as_str()))
        .collect();
    assert_eq!(known, &Value::from(want));
    for ok in [json!("room:write"), json!("room:admin-of-the-future")] {
        assert_eq!(errors(&schema, &ok), Vec::<String>::new(), "{ok}");
        // ... and the type decodes it too.
        serde_json::from_value::<types::Permission>(ok).unwrap();
    }
    for bad in [json!(5), json!(null), json!(["room:write"])] {
        assert!(!errors(&schema, &bad).is_empty(), "{bad} was accepted");
    }
}

#[test]
fn tagged_unions_take_their_members_or_an_unknown_tag() {
    let schema = schema::<types::CommentBody>();
    let paragraph = |children: Value| json!({"version": 1, "content": [{"type": "paragraph", "children": children}]});
    let valid = [
        paragraph(
            json!([{"text": "Hi ", "bold": true}, {"type": "mention", "kind": "user", "id": "ana"}]),
        ),
        paragraph(json!([{"type": "link", "url": "https://liveblocks.io"}])),
        // A block type added later.
        json!({"version": 1, "content": [{"type": "quote-of-the-future", "children": []}]}),
    ];
    for doc in valid {
        assert_eq!(errors(&schema, &doc), Vec::<String>::new(), "{doc}");
        serde_json::from_value::<types::CommentBody>(doc).unwrap();
    }
    let invalid = [
        // Known tag, wrong shape: the decoder fails on it too.
        json!({"version": 1, "content": [{"type": "paragraph", "children": "Hi"}]}),
        paragraph(json!([{"type": "mention", "kind": "user"}])),
        paragraph(json!([{"type": "link"}])),
        // A text run is an object with `text`.
        paragraph(json!(["Hi"])),
        json!({"version": "1", "content": []}),
        json!({"content": []}),
    ];
    for doc in invalid {
        assert!(!errors(&schema, &doc).is_empty(), "{doc} was accepted");
    }
}

#[test]
fn wrong_documents_are_rejected() {
    let spec = spec();
    let example = |name: &str| component_schemas(&spec)[name]["example"].clone();
    let with = |name: &str, pointer: &str, value: Value| {
        let mut doc = example(name);
        *doc.pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{name}{pointer}")) = value;
        doc
    };
    let without = |name: &str, field: &str| {
        let mut doc = example(name);
        doc.as_object_mut()
            .unwrap()
            .remove(field)
            .unwrap_or_else(|| panic!("{name}.{field}"));
        doc
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("Room", without("Room", "id"), "a required field is missing"),
        (
            "Room",
            with("Room", "/createdAt", json!("yesterday")),
            "not a date-time",
        ),
        (
            "Room",
            with("Room", "/defaultAccesses", json!("room:write")),
            "not an array",
        ),
        (
            "Room",
            with("Room", "/metadata", json!({"color": 5})),
            "metadata values are strings",
        ),
        ("Room", json!([]), "not an object"),
        (
            "CreateRoomRequestBody",
            without("CreateRoomRequestBody", "id"),
            "id is required",
        ),
        (
            "CreateRoomRequestBody",
            with("CreateRoomRequestBody", "/defaultAccesses", json!([7])),
            "a permission is a string",
        ),
        (
            "Thread",
            with("Thread", "/comments", json!({})),
            "comments is an array",
        ),
        (
            "Comment",
            with("Comment", "/createdAt", json!(1735689600)),
            "a time is a string",
        ),
        (
            "InboxNotificationThread",
            without("InboxNotificationThread", "threadId"),
            "threadId is required",
        ),
        (
            "InboxNotificationThread",
            without("InboxNotificationThread", "readAt"),
            "readAt is required, null while unread",
        ),
        (
            "TriggerInboxNotificationRequestBody",
            with(
                "TriggerInboxNotificationRequestBody",
                "/kind",
                json!("invoicePaid"),
            ),
            "custom kinds start with $",
        ),
        (
            "GroupMember",
            with("GroupMember", "/id", json!(null)),
            "not nullable",
        ),
        (
            "ManagementWebhook",
            with(
                "ManagementWebhook",
                "/subscribedEvents",
                json!("userEntered"),
            ),
            "not an array",
        ),
    ];
    let mut failures = Vec::new();
    for (name, doc, why) in cases {
        let (schema, decode) = component(name).unwrap();
        if errors(&schema, &doc).is_empty() {
            failures.push(format!("{name} ({why}) was accepted: {doc}"));
        }
        // The schema rejects what the type refuses to decode.
        if decode(doc.clone()).is_ok() {
            failures.push(format!("{name} ({why}) decodes: {doc}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nullable_update_fields_take_null_or_a_value_or_nothing() {
    let schema = schema::<types::UpdateRoomRequestBody>();
    let accepted = [
        json!({}),
        json!({"defaultAccesses": null}),
        json!({"defaultAccesses": ["room:write"]}),
        json!({"usersAccesses": {"ana": null, "bob": ["room:read"]}}),
    ];
    for doc in accepted {
        assert_eq!(errors(&schema, &doc), Vec::<String>::new(), "{doc}");
    }
    assert!(!errors(&schema, &json!({"defaultAccesses": "room:write"})).is_empty());
    assert_eq!(schema.get("required"), None);
    // The spec's description, not the Rust note about `Change::Keep`.
    let spec = spec();
    assert_eq!(
        schema["properties"]["defaultAccesses"]["description"],
        component_schemas(&spec)["UpdateRoomRequestBody"]["properties"]["defaultAccesses"]["description"]
    );
    assert_eq!(
        schema["properties"]["metadata"]["description"],
        component_schemas(&spec)["UpdateRoomRequestBody"]["properties"]["metadata"]["description"]
    );
    assert!(!errors(&schema, &json!({"usersAccesses": {"ana": "room:read"}})).is_empty());
    // The `Change` fields of the copilot update and the metadata patches: the same.
    let copilot = crate::schema::<types::UpdateAiCopilotRequestBody>();
    for doc in [
        json!({}),
        json!({"description": null, "knowledgePrompt": "k", "settings": null}),
    ] {
        assert_eq!(errors(&copilot, &doc), Vec::<String>::new(), "{doc}");
    }
    assert!(!errors(&copilot, &json!({"description": 3})).is_empty());
    assert_eq!(copilot.get("required"), None);
    let patch = crate::schema::<types::ThreadMetadataPatch>();
    assert_eq!(
        errors(&patch, &json!({"status": "closed", "pinned": null})),
        Vec::<String>::new()
    );
    assert!(!errors(&patch, &json!({"status": {"nested": 1}})).is_empty());
}

#[test]
fn required_nullable_fields_take_null_but_must_be_present() {
    let schema = schema::<types::ActiveUser>();
    let anonymous = json!({"type": "user", "connectionId": 3, "id": null, "info": {}});
    assert_eq!(errors(&schema, &anonymous), Vec::<String>::new());
    serde_json::from_value::<types::ActiveUser>(anonymous.clone()).unwrap();
    let mut absent = anonymous;
    absent.as_object_mut().unwrap().remove("id");
    assert!(
        !errors(&schema, &absent).is_empty(),
        "{absent} was accepted"
    );
    // The decoder refuses it too.
    assert!(serde_json::from_value::<types::ActiveUser>(absent).is_err());
}

#[test]
fn webhook_vectors_validate_against_the_event_schema() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/webhooks/vectors.json"
    );
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let schema = schema::<WebhookEvent>();
    let mut checked = 0;
    for case in vectors["cases"].as_array().unwrap() {
        if case["expect"].get("ok").is_none() {
            continue;
        }
        let body: Value = serde_json::from_str(case["body"].as_str().unwrap()).unwrap();
        assert_eq!(
            errors(&schema, &body),
            Vec::<String>::new(),
            "{}",
            case["name"]
        );
        WebhookEvent::decode(case["body"].as_str().unwrap().as_bytes()).unwrap();
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} vectors");
}

#[test]
fn wrong_webhook_bodies_are_rejected() {
    let schema = schema::<WebhookEvent>();
    let data = json!({"projectId": "p", "roomId": "r", "updatedAt": "2024-12-31T23:59:58.123Z"});
    let notification = json!({
        "channel": "email", "kind": "thread", "projectId": "p", "roomId": "r", "userId": "u",
        "threadId": "t", "inboxNotificationId": "i", "createdAt": "2024-12-31T23:59:58.123Z",
        "triggeredAt": "2024-12-31T23:59:59.456Z",
    });
    let mut missing_thread = notification.clone();
    missing_thread.as_object_mut().unwrap().remove("threadId");
    let invalid = [
        json!({"data": data}),
        json!({"type": "storageUpdated"}),
        json!({"type": "storageUpdated", "data": {"projectId": "p", "updatedAt": "2024-12-31T23:59:58.123Z"}}),
        json!({"type": "storageUpdated", "data": {"projectId": "p", "roomId": "r", "updatedAt": "soon"}}),
        json!({"type": 5, "data": data}),
        json!({"type": "notification", "data": missing_thread}),
        json!({"type": "notification", "data": {"kind": "$invoicePaid", "channel": "email"}}),
        json!({"type": "notification", "data": {"channel": "email"}}),
    ];
    for body in invalid {
        assert!(!errors(&schema, &body).is_empty(), "{body} was accepted");
        assert!(
            WebhookEvent::decode(body.to_string().as_bytes()).is_err(),
            "{body} decodes"
        );
    }
    let valid = [
        json!({"type": "storageUpdated", "data": data}),
        json!({"type": "notification", "data": notification}),
        json!({"type": "roomArchived", "data": {"anything": [1]}}),
        json!({"type": "notification", "data": {"kind": "reminder", "channel": "sms"}}),
    ];
    for body in valid {
        assert_eq!(errors(&schema, &body), Vec::<String>::new(), "{body}");
        WebhookEvent::decode(body.to_string().as_bytes()).unwrap();
    }
}

#[test]
fn constrained_newtypes_state_their_constraint() {
    let engine = schema::<types::RoomEngine>();
    for ok in [json!(1), json!(2)] {
        assert_eq!(errors(&engine, &ok), Vec::<String>::new(), "{ok}");
        serde_json::from_value::<types::RoomEngine>(ok).unwrap();
    }
    for bad in [json!(3), json!("2")] {
        assert!(!errors(&engine, &bad).is_empty(), "{bad} was accepted");
        assert!(serde_json::from_value::<types::RoomEngine>(bad).is_err());
    }
    let kind = schema::<types::InboxNotificationCustomKind>();
    assert_eq!(errors(&kind, &json!("$invoicePaid")), Vec::<String>::new());
    serde_json::from_value::<types::InboxNotificationCustomKind>(json!("$invoicePaid")).unwrap();
    assert!(!errors(&kind, &json!("invoicePaid")).is_empty());
    assert!(
        serde_json::from_value::<types::InboxNotificationCustomKind>(json!("invoicePaid")).is_err()
    );
}
