//! Stage 1 (before and after the 3.1 conversion of `convert.rs`): the upstream document made
//! readable, tolerantly. Every defect becomes a `note:` with its JSON pointer (in the upstream
//! document as given), never an abort:
//!
//! - [`before`] the conversion: schemas placed directly under `/components` move to
//!   `/components/schemas` (with the `$ref`s pointing at them); referenced parameters, request
//!   bodies and responses are inlined and path-level parameters pushed into each operation;
//!   a media type literally named `schema` is read as `application/json`; a request body with
//!   several media types keeps JSON; a body with an example but no schema gets one inferred
//!   from the example; `properties` entries that are not schemas (`properties: {type: object}`)
//!   are lifted into the schema or dropped; 3.1 multi-type unions (`type: [string, object]`)
//!   become a `oneOf` with one member per type; `type: array, format: binary` becomes
//!   `type: string, format: binary`; schema names that are not PascalCase identifiers are
//!   renamed;
//! - [`after`] it: operationIds that are missing, kebab-case or only spell their method and
//!   path (`get-rooms-roomId`) are named like the official SDKs name theirs (`get_room`), and
//!   missing summaries and tags are filled in; inline multi-value enums in responses become
//!   named schemas (`<Parent><Field>`, the way ours are named, so codegen makes them open
//!   enums); the alias table's respellings are applied; the server URL's path (`/v2`) moves
//!   into the paths.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use super::aliases::{self, Aliases};
use super::names::{self, unique};
use crate::spec::{self, METHODS, map_mut, ptr};
use crate::validate::{is_pascal_ident, is_snake_ident};
use crate::yaml::{escape_pointer, key_text, unescape_pointer};

/// The sections OpenAPI defines under `/components`.
const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
];
/// Keys that make a mapping read as a schema.
const SCHEMA_MARKERS: &[&str] = &[
    "type",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "const",
    "$ref",
    "additionalProperties",
];
/// Schema keywords a misplaced `properties` entry may stand for.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "description",
    "title",
    "nullable",
    "default",
    "example",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "readOnly",
    "writeOnly",
    "deprecated",
];

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// The fixes that must happen before the 3.1 conversion.
pub fn before(doc: &mut Value, notes: &mut Vec<String>) -> Result<(), String> {
    spec::string_keys(doc, "")?;
    relocate_component_schemas(doc, notes);
    inline_references(doc);
    for_each_operation(doc, &mut |p, _, _, op| fix_bodies(p, op, notes));
    spec::visit_schemas_mut(doc, &mut |p, schema| {
        fix_properties(p, schema, notes);
        split_type_union(p, schema, notes);
        binary_array(p, schema, notes);
    });
    rename_schemas(doc, notes);
    Ok(())
}

/// The fixes that need the converted document (one success type per operation, 3.0 enums,
/// merged templates).
pub fn after(doc: &mut Value, aliases: &Aliases, notes: &mut Vec<String>) {
    name_operations(doc, aliases, notes);
    name_response_enums(doc, notes);
    apply_aliases(doc, aliases, notes);
    move_server_prefix(doc, notes);
}

/// Calls `f(pointer, method, path, operation)` on every operation.
fn for_each_operation(doc: &mut Value, f: &mut dyn FnMut(&str, &str, &str, &mut Mapping)) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let path = key_text(path, "/paths").unwrap_or_default();
        let Some(item) = item.as_mapping_mut() else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = map_mut(item, method) {
                f(&ptr(&ptr("/paths", &path), method), method, &path, op);
            }
        }
    }
}

fn looks_like_schema(v: &Value) -> bool {
    v.as_mapping()
        .is_some_and(|m| SCHEMA_MARKERS.iter().any(|k| m.contains_key(*k)))
}

/// Rewrites every `$ref` that `f` maps; returns how many it rewrote.
fn rewrite_refs(doc: &mut Value, f: &dyn Fn(&str) -> Option<String>) -> usize {
    let mut count = 0;
    spec::refs_mut(doc, &mut |r| {
        if let Some(new) = f(r) {
            *r = new;
            count += 1;
        }
    });
    count
}

