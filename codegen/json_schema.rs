//! Step 4e: `schemars::JsonSchema` for every generated type, behind the cargo feature
//! `schemars`.
//!
//! The code is the same with and without the feature (build.rs and `cargo xtask regen` write
//! identical files): every attribute and impl added here is under `cfg(feature = "schemars")`,
//! so the default build only sees inert attributes.
//!
//! - typify's structs and enums (everything in `types` that derives serde) get
//!   `#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]`: field names as
//!   renamed for serde, required fields, `date-time` formats and the spec's descriptions (their
//!   doc comments) come from the derive. typify's constrained newtypes (a string `pattern`, an
//!   integer `enum`) deserialize by hand; their constraint is read back from that code
//!   ([`constraint`]) and stated with `schemars(extend(..))`. A required nullable field (an
//!   `Option` serde insists on) is described as required ([`require_present_options`]); the
//!   `Change<T>` fields of `change.rs` by `Change`'s own impl (the schema of `Option<T>`, not
//!   required), with the spec's description.
//! - The open enums and tagged unions of `open_enums.rs` and `unions.rs` get hand-written
//!   impls ([`open_enum_schema_tokens`], [`union_schema_tokens`]) that say what their decoders
//!   accept: one of the known values or any string; one of the members, or an object whose tag
//!   is none of the known ones.

use super::*;

/// Adds the conditional derive to every serde type of the `types` module.
pub fn derive_json_schema(items: &mut [syn::Item]) {
    let constraints: BTreeMap<String, TokenStream> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) => constraint(imp),
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(st) if derives_serde(&st.attrs) => require_present_options(st),
            syn::Item::Enum(en) if derives_serde(&en.attrs) => {}
            _ => continue,
        }
        let (ident, attrs) = match item {
            syn::Item::Struct(st) => (&st.ident, &mut st.attrs),
            syn::Item::Enum(en) => (&en.ident, &mut en.attrs),
            _ => continue,
        };
        let attr: syn::Attribute = match constraints.get(&ident.to_string()) {
            Some(extend) => syn::parse_quote!(#[cfg_attr(
                feature = "schemars",
                derive(::schemars::JsonSchema),
                schemars(extend(#extend))
            )]),
            None => {
                syn::parse_quote!(#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))])
            }
        };
        // Next to the derive list, before the `serde` attributes the derive reads.
        let at = attrs
            .iter()
            .position(|a| a.path().is_ident("derive"))
            .map_or(0, |i| i + 1);
        attrs.insert(at, attr);
    }
}

