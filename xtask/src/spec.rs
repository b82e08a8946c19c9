//! Walking and normalizing the OpenAPI document as a YAML tree (key order preserved).

use serde_yaml::{Mapping, Value};

use crate::yaml::{escape_pointer, key_text, unescape_pointer};

/// The HTTP methods of a path item, in OpenAPI's order.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Top-level keys, in canonical order (the order of the checked-in document).
const TOP_LEVEL: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "security",
    "paths",
    "components",
    "tags",
    "externalDocs",
];
/// `components` keys, in canonical order.
const COMPONENTS: &[&str] = &[
    "securitySchemes",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "schemas",
];
/// Operation keys, in canonical order; extensions (`x-...`) follow in their own order.
const OPERATION: &[&str] = &[
    "operationId",
    "tags",
    "summary",
    "description",
    "deprecated",
    "security",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "servers",
    "externalDocs",
];
/// Schema keys after which `nullable` is placed (the last one present wins).
const NULLABLE_AFTER: &[&str] = &["$ref", "type", "format", "items", "allOf", "anyOf", "oneOf"];

/// Parses YAML or JSON text into a tree.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{')
        && let Ok(doc) = serde_json::from_str(text)
    {
        return Ok(doc);
    }
    serde_yaml::from_str(text).map_err(|e| format!("invalid YAML or JSON: {e}"))
}

/// A JSON pointer for `parent` + `segment`.
pub fn ptr(parent: &str, segment: &str) -> String {
    format!("{parent}/{}", escape_pointer(segment))
}

/// Splits a JSON pointer into its parent and its (unescaped) last segment.
pub fn split_pointer(pointer: &str) -> Option<(&str, String)> {
    let cut = pointer.rfind('/')?;
    let last = unescape_pointer(&pointer[cut + 1..]);
    Some((&pointer[..cut], last))
}

/// The node at a JSON pointer (`/a/b/0`), for editing.
pub fn pointer_mut<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    let mut node = doc;
    for segment in pointer.split('/').skip(1) {
        let segment = unescape_pointer(segment);
        node = match node {
            Value::Mapping(m) => m.get_mut(segment.as_str())?,
            Value::Sequence(s) => s.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Calls `f` on every `$ref` string of the document (examples and extensions excluded: they are
/// data, not references).
pub fn refs_mut(value: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                match (k.as_str(), v) {
                    (Some("$ref"), Value::String(r)) => f(r),
                    (Some(k), _) if k == "example" || k == "examples" || k.starts_with("x-") => {}
                    (_, v) => refs_mut(v, f),
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| refs_mut(v, f)),
        _ => {}
    }
}

/// `/components/schemas`, for editing.
pub fn schemas_mut(doc: &mut Value) -> Option<&mut Mapping> {
    doc.get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
}

/// The names of the document's component schemas.
pub fn schema_names(doc: &Value) -> std::collections::BTreeSet<String> {
    doc.get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The names a schema's `required` lists.
pub fn required_names(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// A scalar as text (a string as it is, anything else as YAML writes it).
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// `map[key]` as a mapping, if it is one.
pub fn map_mut<'a>(map: &'a mut Mapping, key: &str) -> Option<&'a mut Mapping> {
    map.get_mut(key).and_then(Value::as_mapping_mut)
}

/// Calls `f` on every schema object of the document (pre-order: a schema before the schemas it
/// contains, so `f` may rewrite the keys it then descends into), with its JSON pointer.
pub fn visit_schemas_mut(doc: &mut Value, f: &mut dyn FnMut(&str, &mut Mapping)) {
    let Some(doc) = doc.as_mapping_mut() else {
        return;
    };
    if let Some(paths) = map_mut(doc, "paths") {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_mapping_mut() else {
                continue;
            };
            let p = ptr("/paths", &key_text(path, "").unwrap_or_default());
            visit_params(&format!("{p}/parameters"), item.get_mut("parameters"), f);
            for method in METHODS {
                if let Some(op) = map_mut(item, method) {
                    visit_operation(&ptr(&p, method), op, f);
                }
            }
        }
    }
    if let Some(components) = map_mut(doc, "components") {
        for (section, value) in components.iter_mut() {
            let section = key_text(section, "").unwrap_or_default();
            let Some(entries) = value.as_mapping_mut() else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let p = ptr(
                    &ptr("/components", &section),
                    &key_text(name, "").unwrap_or_default(),
                );
                let Some(entry) = entry.as_mapping_mut() else {
                    continue;
                };
                match section.as_str() {
                    "schemas" => visit_schema(&p, entry, f),
                    "parameters" | "headers" => visit_param(&p, entry, f),
                    "requestBodies" => visit_content(&p, entry, f),
                    "responses" => visit_response(&p, entry, f),
                    _ => {}
                }
            }
        }
    }
}