/// Schemas placed directly under `/components` (`/components/Room`) move to
/// `/components/schemas`, and the `$ref`s pointing at them follow.
fn relocate_component_schemas(doc: &mut Value, notes: &mut Vec<String>) {
    let Some(components) = doc.get_mut("components").and_then(Value::as_mapping_mut) else {
        return;
    };
    let misplaced: Vec<String> = components
        .keys()
        .filter_map(Value::as_str)
        .filter(|k| !SECTIONS.contains(k) && !k.starts_with("x-"))
        .map(str::to_string)
        .collect();
    let mut moved = Vec::new();
    for name in misplaced {
        let p = ptr("/components", &name);
        let Some(value) = components.shift_remove(name.as_str()) else {
            continue;
        };
        if !looks_like_schema(&value) {
            notes.push(format!(
                "{p}: neither a component section nor a schema; dropped"
            ));
            continue;
        }
        let schemas = components
            .entry(s("schemas"))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Some(schemas) = schemas.as_mapping_mut() {
            if schemas.contains_key(name.as_str()) {
                notes.push(format!(
                    "{p}: a schema directly under /components; /components/schemas/{} exists, \
                     so this copy is dropped",
                    escape_pointer(&name)
                ));
            } else {
                schemas.insert(s(&name), value);
            }
        }
        moved.push((p, name));
    }
    for (p, name) in moved {
        let old = format!("#/components/{}", escape_pointer(&name));
        let new = format!("#/components/schemas/{}", escape_pointer(&name));
        let count = rewrite_refs(doc, &|r| {
            (r == old || r.starts_with(&format!("{old}/")))
                .then(|| format!("{new}{}", &r[old.len()..]))
        });
        notes.push(format!(
            "{p}: a schema directly under /components; moved to /components/schemas/{} ({count} \
             $ref(s) rewritten)",
            escape_pointer(&name)
        ));
    }
}

