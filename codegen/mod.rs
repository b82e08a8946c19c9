//! The one progenitor configuration of the `liveblocks` crate.
//!
//! `build.rs` includes this file (`#[path = "codegen/mod.rs"]`) to generate the client into
//! `OUT_DIR`, and `cargo xtask regen` includes it to write the readable copy, so both always run
//! the same generator with the same settings.
//!
//! What happens to the checked-in document, in order:
//! 1. Error responses are dropped before progenitor sees the document: every 4xx/5xx shares one
//!    `Error` schema, and the hand-written layer (`src/response.rs`) turns any non-success status
//!    into `liveblocks::Error` itself, keeping the status even when the body is not JSON.
//! 2. Named multi-value string enums become open enums with an `Unknown(String)` catch-all, and
//!    named `oneOf` unions whose members carry a one-value tag become tagged enums with an
//!    `Unknown(serde_json::Value)` catch-all; both are swapped in with typify replacements, so a
//!    value Liveblocks adds later decodes instead of failing the whole response.
//! 3. progenitor generates the builder-style client.
//! 4. The output is post-processed: the generated constructors are removed (the hand-written
//!    `Client::builder()` builds the client), every builder's `send()` returns
//!    `liveblocks::Error`, and a table of operation facts (method, path template, idempotency,
//!    credential family) is appended for the hooks.
//! 5. With the cargo feature `blocking` (build.rs sees `CARGO_FEATURE_BLOCKING`), a second file
//!    is generated from the post-processed builders: one `liveblocks::blocking::Client` method
//!    and one `liveblocks::blocking::builder` wrapper per operation ([`blocking_tokens`]).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};

/// Operations whose `Client` method is hand-written (`src/session.rs`: `identify_user(user_id)`
/// with validation); their generated builders stay available in the `builder` module.
pub const HAND_WRITTEN: &[&str] = &["identify_user"];

/// Module path (inside the crate) where the generated file is included.
pub const GENERATED_MODULE: &str = "crate::generated";

/// Reads the OpenAPI document (YAML or JSON).
pub fn load(path: &std::path::Path) -> Result<OpenAPI, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses an OpenAPI 3.0.x document from YAML or JSON text.
pub fn parse(text: &str) -> Result<OpenAPI, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// Generates the whole client as (unformatted) Rust source.
pub fn generate(spec: &OpenAPI) -> Result<String, String> {
    generate_all(spec, false).map(|(client, _)| client)
}

/// Generates the client and, when `blocking` is true, the blocking wrappers of the cargo
/// feature `blocking` (see [`blocking_tokens`]) as a second (unformatted) Rust source.
pub fn generate_all(spec: &OpenAPI, blocking: bool) -> Result<(String, Option<String>), String> {
    // `prepare` keeps the unions as they are, so they are found once, in the original document.
    let unions = tagged_unions(spec)?;
    let prepared = prepare(spec, &unions)?;
    let open_enums = open_enums(&prepared);

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::client::Inner))
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap");
    for e in &open_enums {
        settings.with_replacement(
            &e.name,
            format!("{GENERATED_MODULE}::types::{}", e.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    for u in &unions {
        settings.with_replacement(
            &u.name,
            format!("{GENERATED_MODULE}::types::{}", u.name),
            std::iter::empty(),
        );
    }
    let mut generator = Generator::new(&settings);
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&prepared)
    }))
    .map_err(|_| "progenitor panicked (see the shapes to avoid in the notes)".to_string())?
    .map_err(|e| e.to_string())?;

    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor output does not parse: {e}"))?;
    let mut extra_types: Vec<TokenStream> = open_enums.iter().map(open_enum_tokens).collect();
    extra_types.extend(unions.iter().map(union_tokens));
    let streams = list_streams(spec)?;
    let clearable = clearable_fields(spec);
    postprocess(
        &mut file,
        extra_types,
        streams,
        &clearable,
        &deprecated_operations(spec),
    )?;
    let blocking = if blocking {
        Some(text_snippets(blocking_tokens(&file)?.to_string()))
    } else {
        None
    };
    let operations = operations_table(spec)?;
    let mut out = text_snippets(quote!(#file).to_string());
    out.push('\n');
    out.push_str(&operations.to_string());
    out.push('\n');
    Ok((out, blocking))
}

/// progenitor's per-method usage snippets use placeholder variables, so they cannot compile as
/// doctests: they are shown as plain text instead of a hundred-odd ignored doctests.
fn text_snippets(code: String) -> String {
    code.replace("```ignore", "```text")
}

/// Step 1: the document progenitor sees (error responses removed, response-only constants
/// opened).
fn prepare(spec: &OpenAPI, unions: &[TaggedUnion]) -> Result<OpenAPI, String> {
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
fn open_response_constants(spec: &mut OpenAPI, unions: &[TaggedUnion]) {
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
fn request_schemas(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
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

fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
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

fn operations_with_methods(
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

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Open enums

/// A named string enum made forward compatible.
pub struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    pub values: Vec<String>,
}

/// Every named string enum with more than one value.
pub fn open_enums(spec: &OpenAPI) -> Vec<OpenEnum> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return out;
    };
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
            let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
            if values.len() > 1 {
                out.push(OpenEnum {
                    name: name.clone(),
                    description: schema.schema_data.description.clone(),
                    values,
                });
            }
        }
    }
    out
}

