//! Step 4a: every builder's `send()` goes through the crate's one request path.
//!
//! progenitor's `send()` builds the URL with `format!` and its own path encoding, then runs
//! `ClientHooks::pre`, `exec` and `post` and decodes the answer. Here it is cut in two:
//!
//! - `build_request(self)` keeps progenitor's argument checks, query, headers and body, but the
//!   URL comes from `crate::path::url` (the operation's path template from the `ops` table, each
//!   parameter percent-encoded as exactly one segment, `""`, `.` and `..` refused by name), and
//!   it returns the client and the built `reqwest::Request` without sending anything;
//! - `send(self)` hands that to `crate::transport::send_{json,empty,stream}` with the
//!   operation's `ops` entry, which checks the final URL against the template, adds the
//!   credential and sends it (retries, deadline, tracing), and decodes the answer into
//!   `liveblocks::Error` or the success type.
//!
//! An operation without a body gets `build_request(&self)` instead: its arguments are only read
//! (`x.as_ref()`), and `send(self)` hands the builder and `build_request` to
//! `crate::transport::rebuild_{json,empty,stream}`, whose future it returns (no `async fn`
//! around it), and which builds the request again when a retry happens.
//! Nothing is copied before the first attempt; an operation with a body (consumed by the
//! request) keeps the copy the transport makes before each attempt that may be retried.

use super::*;

/// Path templates by operation id (`get_room` -> `/v2/rooms/{roomId}`).
pub fn path_templates(spec: &OpenAPI) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            if let Some(id) = &op.operation_id {
                out.insert(id.clone(), path.clone());
            }
        }
    }
    out
}