fn visit_operation(p: &str, op: &mut Mapping, f: &mut dyn FnMut(&str, &mut Mapping)) {
    visit_params(&format!("{p}/parameters"), op.get_mut("parameters"), f);
    if let Some(body) = map_mut(op, "requestBody") {
        visit_content(&format!("{p}/requestBody"), body, f);
    }
    if let Some(responses) = map_mut(op, "responses") {
        for (code, response) in responses.iter_mut() {
            let rp = ptr(
                &format!("{p}/responses"),
                &key_text(code, "").unwrap_or_default(),
            );
            if let Some(response) = response.as_mapping_mut() {
                visit_response(&rp, response, f);
            }
        }
    }
}

fn visit_response(p: &str, response: &mut Mapping, f: &mut dyn FnMut(&str, &mut Mapping)) {
    visit_content(p, response, f);
    if let Some(headers) = map_mut(response, "headers") {
        for (name, header) in headers.iter_mut() {
            let hp = ptr(
                &format!("{p}/headers"),
                &key_text(name, "").unwrap_or_default(),
            );
            if let Some(header) = header.as_mapping_mut() {
                visit_param(&hp, header, f);
            }
        }
    }
}

fn visit_params(p: &str, params: Option<&mut Value>, f: &mut dyn FnMut(&str, &mut Mapping)) {
    let Some(Value::Sequence(params)) = params else {
        return;
    };
    for (i, param) in params.iter_mut().enumerate() {
        if let Some(param) = param.as_mapping_mut() {
            visit_param(&format!("{p}/{i}"), param, f);
        }
    }
}

fn visit_param(p: &str, param: &mut Mapping, f: &mut dyn FnMut(&str, &mut Mapping)) {
    if let Some(schema) = map_mut(param, "schema") {
        visit_schema(&format!("{p}/schema"), schema, f);
    }
    visit_content(p, param, f);
}

/// Visits `holder.content.*.schema`.
fn visit_content(p: &str, holder: &mut Mapping, f: &mut dyn FnMut(&str, &mut Mapping)) {
    let Some(content) = map_mut(holder, "content") else {
        return;
    };
    for (media, value) in content.iter_mut() {
        let mp = ptr(
            &format!("{p}/content"),
            &key_text(media, "").unwrap_or_default(),
        );
        if let Some(schema) = value.as_mapping_mut().and_then(|m| map_mut(m, "schema")) {
            visit_schema(&format!("{mp}/schema"), schema, f);
        }
    }
}

/// Visits a schema and the schemas it contains.
pub fn visit_schema(p: &str, schema: &mut Mapping, f: &mut dyn FnMut(&str, &mut Mapping)) {
    f(p, schema);
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = map_mut(schema, key) {
            visit_schema(&format!("{p}/{key}"), sub, f);
        }
    }
    if let Some(props) = map_mut(schema, "properties") {
        for (name, sub) in props.iter_mut() {
            let sp = ptr(
                &format!("{p}/properties"),
                &key_text(name, "").unwrap_or_default(),
            );
            if let Some(sub) = sub.as_mapping_mut() {
                visit_schema(&sp, sub, f);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Sequence(subs)) = schema.get_mut(key) {
            for (i, sub) in subs.iter_mut().enumerate() {
                if let Some(sub) = sub.as_mapping_mut() {
                    visit_schema(&format!("{p}/{key}/{i}"), sub, f);
                }
            }
        }
    }
}

/// The schema of a request or response body: its media type (`application/json` when given,
/// else the first) and the schema (`Null` when the media type has none).
pub fn media_schema(holder: &Value) -> Option<(&str, &Value)> {
    const NONE: &Value = &Value::Null;
    let content = holder.get("content")?.as_mapping()?;
    let (media, m) = content
        .iter()
        .find(|(k, _)| k.as_str() == Some("application/json"))
        .or_else(|| content.iter().next())?;
    Some((
        media.as_str().unwrap_or_default(),
        m.get("schema").unwrap_or(NONE),
    ))
}

