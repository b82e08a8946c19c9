//! Step 4: the progenitor output is reshaped: constructors removed, each builder's `send()`
//! handed to the crate's request path (`request.rs`), deprecations, compat types and stream glue
//! added.

use super::*;

/// The operation ids the document marks `deprecated: true`.
pub fn deprecated_operations(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
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

/// What the post-processing stages read from the spec, gathered once.
pub struct SpecFacts {
    /// What request bodies may set to `null` ([`change_sites`]).
    pub changes: ChangeSites,
    /// Deprecated operation IDs ([`deprecated_operations`]).
    pub deprecated: std::collections::BTreeSet<String>,
    /// Path templates per operation ([`path_templates`]).
    pub templates: BTreeMap<String, String>,
    /// The rustdoc of each `Client` method ([`method_docs`]).
    pub docs: BTreeMap<String, String>,
    /// Request body type names ([`request_bodies`]).
    pub bodies: std::collections::BTreeSet<String>,
    /// The docs of the operation builders' methods ([`request_setter_docs`]).
    pub setter_docs: BTreeMap<String, BTreeMap<String, String>>,
}

impl SpecFacts {
    /// Reads every fact from the (original) spec.
    pub fn from_spec(spec: &OpenAPI) -> Self {
        let changes = change_sites(spec);
        Self {
            docs: method_docs(spec, &changes),
            changes,
            deprecated: deprecated_operations(spec),
            templates: path_templates(spec),
            bodies: request_bodies(spec),
            setter_docs: request_setter_docs(spec),
        }
    }
}

pub fn postprocess(
    file: &mut syn::File,
    extra_types: Vec<TokenStream>,
    streams: Vec<TokenStream>,
    facts: &SpecFacts,
) -> Result<(), String> {
    let SpecFacts {
        changes,
        deprecated,
        templates,
        docs,
        bodies,
        setter_docs,
    } = facts;
    apply_method_docs(file, docs);
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
    // Their request builders are the hand-written layer's plumbing, not a way in: hidden from the
    // docs, where the hand-written type of the same name (`liveblocks::IdentifyUser`) is the one
    // to read.
    let hidden: Vec<String> = HAND_WRITTEN.iter().map(|h| pascal(h)).collect();
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "builder"
            && let Some((_, items)) = &mut module.content
        {
            for item in items {
                if let syn::Item::Struct(st) = item
                    && hidden.contains(&st.ident.to_string())
                {
                    st.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                }
            }
        }
    }
    // Requests do not go through progenitor's `ClientHooks` (see `request.rs`), so the assertion
    // that `Client` implements it goes too.
    file.items.retain(|item| {
        !matches!(item, syn::Item::Const(c)
            if quote!(#c).to_string().contains("assert_client_hooks"))
    });
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
            use_change(items, changes)?;
            add_conversions(items, bodies);
            document_fields_and_setters(items);
            derive_json_schema(items);
            for tokens in &extra_types {
                let parsed: syn::File = syn::parse2(tokens.clone())
                    .map_err(|e| format!("generated compat type does not parse: {e}"))?;
                items.extend(parsed.items);
            }
        } else if module.ident == "builder" {
            for item in items.iter_mut() {
                if let syn::Item::Impl(imp) = item {
                    wrap_send(imp, templates)?;
                }
            }
            document_request_setters(items, setter_docs);
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
    rename_type_builders(file)
}

pub fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}
