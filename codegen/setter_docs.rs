//! Step 4 (docs of fields and setters): the spec's descriptions reach every field and every
//! builder setter of `types`.
//!
//! - A field whose schema is written inline (`data: {type: object, description: ..}`) has its
//!   description on the type typify makes of it (`<Parent><Field>`), not on the field: the field
//!   gets that doc too.
//! - The operation builders' methods (`crate::builder::X::room_id`, `body`, `body_map`, `new`)
//!   have no doc from progenitor: each parameter's setter gets the parameter's description and
//!   where it goes, `body` and `body_map` what they take ([`request_setter_docs`]).
//! - typify's builder setters (`types::builder::X::field`) have no doc: each gets the doc of
//!   the field it sets, and a line saying whether `build` needs it; a field without a
//!   description (a `$ref` to a documented type) gets a doc naming it.

use super::*;

/// The doc comments (`#[doc]` attributes) of an item.
fn docs_of(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// The last path segment of the innermost type of `Option<..>`, `Vec<..>` and `Box<..>`.
fn inner_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    let name = last.ident.to_string();
    if matches!(name.as_str(), "Option" | "Vec" | "Box")
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return inner_name(inner);
    }
    Some(name)
}

/// `CreateVersionHistorySnapshotResponse` + `data` names `CreateVersionHistorySnapshotResponseData`.
fn is_inline_type_of(parent: &str, field: &str, ty: &str) -> bool {
    let squash = |s: &str| s.replace('_', "").to_ascii_lowercase();
    squash(ty) == squash(&format!("{parent}{field}"))
}

