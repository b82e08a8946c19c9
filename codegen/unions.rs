//! Step 2b: named `oneOf` unions whose members carry a one-value tag become tagged enums with an
//! `Unknown(serde_json::Value)` catch-all.

use super::*;

/// A named `oneOf` union whose members are tagged by one property.
pub struct TaggedUnion {
    pub name: String,
    pub description: Option<String>,
    pub tag: String,
    /// (variant name, member schema name, exact tag value or None for a pattern-tagged member)
    pub members: Vec<(String, String, Option<String>)>,
    /// The index of the one member that has no tag property at all (a comment's text run among
    /// mentions and links): a value without the tag decodes to it.
    pub untagged: Option<usize>,
}

/// Whether a member schema does not declare the tag property at all.
pub fn lacks_tag(schema: &Schema, tag: &str) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => !obj.properties.contains_key(tag),
        // An object with extra keywords (`not`, ...) parses as `Any`.
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("object") && !any.properties.contains_key(tag)
        }
        _ => false,
    }
}

pub fn resolve<'a>(spec: &'a OpenAPI, r: &'a ReferenceOr<Schema>) -> Option<(&'a str, &'a Schema)> {
    let ReferenceOr::Reference { reference } = r else {
        return None;
    };
    let name = reference.strip_prefix("#/components/schemas/")?;
    Some((name, named_schema(spec, reference)?))
}

/// How a member schema tags itself: `Some(Some(v))` one-value enum, `Some(None)` a pattern.
pub fn member_tag(schema: &Schema, tag: &str) -> Option<Option<String>> {
    let SchemaKind::Type(Type::Object(obj)) = &schema.schema_kind else {
        return None;
    };
    if !obj.required.iter().any(|r| r == tag) {
        return None;
    }
    let ReferenceOr::Item(prop) = obj.properties.get(tag)? else {
        return None;
    };
    let SchemaKind::Type(Type::String(s)) = &prop.schema_kind else {
        return None;
    };
    let values: Vec<&String> = s.enumeration.iter().flatten().collect();
    match values.as_slice() {
        [one] => Some(Some((*one).clone())),
        [] if s.pattern.is_some() => Some(None),
        _ => None,
    }
}

/// Every named `oneOf` of `$ref`s whose members all carry the same tag property.
pub fn tagged_unions(spec: &OpenAPI) -> Result<Vec<TaggedUnion>, String> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return Ok(out);
    };
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::OneOf { one_of } = &schema.schema_kind else {
            continue;
        };
        let Some(members) = one_of
            .iter()
            .map(|m| resolve(spec, m))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some((_, first)) = members.first() else {
            continue;
        };
        let candidates: Vec<String> = match &schema.schema_data.discriminator {
            Some(d) => vec![d.property_name.clone()],
            None => match &first.schema_kind {
                SchemaKind::Type(Type::Object(o)) => o.required.clone(),
                _ => Vec::new(),
            },
        };
        let fits = |t: &String| {
            let tagged = members
                .iter()
                .filter(|(_, s)| member_tag(s, t).is_some())
                .count();
            let absent = members.iter().filter(|(_, s)| lacks_tag(s, t)).count();
            tagged + absent == members.len() && absent <= 1 && tagged > 0
        };
        let Some(tag) = candidates.into_iter().find(fits) else {
            if schema.schema_data.discriminator.is_some() {
                return Err(format!(
                    "#/components/schemas/{name}: every member of a discriminated union needs a \
                     required tag property with a one-value enum or a pattern"
                ));
            }
            continue;
        };
        let untagged = members.iter().position(|(_, s)| lacks_tag(s, &tag));
        let member_names: Vec<String> = members.iter().map(|(n, _)| n.to_string()).collect();
        let variants = union_variant_names(name, &member_names);
        let members = members
            .iter()
            .zip(variants)
            .map(|((member, s), variant)| {
                (variant, member.to_string(), member_tag(s, &tag).flatten())
            })
            .collect();
        out.push(TaggedUnion {
            name: name.clone(),
            description: schema.schema_data.description.clone(),
            tag,
            members,
            untagged,
        });
    }
    Ok(out)
}

