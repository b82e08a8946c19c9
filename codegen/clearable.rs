//! Step 4d: optional nullable request fields become `Option<Option<T>>` so `null` can be sent.

use super::*;

/// Request-body schemas and their optional `nullable` properties: the fields a request may set
/// to `null` to clear a value. typify makes them `Option<T>` skipped when `None`, which cannot
/// send `null`; [`make_clearable`] turns them into `Option<Option<T>>`.
pub fn clearable_fields(spec: &OpenAPI) -> BTreeMap<String, Vec<String>> {
    let bodies = request_bodies(spec);
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
pub fn wire_name(field: &syn::Field) -> Option<String> {
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

pub fn wrap_option(ty: &syn::Type) -> syn::Type {
    syn::parse_quote!(::std::option::Option<#ty>)
}

/// Rewrites the clearable fields of request bodies (and their typify builders) to
/// `Option<Option<T>>` serialized through `crate::nullable`.
pub fn make_clearable(items: &mut [syn::Item], clearable: &BTreeMap<String, Vec<String>>) {
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
            // The schema of `Option<T>` (absent, `null` or a value) is the field's (schemars
            // would read serde's `with` as the type to describe), with the spec's description
            // (not the Rust note added below).
            let ty = &field.ty;
            let schema_type = type_string(&quote!(#ty));
            let description = doc_text(&field.attrs);
            field.attrs.push(syn::parse_quote!(
                #[cfg_attr(feature = "schemars", schemars(with = #schema_type, description = #description))]
            ));
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
