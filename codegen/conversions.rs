//! Step 4e: the values a user has at hand convert into the generated request types.
//!
//! - Map newtypes (`RoomMetadata`, `RoomAccesses`, ...) take any std `BTreeMap`/`HashMap` or
//!   array of pairs whose keys are `Into<String>` and whose values convert to the value type
//!   (for `Vec<Permission>` values, any `crate::convert::IntoPermissions`; for the maps of
//!   changes of `change.rs`, any `crate::change::IntoChange`, through `TryFrom`); typify's own
//!   `From<BTreeMap<String, V>>` is replaced, since the generic impls cover it.
//! - Untagged value enums with a string variant (metadata values) take `&str` and `String`;
//!   one with a single list-of-strings variant takes any `Vec`/array of `Into<String>`.
//! - Setters of `Vec<Permission>` fields in the typify builders take any `IntoPermissions`, and
//!   setters of inline `BTreeMap<String, Vec<Permission>>` fields any `IntoPermissionMap`.
//! - Every request body converts from a `serde_json::Value` (`TryFrom`), so an operation
//!   builder's `.body(json!({..}))` works, a mismatch being an error before anything is sent.

use super::*;

/// The request-body schema names of the document.
pub fn request_bodies(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
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
    bodies
}

const PERMISSIONS: &str = "::std::vec::Vec<crate::generated::types::Permission>";

