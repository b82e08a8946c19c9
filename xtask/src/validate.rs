//! The rules the checked-in document must follow (see `CONTRIBUTING.md` and
//! `../shared/notes/progenitor.md`): what makes progenitor panic or produce a client that
//! breaks when Liveblocks adds something.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use crate::spec::{self, ptr};
use crate::yaml::key_text;

/// The shared error response every 4xx/5xx must reference.
pub const ERROR_RESPONSE: &str = "#/components/responses/Error";
/// The schema of the shared error response.
pub const ERROR_SCHEMA: &str = "#/components/schemas/Error";

/// Every rule the document breaks, one message per problem, each starting with a JSON pointer.
pub fn validate(doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    match doc.get("openapi").and_then(Value::as_str) {
        Some("3.0.3") => {}
        other => errors.push(format!("/openapi: must be \"3.0.3\", found {other:?}")),
    }
    if let Err(e) = serde_yaml::from_value::<openapiv3::OpenAPI>(doc.clone()) {
        errors.push(format!("/: does not parse as OpenAPI 3.0: {e}"));
    }
    check_refs(doc, doc, "", &mut errors);
    check_error_components(doc, &mut errors);
    check_paths(doc, &mut errors);
    check_operations(doc, &mut errors);
    check_schemas(doc, &mut errors);
    check_schema_names(doc, &mut errors);
    check_response_enums(doc, &mut errors);
    errors
}

/// An operationId codegen can turn into Rust names: snake_case (`get_room`), starting with a
/// letter. (`get-rooms` would make `Get-rooms`, not an identifier.)
pub fn is_snake_ident(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.ends_with('_')
        && !id.contains("__")
}

/// A schema name codegen can use as a Rust type name as it is: PascalCase (`RoomEngine`).
pub fn is_pascal_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn check_schema_names(doc: &Value, errors: &mut Vec<String>) {
    let Some(schemas) = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
    else {
        return;
    };
    for name in schemas.keys() {
        let name = key_text(name, "/components/schemas").unwrap_or_default();
        if !is_pascal_ident(&name) {
            errors.push(format!(
                "{}: a schema name must be a PascalCase Rust type name (letters and digits)",
                ptr("/components/schemas", &name)
            ));
        }
    }
}

/// Resolves a local `$ref` (`#/a/b`).
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    let mut node = doc;
    for segment in pointer.split('/').skip(1) {
        let segment = crate::yaml::unescape_pointer(segment);
        node = match node {
            Value::Mapping(m) => m.get(segment.as_str())?,
            Value::Sequence(s) => s.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn check_refs(doc: &Value, node: &Value, pointer: &str, errors: &mut Vec<String>) {
    match node {
        Value::Mapping(map) => {
            for (k, v) in map {
                let key = key_text(k, pointer).unwrap_or_default();
                let p = ptr(pointer, &key);
                if key == "$ref" {
                    match v.as_str() {
                        Some(r) if r.starts_with('#') => {
                            if resolve(doc, r).is_none() {
                                errors.push(format!("{p}: `{r}` does not resolve"));
                            }
                        }
                        _ => {
                            errors.push(format!("{p}: only local references (#/...) are supported"))
                        }
                    }
                } else if !(key == "example" || key == "examples" || key.starts_with("x-")) {
                    check_refs(doc, v, &p, errors);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                check_refs(doc, v, &format!("{pointer}/{i}"), errors);
            }
        }
        _ => {}
    }
}

fn check_error_components(doc: &Value, errors: &mut Vec<String>) {
    let schema_ref = resolve(doc, ERROR_RESPONSE)
        .and_then(|r| r.get("content"))
        .and_then(|c| c.get("application/json"))
        .and_then(|m| m.get("schema"))
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str);
    if schema_ref != Some(ERROR_SCHEMA) {
        errors.push(format!(
            "/components/responses/Error: the shared error response must exist and have an \
             application/json body `$ref: '{ERROR_SCHEMA}'`"
        ));
    }
    if resolve(doc, ERROR_SCHEMA).is_none() {
        errors.push("/components/schemas/Error: the shared Error schema is missing".into());
    }
}

/// Segments of a path template: `Some(name)` for `{name}`, `None` for a literal.
fn template_params(path: &str) -> Vec<(usize, String)> {
    path.split('/')
        .enumerate()
        .filter_map(|(i, seg)| {
            seg.strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .map(|n| (i, n.to_string()))
        })
        .collect()
}

/// The template with every parameter name erased (`/rooms/{}`), up to segment `upto`.
pub fn shape(path: &str, upto: usize) -> String {
    path.split('/')
        .take(upto)
        .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

fn check_paths(doc: &Value, errors: &mut Vec<String>) {
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else {
        errors.push("/paths: missing".into());
        return;
    };
    let mut shapes: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths {
        let path = key_text(path, "/paths").unwrap_or_default();
        let p = ptr("/paths", &path);
        if item.get("$ref").is_some() {
            errors.push(format!("{p}: path items given as $ref are not supported"));
        }
        let full = shape(&path, usize::MAX);
        if let Some(other) = shapes.insert(full, path.clone()) {
            errors.push(format!(
                "{p}: same template as `{other}` with other parameter names"
            ));
        }
    }
}

fn param_key(doc: &Value, param: &Value) -> Option<(String, String, bool)> {
    let param = match param.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, r)?,
        None => param,
    };
    Some((
        param.get("in")?.as_str()?.to_string(),
        param.get("name")?.as_str()?.to_string(),
        param
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    ))
}

/// The object a `$ref` stands for (itself when inline or when the reference does not resolve).
pub fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, r).unwrap_or(value),
        None => value,
    }
}