/// Inlines referenced parameters, request bodies and responses (but the shared `Error`
/// response) and drops their components, and pushes path-level parameters into each operation,
/// so that every operation carries all of its own definition (lossless: nothing is noted).
fn inline_references(doc: &mut Value) {
    let components = doc.get("components").cloned().unwrap_or(Value::Null);
    let resolve = |v: &mut Value, section: &str| {
        let Some(name) = v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(&format!("#/components/{section}/")))
            .map(unescape_pointer)
        else {
            return;
        };
        if section == "responses" && name == "Error" {
            return;
        }
        let Some(mut target) = components
            .get(section)
            .and_then(|c| c.get(name.as_str()))
            .cloned()
        else {
            return;
        };
        // 3.1 Reference objects may carry a summary or description overriding the target's.
        if let (Some(t), Some(m)) = (target.as_mapping_mut(), v.as_mapping()) {
            for (k, val) in m {
                if k.as_str() != Some("$ref") {
                    t.insert(k.clone(), val.clone());
                }
            }
        }
        *v = target;
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    for (_, item) in paths.iter_mut() {
        let Some(item) = item.as_mapping_mut() else {
            continue;
        };
        let mut shared = match item.shift_remove("parameters") {
            Some(Value::Sequence(list)) => list,
            _ => Vec::new(),
        };
        shared.iter_mut().for_each(|p| resolve(p, "parameters"));
        for method in METHODS {
            let Some(op) = map_mut(item, method) else {
                continue;
            };
            if let Some(Value::Sequence(params)) = op.get_mut("parameters") {
                params.iter_mut().for_each(|p| resolve(p, "parameters"));
            }
            if !shared.is_empty() {
                let params = op
                    .entry(s("parameters"))
                    .or_insert_with(|| Value::Sequence(Vec::new()));
                if let Value::Sequence(params) = params {
                    let key = |p: &Value| (p.get("in").cloned(), p.get("name").cloned());
                    let mut merged: Vec<Value> = shared
                        .iter()
                        .filter(|s| !params.iter().any(|p| key(p) == key(s)))
                        .cloned()
                        .collect();
                    merged.append(params);
                    *params = merged;
                }
            }
            if let Some(body) = op.get_mut("requestBody") {
                resolve(body, "requestBodies");
            }
            if let Some(responses) = map_mut(op, "responses") {
                for (_, r) in responses.iter_mut() {
                    resolve(r, "responses");
                }
            }
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_mapping_mut) {
        components.shift_remove("parameters");
        components.shift_remove("requestBodies");
        if let Some(responses) = map_mut(components, "responses") {
            responses.retain(|name, _| name.as_str() == Some("Error"));
        }
    }
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json") || media.ends_with("/json")
}

fn fix_bodies(p: &str, op: &mut Mapping, notes: &mut Vec<String>) {
    if let Some(body) = map_mut(op, "requestBody") {
        fix_content(&format!("{p}/requestBody"), body, true, notes);
    }
    if let Some(responses) = map_mut(op, "responses") {
        for (code, r) in responses.iter_mut() {
            let code = key_text(code, p).unwrap_or_default();
            if let Some(r) = r.as_mapping_mut().filter(|r| !r.contains_key("$ref"))
                && code.starts_with('2')
            {
                fix_content(&ptr(&format!("{p}/responses"), &code), r, false, notes);
            }
        }
    }
}

/// The media types of a request or response body.
fn fix_content(p: &str, holder: &mut Mapping, request: bool, notes: &mut Vec<String>) {
    let Some(content) = map_mut(holder, "content") else {
        return;
    };
    let cp = format!("{p}/content");
    if let Some(value) = content.shift_remove("schema") {
        // `content: {schema: ...}`: a schema (or a media type object) under no media type.
        let media = if value.get("schema").is_some() {
            value
        } else {
            let mut m = Mapping::new();
            m.insert(s("schema"), value);
            Value::Mapping(m)
        };
        if content.contains_key("application/json") {
            notes.push(format!(
                "{cp}/schema: not a media type; dropped (application/json is given)"
            ));
        } else {
            notes.push(format!(
                "{cp}/schema: not a media type; read as application/json"
            ));
            content.insert(s("application/json"), media);
        }
    }
    if request && content.len() > 1 {
        let keys: Vec<String> = content
            .keys()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let keep = keys
            .iter()
            .find(|k| is_json(k))
            .or_else(|| keys.iter().find(|k| *k == "application/octet-stream"))
            .unwrap_or(&keys[0])
            .clone();
        content.retain(|k, _| k.as_str() == Some(keep.as_str()));
        notes.push(format!(
            "{cp}: {} media types ({}); kept {keep} (the client sends one)",
            keys.len(),
            keys.join(", ")
        ));
    }
    for (media, m) in content.iter_mut() {
        let media = key_text(media, &cp).unwrap_or_default();
        if m.is_null() {
            *m = Value::Mapping(Mapping::new());
        }
        let Some(m) = m.as_mapping_mut() else {
            continue;
        };
        if m.contains_key("schema") {
            continue;
        }
        let example = m.get("example").cloned().or_else(|| {
            m.get("examples")
                .and_then(Value::as_mapping)
                .and_then(|e| e.values().next())
                .and_then(|e| e.get("value"))
                .cloned()
        });
        let (schema, how) = match example {
            Some(e) if is_json(&media) => (
                infer(&e),
                "inferred from the example (every field optional)",
            ),
            _ if is_json(&media) => (Value::Mapping(Mapping::new()), "any JSON value"),
            _ if media.starts_with("text/") => (
                serde_yaml::from_str("type: string").unwrap_or_default(),
                "text",
            ),
            _ => (
                serde_yaml::from_str("{type: string, format: binary}").unwrap_or_default(),
                "raw bytes",
            ),
        };
        let rest = std::mem::take(m);
        m.insert(s("schema"), schema);
        m.extend(rest);
        notes.push(format!("{}/schema: missing; {how}", ptr(&cp, &media)));
    }
}

/// A schema for a JSON example: its types, every field optional.
fn infer(example: &Value) -> Value {
    let mut m = Mapping::new();
    match example {
        Value::Null => {
            m.insert(s("nullable"), Value::Bool(true));
        }
        Value::Bool(_) => {
            m.insert(s("type"), s("boolean"));
        }
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            m.insert(s("type"), s("integer"));
        }
        Value::Number(_) => {
            m.insert(s("type"), s("number"));
        }
        Value::String(_) => {
            m.insert(s("type"), s("string"));
        }
        Value::Sequence(items) => {
            m.insert(s("type"), s("array"));
            m.insert(
                s("items"),
                items
                    .first()
                    .map(infer)
                    .unwrap_or_else(|| Value::Mapping(Mapping::new())),
            );
        }
        Value::Mapping(fields) => {
            m.insert(s("type"), s("object"));
            let props: Mapping = fields.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            if !props.is_empty() {
                m.insert(s("properties"), Value::Mapping(props));
            }
        }
        Value::Tagged(_) => {}
    }
    Value::Mapping(m)
}