/// Every operation: (JSON pointer, method, path, operation).
pub fn operations(doc: &Value) -> Vec<(String, String, String, &Mapping)> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else {
        return out;
    };
    for (path, item) in paths {
        let path = key_text(path, "").unwrap_or_default();
        let Some(item) = item.as_mapping() else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = item.get(*method).and_then(Value::as_mapping) {
                out.push((
                    ptr(&ptr("/paths", &path), method),
                    method.to_string(),
                    path.clone(),
                    op,
                ));
            }
        }
    }
    out
}

/// Keys as strings, everywhere.
pub fn string_keys(value: &mut Value, pointer: &str) -> Result<(), String> {
    match value {
        Value::Mapping(map) => {
            let old = std::mem::take(map);
            for (k, mut v) in old {
                let key = key_text(&k, pointer)?;
                string_keys(&mut v, &ptr(pointer, &key))?;
                map.insert(Value::String(key), v);
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                string_keys(v, &format!("{pointer}/{i}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Puts the keys named in `order` first, in that order; the others keep their order after them.
fn reorder(map: &mut Mapping, order: &[&str]) {
    let mut old = std::mem::take(map);
    for key in order {
        if let Some(v) = old.shift_remove(*key) {
            map.insert(Value::String((*key).to_string()), v);
        }
    }
    for (k, v) in old {
        map.insert(k, v);
    }
}

fn response_rank(code: &Value) -> (u8, String) {
    let code = code.as_str().unwrap_or_default().to_string();
    if code.starts_with(|c: char| c.is_ascii_digit()) {
        (0, code)
    } else {
        (1, code)
    }
}

/// The project's normal form of the document (see `CONTRIBUTING.md`):
/// - every key a string;
/// - canonical order of the top-level, `components` and operation keys; response status codes
///   sorted; `nullable` right after the keys that give a schema its type;
/// - every other key keeps the author's order.
pub fn normalize(doc: &mut Value) -> Result<(), String> {
    string_keys(doc, "")?;
    let Some(root) = doc.as_mapping_mut() else {
        return Err("the document is not a mapping".into());
    };
    reorder(root, TOP_LEVEL);
    if let Some(components) = map_mut(root, "components") {
        reorder(components, COMPONENTS);
    }
    if let Some(paths) = map_mut(root, "paths") {
        for (_, item) in paths.iter_mut() {
            let Some(item) = item.as_mapping_mut() else {
                continue;
            };
            for method in METHODS {
                let Some(op) = map_mut(item, method) else {
                    continue;
                };
                reorder(op, OPERATION);
                if let Some(responses) = map_mut(op, "responses") {
                    let mut entries: Vec<(Value, Value)> =
                        std::mem::take(responses).into_iter().collect();
                    entries.sort_by_key(|(k, _)| response_rank(k));
                    responses.extend(entries);
                }
            }
        }
    }
    visit_schemas_mut(doc, &mut |_, schema| place_nullable(schema));
    Ok(())
}

fn place_nullable(schema: &mut Mapping) {
    if !schema.contains_key("nullable") {
        return;
    }
    let keys: Vec<Value> = schema.keys().cloned().collect();
    let Some(anchor) = keys
        .iter()
        .rposition(|k| k.as_str().is_some_and(|k| NULLABLE_AFTER.contains(&k)))
    else {
        return;
    };
    let old = std::mem::take(schema);
    let nullable = old.get("nullable").cloned().unwrap_or(Value::Bool(true));
    for (i, (k, v)) in old.into_iter().enumerate() {
        if k.as_str() == Some("nullable") {
            continue;
        }
        schema.insert(k, v);
        if i == anchor {
            schema.insert(Value::String("nullable".into()), nullable.clone());
        }
    }
}

/// Normalizes a document's text: the normalized tree and the exact text `cargo xtask regen`
/// writes (which reads back as that tree).
pub fn canonical(text: &str) -> Result<(Value, String), String> {
    let mut doc = parse(text)?;
    normalize(&mut doc)?;
    let canonical = crate::yaml::to_canonical(&doc)?;
    Ok((doc, canonical))
}