fn check_operations(doc: &Value, errors: &mut Vec<String>) {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (p, _method, path, op) in spec::operations(doc) {
        match op.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => {
                if !is_snake_ident(id) {
                    errors.push(format!(
                        "{p}/operationId: `{id}` must be snake_case (it names Rust methods and \
                         types)"
                    ));
                }
                if let Some(other) = ids.insert(id.to_string(), p.clone()) {
                    errors.push(format!("{p}: operationId `{id}` is also used by {other}"));
                }
            }
            _ => errors.push(format!("{p}: missing operationId")),
        }
        if op
            .get("tags")
            .and_then(Value::as_sequence)
            .is_none_or(|t| t.is_empty())
        {
            errors.push(format!("{p}: missing tags"));
        }
        if op
            .get("summary")
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            errors.push(format!("{p}: missing summary"));
        }
        // Path parameters: declared (path item or operation) == used in the template.
        let item = doc.get("paths").and_then(|ps| ps.get(path.as_str()));
        let declared: BTreeSet<String> = item
            .and_then(|i| i.get("parameters"))
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .chain(
                op.get("parameters")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten(),
            )
            .filter_map(|prm| param_key(doc, prm))
            .filter(|(location, _, _)| location == "path")
            .map(|(_, name, required)| {
                if !required {
                    errors.push(format!("{p}: path parameter `{name}` must be required"));
                }
                name
            })
            .collect();
        let used: BTreeSet<String> = template_params(&path).into_iter().map(|(_, n)| n).collect();
        for missing in used.difference(&declared) {
            errors.push(format!("{p}: path parameter `{missing}` is not declared"));
        }
        for extra in declared.difference(&used) {
            errors.push(format!(
                "{p}: parameter `{extra}` is not in the path template"
            ));
        }
        if let Some(body) = op.get("requestBody") {
            let bp = format!("{p}/requestBody");
            let body = deref(doc, body);
            check_media(&bp, body, errors);
            match body.get("content").and_then(Value::as_mapping) {
                Some(c) if c.len() > 1 => errors.push(format!(
                    "{bp}/content: one media type per request body (progenitor panics on several)"
                )),
                Some(c) if c.is_empty() => {
                    errors.push(format!("{bp}/content: a request body needs a media type"))
                }
                None => errors.push(format!("{bp}: a request body needs `content`")),
                Some(_) => {}
            }
        }
        check_responses(doc, &p, op, errors);
    }
}

/// The media types of a body: ones the generator handles, each with a schema.
fn check_media(p: &str, holder: &Value, errors: &mut Vec<String>) {
    let Some(content) = holder.get("content").and_then(Value::as_mapping) else {
        return;
    };
    for (media, m) in content {
        let media = key_text(media, p).unwrap_or_default();
        let mp = ptr(&format!("{p}/content"), &media);
        if media.starts_with("multipart/") {
            errors.push(format!(
                "{mp}: {media} bodies are not supported by the generator"
            ));
        } else if !media.contains('/') {
            errors.push(format!("{mp}: `{media}` is not a media type"));
        }
        match m.get("schema") {
            None => errors.push(format!(
                "{mp}: a body needs a schema (the generator fails without one)"
            )),
            Some(schema) if media == "application/octet-stream" => {
                let binary = schema.get("type").and_then(Value::as_str) == Some("string")
                    && schema.get("format").and_then(Value::as_str) == Some("binary");
                if !binary {
                    errors.push(format!(
                        "{mp}/schema: raw bytes are `type: string, format: binary` (the \
                         generator rejects anything else)"
                    ));
                }
            }
            Some(_) => {}
        }
    }
}

