//! Step 4 (docs): every generated `Client` method documents itself. Its rustdoc is written
//! from the original document (before `prepare.rs` drops the error responses): summary and
//! description, reference link, `# Parameters`, `# Body`, `# Returns`, `# Errors`, a compiling
//! `no_run` `# Example` built from the spec's own examples, and `# SDK names`.

use super::*;

#[path = "sdk_names.rs"]
mod sdk_names;
pub use sdk_names::NODE_NAMES;

/// The rustdoc of each operation's `Client` method, by operationId.
pub fn method_docs(spec: &OpenAPI) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(id) = op.operation_id.clone() else {
                continue;
            };
            out.insert(id.clone(), method_doc(spec, method, path, item, op, &id));
        }
    }
    out
}

/// Replaces progenitor's doc of every `Client` method with the one of [`method_docs`].
pub fn apply_method_docs(file: &mut syn::File, docs: &BTreeMap<String, String>) {
    for item in &mut file.items {
        match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() && is_client(&imp.self_ty) => {
                for i in &mut imp.items {
                    if let syn::ImplItem::Fn(f) = i
                        && let Some(doc) = docs.get(&f.sig.ident.to_string())
                    {
                        f.attrs.retain(|a| !a.path().is_ident("doc"));
                        f.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
                    }
                }
            }
            syn::Item::Struct(st) if st.ident == "Client" => {
                st.attrs.retain(|a| !a.path().is_ident("doc"));
                let doc = CLIENT_DOC;
                st.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
            }
            _ => {}
        }
    }
}

const CLIENT_DOC: &str =
    "The Liveblocks REST API client: one method per operation, each returning a request \
builder (set its parameters, then `.send().await`).

Build it with [`Client::builder()`](crate::Client::builder) (secret key, base URL, time limits, \
retries); it is cheap to clone and shares its connection pool. The methods are listed by family \
(rooms, Storage, Yjs, comments, notifications, groups, feeds, AI, management) on the crate page; \
each method's doc gives its parameters, body, return value, errors and an example.

```no_run
# async fn example() -> Result<(), liveblocks::Error> {
let client = liveblocks::Client::builder().secret_key(\"sk_...\").build()?;
let room = client.get_room().room_id(\"my-room\").send().await?;
# let _ = room;
# Ok(())
# }
```";

/// The setter name of a field or parameter: snake_case, keywords suffixed with `_` (as
/// progenitor names them).
fn setter(name: &str) -> String {
    let s = snake(name);
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "crate", "dyn", "enum", "fn", "impl", "in", "loop", "match",
        "mod", "move", "ref", "self", "static", "struct", "trait", "type", "use", "where",
    ];
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// A JSON value as `serde_json::json!` input; integers beyond `i32` get a suffix (the macro
/// would infer `i32` for the bare literal).
fn json_source(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k:?}: {}", json_source(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(json_source).collect::<Vec<_>>().join(", ")
        ),
        Value::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_err() => format!("{i}_i64"),
            _ => n.to_string(),
        },
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ref_name(r: &str) -> &str {
    r.rsplit('/').next().unwrap_or(r)
}

fn component<'a>(spec: &'a OpenAPI, name: &str) -> Option<&'a Schema> {
    spec.components.as_ref()?.schemas.get(name)?.as_item()
}

fn resolve<'a>(spec: &'a OpenAPI, s: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    match s {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => component(spec, ref_name(reference)),
    }
}

fn resolve_box<'a>(spec: &'a OpenAPI, s: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
    match s {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => component(spec, ref_name(reference)),
    }
}

/// The Rust type a schema is given, as shown in the docs.
fn type_name(s: &ReferenceOr<Schema>) -> String {
    match s {
        ReferenceOr::Reference { reference } => {
            let n = ref_name(reference);
            format!("[`types::{n}`](crate::types::{n})")
        }
        ReferenceOr::Item(s) => item_type_name(s),
    }
}

