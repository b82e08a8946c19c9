//! Step 4d: what a request may set to `null` becomes `crate::change::Change<T>`.
//!
//! typify makes an optional nullable request field `Option<T>` skipped when `None` (so `null`
//! could not be sent) and a map whose values may be `null` `BTreeMap<String, Option<V>>`. Both
//! become `Change` (`src/change.rs`): `Keep` (left out), `Remove` (`null`) or `Set(v)`, one
//! type for "set / remove / leave unchanged" everywhere:
//!
//! - optional nullable properties of a request body: `Change<T>`, skipped when `Keep`;
//! - properties of a request body that are inline maps with nullable values, and the named map
//!   schemas with nullable values a request body refers to (`ThreadMetadataPatch`, ...):
//!   `BTreeMap<String, Change<V>>`, serialized without their `Keep` entries
//!   (`crate::change::serialize_map`);
//! - their typify builders hold a `Change<T>` (default `Keep`); the setters of `Change` fields
//!   take any `crate::change::IntoChange<T>` (the value, `&str`, permission strings, a
//!   `Change`), the setters of map fields any `crate::change::IntoChanges<V>` (std maps, arrays
//!   and vectors of pairs of such values);
//! - every value type of a `Change` gets its `IntoChange` impls (anything `Into<T>`, and
//!   `Change<T>`), but for `String` and permission lists, whose impls are hand-written in
//!   `src/change.rs` (permission lists take any `IntoPermissions`).
//!
//! Every site the spec names must be found in the generated code, else generation fails.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

use super::*;

/// The type every site is given, as written in the generated code.
const CHANGE: &str = "crate::change::Change";

/// What may be `null` in the request bodies of the document (wire names).
#[derive(Default)]
pub struct ChangeSites {
    /// Optional nullable properties, per request-body schema.
    pub fields: BTreeMap<String, Vec<String>>,
    /// Properties that are inline maps with nullable values, per request-body schema.
    pub maps: BTreeMap<String, Vec<String>>,
    /// Named map schemas with nullable values that a request body's property refers to.
    pub map_types: BTreeSet<String>,
}

impl ChangeSites {
    /// Whether property `prop` of request body `body` is a `Change<T>` field.
    pub fn is_field(&self, body: &str, prop: &str) -> bool {
        self.fields
            .get(body)
            .is_some_and(|p| p.iter().any(|p| p == prop))
    }

    /// Whether property `prop` (schema `schema`) of request body `body` is a map of changes:
    /// an inline one, or a named map type of [`ChangeSites::map_types`].
    pub fn is_map(&self, body: &str, prop: &str, schema: &ReferenceOr<Box<Schema>>) -> bool {
        self.maps
            .get(body)
            .is_some_and(|p| p.iter().any(|p| p == prop))
            || matches!(schema, ReferenceOr::Reference { reference }
                if reference
                    .strip_prefix("#/components/schemas/")
                    .is_some_and(|n| self.map_types.contains(n)))
    }
}

/// Whether `s` (or the schema it refers to) may be `null`.
fn nullable(spec: &OpenAPI, s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(s) => s.schema_data.nullable,
        ReferenceOr::Reference { reference } => {
            named_schema(spec, reference).is_some_and(|s| s.schema_data.nullable)
        }
    }
}

/// The component schema a `#/components/schemas/..` reference names.
pub fn named_schema<'a>(spec: &'a OpenAPI, reference: &str) -> Option<&'a Schema> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    spec.components.as_ref()?.schemas.get(name)?.as_item()
}

/// Whether `s` is a map (`additionalProperties` only) whose values may be `null`.
fn nullable_map(spec: &OpenAPI, s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => {
            obj.properties.is_empty()
                && matches!(&obj.additional_properties,
                    Some(openapiv3::AdditionalProperties::Schema(v)) if nullable(spec, v))
        }
        _ => false,
    }
}

/// Reads the [`ChangeSites`] of the document.
pub fn change_sites(spec: &OpenAPI) -> ChangeSites {
    let mut out = ChangeSites::default();
    let Some(components) = &spec.components else {
        return out;
    };
    for name in request_bodies(spec) {
        let Some(ReferenceOr::Item(schema)) = components.schemas.get(&name) else {
            continue;
        };
        let SchemaKind::Type(Type::Object(obj)) = &schema.schema_kind else {
            continue;
        };
        for (prop, p) in &obj.properties {
            match p {
                ReferenceOr::Item(p) if nullable_map(spec, p) => {
                    out.maps.entry(name.clone()).or_default().push(prop.clone());
                }
                ReferenceOr::Item(p) if p.schema_data.nullable && !obj.required.contains(prop) => {
                    out.fields
                        .entry(name.clone())
                        .or_default()
                        .push(prop.clone());
                }
                ReferenceOr::Reference { reference } => {
                    if let Some(target) = named_schema(spec, reference)
                        && nullable_map(spec, target)
                        && let Some(n) = reference.strip_prefix("#/components/schemas/")
                    {
                        out.map_types.insert(n.to_string());
                    }
                }
                ReferenceOr::Item(_) => {}
            }
        }
    }
    out
}

