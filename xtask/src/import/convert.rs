//! Stage 2 of `cargo xtask regen --from PATH`: the upstream document, already made readable by
//! `normalise.rs`, converted from OpenAPI 3.1 (or 3.0) to the 3.0.3 form the project checks in.
//!
//! 3.1 down-conversion (in every schema):
//! - `type: [T, "null"]` becomes `type: T` + `nullable: true`; a `{type: "null"}` member of a
//!   `oneOf`/`anyOf` is removed and makes the schema `nullable` (a single remaining `$ref`
//!   member becomes `allOf: [$ref]`, a single inline member is merged into the schema);
//! - `const: v` becomes `enum: [v]` (with `type: string` for a string when no type is given);
//! - `examples: [a, ...]` becomes `example: a` (a note says how many were dropped);
//! - numeric `exclusiveMinimum: n` becomes `minimum: n` + `exclusiveMinimum: true` (the
//!   stricter bound wins when both are given), same for the maximum;
//! - `contentEncoding: base64` becomes `format: byte`, `contentMediaType` `format: binary`;
//! - `$ref` siblings: documentation-only siblings (`description`, `summary`, `title`,
//!   `$comment`) are dropped with a note, because OpenAPI 3.0 ignores them and wrapping them
//!   in `allOf` would give every use site its own generated Rust type; any other sibling
//!   (`nullable`, `default`, `readOnly`, ...) is kept by wrapping: `{allOf: [{$ref}], ...}`.
//!
//! Project normalizations: every 4xx/5xx response becomes `$ref: '#/components/responses/Error'`
//! (created when missing), `default` responses are removed, one success type per operation
//! (the first 2xx with a body is kept), templates that differ only in parameter names are
//! merged into one path item (`{name}` + `{uploadId}` = `{nameOrUploadId}`).
//!
//! Everything lossy is reported as a note; everything OpenAPI 3.0 cannot express is an error
//! with its JSON pointer, and nothing is written.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use crate::spec::{self, METHODS, map_mut, ptr};
use crate::validate::{ERROR_RESPONSE, ERROR_SCHEMA, shape};
use crate::yaml::key_text;

