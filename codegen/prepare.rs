//! Step 1: the document progenitor sees (error responses removed, response-only constants
//! opened, reference links added to descriptions).

use super::*;

/// Step 1: the document progenitor sees (error responses removed, response-only constants
/// opened).
pub fn prepare(spec: &OpenAPI, unions: &[TaggedUnion]) -> Result<OpenAPI, String> {
    let mut spec = spec.clone();
    open_response_constants(&mut spec, unions);
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            return Err(format!(
                "{path}: path items given as $ref are not supported"
            ));
        };
        for (method, op) in operations_with_methods(item) {
            op.responses.responses.retain(|code, _| is_success(code));
            op.responses.default = None;
            let link = format!("Reference: <{}>", reference_url(method, path));
            op.description = Some(match op.description.take() {
                Some(text) => format!("{}\n\n{link}", text.trim_end()),
                None => link,
            });
        }
    }
    Ok(spec)
}

/// A one-value string enum on a property of a schema that only responses use (`Room.type`:
/// always `room`) would be a closed Rust enum: a value Liveblocks adds later would fail the
/// whole response. Such constants become plain strings (the document still says which value to
/// expect). Members of tagged unions keep their one-value enums (they select the variant), and
/// so do schemas that requests use (the constant is then what the caller must send).
pub fn open_response_constants(spec: &mut OpenAPI, unions: &[TaggedUnion]) {
    let union_members: std::collections::BTreeSet<&str> = unions
        .iter()
        .flat_map(|u| u.members.iter().map(|(_, member, _)| member.as_str()))
        .collect();
    let requested = request_schemas(spec);
    let Some(components) = spec.components.as_mut() else {
        return;
    };
    for (name, schema) in components.schemas.iter_mut() {
        if union_members.contains(name.as_str()) || requested.contains(name) {
            continue;
        }
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::Object(obj)) = &mut schema.schema_kind else {
            continue;
        };
        for prop in obj.properties.values_mut() {
            let ReferenceOr::Item(prop) = prop else {
                continue;
            };
            if let SchemaKind::Type(Type::String(s)) = &mut prop.schema_kind
                && s.enumeration.len() == 1
            {
                s.enumeration.clear();
            }
        }
    }
}

/// Names of the component schemas reachable from a request body or a parameter.
pub fn request_schemas(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
    let mut roots = Vec::new();
    for item in spec.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                for media in body.content.values() {
                    if let Some(schema) = &media.schema {
                        roots.push(serde_json::to_value(schema).unwrap_or_default());
                    }
                }
            }
            for param in op.parameters.iter().chain(item.parameters.iter()) {
                roots.push(serde_json::to_value(param).unwrap_or_default());
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let schemas = spec.components.as_ref().map(|c| &c.schemas);
    while let Some(value) = roots.pop() {
        let mut refs = Vec::new();
        collect_refs(&value, &mut refs);
        for name in refs {
            if seen.insert(name.clone())
                && let Some(schema) = schemas.and_then(|s| s.get(&name))
            {
                roots.push(serde_json::to_value(schema).unwrap_or_default());
            }
        }
    }
    seen
}

pub fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(serde_json::Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_string());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The Liveblocks REST API reference page.
pub const REFERENCE_PAGE: &str = "https://liveblocks.io/docs/api-reference/rest-api-endpoints";

/// The link to an endpoint's entry in the API reference: the page's anchors are the lowercase
/// method and the path after `/v2`, with `/` turned into `-` and the parameter braces dropped
/// (`GET /v2/rooms/{roomId}` is `#get-rooms-roomId`).
pub fn reference_url(method: &str, path: &str) -> String {
    let rest = path.strip_prefix("/v2").unwrap_or(path);
    let anchor: String = rest
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.trim_start_matches('{').trim_end_matches('}'))
        .collect::<Vec<_>>()
        .join("-");
    format!("{REFERENCE_PAGE}#{}-{anchor}", method.to_ascii_lowercase())
}

pub fn operations_with_methods(
    item: &mut openapiv3::PathItem,
) -> impl Iterator<Item = (&'static str, &mut openapiv3::Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
        ("head", &mut item.head),
        ("options", &mut item.options),
        ("trace", &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_mut().map(|op| (method, op)))
}

pub fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}