/// The `key` and `key = value` items of a field's `#[serde(..)]` attributes, with the value
/// when it is a string literal.
fn serde_items(field: &syn::Field) -> Vec<(String, Option<String>)> {
    let mut items = Vec::new();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let value = if meta.input.peek(syn::Token![=]) {
                match meta.value()?.parse::<syn::Expr>()? {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                }
            } else {
                None
            };
            items.push((key, value));
            Ok(())
        });
    }
    items
}

/// The wire name of a struct field: its `#[serde(rename = "...")]`, or its identifier.
pub fn wire_name(field: &syn::Field) -> Option<String> {
    serde_items(field)
        .into_iter()
        .find_map(|(key, value)| if key == "rename" { value } else { None })
        .or_else(|| field.ident.as_ref().map(|i| i.to_string()))
}

/// Whether the field's serde attributes include `default`.
fn has_default(field: &syn::Field) -> bool {
    serde_items(field).iter().any(|(key, _)| key == "default")
}

/// `crate::change::Change<ty>`.
fn change_of(ty: &syn::Type) -> syn::Type {
    syn::parse_quote!(crate::change::Change<#ty>)
}

/// The generic arguments of the last segment of a path type named `name`.
fn generic_args<'a>(ty: &'a syn::Type, name: &str) -> Option<Vec<&'a syn::Type>> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let seg = p.path.segments.last()?;
    if seg.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    args.args
        .iter()
        .map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// `V` of `BTreeMap<String, Option<V>>`.