/// `properties` entries that are not schemas: a schema keyword (`properties: {type: object}`)
/// moves up into the schema when the schema does not set it, anything else is dropped.
fn fix_properties(p: &str, schema: &mut Mapping, notes: &mut Vec<String>) {
    match schema.get("properties") {
        None | Some(Value::Mapping(_)) => {}
        Some(_) => {
            schema.shift_remove("properties");
            notes.push(format!("{p}/properties: not a map of schemas; dropped"));
            return;
        }
    }
    let (bad, now_empty) = {
        let Some(props) = map_mut(schema, "properties") else {
            return;
        };
        let bad: Vec<(String, Value)> = props
            .iter()
            .filter(|(_, v)| !v.is_mapping())
            .map(|(k, v)| (key_text(k, p).unwrap_or_default(), v.clone()))
            .collect();
        props.retain(|_, v| v.is_mapping());
        (bad, props.is_empty())
    };
    for (key, value) in bad {
        let kp = ptr(&format!("{p}/properties"), &key);
        if SCHEMA_KEYWORDS.contains(&key.as_str()) && !schema.contains_key(key.as_str()) {
            notes.push(format!(
                "{kp}: `{}` is not a schema but the schema's own `{key}`; moved to {}",
                spec::scalar_text(&value),
                ptr(p, &key)
            ));
            schema.insert(s(&key), value);
        } else {
            notes.push(format!("{kp}: not a schema; dropped"));
        }
    }
    if now_empty {
        schema.shift_remove("properties");
    }
}

/// The member types a schema keyword belongs to, in a `type: [...]` union.
fn keyword_types(key: &str, value: &Value) -> Option<&'static [&'static str]> {
    Some(match key {
        "format" => match value.as_str() {
            Some("int32" | "int64") => &["integer"],
            Some("float" | "double") => &["number"],
            _ => &["string"],
        },
        "pattern" | "minLength" | "maxLength" | "contentEncoding" | "contentMediaType" => {
            &["string"]
        }
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            &["integer", "number"]
        }
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            &["object"]
        }
        "items" | "minItems" | "maxItems" | "uniqueItems" => &["array"],
        _ => return None,
    })
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Sequence(_) => "array",
        Value::Mapping(_) => "object",
        _ => "null",
    }
}