/// JSON Schema keywords OpenAPI 3.0 has no equivalent for.
const UNSUPPORTED: &[&str] = &[
    "$defs",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "contentSchema",
];
/// `$ref` siblings that only document: dropped (with a note).
const DOC_SIBLINGS: &[&str] = &["description", "summary", "title", "$comment"];

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Converts an upstream document in place; errors are unsupported constructs, by JSON pointer.
pub fn convert(doc: &mut Value, notes: &mut Vec<String>) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        return Err(vec![format!(
            "/openapi: expected 3.0.x or 3.1.x, found {version:?}"
        )]);
    }
    let Some(root) = doc.as_mapping_mut() else {
        return Err(vec!["/: the document is not a mapping".into()]);
    };
    root.insert(s("openapi"), s("3.0.3"));
    top_level(root, &mut errors, notes);
    spec::visit_schemas_mut(doc, &mut |p, schema| {
        convert_schema(p, schema, &mut errors, notes)
    });
    if let Some(root) = doc.as_mapping_mut() {
        operations(root, &mut errors, notes);
        error_components(root, notes);
        merge_clashing_templates(root, &mut errors, notes);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn top_level(root: &mut Mapping, errors: &mut Vec<String>, notes: &mut Vec<String>) {
    if root
        .get("webhooks")
        .and_then(Value::as_mapping)
        .is_some_and(|w| !w.is_empty())
    {
        errors.push("/webhooks: OpenAPI 3.0 cannot describe webhooks".into());
    }
    root.shift_remove("webhooks");
    if root.shift_remove("jsonSchemaDialect").is_some() {
        notes.push("/jsonSchemaDialect: dropped (OpenAPI 3.0 has one dialect)".into());
    }
    if let Some(info) = map_mut(root, "info") {
        if info.shift_remove("summary").is_some() {
            notes.push("/info/summary: dropped (OpenAPI 3.1 only)".into());
        }
        if let Some(license) = map_mut(info, "license")
            && license.shift_remove("identifier").is_some()
        {
            notes.push("/info/license/identifier: dropped (OpenAPI 3.1 only)".into());
        }
    }
    if let Some(components) = map_mut(root, "components")
        && components.contains_key("pathItems")
    {
        errors.push("/components/pathItems: OpenAPI 3.0 has no reusable path items".into());
    }
    if let Some(paths) = map_mut(root, "paths") {
        for (path, item) in paths.iter() {
            if item.get("$ref").is_some() {
                let path = key_text(path, "/paths").unwrap_or_default();
                errors.push(format!(
                    "{}/$ref: path items given as $ref are not supported",
                    ptr("/paths", &path)
                ));
            }
        }
    }
}

/// Rebuilds `map` with `key` replaced by `new` entries at its position.
fn replace_key(map: &mut Mapping, key: &str, new: Vec<(Value, Value)>) {
    let old = std::mem::take(map);
    let mut new = Some(new);
    for (k, v) in old {
        if k.as_str() == Some(key) {
            for (nk, nv) in new.take().into_iter().flatten() {
                map.insert(nk, nv);
            }
        } else {
            map.insert(k, v);
        }
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.as_mapping().is_some_and(|m| {
        m.get("type").and_then(Value::as_str) == Some("null")
            && m.keys()
                .all(|k| matches!(k.as_str(), Some("type" | "description" | "title")))
    })
}

fn convert_schema(
    p: &str,
    schema: &mut Mapping,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    for key in UNSUPPORTED {
        if schema.contains_key(*key) {
            errors.push(format!(
                "{p}/{}: not supported by OpenAPI 3.0",
                crate::yaml::escape_pointer(key)
            ));
        }
    }
    // $ref siblings.
    if schema.contains_key("$ref") && schema.len() > 1 {
        let keys: Vec<String> = schema
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect();
        for k in keys.iter().filter(|k| DOC_SIBLINGS.contains(&k.as_str())) {
            schema.shift_remove(k.as_str());
            notes.push(format!(
                "{p}/{k}: dropped (a $ref carries no siblings in OpenAPI 3.0)"
            ));
        }
        if schema.len() > 1 {
            let reference = schema.shift_remove("$ref").unwrap_or(Value::Null);
            let mut member = Mapping::new();
            member.insert(s("$ref"), reference);
            let rest = std::mem::take(schema);
            schema.insert(s("allOf"), Value::Sequence(vec![Value::Mapping(member)]));
            schema.extend(rest);
        }
    }
    // type: [T, "null"]
    if let Some(Value::Sequence(types)) = schema.get("type").cloned() {
        let nullable = types.iter().any(|t| t.as_str() == Some("null"));
        let rest: Vec<Value> = types
            .into_iter()
            .filter(|t| t.as_str() != Some("null"))
            .collect();
        match rest.as_slice() {
            [one] => {
                let mut new = vec![(s("type"), one.clone())];
                if nullable {
                    new.push((s("nullable"), Value::Bool(true)));
                }
                replace_key(schema, "type", new);
            }
            _ => errors.push(format!(
                "{p}/type: one type (plus \"null\") is all OpenAPI 3.0 can express"
            )),
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        errors.push(format!(
            "{p}/type: a `null` schema outside a oneOf/anyOf cannot be expressed"
        ));
    }
    // oneOf/anyOf with a null member.
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(members)) = schema.get(key).cloned() else {
            continue;
        };
        if !members.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = members.into_iter().filter(|m| !is_null_schema(m)).collect();
        let nullable = (s("nullable"), Value::Bool(true));
        match rest.as_slice() {
            [] => errors.push(format!("{p}/{key}: only `null` members")),
            [one] if one.get("$ref").is_some() => {
                replace_key(
                    schema,
                    key,
                    vec![(s("allOf"), Value::Sequence(vec![one.clone()])), nullable],
                );
            }
            [Value::Mapping(one)] if one.keys().all(|k| !schema.contains_key(k)) => {
                let mut new: Vec<(Value, Value)> = one.clone().into_iter().collect();
                new.push(nullable);
                replace_key(schema, key, new);
            }
            _ => replace_key(schema, key, vec![(s(key), Value::Sequence(rest)), nullable]),
        }
    }
    // const
    if let Some(value) = schema.get("const").cloned() {
        if schema.contains_key("enum") {
            errors.push(format!("{p}/const: both `const` and `enum`"));
        } else {
            let mut new = Vec::new();
            if value.is_string() && !schema.contains_key("type") {
                new.push((s("type"), s("string")));
            }
            new.push((s("enum"), Value::Sequence(vec![value])));
            replace_key(schema, "const", new);
        }
    }
    // examples
    if let Some(examples) = schema.get("examples").cloned() {
        match examples {
            Value::Sequence(list) if !schema.contains_key("example") => {
                if list.len() > 1 {
                    notes.push(format!(
                        "{p}/examples: kept the first of {} examples",
                        list.len()
                    ));
                }
                match list.into_iter().next() {
                    Some(first) => replace_key(schema, "examples", vec![(s("example"), first)]),
                    None => {
                        schema.shift_remove("examples");
                    }
                }
            }
            _ => {
                schema.shift_remove("examples");
                notes.push(format!("{p}/examples: dropped (`example` is given)"));
            }
        }
    }
    exclusive_bound(schema, "exclusiveMinimum", "minimum", |ex, m| ex >= m);
    exclusive_bound(schema, "exclusiveMaximum", "maximum", |ex, m| ex <= m);
    // Binary strings.
    let encoding = schema.shift_remove("contentEncoding");
    let media = schema.shift_remove("contentMediaType");
    if (encoding.is_some() || media.is_some()) && !schema.contains_key("format") {
        let format = if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
            "byte"
        } else {
            "binary"
        };
        schema.insert(s("format"), s(format));
    }
}