fn nullable_map_value(ty: &syn::Type) -> Option<&syn::Type> {
    let args = generic_args(ty, "BTreeMap")?;
    let [key, value] = args[..] else {
        return None;
    };
    if type_string(&quote!(#key)) != "::std::string::String" {
        return None;
    }
    option_inner(value)
}

/// `V` of `BTreeMap<String, Change<V>>`, `T` of `Change<T>`.
pub fn change_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let text = type_string(&quote!(#ty));
    if !text.starts_with(CHANGE) {
        return None;
    }
    match &generic_args(ty, "Change")?[..] {
        [inner] => Some(inner),
        _ => None,
    }
}

/// Rewrites every `BTreeMap<String, Option<V>>` it visits to `BTreeMap<String, Change<V>>`,
/// collecting the `V`s.
#[derive(Default)]
struct MapValues {
    values: Vec<syn::Type>,
}

impl VisitMut for MapValues {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let Some(value) = nullable_map_value(ty) {
            let value = value.clone();
            let change = change_of(&value);
            *ty = syn::parse_quote!(::std::collections::BTreeMap<::std::string::String, #change>);
            self.values.push(value);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

/// The name of the type an `impl` is for, and of the trait's first generic argument.
fn impl_names(imp: &syn::ItemImpl) -> Vec<String> {
    let mut names = Vec::new();
    if let syn::Type::Path(p) = &*imp.self_ty
        && let Some(seg) = p.path.segments.last()
    {
        names.push(seg.ident.to_string());
    }
    if let Some((_, path, _)) = &imp.trait_
        && let Some(seg) = path.segments.last()
        && let syn::PathArguments::AngleBracketed(args) = &seg.arguments
        && let Some(syn::GenericArgument::Type(syn::Type::Path(p))) = args.args.first()
        && let Some(seg) = p.path.segments.last()
    {
        names.push(seg.ident.to_string());
    }
    names
}

/// What a rewritten field is, for its builder.
enum Site {
    /// A `Change<T>` field.
    Field(syn::Type),
    /// A map of changes with values `V`.
    Map(syn::Type),
}

/// Rewrites the [`ChangeSites`] of the `types` module (and its `builder` module) to
/// `Change<T>`, and adds the `IntoChange` impls of their value types.
pub fn use_change(items: &mut Vec<syn::Item>, sites: &ChangeSites) -> Result<(), String> {
    let mut missing: BTreeSet<String> = sites
        .fields
        .iter()
        .chain(&sites.maps)
        .flat_map(|(s, props)| props.iter().map(move |p| format!("{s}.{p}")))
        .chain(sites.map_types.iter().cloned())
        .collect();
    // Per builder (body schema name): field identifier -> what it became.
    let mut builder_sites: BTreeMap<String, Vec<(syn::Ident, Site)>> = BTreeMap::new();
    let mut value_types: Vec<syn::Type> = Vec::new();
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(st) if sites.map_types.contains(&st.ident.to_string()) => {
                let name = st.ident.to_string();
                let syn::Fields::Unnamed(fields) = &mut st.fields else {
                    continue;
                };
                let Some(field) = fields.unnamed.first_mut() else {
                    continue;
                };
                let mut visitor = MapValues::default();
                visitor.visit_type_mut(&mut field.ty);
                if visitor.values.len() != 1 {
                    continue;
                }
                field.attrs.push(
                    syn::parse_quote!(#[serde(serialize_with = "crate::change::serialize_map")]),
                );
                value_types.extend(visitor.values);
                missing.remove(&name);
            }
            syn::Item::Struct(st) => {
                let name = st.ident.to_string();
                let (fields, maps) = (sites.fields.get(&name), sites.maps.get(&name));
                if fields.is_none() && maps.is_none() {
                    continue;
                }
                for field in st.fields.iter_mut() {
                    let (Some(wire), Some(ident)) = (wire_name(field), field.ident.clone()) else {
                        continue;
                    };
                    let site = if fields.is_some_and(|f| f.contains(&wire)) {
                        let Some(inner) = option_inner(&field.ty).cloned() else {
                            continue;
                        };
                        rewrite_field(field, &wire, &inner);
                        value_types.push(inner.clone());
                        Site::Field(inner)
                    } else if maps.is_some_and(|m| m.contains(&wire)) {
                        let Some(value) = nullable_map_value(&field.ty).cloned() else {
                            continue;
                        };
                        rewrite_map(field, &wire, &value);
                        value_types.push(value.clone());
                        Site::Map(value)
                    } else {
                        continue;
                    };
                    missing.remove(&format!("{name}.{wire}"));
                    builder_sites
                        .entry(name.clone())
                        .or_default()
                        .push((ident, site));
                }
            }
            // The map newtypes' `Deref` and `From` impls name the map type.
            syn::Item::Impl(imp) if impl_names(imp).iter().any(|n| sites.map_types.contains(n)) => {
                MapValues::default().visit_item_impl_mut(imp);
            }
            _ => {}
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "codegen/change.rs: these nullable request fields were not found with the expected \
             type in the generated code: {}",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    for item in items.iter_mut() {
        if let syn::Item::Mod(module) = item
            && module.ident == "builder"
            && let Some((_, builder_items)) = &mut module.content
        {
            rewrite_builders(builder_items, &builder_sites);
        }
    }
    // The `IntoChange` impls of the value types (`String` and permission lists: src/change.rs).
    let mut seen = BTreeSet::new();
    for ty in value_types {
        let text = type_string(&quote!(#ty));
        if text == "::std::string::String"
            || text == "::std::vec::Vec<crate::generated::types::Permission>"
            || !seen.insert(text)
        {
            continue;
        }
        let file: syn::File = syn::parse_quote! {
            impl<X: ::std::convert::Into<#ty>> crate::change::IntoChange<#ty> for X {
                fn into_change(self) -> ::std::result::Result<crate::change::Change<#ty>, crate::UnknownValue> {
                    ::std::result::Result::Ok(crate::change::Change::Set(self.into()))
                }
            }
            impl crate::change::IntoChange<#ty> for crate::change::Change<#ty> {
                fn into_change(self) -> ::std::result::Result<crate::change::Change<#ty>, crate::UnknownValue> {
                    ::std::result::Result::Ok(self)
                }
            }
        };
        items.extend(file.items);
    }
    Ok(())
}

/// An optional nullable field becomes `Change<T>`, skipped when `Keep`.
fn rewrite_field(field: &mut syn::Field, wire: &str, inner: &syn::Type) {
    // Replace typify's serde attributes (rename, skip) with one complete attribute.
    field.attrs.retain(|a| !a.path().is_ident("serde"));
    field.attrs.push(syn::parse_quote!(#[serde(
        rename = #wire,
        default,
        skip_serializing_if = "crate::change::Change::is_keep"
    )]));
    // The schema is `Change<T>`'s (that of `Option<T>`), with the spec's description (not the
    // Rust note added below).
    let description = doc_text(&field.attrs);
    field.attrs.push(syn::parse_quote!(
        #[cfg_attr(feature = "schemars", schemars(description = #description))]
    ));
    field.ty = change_of(inner);
    let doc = " [`Change::Keep`](crate::Change::Keep) (the default) leaves the field out; \
               [`Change::Remove`](crate::Change::Remove) sends `null` to remove the value.";
    field.attrs.push(syn::parse_quote!(#[doc = #doc]));
}

/// A map with nullable values becomes a map of changes, serialized without its `Keep` entries
/// and left out when it changes nothing.
fn rewrite_map(field: &mut syn::Field, wire: &str, value: &syn::Type) {
    let default = has_default(field).then(|| quote!(default,));
    field.attrs.retain(|a| !a.path().is_ident("serde"));
    field.attrs.push(syn::parse_quote!(#[serde(
        rename = #wire,
        #default
        skip_serializing_if = "crate::change::unchanged",
        serialize_with = "crate::change::serialize_map"
    )]));
    let description = doc_text(&field.attrs);
    field.attrs.push(syn::parse_quote!(
        #[cfg_attr(feature = "schemars", schemars(description = #description))]
    ));
    let change = change_of(value);
    field.ty = syn::parse_quote!(::std::collections::BTreeMap<::std::string::String, #change>);
    let doc = " An entry [`Change::Set`](crate::Change::Set) sends its value, \
               [`Change::Remove`](crate::Change::Remove) sends `null` to remove the key, \
               [`Change::Keep`](crate::Change::Keep) is left out.";
    field.attrs.push(syn::parse_quote!(#[doc = #doc]));
}

/// typify's builders (`types::builder::X`) hold `Result<Option<T>, String>` (or the map) per
/// field: they hold the `Change` now, and their setters take an `IntoChange`/`IntoChanges` (of
/// the value type as the builder module names it, `super::X`).
fn rewrite_builders(items: &mut [syn::Item], sites: &BTreeMap<String, Vec<(syn::Ident, Site)>>) {
    let mut setters: BTreeMap<(String, String), Site> = BTreeMap::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(st) = item else {
            continue;
        };
        let name = st.ident.to_string();
        let Some(fields) = sites.get(&name) else {
            continue;
        };
        for field in st.fields.iter_mut() {
            let Some((ident, site)) = fields.iter().find(|(i, _)| field.ident.as_ref() == Some(i))
            else {
                continue;
            };
            let syn::Type::Path(p) = &mut field.ty else {
                continue;
            };
            let Some(seg) = p.path.segments.last_mut() else {
                continue;
            };
            let syn::PathArguments::AngleBracketed(args) = &mut seg.arguments else {
                continue;
            };
            let Some(syn::GenericArgument::Type(ok)) = args.args.first_mut() else {
                continue;
            };
            let builder_site = match site {
                Site::Field(_) => {
                    let Some(inner) = option_inner(ok).cloned() else {
                        continue;
                    };
                    *ok = change_of(&inner);
                    Site::Field(inner)
                }
                Site::Map(_) => {
                    let mut visitor = MapValues::default();
                    visitor.visit_type_mut(ok);
                    let Some(value) = visitor.values.pop() else {
                        continue;
                    };
                    Site::Map(value)
                }
            };
            setters.insert((name.clone(), ident.to_string()), builder_site);
        }
    }
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else {
            continue;
        };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(type_name) = self_ident(imp) else {
            continue;
        };
        for item in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = item else { continue };
            let Some(site) = setters.get(&(type_name.clone(), f.sig.ident.to_string())) else {
                continue;
            };
            let name = &f.sig.ident;
            let message = format!("error converting supplied value for {name}: {{e}}");
            let attrs = &f.attrs;
            let setter: syn::ImplItemFn = match site {
                Site::Field(inner) => syn::parse_quote! {
                    #(#attrs)*
                    pub fn #name<T>(mut self, value: T) -> Self
                    where
                        T: crate::change::IntoChange<#inner>,
                    {
                        self.#name = crate::change::IntoChange::into_change(value)
                            .map_err(|e| format!(#message));
                        self
                    }
                },
                Site::Map(value) => syn::parse_quote! {
                    #(#attrs)*
                    pub fn #name<T>(mut self, value: T) -> Self
                    where
                        T: crate::change::IntoChanges<#value>,
                    {
                        self.#name = crate::change::IntoChanges::into_changes(value)
                            .map_err(|e| format!(#message));
                        self
                    }
                },
            };
            *f = setter;
        }
    }
}
