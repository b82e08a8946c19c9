//! Step 4 (docs): every generated `Client` method documents itself. Its rustdoc is written
//! from the original document (before `prepare.rs` drops the error responses): summary and
//! description, reference link, `# Parameters`, `# Body`, `# Returns`, `# Errors`, a compiling
//! `no_run` `# Example` built from the spec's own examples, and `# SDK names`.

use super::*;

#[path = "sdk_names.rs"]
mod sdk_names;
pub use sdk_names::{NONE, SDK_NAMES};

/// The rustdoc of each operation's `Client` method, by operationId; `changes` says which body
/// fields are [`Change`](crate::Change)s.
pub fn method_docs(spec: &OpenAPI, changes: &ChangeSites) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(id) = op.operation_id.clone() else {
                continue;
            };
            out.insert(
                id.clone(),
                method_doc(spec, changes, method, path, item, op, &id),
            );
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
pub fn setter(name: &str) -> String {
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
            let n = rust_type_name(ref_name(reference));
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
                let n = rust_type_name(ref_name(reference));
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
            // A bare literal beyond `i32` would not compile (`i32` is inferred).
            matches!(s, ReferenceOr::Item(_)).then(|| json_source(value))
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

/// Rust source for the argument of a body field's setter, in the short forms the setters take
/// (`codegen/conversions.rs`): `["room:write"]` for a permission list, an array of pairs for a
/// map (`[("color", "blue")]`, `[("alice", ["room:write"])]`), else [`render_value`]. `None`
/// (the example then uses `.body(json!(..))`) for an optional nullable field (its setter's
/// type is being reworked) or a map with nullable values.
fn render_field(
    spec: &OpenAPI,
    s: &ReferenceOr<Schema>,
    value: &serde_json::Value,
    required: bool,
) -> Option<String> {
    let schema = resolve(spec, s)?;
    if !required && schema.schema_data.nullable {
        return None;
    }
    if let Some(list) = permission_list(spec, s, value) {
        return Some(list);
    }
    if let (SchemaKind::Type(Type::Object(obj)), serde_json::Value::Object(entries)) =
        (&schema.schema_kind, value)
        && obj.properties.is_empty()
        && matches!(s, ReferenceOr::Reference { .. })
    {
        let openapiv3::AdditionalProperties::Schema(values) = obj.additional_properties.as_ref()?
        else {
            return None;
        };
        if entries.is_empty() {
            return None;
        }
        let values = match &**values {
            ReferenceOr::Item(i) => ReferenceOr::Item(i.clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
        };
        let rendered: Option<Vec<(String, String)>> = entries
            .iter()
            .map(|(k, v)| map_value(spec, &values, v).map(|v| (format!("{k:?}"), v)))
            .collect();
        let rendered = rendered?;
        // One array of pairs has one value type: all strings, or lists of one length.
        let shape = |v: &serde_json::Value| v.as_array().map(Vec::len);
        let first = entries.values().next().map(shape);
        let same = entries.values().all(|v| Some(shape(v)) == first);
        return same.then(|| {
            format!(
                "[{}]",
                rendered
                    .iter()
                    .map(|(k, v)| format!("({k}, {v})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    }
    let rendered = render_value(spec, s, value)?;
    if required {
        return Some(rendered);
    }
    // typify's setter of an optional field takes `TryInto<Option<T>>`: a `T` converts (integers
    // are `i64`, which a literal infers, `_i64` past `i32`), a `&str` does not.
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) if t.enumeration.is_empty() => {
            Some(format!("{rendered}.to_string()"))
        }
        _ => Some(rendered),
    }
}

/// `["room:write"]` for a non-empty list of permission strings (`IntoPermissions`).
fn permission_list(
    spec: &OpenAPI,
    s: &ReferenceOr<Schema>,
    value: &serde_json::Value,
) -> Option<String> {
    let schema = resolve(spec, s)?;
    let (SchemaKind::Type(Type::Array(a)), serde_json::Value::Array(vs)) =
        (&schema.schema_kind, value)
    else {
        return None;
    };
    let Some(ReferenceOr::Reference { reference }) = &a.items else {
        return None;
    };
    if ref_name(reference) != "Permission" || vs.is_empty() {
        return None;
    }
    string_array(vs)
}

/// `["a", "b"]` for a list of strings.
fn string_array(vs: &[serde_json::Value]) -> Option<String> {
    let items: Option<Vec<String>> = vs
        .iter()
        .map(|v| v.as_str().map(|s| format!("{s:?}")))
        .collect();
    Some(format!("[{}]", items?.join(", ")))
}

/// A map value in an array of pairs: a string for a string (or a value enum with a string
/// member, which converts from `&str`), a list of strings for a permission list (or a value
/// enum with a list-of-strings member); `None` for anything else, or a nullable value.
fn map_value(spec: &OpenAPI, s: &ReferenceOr<Schema>, value: &serde_json::Value) -> Option<String> {
    let schema = resolve(spec, s)?;
    if schema.schema_data.nullable {
        return None;
    }
    if let Some(list) = permission_list(spec, s, value) {
        return Some(list);
    }
    let members: Vec<&Schema> = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of } => {
            one_of.iter().filter_map(|m| resolve(spec, m)).collect()
        }
        _ => vec![schema],
    };
    let plain_string = |m: &&Schema| {
        matches!(&m.schema_kind, SchemaKind::Type(Type::String(t))
            if t.enumeration.is_empty()
                && matches!(t.format, openapiv3::VariantOrUnknownOrEmpty::Empty))
    };
    let string_list = |m: &&Schema| {
        matches!(&m.schema_kind, SchemaKind::Type(Type::Array(a))
            if matches!(&a.items, Some(ReferenceOr::Item(i))
                if matches!(&i.schema_kind, SchemaKind::Type(Type::String(t)) if t.enumeration.is_empty())))
    };
    match value {
        serde_json::Value::String(v) if members.iter().any(plain_string) => Some(format!("{v:?}")),
        serde_json::Value::Array(vs)
            if members.len() > 1 && members.iter().filter(|m| string_list(m)).count() == 1 =>
        {
            string_array(vs)
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
    changes: &ChangeSites,
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
            // Only a struct body (an object with properties) has a typify builder and `body_map`.
            let is_struct = resolve(spec, schema).is_some_and(|s| {
                matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty())
            });
            let by_field = match schema {
                ReferenceOr::Reference { reference } if is_struct => {
                    let n = type_builder_name(ref_name(reference));
                    format!(
                        ", or build it field by field with `.body_map(|b| b.field(..))` (`b` is a \
                         [`types::builder::{n}`](crate::types::builder::{n}))"
                    )
                }
                _ => String::new(),
            };
            let _ = writeln!(
                d,
                "{} {ty}: pass a value with `.body(value)` (a `serde_json::Value` too){by_field}.",
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
                        let body_name = match schema {
                            ReferenceOr::Reference { reference } => ref_name(reference),
                            ReferenceOr::Item(_) => "",
                        };
                        let change = if changes.is_map(body_name, name, prop) {
                            ", a map of [`Change`](crate::Change)s"
                        } else if changes.is_field(body_name, name) {
                            ", a [`Change`](crate::Change)"
                        } else {
                            ""
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

    d.push_str(&sdk_names_section(id));
    d
}

/// The `# SDK names` section of an operation's doc (also on the blocking method): the same
/// operation in the Node and Python SDKs, from [`SDK_NAMES`].
pub fn sdk_names_section(id: &str) -> String {
    let entry = SDK_NAMES.iter().find(|e| e.operation == id);
    let code = |class: &str, name: &str| {
        if name == NONE {
            NONE.to_string()
        } else if name.contains('.') {
            format!("`{name}`")
        } else {
            format!("`{class}.{name}`")
        }
    };
    let (node, python) = match entry {
        Some(e) => {
            let names = |name: &str, also: &[&str]| {
                let main = code("Liveblocks", name);
                if also.is_empty() {
                    return main;
                }
                let also: Vec<String> = also.iter().map(|n| code("Liveblocks", n)).collect();
                let also = also.join(", ");
                if name == NONE {
                    format!("{main} (helpers: {also})")
                } else {
                    format!("{main}; helpers: {also}")
                }
            };
            (names(e.node, e.node_also), names(e.python, e.python_also))
        }
        // tests/docs.rs checks every operation has an entry.
        None => ("not recorded".to_string(), "not recorded".to_string()),
    };
    format!("# SDK names\n\n- Node (`@liveblocks/node`): {node}\n- Python (`liveblocks`): {python}")
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
                let schema = resolve_box(spec, p);
                let e = schema.and_then(|p| p.schema_data.example.clone());
                let e = e.or_else(|| {
                    obj.required
                        .contains(n)
                        .then(|| match schema.map(|s| &s.schema_kind) {
                            Some(SchemaKind::Type(Type::Array(_))) => serde_json::json!([]),
                            Some(SchemaKind::Type(Type::Object(_))) => serde_json::json!({}),
                            Some(SchemaKind::Type(Type::Boolean(_))) => serde_json::json!(false),
                            Some(SchemaKind::Type(Type::Integer(_))) => serde_json::json!(1),
                            _ => placeholder(n),
                        })
                });
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
            render_field(spec, &p, v, obj.required.contains(n))
                .map(|v| format!(".{}({v})", setter(n)))
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
