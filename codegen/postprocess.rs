//! Step 4: the progenitor output is reshaped: constructors removed, `send()` returning
//! `liveblocks::Error`, deprecations, compat types and stream glue added.

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

pub fn postprocess(
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

pub fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// Renames the generated `send` to `send_raw` and adds a `send` that returns
/// `liveblocks::Error`, choosing the success decoding by the response type.
pub fn wrap_send(imp: &mut syn::ItemImpl) -> Result<(), String> {
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
pub fn is_byte_stream(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ByteStream"))
}

/// `Result<ResponseValue<T>, Error<E>>` -> `T`.
pub fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = last_generic(ty, "Result")?;
    last_generic(&result, "ResponseValue")
}

pub fn last_generic(ty: &syn::Type, name: &str) -> Option<syn::Type> {
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