/// Numeric `exclusiveMinimum: n` -> `minimum: n` + `exclusiveMinimum: true`.
fn exclusive_bound(schema: &mut Mapping, ex_key: &str, key: &str, stricter: fn(f64, f64) -> bool) {
    let Some(Value::Number(ex)) = schema.get(ex_key).cloned() else {
        return;
    };
    let ex_f = ex.as_f64().unwrap_or(0.0);
    match schema.get(key).and_then(Value::as_f64) {
        Some(m) if !stricter(ex_f, m) => {
            schema.shift_remove(ex_key);
        }
        Some(_) => {
            schema.insert(s(key), Value::Number(ex));
            schema.insert(s(ex_key), Value::Bool(true));
        }
        None => replace_key(
            schema,
            ex_key,
            vec![(s(key), Value::Number(ex)), (s(ex_key), Value::Bool(true))],
        ),
    }
}

fn error_ref() -> Value {
    let mut m = Mapping::new();
    m.insert(s("$ref"), s(ERROR_RESPONSE));
    Value::Mapping(m)
}

fn operations(root: &mut Mapping, errors: &mut Vec<String>, notes: &mut Vec<String>) {
    let components = root.get("components").cloned().unwrap_or(Value::Null);
    let Some(paths) = map_mut(root, "paths") else {
        return;
    };
    let mut replaced = Vec::new();
    for (path, item) in paths.iter_mut() {
        let path = key_text(path, "/paths").unwrap_or_default();
        let Some(item) = item.as_mapping_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(op) = map_mut(item, method) else {
                continue;
            };
            let p = ptr(&ptr("/paths", &path), method);
            for key in ["requestBody"] {
                if let Some(body) = map_mut(op, key) {
                    strip_ref_siblings(&format!("{p}/{key}"), body, notes);
                }
            }
            if let Some(Value::Sequence(params)) = op.get_mut("parameters") {
                for (i, prm) in params.iter_mut().enumerate() {
                    if let Some(prm) = prm.as_mapping_mut() {
                        strip_ref_siblings(&format!("{p}/parameters/{i}"), prm, notes);
                    }
                }
            }
            let Some(responses) = map_mut(op, "responses") else {
                errors.push(format!("{p}/responses: missing"));
                continue;
            };
            if responses.shift_remove("default").is_some() {
                notes.push(format!(
                    "{p}/responses/default: removed (every non-success status is a liveblocks::Error)"
                ));
            }
            let mut successes: Vec<(String, Value)> = Vec::new();
            for (code, response) in responses.iter_mut() {
                let code = key_text(code, &p).unwrap_or_default();
                if code.starts_with('4') || code.starts_with('5') {
                    if *response != error_ref() {
                        replaced.push(format!("{p}/responses/{code}"));
                        *response = error_ref();
                    }
                } else if code.starts_with('2') {
                    if let Some(m) = response.as_mapping_mut() {
                        strip_ref_siblings(&format!("{p}/responses/{code}"), m, notes);
                        one_media_type(&format!("{p}/responses/{code}"), m, notes);
                    }
                    let resolved = match response.get("$ref").and_then(Value::as_str) {
                        Some(r) => r
                            .strip_prefix("#/components/responses/")
                            .and_then(|n| components.get("responses").and_then(|rs| rs.get(n)))
                            .cloned()
                            .unwrap_or(Value::Null),
                        None => response.clone(),
                    };
                    successes.push((
                        code,
                        resolved.get("content").cloned().unwrap_or(Value::Null),
                    ));
                }
            }
            let distinct: Vec<&Value> = successes.iter().fold(Vec::new(), |mut acc, (_, c)| {
                let c = if c.as_mapping().is_some_and(|m| m.is_empty()) {
                    &Value::Null
                } else {
                    c
                };
                if !acc.contains(&c) {
                    acc.push(c);
                }
                acc
            });
            if distinct.len() > 1 {
                let keep = successes
                    .iter()
                    .find(|(_, c)| c.as_mapping().is_some_and(|m| !m.is_empty()))
                    .map(|(code, _)| code.clone())
                    .unwrap_or_default();
                let dropped: Vec<String> = successes
                    .iter()
                    .map(|(c, _)| c.clone())
                    .filter(|c| *c != keep)
                    .collect();
                for code in &dropped {
                    responses.shift_remove(code.as_str());
                }
                notes.push(format!(
                    "{p}/responses: one success type per operation: kept {keep}, removed {}",
                    dropped.join(", ")
                ));
            }
        }
    }
    if !replaced.is_empty() {
        notes.push(format!(
            "{} error response(s) now use `$ref: '{ERROR_RESPONSE}'` (first: {})",
            replaced.len(),
            replaced[0]
        ));
    }
}

