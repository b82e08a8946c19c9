//! The one progenitor configuration of the `liveblocks` crate.
//!
//! `build.rs` includes this file (`#[path = "codegen/mod.rs"]`) to generate the client into
//! `OUT_DIR`, and `cargo xtask regen` includes it to write the readable copy, so both always run
//! the same generator with the same settings.
//!
//! What happens to the checked-in document, in order, one file per stage:
//! 1. `prepare.rs`: error responses are dropped before progenitor sees the document (every
//!    4xx/5xx shares one `Error` schema, and the hand-written layer, `src/response.rs`, turns any
//!    non-success status into `liveblocks::Error` itself, keeping the status even when the body
//!    is not JSON); constants only responses carry become plain strings; each description gets
//!    its API reference link.
//! 2. `open_enums.rs` and `unions.rs`: named multi-value string enums become open enums with an
//!    `Unknown(String)` catch-all, and named `oneOf` unions whose members carry a one-value tag
//!    become tagged enums with an `Unknown(serde_json::Value)` catch-all; both are swapped in
//!    with typify replacements, so a value Liveblocks adds later decodes instead of failing the
//!    whole response.
//! 3. This file: progenitor generates the builder-style client ([`generate_all`]).
//! 4. `postprocess.rs` reshapes the output: the generated constructors are removed (the
//!    hand-written `Client::builder()` builds the client); `request.rs` cuts every builder's
//!    `send()` into `build_request()` (its URL from the operation's template, each parameter one
//!    segment) and a `send()` that hands the request (for an operation without a body, the
//!    builder itself, so that a retry builds the request again) to the crate's one request path
//!    (`src/transport.rs`) and returns `liveblocks::Error`; `change.rs` gives what a request
//!    may set to `null` (optional nullable body fields, nullable map values) the type
//!    `liveblocks::Change<T>` (keep, remove, set);
//!    `conversions.rs` lets map newtypes, metadata values, permission lists and request bodies
//!    be built from std maps, `&str`, `vec!["room:write"]` and `serde_json::Value`;
//!    `streams.rs` adds a `stream()` to every cursor-paginated list; `json_schema.rs` gives every
//!    type a `schemars::JsonSchema` under the cargo feature `schemars` (inert attributes and
//!    impls otherwise); `docs.rs` writes every `Client` method's rustdoc (parameters, body,
//!    returns, the error statuses of the original document, a compiling example, SDK names) and
//!    the `Client` struct's; `setter_docs.rs` gives every field, typify builder setter and
//!    operation builder method the spec's description; `builder_names.rs` (last) renames
//!    typify's `types::builder::X` to `XBuilder`, so no two types share a name;
//!    `operations.rs` appends the table of operation facts (method, path template,
//!    idempotency, credential family) for the hooks.
//! 5. `blocking.rs`: with the cargo feature `blocking` (build.rs sees `CARGO_FEATURE_BLOCKING`),
//!    a second file is generated from the post-processed builders: one
//!    `liveblocks::blocking::Client` method and one `liveblocks::blocking::builder` wrapper per
//!    operation ([`blocking_tokens`]).
//! 6. `format.rs`: both sources are formatted with prettyplease ([`format_source`]), in
//!    `build.rs` as in `cargo xtask regen`, so `OUT_DIR/client.rs` equals `generated/client.rs`
//!    line for line.
//! 7. `method_table.rs`: the crate page's table of every method by family ([`method_table`]),
//!    written by `build.rs` to `OUT_DIR/methods.md`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use proc_macro2::TokenStream;
use progenitor::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl, TypePatch,
};
use quote::{format_ident, quote};

mod blocking;
mod builder_names;
mod change;
mod conversions;
mod docs;
mod format;
mod json_schema;
mod method_table;
mod names;
mod open_enums;
mod operations;
mod postprocess;
mod prepare;
mod request;
mod setter_docs;
mod streams;
mod unions;

pub use blocking::*;
pub use builder_names::*;
pub use change::*;
pub use conversions::*;
pub use docs::*;
pub use format::*;
pub use json_schema::*;
// Only build.rs writes the table (xtask includes this file too).
#[allow(unused_imports)]
pub use method_table::*;
pub use names::*;
pub use open_enums::*;
pub use operations::*;
pub use postprocess::*;
pub use prepare::*;
pub use request::*;
pub use setter_docs::*;
pub use streams::*;
pub use unions::*;

/// Operations whose `Client` method is hand-written (`src/session.rs`: `identify_user(user_id)`
/// with validation); their generated builders stay available in the `builder` module.
pub const HAND_WRITTEN: &[&str] = &["identify_user"];