/// The Rust variant name for a wire value (`room:presence:write` -> `RoomPresenceWrite`,
/// `*:read` -> `AllRead`, `gpt-4o` -> `Gpt4o`, `24h` -> `V24h`).
pub fn variant_name(wire: &str) -> String {
    let mut name = String::new();
    for part in wire
        .replace('*', " all ")
        .split(|c: char| !c.is_ascii_alphanumeric())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    match name.as_str() {
        "Self" => "SelfValue".into(),
        "Unknown" => "UnknownValue".into(),
        _ => name,
    }
}

fn unique_names(values: &[String]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    values
        .iter()
        .map(|v| {
            let base = variant_name(v);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}{n}") }
        })
        .collect()
}

fn doc_tokens(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}"));
    quote!(#( #[doc = #lines] )*)
}

fn open_enum_tokens(e: &OpenEnum) -> TokenStream {
    let ident = format_ident!("{}", e.name);
    let names: Vec<_> = unique_names(&e.values)
        .iter()
        .map(|n| format_ident!("{n}"))
        .collect();
    let values = &e.values;
    let mut doc = e
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", e.name));
    let _ = write!(
        doc,
        "\n\nForward compatible: a value this version of the crate does not know decodes to \
         `{}::Unknown` holding the wire string, and serializes back unchanged.",
        e.name
    );
    let doc = doc_tokens(&doc);
    let variant_docs = values.iter().map(|v| format!("`{v}`"));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident {
            #( #[doc = #variant_docs] #names, )*
            /// A value this version of the crate does not know (the wire string, unchanged).
            Unknown(::std::string::String),
        }
        impl #ident {
            /// Every value this version of the crate knows, in the order of the spec.
            pub const KNOWN: &'static [Self] = &[ #( Self::#names ),* ];
            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#names => #values, )*
                    Self::Unknown(other) => other.as_str(),
                }
            }
            /// Whether this value is one this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#names, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }
        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.into_owned()))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tagged unions

/// A named `oneOf` union whose members are tagged by one property.
pub struct TaggedUnion {
    pub name: String,
    pub description: Option<String>,
    pub tag: String,
    /// (variant name, member schema name, exact tag value or None for a pattern-tagged member)
    pub members: Vec<(String, String, Option<String>)>,
    /// The index of the one member that has no tag property at all (a comment's text run among
    /// mentions and links): a value without the tag decodes to it.
    pub untagged: Option<usize>,
}

/// Whether a member schema does not declare the tag property at all.
fn lacks_tag(schema: &Schema, tag: &str) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => !obj.properties.contains_key(tag),
        // An object with extra keywords (`not`, ...) parses as `Any`.
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("object") && !any.properties.contains_key(tag)
        }
        _ => false,
    }
}

fn resolve<'a>(spec: &'a OpenAPI, r: &'a ReferenceOr<Schema>) -> Option<(&'a str, &'a Schema)> {
    let ReferenceOr::Reference { reference } = r else {
        return None;
    };
    let name = reference.strip_prefix("#/components/schemas/")?;
    match spec.components.as_ref()?.schemas.get(name)? {
        ReferenceOr::Item(s) => Some((name, s)),
        ReferenceOr::Reference { .. } => None,
    }
}

/// How a member schema tags itself: `Some(Some(v))` one-value enum, `Some(None)` a pattern.
fn member_tag(schema: &Schema, tag: &str) -> Option<Option<String>> {
    let SchemaKind::Type(Type::Object(obj)) = &schema.schema_kind else {
        return None;
    };
    if !obj.required.iter().any(|r| r == tag) {
        return None;
    }
    let ReferenceOr::Item(prop) = obj.properties.get(tag)? else {
        return None;
    };
    let SchemaKind::Type(Type::String(s)) = &prop.schema_kind else {
        return None;
    };
    let values: Vec<&String> = s.enumeration.iter().flatten().collect();
    match values.as_slice() {
        [one] => Some(Some((*one).clone())),
        [] if s.pattern.is_some() => Some(None),
        _ => None,
    }
}