/// A required nullable property is an `Option` that serde must find (typify gives it
/// `deserialize_with = "Option::deserialize"`); schemars would call every `Option` optional, so
/// it is described as `crate::nullable::PresentOption<T>` (the schema of `Option<T>`, required).
fn require_present_options(st: &mut syn::ItemStruct) {
    for field in st.fields.iter_mut() {
        let must_be_present = field.attrs.iter().any(|a| {
            a.path().is_ident("serde")
                && quote!(#a)
                    .to_string()
                    .replace(' ', "")
                    .contains("deserialize_with=\"::std::option::Option::deserialize\"")
        });
        let Some(inner) = option_inner(&field.ty) else {
            continue;
        };
        if must_be_present {
            let with = type_string(&quote!(crate::nullable::PresentOption<#inner>));
            field
                .attrs
                .push(syn::parse_quote!(#[cfg_attr(feature = "schemars", schemars(with = #with))]));
        }
    }
}

/// A type as the string `schemars(with = "..")` takes, written like Rust source
/// (`::std::option::Option<T>`, not the token stream's `:: std :: option :: Option < T >`).
pub fn type_string(ty: &TokenStream) -> String {
    let mut text = ty.to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
    ] {
        text = text.replace(from, to);
    }
    text
}

/// The text of an item's doc comments, one line each (empty without any).
pub fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `T` of a field typed `Option<T>`.
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the derive list names `Serialize` or `Deserialize`.
fn derives_serde(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if let Some(last) = meta.path.segments.last()
                    && (last.ident == "Serialize" || last.ident == "Deserialize")
                {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

/// The constraint a typify newtype checks by hand, as `schemars(extend(..))` arguments:
/// `impl FromStr for X` compiling `Regex::new("..")` gives `"pattern" = ".."`, and
/// `impl TryFrom<i64> for X` testing `![1_i64, 2_i64].contains(&value)` gives
/// `"enum" = [1, 2]`.
pub fn constraint(imp: &syn::ItemImpl) -> Option<(String, TokenStream)> {
    let (_, trait_path, _) = imp.trait_.as_ref()?;
    let last = trait_path.segments.last()?;
    let syn::Type::Path(self_ty) = &*imp.self_ty else {
        return None;
    };
    let name = self_ty.path.segments.last()?.ident.to_string();
    let body = quote!(#imp);
    if last.ident == "FromStr" {
        let pattern = regex_literal(body)?;
        return Some((name, quote!("pattern" = #pattern)));
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let is_integer = matches!(args.args.first(),
        Some(syn::GenericArgument::Type(syn::Type::Path(p)))
            if p.path.is_ident("i64") || p.path.is_ident("u64"));
    if last.ident != "TryFrom" || !is_integer {
        return None;
    }
    let values = integer_list(body)?;
    Some((name, quote!("enum" = [#(#values),*])))
}

/// The string literal passed to `Regex::new(..)` anywhere in `tokens`.
fn regex_literal(tokens: TokenStream) -> Option<syn::LitStr> {
    let tokens: Vec<_> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            proc_macro2::TokenTree::Ident(id)
                if id == "new"
                    && i >= 3
                    && matches!(&tokens[i - 3], proc_macro2::TokenTree::Ident(r) if r == "Regex") =>
            {
                if let Some(proc_macro2::TokenTree::Group(args)) = tokens.get(i + 1)
                    && let Ok(lit) = syn::parse2::<syn::LitStr>(args.stream())
                {
                    return Some(lit);
                }
            }
            proc_macro2::TokenTree::Group(group) => {
                if let Some(lit) = regex_literal(group.stream()) {
                    return Some(lit);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first bracketed list of integer literals (`[1_i64, 2_i64]`) in `tokens`, unsuffixed.
fn integer_list(tokens: TokenStream) -> Option<Vec<proc_macro2::Literal>> {
    for token in tokens {
        let proc_macro2::TokenTree::Group(group) = token else {
            continue;
        };
        if group.delimiter() == proc_macro2::Delimiter::Bracket
            && let Ok(list) = syn::parse::Parser::parse2(
                syn::punctuated::Punctuated::<syn::LitInt, syn::Token![,]>::parse_terminated,
                group.stream(),
            )
            && !list.is_empty()
        {
            let values: Option<Vec<i64>> = list.iter().map(|l| l.base10_parse().ok()).collect();
            return values.map(|v| {
                v.into_iter()
                    .map(proc_macro2::Literal::i64_unsuffixed)
                    .collect()
            });
        }
        if let Some(found) = integer_list(group.stream()) {
            return Some(found);
        }
    }
    None
}

/// `schema_name` and `schema_id` of a hand-written impl for the generated type `name`.
fn schema_naming(name: &str) -> TokenStream {
    quote! {
        fn schema_name() -> ::std::borrow::Cow<'static, str> {
            ::std::borrow::Cow::Borrowed(#name)
        }
        fn schema_id() -> ::std::borrow::Cow<'static, str> {
            ::std::borrow::Cow::Borrowed(concat!(module_path!(), "::", #name))
        }
    }
}

/// An open enum: one of the known values or any string.
pub fn open_enum_schema_tokens(e: &OpenEnum) -> TokenStream {
    let ident = format_ident!("{}", e.name);
    let naming = schema_naming(&e.name);
    let values = &e.values;
    let description = format!(
        "{}{}One of the known values, or any other string (a value Liveblocks adds later).",
        e.description.as_deref().unwrap_or("").trim_end(),
        if e.description.is_some() { "\n\n" } else { "" },
    );
    quote! {
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for #ident {
            #naming
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "description": #description,
                    "type": "string",
                    "anyOf": [
                        { "enum": [ #( #values ),* ] },
                        { "description": "A value this version of the crate does not know." }
                    ]
                })
            }
        }
    }
}

/// A tagged union: one of its members, or an object whose tag is none of the known values.
pub fn union_schema_tokens(u: &TaggedUnion) -> TokenStream {
    let ident = format_ident!("{}", u.name);
    let naming = schema_naming(&u.name);
    let tag = &u.tag;
    let types: Vec<_> = u
        .members
        .iter()
        .map(|(_, t, _)| format_ident!("{t}"))
        .collect();
    let known: Vec<&String> = u
        .members
        .iter()
        .filter_map(|(_, _, v)| v.as_ref())
        .collect();
    let description = format!(
        "{}{}One of the members (by the `{tag}` property), or an object whose `{tag}` is none of \
         the known values (a member Liveblocks adds later).",
        u.description.as_deref().unwrap_or("").trim_end(),
        if u.description.is_some() { "\n\n" } else { "" },
    );
    quote! {
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for #ident {
            #naming
            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let mut any_of: ::std::vec::Vec<::serde_json::Value> = ::std::vec![
                    #( generator.subschema_for::<#types>().to_value() ),*
                ];
                any_of.push(::serde_json::json!({
                    "description": "A member this version of the crate does not know.",
                    "type": "object",
                    "required": [#tag],
                    "properties": { #tag: { "type": "string", "not": { "enum": [ #( #known ),* ] } } }
                }));
                ::schemars::json_schema!({ "description": #description, "anyOf": any_of })
            }
        }
    }
}