/// Schemas whose Rust type takes another name, so that no generated type shares its name with
/// a hand-written one at the crate root (`liveblocks::Error`, `liveblocks::AuthToken`): the
/// spec keeps the names the importer and upstream use.
pub const RENAMED_TYPES: &[(&str, &str)] =
    &[("Error", "ErrorBody"), ("AuthToken", "AuthTokenResponse")];

/// The Rust name of the type generated for schema `name`.
pub fn rust_type_name(name: &str) -> &str {
    RENAMED_TYPES
        .iter()
        .find(|(schema, _)| *schema == name)
        .map_or(name, |(_, rust)| rust)
}

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
///
/// A panic anywhere in the generator (progenitor's or one of these stages') is an error naming
/// the operation that causes it, never a panic: only when the whole document panicked, halves
/// of its operations are generated again until the single operations that panic are found
/// (about two runs per halving, so a few seconds, and only on failure).
pub fn generate_all(spec: &OpenAPI, blocking: bool) -> Result<(String, Option<String>), String> {
    match quiet_catch(|| generate_unchecked(spec, blocking)) {
        Ok(result) => result,
        Err(message) => Err(locate_panic(spec, blocking, &message)),
    }
}

/// Runs `f`, turning a panic into its message (and location), without printing it.
fn quiet_catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static MESSAGE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut m) = MESSAGE.lock() {
            *m = Some(format!("{text}{at}"));
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.map_err(|_| {
        MESSAGE
            .lock()
            .ok()
            .and_then(|mut m| m.take())
            .unwrap_or_else(|| "(no message)".into())
    })
}

/// `spec` with only the operations `keep` ((path, method) pairs).
fn only(spec: &OpenAPI, keep: &[(String, String)]) -> OpenAPI {
    let mut out = spec.clone();
    out.paths.paths.retain(|path, item| {
        let ReferenceOr::Item(item) = item else {
            return false;
        };
        let kept = |m: &str| keep.iter().any(|(p, k)| p == path && k == m);
        for (method, op) in [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("options", &mut item.options),
            ("head", &mut item.head),
            ("patch", &mut item.patch),
            ("trace", &mut item.trace),
        ] {
            if !kept(method) {
                *op = None;
            }
        }
        item.iter().next().is_some()
    });
    out
}

/// Which operations make the generator panic, found by halving.
fn locate_panic(spec: &OpenAPI, blocking: bool, message: &str) -> String {
    let ops: Vec<(String, String)> = spec
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| match item {
            ReferenceOr::Item(item) => item
                .iter()
                .map(|(method, _)| (path.clone(), method.to_string()))
                .collect(),
            ReferenceOr::Reference { .. } => Vec::new(),
        })
        .collect();
    let panics = |subset: &[(String, String)]| {
        quiet_catch(|| generate_unchecked(&only(spec, subset), blocking)).err()
    };
    if let Some(m) = panics(&[]) {
        return format!("the generator panicked outside any operation (in the components): {m}");
    }
    let mut found = Vec::new();
    let mut halves = vec![ops.as_slice()];
    while let Some(part) = halves.pop() {
        let Some(m) = panics(part) else {
            continue;
        };
        match part {
            [(path, method)] => {
                let id = spec
                    .paths
                    .paths
                    .get(path)
                    .and_then(|item| item.as_item())
                    .and_then(|item| item.iter().find(|(m, _)| m == method))
                    .and_then(|(_, op)| op.operation_id.clone())
                    .unwrap_or_default();
                found.push(format!(
                    "operation `{id}` ({} {path}): {m}",
                    method.to_uppercase()
                ));
            }
            _ => {
                let (a, b) = part.split_at(part.len() / 2);
                halves.push(b);
                halves.push(a);
            }
        }
    }
    if found.is_empty() {
        format!("the generator panicked ({message}); no single operation reproduces it")
    } else {
        format!("the generator panicked on {}", found.join("; "))
    }
}

fn generate_unchecked(spec: &OpenAPI, blocking: bool) -> Result<(String, Option<String>), String> {
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
    for (schema, rust) in RENAMED_TYPES {
        settings.with_patch(schema, TypePatch::default().with_rename(rust));
    }
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
    let tokens = generator
        .generate_tokens(&prepared)
        .map_err(|e| e.to_string())?;

    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor output does not parse: {e}"))?;
    let mut extra_types: Vec<TokenStream> = open_enums.iter().map(open_enum_tokens).collect();
    extra_types.extend(unions.iter().map(union_tokens));
    let streams = list_streams(spec)?;
    postprocess(&mut file, extra_types, streams, &SpecFacts::from_spec(spec))?;
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