fn tokens_string(t: &impl quote::ToTokens) -> String {
    type_string(&quote!(#t))
}

/// `BTreeMap<String, V>` in a one-field tuple struct: `V`.
fn map_value(st: &syn::ItemStruct) -> Option<syn::Type> {
    let syn::Fields::Unnamed(fields) = &st.fields else {
        return None;
    };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let syn::Type::Path(p) = &field.ty else {
        return None;
    };
    let seg = p.path.segments.last()?;
    if seg.ident != "BTreeMap" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    let mut it = args.args.iter();
    let (Some(syn::GenericArgument::Type(k)), Some(syn::GenericArgument::Type(v)), None) =
        (it.next(), it.next(), it.next())
    else {
        return None;
    };
    (tokens_string(k) == "::std::string::String").then(|| v.clone())
}

/// Whether `item` is `impl From<X> for name` (with `X` matching `pred`).
fn is_from_impl(item: &syn::Item, name: &str, pred: impl Fn(&str) -> bool) -> bool {
    let syn::Item::Impl(imp) = item else {
        return false;
    };
    let Some((_, path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(seg) = path.segments.last() else {
        return false;
    };
    if seg.ident != "From" || tokens_string(&imp.self_ty) != name {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return false;
    };
    matches!(args.args.first(), Some(syn::GenericArgument::Type(t)) if pred(&tokens_string(t)))
}

fn map_impls(ident: &syn::Ident, value: &syn::Type) -> TokenStream {
    if let Some(inner) = change_inner(value) {
        // A map of changes (`change.rs`): values are anything `IntoChange` (`&str`, the value,
        // a `Change`, permission strings), which may be a permission typo.
        try_from_pairs(
            ident,
            &quote!(crate::change::IntoChange<#inner>),
            &quote! { crate::change::IntoChanges::into_changes(value).map(Self) },
        )
    } else if tokens_string(value) == PERMISSIONS {
        try_from_pairs(
            ident,
            &quote!(crate::convert::IntoPermissions),
            &quote! { crate::convert::IntoPermissionMap::into_permission_map(value).map(Self) },
        )
    } else {
        let body = quote! { Self(value.into_iter().map(|(k, v)| (k.into(), v.into())).collect()) };
        quote! {
            impl<K: Into<::std::string::String>, W: Into<#value>>
                ::std::convert::From<::std::collections::BTreeMap<K, W>> for #ident {
                fn from(value: ::std::collections::BTreeMap<K, W>) -> Self { #body }
            }
            impl<K: Into<::std::string::String>, W: Into<#value>, S>
                ::std::convert::From<::std::collections::HashMap<K, W, S>> for #ident {
                fn from(value: ::std::collections::HashMap<K, W, S>) -> Self { #body }
            }
            impl<K: Into<::std::string::String>, W: Into<#value>, const N: usize>
                ::std::convert::From<[(K, W); N]> for #ident {
                fn from(value: [(K, W); N]) -> Self { #body }
            }
        }
    }
}

/// `TryFrom` a `BTreeMap`, a `HashMap` and an array of `(K, W)` pairs for the map newtype
/// `ident`, where `W: bound` and `body` converts `value` (a typo is an `UnknownValue`).
fn try_from_pairs(ident: &syn::Ident, bound: &TokenStream, body: &TokenStream) -> TokenStream {
    quote! {
        impl<K: Into<::std::string::String>, W: #bound>
            ::std::convert::TryFrom<::std::collections::BTreeMap<K, W>> for #ident {
            type Error = crate::UnknownValue;
            fn try_from(value: ::std::collections::BTreeMap<K, W>) -> ::std::result::Result<Self, Self::Error> { #body }
        }
        impl<K: Into<::std::string::String>, W: #bound, S>
            ::std::convert::TryFrom<::std::collections::HashMap<K, W, S>> for #ident {
            type Error = crate::UnknownValue;
            fn try_from(value: ::std::collections::HashMap<K, W, S>) -> ::std::result::Result<Self, Self::Error> { #body }
        }
        impl<K: Into<::std::string::String>, W: #bound, const N: usize>
            ::std::convert::TryFrom<[(K, W); N]> for #ident {
            type Error = crate::UnknownValue;
            fn try_from(value: [(K, W); N]) -> ::std::result::Result<Self, Self::Error> { #body }
        }
    }
}

/// Whether the enum is `#[serde(untagged)]`.
fn untagged(e: &syn::ItemEnum) -> bool {
    e.attrs
        .iter()
        .any(|a| a.path().is_ident("serde") && tokens_string(&a.meta).contains("untagged"))
}

/// The one-field variants of `e` as (variant, field type string).
fn newtype_variants(e: &syn::ItemEnum) -> Vec<(syn::Ident, String)> {
    e.variants
        .iter()
        .filter_map(|v| match &v.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                Some((v.ident.clone(), tokens_string(&f.unnamed[0].ty)))
            }
            _ => None,
        })
        .collect()
}

/// Adds the conversions to the `types` module items.
pub fn add_conversions(items: &mut Vec<syn::Item>, bodies: &std::collections::BTreeSet<String>) {
    let mut extra = Vec::new();
    let mut drop_from: Vec<(String, String)> = Vec::new();
    let mut maps: Vec<String> = Vec::new();
    for item in items.iter() {
        match item {
            syn::Item::Struct(st) => {
                if let Some(value) = map_value(st) {
                    drop_from.push((st.ident.to_string(), "BTreeMap".into()));
                    maps.push(st.ident.to_string());
                    extra.push(map_impls(&st.ident, &value));
                }
                // A body that is a JSON value already converts from one.
                let name = st.ident.to_string();
                if bodies.contains(&name)
                    && !items
                        .iter()
                        .any(|i| is_from_impl(i, &name, |t| t == "::serde_json::Value"))
                {
                    let ident = &st.ident;
                    let name = ident.to_string();
                    extra.push(quote! {
                        impl ::std::convert::TryFrom<::serde_json::Value> for #ident {
                            type Error = crate::convert::InvalidBody;
                            fn try_from(value: ::serde_json::Value) -> ::std::result::Result<Self, Self::Error> {
                                ::serde_json::from_value(value)
                                    .map_err(|e| crate::convert::InvalidBody::new(#name, e))
                            }
                        }
                    });
                }
            }
            syn::Item::Enum(e) if untagged(e) => {
                let ident = &e.ident;
                let name = ident.to_string();
                let variants = newtype_variants(e);
                let has = |pred: &dyn Fn(&str) -> bool| {
                    items.iter().any(|i| is_from_impl(i, &name, pred))
                };
                if let Some((v, _)) = variants.iter().find(|(_, t)| t == "::std::string::String")
                    && !has(&|t| t == "&str" || t == "::std::string::String")
                {
                    extra.push(quote! {
                        impl ::std::convert::From<&str> for #ident {
                            fn from(value: &str) -> Self { Self::#v(value.to_owned()) }
                        }
                        impl ::std::convert::From<::std::string::String> for #ident {
                            fn from(value: ::std::string::String) -> Self { Self::#v(value) }
                        }
                    });
                }
                let lists: Vec<_> = variants
                    .iter()
                    .filter(|(_, t)| t.starts_with("::std::vec::Vec<"))
                    .collect();
                if let [(v, t)] = lists[..]
                    && t == "::std::vec::Vec<::std::string::String>"
                {
                    drop_from.push((name.clone(), t.clone()));
                    extra.push(quote! {
                        impl<T: Into<::std::string::String>> ::std::convert::From<::std::vec::Vec<T>> for #ident {
                            fn from(value: ::std::vec::Vec<T>) -> Self {
                                Self::#v(value.into_iter().map(Into::into).collect())
                            }
                        }
                        impl<T: Into<::std::string::String>, const N: usize> ::std::convert::From<[T; N]> for #ident {
                            fn from(value: [T; N]) -> Self {
                                Self::#v(value.into_iter().map(Into::into).collect())
                            }
                        }
                    });
                }
            }
            _ => {}
        }
    }
    items.retain(|item| {
        !drop_from
            .iter()
            .any(|(name, ty)| is_from_impl(item, name, |t| t.contains(ty.as_str())))
    });
    for tokens in extra {
        if let Ok(parsed) = syn::parse2::<syn::File>(tokens) {
            items.extend(parsed.items);
        }
    }
    for item in items.iter_mut() {
        if let syn::Item::Mod(module) = item
            && module.ident == "builder"
            && let Some((_, builder_items)) = &mut module.content
        {
            permission_setters(builder_items, &maps);
        }
    }
}

/// `text` without whitespace.
fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

/// Setters of `Vec<Permission>` fields take any `IntoPermissions`, of inline permission maps any
/// `IntoPermissionMap`, setters of optional map newtype fields anything the map converts from
/// (`Some` is added).
fn permission_setters(items: &mut [syn::Item], maps: &[String]) {
    let permissions = squash(PERMISSIONS);
    let permission_map = squash(&format!(
        "::std::collections::BTreeMap<::std::string::String,{PERMISSIONS}>"
    ));
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        for item in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = item else { continue };
            let Some(where_clause) = &f.sig.generics.where_clause else {
                continue;
            };
            let Some(target) = where_clause.predicates.iter().find_map(|p| {
                squash(&tokens_string(p))
                    .strip_prefix("T:::std::convert::TryInto<")
                    .and_then(|t| t.strip_suffix('>'))
                    .map(str::to_owned)
            }) else {
                continue;
            };
            let (inner, optional) = match target
                .strip_prefix("::std::option::Option<")
                .and_then(|t| t.strip_suffix('>'))
            {
                Some(inner) => (inner.to_owned(), true),
                None => (target.clone(), false),
            };
            let field = f.sig.ident.clone();
            let message = format!("error converting supplied value for {field}: {{e}}");
            let wrap = if optional {
                quote!(.map(::std::option::Option::Some))
            } else {
                quote!()
            };
            if inner == permission_map {
                f.sig.generics.where_clause =
                    Some(syn::parse_quote!(where T: crate::convert::IntoPermissionMap));
                f.block = syn::parse_quote!({
                    self.#field = crate::convert::IntoPermissionMap::into_permission_map(value)
                        #wrap
                        .map_err(|e| format!(#message));
                    self
                });
            } else if inner == permissions {
                f.sig.generics.where_clause =
                    Some(syn::parse_quote!(where T: crate::convert::IntoPermissions));
                f.block = syn::parse_quote!({
                    self.#field = crate::convert::IntoPermissions::into_permissions(value)
                        #wrap
                        .map_err(|e| format!(#message));
                    self
                });
            } else if optional
                && maps
                    .iter()
                    .any(|m| inner == *m || inner.ends_with(&format!("::{m}")))
            {
                let ty: syn::Type = syn::parse_str(&inner).expect("a type");
                f.sig.generics.where_clause = Some(syn::parse_quote!(where
                    T: ::std::convert::TryInto<#ty>,
                    T::Error: ::std::fmt::Display));
                f.block = syn::parse_quote!({
                    self.#field = value
                        .try_into()
                        #wrap
                        .map_err(|e| format!(#message));
                    self
                });
            }
        }
    }
}