/// `type: [string, object]` (3.1): a `oneOf` with one member per type, each with the keywords
/// of its type (`integer` is folded into `number` when both are listed); `"null"` in the list
/// makes the schema nullable.
fn split_type_union(p: &str, schema: &mut Mapping, notes: &mut Vec<String>) {
    let Some(Value::Sequence(list)) = schema.get("type") else {
        return;
    };
    let list: Vec<String> = list
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let nullable = list.iter().any(|t| t == "null");
    let mut types: Vec<String> = Vec::new();
    for t in list.into_iter().filter(|t| t != "null") {
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if types.contains(&"integer".to_string()) && types.contains(&"number".to_string()) {
        types.retain(|t| t != "integer");
    }
    if types.len() < 2 {
        // One type (plus "null"): the 3.1 conversion writes `type: T` + `nullable: true`.
        let mut rest: Vec<Value> = types.iter().map(|t| s(t)).collect();
        if nullable {
            rest.push(s("null"));
        }
        schema.insert(s("type"), Value::Sequence(rest));
        return;
    }
    let old = std::mem::take(schema);
    let mut members: Vec<Mapping> = types
        .iter()
        .map(|t| {
            let mut m = Mapping::new();
            m.insert(s("type"), s(t));
            m
        })
        .collect();
    for (k, v) in old {
        let key = k.as_str().unwrap_or_default().to_string();
        if key == "type" {
            schema.insert(s("oneOf"), Value::Null);
            if nullable {
                schema.insert(s("nullable"), Value::Bool(true));
            }
        } else if key == "enum" {
            for value in v.as_sequence().into_iter().flatten() {
                let t = match value_type(value) {
                    "integer" if !types.iter().any(|t| t == "integer") => "number",
                    t => t,
                };
                if let Some(i) = types.iter().position(|x| x == t) {
                    let list = members[i]
                        .entry(s("enum"))
                        .or_insert_with(|| Value::Sequence(Vec::new()));
                    if let Value::Sequence(list) = list {
                        list.push(value.clone());
                    }
                }
            }
        } else if let Some(owners) = keyword_types(&key, &v) {
            for (t, m) in types.iter().zip(members.iter_mut()) {
                if owners.contains(&t.as_str()) {
                    m.insert(k.clone(), v.clone());
                }
            }
        } else {
            schema.insert(k, v);
        }
    }
    schema.insert(
        s("oneOf"),
        Value::Sequence(members.into_iter().map(Value::Mapping).collect()),
    );
    notes.push(format!(
        "{p}/type: [{}] is written as a oneOf with one member per type{}",
        types.join(", "),
        if nullable { ", nullable" } else { "" }
    ));
}

/// `type: array, format: binary` (raw bytes) is `type: string, format: binary`.
fn binary_array(p: &str, schema: &mut Mapping, notes: &mut Vec<String>) {
    if schema.get("type").and_then(Value::as_str) == Some("array")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
    {
        schema.insert(s("type"), s("string"));
        schema.shift_remove("items");
        notes.push(format!(
            "{p}: `type: array, format: binary` is raw bytes; read as `type: string, format: binary`"
        ));
    }
}

/// Schema names that are not PascalCase identifiers (`room-data`, `Get-rooms`) are renamed.
fn rename_schemas(doc: &mut Value, notes: &mut Vec<String>) {
    let Some(schemas) = spec::schemas_mut(doc) else {
        return;
    };
    let mut taken: BTreeSet<String> = schemas
        .keys()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for name in taken.clone() {
        if is_pascal_ident(&name) {
            continue;
        }
        let new = unique(&names::schema_name(&name), "", &taken);
        taken.insert(new.clone());
        renames.insert(name, new);
    }
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(schemas);
    for (k, v) in old {
        let key = k.as_str().unwrap_or_default().to_string();
        match renames.get(&key) {
            Some(new) => schemas.insert(s(new), v),
            None => schemas.insert(k, v),
        };
    }
    for (old, new) in &renames {
        let from = format!("#/components/schemas/{}", escape_pointer(old));
        let count = rewrite_refs(doc, &|r| {
            (r == from).then(|| format!("#/components/schemas/{new}"))
        });
        notes.push(format!(
            "{}: not a Rust type name; renamed `{new}` ({count} $ref(s) rewritten)",
            ptr("/components/schemas", old)
        ));
    }
}

/// operationIds in our convention; missing summaries and tags.
fn name_operations(doc: &mut Value, aliases: &Aliases, notes: &mut Vec<String>) {
    let mut used: BTreeSet<String> = BTreeSet::new();
    for_each_operation(doc, &mut |_, _, _, op| {
        if let Some(id) = op.get("operationId").and_then(Value::as_str)
            && is_snake_ident(id)
        {
            used.insert(id.to_string());
        }
    });
    for_each_operation(doc, &mut |p, method, path, op| {
        let ours = aliases.path(path);
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string);
        let named = match id.as_deref() {
            Some(id) if is_snake_ident(id) => None,
            Some(id) if names::spells_method_and_path(id, method, path) => Some((
                names::operation_name(method, &ours),
                format!("`{id}` only spells the method and path"),
            )),
            Some(id) if !id.trim().is_empty() => {
                Some((names::snake(id), format!("`{id}` is not snake_case")))
            }
            _ => Some((names::operation_name(method, &ours), "missing".to_string())),
        };
        if let Some((mut new, why)) = named {
            if !is_snake_ident(&new) {
                new = format!("{method}_{new}");
            }
            new = unique(&new, "_", &used);
            used.insert(new.clone());
            op.insert(s("operationId"), s(&new));
            notes.push(format!("{p}/operationId: {why}; named `{new}`"));
        }
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if op
            .get("summary")
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            let summary = names::summary(op.get("description").and_then(Value::as_str), &id);
            notes.push(format!("{p}/summary: missing; `{summary}`"));
            op.insert(s("summary"), s(&summary));
        }
        if op
            .get("tags")
            .and_then(Value::as_sequence)
            .is_none_or(|t| t.is_empty())
        {
            let first = ours
                .split('/')
                .find(|seg| !seg.is_empty() && !seg.starts_with('{') && !names::is_version(seg))
                .unwrap_or("default");
            let tag = names::pascal(first);
            notes.push(format!("{p}/tags: missing; `{tag}`"));
            op.insert(s("tags"), Value::Sequence(vec![s(&tag)]));
        }
    });
}