fn item_type_name(s: &Schema) -> String {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => "enum (string)".into(),
        SchemaKind::Type(Type::String(_)) => "`String`".into(),
        SchemaKind::Type(Type::Integer(_)) => "integer".into(),
        SchemaKind::Type(Type::Number(_)) => "number".into(),
        SchemaKind::Type(Type::Boolean(_)) => "`bool`".into(),
        SchemaKind::Type(Type::Array(a)) => match &a.items {
            Some(ReferenceOr::Reference { reference }) => {
                let n = ref_name(reference);
                format!("`Vec` of [`types::{n}`](crate::types::{n})")
            }
            Some(ReferenceOr::Item(i)) => format!("`Vec` of {}", item_type_name(i)),
            None => "`Vec`".into(),
        },
        _ => "value".into(),
    }
}

/// Rust source for `value` passed to a setter of a field or parameter of schema `s`, or `None`
/// when it has no simple literal form. Every example value is rendered here.
pub fn render_value(
    spec: &OpenAPI,
    s: &ReferenceOr<Schema>,
    value: &serde_json::Value,
) -> Option<String> {
    use serde_json::Value;
    let schema = resolve(spec, s)?;
    match (&schema.schema_kind, value) {
        (SchemaKind::Type(Type::String(t)), Value::String(v)) => {
            if !t.enumeration.is_empty() {
                // Named open enums take any string; inline enums have no stable type name.
                let ReferenceOr::Reference { reference } = s else {
                    return None;
                };
                return Some(format!("types::{}::from({v:?})", ref_name(reference)));
            }
            if !matches!(t.format, openapiv3::VariantOrUnknownOrEmpty::Empty) {
                return None;
            }
            matches!(s, ReferenceOr::Item(_)).then(|| format!("{v:?}"))
        }
        (SchemaKind::Type(Type::Boolean(_)), Value::Bool(b)) => Some(b.to_string()),
        (SchemaKind::Type(Type::Integer(_)), Value::Number(n)) if n.as_u64().is_some() => {
            matches!(s, ReferenceOr::Item(_)).then(|| n.to_string())
        }
        (SchemaKind::Type(Type::Array(a)), Value::Array(vs)) if !vs.is_empty() => {
            let items = a.items.as_ref()?;
            let items = match items {
                ReferenceOr::Item(i) => ReferenceOr::Item((**i).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
            };
            let rendered: Option<Vec<String>> =
                vs.iter().map(|v| render_value(spec, &items, v)).collect();
            let rendered = rendered?;
            let strings = rendered.iter().all(|r| r.starts_with('"'));
            Some(if strings {
                format!(
                    "vec![{}]",
                    rendered
                        .iter()
                        .map(|r| format!("{r}.to_string()"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                format!("vec![{}]", rendered.join(", "))
            })
        }
        _ => None,
    }
}

/// A placeholder example for a parameter without one.
fn placeholder(name: &str) -> serde_json::Value {
    serde_json::Value::String(format!("my-{}", snake(name).replace('_', "-")))
}

fn method_doc(
    spec: &OpenAPI,
    method: &str,
    path: &str,
    item: &openapiv3::PathItem,
    op: &openapiv3::Operation,
    id: &str,
) -> String {
    let mut d = String::new();
    if let Some(s) = &op.summary {
        let _ = writeln!(d, "{}\n", s.trim());
    }
    if let Some(desc) = &op.description {
        let _ = writeln!(d, "{}\n", desc.trim());
    }
    let _ = writeln!(d, "Reference: <{}>\n", reference_url(method, path));
    let _ = writeln!(d, "Sends `{} {path}`.\n", method.to_uppercase());

    // Parameters (the path item's and the operation's).
    let params: Vec<&openapiv3::ParameterData> = item
        .parameters
        .iter()
        .chain(op.parameters.iter())
        .filter_map(|p| p.as_item())
        .filter_map(|p| match p {
            openapiv3::Parameter::Path { parameter_data, .. }
            | openapiv3::Parameter::Query { parameter_data, .. } => Some(parameter_data),
            _ => None,
        })
        .collect();
    let mut calls = Vec::new();
    let _ = writeln!(d, "# Parameters\n");
    if params.is_empty() {
        let _ = writeln!(d, "None.\n");
    }
    for p in &params {
        let schema = match &p.format {
            openapiv3::ParameterSchemaOrContent::Schema(s) => Some(s),
            _ => None,
        };
        let ty = schema.map(type_name).unwrap_or_else(|| "value".into());
        let setter = setter(&p.name);
        let _ = writeln!(
            d,
            "- `.{setter}(..)` (`{}`, {ty}, {}): {}",
            p.name,
            if p.required { "required" } else { "optional" },
            one_line(p.description.as_deref().unwrap_or("")),
        );
        let example = p.example.clone().or_else(|| {
            schema
                .and_then(|s| resolve(spec, s))
                .and_then(|s| s.schema_data.example.clone())
        });
        let example = match example {
            Some(e) => Some(e),
            None if p.required => Some(placeholder(&p.name)),
            None => None,
        };
        if let (Some(s), Some(e)) = (schema, example)
            && let Some(v) = render_value(spec, s, &e)
        {
            calls.push(format!(".{setter}({v})"));
        }
    }
    d.push('\n');

    // Body.
    if let Some(body) = op.request_body.as_ref().and_then(|b| b.as_item()) {
        let _ = writeln!(d, "# Body\n");
        if let Some(media) = body.content.get("application/json")
            && let Some(schema) = &media.schema
        {
            let ty = type_name(schema);
            let _ = writeln!(
                d,
                "{} {ty}: pass a value with `.body(value)`, or build it field by field with \
                 `.body_map(|b| b.field(..))`.",
                if body.required {
                    "Required,"
                } else {
                    "Optional,"
                }
            );
            if let Some(s) = resolve(spec, schema) {
                if let Some(desc) = &s.schema_data.description {
                    let _ = writeln!(d, "{}", one_line(desc));
                }
                if let SchemaKind::Type(Type::Object(obj)) = &s.schema_kind {
                    let _ = writeln!(d);
                    for (name, prop) in &obj.properties {
                        let req = obj.required.contains(name);
                        let desc = resolve_box(spec, prop)
                            .and_then(|p| p.schema_data.description.clone())
                            .unwrap_or_default();
                        // What an update may set to `null` is a `Change` (codegen/change.rs).
                        let change = match prop {
                            ReferenceOr::Item(p) if nullable_map(spec, p) => {
                                ", a map of [`Change`](crate::Change)s"
                            }
                            ReferenceOr::Item(p) if p.schema_data.nullable && !req => {
                                ", a [`Change`](crate::Change)"
                            }
                            ReferenceOr::Reference { reference }
                                if named_schema(spec, reference)
                                    .is_some_and(|t| nullable_map(spec, t)) =>
                            {
                                ", a map of [`Change`](crate::Change)s"
                            }
                            _ => "",
                        };
                        let _ = writeln!(
                            d,
                            "- `{}` (`{name}`, {}{change}): {}",
                            setter(name),
                            if req { "required" } else { "optional" },
                            one_line(&desc)
                        );
                    }
                    calls.push(body_call(spec, schema, s, obj));
                }
            }
        } else if body.content.contains_key("application/octet-stream") {
            let _ = writeln!(
                d,
                "Required, the raw bytes: `.body(bytes)` (anything `Into<reqwest::Body>`, such as a `Vec<u8>`)."
            );
            calls.push(".body(vec![0u8; 16])".into());
        }
        d.push('\n');
    }

    // Returns.
    let _ = writeln!(d, "# Returns\n");
    let ok = op.responses.responses.iter().find(|(c, _)| is_success(c));
    match ok.and_then(|(_, r)| r.as_item()) {
        Some(resp) => {
            let schema = resp.content.values().next().and_then(|m| m.schema.as_ref());
            match schema {
                Some(s @ ReferenceOr::Reference { .. }) => {
                    let desc = resolve(spec, s)
                        .and_then(|s| s.schema_data.description.clone())
                        .map(|t| format!(" {}", one_line(&t)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        d,
                        "{} (in a `ResponseValue`): {}{desc}\n",
                        type_name(s),
                        one_line(&resp.description)
                    );
                }
                Some(_) => {
                    let n = format!("{}Response", pascal(id));
                    let _ = writeln!(
                        d,
                        "`types::{n}` (in a `ResponseValue`): {}\n",
                        one_line(&resp.description)
                    );
                }
                None => {
                    let _ = writeln!(
                        d,
                        "No body (`ResponseValue<()>`): {}\n",
                        one_line(&resp.description)
                    );
                }
            }
        }
        None => {
            let _ = writeln!(d, "No body.\n");
        }
    }

    // Errors, from the original document.
    let _ = writeln!(d, "# Errors\n");
    let _ = writeln!(
        d,
        "A status the API answers with arrives as [`Error::Api`](crate::Error::Api) \
         ([`Error::status`](crate::Error::status), [`Error::api`](crate::Error::api) for the body, \
         [`Error::code`](crate::Error::code)); no valid answer is another [`Error`](crate::Error) variant \
         (`Transport`, `Timeout`, ...). The document lists:\n"
    );
    for (code, resp) in &op.responses.responses {
        if is_success(code) {
            continue;
        }
        let desc = match resp {
            ReferenceOr::Item(r) => r.description.clone(),
            ReferenceOr::Reference { reference } => spec
                .components
                .as_ref()
                .and_then(|c| c.responses.get(ref_name(reference)))
                .and_then(|r| r.as_item())
                .map(|r| r.description.clone())
                .unwrap_or_default(),
        };
        let reason = match code {
            StatusCode::Code(n) => reqwest_reason(*n),
            StatusCode::Range(_) => "",
        };
        let _ = writeln!(d, "- `{code}` {reason}: {}", one_line(&desc));
    }
    d.push('\n');

    // Example.
    let _ = writeln!(d, "# Example\n");
    let _ = writeln!(d, "```no_run");
    let _ = writeln!(d, "# #[allow(deprecated, unused_imports)]");
    let _ = writeln!(
        d,
        "# async fn example(client: liveblocks::Client) -> Result<(), Box<dyn std::error::Error>> {{"
    );
    let _ = writeln!(d, "# use liveblocks::types;");
    let _ = writeln!(d, "let response = client\n    .{id}()");
    for c in &calls {
        let _ = writeln!(d, "    {c}");
    }
    let _ = writeln!(d, "    .send()\n    .await?;");
    let _ = writeln!(d, "# let _ = response;\n# Ok(())\n# }}\n```\n");

    // SDK names.
    let node = NODE_NAMES
        .iter()
        .find(|(o, _)| *o == id)
        .map(|(_, n)| *n)
        .unwrap_or("—");
    let node = if node == "—" {
        node.to_string()
    } else {
        format!("`Liveblocks.{node}`")
    };
    let _ = writeln!(d, "# SDK names\n");
    let _ = writeln!(d, "- Node (`@liveblocks/node`): {node}");
    let _ = write!(d, "- Python (`liveblocks`): `{id}`");
    d
}

/// The `.body_map(..)` (every example field has a literal form) or `.body(..)` (decoded from the
/// spec's example as JSON) call of an example.
fn body_call(
    spec: &OpenAPI,
    schema: &ReferenceOr<Schema>,
    s: &Schema,
    obj: &openapiv3::ObjectType,
) -> String {
    let example = s.schema_data.example.clone().or_else(|| {
        let fields: serde_json::Map<String, serde_json::Value> = obj
            .properties
            .iter()
            .filter_map(|(n, p)| {
                let e = resolve_box(spec, p).and_then(|p| p.schema_data.example.clone());
                let e = e.or_else(|| obj.required.contains(n).then(|| placeholder(n)));
                e.map(|e| (n.clone(), e))
            })
            .collect();
        Some(serde_json::Value::Object(fields))
    });
    let Some(serde_json::Value::Object(fields)) = example else {
        return ".body_map(|b| b)".into();
    };
    let rendered: Option<Vec<String>> = fields
        .iter()
        .map(|(n, v)| {
            let p = obj.properties.get(n)?;
            let p = match p {
                ReferenceOr::Item(i) => ReferenceOr::Item((**i).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
            };
            render_value(spec, &p, v).map(|v| format!(".{}({v})", setter(n)))
        })
        .collect();
    match (rendered, schema) {
        (Some(calls), _) => format!(".body_map(|b| b{})", calls.join("")),
        // Every request body converts from a `serde_json::Value` (codegen/conversions.rs); a
        // value of the wrong shape is an error from `send()`, before anything is sent.
        (None, ReferenceOr::Reference { .. }) => format!(
            ".body(serde_json::json!({}))",
            json_source(&serde_json::Value::Object(fields))
        ),
        (None, _) => ".body_map(|b| b)".into(),
    }
}

fn reqwest_reason(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}