/// Adds the docs described in the module doc to `items` (the `types` module).
pub fn document_fields_and_setters(items: &mut [syn::Item]) {
    let type_docs: BTreeMap<String, Vec<syn::Attribute>> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), docs_of(&s.attrs))),
            syn::Item::Enum(e) => Some((e.ident.to_string(), docs_of(&e.attrs))),
            syn::Item::Type(t) => Some((t.ident.to_string(), docs_of(&t.attrs))),
            _ => None,
        })
        .filter(|(_, d)| !d.is_empty())
        .collect();
    // Fields of inline schemas.
    let mut field_docs: BTreeMap<(String, String), Vec<syn::Attribute>> = BTreeMap::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let parent = s.ident.to_string();
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            let Some(name) = field.ident.as_ref().map(|i| i.to_string()) else {
                continue;
            };
            if docs_of(&field.attrs).is_empty()
                && let Some(ty) = inner_name(&field.ty)
                && is_inline_type_of(&parent, name.trim_end_matches('_'), &ty)
                && let Some(doc) = type_docs.get(&ty)
            {
                for (i, d) in doc.iter().enumerate() {
                    field.attrs.insert(i, d.clone());
                }
            }
            field_docs.insert((parent.clone(), name), docs_of(&field.attrs));
        }
    }
    // Setters of the typify builders.
    let Some(builders) = items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    // Required fields start as `Err("no value supplied for ..")` in the builder's `Default`.
    let mut required: std::collections::BTreeSet<(String, String)> = Default::default();
    for item in builders.iter() {
        let syn::Item::Impl(imp) = item else { continue };
        let (Some(ty), Some((_, trait_, _))) = (self_ident(imp), &imp.trait_) else {
            continue;
        };
        if trait_.segments.last().is_none_or(|s| s.ident != "Default") {
            continue;
        }
        let body = quote!(#imp).to_string();
        for part in body.split("\"no value supplied for ").skip(1) {
            if let Some(field) = part.split('"').next() {
                required.insert((ty.clone(), field.to_string()));
            }
        }
    }
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(ty) = self_ident(imp) else { continue };
        for i in &mut imp.items {
            let syn::ImplItem::Fn(f) = i else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) || !docs_of(&f.attrs).is_empty() {
                continue;
            }
            let name = f.sig.ident.to_string();
            let key = (ty.clone(), name.clone());
            let mut doc = field_docs.get(&key).cloned().unwrap_or_default();
            if doc.is_empty() {
                let text = format!(" Sets [`{name}`](super::{ty}::{name}).");
                doc.push(syn::parse_quote!(#[doc = #text]));
            }
            let need = if required.contains(&key) {
                format!(
                    " Required: converting to [`{ty}`](super::{ty}) (as a request's `send()` does) fails without it."
                )
            } else {
                " Optional.".to_string()
            };
            doc.push(syn::parse_quote!(#[doc = ""]));
            doc.push(syn::parse_quote!(#[doc = #need]));
            for (i, d) in doc.into_iter().enumerate() {
                f.attrs.insert(i, d);
            }
        }
    }
}

/// The docs of the operation builders' methods (`crate::builder::X::new`, each parameter's
/// setter, `body`, `body_map`), by builder name then method name, from the spec: a parameter's
/// description and where it goes; what the body is and how `body_map` builds it.
pub fn request_setter_docs(spec: &OpenAPI) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(id) = &op.operation_id else { continue };
            let mut docs = BTreeMap::new();
            let client = if HAND_WRITTEN.contains(&id.as_str()) {
                format!("`{} {path}`", method.to_uppercase())
            } else {
                format!("[`Client::{id}`](crate::Client::{id})")
            };
            docs.insert(
                "new".to_string(),
                format!(" A builder for {client} on `client` (what the `Client` method returns)."),
            );
            for p in item.parameters.iter().chain(op.parameters.iter()) {
                let Some(p) = p.as_item() else { continue };
                let (data, place) = match p {
                    openapiv3::Parameter::Path { parameter_data, .. } => {
                        (parameter_data, "a path segment")
                    }
                    openapiv3::Parameter::Query { parameter_data, .. } => {
                        (parameter_data, "the query")
                    }
                    _ => continue,
                };
                let mut doc = data
                    .description
                    .as_deref()
                    .map(|d| format!(" {}\n\n", d.trim()))
                    .unwrap_or_default();
                let _ = write!(
                    doc,
                    " `{}` in {place}; {}.",
                    data.name,
                    if data.required {
                        "required: `send()` fails without it"
                    } else {
                        "optional"
                    }
                );
                docs.insert(setter(&data.name), doc);
            }
            if let Some(body) = op.request_body.as_ref().and_then(|b| b.as_item()) {
                let named = body
                    .content
                    .get("application/json")
                    .and_then(|m| m.schema.as_ref())
                    .and_then(|s| match s {
                        ReferenceOr::Reference { reference } => {
                            reference.rsplit('/').next().map(str::to_string)
                        }
                        ReferenceOr::Item(_) => None,
                    });
                match named {
                    Some(n) => {
                        let b = type_builder_name(&n);
                        docs.insert(
                            "body".to_string(),
                            format!(
                                " Sets the whole body: a [`types::{n}`](crate::types::{n}) or \
                                 anything converting to it, such as a `serde_json::Value` of its \
                                 JSON shape (a mismatch is an error from `send()`). See \
                                 {client} for its fields."
                            ),
                        );
                        docs.insert(
                            "body_map".to_string(),
                            format!(
                                " Edits the body field by field: `f` gets the \
                                 [`types::builder::{b}`](crate::types::builder::{b}) built so far \
                                 (empty, or the value given to `body`) and returns it; the \
                                 required fields it lacks make `send()` fail."
                            ),
                        );
                    }
                    None => {
                        docs.insert(
                            "body".to_string(),
                            format!(" Sets the request body. See {client}."),
                        );
                    }
                }
            }
            out.insert(pascal(id), docs);
        }
    }
    out
}

/// Gives the undocumented methods of the operation builders (`items`, the `builder` module)
/// their doc from [`request_setter_docs`].
pub fn document_request_setters(
    items: &mut [syn::Item],
    docs: &BTreeMap<String, BTreeMap<String, String>>,
) {
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(builder_docs) = self_ident(imp).and_then(|name| docs.get(&name)) else {
            continue;
        };
        for i in &mut imp.items {
            let syn::ImplItem::Fn(f) = i else { continue };
            if !docs_of(&f.attrs).is_empty() {
                continue;
            }
            if let Some(doc) = builder_docs.get(&f.sig.ident.to_string()) {
                f.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
            }
        }
    }
}