/// Inline multi-value enums in success responses become named schemas: a string enum is
/// named `<Parent><Field>` (like ours: `Room` + `engine`... = `RoomEngine`), so that codegen
/// makes it an open enum; any other closed enum is dropped (a value added later would fail the
/// whole response).
fn name_response_enums(doc: &mut Value, notes: &mut Vec<String>) {
    let mut namer = EnumNamer {
        taken: spec::schema_names(doc),
        named: Vec::new(),
        queue: Vec::new(),
        notes,
    };
    for_each_operation(doc, &mut |p, _, _, op| {
        let base = format!(
            "{}Response",
            names::pascal(
                op.get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("op")
            )
        );
        let Some(responses) = map_mut(op, "responses") else {
            return;
        };
        for (code, r) in responses.iter_mut() {
            let code = key_text(code, p).unwrap_or_default();
            if !code.starts_with('2') {
                continue;
            }
            let rp = ptr(&format!("{p}/responses"), &code);
            let Some(content) = r.as_mapping_mut().and_then(|r| map_mut(r, "content")) else {
                continue;
            };
            for (media, m) in content.iter_mut() {
                let mp = ptr(
                    &format!("{rp}/content"),
                    &key_text(media, p).unwrap_or_default(),
                );
                if let Some(schema) = m.as_mapping_mut().and_then(|m| map_mut(m, "schema")) {
                    namer.walk(&format!("{mp}/schema"), schema, &base, false);
                }
            }
        }
    });
    let Some(schemas) = spec::schemas_mut(doc) else {
        return;
    };
    let mut done = BTreeSet::new();
    while let Some(name) = namer.queue.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas
            .get_mut(name.as_str())
            .and_then(Value::as_mapping_mut)
        {
            namer.walk(&ptr("/components/schemas", &name), schema, &name, true);
        }
    }
    for (name, schema) in namer.named {
        schemas.insert(s(&name), Value::Mapping(schema));
    }
}