/// Replaces the generated `send` of one builder (see the module docs).
pub fn wrap_send(
    imp: &mut syn::ItemImpl,
    templates: &BTreeMap<String, String>,
) -> Result<(), String> {
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
    let success = success_type(&raw.sig.output)
        .ok_or_else(|| format!("unexpected send() signature: {}", quote!(#raw)))?;
    let id = operation_id(&raw.block)
        .ok_or_else(|| format!("send() without an OperationInfo: {}", quote!(#raw)))?;
    let template = templates
        .get(&id)
        .ok_or_else(|| format!("{id}: no path template in the spec"))?;
    let meta = meta_ident(&id);

    // An operation without a body can build its request again from `&self` at no cost until a
    // retry happens; one with a body consumes it (a stream cannot be read twice, a typed body
    // would be copied on every call), so its retry sends a copy made before the attempt.
    let rebuild = !has_body_field(&raw.block);
    raw.attrs.retain(|a| !a.path().is_ident("doc"));
    raw.attrs.push(
        syn::parse_quote!(#[doc = " Checks the arguments and builds the request; sends nothing."]),
    );
    raw.sig.ident = format_ident!("build_request");
    if rebuild {
        borrow_arguments(&id, raw)?;
    }
    raw.sig.asyncness = None;
    raw.vis = syn::Visibility::Inherited;
    raw.sig.output = syn::parse_quote!(
        -> Result<(&'a super::Client, ::reqwest::Request), Error<()>>
    );
    // Everything from `let info = OperationInfo { .. }` on (hooks, send, decode) goes.
    let cut = raw
        .block
        .stmts
        .iter()
        .position(|s| matches!(s, syn::Stmt::Local(l) if quote!(#l).to_string().contains("OperationInfo")))
        .ok_or_else(|| format!("{id}: no OperationInfo statement"))?;
    raw.block.stmts.truncate(cut);
    // progenitor adds an `api-version: <info.version>` header the API does not use; leave it
    // out of the request instead of building it and removing it again on every call.
    raw.block.stmts.retain(|stmt| {
        !matches!(stmt, syn::Stmt::Expr(syn::Expr::MethodCall(call), _)
            if call.method == "append" && quote!(#call).to_string().contains("\"api-version\""))
    });
    drop_empty_header_map(&mut raw.block);
    let mut found_url = false;
    for stmt in &mut raw.block.stmts {
        if let syn::Stmt::Local(local) = stmt
            && let syn::Pat::Ident(p) = &local.pat
            && p.ident == "url"
            && let Some(init) = &mut local.init
        {
            *init.expr = url_expr(&id, template, &meta, &init.expr)?;
            found_url = true;
        }
    }
    if !found_url {
        return Err(format!("{id}: no `let url = format!(..)` statement"));
    }
    raw.block.stmts.push(syn::Stmt::Expr(
        syn::parse_quote!(Ok((client, request))),
        None,
    ));

    let kind = match &success {
        syn::Type::Tuple(t) if t.elems.is_empty() => "empty",
        ty if is_byte_stream(ty) => "stream",
        _ => "json",
    };
    let errors = quote! {
        ///
        /// # Errors
        ///
        /// [`crate::Error`]: an API error with the HTTP status and the server's error body, a
        /// transport or timeout error, an undecodable body, or a missing/invalid argument.
    };
    let send: syn::ImplItemFn = if rebuild {
        // The transport's future is the call's future: no `async fn` layer around it to copy
        // it into.
        let finish = format_ident!("rebuild_{kind}");
        syn::parse2(quote! {
            #( #docs )*
            #errors
            pub fn send(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<ResponseValue<#success>, crate::Error>,
            > + Send + 'a {
                crate::transport::#finish(self, Self::build_request, &super::ops::#meta)
            }
        })
    } else {
        let finish = format_ident!("send_{kind}");
        syn::parse2(quote! {
            #( #docs )*
            #errors
            pub async fn send(
                self,
            ) -> ::std::result::Result<ResponseValue<#success>, crate::Error> {
                crate::transport::#finish(self.build_request(), &super::ops::#meta).await
            }
        })
    }
    .map_err(|e| e.to_string())?;
    imp.items.push(syn::ImplItem::Fn(send));
    Ok(())
}

/// The `let Self { client, .. } = self;` that opens a generated `send()`, and its index.
fn self_pattern(block: &syn::Block) -> Option<(usize, &syn::PatStruct)> {
    block
        .stmts
        .iter()
        .enumerate()
        .find_map(|(at, stmt)| match stmt {
            syn::Stmt::Local(syn::Local {
                pat: syn::Pat::Struct(p),
                ..
            }) if p.path.is_ident("Self") => Some((at, p)),
            _ => None,
        })
}

/// Whether the builder has a `body` argument.
fn has_body_field(block: &syn::Block) -> bool {
    self_pattern(block).is_none_or(|(_, p)| {
        p.fields
            .iter()
            .any(|f| matches!(&f.member, syn::Member::Named(name) if name == "body"))
    })
}

/// Makes `build_request` take `&self`, so it can run again for a retry: the client reference is
/// copied out, and every `let x = x.map_err(Error::InvalidRequest)?;` borrows the checked value
/// (`x.as_ref()`) instead of moving it (path and query parameters are only read).
fn borrow_arguments(id: &str, f: &mut syn::ImplItemFn) -> Result<(), String> {
    let Some(syn::FnArg::Receiver(receiver)) = f.sig.inputs.first_mut() else {
        return Err(format!("{id}: send() does not take self"));
    };
    *receiver = syn::parse_quote!(&self);
    let (at, _) =
        self_pattern(&f.block).ok_or_else(|| format!("{id}: no `let Self {{ .. }} = self;`"))?;
    for stmt in &mut f.block.stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let (syn::Pat::Ident(name), Some(init)) = (&local.pat, &mut local.init) else {
            continue;
        };
        let syn::Expr::Try(checked) = &*init.expr else {
            continue;
        };
        let syn::Expr::MethodCall(call) = &*checked.expr else {
            continue;
        };
        let moves_field = call.method == "map_err"
            && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident(&name.ident))
            && call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if quote!(#p).to_string() == "Error :: InvalidRequest");
        if moves_field {
            let field = &name.ident;
            *init.expr = syn::parse_quote!(
                #field.as_ref().map_err(|e| Error::InvalidRequest(e.clone()))?
            );
        }
    }
    f.block.stmts.insert(
        at + 1,
        syn::parse_quote!(let client: &'a super::Client = *client;),
    );
    Ok(())
}

/// The operation id of a generated `send()`: the string in `OperationInfo { operation_id }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Expr::Struct(st) = &*local.init.as_ref()?.expr else {
            return None;
        };
        st.fields
            .iter()
            .find_map(|field| match (&field.member, &field.expr) {
                (
                    syn::Member::Named(name),
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ) if name == "operation_id" => Some(s.value()),
                _ => None,
            })
    })
}

/// `format!("{}/v2/rooms/{}", client.baseurl, encode_path(&room_id.to_string()))` ->
/// `crate::path::url(&client.baseurl, &super::ops::GET_ROOM, &[&room_id])?`, after checking
/// that progenitor's format string is the spec's template with its parameters in order.
fn url_expr(
    id: &str,
    template: &str,
    meta: &syn::Ident,
    expr: &syn::Expr,
) -> Result<syn::Expr, String> {
    let syn::Expr::Macro(mac) = expr else {
        return Err(format!("{id}: the URL is not built with format!"));
    };
    let args = mac
        .mac
        .parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .map_err(|e| format!("{id}: unexpected URL format! arguments: {e}"))?;
    let mut args = args.into_iter();
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(format),
        ..
    })) = args.next()
    else {
        return Err(format!("{id}: the URL format! has no format string"));
    };
    let expected = format!(
        "{{}}{}",
        template_segments(template)?
            .iter()
            .map(|(param, text)| if *param {
                "/{}".to_string()
            } else {
                format!("/{text}")
            })
            .collect::<String>()
    );
    if format.value() != expected {
        return Err(format!(
            "{id}: progenitor builds the URL as {:?}, the template {template} says {expected:?}",
            format.value()
        ));
    }
    let _base = args.next();
    let params = args
        .map(|arg| path_argument(id, &arg))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(syn::parse_quote!(
        crate::path::url(&client.baseurl, &super::ops::#meta, &[ #( #params ),* ])
            .map_err(Error::InvalidRequest)?
    ))
}

/// `encode_path(&room_id.to_string())` -> `&room_id` (a `&dyn Display` the URL builder
/// encodes as it writes, without an intermediate `String`).
fn path_argument(id: &str, arg: &syn::Expr) -> Result<syn::Expr, String> {
    if let syn::Expr::Call(call) = arg
        && let syn::Expr::Path(f) = &*call.func
        && f.path.is_ident("encode_path")
        && let Some(syn::Expr::Reference(r)) = call.args.first()
        && let syn::Expr::MethodCall(m) = &*r.expr
        && m.method == "to_string"
    {
        let value = &m.receiver;
        return Ok(syn::parse_quote!(&#value));
    }
    Err(format!("{id}: unexpected path argument {}", quote!(#arg)))
}

/// Whether a success type is a binary or text body (`ByteStream`).
pub fn is_byte_stream(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ByteStream"))
}

/// `Result<ResponseValue<T>, Error<E>>` (an `async fn`'s) or
/// `impl Future<Output = Result<ResponseValue<T>, E>>` -> `T`.
pub fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let output = future_output(ty);
    let result = last_generic(output.as_ref().unwrap_or(ty), "Result")?;
    last_generic(&result, "ResponseValue")
}

/// The `Output` of an `impl Future<Output = T> + ..` type.
fn future_output(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::ImplTrait(imp) = ty else {
        return None;
    };
    imp.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(t) = bound else {
            return None;
        };
        let seg = t.path.segments.last()?;
        let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(assoc.ty.clone())
            }
            _ => None,
        })
    })
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

/// progenitor always makes a `HeaderMap::with_capacity(n)` for header parameters and merges it
/// into the request with `.headers(header_map)`. Once the `api-version` header is gone, an
/// operation without header parameters would allocate and merge an empty map on every call:
/// both go.
fn drop_empty_header_map(block: &mut syn::Block) {
    let mentions = |stmt: &syn::Stmt| quote!(#stmt).to_string().matches("header_map").count();
    let Some(decl) = block.stmts.iter().position(|stmt| {
        matches!(stmt, syn::Stmt::Local(l)
            if matches!(&l.pat, syn::Pat::Ident(p) if p.ident == "header_map"))
    }) else {
        return;
    };
    let uses: usize = block.stmts.iter().map(mentions).sum();
    // The declaration names it once and `.headers(header_map)` once: nothing else adds to it.
    if uses != 2 {
        return;
    }
    struct StripHeaders(bool);
    impl syn::visit_mut::VisitMut for StripHeaders {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("header_map"))
            {
                *expr = (*call.receiver).clone();
                self.0 = true;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut strip = StripHeaders(false);
    for stmt in &mut block.stmts {
        syn::visit_mut::VisitMut::visit_stmt_mut(&mut strip, stmt);
    }
    if strip.0 {
        block.stmts.remove(decl);
    }
}