/// Every named `oneOf` of `$ref`s whose members all carry the same tag property.
pub fn tagged_unions(spec: &OpenAPI) -> Result<Vec<TaggedUnion>, String> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return Ok(out);
    };
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::OneOf { one_of } = &schema.schema_kind else {
            continue;
        };
        let Some(members) = one_of
            .iter()
            .map(|m| resolve(spec, m))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some((_, first)) = members.first() else {
            continue;
        };
        let candidates: Vec<String> = match &schema.schema_data.discriminator {
            Some(d) => vec![d.property_name.clone()],
            None => match &first.schema_kind {
                SchemaKind::Type(Type::Object(o)) => o.required.clone(),
                _ => Vec::new(),
            },
        };
        let fits = |t: &String| {
            let tagged = members
                .iter()
                .filter(|(_, s)| member_tag(s, t).is_some())
                .count();
            let absent = members.iter().filter(|(_, s)| lacks_tag(s, t)).count();
            tagged + absent == members.len() && absent <= 1 && tagged > 0
        };
        let Some(tag) = candidates.into_iter().find(fits) else {
            if schema.schema_data.discriminator.is_some() {
                return Err(format!(
                    "#/components/schemas/{name}: every member of a discriminated union needs a \
                     required tag property with a one-value enum or a pattern"
                ));
            }
            continue;
        };
        let untagged = members.iter().position(|(_, s)| lacks_tag(s, &tag));
        let member_names: Vec<String> = members.iter().map(|(n, _)| n.to_string()).collect();
        let variants = union_variant_names(name, &member_names);
        let members = members
            .iter()
            .zip(variants)
            .map(|((member, s), variant)| {
                (variant, member.to_string(), member_tag(s, &tag).flatten())
            })
            .collect();
        out.push(TaggedUnion {
            name: name.clone(),
            description: schema.schema_data.description.clone(),
            tag,
            members,
            untagged,
        });
    }
    Ok(out)
}