struct EnumNamer<'n> {
    taken: BTreeSet<String>,
    named: Vec<(String, Mapping)>,
    /// Component schemas reachable from a response, still to walk.
    queue: Vec<String>,
    notes: &'n mut Vec<String>,
}

impl EnumNamer<'_> {
    fn walk(&mut self, p: &str, schema: &mut Mapping, base: &str, named_root: bool) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            if let Some(name) = r.strip_prefix("#/components/schemas/") {
                self.queue.push(unescape_pointer(name));
            }
            return;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_sequence)
            && values.len() > 1
        {
            let ty = schema
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_string);
            let strings = values.iter().all(Value::is_string);
            if ty.as_deref() == Some("string") || (ty.is_none() && strings) {
                if !named_root {
                    let name = unique(base, "", &self.taken);
                    self.taken.insert(name.clone());
                    let nullable = schema.shift_remove("nullable");
                    let mut body = std::mem::take(schema);
                    if !body.contains_key("type") {
                        let rest = std::mem::take(&mut body);
                        body.insert(s("type"), s("string"));
                        body.extend(rest);
                    }
                    let mut reference = Mapping::new();
                    reference.insert(s("$ref"), s(&format!("#/components/schemas/{name}")));
                    if nullable.as_ref().and_then(Value::as_bool) == Some(true) {
                        schema.insert(s("allOf"), Value::Sequence(vec![Value::Mapping(reference)]));
                        schema.insert(s("nullable"), Value::Bool(true));
                    } else {
                        *schema = reference;
                    }
                    self.notes.push(format!(
                        "{p}: a multi-value enum inline in a response; named `{name}` (an open \
                         enum, like ours)"
                    ));
                    self.named.push((name, body));
                }
            } else {
                let ty = ty.unwrap_or_else(|| "untyped".into());
                schema.shift_remove("enum");
                self.notes.push(format!(
                    "{p}/enum: a closed {ty} enum in a response would fail on a value added \
                     later; kept as a plain {ty}"
                ));
            }
            return;
        }
        if let Some(props) = map_mut(schema, "properties") {
            for (name, sub) in props.iter_mut() {
                let name = key_text(name, p).unwrap_or_default();
                if let Some(sub) = sub.as_mapping_mut() {
                    let sp = ptr(&format!("{p}/properties"), &name);
                    self.walk(&sp, sub, &format!("{base}{}", names::pascal(&name)), false);
                }
            }
        }
        if let Some(items) = map_mut(schema, "items") {
            let item_base = if named_root {
                format!("{base}Item")
            } else {
                base.to_string()
            };
            self.walk(&format!("{p}/items"), items, &item_base, false);
        }
        if let Some(values) = map_mut(schema, "additionalProperties") {
            self.walk(
                &format!("{p}/additionalProperties"),
                values,
                &format!("{base}Value"),
                false,
            );
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Sequence(members)) = schema.get_mut(key) {
                let single = members.len() == 1;
                for (i, m) in members.iter_mut().enumerate() {
                    if let Some(m) = m.as_mapping_mut() {
                        let member_base = if single {
                            base.to_string()
                        } else {
                            format!("{base}{}", i + 1)
                        };
                        self.walk(&format!("{p}/{key}/{i}"), m, &member_base, false);
                    }
                }
            }
        }
    }
}

/// `https://api.liveblocks.io/v2` -> (`https://api.liveblocks.io`, `/v2`).
fn split_url(url: &str) -> (String, String) {
    let host_start = url.find("://").map_or(0, |i| i + 3);
    match url[host_start..].find('/') {
        Some(i) => {
            let cut = host_start + i;
            (
                url[..cut].to_string(),
                url[cut..].trim_end_matches('/').to_string(),
            )
        }
        None => (url.to_string(), String::new()),
    }
}