/// `InboxNotificationThread` in `InboxNotification` -> `Thread`;
/// `AddJsonPatchOperation` in `JsonPatchOperation` -> `Add`;
/// `CreateAiCopilotOptionsOpenAi` (with its siblings) -> `OpenAi`.
pub fn union_variant_names(union: &str, members: &[String]) -> Vec<String> {
    let valid = |names: &[String]| {
        let distinct: std::collections::BTreeSet<_> = names.iter().collect();
        distinct.len() == names.len()
            && names.iter().all(|n| {
                !n.is_empty() && n != "Unknown" && n.starts_with(|c: char| c.is_ascii_uppercase())
            })
    };
    let by_union: Vec<String> = members
        .iter()
        .map(|m| {
            m.strip_prefix(union)
                .or_else(|| m.strip_suffix(union))
                .unwrap_or(m)
                .to_string()
        })
        .collect();
    if valid(&by_union) && by_union.iter().zip(members).all(|(short, m)| short != m) {
        return by_union;
    }
    // The longest common prefix of the member names, cut at a word (capital letter) boundary.
    let first = &members[0];
    let mut common = first.len();
    for m in &members[1..] {
        common = common.min(
            first
                .bytes()
                .zip(m.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while common > 0
        && !members
            .iter()
            .all(|m| m[common..].starts_with(|c: char| c.is_ascii_uppercase()))
    {
        common -= 1;
    }
    let by_prefix: Vec<String> = members.iter().map(|m| m[common..].to_string()).collect();
    if common > 0 && valid(&by_prefix) {
        return by_prefix;
    }
    members.to_vec()
}

pub fn union_tokens(u: &TaggedUnion) -> TokenStream {
    let ident = format_ident!("{}", u.name);
    let tag = &u.tag;
    let mut doc = u
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", u.name));
    let _ = write!(
        doc,
        "\n\nDecoded by its `{tag}` property. Forward compatible: a `{tag}` this version of the \
         crate does not know decodes to `{}::Unknown` holding the raw JSON.",
        u.name
    );
    let doc = doc_tokens(&doc);
    let variants: Vec<_> = u
        .members
        .iter()
        .map(|(v, _, _)| format_ident!("{v}"))
        .collect();
    let types: Vec<_> = u
        .members
        .iter()
        .map(|(_, t, _)| format_ident!("{t}"))
        .collect();
    let variant_docs = u
        .members
        .iter()
        .enumerate()
        .map(|(i, (_, t, value))| match value {
            _ if u.untagged == Some(i) => format!("No `{tag}` property ([`{t}`])."),
            Some(v) => format!("`{tag}` = `{v}` ([`{t}`])."),
            None => format!("`{tag}` matching the pattern of [`{t}`]."),
        });
    let exact = u.members.iter().filter_map(|(v, t, value)| {
        let value = value.as_ref()?;
        let (v, t) = (format_ident!("{v}"), format_ident!("{t}"));
        Some(quote! {
            Some(#value) => ::serde_json::from_value::<#t>(value)
                .map(Self::#v)
                .map_err(::serde::de::Error::custom),
        })
    });
    let fallbacks = u
        .members
        .iter()
        .enumerate()
        .filter(|(i, (_, _, value))| value.is_none() && u.untagged != Some(*i))
        .map(|(_, (v, t, _))| {
            let (v, t) = (format_ident!("{v}"), format_ident!("{t}"));
            quote! {
                if let Ok(known) = ::serde_json::from_value::<#t>(value.clone()) {
                    return Ok(Self::#v(known));
                }
            }
        });
    let untagged_arm = u.untagged.map(|i| {
        let (v, t, _) = &u.members[i];
        let (v, t) = (format_ident!("{v}"), format_ident!("{t}"));
        quote! {
            None if value.get(#tag).is_none() => Ok(
                ::serde_json::from_value::<#t>(value.clone())
                    .map(Self::#v)
                    .unwrap_or(Self::Unknown(value)),
            ),
        }
    });
    let schema = union_schema_tokens(u);
    quote! {
        #schema
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #ident {
            #( #[doc = #variant_docs] #variants(#types), )*
            /// A variant this version of the crate does not know (the raw JSON, unchanged).
            Unknown(::serde_json::Value),
        }
        #(
            impl ::std::convert::From<#types> for #ident {
                fn from(value: #types) -> Self {
                    Self::#variants(value)
                }
            }
        )*
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(inner) => ::serde::Serialize::serialize(inner, serializer), )*
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #( #exact )*
                    #untagged_arm
                    _ => {
                        #( #fallbacks )*
                        Ok(Self::Unknown(value))
                    }
                }
            }
        }
    }
}