/// `InboxNotificationThread` in `InboxNotification` -> `Thread`;
/// `AddJsonPatchOperation` in `JsonPatchOperation` -> `Add`;
/// `CreateAiCopilotOptionsOpenAi` (with its siblings) -> `OpenAi`.
fn union_variant_names(union: &str, members: &[String]) -> Vec<String> {
    let valid = |names: &[String]| {
        let distinct: std::collections::BTreeSet<_> = names.iter().collect();
        distinct.len() == names.len()
            && names.iter().all(|n| {
                !n.is_empty() && n != "Unknown" && n.starts_with(|c: char| c.is_ascii_uppercase())
            })
    };
    let by_union: Vec<String> = members
        .iter()
        .map(|m| {
            m.strip_prefix(union)
                .or_else(|| m.strip_suffix(union))
                .unwrap_or(m)
                .to_string()
        })
        .collect();
    if valid(&by_union) && by_union.iter().zip(members).all(|(short, m)| short != m) {
        return by_union;
    }
    // The longest common prefix of the member names, cut at a word (capital letter) boundary.
    let first = &members[0];
    let mut common = first.len();
    for m in &members[1..] {
        common = common.min(
            first
                .bytes()
                .zip(m.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while common > 0
        && !members
            .iter()
            .all(|m| m[common..].starts_with(|c: char| c.is_ascii_uppercase()))
    {
        common -= 1;
    }
    let by_prefix: Vec<String> = members.iter().map(|m| m[common..].to_string()).collect();
    if common > 0 && valid(&by_prefix) {
        return by_prefix;
    }
    members.to_vec()
}

fn union_tokens(u: &TaggedUnion) -> TokenStream {
    let ident = format_ident!("{}", u.name);
    let tag = &u.tag;
    let mut doc = u
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", u.name));
    let _ = write!(
        doc,
        "\n\nDecoded by its `{tag}` property. Forward compatible: a `{tag}` this version of the \
         crate does not know decodes to `{}::Unknown` holding the raw JSON.",
        u.name
    );
    let doc = doc_tokens(&doc);
    let variants: Vec<_> = u
        .members
        .iter()
        .map(|(v, _, _)| format_ident!("{v}"))
        .collect();
    let types: Vec<_> = u
        .members
        .iter()
        .map(|(_, t, _)| format_ident!("{t}"))
        .collect();
    let variant_docs = u
        .members
        .iter()
        .enumerate()
        .map(|(i, (_, t, value))| match value {
            _ if u.untagged == Some(i) => format!("No `{tag}` property ([`{t}`])."),
            Some(v) => format!("`{tag}` = `{v}` ([`{t}`])."),
            None => format!("`{tag}` matching the pattern of [`{t}`]."),
        });
    let exact = u.members.iter().filter_map(|(v, t, value)| {
        let value = value.as_ref()?;
        let (v, t) = (format_ident!("{v}"), format_ident!("{t}"));
        Some(quote! {
            Some(#value) => ::serde_json::from_value::<#t>(value)
                .map(Self::#v)
                .map_err(::serde::de::Error::custom),
        })
    });
    let fallbacks = u
        .members
        .iter()
        .enumerate()
        .filter(|(i, (_, _, value))| value.is_none() && u.untagged != Some(*i))
        .map(|(_, (v, t, _))| {
            let (v, t) = (format_ident!("{v}"), format_ident!("{t}"));
            quote! {
                if let Ok(known) = ::serde_json::from_value::<#t>(value.clone()) {
                    return Ok(Self::#v(known));
                }
            }
        });
    let untagged_arm = u.untagged.map(|i| {
        let (v, t, _) = &u.members[i];
        let (v, t) = (format_ident!("{v}"), format_ident!("{t}"));
        quote! {
            None if value.get(#tag).is_none() => Ok(
                ::serde_json::from_value::<#t>(value.clone())
                    .map(Self::#v)
                    .unwrap_or(Self::Unknown(value)),
            ),
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #ident {
            #( #[doc = #variant_docs] #variants(#types), )*
            /// A variant this version of the crate does not know (the raw JSON, unchanged).
            Unknown(::serde_json::Value),
        }
        #(
            impl ::std::convert::From<#types> for #ident {
                fn from(value: #types) -> Self {
                    Self::#variants(value)
                }
            }
        )*
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(inner) => ::serde::Serialize::serialize(inner, serializer), )*
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #( #exact )*
                    #untagged_arm
                    _ => {
                        #( #fallbacks )*
                        Ok(Self::Unknown(value))
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Post-processing

/// The operation ids the document marks `deprecated: true`.
fn deprecated_operations(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
    spec.paths
        .paths
        .values()
        .filter_map(|item| match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|item| item.iter())
        .filter(|(_, op)| op.deprecated)
        .filter_map(|(_, op)| op.operation_id.clone())
        .collect()
}

fn postprocess(
    file: &mut syn::File,
    extra_types: Vec<TokenStream>,
    streams: Vec<TokenStream>,
    clearable: &BTreeMap<String, Vec<String>>,
    deprecated: &std::collections::BTreeSet<String>,
) -> Result<(), String> {
    // The generated constructors take a base URL and an inner value; the hand-written
    // `Client::builder()` replaces them. Operations with a hand-written front door lose their
    // generated `Client` method (the builder type stays reachable in `builder`).
    for item in &mut file.items {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_none()
            && is_client(&imp.self_ty)
        {
            imp.items.retain(|i| {
                !matches!(i, syn::ImplItem::Fn(f) if HAND_WRITTEN.iter().any(|h| f.sig.ident == h))
            });
            // Deprecated operations warn at the call site, like any deprecated Rust API.
            for i in &mut imp.items {
                if let syn::ImplItem::Fn(f) = i
                    && deprecated.contains(&f.sig.ident.to_string())
                {
                    f.attrs.push(syn::parse_quote!(#[deprecated(
                        note = "Liveblocks marks this endpoint deprecated; the method's docs name its replacement"
                    )]));
                }
            }
        }
    }
    file.items.retain(|item| {
        !matches!(item, syn::Item::Impl(imp)
            if imp.trait_.is_none()
                && is_client(&imp.self_ty)
                && imp.items.iter().any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new")))
    });
    let mut saw_types = false;
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        if module.ident == "types" {
            saw_types = true;
            make_clearable(items, clearable);
            for tokens in &extra_types {
                let parsed: syn::File = syn::parse2(tokens.clone())
                    .map_err(|e| format!("generated compat type does not parse: {e}"))?;
                items.extend(parsed.items);
            }
        } else if module.ident == "builder" {
            for item in items.iter_mut() {
                if let syn::Item::Impl(imp) = item {
                    wrap_send(imp)?;
                }
            }
            for tokens in &streams {
                let parsed: syn::File = syn::parse2(tokens.clone())
                    .map_err(|e| format!("generated stream glue does not parse: {e}"))?;
                items.extend(parsed.items);
            }
        }
    }
    if !saw_types {
        return Err("progenitor output has no `types` module".into());
    }
    Ok(())
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// Renames the generated `send` to `send_raw` and adds a `send` that returns
/// `liveblocks::Error`, choosing the success decoding by the response type.
fn wrap_send(imp: &mut syn::ItemImpl) -> Result<(), String> {
    let Some(pos) = imp
        .items
        .iter()
        .position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
    else {
        return Ok(());
    };
    let syn::ImplItem::Fn(raw) = &mut imp.items[pos] else {
        unreachable!()
    };
    let docs: Vec<syn::Attribute> = raw
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    raw.attrs.retain(|a| !a.path().is_ident("doc"));
    raw.sig.ident = format_ident!("send_raw");
    raw.vis = syn::Visibility::Inherited;
    // progenitor adds an `api-version: <info.version>` header the API does not use; leave it
    // out of the request instead of building it and removing it again on every call.
    raw.block.stmts.retain(|stmt| {
        !matches!(stmt, syn::Stmt::Expr(syn::Expr::MethodCall(call), _)
            if call.method == "append" && quote!(#call).to_string().contains("\"api-version\""))
    });
    let success = success_type(&raw.sig.output)
        .ok_or_else(|| format!("unexpected send() signature: {}", quote!(#raw)))?;
    let finish = match &success {
        syn::Type::Tuple(t) if t.elems.is_empty() => quote!(finish_empty),
        ty if is_byte_stream(ty) => quote!(finish_stream),
        _ => quote!(finish_json),
    };
    let send: syn::ImplItemFn = syn::parse2(quote! {
        #( #docs )*
        ///
        /// # Errors
        ///
        /// [`crate::Error`]: an API error with the HTTP status and the server's error body, a
        /// transport or timeout error, an undecodable body, or a missing/invalid argument.
        pub async fn send(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> {
            crate::response::#finish(self.send_raw()).await
        }
    })
    .map_err(|e| e.to_string())?;
    imp.items.push(syn::ImplItem::Fn(send));
    Ok(())
}

/// Whether a success type is a binary or text body (`ByteStream`).
fn is_byte_stream(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ByteStream"))
}

/// `Result<ResponseValue<T>, Error<E>>` -> `T`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = last_generic(ty, "Result")?;
    last_generic(&result, "ResponseValue")
}

fn last_generic(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    if seg.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// Operation facts

/// The operation table the hooks use: method, path template, idempotency, credential family.
///
/// An operation is idempotent when its method is (GET, PUT, DELETE, HEAD, OPTIONS) or when the
/// spec says so with `x-idempotent: true`; `x-idempotent-if-query: NAME` makes it idempotent when
/// the query parameter NAME is `true` (create room with `?idempotent=true`).
fn operations_table(spec: &OpenAPI) -> Result<TokenStream, String> {
    let mut rows = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let id = op
                .operation_id
                .clone()
                .ok_or_else(|| format!("{method} {path}: missing operationId"))?;
            let method_upper = method.to_ascii_uppercase();
            let flagged = op
                .extensions
                .get("x-idempotent")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false);
            let idempotent =
                flagged || matches!(method, "get" | "put" | "delete" | "head" | "options");
            let management = op.tags.iter().any(|t| t == "Management");
            // `security: []` on an operation means it takes no credential at all.
            let authenticated = !op.security.as_ref().is_some_and(|s| s.is_empty());
            let if_query = op
                .extensions
                .get("x-idempotent-if-query")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string();
            rows.push((
                id,
                method_upper,
                path.clone(),
                idempotent,
                if_query,
                management,
                authenticated,
            ));
        }
    }
    rows.sort();
    let row_tokens = rows.iter().map(
        |(id, _method, path, idempotent, if_query, management, authenticated)| {
            let if_query = if if_query.is_empty() {
                quote!(None)
            } else {
                quote!(Some(#if_query))
            };
            quote! {
                crate::operation::OperationMeta {
                    id: #id,
                    path: #path,
                    idempotent: #idempotent,
                    idempotent_if_query: #if_query,
                    management: #management,
                    authenticated: #authenticated,
                }
            }
        },
    );
    Ok(quote! {
        /// Facts about every operation, from the spec, sorted by operation id.
        pub(crate) static OPERATIONS: &[crate::operation::OperationMeta] = &[ #( #row_tokens ),* ];
    })
}

// ---------------------------------------------------------------------------------------------
// Pagination glue

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn pascal(snake_name: &str) -> String {
    snake_name
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn component<'a>(spec: &'a OpenAPI, r: &'a ReferenceOr<Schema>) -> Option<(&'a str, &'a Schema)> {
    resolve(spec, r)
}

/// A `stream()` method for every list operation: one with a `limit` query parameter, a cursor
/// query parameter (`startingAfter` or `cursor`) and a JSON response holding `nextCursor` and
/// one array of named items. The page size defaults to the `limit` maximum in the spec.
fn list_streams(spec: &OpenAPI) -> Result<Vec<TokenStream>, String> {
    let mut out = Vec::new();
    for (_, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            let Some(id) = &op.operation_id else { continue };
            let mut limit_max = None;
            let mut cursor_param = None;
            for p in &op.parameters {
                let ReferenceOr::Item(openapiv3::Parameter::Query { parameter_data, .. }) = p
                else {
                    continue;
                };
                match parameter_data.name.as_str() {
                    "limit" => {
                        let max = match &parameter_data.format {
                            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                                match &s.schema_kind {
                                    SchemaKind::Type(Type::Integer(i)) => i.maximum,
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        limit_max = Some(max.unwrap_or(100));
                    }
                    "startingAfter" | "cursor" => cursor_param = Some(parameter_data.name.clone()),
                    _ => {}
                }
            }
            let (Some(limit_max), Some(cursor_param)) = (limit_max, cursor_param) else {
                continue;
            };
            let Some(schema_ref) = op
                .responses
                .responses
                .iter()
                .filter(|(code, _)| is_success(code))
                .find_map(|(_, r)| r.as_item())
                .and_then(|r| r.content.get("application/json"))
                .and_then(|m| m.schema.as_ref())
            else {
                continue;
            };
            let Some((_, page_schema)) = component(spec, schema_ref) else {
                continue;
            };
            let SchemaKind::Type(Type::Object(page)) = &page_schema.schema_kind else {
                continue;
            };
            if !page.properties.contains_key("nextCursor") {
                continue;
            }
            let Some((array_field, item_type)) = page.properties.iter().find_map(|(name, p)| {
                let ReferenceOr::Item(p) = p else { return None };
                let SchemaKind::Type(Type::Array(a)) = &p.schema_kind else {
                    return None;
                };
                let items = a.items.as_ref()?;
                let ReferenceOr::Reference { reference } = items else {
                    return None;
                };
                let item = reference.strip_prefix("#/components/schemas/")?;
                Some((name.clone(), item.to_string()))
            }) else {
                return Err(format!(
                    "{id}: a paginated list response needs an array of named items beside nextCursor"
                ));
            };
            let builder = format_ident!("{}", pascal(id));
            let item = format_ident!("{item_type}");
            let field = format_ident!("{}", snake(&array_field));
            let setter = format_ident!("{}", snake(&cursor_param));
            let max = u32::try_from(limit_max.clamp(1, i64::from(u32::MAX))).unwrap_or(100);
            let doc = format!(
                " Streams every item of this list, requesting pages of up to {max} (the API's \
                 maximum) with `{cursor_param}` cursors; the filters set on this builder are sent \
                 with every page and its `limit` is replaced by the stream's page size. See \
                 [`Paginated`](crate::pagination::Paginated) for page size, read-ahead, `pages()` \
                 and `try_collect_all()`."
            );
            out.push(quote! {
                impl<'a> #builder<'a> {
                    #[doc = #doc]
                    pub fn stream(self) -> crate::pagination::Paginated<'a, types::#item> {
                        crate::pagination::Paginated::new(#max, move |cursor, size| {
                            let request = self.clone().limit(size);
                            let request = match cursor {
                                Some(cursor) => request.#setter(cursor),
                                None => request,
                            };
                            ::std::boxed::Box::pin(async move {
                                let page = request.send().await?.into_inner();
                                Ok((page.#field, page.next_cursor))
                            })
                        })
                    }
                }
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Clearable request fields

/// Request-body schemas and their optional `nullable` properties: the fields a request may set
/// to `null` to clear a value. typify makes them `Option<T>` skipped when `None`, which cannot
/// send `null`; [`make_clearable`] turns them into `Option<Option<T>>`.
fn clearable_fields(spec: &OpenAPI) -> BTreeMap<String, Vec<String>> {
    let mut bodies = std::collections::BTreeSet::new();
    for (_, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            let Some(ReferenceOr::Item(body)) = &op.request_body else {
                continue;
            };
            for media in body.content.values() {
                if let Some(ReferenceOr::Reference { reference }) = &media.schema
                    && let Some(name) = reference.strip_prefix("#/components/schemas/")
                {
                    bodies.insert(name.to_string());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    let Some(components) = &spec.components else {
        return out;
    };
    for name in bodies {
        let Some(ReferenceOr::Item(schema)) = components.schemas.get(&name) else {
            continue;
        };
        let SchemaKind::Type(Type::Object(obj)) = &schema.schema_kind else {
            continue;
        };
        let fields: Vec<String> = obj
            .properties
            .iter()
            .filter(|(prop, _)| !obj.required.contains(prop))
            .filter(|(_, p)| match p {
                ReferenceOr::Item(p) => p.schema_data.nullable,
                ReferenceOr::Reference { .. } => false,
            })
            .map(|(prop, _)| prop.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(name, fields);
        }
    }
    out
}

/// The wire name of a struct field: its `#[serde(rename = "...")]`, or its identifier.
fn wire_name(field: &syn::Field) -> Option<String> {
    let mut name = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                name = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    name.or_else(|| field.ident.as_ref().map(|i| i.to_string()))
}

fn wrap_option(ty: &syn::Type) -> syn::Type {
    syn::parse_quote!(::std::option::Option<#ty>)
}

/// Rewrites the clearable fields of request bodies (and their typify builders) to
/// `Option<Option<T>>` serialized through `crate::nullable`.
fn make_clearable(items: &mut [syn::Item], clearable: &BTreeMap<String, Vec<String>>) {
    let mut rust_fields: BTreeMap<String, Vec<syn::Ident>> = BTreeMap::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(st) = item else {
            continue;
        };
        let Some(props) = clearable.get(&st.ident.to_string()) else {
            continue;
        };
        for field in st.fields.iter_mut() {
            let Some(wire) = wire_name(field) else {
                continue;
            };
            if !props.contains(&wire) {
                continue;
            }
            // Replace typify's serde attributes (rename, skip) with one complete attribute.
            field.attrs.retain(|a| !a.path().is_ident("serde"));
            field.attrs.push(syn::parse_quote!(#[serde(
                rename = #wire,
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                with = "crate::nullable"
            )]));
            field.ty = wrap_option(&field.ty);
            let doc = " `None` leaves the field out; `Some(None)` sends `null` to clear it.";
            field.attrs.push(syn::parse_quote!(#[doc = #doc]));
            if let Some(ident) = &field.ident {
                rust_fields
                    .entry(st.ident.to_string())
                    .or_default()
                    .push(ident.clone());
            }
        }
    }
    // typify's builders (`types::builder::X`) hold `Result<Option<T>, String>` per field and a
    // setter bounded by `TryInto<Option<T>>`: wrap both.
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        let Some((_, builder_items)) = &mut module.content else {
            continue;
        };
        for item in builder_items.iter_mut() {
            match item {
                syn::Item::Struct(st) => {
                    let Some(fields) = rust_fields.get(&st.ident.to_string()) else {
                        continue;
                    };
                    for field in st.fields.iter_mut() {
                        if field.ident.as_ref().is_some_and(|i| fields.contains(i))
                            && let syn::Type::Path(p) = &mut field.ty
                            && let Some(seg) = p.path.segments.last_mut()
                            && let syn::PathArguments::AngleBracketed(args) = &mut seg.arguments
                            && let Some(syn::GenericArgument::Type(ok)) = args.args.first_mut()
                        {
                            *ok = wrap_option(ok);
                        }
                    }
                }
                syn::Item::Impl(imp) => {
                    let syn::Type::Path(self_ty) = &*imp.self_ty else {
                        continue;
                    };
                    let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string())
                    else {
                        continue;
                    };
                    let Some(fields) = rust_fields.get(&name) else {
                        continue;
                    };
                    if imp.trait_.is_some() {
                        continue;
                    }
                    for item in imp.items.iter_mut() {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        if !fields.contains(&f.sig.ident) {
                            continue;
                        }
                        let Some(where_clause) = &mut f.sig.generics.where_clause else {
                            continue;
                        };
                        for predicate in where_clause.predicates.iter_mut() {
                            let syn::WherePredicate::Type(pt) = predicate else {
                                continue;
                            };
                            for bound in pt.bounds.iter_mut() {
                                if let syn::TypeParamBound::Trait(tb) = bound
                                    && let Some(seg) = tb.path.segments.last_mut()
                                    && seg.ident == "TryInto"
                                    && let syn::PathArguments::AngleBracketed(args) =
                                        &mut seg.arguments
                                    && let Some(syn::GenericArgument::Type(target)) =
                                        args.args.first_mut()
                                {
                                    *target = wrap_option(target);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Blocking client (cargo feature `blocking`)

/// The text of the `#[doc = "..."]` attributes of an item.
fn doc_strings(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .collect()
}

/// `builder::Foo<'_>` (the return type of a generated `Client` method) -> `Foo`.
fn builder_ident(output: &syn::ReturnType) -> Option<syn::Ident> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    let mut segments = p.path.segments.iter();
    let (first, second) = (segments.next()?, segments.next()?);
    (first.ident == "builder" && segments.next().is_none()).then(|| second.ident.clone())
}

/// The name of the type an `impl` block is for (`impl<'a> Foo<'a>` -> `Foo`).
fn self_ident(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The blocking counterpart of every operation, from the post-processed progenitor output:
///
/// - `impl crate::blocking::Client`: one method per generated `Client` method (same name, same
///   documentation with the `.await` removed from its example) returning the blocking builder;
/// - `pub mod builder`: for each generated builder `Foo<'a>`, a `Foo<'a>` holding the async
///   builder and the blocking client, with the same setters (signatures copied, calls
///   forwarded), a `send()` that runs the async `send()` on the client's runtime, and, for the
///   paginated lists that have a `stream()`, an `iter()` returning
///   `crate::blocking::Paginated` (an `Iterator<Item = Result<T, Error>>`). Binary responses
///   (`ByteStream`) become `crate::blocking::ByteStream` (`Iterator` of chunks and `io::Read`).
pub fn blocking_tokens(file: &syn::File) -> Result<TokenStream, String> {
    // Client methods.
    let mut methods = Vec::new();
    let mut method_of: BTreeMap<String, syn::Ident> = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_client(&imp.self_ty) {
            continue;
        }
        for item in &imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let Some(builder) = builder_ident(&f.sig.output) else {
                continue;
            };
            let name = &f.sig.ident;
            method_of.insert(builder.to_string(), name.clone());
            let docs = doc_strings(&f.attrs)
                .into_iter()
                .map(|d| d.replace("\n    .await;", ";"));
            let deprecated = f.attrs.iter().filter(|a| a.path().is_ident("deprecated"));
            methods.push(quote! {
                #( #[doc = #docs] )*
                #( #deprecated )*
                pub fn #name(&self) -> builder::#builder<'_> {
                    builder::#builder::new(self)
                }
            });
        }
    }
    if methods.is_empty() {
        return Err("blocking client: progenitor output has no `impl Client` methods".into());
    }

    // Builders.
    let Some(builder_items) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return Err("blocking client: progenitor output has no `builder` module".into());
    };
    let mut builders = Vec::new();
    for item in builder_items {
        let syn::Item::Struct(st) = item else {
            continue;
        };
        let ident = &st.ident;
        let name = ident.to_string();
        let mut members = Vec::new();
        for imp in builder_items.iter().filter_map(|i| match i {
            syn::Item::Impl(imp)
                if imp.trait_.is_none() && self_ident(imp).as_deref() == Some(&name) =>
            {
                Some(imp)
            }
            _ => None,
        }) {
            for item in &imp.items {
                let syn::ImplItem::Fn(f) = item else { continue };
                if !matches!(f.vis, syn::Visibility::Public(_)) || f.sig.ident == "new" {
                    continue;
                }
                members.push(blocking_member(&name, f)?);
            }
        }
        let doc = match method_of.get(&name) {
            Some(method) => format!(
                " Blocking builder for [`Client::{method}`](crate::blocking::Client::{method}): \
                 set the parameters, then call [`send`](Self::send). Wraps \
                 [`crate::builder::{name}`]."
            ),
            None => format!(
                " Blocking builder wrapping [`crate::builder::{name}`]: create it with \
                 [`{name}::new`], set the parameters, then call [`send`](Self::send)."
            ),
        };
        // The same derives as the async builder (a builder with a streamed body is not Clone).
        let derives = st.attrs.iter().filter(|a| a.path().is_ident("derive"));
        builders.push(quote! {
            #[doc = #doc]
            #( #derives )*
            #[must_use = "a request builder does nothing until .send()"]
            pub struct #ident<'a> {
                inner: crate::builder::#ident<'a>,
                client: &'a crate::blocking::Client,
            }
            impl<'a> #ident<'a> {
                /// A builder for this operation on `client`.
                pub fn new(client: &'a crate::blocking::Client) -> Self {
                    Self {
                        inner: crate::builder::#ident::new(client.as_async()),
                        client,
                    }
                }
                #( #members )*
            }
        });
    }
    Ok(quote! {
        impl crate::blocking::Client {
            #( #methods )*
        }
        /// Blocking request builders, one per operation, returned by the methods of
        /// [`blocking::Client`](crate::blocking::Client).
        pub mod builder {
            use crate::types;
            use crate::ResponseValue;
            #( #builders )*
        }
    })
}

/// One public method of a generated builder, made blocking.
fn blocking_member(builder: &str, f: &syn::ImplItemFn) -> Result<TokenStream, String> {
    let name = &f.sig.ident;
    // `send` and `iter` are `#[inline]`: like generic code, they are compiled in the crates that
    // call them, for the operations they use, so the feature adds little to the build of this
    // crate (measured: about 8% more CPU time instead of 55%).
    if f.sig.ident == "send" {
        let success = success_type(&f.sig.output)
            .ok_or_else(|| format!("{builder}::send: unexpected signature"))?;
        let docs = doc_strings(&f.attrs);
        let note = " Blocks the current thread until the response arrives. Called on a thread \
                    that runs an async runtime, it returns \
                    [`crate::Error::BlockingInAsyncContext`] without sending anything.";
        return Ok(if is_byte_stream(&success) {
            quote! {
                #( #[doc = #docs] )*
                ///
                #[doc = #note]
                /// The body is read as it is consumed, through
                /// [`blocking::ByteStream`](crate::blocking::ByteStream).
                #[inline]
                pub fn send(
                    self,
                ) -> ::std::result::Result<ResponseValue<crate::blocking::ByteStream>, crate::Error> {
                    let value = self.client.run(self.inner.send())?;
                    Ok(self.client.byte_stream(value))
                }
            }
        } else {
            quote! {
                #( #[doc = #docs] )*
                ///
                #[doc = #note]
                #[inline]
                pub fn send(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> {
                    self.client.run(self.inner.send())
                }
            }
        });
    }
    if f.sig.ident == "stream" {
        let syn::ReturnType::Type(_, ty) = &f.sig.output else {
            return Err(format!("{builder}::stream: no return type"));
        };
        let item = last_generic(ty, "Paginated")
            .ok_or_else(|| format!("{builder}::stream: does not return a Paginated"))?;
        let doc = format!(
            " Iterates over every item of this list, fetching the pages as they are needed \
             (the blocking counterpart of [`crate::builder::{builder}::stream`]). See \
             [`blocking::Paginated`](crate::blocking::Paginated) for page size, read-ahead, \
             `pages()` and `try_collect_all()`."
        );
        return Ok(quote! {
            #[doc = #doc]
            #[inline]
            pub fn iter(self) -> crate::blocking::Paginated<'a, #item> {
                crate::blocking::Paginated::new(self.inner.stream(), self.client)
            }
        });
    }
    if f.sig.asyncness.is_some() {
        return Err(format!(
            "{builder}::{name}: an async builder method the blocking client does not know"
        ));
    }
    let returns_self = matches!(&f.sig.output, syn::ReturnType::Type(_, ty)
        if matches!(&**ty, syn::Type::Path(p) if p.path.is_ident("Self")));
    if !returns_self {
        return Err(format!(
            "{builder}::{name}: a builder method that does not return Self"
        ));
    }
    let mut sig = f.sig.clone();
    let mut args = Vec::new();
    for input in sig.inputs.iter_mut() {
        match input {
            syn::FnArg::Receiver(r) => r.mutability = None,
            syn::FnArg::Typed(t) => match &mut *t.pat {
                syn::Pat::Ident(p) => {
                    p.mutability = None;
                    args.push(p.ident.clone());
                }
                _ => {
                    return Err(format!(
                        "{builder}::{name}: an argument without a plain name"
                    ));
                }
            },
        }
    }
    let doc = format!(" Sets `{name}`, like [`crate::builder::{builder}::{name}`].");
    Ok(quote! {
        #[doc = #doc]
        pub #sig {
            Self {
                inner: self.inner.#name(#( #args ),*),
                client: self.client,
            }
        }
    })
}