/// The server URL's path (`https://api.liveblocks.io/v2`) moves into every path (`/v2/rooms`),
/// where ours has it.
fn move_server_prefix(doc: &mut Value, notes: &mut Vec<String>) {
    let Some(url) = doc
        .get("servers")
        .and_then(|s| s.get(0))
        .and_then(|s| s.get("url"))
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return;
    };
    let (origin, prefix) = split_url(&url);
    if prefix.is_empty() {
        return;
    }
    if let Some(Value::Sequence(servers)) = doc.get_mut("servers") {
        for (i, server) in servers.iter_mut().enumerate() {
            let Some(u) = server
                .get("url")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                continue;
            };
            let (o, path) = split_url(&u);
            if path == prefix {
                let o = if o.is_empty() { "/".to_string() } else { o };
                if let Some(m) = server.as_mapping_mut() {
                    m.insert(s("url"), s(&o));
                }
            } else {
                notes.push(format!(
                    "/servers/{i}/url: `{u}` has another path than `{prefix}` (the first \
                     server's); kept as it is"
                ));
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    let old = std::mem::take(paths);
    let count = old.len();
    for (k, v) in old {
        let key = k.as_str().unwrap_or_default();
        if key == prefix || key.starts_with(&format!("{prefix}/")) {
            paths.insert(k, v);
        } else {
            paths.insert(s(&format!("{prefix}{key}")), v);
        }
    }
    notes.push(format!(
        "/servers/0/url: `{url}` has the path `{prefix}`; moved into the {count} paths (the \
         server is `{origin}`)"
    ));
}

/// The alias table's respellings, applied to paths, parameter names and field names.
fn apply_aliases(doc: &mut Value, aliases: &Aliases, notes: &mut Vec<String>) {
    if aliases.segments.is_empty() && aliases.names.is_empty() {
        return;
    }
    let file = aliases::FILE;
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) {
        let old = std::mem::take(paths);
        let keys: BTreeSet<String> = old
            .keys()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        for (k, v) in old {
            let key = k.as_str().unwrap_or_default().to_string();
            let new = aliases.path(&key);
            if new == key {
                paths.insert(k, v);
            } else if keys.contains(&new) {
                notes.push(format!(
                    "{}: upstream also has `{new}`; kept as it is",
                    ptr("/paths", &key)
                ));
                paths.insert(k, v);
            } else {
                notes.push(format!(
                    "{}: upstream's `{key}` is our `{new}` ({file})",
                    ptr("/paths", &key)
                ));
                paths.insert(s(&new), v);
            }
        }
    }
    for_each_operation(doc, &mut |p, _, _, op| {
        let Some(Value::Sequence(params)) = op.get_mut("parameters") else {
            return;
        };
        for (i, prm) in params.iter_mut().enumerate() {
            let Some(prm) = prm.as_mapping_mut() else {
                continue;
            };
            let Some(name) = prm.get("name").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let new = aliases.name(&name);
            if new != name {
                notes.push(format!(
                    "{p}/parameters/{i}/name: upstream's `{name}` is our `{new}` ({file})"
                ));
                prm.insert(s("name"), s(new));
            }
        }
    });
    spec::visit_schemas_mut(doc, &mut |p, schema| {
        if let Some(props) = map_mut(schema, "properties") {
            let old = std::mem::take(props);
            for (k, v) in old {
                let key = k.as_str().unwrap_or_default().to_string();
                let new = aliases.name(&key);
                if new != key && !props.contains_key(new) {
                    notes.push(format!(
                        "{}: upstream's `{key}` is our `{new}` ({file})",
                        ptr(&format!("{p}/properties"), &key)
                    ));
                    props.insert(s(new), v);
                } else {
                    props.insert(k, v);
                }
            }
        }
        if let Some(Value::Sequence(required)) = schema.get_mut("required") {
            for r in required.iter_mut() {
                if let Some(name) = r.as_str().map(str::to_string) {
                    *r = s(aliases.name(&name));
                }
            }
        }
    });
}
