//! Step 5 (cargo feature `blocking`): the synchronous wrappers of every operation.

use super::*;

/// The text of the `#[doc = "..."]` attributes of an item.
pub fn doc_strings(attrs: &[syn::Attribute]) -> Vec<String> {
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
pub fn builder_ident(output: &syn::ReturnType) -> Option<syn::Ident> {
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
pub fn self_ident(imp: &syn::ItemImpl) -> Option<String> {
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
            let docs = blocking_doc(&name.to_string(), &doc_strings(&f.attrs).concat())?;
            let deprecated = f.attrs.iter().filter(|a| a.path().is_ident("deprecated"));
            methods.push(quote! {
                #[doc = #docs]
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
        // A builder hidden from the docs (that of an operation with a hand-written front door)
        // is hidden here too.
        let hidden = st
            .attrs
            .iter()
            .filter(|a| matches!(&a.meta, syn::Meta::List(l) if l.path.is_ident("doc") && l.tokens.to_string() == "hidden"));
        builders.push(quote! {
            #[doc = #doc]
            #( #derives )*
            #( #hidden )*
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

/// The doc of the blocking method `name` from the async method's (written by `docs.rs`): the
/// same sections, the example replaced by a link to the async one (it does not compile
/// against the blocking client, and a second copy of every example would double the doctests),
/// the `# SDK names` kept.
pub fn blocking_doc(name: &str, doc: &str) -> Result<String, String> {
    let (Some(example), Some(sdk)) = (doc.find("# Example\n"), doc.find("# SDK names")) else {
        return Err(format!(
            "Client::{name}: its doc has no `# Example` or `# SDK names` section"
        ));
    };
    if sdk < example {
        return Err(format!(
            "Client::{name}: `# SDK names` comes before `# Example` in its doc"
        ));
    }
    Ok(format!(
        "{}# Example\n\nAs in [`crate::Client::{name}`], on a \
         [`blocking::Client`](crate::blocking::Client) and without `.await`.\n\n{}",
        &doc[..example],
        &doc[sdk..]
    ))
}

/// One public method of a generated builder, made blocking.
pub fn blocking_member(builder: &str, f: &syn::ImplItemFn) -> Result<TokenStream, String> {
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
    // The async setter's doc (its parameter's description), then where it forwards.
    let docs = doc_strings(&f.attrs);
    let doc = format!(" Forwards to [`crate::builder::{builder}::{name}`].");
    let sep: Vec<&str> = if docs.is_empty() {
        Vec::new()
    } else {
        vec![""]
    };
    Ok(quote! {
        #( #[doc = #docs] )*
        #( #[doc = #sep] )*
        #[doc = #doc]
        pub #sig {
            Self {
                inner: self.inner.#name(#( #args ),*),
                client: self.client,
            }
        }
    })
}