/// A Reference object with `summary`/`description` siblings (3.1): keeps the `$ref`.
fn strip_ref_siblings(p: &str, m: &mut Mapping, notes: &mut Vec<String>) {
    if m.contains_key("$ref") && m.len() > 1 {
        let keys: Vec<String> = m
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect();
        for k in keys.iter().filter(|k| k.as_str() != "$ref") {
            m.shift_remove(k.as_str());
            notes.push(format!(
                "{p}/{k}: dropped (a $ref carries no siblings in OpenAPI 3.0)"
            ));
        }
    }
}

/// Keeps one media type in a success response (`application/json` when present).
fn one_media_type(p: &str, response: &mut Mapping, notes: &mut Vec<String>) {
    let Some(content) = map_mut(response, "content") else {
        return;
    };
    if content.len() <= 1 {
        return;
    }
    let keep = if content.contains_key("application/json") {
        "application/json".to_string()
    } else {
        content
            .keys()
            .next()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let dropped: Vec<String> = content
        .keys()
        .filter_map(Value::as_str)
        .filter(|k| *k != keep)
        .map(str::to_string)
        .collect();
    content.retain(|k, _| k.as_str() == Some(keep.as_str()));
    notes.push(format!(
        "{p}/content: kept {keep}, removed {}",
        dropped.join(", ")
    ));
}

/// The project's Error schema, used when the upstream document has none.
const DEFAULT_ERROR_SCHEMA: &str = "
type: object
description: The body of every error response.
properties:
  error:
    type: string
    description: Machine-readable error code.
  message:
    type: string
    description: Human-readable explanation.
  suggestion:
    type: string
    description: What to do about it.
  docs:
    type: string
    description: Link to the documentation.
";

fn error_components(root: &mut Mapping, notes: &mut Vec<String>) {
    let components = root
        .entry(s("components"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    let Some(components) = components.as_mapping_mut() else {
        return;
    };
    let schemas = components
        .entry(s("schemas"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Some(schemas) = schemas.as_mapping_mut()
        && !schemas.contains_key("Error")
    {
        let schema: Value = serde_yaml::from_str(DEFAULT_ERROR_SCHEMA).unwrap_or(Value::Null);
        schemas.insert(s("Error"), schema);
        notes.push("/components/schemas/Error: added the project's Error schema".into());
    }
    let responses = components
        .entry(s("responses"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Some(responses) = responses.as_mapping_mut() {
        let wanted: Value = serde_yaml::from_str(&format!(
            "description: An error; the body says what went wrong.\ncontent:\n  application/json:\n    schema:\n      $ref: '{ERROR_SCHEMA}'\n"
        ))
        .unwrap_or(Value::Null);
        let ok = responses
            .get("Error")
            .and_then(|r| r.get("content"))
            .and_then(|c| c.get("application/json"))
            .and_then(|m| m.get("schema"))
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
            == Some(ERROR_SCHEMA);
        if !ok {
            if responses.contains_key("Error") {
                notes.push(
                    "/components/responses/Error: replaced by the shared Error response".into(),
                );
            }
            responses.insert(s("Error"), wanted);
        }
    }
}

fn capitalize(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Templates equal but for their parameter names become one path item.
fn merge_clashing_templates(root: &mut Mapping, errors: &mut Vec<String>, notes: &mut Vec<String>) {
    let Some(paths) = map_mut(root, "paths") else {
        return;
    };
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in paths.keys().filter_map(Value::as_str) {
        groups
            .entry(shape(path, usize::MAX))
            .or_default()
            .push(path.to_string());
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        // The merged name of every parameter segment.
        let split: Vec<Vec<&str>> = group.iter().map(|p| p.split('/').collect()).collect();
        let mut merged: Vec<String> = Vec::new();
        for (i, seg) in split[0].iter().enumerate() {
            if seg.starts_with('{') {
                let mut names: Vec<String> = Vec::new();
                for segs in &split {
                    let n = segs[i].trim_matches(|c| c == '{' || c == '}').to_string();
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                let name = names[0].clone()
                    + &names[1..]
                        .iter()
                        .map(|n| format!("Or{}", capitalize(n)))
                        .collect::<String>();
                merged.push(format!("{{{name}}}"));
            } else {
                merged.push(seg.to_string());
            }
        }
        let new_path = merged.join("/");
        let mut item = Mapping::new();
        for path in group {
            let renames: BTreeMap<String, String> = path
                .split('/')
                .zip(merged.iter())
                .filter(|(a, b)| a != b)
                .map(|(a, b)| {
                    (
                        a.trim_matches(|c| c == '{' || c == '}').to_string(),
                        b.trim_matches(|c| c == '{' || c == '}').to_string(),
                    )
                })
                .collect();
            let Some(Value::Mapping(old)) = paths.get(path.as_str()).cloned() else {
                continue;
            };
            for (k, mut v) in old {
                let key = k.as_str().unwrap_or_default().to_string();
                rename_path_params(
                    &ptr(&ptr("/paths", path), &key),
                    &mut v,
                    &key,
                    &renames,
                    errors,
                );
                if key == "parameters" {
                    if let (Some(Value::Sequence(have)), Value::Sequence(add)) =
                        (item.get_mut("parameters"), &v)
                    {
                        for prm in add {
                            if !have.contains(prm) {
                                have.push(prm.clone());
                            }
                        }
                        continue;
                    }
                } else if item.contains_key(&k) {
                    errors.push(format!(
                        "{}: `{path}` and another template of `{new_path}` both define {key}",
                        ptr("/paths", path)
                    ));
                    continue;
                }
                item.insert(k, v);
            }
        }
        // Replace the group by the merged item, at the position of its first member.
        let old = std::mem::take(paths);
        let mut item = Some(item);
        for (k, v) in old {
            let key = k.as_str().unwrap_or_default();
            if group.iter().any(|g| g == key) {
                if let Some(item) = item.take() {
                    paths.insert(s(&new_path), Value::Mapping(item));
                }
            } else {
                paths.insert(k, v);
            }
        }
        notes.push(format!(
            "/paths: merged {} into `{new_path}` (one parameter name per segment)",
            group.join(", ")
        ));
    }
}

fn rename_path_params(
    p: &str,
    value: &mut Value,
    key: &str,
    renames: &BTreeMap<String, String>,
    errors: &mut Vec<String>,
) {
    if renames.is_empty() {
        return;
    }
    let params = if key == "parameters" {
        Some(value)
    } else if METHODS.contains(&key) {
        value.get_mut("parameters")
    } else {
        None
    };
    let Some(Value::Sequence(params)) = params else {
        return;
    };
    for prm in params.iter_mut() {
        if prm.get("$ref").is_some() {
            errors.push(format!(
                "{p}: a referenced parameter cannot be renamed for the merge"
            ));
            continue;
        }
        let is_path = prm.get("in").and_then(Value::as_str) == Some("path");
        if let (true, Some(m)) = (is_path, prm.as_mapping_mut())
            && let Some(name) = m.get("name").and_then(Value::as_str).map(str::to_string)
            && let Some(new) = renames.get(&name)
        {
            m.insert(s("name"), s(new));
        }
    }
}