fn check_responses(doc: &Value, p: &str, op: &Mapping, errors: &mut Vec<String>) {
    let Some(responses) = op.get("responses").and_then(Value::as_mapping) else {
        errors.push(format!("{p}: missing responses"));
        return;
    };
    let mut success_types = BTreeSet::new();
    for (code, r) in responses {
        let code = key_text(code, p).unwrap_or_default();
        let rp = ptr(&format!("{p}/responses"), &code);
        if code == "default" {
            errors.push(format!(
                "{rp}: `default` responses are not supported: list the statuses (4xx/5xx use \
                 `$ref: '{ERROR_RESPONSE}'`)"
            ));
            continue;
        }
        if code.starts_with('4') || code.starts_with('5') {
            if r.get("$ref").and_then(Value::as_str) != Some(ERROR_RESPONSE) {
                errors.push(format!(
                    "{rp}: error responses must be `$ref: '{ERROR_RESPONSE}'`"
                ));
            }
            continue;
        }
        let resolved = deref(doc, r);
        check_media(&rp, resolved, errors);
        if code.starts_with('2') {
            let content = resolved.get("content").and_then(Value::as_mapping);
            match content {
                Some(c) if c.len() > 1 => {
                    errors.push(format!("{rp}: one media type per success response"));
                }
                Some(c) if !c.is_empty() => {
                    success_types.insert(serde_yaml::to_string(c).unwrap_or_default());
                }
                _ => {
                    success_types.insert(String::new());
                }
            }
        }
    }
    if success_types.len() > 1 {
        errors.push(format!(
            "{p}/responses: the success responses have different types (progenitor accepts one \
             success type per operation)"
        ));
    }
}

fn check_schemas(doc: &Value, errors: &mut Vec<String>) {
    let mut doc = doc.clone();
    spec::visit_schemas_mut(&mut doc, &mut |p, schema| match schema.get("type") {
        Some(Value::String(t)) if t == "null" => errors.push(format!(
            "{p}/type: `type: null` is not supported: use `nullable: true` on the other member"
        )),
        Some(Value::String(_)) | None => {}
        Some(_) => errors.push(format!("{p}/type: must be one type name (OpenAPI 3.0)")),
    });
}

/// Every multi-value enum a response can carry must be a named string enum (which codegen makes
/// an open enum with an `Unknown` catch-all): an inline one would be a closed Rust enum that
/// fails the whole response the day Liveblocks adds a value.
fn check_response_enums(doc: &Value, errors: &mut Vec<String>) {
    let mut visited = BTreeSet::new();
    for (p, _, _, op) in spec::operations(doc) {
        let Some(responses) = op.get("responses").and_then(Value::as_mapping) else {
            continue;
        };
        for (code, r) in responses {
            let code = key_text(code, &p).unwrap_or_default();
            if !code.starts_with('2') {
                continue;
            }
            let Some(content) = deref(doc, r).get("content").and_then(Value::as_mapping) else {
                continue;
            };
            for (media, m) in content {
                let media = key_text(media, &p).unwrap_or_default();
                if let Some(schema) = m.get("schema") {
                    let sp = format!(
                        "{}/schema",
                        ptr(&format!("{p}/responses/{code}/content"), &media)
                    );
                    reachable_enums(doc, schema, &sp, &mut visited, errors);
                }
            }
        }
    }
}

fn reachable_enums(
    doc: &Value,
    schema: &Value,
    p: &str,
    visited: &mut BTreeSet<String>,
    errors: &mut Vec<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if visited.insert(r.to_string())
            && let Some(target) = resolve(doc, r)
        {
            let target_ptr = r.trim_start_matches('#');
            let named = target_ptr.starts_with("/components/schemas/")
                && target_ptr.matches('/').count() == 3;
            if named && is_string_enum(target) {
                return; // an open enum
            }
            reachable_enums(doc, target, target_ptr, visited, errors);
        }
        return;
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_sequence)
        && values.len() > 1
    {
        errors.push(format!(
            "{p}/enum: a multi-value enum in a response must be a named string schema \
             (components/schemas) so the client decodes values added later"
        ));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = schema.get(key).filter(|s| s.is_mapping()) {
            reachable_enums(doc, sub, &format!("{p}/{key}"), visited, errors);
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_mapping) {
        for (name, sub) in props {
            let name = key_text(name, p).unwrap_or_default();
            reachable_enums(
                doc,
                sub,
                &ptr(&format!("{p}/properties"), &name),
                visited,
                errors,
            );
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, sub) in schema
            .get(key)
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .enumerate()
        {
            reachable_enums(doc, sub, &format!("{p}/{key}/{i}"), visited, errors);
        }
    }
}

/// A string schema with more than one enum value (what codegen opens).
pub fn is_string_enum(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema
            .get("enum")
            .and_then(Value::as_sequence)
            .is_some_and(|v| v.len() > 1)
}
