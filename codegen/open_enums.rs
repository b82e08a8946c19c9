//! Step 2a: named multi-value string enums become open enums with an `Unknown(String)` catch-all.

use super::*;

/// A named string enum made forward compatible.
pub struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    pub values: Vec<String>,
}

/// Every named string enum with more than one value.
pub fn open_enums(spec: &OpenAPI) -> Vec<OpenEnum> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return out;
    };
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
            let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
            if values.len() > 1 {
                out.push(OpenEnum {
                    name: name.clone(),
                    description: schema.schema_data.description.clone(),
                    values,
                });
            }
        }
    }
    out
}

/// The Rust variant name for a wire value (`room:presence:write` -> `RoomPresenceWrite`,
/// `*:read` -> `AllRead`, `gpt-4o` -> `Gpt4o`, `24h` -> `V24h`).
pub fn variant_name(wire: &str) -> String {
    let mut name = String::new();
    for part in wire
        .replace('*', " all ")
        .split(|c: char| !c.is_ascii_alphanumeric())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    match name.as_str() {
        "Self" => "SelfValue".into(),
        "Unknown" => "UnknownValue".into(),
        _ => name,
    }
}

pub fn unique_names(values: &[String]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    values
        .iter()
        .map(|v| {
            let base = variant_name(v);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}{n}") }
        })
        .collect()
}

pub fn doc_tokens(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}"));
    quote!(#( #[doc = #lines] )*)
}

pub fn open_enum_tokens(e: &OpenEnum) -> TokenStream {
    let ident = format_ident!("{}", e.name);
    let names: Vec<_> = unique_names(&e.values)
        .iter()
        .map(|n| format_ident!("{n}"))
        .collect();
    let values = &e.values;
    let mut doc = e
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", e.name));
    let _ = write!(
        doc,
        "\n\nForward compatible: a value this version of the crate does not know decodes to \
         `{}::Unknown` holding the wire string, and serializes back unchanged.",
        e.name
    );
    let doc = doc_tokens(&doc);
    let variant_docs = values.iter().map(|v| format!("`{v}`"));
    let schema = open_enum_schema_tokens(e);
    let name_lit = e.name.as_str();
    quote! {
        #schema
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident {
            #( #[doc = #variant_docs] #names, )*
            /// A value this version of the crate does not know (the wire string, unchanged).
            Unknown(::std::string::String),
        }
        impl #ident {
            /// Every value this version of the crate knows, in the order of the spec.
            pub const KNOWN: &'static [Self] = &[ #( Self::#names ),* ];
            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#names => #values, )*
                    Self::Unknown(other) => other.as_str(),
                }
            }
            /// Whether this value is one this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#names, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }
        /// Strict: only a known value parses; anything else is a
        /// [`crate::UnknownValue`] naming the closest known value (decoding a response stays
        /// lenient and keeps an unknown value as `Unknown`).
        impl ::std::str::FromStr for #ident {
            type Err = crate::UnknownValue;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                match Self::from(value) {
                    Self::Unknown(_) => Err(crate::UnknownValue::new(
                        #name_lit,
                        value,
                        &[ #( #values ),* ],
                    )),
                    known => Ok(known),
                }
            }
        }
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.into_owned()))
            }
        }
    }
}
